#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The roam gate on a firewall in front of a pool of three servers:
#
#   cl1 (10.0.1.1) ----.                     .---- (10.0.21.1) srv1
#   cl2 (10.0.3.1) ----+---- fw (roam.ko) ---+---- (10.0.22.1) srv2
#   atk (10.0.4.1) ----'     gate on         '---- (10.0.23.1) srv3
#                            PRE_ROUTING
#
# Pool: the three server addresses.  Traffic to the active one passes, to
# the others is dropped; after a roam the previous one passes for the
# transition window; service ports narrow what is gated; blocked clients
# are dropped, clients over their contract are dropped and reported once
# (roamctl monitor); a flood at inactive addresses raises an attack
# event.  Ends by deleting a configured namespace and unloading the module
# with state present.

. "$(dirname "$0")/lib.sh"

require_root
require_modules roam
require_cmd ip jq ping iperf3 setpriv

S1=10.0.21.1 S2=10.0.22.1 S3=10.0.23.1
C1=10.0.1.1 C2=10.0.3.1
SEND=${ST_BIN:-$TOP/build/selftests}/mtf_send
MON_OUT=$(mktemp)
# Tests run in subshells (run_test): the monitor's pid goes through a file.
MON_PID=$(mktemp)

cleanup() {
	[ -s "$MON_PID" ] && kill "$(cat "$MON_PID")" 2>/dev/null
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	cleanup_all_ns
	mod_unload roam
	rm -f "$MON_OUT" "$MON_PID"
}
trap cleanup EXIT

mod_load roam || exit $KSFT_FAIL

setup_topology() {
	local i
	setup_ns cl1 cl2 atk fw srv1 srv2 srv3 || return 1
	veth_pair "$cl1" eth0 $C1/24 "$fw" c1 10.0.1.254/24 || return 1
	veth_pair "$cl2" eth0 $C2/24 "$fw" c2 10.0.3.254/24 || return 1
	veth_pair "$atk" eth0 10.0.4.1/24 "$fw" a1 10.0.4.254/24 || return 1
	for i in 1 2 3; do
		eval "veth_pair \"\$srv$i\" eth0 10.0.2$i.1/24 \"\$fw\" s$i 10.0.2$i.254/24" || return 1
		eval "ip -n \"\$srv$i\" route add default via 10.0.2$i.254" || return 1
		eval "ip netns exec \"\$srv$i\" iperf3 -s -D -B 10.0.2$i.1" >/dev/null || return 1
	done
	ip -n "$cl1" route add default via 10.0.1.254 || return 1
	ip -n "$cl2" route add default via 10.0.3.254 || return 1
	ip -n "$atk" route add default via 10.0.4.254 || return 1
	ip netns exec "$fw" sysctl -qw net.ipv4.ip_forward=1
}
setup_topology || exit $KSFT_FAIL

fwctl() {
	cmd ip netns exec "$fw" "$ROAMCTL" "$@"
}

st() {	# counter
	jget "$fw" "$ROAMCTL" ".stats.$1"
}

gate() {	# jq filter on gate show
	ip netns exec "$fw" "$ROAMCTL" -j gate show | jq -er "$1"
}

reach() {	# ns addr: one ping gets an answer
	ip netns exec "$1" ping -c 1 -W 1 -q "$2" >/dev/null 2>&1
}

reach_n() {	# ns addr count: every one of count pings answered
	ip netns exec "$1" ping -c "$3" -i 0.05 -W 1 -q "$2" >/dev/null 2>&1
}

udp_send() {	# ns addr port count
	ip netns exec "$1" bash -c "for ((i = 0; i < $4; i++)); do echo x >/dev/udp/$2/$3; done" 2>/dev/null
}

tcp_segs() {	# ns: TCP segments sent (OutSegs excludes retransmissions)
	ip netns exec "$1" awk '/^Tcp:/ { if (h) print $12 + $13; h = 1 }' /proc/net/snmp
}

tcp_ok() {	# ns addr port: TCP connects within 4 s (emulated VMs are slow)
	ip netns exec "$1" timeout 4 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null
}

