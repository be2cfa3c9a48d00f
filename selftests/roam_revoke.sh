#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Revocation reaches the gates directly, without a revoke hook: authd
# streams revocations on its admin socket ("watch revocations"), each
# roamd blocks the client in its roam.ko gate over generic netlink.
#
#   cl   alice 10.0.1.1 --.          .-- srv1 10.0.21.1:8000  roam.ko gate, roamd
#                          +-- rt ---+
#   auth authd 10.0.5.1 --'          '-- srv2 10.0.22.1:8000  roam.ko gate, roamd
#                 admin socket <------ both roamds (watch revocations)
#
# Checks, with exact counts: alice (subscribed) reaches the active
# server; "authd-admin client revoke alice" makes her BLOCKED at both
# gates within a bounded time (measured and printed); N packets to the
# service are then N client drops and N drop_blocked; each roamd counts
# what it did; a roamd that starts afresh (gate emptied) catches up.

. "$(dirname "$0")/lib.sh"

require_root
require_modules roam
require_cmd ip jq

ROAMD=$BINDIR/roamd AUTHD=$BINDIR/authd ADMIN=$BINDIR/authd-admin CLIENT=$BINDIR/roam-client
SPRAY=$TOP/build/selftests/udp_spray
for f in "$ROAMD" "$AUTHD" "$ADMIN" "$CLIENT" "$SPRAY" "$ROAMCTL"; do
	[ -x "$f" ] || skip_all "$f not built (make tools daemons)"
done

T=$(mktemp -d /tmp/roam_revoke.XXXXXX)
chmod 700 "$T"
mkdir -m 700 "$T/creds" "$T/run"
SOCK=$T/admin.sock
PORT=8000
AUTH=10.0.5.1 ALICE=10.0.1.1
declare -A SRV=([1]=10.0.21.1 [2]=10.0.22.1)
# Bound for "revoke -> blocked at both gates", polling included (an
# emulated VM; on hardware it takes milliseconds).
BLOCK_MAX_MS=3000
N=50

