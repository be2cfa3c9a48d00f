#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# once
# (make check runs it on the first kernel only: roam.ko's part in it, the
# gates, contracts and revocations, and authd with roamds, run on every
# kernel in roam_gate.sh, roam_revoke.sh and roam_roamd_handoff.sh.)
#
# Proactive server roaming end to end, in the shape of the paper's
# Figure 2 (seed 000, scaled down): three pool servers behind 1 Mb/s
# links, an authenticator, clients and an attacker, two routers.  The
# testbed is drawn and set up in roam_topo.lib (shared with the demo's
# roaming scenario).
#
# authd hands out keys with 2-4 s intervals (2-3 s at threat high); every
# roamd follows the schedule, switches its gate and runs the file server
# only while its server is active.  Checks:
#   (a) 1 Mbit transfers and a 4 Mbit one finish byte-exact across roams,
#       with migrations counted;
#   (b) a UDP flood at the old address is dropped at its gate, the
#       transfer time stays bounded, and the attack raises the threat;
#   (c) a revoked client is cut off from keys and dropped at the gates;
#   (d) an unsubscribed client gets no schedule, its probes of inactive
#       addresses are dropped;
#   (e) a client over its contract is warned, allowed again after the
#       roam, then blocked and revoked.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/roam_topo.lib"

require_root
require_modules roam
require_cmd ip tc jq openssl sha256sum

for f in "$ROAMD" "$AUTHD" "$FETCH" "$FILESERVER" "$FLOOD" "$ROAMCTL"; do
	[ -x "$f" ] || skip_all "$f not built (make tools daemons)"
done

T=$(mktemp -d /tmp/roam_fig2.XXXXXX)
chmod 700 "$T"
trap roam_topo_cleanup EXIT

roam_topo_setup || exit $KSFT_FAIL


show_gates() {
	local i
	echo "authd: $(actl -j auth status)"
	for i in 1 2 3; do
		local s=srv$i
		echo "$s gate: $(ip netns exec "${!s}" "$ROAMCTL" -j gate show 2>&1)"
	done
}

# Every gate's (epoch, active) is what the schedule says for that epoch:
# checked against authd's own derivation, so slow polling cannot race a
# roam.  Prints the gates' epochs.
gates_follow() {
	local i g e a want
	for i in 1 2 3; do
		local s=srv$i
		g=$(ip netns exec "${!s}" "$ROAMCTL" -j gate show) || return 1
		e=$(jq -r .epoch <<<"$g"); a=$(jq -r .active <<<"$g")
		want=$("$AUTHD" -q -d "$T/authd" --print-schedule "$e:1" | jq -r .addr)
		[ "$e" -gt 0 ] && [ "$a" = "${want%:*}" ] || { echo "srv$i: epoch $e active $a, schedule: $want"; return 1; }
		echo "$e"
	done
}

# ------------------------------------------------------------- tests ---
t_start() {
	local n seen="" res
	# Checked after roams until two different epochs were seen, each gate
	# holding the scheduled server.
	for n in $(seq 12); do
		wait_roam >/dev/null
		res=$(gates_follow) || { echo "$res" | tail -n 1; continue; }
		seen="$seen $res"
		if [ "$(tr ' ' '\n' <<<"$seen" | grep . | sort -u | wc -l)" -ge 2 ]; then
			echo "gates checked in epochs" $(tr ' ' '\n' <<<"$seen" | grep . | sort -u)
			return 0
		fi
	done
	fail "gates do not follow the schedule"
	show_gates
	return 1
}

t_transfers() {
	local f out=$T/a.json ok=0
	fetch "$cl" alice -f f1 -f f1 -f f1 -f f1 -f f4 -t 60000 >"$out" 2>"$T/a.err" ||
		{ cat "$out" "$T/a.err"; return 1; }
	cat "$out"
	for f in f1 f4; do
		grep "\"file\":\"$f\"" "$out" | jfield sha256 | sort -u >"$T/sums"
		[ "$(cat "$T/sums")" = "$(sha256sum "$T/files/$f" | cut -d' ' -f1)" ] ||
			{ fail "$f: sha256 differs"; return 1; }
	done
	ok=$(grep '"file":"f4"' "$out" | jfield migrations)
	echo "migrations: $(jfield migrations <"$out" | awk '{ s += $1 } END { print s }') in all, $ok for the 4 Mbit file"
	[ "$ok" -ge 1 ] || { fail "the 4 Mbit file crossed no roam"; return 1; }
	grep '"file":"f4"' "$out" | jfield ms >"$T/base_ms"
}

