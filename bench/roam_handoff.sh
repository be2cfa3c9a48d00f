#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The live TCP handoff's benchmark (issue 12), in one VM (make
# bench-roam-handoff), on the roaming paper's testbed (selftests/roam_topo.lib:
# the client alice behind r1, 5 ms each way r1-r2, three pool servers behind
# 1 Mb/s tbf links, each with roam.ko, roamd --migrate-key and
# roam-fileserver; authd with the same key):
#
#   alice 10.0.1.1 -- r1 -- 5 ms -- r2 =1 Mb/s= srv1 10.0.21.1 / srv2 .22.1 / srv3 .23.1
#                                                   |             |             |
#                            handoff channel (MGMT=1): bridge, 10.0.99.1 / .2 / .3
#
# 1. Stall distribution: one roam-fetch --handoff download read at RATE
#    (below the bottleneck: the stall, not the link's queue, is measured)
#    across >= 20 moves (epochs 2-2.5 s); per move roam.ko's CONFIRMED
#    event (stall_ns: the restored socket's MIGRATING -> the client's first
#    segment at the new server) and the gap the client saw on the wire
#    (packet socket: last data segment from the old server -> first from
#    the new one); baseline: the client's ping RTT to the servers, same run.
# 2. Response time: the paper's 1 Mbit file f1, RT_N transfers each way,
#    sequential, in alternating batches of RT_BATCH: roam-fetch --handoff
#    (live handoff) and roam-fetch with roam.ko's client side off (the
#    paper's fresh-connection migration), through the 1 Mb/s links; 2a
#    with the servers' default tcp_wmem, 2b with it capped (WMEM2) so
#    that the file server still holds the file at a roam.
# 3. CONNS concurrent negotiated connections (python, one process; their
#    requests sent, data not read) move in one roam: the time from the roam
#    until the new server's roam.ko counted CONNS CONFIRMED (and the
#    client's CONNS verified MIGRATE), CPU of both roamds and file servers,
#    of the whole VM; then every connection read to the end and checked.
#    Shaping off, epochs 14-16 s, fresh daemons (--handoff-max-conns 4096).
# Results: $VM_OUT/roam_handoff.txt (raw JSON and logs in $VM_OUT/roam_handoff/);
# bench/RESULTS.md.  PARTS="1 2 3" picks the parts; ~6.5 min under TCG.

. "$(dirname "$0")/../selftests/lib.sh"
. "$TOP/selftests/roam_topo.lib"

RATE=${RATE:-80000}		# part 1: bytes/s the client reads
BIG_MB=${BIG_MB:-4}		# part 1: the file (MiB): BIG_MB / RATE s long
RT_N=${RT_N:-30} RT_BATCH=${RT_BATCH:-10}
CONNS=${CONNS:-1000} CONN_KB=${CONN_KB:-64} WMEM3=${WMEM3:-4096 8192 8192}
MGMT=${MGMT:-1}			# 1: the handoff channel on its own network
PARTS=${PARTS:-1 2 3}		# which parts to run
ROAMD_V=${ROAMD_V:-}		# -v: roamd's per-handoff timings in its log
HELPER=$TOP/bench/roam_handoff.py

require_root
require_modules roam
require_cmd ip jq python3 tc ping pgrep sha256sum
for f in "$AUTHD" "$ROAMD" "$FILESERVER" "$FETCH"; do
	[ -x "$f" ] || skip_all "$f not built (make tools daemons)"
done

T=$(mktemp -d)
chmod 700 "$T"
OUT=${VM_OUT:+$VM_OUT/roam_handoff}
cleanup() {
	local d
	if [ -n "$OUT" ]; then
		cp "$T"/*.json "$OUT/" 2>/dev/null
		for d in "$T"/p*/; do
			for f in "$d"*.log "$d"events?; do
				[ -f "$f" ] && cp "$f" "$OUT/$(basename "$d")-$(basename "$f")"
			done
		done
	fi
	roam_topo_cleanup
}
trap cleanup EXIT
[ -n "$OUT" ] && { rm -rf "$OUT"; mkdir -p "$OUT"; : >"$OUT.txt"; }
say() { echo "$*"; [ -z "$OUT" ] || echo "$*" >>"$OUT.txt"; return 0; }
die() { say "FAILED: $*"; exit $KSFT_FAIL; }

