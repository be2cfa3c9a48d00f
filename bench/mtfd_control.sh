#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mtfd's control plane timings and load (issue 9, "Performance"), in one
# VM (make bench-mtfd):
#
#   V 10.9.0.1 --- R3 10.9.0.254 / 10.0.13.3 --- R1 10.0.13.1 --- A 10.7.1.1
#
# 1. Latency, with tc netem delays D = 10 and 50 ms on every link (each
#    way): the victim's request is acknowledged by R3 after the R3 filter
#    is in (ack = 2D + R3's processing), and R3's handshake with R1 is
#    confirmed after two R3-R1 round trips (request, nonce, reply,
#    confirmation: 4D + processing; R1's filter is in after 3D).  The
#    processing is what is left after the delays: the target is < 1 ms at
#    R3 and < 1 ms at R1 after the handshake.
# 2. Load: N filter requests for distinct flows sent by V as fast as it
#    can; R3's requests handled per second, its memory (VmRSS) before and
#    after, and R1's memory before and after 10,000 handshake requests it
#    answered (stateless: no growth per pending handshake).
# Baselines measured in the same run: the netem RTT (ping) for 1, and for
# 2 the rate at which mtfctl itself installs filters in the kernel (batch),
# since every request costs R3 one filter installation.
# Results: $VM_OUT/mtfd_control.txt when VM_OUT is set.

. "$(dirname "$0")/../selftests/lib.sh"

MSG=$TOP/build/selftests/mtfd_msg
MTFD=$TOP/build/bin/mtfd
N=${N:-20000}
V=10.9.0.1 R3=10.9.0.254 R1=10.0.13.1

require_root
require_modules mtf
require_cmd ip tc jq
TMP=$(mktemp -d)
declare -A PID
cleanup() {
	for p in "${PID[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	cleanup_all_ns
	mod_unload mtf
	rm -rf "$TMP"
}
trap cleanup EXIT
OUT=${VM_OUT:+$VM_OUT/mtfd_control.txt}
say() { echo "$*"; [ -n "$OUT" ] && echo "$*" >>"$OUT"; return 0; }
[ -n "$OUT" ] && : >"$OUT"

mod_load mtf || exit $KSFT_FAIL
setup_ns v r3 r1 a || exit $KSFT_FAIL
veth_pair "$r3" eth2 $R3/24 "$v" eth0 $V/24 &&
veth_pair "$r1" eth2 $R1/24 "$r3" eth0 10.0.13.3/24 &&
veth_pair "$a" eth0 10.7.1.1/24 "$r1" eth1 10.7.1.254/24 &&
ip -n "$v" route add default via $R3 &&
ip -n "$r3" route add 10.7.0.0/16 via $R1 &&
ip -n "$r1" route add default via 10.0.13.3 &&
ip -n "$a" route add default via 10.7.1.254 &&
ip netns exec "$r3" sysctl -qw net.ipv4.ip_forward=1 &&
ip netns exec "$r1" sysctl -qw net.ipv4.ip_forward=1 &&
"$MTFCTL" -n "$r1" config set router-addr $R1 >/dev/null &&
"$MTFCTL" -n "$r3" config set router-addr $R3 filter-max 1000000 >/dev/null &&
"$MTFCTL" -n "$r1" dev eth1 set border-ingress on >/dev/null &&
"$MTFCTL" -n "$r3" dev eth0 set border-ingress on >/dev/null &&
"$MTFCTL" -n "$v" config set enable on account-local on >/dev/null || exit $KSFT_FAIL

conf() {	# NAME ROLES ADDR lines...
	local n=$1; shift 1
	{
		printf '[mtfd]\nroles = %s\naddress = %s\nadmin-socket = %s\n' "$1" "$2" "$TMP/$n.sock"
		printf 'secret-file = %s\n[timers]\nttmp-ms = 1000\n' "$TMP/$n.secret"
		shift 2; printf '%s\n' "$@"
	} >"$TMP/$n.conf"
	head -c 32 /dev/urandom >"$TMP/$n.secret"; chmod 600 "$TMP/$n.secret"
}
conf v victim $V '[victim]' "gateway = $R3"
conf r3 gateway $R3 '[gateway]' "router-addr = $R3" 'serves = 10.9.0.0/24' \
	'max-pending = 65536' 'peer-rate = 1000000' 'peer-burst = 1000000'
conf r1 gateway $R1 '[gateway]' "router-addr = $R1" 'peer-rate = 1000000' 'peer-burst = 1000000'
for n in r1:$r1 r3:$r3 v:$v; do
	ip netns exec "${n#*:}" "$MTFD" -c "$TMP/${n%%:*}.conf" >"$TMP/${n%%:*}.log" 2>&1 &
	PID[${n%%:*}]=$!