# ---------------------------------------------------------------- tests

test_configure() {
	fwctl gate set pool $S1,$S2,$S3 active $S1 window 5000 epoch 1 || return 1
	fwctl gate show || return 1
	[ "$(gate .active)" = $S1 ] || fail "active is not $S1" || return 1
	[ "$(gate '.pool | join(",")')" = "$S1,$S2,$S3" ] || fail "pool not as set" || return 1
	[ "$(gate '.ports | length')" = 0 ] || fail "ports not [] (every port)"
}

# grew COUNTER cmd...: run cmd, print how much COUNTER grew; cmd's status
grew() {
	local c=$1 a b rc=0; shift
	a=$(st "$c") || return 2
	"$@" || rc=$?
	b=$(st "$c") || return 2
	echo $((b - a))
	return $rc
}

test_active_only() {
	local n s0 s1
	# Every packet the client sends is counted once: exact figures, but
	# for TCP (below).
	n=$(grew pass_active reach_n "$cl1" $S1 5) || fail "active server $S1 unreachable" || return 1
	[ "$n" = 5 ] || fail "5 pings to the active $S1: pass_active +$n" || return 1
	n=$(grew drop_inactive reach "$cl1" $S2) && fail "inactive $S2 answered" && return 1
	[ "$n" = 1 ] || fail "1 ping to inactive $S2: drop_inactive +$n" || return 1
	n=$(grew drop_inactive reach "$cl1" $S3) && fail "inactive $S3 answered" && return 1
	[ "$n" = 1 ] || fail "1 ping to inactive $S3: drop_inactive +$n" || return 1
	n=$(grew drop_inactive udp_send "$cl1" $S3 53 20)
	[ "$n" = 20 ] || fail "20 UDP to inactive $S3: drop_inactive +$n" || return 1
	# TCP: SYN, ACK, FIN and the last ACK from the client (an RST from
	# iperf3 spares the last), plus what retransmits a slow emulator
	# provokes: bounded, not exact.
	n=$(grew pass_active tcp_ok "$cl1" $S1 5201) || fail "TCP to the active server failed" || return 1
	echo "one TCP connection to the active server: pass_active +$n"
	[ "$n" -ge 3 ] && [ "$n" -le 8 ] || fail "pass_active +$n, not 3..8" || return 1
	# Unanswered SYNs within tcp_ok's 4 s: how many depends on the
	# kernel (6.12 retries linearly) and the emulator's pace, so the
	# client's own count is the expected figure: every TCP segment it
	# sends (OutSegs + RetransSegs) is one drop.
	s0=$(tcp_segs "$cl1") || return 1
	n=$(grew drop_inactive tcp_ok "$cl1" $S2 5201) && fail "TCP to inactive $S2 connected" && return 1
	s1=$(tcp_segs "$cl1") || return 1
	echo "SYNs to an inactive server: client sent $((s1 - s0)), drop_inactive +$n"
	[ "$n" = $((s1 - s0)) ] && [ "$n" -ge 2 ] || fail "drop_inactive +$n, client sent $((s1 - s0))"
}

test_transition_window() {
	local t0 t1 left
	t0=$(st pass_transition) || return 1
	fwctl gate set active $S2 epoch 2 || return 1
	# Probe first: the window (5 s) is long, but an emulated VM is slow.
	reach "$cl1" $S1 || fail "old server unreachable inside the window" || return 1
	reach "$cl1" $S2 || fail "new server unreachable" || return 1
	left=$(gate .window_left_ms) || return 1
	echo "previous $(gate .previous), window_left_ms $left"
	[ "$(gate .previous)" = $S1 ] || fail "previous is not $S1" || return 1
	t1=$(st pass_transition) || return 1
	# The one ping to the old server since t0.
	[ $((t1 - t0)) = 1 ] || fail "pass_transition +$((t1 - t0)), not 1" || return 1
	busywait 8000 sh -c "[ \$(ip netns exec $fw $ROAMCTL -j gate show | jq .window_left_ms) = 0 ]" ||
		fail "window still open after 8 s" || return 1
	! reach "$cl1" $S1 || fail "old server still reachable after the window"
}