# 1000 connections: an fd each in the client, the file server and roamd.
ulimit -n 65536

roam_topo_setup || die "topology"
# The handoff channel's own network (MGMT=1): a bridge in namespace mg,
# srvN at 10.0.99.N.  Without it the channel runs over the 1 Mb/s links,
# and a connection's queues (100-170 KB here) take a second to cross.
if [ "$MGMT" = 1 ]; then
	setup_ns mg || die "mg"
	ip -n "$mg" link add br0 type bridge && ip -n "$mg" link set br0 up || die "bridge"
	for i in 1 2 3; do
		s=srv$i
		ip link add m$i netns "$mg" type veth peer name eth1 netns "${!s}" &&
		ip -n "$mg" link set m$i master br0 && ip -n "$mg" link set m$i up &&
		ip -n "${!s}" addr add 10.0.99.$i/24 dev eth1 && ip -n "${!s}" link set eth1 up ||
			die "mgmt link $i"
	done
fi
# mgmt_args N: roamd's channel options for server N
mgmt_args() {
	local j
	[ "$MGMT" = 1 ] || return 0
	echo "--handoff-listen 10.0.99.$1:7444"
	for j in 1 2 3; do
		[ "$j" = "$1" ] || echo "--handoff-peer ${SRV[$j]}:$PORT=10.0.99.$j:7444"
	done
}
head -c $((BIG_MB << 20)) /dev/urandom >"$T/files/big"
head -c $((CONN_KB << 10)) /dev/urandom >"$T/files/c"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/kmig"
echo >>"$T/kmig"
chmod 600 "$T/kmig"
sha() { sha256sum <"$T/files/$1" | cut -c1-64; }

# start_pool TAG MIN_MS MAX_MS ROAMD_ARGS...: authd and three roamds, all
# with the handoff key; the pool's files under $T/TAG.
start_pool() {
	local tag=$1 min=$2 max=$3 i s n
	shift 3
	D=$T/$tag SOCK=$T/$tag/admin.sock
	mkdir -m 700 "$D" "$D/creds" "$D/run" || return 1
	ip netns exec "$auth" "$AUTHD" -d "$D/authd" -l $AUTH:7443 -s "$SOCK" --san "IP:$AUTH" \
		-p ${SRV[1]}:$PORT -p ${SRV[2]}:$PORT -p ${SRV[3]}:$PORT --chain-len 100000 \
		--min-ms "$min" --max-low-ms "$max" --max-high-ms "$max" --migrate-key "$T/kmig" \
		>"$D/authd.log" 2>&1 &
	busywait 15000 test -S "$SOCK" || { cat "$D/authd.log"; return 1; }
	for n in alice srv1 srv2 srv3; do
		actl client add $n dir "$D/creds" >/dev/null || return 1
	done
	"$AUTHD" -q -d "$D/authd" --print-schedule 1:5000 >"$D/schedule" || return 1
	for i in 1 2 3; do
		s=srv$i
		ip netns exec "${!s}" "$ROAMCTL" -j monitor >"$D/events$i" 2>&1 &
		ip netns exec "${!s}" "$ROAMD" --ca "$D/creds/ca.crt" --cert "$D/creds/$s.crt" \
			--key "$D/creds/$s.key" -H $AUTH -P 7443 --self "${SRV[$i]}:$PORT" -s none \
			--state-dir "$D/run" --migrate-key "$T/kmig" $ROAMD_V $(mgmt_args $i) "$@" \
			-- "$FILESERVER" -l "${SRV[$i]}:$PORT" -d "$T/files" -m 4096 \
			>"$D/roamd$i.log" 2>&1 &
	done
	busywait 15000 sh -c "grep -q 'live handoff on' $D/roamd1.log &&
		grep -q 'live handoff on' $D/roamd2.log && grep -q 'live handoff on' $D/roamd3.log" ||
		{ cat "$D"/roamd*.log; return 1; }
}

stop_pool() {
	local ns
	for ns in "$auth" "$srv1" "$srv2" "$srv3"; do
		ip netns pids "$ns" | xargs -r kill 2>/dev/null
	done
	sleep 1
}