done
ctl() { local n=$1; shift; MTFD_SOCKET=$TMP/$n.sock "$MTFCTL" "$@"; }
for n in r1 r3 v; do busywait 10000 ctl $n request stats >/dev/null 2>&1 || exit $KSFT_FAIL; done
mark() { printf '0x%08x' "$(( $("$MTFCTL" -n "$1" -j mark get $V | jq -er .mark) ))"; }
M1=$(mark "$r1") M3=$(mark "$r3")

netem() {	# delay ms on every interface of the path, each way
	local d=$1 ns dev
	for ns_dev in "$v:eth0" "$r3:eth2" "$r3:eth0" "$r1:eth2"; do
		ns=${ns_dev%%:*} dev=${ns_dev#*:}
		tc -n "$ns" qdisc replace dev "$dev" root netem delay "${d}ms" limit 100000
	done
}

rss() { awk '/^VmRSS/ {print $2}' /proc/"${PID[$1]}"/status; }	# kB
P1=$R1/$M1,$R3/$M3

say "== latency: D ms one-way on every link; medians of 5 requests, ms"
say "D   ping-rtt(V,R1)  V-ack  ack-2D(R3 work)  R3-handshake  hs-4D(work of 4 steps)"
k=0
for d in 10 50; do
	netem $d
	rtt=$(ip netns exec "$v" ping -c 5 -i 0.2 -q $R1 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
	for i in 1 2 3 4 5; do
		k=$((k + 1))
		ctl v request block "$P1" src 10.7.0.$k/32 >/dev/null || exit $KSFT_FAIL
		busywait 10000 sh -c "MTFD_SOCKET=$TMP/r3.sock $MTFCTL -j request show |
			jq -e '[.handshakes[] | select(.state == \"confirmed\")] | length >= $k' >/dev/null" ||
			{ say "handshake $k not confirmed"; exit $KSFT_FAIL; }
	done
	ack=$(ctl v -j request show | jq "[.requests[] | select(.flow.src | test(\"^10.7.0.\")) | .ack_ms] | .[-5:] | sort | .[2]")
	hs=$(ctl r3 -j request show | jq "[.handshakes[] | select(.state == \"confirmed\") | .handshake_ms] | .[-5:] | sort | .[2]")
	say "$d  $rtt  $ack  $((ack - 2 * d))  $hs  $((hs - 4 * d))"
done
netem 0

say ""
say "== load: $N filter requests for distinct flows from V at once"
r0=$(rss r3) q0=$(ctl r3 -j request stats | jq .gw_requests)
t0=$(date +%s%3N)
ip netns exec "$v" "$MSG" -d $R3 -t filter_req -D $V -p $R1:$M1 -p $R3:$M3 -A block -c "$N" -I
n=-1
while [ "$n" != "$(ctl r3 -j request stats | jq .gw_requests)" ]; do
	n=$(ctl r3 -j request stats | jq .gw_requests); t1=$(date +%s%3N); sleep 1
done
q=$((n - q0))
st=$(ctl r3 -j request stats)
say "R3 handled $q requests in $((t1 - t0)) ms: $((q * 1000 / (t1 - t0 + 1))) requests/s"
say "R3 busy (table full) $(jq .gw_busy <<<"$st"), rate-limited $(jq .rx_rate_limited <<<"$st"), temp filters $(jq .gw_temp_filters <<<"$st")"
say "R3 VmRSS $r0 kB -> $(rss r3) kB (max-pending 65536)"
say "filters in R3's kernel now: $("$MTFCTL" -n "$r3" -j config show | jq .filters)"

# Baseline: the kernel's own filter installation rate, through mtfctl -b.
for i in $(seq 1 "$N"); do
	printf 'filter add %s/0x%08x,%s/%s src * dst 10.9.0.2 drop timeout 60s\n' $R1 $i $R3 $M3
done >"$TMP/batch"
t0=$(date +%s%3N)
"$MTFCTL" -n "$r3" -b "$TMP/batch" >/dev/null
t1=$(date +%s%3N)
say "baseline: mtfctl -b installs $N filters in $((t1 - t0)) ms: $((N * 1000 / (t1 - t0 + 1))) filters/s"

say ""
say "== R1: 10000 valid handshake requests (stateless)"
r0=$(rss r1) a0=$(ctl r1 -j request stats | jq .ag_nonces_sent)
ip netns exec "$r3" "$MSG" -d $R1 -t hs_request -D $V -S 10.7.0.200/32 -p $R1:$M1 -p $R3:$M3 -A block -a 10.0.13.3 -c 10000
sleep 3
say "R1 sent $(( $(ctl r1 -j request stats | jq .ag_nonces_sent) - a0 )) nonces; VmRSS $r0 kB -> $(rss r1) kB; entries in its tables: $(ctl r1 -j request show | jq '.filters | length') filters"
