#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The MTF control plane (mtfd) on the seed paper's Figure 5, scaled down,
# with real marking routers and real handshakes.  The testbed (drawn and
# set up in mtfd_topo.lib, shared with the demo's MTF scenarios): hosts
# c1, h1, h2 and the attacker A behind R1; c2, X and A's second uplink
# behind R4; R1 and R4 reach the victim V through its gateway R3.
#
# mtfd runs on V (victim), R3, R1, R4 (gateways), h1 (compliant host)
# and h2 (a host that refuses).  Checks, each on counters and tables of
# the daemons and of mtf.ko, never on log lines:
#   - stop request: h1 stops by itself (nftables), R1 removes its filter;
#     h2 refuses and R1 disconnects it for Tlong;
#   - AIMD: a rate limit at R1 halves while V reports the attack and
#     climbs back by the step once it is quiet;
#   - off path: X cannot get a filter installed at R1 or R4; forged,
#     expired, truncated and wrong-version messages are counted;
#   - Scenario 1: A floods from 100 sources over [R1, R3]; V's policy
#     asks; R3 filters at once, then R1 after the handshake; R3's
#     temporary filter goes; the times are printed;
#   - Scenario 2: R3 has warned R4 (the other shortest path to A's
#     network); A moves to R4 and is dropped there, c2 still gets through.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mtfd_topo.lib"

require_root
require_modules mtf
require_cmd ip jq nft iperf3 tc
for b in "$MTFCTL" "$SPRAY" "$MSG" "$MTFD"; do
	[ -x "$b" ] || skip_all "$b not built (make tools daemons)"
done

TMP=$(mktemp -d)
trap mtfd_topo_cleanup EXIT

ge() { [ "$("${@:2}")" -ge "$1" ]; }
wait_ge() {
	local ms=$1 n=$2; shift 2
	busywait "$ms" ge "$n" "$@" || fail "'$*' stayed below $n (now $("$@"))"
}
expect_eq() {
	echo "$1: $2 (want $3)"
	[ "$2" = "$3" ] || fail "$1"
}

mtfd_topo_setup || exit $KSFT_FAIL

# Daemons and the attack start here, not in a test point (a subshell).
for n in r1:$r1 r4:$r4 r3:$r3 h1:$h1 h2:$h2 v:$v; do
	start_mtfd "${n%%:*}" "${n#*:}"
done

test_start() {
	local n
	for n in r1 r4 r3 h1 h2 v; do
		ctl $n request stats >/dev/null || fail "mtfd on $n does not answer" || return 1
	done
	cmd ip netns exec "$c1" ping -q -c 2 -i 0.2 -W 2 $V >/dev/null &&
	cmd ip netns exec "$c2" ping -q -c 2 -i 0.2 -W 2 $V >/dev/null ||
		fail "no connectivity to V"
}

# A manual request about one host's traffic: R1 asks the host to stop.
test_stop_compliant() {
	local spid t0 t1 h0 n
	ip netns exec "$h1" "$SPRAY" -d $V -s 10.1.3.1 -c 0 -r 200 >/dev/null 2>&1 &
	spid=$!
	wait_ge 5000 50 pkts $R1 || { kill $spid; return 1; }
	t0=$(date +%s%3N)
	ctl v request block "$P1" src 10.1.3.1/32 || { kill $spid; return 1; }
	wait_ge 5000 1 dstat r1 ag_stop_acked || { kill $spid; return 1; }
	t1=$(date +%s%3N)
	echo "request to stop acknowledged by h1: $((t1 - t0)) ms"
	# After Ttmp R1 watches Ttmp/2 more, sees nothing, removes its filter.
	busywait 5000 sh -c "[ \$($MTFCTL -n $r1 -j filter show | jq length) = 0 ]" ||
		{ kill $spid; q "$r1" filter show; fail "R1 kept its filter for a compliant host"; return 1; }
	h0=$(pkts $R1)
	sleep 0.5
	n=$(ip netns exec "$h1" nft -j list chain ip mtfd egress |
		jq '[.nftables[] | .rule? | select(.) | .expr[] | .counter? | select(.) | .packets] | add')
	kill $spid; wait $spid 2>/dev/null
	echo "h1's egress rule dropped $n packets; V's count on R1's path $h0 -> $(pkts $R1)"
	[ "$n" -gt 50 ] || fail "h1's own filter did not drop its traffic" || return 1
	expect_eq "h1 packets reaching V after the stop" "$(pkts $R1)" "$h0" || return 1
	expect_eq "disconnections at R1" "$(dstat r1 ag_disconnected)" 0
}