fetch_al() {	# OUT ARGS...: roam-fetch as alice, its JSON lines in OUT
	local out=$1; shift
	ip netns exec "$cl" "$FETCH" --ca "$D/creds/ca.crt" --cert "$D/creds/alice.crt" \
		--key "$D/creds/alice.key" -H $AUTH -P 7443 -q "$@" >>"$out" 2>>"$out.err"
}

# stats: min median p90 max mean of the numbers on stdin
stats() {
	sort -g | awk '{ v[NR] = $1; s += $1 }
		END { if (!NR) { print "-"; exit }
		      printf "n=%d min %.1f median %.1f p90 %.1f max %.1f mean %.1f\n", NR, v[1],
			v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.999)], v[NR], s / NR }'
}
# tcp_srv NAME: the three servers' retransmission counters summed, in $T/NAME
tcp_srv() {
	local i s
	for i in 1 2 3; do
		s=srv$i
		ip netns exec "${!s}" cat /proc/net/snmp /proc/net/netstat
	done | awk '$1 in seen { p = substr($1, 1, length($1) - 1)
			for (i = 2; i <= NF; i++) v[p name[$1, i]] += $i; next }
		{ seen[$1] = 1; for (i = 2; i <= NF; i++) name[$1, i] = $i }
		END { for (k in v) if (k ~ /^Tcp(RetransSegs|ExtTCPTimeouts|ExtTCPLossProbes|ExtTCPSackRecovery|ExtTCPRenoRecovery|ExtTCPSpuriousRTOs|ExtTCPLostRetransmit)$/) print k, v[k] }' |
		sort >"$T/$1"
}
tcp_delta() { join "$T/$1" "$T/$2" | awk '{ printf "%s %d  ", $1, $3 - $2 }'; }
med() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

say "# roam_handoff.sh on $(uname -r), $(date -u '+%F %T') UTC; host load (guest view): $(cut -d' ' -f1-3 /proc/loadavg)"
say "# RATE=$RATE BIG_MB=$BIG_MB RT_N=$RT_N RT_BATCH=$RT_BATCH CONNS=$CONNS CONN_KB=$CONN_KB MGMT=$MGMT"

part() { [[ " $PARTS " == *" $1 "* ]]; }
if part 1 || part 2; then
	start_pool p12 2000 2500 || die "the pool did not start"
fi

# ---- 1. stall distribution
if part 1; then
for i in 1 2 3; do
	ip netns exec "$cl" ping -c 10 -i 0.2 -W 1 "${SRV[$i]}" | sed -n 's/.*time=\([0-9.]*\).*/\1/p'
done >"$T/ping"
RTT=$(med <"$T/ping")
say "== 1. stall per move; client RTT to the servers (ping, idle links): $(stats <"$T/ping") ms"
[ -n "$RTT" ] || die "no ping answer"
tcp_srv snap0
cctr0=$(ip netns exec "$cl" "$ROAMCTL" -j status | jq -c .stats)
ip netns exec "$cl" python3 "$HELPER" sniff eth0 $PORT "$T/sniff" &
SNIFF=$!
t=$(date +%s%3N)
fetch_al "$T/long.json" --handoff -f big --rate "$RATE" --rcvbuf 65536 --stall-ms 4000 \
	-t 600000 --sha256 "$(sha big)"
rc=$?
say "part 1 took $(( $(date +%s%3N) - t )) ms"
kill $SNIFF; wait $SNIFF
tcp_srv snap1
j=$(jq -c 'select(.event == "transfer")' "$T/long.json")
say "roam-fetch: $(jq -c 'del(.sha256, .servers)' <<<"$j")"
[ $rc = 0 ] && [ "$(jq -r .ok <<<"$j")" = true ] || { cat "$T/long.json.err"; die "download (rc $rc)"; }
t0=$(jq -r .start_ms <<<"$j")
t1=$((t0 + $(jq -r .ms <<<"$j")))
moves=$(jq -s "[. as \$e | range(1; length) | select(\$e[.].start_ms > $t0 + 200 and
	\$e[.].start_ms < $t1 - 200 and \$e[.].addr != \$e[. - 1].addr)] | length" "$D/schedule")