serving() {	# srvN: its file service listens or has a connection
	# (TIME-WAIT and FIN states of a stopped service do not count)
	ip netns exec "${!1}" ss -Htan "sport = :$PORT" | grep -qE '^(LISTEN|ESTAB)'

}
not_serving() { ! serving "$1"; }

t_cleanup_old() {
	local n e old cur nxt s
	# A roam after which the old server is not scheduled again at once
	# (it would start its service again 300 ms before its turn).
	for n in $(seq 6); do
		old=$(status .server_addr); old=${old%:*}
		e=$(wait_roam)
		cur=$(status .server_addr); cur=${cur%:*}
		nxt=$("$AUTHD" -q -d "$T/authd" --print-schedule "$((e + 1)):1" | jq -r .addr)
		[ "$cur" != "$old" ] && [ "${nxt%:*}" != "$old" ] && break
		old=
	done
	[ -n "$old" ] || { fail "no roam away from a server for two epochs"; return 1; }
	# The new one was started 300 ms before its turn; checked first, as
	# its turn may be over by the time the old one has stopped.
	s=$(srv_of "$cur")
	busywait 1000 serving "$s" || { fail "the active $s ($cur) does not serve :$PORT"; return 1; }
	s=$(srv_of "$old")
	# Window 1 s, then SIGTERM to the service's process group; its next
	# turn is at least an epoch (2 s) away.
	busywait 3000 not_serving "$s" ||
		{ fail "$s ($old) still serves :$PORT after the window (epoch $e)"; return 1; }
	echo "epoch $e: the active $cur serves; the old server $old stopped serving"
}


t_attack() {
	local old srv d0 d1 ms base e flood poll
	wait_roam >/dev/null
	old=$(status .server_addr); old=${old%:*}
	e=$(wait_roam)
	srv=$(srv_of "$old")
	d0=$(srv_stat "$srv" drop_inactive)
	# For t_threat: the gate's attack events, and authd's threat level
	# sampled while the flood lasts (the quiet period lowers it after).
	echo "$srv $(srv_stat "$srv" attack_events)" >"$T/attack_events"
	while :; do status .threat; sleep 0.2; done >"$T/threat.log" 2>/dev/null &
	poll=$!
	echo "flooding the old active server $old ($srv) at 1.5 Mb/s (1500 pps x 125 B) from epoch $e on"
	ip netns exec "$atk" "$FLOOD" "$old" $PORT 1500 125 8 >"$T/flood.out" 2>&1 &
	flood=$!
	fetch "$cl" alice -f f4 -t 60000 >"$T/b.json" 2>"$T/b.err" ||
		{ kill $poll; cat "$T/b.json" "$T/b.err"; return 1; }
	wait $flood
	kill $poll
	cat "$T/b.json" "$T/flood.out"
	d1=$(srv_stat "$srv" drop_inactive)
	ms=$(jfield ms <"$T/b.json"); base=$(cat "$T/base_ms")
	echo "drop_inactive at $srv: $d0 -> $d1; f4 took $ms ms under attack, $base ms without"
	# Not exact: the old server may have its turn again during the 8 s.
	[ $((d1 - d0)) -gt 500 ] || { fail "the flood was not dropped at the old server's gate"; return 1; }
	[ "$ms" -le $((2 * base + 8000)) ] || { fail "the attack hurt the transfer too much"; return 1; }
}

t_threat() {
	local srv a0 a1
	read -r srv a0 <"$T/attack_events" || return 1
	a1=$(srv_stat "$srv" attack_events) || return 1
	echo "attack_events at $srv: $a0 -> $a1; threat during the flood: $(sort "$T/threat.log" | uniq -c | xargs)"
	[ "$a1" -gt "$a0" ] || { fail "the flooded gate raised no attack event"; return 1; }
	grep -qx high "$T/threat.log" || { fail "no roamd raised the threat at authd"; return 1; }
	busywait 20000 bash -c "[ \"\$($ROAMCTL -j auth status socket $SOCK | jq -r .threat)\" = low ]" ||
		{ fail "the threat was not lowered after the quiet period"; return 1; }
}