test_service_ports() {
	local d0 d1 d2
	fwctl gate set ports udp/53,tcp/5201 || return 1
	[ "$(gate '.ports | join(",")')" = "udp/53,tcp/5201" ] || fail "ports not as set" || return 1
	# ICMP is not a service protocol now: untouched, even to inactive.
	reach "$cl1" $S3 || fail "ping to inactive $S3 dropped despite ports" || return 1
	! tcp_ok "$cl1" $S3 5201 || fail "TCP/5201 to inactive $S3 passed" || return 1
	d0=$(st drop_inactive) || return 1
	udp_send "$cl1" $S3 53 10
	d1=$(st drop_inactive) || return 1
	udp_send "$cl1" $S3 54 10
	d2=$(st drop_inactive) || return 1
	echo "udp/53: drop_inactive +$((d1 - d0)); udp/54: +$((d2 - d1))"
	[ $((d1 - d0)) = 10 ] || fail "udp/53 to inactive: drop_inactive +$((d1 - d0)), not 10" || return 1
	[ $((d2 - d1)) = 0 ] || fail "udp/54 (not a service port) dropped" || return 1
	fwctl gate set ports all
}

# A path header (IP protocol 253) in front of the transport must not hide
# the ports from the gate: mtf.ko would strip it at the server and hand the
# UDP inside to an inactive server.  Raw packets from mtf_send; the UDP
# checksum 0 (none) is valid over IPv4.
test_path_header_ports() {
	local d0 d1 d2 slot=11101100$(printf '%016x' 0)
	[ -x "$SEND" ] || fail "$SEND not built" || return 1
	fwctl gate set ports udp/53 || return 1
	d0=$(st drop_inactive) || return 1
	# header (next UDP, v1, size 1, pointer 1, one empty slot) + UDP to 53
	ip netns exec "$cl1" "$SEND" $C1 $S3 ${slot}30390035000c0000abcd || return 1
	d1=$(st drop_inactive) || return 1
	ip netns exec "$cl1" "$SEND" $C1 $S3 ${slot}30390036000c0000abcd || return 1
	d2=$(st drop_inactive) || return 1
	echo "path header + udp/53 to inactive: drop_inactive +$((d1 - d0)); + udp/54: +$((d2 - d1))"
	[ $((d1 - d0)) = 1 ] || fail "path header hid udp/53 from the gate" || return 1
	[ $((d2 - d1)) = 0 ] || fail "path header + udp/54 (not a service port) dropped" || return 1
	fwctl gate set ports all
}

# One gate set with a new pool and a new active: the old active left the
# pool, so it is not "previous" (no transition window for it).
test_pool_change() {
	local t0 t1 p
	t0=$(st pass_transition) || return 1
	fwctl gate set pool $S3,$S1 active $S3 epoch 10 || return 1
	p=$(gate '.previous // "none"') || true
	[ "$p" = none ] || fail "previous is $p, not none" || return 1
	reach "$cl1" $S3 || fail "new active $S3 unreachable" || return 1
	t1=$(st pass_transition) || return 1
	[ "$t1" = "$t0" ] || fail "pass_transition +$((t1 - t0)) for an address out of the pool" || return 1
	fwctl gate set active $S1 epoch 11 || return 1
	[ "$(gate .previous)" = $S3 ] || fail "previous after a roam in the pool: $(gate .previous)" || return 1
	fwctl gate set pool $S1,$S2,$S3 active $S1 epoch 12
}