test_stop_refused() {
	local spid f
	ip netns exec "$h2" "$SPRAY" -d $V -s 10.1.4.1 -c 0 -r 200 >/dev/null 2>&1 &
	spid=$!
	ctl v request block "$P1" src 10.1.4.1/32 || { kill $spid; return 1; }
	wait_ge $((TTMP * 4)) 1 dstat r1 ag_disconnected || { kill $spid; return 1; }
	f=$(q "$r1" -j filter show | jq -c '[.[] | select(.src == "10.1.4.1/32")]')
	kill $spid; wait $spid 2>/dev/null
	q "$r1" filter show
	expect_eq "h2 refused (host_refused at h2)" "$(dstat h2 host_refused)" 1 || return 1
	jq -e 'length == 1 and .[0].expires_ms > 20000' <<<"$f" >/dev/null ||
		fail "R1 did not disconnect h2 for Tlong: $f"
}

rl_rates() { show r1 '[.filters[] | select(.kind == "ratelimit") | .rate_pps] | @csv'; }
rl_rate_is() { [ "$(rl_rates)" = "$1" ]; }

# AIMD at R1 for c1's traffic: halved while V still sees the attack.
test_aimd() {
	local spid rates r
	ip netns exec "$c1" "$SPRAY" -d $V -s 10.1.1.1 -c 0 -r 800 >/dev/null 2>&1 &
	spid=$!
	ctl v request ratelimit "$P1" src 10.1.1.1/32 rate 800 || { kill $spid; return 1; }
	wait_ge 15000 3 dstat r1 ag_rl_decrease || { kill $spid; return 1; }
	# The floor, 100, after 3 halvings.  Polled: one run on 6.12 read 200
	# right after the third decrease was counted (not understood; the
	# count is printed to see whether a decrease went elsewhere).
	busywait 10000 rl_rate_is 100
	rates=$(rl_rates)
	kill $spid; wait $spid 2>/dev/null
	echo "rate after $(dstat r1 ag_rl_decrease) decreases: $rates pps (800 -> 400 -> 200 -> 100)"
	expect_eq "rate at R1" "$rates" 100 || return 1
	# Quiet now: back up by the step, one at a time.
	wait_ge 15000 2 dstat r1 ag_rl_increase || return 1
	r=$(show r1 '[.filters[] | select(.kind == "ratelimit") | .rate_pps][0]')
	echo "rate after $(dstat r1 ag_rl_increase) increases: $r pps"
	[ $(( (r - 100) % 100 )) = 0 ] && [ "$r" -ge 200 ] || fail "not additive: $r" || return 1
	ctl v request cancel "$P1" src 10.1.1.1/32 || return 1
	wait_ge 5000 1 dstat r1 ag_cancelled
}