say "moves (roams to another server) inside the transfer: $moves; handoffs: $(jq .handoffs <<<"$j")"
# Every CONFIRMED so far is this part's: nothing moved before it.
cat "$D"/events? | jq -r 'select(.event == "conn_confirmed") | .stall_ns / 1e6' >"$T/stalls"
S=$(stats <"$T/stalls")
say "roam.ko stall, MIGRATING -> client's first segment (ms): $S"
ms=$(med <"$T/stalls")
say "median stall vs RTT + 5 ms: $ms vs $(awk "BEGIN { print $RTT + 5 }") ms: $(awk "BEGIN { print ($ms <= $RTT + 5) ? \"within\" : \"ABOVE\" }")"
python3 "$HELPER" gaps "$T/sniff" "$D/schedule" "$t0" "$t1" >"$T/gaps.json"
say "client-observed gap, last data from the old server -> first from the new (ms): $(jq '.moves[].gap_ms' "$T/gaps.json" | stats)"
say "  first data from the new server after the roam time (ms): $(jq '.moves[].first_new_after_roam_ms' "$T/gaps.json" | stats)"
say "  the new server's first segment (the window probe) after the roam time (ms): $(jq '.moves[].probe_after_roam_ms' "$T/gaps.json" | stats)"
say "  old server's data segments after the probe (roam.ko drops them once moved), per move: $(jq '.moves[].old_data_after_probe' "$T/gaps.json" | stats)"
say "  baseline inter-arrival of data segments: $(jq -c .baseline "$T/gaps.json")"
say "  servers' TCP counters (sum of the three): $(tcp_delta snap0 snap1)"
say "  client roam.ko counters (delta, non-zero): $(ip netns exec "$cl" "$ROAMCTL" -j status |
	jq -c --argjson a "$cctr0" '.stats | with_entries(.value -= ($a[.key] // 0)) | with_entries(select(.value != 0))')"
say "  per move (gap ms): $(jq -r '[.moves[].gap_ms] | map(tostring) | join(" ")' "$T/gaps.json")"
say "  per move (stall ms): $(xargs printf '%.1f ' <"$T/stalls")"
fi

# ---- 2. response time of f1, live handoff vs fresh connections
# rt_summary FILE: the transfers of FILE; "spanning a roam" by the schedule
# (a roam inside [start, start + ms]), whatever the client did at it.
rt_summary() {
	local f=$1 sel span
	sel='select(.event == "transfer")'
	span="$sel | select(.ok) | (.start_ms) as \$s | (.start_ms + .ms) as \$e |
		{ms, span: ([\$sch[] | select(.start_ms > \$s and .start_ms < \$e)] | length > 0)}"
	say "  ok $(jq -s "[.[] | $sel | select(.ok)] | length" "$f") of $(jq -s "[.[] | $sel] | length" "$f");" \
		"ms: $(jq "$sel | select(.ok) | .ms" "$f" | stats)"
	say "  per transfer: migrations $(jq -s "[.[] | $sel | .migrations] | add / length" "$f")," \
		"handoffs $(jq -s "[.[] | $sel | .handoffs] | add / length" "$f")," \
		"reconnects $(jq -s "[.[] | $sel | .reconnects] | add / length" "$f")"
	say "  spanning a roam: $(jq --slurpfile sch "$D/schedule" "$span | select(.span) | .ms" "$f" | stats)"
	say "  not spanning one: $(jq --slurpfile sch "$D/schedule" "$span | select(.span | not) | .ms" "$f" | stats)"
}
okms() { jq 'select(.event == "transfer" and .ok) | .ms' "$1"; }
ratio() { awk "BEGIN { printf \"%.3f\", $1 / $2 }"; }
mean() { awk '{ s += $1 } END { print s / NR }'; }