test_blocked_client() {
	local b0 b1
	b0=$(st drop_blocked) || return 1
	fwctl gate client set $C1 state blocked || return 1
	! reach "$cl1" $S2 || fail "blocked client reached the server" || return 1
	reach_n "$cl2" $S2 3 || fail "other client cut off" || return 1
	b1=$(st drop_blocked) || return 1
	fwctl gate client show $C1 || return 1
	# One ping from the blocked client; the other client's pass.
	[ $((b1 - b0)) = 1 ] || fail "drop_blocked +$((b1 - b0)), not 1" || return 1
	[ "$(ip netns exec "$fw" "$ROAMCTL" -j gate client show | jq -r ".clients[\"$C1\"].drops")" = 1 ] ||
		fail "client drops not 1" || return 1
	fwctl gate client set $C1 state allowed || return 1
	reach "$cl1" $S2 || fail "unblocked client still dropped"
}

monitor_start() {
	ip netns exec "$fw" "$ROAMCTL" -j monitor >"$MON_OUT" 2>&1 &
	echo $! >"$MON_PID"
	# Joining the group takes a moment; events before it are lost.
	sleep 1
}

n_events() {	# event [addr]
	jq -s "[.[] | select(.event == \"$1\"${2:+ and .addr == \"$2\"})] | length" "$MON_OUT"
}

test_contract() {
	local c0 c1 v n d p t0 t1 hi
	monitor_start
	c0=$(st drop_contract) || return 1
	fwctl gate client set $C2 rate pps 20 || return 1
	t0=$(date +%s%3N)
	udp_send "$cl2" $S2 9 300
	t1=$(date +%s%3N)
	sleep 1
	c1=$(st drop_contract) || return 1
	v=$(ip netns exec "$fw" "$ROAMCTL" -j gate client show $C2) || return 1
	echo "$v"
	n=$(n_events client_violation $C2)
	d=$(echo "$v" | jq -r ".clients[\"$C2\"].drops")
	p=$(echo "$v" | jq -r ".clients[\"$C2\"].packets")
	# The client's packets count all 300 it sent, dropped ones too.
	# What passes is the burst (one second's worth: 20) plus 20/s for
	# as long as the sending took (timed here, rounded up): not exact.
	hi=$((20 + 20 * ((t1 - t0) / 1000 + 2)))
	echo "drop_contract +$((c1 - c0)), client drops $d, packets $p in $((t1 - t0)) ms, events $n"
	[ "$p" = 300 ] || fail "client packets $p, not the 300 sent" || return 1
	[ "$d" = $((c1 - c0)) ] || fail "client drops $d != drop_contract +$((c1 - c0))" || return 1
	[ $((p - d)) -ge 20 ] && [ $((p - d)) -le $hi ] || fail "passed $((p - d)), not within [20, $hi]" || return 1


	[ "$(echo "$v" | jq -r ".clients[\"$C2\"].violations")" = 1 ] ||
		fail "violations is not 1" || return 1
	[ "$n" = 1 ] || fail "expected exactly one violation event, got $n" || return 1
	# Setting the state re-arms the event: one more, not one per packet.
	fwctl gate client set $C2 state warned || return 1
	udp_send "$cl2" $S2 9 300
	sleep 1
	n=$(n_events client_violation $C2)
	[ "$n" = 2 ] || fail "expected a second event after re-arming, got $n" || return 1
	jq -e "select(.event == \"client_violation\") | .state" "$MON_OUT" | tail -1 |
		grep -q warned || fail "second event does not carry state warned"
}

test_attack() {
	local a0 a1 n
	a0=$(st attack_events) || return 1
	fwctl gate set attack-pps 50 || return 1
	cmd ip netns exec "$atk" ping -q -i 0.005 -w 4 $S3 >/dev/null 2>&1
	busywait 4000 sh -c "[ \$(jq -s '[.[] | select(.event == \"attack\")] | length' $MON_OUT) -ge 1 ]" ||
		fail "no attack event" || return 1
	a1=$(st attack_events) || return 1
	grep '"attack"' "$MON_OUT" | head -3
	# The flood is over: each event counted reaches the monitor (it is
	# the only listener and started with no attack event before).
	busywait 3000 sh -c "[ \$(jq -s '[.[] | select(.event == \"attack\")] | length' $MON_OUT) = $((a1 - a0)) ]" ||
		fail "attack_events +$((a1 - a0)) but $(n_events attack) events received" || return 1
	n=$(n_events attack)
	echo "attack_events +$((a1 - a0)), events received $n"
	# Four seconds of flood, at most one event a second.
	[ "$n" -ge 1 ] && [ "$n" -le 6 ] || fail "$n attack events in ~5 s" || return 1

	jq -se '[.[] | select(.event == "attack")][0] | .drop_rate > 50 and .active == "'$S2'"' "$MON_OUT" >/dev/null ||
		fail "attack event without a drop_rate over the threshold"
}

# The monitor is not our child here (run_test's subshell started it in
# an earlier test): poll for its end, then read its status from the line
# it would have printed on error.
test_monitor_exit() {
	local pid
	pid=$(cat "$MON_PID")
	[ -n "$pid" ] && kill -0 "$pid" || fail "monitor not running" || return 1
	kill -INT "$pid"
	busywait 3000 sh -c "! kill -0 $pid 2>/dev/null" || fail "monitor still running after SIGINT" || return 1
	: >"$MON_PID"
	! grep -v '^{' "$MON_OUT" || fail "monitor printed something else than events" || return 1
	# A child of ours, for its exit status.  Once it has a socket it
	# has its handlers, so the signal cannot kill it.
	ip netns exec "$fw" "$ROAMCTL" monitor &
	pid=$!
	busywait 5000 sh -c "ls -l /proc/$pid/fd | grep -q socket:" ||
		fail "monitor never opened its socket" || return 1
	kill -TERM "$pid"
	wait "$pid" || fail "monitor exited $? on SIGTERM"
}

test_bad_input() {
	local out rc=0
	out=$(ip netns exec "$fw" "$ROAMCTL" gate set active 10.9.9.9 2>&1) || rc=$?
	echo "$out"
	[ $rc = 1 ] && echo "$out" | grep -q "active address not in the pool" ||
		fail "active outside the pool: want exit 1 with the kernel's reason" || return 1
	rc=0
	out=$(ip netns exec "$fw" "$ROAMCTL" gate client del 10.9.9.9 2>&1) || rc=$?
	echo "$out"
	[ $rc = 1 ] && echo "$out" | grep -q "no such client" || fail "del of unknown client" || return 1
	rc=0
	out=$(ip netns exec "$fw" "$ROAMCTL" gate set pool $S1 2>&1) || rc=$?
	echo "$out"
	[ $rc = 1 ] && echo "$out" | grep -q "lacks the active" || fail "pool without the active address" || return 1
	rc=0
	ip netns exec "$fw" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$ROAMCTL" gate client set $C1 state blocked 2>&1 || rc=$?
	[ $rc = 1 ] || fail "unprivileged client set not refused" || return 1
	[ "$(gate .active)" = $S2 ] || fail "a refused request changed the gate"
}

test_teardown() {
	local ns
	setup_ns extra || return 1
	cmd ip netns exec "$extra" "$ROAMCTL" gate set pool 10.1.1.1,10.1.1.2 active 10.1.1.1 attack-pps 10 || return 1
	cmd ip netns exec "$extra" "$ROAMCTL" gate client set 10.2.2.2 rate pps 5 || return 1
	cmd ip netns del "$extra" || return 1
	fwctl gate client set 10.5.5.5 state blocked || return 1
	fwctl gate client show || return 1
	# The monitor is gone; everything else stays configured.
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	cmd rmmod roam || fail "rmmod with state present failed" || return 1
	! mod_loaded roam || fail "still loaded"
}

ktap_header 12
run_test "configure pool, active, window" test_configure
run_test "only the active server is reachable (ICMP, TCP, UDP)" test_active_only
run_test "after a roam the old server passes for the window, then drops" test_transition_window
run_test "service ports: only those are gated" test_service_ports
run_test "service ports seen through a path header" test_path_header_ports
run_test "a blocked client is dropped, another passes" test_blocked_client
run_test "over contract: drops and exactly one violation event per arming" test_contract
run_test "flood at an inactive address raises attack events" test_attack
run_test "monitor ends cleanly on SIGINT and SIGTERM" test_monitor_exit
run_test "bad input is refused with the kernel's reason" test_bad_input
run_test "a new pool and active forget the old active" test_pool_change
run_test "namespace exit and module unload with state present" test_teardown
ktap_finish