# X sees no traffic to V: it cannot complete a handshake.
test_off_path() {
	local f0 n0 b0 e0 p0 v0 bad0 r0 w0
	f0=$(dstat r1 ag_filters) n0=$(dstat r1 ag_nonces_sent) b0=$(dstat r1 ag_bad_nonce)
	e0=$(dstat r1 ag_expired) p0=$(dstat r3 gw_passed_on) v0=$(dstat r1 rx_version)
	bad0=$(dstat r1 rx_bad) r0=$(dstat r3 gw_refused) w0=$(dstat r4 ag_filters)
	local X="ip netns exec $x $MSG"
	# 1. A filter request to R3 from a host it does not serve.
	cmd $X -d $R3 -t filter_req -D $V -p $R1:$M1 -p $R3:$M3 -A block -i 11 || return 1
	# 2. A handshake request naming itself, with the real marks (more
	#    than X could know): R1 sends the nonce toward V, X never sees it.
	cmd $X -d $R1 -t hs_request -D $V -S 10.1.1.1/32 -p $R1:$M1 -p $R3:$M3 -A block -a 10.4.5.1 -i 12 || return 1
	# 3. A reply with a guessed nonce, 4. a replay of a valid but expired one.
	cmd $X -d $R1 -t hs_reply -D $V -S 10.1.1.1/32 -p $R1:$M1 -p $R3:$M3 -A block -a 10.4.5.1 -e 2000 -N || return 1
	cmd $X -d $R1 -t hs_reply -D $V -S 10.1.1.1/32 -p $R1:$M1 -p $R3:$M3 -A block -a 10.4.5.1 -e -5000 -k "$TMP/r1.secret" || return 1
	# 5. Wrong version, 6. truncated.
	cmd $X -d $R1 -t hs_request -D $V -p $R1:$M1 -A block -a 10.4.5.1 -V 2 || return 1
	cmd $X -d $R1 -t hs_request -D $V -p $R1:$M1 -A block -a 10.4.5.1 -T 20 || return 1
	# 7. V asking about traffic to another host: not its to ask.
	cmd ip netns exec "$v" "$MSG" -d $R3 -t filter_req -D 10.9.0.2 -p $R1:$M1 -p $R3:$M3 -A block -i 14 || return 1
	# 8. A warning to R4 about V's traffic.
	cmd $X -d $R4 -t warning -D $V -S 10.4.1.0/24 -p $R1:$M1 -u 5000 -i 13 || return 1
	sleep 1
	expect_eq "R3 refused the stranger's and V's request for 10.9.0.2" $(( $(dstat r3 gw_refused) - r0 )) 2 || return 1
	expect_eq "nonces R1 sent" $(( $(dstat r1 ag_nonces_sent) - n0 )) 1 || return 1
	expect_eq "R3 passed on nonces it did not ask for" $(( $(dstat r3 gw_passed_on) - p0 )) 2 || return 1
	expect_eq "guessed nonces" $(( $(dstat r1 ag_bad_nonce) - b0 )) 1 || return 1
	expect_eq "expired replies" $(( $(dstat r1 ag_expired) - e0 )) 1 || return 1
	expect_eq "wrong version" $(( $(dstat r1 rx_version) - v0 )) 1 || return 1
	expect_eq "malformed" $(( $(dstat r1 rx_bad) - bad0 )) 1 || return 1
	expect_eq "filters installed at R1 by X" $(( $(dstat r1 ag_filters) - f0 )) 0 || return 1
	expect_eq "filters installed at R4 by X" $(( $(dstat r4 ag_filters) - w0 )) 0 || return 1
	expect_eq "R1 filters for 10.1.1.1" "$(q "$r1" -j filter show | jq '[.[] | select(.src == "10.1.1.1/32")] | length')" 0
}

# 2000 requests at once from X: R1 answers at most its burst plus its
# rate; every request that reached it is answered or counted as limited.
peer_rx() { show r1 "[.peers[] | select(.addr == \"10.4.5.1\") | .rx][0] // 0"; }
test_flood_limited() {
	local l0 q0 r0 t0 t1 l q r n
	l0=$(dstat r1 rx_rate_limited) q0=$(dstat r1 ag_requests) r0=$(peer_rx)
	t0=$(date +%s%3N)
	cmd ip netns exec "$x" "$MSG" -d $R1 -t hs_request -D $V -p $R1:$M1 -A block -a 10.4.5.1 -c 2000 || return 1
	# Until R1 has read them all (its counters stop moving).
	n=-1
	while [ "$n" != "$(dstat r1 rx)" ]; do n=$(dstat r1 rx); sleep 0.5; done
	t1=$(date +%s%3N)
	l=$(( $(dstat r1 rx_rate_limited) - l0 )) q=$(( $(dstat r1 ag_requests) - q0 ))
	r=$(( $(peer_rx) - r0 ))
	echo "$r of 2000 requests reached R1's mtfd (the rest were lost on the way, veth queues)"
	echo "R1 handled $q and rate-limited $l in $((t1 - t0)) ms (burst 100, 200/s)"
	ip netns exec "$r1" nstat -az UdpRcvbufErrors | tail -1
	[ "$r" -gt 100 ] || fail "too few requests arrived to test the limit" || return 1
	expect_eq "handled + limited" $((q + l)) "$r" || return 1
	[ "$q" -le $((100 + 200 * (t1 - t0) / 1000 + 1)) ] || fail "more requests handled than the peer's bucket allows" || return 1
	[ "$l" -ge 1 ] || fail "a request flood was not limited"
}