client_state() {	# srvN addr: the client's state at that gate ("null": none)
	ip netns exec "${!1}" "$ROAMCTL" -j gate client show |
		jq -r --arg a "$2" '.clients[$a].state'
}
blocked_everywhere() {	# addr
	local i
	for i in 1 2 3; do
		[ "$(client_state srv$i "$1")" = blocked ] || return 1
	done
}
drops_above() {	# n: the gates' drop_blocked sum exceeds n
	[ "$(sum_stat drop_blocked)" -gt "$1" ]
}

# Longest epoch authd may hand out (--max-low-ms): "within an epoch".
EPOCH_MAX_MS=4000

t_revoke() {
	local rc b0 b1 t0 t1 th base lim bytes
	# A transfer that would finish if bob were not cut off: 3 times the
	# 4 Mbit file, with twice the time it needs.  Long enough that the
	# revocation (up to an epoch after the revoke on a loaded emulator)
	# comes well before its end: the 4 Mbit file alone did not (4.5-6 s).
	base=$(cat "$T/base_ms")
	lim=$((6 * base + 8000))
	fetch "$rev" bob -f f12 -t $lim --stall-ms 1000 >"$T/c.json" 2>"$T/c.err" &
	local pid=$!
	sleep 1.5
	kill -0 $pid 2>/dev/null || { cat "$T/c.json" "$T/c.err"; fail "bob's fetch ended before the revoke"; return 1; }
	b0=$(sum_stat drop_blocked)
	t0=$(date +%s%3N)
	actl client revoke bob >/dev/null || return 1
	busywait $EPOCH_MAX_MS blocked_everywhere 10.0.2.1 ||
		{ fail "bob not blocked at every gate within an epoch"; cat "$T/hook.log"; return 1; }
	busywait $EPOCH_MAX_MS drops_above "$b0" ||
		{ fail "bob's packets are not dropped as blocked"; cat "$T/hook.log"; return 1; }
	t1=$(date +%s%3N)
	b1=$(sum_stat drop_blocked)
	th=$(( $(sed -n 's/^blocked 10.0.2.1 at //p' "$T/hook.log" | tail -1) - t0 ))
	echo "bob revoked: blocked at all gates by the hook $th ms after the revoke;" \
		"drops seen by polling after $((t1 - t0)) ms (drop_blocked $b0 -> $b1)"
	[ "$th" -ge 0 ] && [ "$th" -le $EPOCH_MAX_MS ] ||
		{ fail "the hook blocked bob $th ms after the revoke, not within an epoch"; return 1; }
	wait $pid; rc=$?
	cat "$T/c.json"
	bytes=$(jfield bytes <"$T/c.json")
	[ $rc = 1 ] && grep -q '"ok":false' "$T/c.json" ||
		{ fail "bob's transfer finished within $lim ms despite the revoke"; return 1; }
	[ "${bytes:-0}" -lt 1500000 ] || { fail "bob got the whole file ($bytes bytes)"; return 1; }
	fetch "$rev" bob -f f1 -t 3000 >/dev/null 2>"$T/c2.err"
	[ $? = 1 ] && grep -q "revoked" "$T/c2.err" || { cat "$T/c2.err"; fail "bob can still subscribe"; return 1; }
}


t_outsider_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/creds/mallory.key" -out "$T/creds/mallory.crt" -subj /CN=alice \
		-days 1 >/dev/null 2>&1 || return 1
	chmod 600 "$T/creds/mallory.key"
	fetch "$outsider" mallory -f f1 -t 3000 >"$T/d.json" 2>"$T/d.err"
	# Refused in the handshake, or right after it (TLS 1.3): no schedule either way.
	[ $? = 1 ] && grep -q '"event":"error"' "$T/d.json" && ! grep -q '"transfer"' "$T/d.json" ||
		{ cat "$T/d.json" "$T/d.err"; return 1; }
	head -1 "$T/d.err"
}