cleanup() {
	local ns
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	sleep 0.3
	cleanup_all_ns
	mod_unload roam
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

mod_load roam || exit $KSFT_FAIL

setup_topology() {
	local i
	setup_ns cl auth rt srv1 srv2 || return 1
	veth_pair "$cl" eth0 $ALICE/24 "$rt" vcl 10.0.1.254/24 || return 1
	veth_pair "$auth" eth0 $AUTH/24 "$rt" vauth 10.0.5.254/24 || return 1
	ip -n "$cl" route add default via 10.0.1.254 || return 1
	ip -n "$auth" route add default via 10.0.5.254 || return 1
	for i in 1 2; do
		local s=srv$i
		veth_pair "${!s}" eth0 ${SRV[$i]}/24 "$rt" s$i 10.0.2$i.254/24 || return 1
		ip -n "${!s}" route add default via 10.0.2$i.254 || return 1
	done
	ip netns exec "$rt" sysctl -qw net.ipv4.ip_forward=1
}
setup_topology || exit $KSFT_FAIL

adm() { "$ADMIN" -s "$SOCK" "$@"; }
gate_json() { ip netns exec "${!1}" "$ROAMCTL" -j "${@:2}"; }	# srvN args
client_field() {	# srvN field: alice's entry at that gate ("null": none)
	gate_json "$1" gate client show | jq -r --arg a $ALICE '.clients[$a].'"$2"
}
active_srv() {	# the srvN whose address the gates hold active
	local a i
	a=$(gate_json srv1 gate show | jq -r .active)
	for i in 1 2; do [ "${SRV[$i]}" = "$a" ] && echo srv$i; done
}
addr_of() { echo "${SRV[${1#srv}]}"; }
spray() {	# srvN count: UDP from alice to that server's service address
	ip netns exec "$cl" "$SPRAY" -d "$(addr_of "$1")" -s $ALICE -c "$2" -r 1000 -P $PORT
}

start_roamd() {	# i
	local s=srv$1
	(
		ip netns exec "${!s}" "$ROAMD" --ca "$T/creds/ca.crt" --cert "$T/creds/$s.crt" \
			--key "$T/creds/$s.key" -H $AUTH -P 7443 --self ${SRV[$1]}:$PORT \
			-s "$SOCK" --state-dir "$T/run" >>"$T/roamd$1.log" 2>&1 &
		echo $! >"$T/roamd$1.pid"
		wait $!
	) >/dev/null 2>&1 &	# run_test's output pipe must not stay open
	busywait 5000 test -s "$T/roamd$1.pid"
}

start_all() {
	# No --revoke-hook: the gates must hear of revocations from roamd.
	ip netns exec "$auth" "$AUTHD" -d "$T/authd" -l $AUTH:7443 -s "$SOCK" \
		--san "IP:$AUTH" -p ${SRV[1]}:$PORT -p ${SRV[2]}:$PORT \
		--min-ms 2000 --max-low-ms 4000 --max-high-ms 3000 --chain-len 100000 \
		>"$T/authd.log" 2>&1 &
	busywait 15000 test -S "$SOCK" || return 1
	for n in alice srv1 srv2; do
		adm client add $n -o "$T/creds" >/dev/null || return 1
	done
	start_roamd 1 && start_roamd 2
}

watching() { grep -q "watching revocations at" "$T/roamd$1.log"; }
epoch_set() { [ "$(gate_json "srv$1" gate show | jq -r .epoch)" -gt 0 ]; }

t_start() {
	local i
	for i in 1 2; do
		busywait 20000 epoch_set $i || { fail "srv$i: gate never set"; return 1; }
		busywait 10000 watching $i || { fail "roamd $i does not watch revocations"; return 1; }
		grep -h "watching revocations" "$T/roamd$i.log"
	done
	! grep -q "revoke hook" "$T/authd.log" || fail "authd runs a revoke hook"
}

sessions_ge() { [ "$(adm status | sed -n 's/^sessions //p')" -ge "$1" ]; }

# srvN: "passed drop_blocked drop_inactive alice's_drops" at that gate
counters() {
	local st d
	st=$(gate_json "$1" status | jq -r '.stats | "\(.pass_active + .pass_transition) \(.drop_blocked) \(.drop_inactive)"')
	d=$(client_field "$1" drops)
	echo "$st ${d/null/0}"
}

# Sends N packets from alice to the active server and prints its name
# and the deltas of its counters.  Baselines are read first, then the
# active server, then the packets go at once: a roam in between leaves
# them in the transition window (1 s), unless the emulator is slower
# than that: then they are inactive drops, and the caller tries again.
spray_active() {
	local -A c0
	local i s a b
	for i in 1 2; do c0[srv$i]=$(counters srv$i); done
	s=$(active_srv)
	spray "$s" $N >/dev/null || return 1
	read -r -a a <<<"${c0[$s]}"
	read -r -a b <<<"$(counters "$s")"
	echo "$s $((b[0] - a[0])) $((b[1] - a[1])) $((b[2] - a[2])) $((b[3] - a[3]))"
}

t_reach() {
	local s try r
	# alice subscribed: authd knows the address she comes from.
	ip netns exec "$cl" "$CLIENT" --ca "$T/creds/ca.crt" --cert "$T/creds/alice.crt" \
		--key "$T/creds/alice.key" -H $AUTH -P 7443 >"$T/alice.json" 2>&1 &
	busywait 10000 sessions_ge 3 || { fail "alice did not subscribe"; cat "$T/alice.json"; return 1; }
	busywait 5000 grep -q '"event":"epoch"' "$T/alice.json" || { fail "alice has no schedule"; return 1; }
	for s in srv1 srv2; do
		[ "$(client_field "$s" state)" = null ] ||
			{ fail "alice has an entry at $s before the revoke"; return 1; }
	done
	for try in 1 2 3; do
		read -r s r[0] r[1] r[2] r[3] <<<"$(spray_active)" || return 1
		echo "alice -> active $s ($(addr_of "$s")): $N sent; passed +${r[0]}," \
			"drop_blocked +${r[1]}, drop_inactive +${r[2]}"
		[ "${r[0]}" = $N ] && [ "${r[1]}" = 0 ] && return 0
		[ $((r[0] + r[2])) = $N ] || break	# else a roam raced the sends
	done
	fail "not exactly $N packets passed"
}

blocked_at() { [ "$(client_field "$1" state)" = blocked ]; }
blocked_both() { blocked_at srv1 && blocked_at srv2; }

t_revoke() {
	local t0 t1
	t0=$(date +%s%3N)
	adm client revoke alice || return 1
	busywait $((BLOCK_MAX_MS + 2000)) blocked_both ||
		{ fail "alice not blocked at both gates"; tail -3 "$T"/roamd*.log; return 1; }
	t1=$(date +%s%3N)
	echo "alice revoked: BLOCKED at both gates $((t1 - t0)) ms after the revoke (bound $BLOCK_MAX_MS ms)"
	grep -h "client alice revoked at authd" "$T"/roamd*.log
	[ $((t1 - t0)) -le $BLOCK_MAX_MS ] || fail "took $((t1 - t0)) ms"
}

t_drops() {
	local s try r
	for try in 1 2 3; do
		read -r s r[0] r[1] r[2] r[3] <<<"$(spray_active)" || return 1
		echo "alice -> active $s ($(addr_of "$s")): $N sent; passed +${r[0]}," \
			"drop_blocked +${r[1]}, alice's drops +${r[3]}, drop_inactive +${r[2]}"
		[ "${r[1]}" = $N ] && [ "${r[3]}" = $N ] && [ "${r[0]}" = 0 ] && return 0
		[ $((r[1] + r[2])) = $N ] || break	# else a roam raced the sends
	done
	fail "not exactly $N drops of the blocked client"
}

t_counters() {
	local i line
	for i in 1 2; do
		kill -HUP "$(cat "$T/roamd$i.pid")"
		busywait 3000 grep -q "revocations 1 (watching: yes), gate blocks 1, errors 0" "$T/roamd$i.log" ||
			{ fail "roamd $i counters: $(grep revocations "$T/roamd$i.log" | tail -1)"; return 1; }
		line=$(grep "revocations 1 (watching" "$T/roamd$i.log" | tail -1)
		echo "roamd $i: ${line#*threat raised: }"
	done
}

t_catch_up() {
	local t0 t1
	kill "$(cat "$T/roamd2.pid")"
	busywait 5000 bash -c "! kill -0 $(cat "$T/roamd2.pid") 2>/dev/null" || { fail "roamd 2 does not stop"; return 1; }
	cmd ip netns exec "$srv2" "$ROAMCTL" gate client flush || return 1
	[ "$(client_field srv2 state)" = null ] || { fail "flush left alice's entry"; return 1; }
	rm -f "$T/roamd2.pid"
	t0=$(date +%s%3N)
	start_roamd 2 || return 1
	busywait $((BLOCK_MAX_MS + 5000)) blocked_at srv2 ||
		{ fail "a restarted roamd did not block alice"; tail -5 "$T/roamd2.log"; return 1; }
	t1=$(date +%s%3N)
	grep "revoked clients before" "$T/roamd2.log" | tail -1
	echo "restarted roamd 2: alice BLOCKED again $((t1 - t0)) ms after its start"
	grep -q "1 revoked clients before, 1 gate entries set" "$T/roamd2.log" ||
		fail "catch-up did not list alice with her address"
}

t_stop() {
	local i rc=0
	for i in 1 2; do
		kill -0 "$(cat "$T/roamd$i.pid")" 2>/dev/null || { fail "roamd $i died"; rc=1; }
	done
	kill -0 "$(ip netns pids "$auth" | head -1)" || { fail "authd died"; rc=1; }
	grep -h "error" "$T"/roamd*.log | head -5
	return $rc
}

ktap_header 7
start_all || { cat "$T/authd.log"; exit $KSFT_FAIL; }
run_test "authd (no revoke hook), 2 roamd watching revocations" t_start
run_test "subscribed alice: $N packets reach the active server" t_reach
run_test "client revoke: BLOCKED at both gates within $BLOCK_MAX_MS ms" t_revoke
run_test "blocked: $N packets = $N client drops = $N drop_blocked" t_drops
run_test "roamd counts: 1 revocation, 1 gate block, 0 errors" t_counters
run_test "a restarted roamd catches up (emptied gate blocked again)" t_catch_up
run_test "daemons alive" t_stop
if [ $_ktap_fail -ne 0 ]; then
	for f in "$T"/roamd*.log "$T/authd.log"; do
		echo "# $f:"; tail -n 25 "$f" 2>/dev/null | sed 's/^/#   /'
	done
fi
ktap_finish