# R1's mtfd is down: R3 retries with backoff, then has nobody left on the
# recorded path before itself and keeps the filter for Tlong.
test_escalation() {
	local e0 l0 t0 t1 f
	e0=$(dstat r3 gw_escalated) l0=$(dstat r3 gw_local_filters)
	t0=$(date +%s%3N)
	ctl v request block "$P1" src 10.1.1.1/32 || return 1
	wait_ge 15000 $((l0 + 1)) dstat r3 gw_local_filters || return 1
	t1=$(date +%s%3N)
	echo "R3 gave up on R1 after $((t1 - t0)) ms (4 retries from 200 ms, doubling)"
	expect_eq "escalations at R3" $(( $(dstat r3 gw_escalated) - e0 )) 1 || return 1
	f=$(q "$r3" -j filter show | jq -c '[.[] | select(.src == "10.1.1.1/32")]')
	q "$r3" filter show
	jq -e 'length == 1 and .[0].expires_ms > 20000' <<<"$f" >/dev/null ||
		fail "R3 does not keep the filter for Tlong: $f" || return 1
	ctl v request cancel "$P1" src 10.1.1.1/32 || return 1
	busywait 5000 sh -c "[ \$($MTFCTL -n $r3 -j filter show | jq '[.[] | select(.src == \"10.1.1.1/32\")] | length') = 0 ]" ||
		fail "the victim's cancel left R3's filter"
}

# Goodput of c2's TCP transfer to V over 4 s (iperf3), bits/s; V's link
# from R3 is the bottleneck (2 Mbit/s) the attack fills.
goodput() {
	ip netns exec "$c2" iperf3 -c $V -t 4 -J 2>/dev/null |
		jq -er '.end.sum_received.bits_per_second | floor'
}
test_goodput_before() {
	local g
	g=$(goodput) || fail "iperf3 from c2 failed" || return 1
	echo "$g" >"$TMP/g_before"
	echo "goodput before the attack: $((g / 1000)) kbit/s (bottleneck 2000)"
	[ "$g" -gt 1000000 ] || fail "the transfer is too slow before any attack"
}
test_goodput_during() {
	local g b
	b=$(cat "$TMP/g_before") g=$(goodput) || g=0
	echo "$g" >"$TMP/g_during"
	echo "goodput during the attack: $((g / 1000)) kbit/s, $((100 * g / b)) % of before (paper: 12 %)"
	[ $((100 * g / b)) -lt 50 ] || fail "the attack did not hurt: the test proves nothing"
}
test_goodput_after() {
	local g b
	b=$(cat "$TMP/g_before") g=$(goodput) || fail "iperf3 from c2 failed" || return 1
	echo "goodput after the filters: $((g / 1000)) kbit/s, $((100 * g / b)) % of before (paper: restored by t = 8 s)"
	[ $((100 * g / b)) -ge 70 ] || fail "goodput not restored"
}