t_outsider_probe() {
	local i a s st left n probe d0 d1
	declare -A d0
	# Baselines first: right after the roam there is no time to lose.
	for i in 1 2 3; do d0[$i]=$(srv_stat srv$i drop_inactive); done
	# Epoch lengths are drawn from the schedule and the emulated machine
	# can be slow to ask: try more roams than one would on hardware.
	for n in $(seq 8); do
		wait_roam >/dev/null
		st=$(actl -j auth status)
		left=$(( $(jq .epoch_end_ms <<<"$st") - $(date +%s%3N) ))
		[ $left -gt 1000 ] && break
		echo "roam $n: only $left ms left in the epoch"
	done
	[ $left -gt 1000 ] || { fail "no epoch with time left"; return 1; }
	a=$(jq -r .server_addr <<<"$st"); a=${a%:*}
	for i in 1 2 3; do [ "${SRV[$i]}" != "$a" ] && break; done
	probe=$((left - 400 < 1000 ? left - 400 : 1000))
	ip netns exec "$outsider" "$FETCH" --static ${SRV[$i]}:$PORT -f f1 -t $probe \
		--connect-ms 200 >"$T/d2.json" 2>/dev/null && { fail "the probe found a server"; return 1; }
	d1=$(srv_stat srv$i drop_inactive)
	echo "probes of inactive srv$i (${SRV[$i]}) for $probe ms while $a was active:" \
		"drop_inactive ${d0[$i]} -> $d1"
	[ "$d1" -gt "${d0[$i]}" ] || fail "the probes were not dropped at the gate"
}

state_is() {	# srvN addr state
	[ "$(client_state "$1" "$2")" = "$3" ]
}
authd_state_is() {	# name state: the subscription's state at authd
	[ "$(actl -j client list | jq -r --arg n "$1" '.[] | select(.name == $n) | .state')" = "$2" ]
}

G=10.0.3.1	# greedy, the contract client
strikes_of() {	# addr: strikes in roamd's shared record (STATE_DIR/strikes)
	[ -f "$T/run/strikes" ] || { echo 0; return; }
	awk -v a="$1" '$1 == a { n = $2 } END { print n + 0 }' "$T/run/strikes"
}
strikes_ge() { [ "$(strikes_of "$1")" -ge "$2" ]; }

# flood ADDR STRIKES: greedy floods ADDR at 400 pps (contract: 100 pps)
# until roamd's record reaches STRIKES, for 3 s at most.  Stopped at the
# decision so that the flood rarely outlives the epoch it was meant for.
flood_until() {
	local fl rc=0
	ip netns exec "$grd" "$FLOOD" "$1" $PORT 400 100 3 >/dev/null &
	fl=$!
	busywait 3000 strikes_ge $G "$2" || rc=1
	kill $fl 2>/dev/null; wait $fl 2>/dev/null
	return $rc
}