# rt_run TAG TITLE: RT_N transfers of f1 each way, alternating batches
rt_run() {
	local tag=$1 b t
	say ""
	say "== $2"
	: >"$T/rt_fresh_$tag.json"
	: >"$T/rt_ho_$tag.json"
	t=$(date +%s%3N)
	for b in $(seq 1 $((RT_N / RT_BATCH))); do
		ip netns exec "$cl" "$ROAMCTL" migrate set client off >/dev/null || die "client off"
		fetch_al "$T/rt_fresh_$tag.json" -f f1 -r "$RT_BATCH" --sha256 "$(sha f1)" ||
			say "fresh batch $b: rc $?"
		fetch_al "$T/rt_ho_$tag.json" --handoff -f f1 -r "$RT_BATCH" --sha256 "$(sha f1)" ||
			say "handoff batch $b: rc $?"
	done
	say "took $(( $(date +%s%3N) - t )) ms"
	say "fresh-connection migration (roam.ko client side off):"
	rt_summary "$T/rt_fresh_$tag.json"
	say "live handoff (roam-fetch --handoff):"
	rt_summary "$T/rt_ho_$tag.json"
	say "ratio handoff/fresh: mean $(ratio "$(okms "$T/rt_ho_$tag.json" | mean)" "$(okms "$T/rt_fresh_$tag.json" | mean)")," \
		"median $(ratio "$(okms "$T/rt_ho_$tag.json" | med)" "$(okms "$T/rt_fresh_$tag.json" | med)")"
}

# srv_wmem "MIN DEF MAX": the servers' tcp_wmem (per namespace)
srv_wmem() {
	local i s
	for i in 1 2 3; do
		s=srv$i
		ip netns exec "${!s}" sysctl -qw net.ipv4.tcp_wmem="$1" || return 1
	done
}

if part 2; then
	rt_run def "2a. response time of f1 (125000 B) through 1 Mb/s, epochs 2-2.5 s: $RT_N each way, batches of $RT_BATCH; servers' tcp_wmem default ($(ip netns exec "$srv1" sysctl -n net.ipv4.tcp_wmem | tr '\t' ' '))"
	# The file server hands a socket the whole file when its send buffer
	# takes it: then nothing of it is left to hand over (below).
	WMEM2=${WMEM2:-4096 16384 32768}
	srv_wmem "$WMEM2" || die "tcp_wmem"
	rt_run cap "2b. the same with the servers' tcp_wmem at $WMEM2 (the file server still holds most of f1 at a roam)"
	srv_wmem "$(ip netns exec "$cl" sysctl -n net.ipv4.tcp_wmem | tr '\t' ' ')"
fi

# ---- 3. CONNS connections in one roam
part 3 || exit 0
say ""
say "== 3. $CONNS connections ($CONN_KB KiB file, client SO_RCVBUF 4096, not read) in one roam; no shaping, epochs 14-16 s, servers' tcp_wmem $WMEM3"
stop_pool
# A small send buffer: what moves is mostly the file server's offset,
# the queues stay at a few KiB a connection.
srv_wmem "$WMEM3" || die "tcp_wmem"
for i in 1 2 3; do
	s=srv$i
	tc -n "$r2" qdisc del dev s$i root
	tc -n "${!s}" qdisc del dev eth0 root
done
start_pool p3 14000 16000 --handoff-max-conns 4096 --handoff-timeout-ms 60000 ||
	die "the pool did not start again"
# Loads the new authd's id and key into the client's roam.ko.
fetch_al "$T/warm.json" --handoff -f f1 --sha256 "$(sha f1)" || die "warm-up fetch"
t=$(date +%s%3N)
ip netns exec "$cl" python3 "$HELPER" conns "$D/schedule" "$ROAMCTL" "$CONNS" "$(sha c)" \
	$((CONN_KB << 10)) "$T/conns.json" \
	${SRV[1]}=$srv1 ${SRV[2]}=$srv2 ${SRV[3]}=$srv3 >"$T/conns.out" 2>&1
rc=$?
while read -r l; do say "$l"; done <"$T/conns.out"
say "part 3 took $(( $(date +%s%3N) - t )) ms"
for ns in "$srv1" "$srv2" "$srv3"; do	# roamd logs its handoff counters
	for p in $(ip netns pids "$ns"); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = roamd ] && kill -HUP "$p"
	done
done
sleep 0.5
grep -h "handoff:.*connections\|handoffs out\|warn" "$D"/roamd?.log | grep -v " 0 conn" | sort | uniq -c | sort -rn | head -20 |
	while read -r l; do say "  log: $l"; done
[ $rc = 0 ] || die "part 3 (rc $rc)"
exit 0