# Scenario 1: A floods V over [R1, R3] from 100 sources; V's policy asks.
test_scenario1() {
	local t_r3 t_r1 p0 p1 hs
	wait_ge 15000 1 dstat v victim_acked || return 1
	t0=$(cat "$TMP/attack_t0")
	t_r3=$(date +%s%3N)
	wait_ge 10000 1 dstat r3 gw_confirmed || return 1
	t_r1=$(date +%s%3N)
	ctl r3 request show
	hs=$(show r3 '[.handshakes[] | select(.kind == "request") | .handshake_ms][0]')
	echo "policy on -> filter at R3: $((t_r3 - t0)) ms (mtfd start, the kernel's rate estimate crossing 300 pps)"
	echo "R3 request -> R1 confirmed: $hs ms (one R3-R1 round trip and a nonce round trip)"
	# R1 drops it now; R3's temporary filter is gone.
	p0=$(fhits "$r1" ".dst == \"$V\" and (has(\"src\") | not)")
	wait_ge 5000 $((p0 + 300)) fhits "$r1" ".dst == \"$V\" and (has(\"src\") | not)" || return 1
	p0=$(pkts $R1); sleep 1; p1=$(pkts $R1)
	q "$r1" filter show; q "$r3" filter show
	expect_eq "attack packets reaching V over [R1, R3] in 1 s" $((p1 - p0)) 0 || return 1
	expect_eq "filters left at R3 (temporary one removed)" \
		"$(q "$r3" -j filter show | jq length)" 0 || return 1
	expect_eq "filters at R1 for the 1000 sources" \
		"$(q "$r1" -j filter show | jq "[.[] | select(.dst == \"$V\" and (has(\"src\") | not))] | length")" 1
}

# Scenario 2: R3 warned R4; the attack moves there and is dropped at R4.
test_scenario2() {
	local p0 p1 d0 d1
	expect_eq "links R3 learned from recorded paths (R1-R3)" "$(dstat r3 gw_links_learned)" 1 || return 1
	wait_ge 5000 1 dstat r4 ag_filters || return 1
	q "$r4" filter show
	d0=$(fhits "$r4" '.src == "10.7.0.0/22"')
	p0=$(pkts $R4)
	mtfd_topo_attack_via r4 || return 1
	wait_ge 10000 $((d0 + 500)) fhits "$r4" '.src == "10.7.0.0/22"' || return 1
	p1=$(pkts $R4)
	echo "warned filter at R4 dropped $(( $(fhits "$r4" '.src == "10.7.0.0/22"') - d0 ))"
	expect_eq "attack packets reaching V over [R4, R3]" $((p1 - p0)) 0 || return 1
	cmd ip netns exec "$c2" ping -q -c 3 -i 0.2 -W 2 $V >/dev/null ||
		fail "c2 (behind R4, not warned about) cannot reach V"
}

ktap_header 17
run_test "mtfd starts on V, R3, R1, R4, h1, h2" test_start
run_test "stop request: a compliant host stops itself, R1 lets go" test_stop_compliant
run_test "stop request: a refusing host is disconnected for Tlong" test_stop_refused
run_test "AIMD: halved under attack, additive when quiet, cancel" test_aimd
run_test "off path: no filter from X; forged/expired/bad messages counted" test_off_path
run_test "request flood from one peer is rate-limited" test_flood_limited

mtfd_topo_bottleneck

stop_mtfd r1
run_test "escalation: no answer from R1, R3 keeps the filter; cancel" test_escalation
start_mtfd r1 "$r1"

# Scenario 1: A floods from 1000 sources (50-byte packets, 3000 pps: with
# its path header it fills V's 2 Mbit/s link); V's policy is off at
# first, to see the goodput fall, then on (threshold 300 pps).
run_test "Scenario 1: goodput before the attack" test_goodput_before
ip netns exec "$a" "$SPRAY" -d $V -s 10.7.0.10 -n 1000 -c 0 -r 3000 >/dev/null 2>&1 &
SPRAY_A=$!
echo "# + udp_spray in A -s 10.7.0.10 -n 1000 -r 3000 (pid $SPRAY_A)"
run_test "Scenario 1: goodput during the attack" test_goodput_during
stop_mtfd v
date +%s%3N >"$TMP/attack_t0"
mtfd_topo_policy_on
run_test "Scenario 1: policy request, R3 at once, R1 after the handshake" test_scenario1
run_test "Scenario 1: goodput after the filters (1000 sources, 1 filter at R1)" test_goodput_after
run_test "Scenario 2: warned R4 drops the attack on the second path" test_scenario2
run_test "Scenario 2: goodput with the attack on the second path" test_goodput_after

# R1's mtfd restarted mid-attack: its filter stays in mtf.ko and comes
# back into its tables from the cookie, once; the victim's cancel, relayed
# by R3, still reaches it.
# (Filters that expire within 5 s of the snapshot may go meanwhile.)
r1_filters() {
	q "$r1" -j filter show |
		jq -c "[.[] | select(.expires_ms > ${1:-0}) | {slots, src, dst, action, owner, cookie}] | sort"
}
test_restart_r1() {
	local before after
	before=$(cat "$TMP/r1_before")
	after=$(r1_filters)
	echo "before the restart: $before"
	echo "after: $after"
	expect_eq "the blocked flow after the restart, at R1" \
		"$(show r1 "[.filters[] | select(.flow.src == null and .peer == \"$R3\")] | length")" 1 || return 1
	# Each filter of before exactly once after: neither lost nor duplicated.
	jq -en --argjson b "$before" --argjson a "$after" \
		'$b | all(. as $f | [$a[] | select(. == $f)] | length == 1)' >/dev/null ||
		fail "R1's filters in mtf.ko lost or duplicated by the restart" || return 1
	[ "$(dstat r1 resynced_filters)" -ge "$(jq length <<<"$before")" ] ||
		fail "resynced $(dstat r1 resynced_filters), fewer than the $(jq length <<<"$before") filters" || return 1
	echo "filters resynced: $(dstat r1 resynced_filters)"
	ctl v request cancel "$P1" || return 1
	busywait 5000 sh -c "[ \$($MTFCTL -n $r1 -j filter show | jq '[.[] | select(.dst == \"$V\" and (has(\"src\") | not))] | length') = 0 ]" ||
		fail "the victim's cancel did not reach the restarted R1" || return 1
	cmd ip netns exec "$c1" ping -q -c 2 -i 0.2 -W 2 $V >/dev/null ||
		fail "c1 still blocked after the cancel"
}

# withdraw-on-exit at R4: its own filters go, the operator's stay.
test_withdraw() {
	local n
	mtf "$r4" filter add "$R4/0x00000001" src '*' dst $V drop timeout 60s || return 1
	n=$(q "$r4" -j filter show | jq length)
	echo "R4 has $n filters, one the operator's"
	stop_mtfd r4 || return 1
	q "$r4" filter show
	expect_eq "filters left at R4 (owners)" "$(q "$r4" -j filter show | jq -c '[.[] | .owner // 0]')" '[0]'
}

r1_filters 5000 >"$TMP/r1_before"
stop_mtfd r1
start_mtfd r1 "$r1"
run_test "restart of R1's mtfd mid-attack: filters resynced, cancel reaches it" test_restart_r1

# V's mtfd (re)started while a path suffix is already above its
# threshold: mtf.ko sent that path's one event with nobody listening
# (V's threshold, 300 pps, stays set in mtf.ko while mtfd is down).  The
# victim finds the path in mtf.ko's table when it starts and asks, once.
# X floods V over [R4, R3] (1500 pps from its own address: R4's warned
# filter is for A's network only).  Daemons start outside the test point
# (a subshell), as above.
kstat() { ip netns exec "$v" "$MTFCTL" -j status | jq -er ".stats.$1"; }
test_victim_start_over() {
	local e0 e1 g0
	read -r e0 e1 g0 <"$TMP/start_over"
	echo "mtf.ko's path events at V: $e0 before the flood, $e1 when V's mtfd started"
	[ "$e1" -gt "$e0" ] || fail "no event before V's mtfd started: the test proves nothing" || return 1
	wait_ge 10000 1 dstat v victim_acked || return 1
	ctl v request show
	echo "paths found above the threshold at start: $(dstat v victim_scan_over)"
	expect_eq "V's requests (one suffix above the threshold)" "$(dstat v victim_requests)" 1 || return 1
	expect_eq "requests for [R4, R3], acknowledged" \
		"$(show v "[.requests[] | select((.flow.path | join(\",\")) == \"$P4\" and .state == \"acked\")] | length")" 1 || return 1
	# (R3's gw_requests counts V's retransmissions too.)
	echo "FILTER_REQs R3 got meanwhile: $(($(dstat r3 gw_requests) - g0))"
	expect_eq "R3's requests for [R4, R3] from V" \
		"$(show r3 "[.handshakes[] | select(.kind == \"request\" and .victim == \"$V\" and (.flow.path | join(\",\")) == \"$P4\")] | length")" 1
}
stop_mtfd v
e0=$(kstat path_events) g0=$(dstat r3 gw_requests)
ip netns exec "$x" "$SPRAY" -d $V -s 10.4.5.1 -c 0 -r 1500 >/dev/null 2>&1 &
SPRAY_X=$!
echo "# + udp_spray in X -s 10.4.5.1 -r 1500 (pid $SPRAY_X)"
# The crossing's event, sent before anyone listens (checked in the test).
busywait 10000 ge $((e0 + 1)) kstat path_events
echo "$e0 $(kstat path_events) $g0" >"$TMP/start_over"
start_mtfd v "$v"
run_test "victim started with a suffix already above its threshold asks once" test_victim_start_over
kill $SPRAY_X; wait $SPRAY_X 2>/dev/null
kill $SPRAY_A; wait $SPRAY_A 2>/dev/null

test_alive() {
	local n rc=0
	for n in "${!PID[@]}"; do
		kill -0 "${PID[$n]}" 2>/dev/null && continue
		echo "mtfd on $n died:"; tail -20 "$TMP/$n.log"; rc=1
	done
	return $rc
}
run_test "every mtfd still running" test_alive
run_test "withdraw-on-exit: R4's mtfd removes its filters, not the operator's" test_withdraw
ktap_finish