t_contract() {
	local a b e s n poll try
	# Each flood right after a roam, so it meets the server it aims at
	# even when the emulated machine is slow.  roamd's decisions are
	# judged by its durable record of strikes (written before it sets the
	# gate) and by the client's state at the gates.
	# A roam before the decision sends the rest of the flood to an
	# inactive server, where it is dropped as such: then the next epoch
	# is tried, up to three.
	for try in 1 2 3; do
		wait_roam >/dev/null
		a=$(status .server_addr); a=${a%:*}
		s=$(srv_of "$a")
		n=$(strikes_of $G)
		[ "$n" = 0 ] || { fail "greedy has $n strikes before the flood"; return 1; }
		state_is "$s" $G allowed || { fail "greedy is $(client_state "$s" $G) at $s before the flood"; return 1; }
		while :; do client_state "$s" $G; sleep 0.1; done >"$T/greedy.states" 2>/dev/null &
		poll=$!
		echo "greedy floods the active server $a ($s)"
		flood_until "$a" 1 && break
		kill $poll
		[ "$(status .server_addr)" != "$a:$PORT" ] && [ $try -lt 3 ] ||
			{ fail "greedy not warned at $s: $(uniq "$T/greedy.states" | xargs)"; return 1; }
		echo "the service roamed away from $a before roamd's decision: once more"
	done
	n=$(strikes_of $G)
	if [ "$n" = 2 ]; then
		# The roam came between the warning and the end of the flood,
		# which went on in the transition window of the next epoch:
		# that is the second violation, after a roam, and roamd is right
		# to block.  The second chance itself cannot be seen this time.
		kill $poll
		echo "# the flood outlived the warned epoch: warned and blocked in one flood ($(uniq "$T/greedy.states" | xargs))"
	else
		[ "$n" = 1 ] || { kill $poll; fail "greedy has $n strikes after one flood"; return 1; }
		# Warned at the gate unless the roam came already (then allowed).
		busywait 2000 grep -qx warned "$T/greedy.states" ||
			[ "$(status .server_addr)" != "$a:$PORT" ] ||
			{ kill $poll; fail "strike 1 recorded, greedy not warned at $s: $(uniq "$T/greedy.states" | xargs)"; return 1; }
		e=$(wait_roam)
		# The second chance: after the roam, the roamd that warned it
		# allows it again (with its contract).
		busywait 3000 state_is "$s" $G allowed ||
			{ kill $poll; fail "no second chance at $s: $(uniq "$T/greedy.states" | xargs)"; return 1; }
		kill $poll
		echo "greedy at $s: $(uniq "$T/greedy.states" | xargs)"
		n=$(strikes_of $G)
		[ "$n" = 1 ] || { fail "greedy has $n strikes before its second flood"; return 1; }
		for try in 1 2 3; do
			b=$(status .server_addr); b=${b%:*}
			s=$(srv_of "$b")
			echo "epoch $e: allowed again at $(srv_of "$a"); greedy floods the new active server $b ($s)"
			flood_until "$b" 2 && break
			[ "$(status .server_addr)" != "$b:$PORT" ] && [ $try -lt 3 ] ||
				{ fail "no second strike for greedy at $s (state $(client_state "$s" $G))"; return 1; }
			echo "the service roamed away from $b before roamd's decision: once more"
			e=$(wait_roam)
		done
	fi
	busywait 3000 state_is "$s" $G blocked ||
		{ fail "greedy not blocked at $s (state $(client_state "$s" $G))"; return 1; }
	busywait 3000 authd_state_is greedy revoked ||
		{ fail "greedy not revoked at authd: $(actl -j client list)"; return 1; }
	# And at every gate, through the revocation watch.
	busywait 5000 blocked_everywhere $G ||
		{ fail "greedy revoked but not blocked at every gate"; return 1; }
	echo "greedy: blocked at every gate, revoked at authd"
}


t_daemons_exit() {
	local i rc=0
	for i in 1 2 3; do
		kill -0 "$(cat "$T/roamd$i.pid")" 2>/dev/null || { fail "roamd $i died"; rc=1; }
	done
	grep -h "error" "$T"/roamd*.log | grep -v "contract\|revoke" | head -5
	for i in 1 2 3; do
		kill -TERM "$(cat "$T/roamd$i.pid")"
	done
	for i in 1 2 3; do
		busywait 5000 test -s "$T/roamd$i.rc" || { fail "roamd $i does not exit"; rc=1; continue; }
		[ "$(cat "$T/roamd$i.rc")" = 0 ] || { fail "roamd $i exit status $(cat "$T/roamd$i.rc")"; rc=1; }
	done
	return $rc
}

ktap_header 11
# Started here, not in run_test's subshell: the daemons outlive each test.
roam_topo_start --contract greedy,10.0.3.1,100 ||
	{ cat "$T/authd.log"; exit $KSFT_FAIL; }
run_test "authd, 3 roamd, gates follow the schedule" t_start
run_test "(a) 4x 1 Mbit + 4 Mbit byte-exact across roams, migrations > 0" t_transfers
run_test "old server's service stopped after the transition window" t_cleanup_old
run_test "(b) flood at the old address dropped at its gate; transfer bounded" t_attack
run_test "(b) attack signal raises the threat; lowered when quiet" t_threat
run_test "(c) revoked client: no keys, dropped at the gates" t_revoke
run_test "(d) foreign certificate: no schedule" t_outsider_cert
run_test "(d) outsider's probes of an inactive address dropped" t_outsider_probe
run_test "(e) contract: warned, second chance after roam, blocked + revoked" t_contract
run_test "authd survives everything" kill -0 "$(ip netns pids "$auth" | head -1)"
run_test "roamd alive; exits 0 on SIGTERM" t_daemons_exit
if [ $_ktap_fail -ne 0 ]; then
	for f in "$T"/roamd*.log "$T/authd.log" "$T/hook.log"; do
		echo "# $f:"; tail -n 25 "$f" 2>/dev/null | sed 's/^/#   /'
	done
fi
[ -n "${ROAM_FIG2_LOGS:-}" ] && cp "$T"/*.log "$T"/*.json "$ROAM_FIG2_LOGS"/ 2>/dev/null
ktap_finish
