#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The live TCP handoff (Documentation/roam-handoff.md): one client, two
# pool servers in two namespaces, an off-path attacker, a router:
#
#   c (10.0.1.1) ----.                  .---- (10.0.2.1) a   pool server A
#                    +---- r (router) --+
#   x (10.0.4.1) ----'                  '---- (10.0.3.1) b   pool server B
#
# roam_handoff serve plays both server applications: two connections
# (a byte stream and an echo) accepted in A move A -> B -> A ... while
# the client reads and checks every byte; each move freezes the sockets
# with TCP_REPAIR, restores them in the other namespace and lets roam.ko
# carry the MIGRATE option; the client's roam.ko verifies it and
# translates.  The client's conntrack drops invalid packets all along.
# Also: a client without a key offers nothing; a forged and a replayed
# MIGRATE from x are dropped and counted; the tables are listed; the
# module unloads with entries present.

. "$(dirname "$0")/lib.sh"

require_root
require_modules roam
require_cmd ip jq nstat nft socat ss python3 setpriv

TOOL=${ST_BIN:-$TOP/build/selftests}/roam_handoff
NLPOLICY=$(dirname "$0")/tools/roam_nlpolicy.py
[ -x "$TOOL" ] || skip_all "$TOOL not built (make tools)"

A=10.0.2.1 B=10.0.3.1 C=10.0.1.1 PORT=5001 PORT2=5002 PORT3=5003 ID=7
MOVES=${HANDOFF_MOVES:-6}
INTERVAL_MS=${HANDOFF_INTERVAL_MS:-700}
BYTES=${HANDOFF_BYTES:-$((16 << 20))}
TMP=$(mktemp -d)

cleanup() {
	local ns
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	[ -s "$TMP/serve.pid" ] && kill "$(cat "$TMP/serve.pid")" 2>/dev/null
	cleanup_all_ns
	mod_unload roam
	rm -rf "$TMP"
}
trap cleanup EXIT

mod_load roam || exit $KSFT_FAIL

setup_topology() {
	setup_ns c r a b x || return 1
	veth_pair "$c" eth0 $C/24 "$r" to_c 10.0.1.254/24 || return 1
	veth_pair "$a" eth0 $A/24 "$r" to_a 10.0.2.254/24 || return 1
	veth_pair "$b" eth0 $B/24 "$r" to_b 10.0.3.254/24 || return 1
	veth_pair "$x" eth0 10.0.4.1/24 "$r" to_x 10.0.4.254/24 || return 1
	for ns in "$c" "$a" "$b" "$x"; do
		ip -n "$ns" route add default dev eth0 via "$(ip -n "$ns" -4 -o addr show eth0 |
			awk '{ split($4, p, "/"); split(p[1], o, "."); print o[1] "." o[2] "." o[3] ".254" }')" || return 1
	done
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 || return 1
	# x forges B's address: no reverse-path filter on the way.
	for k in all default to_x; do
		ip netns exec "$r" sysctl -qw net.ipv4.conf.$k.rp_filter=0 || return 1
	done
	# The client's conntrack drops invalid packets: a translation done
	# at the wrong place would show here.
	ip netns exec "$c" nft -f - <<-NFT || return 1
	table inet t {
		chain in { type filter hook input priority 0; ct state invalid counter drop; }
		chain out { type filter hook output priority 0; ct state invalid counter drop; }
	}
	NFT
}
setup_topology || exit $KSFT_FAIL

ctl() {	# ns roamctl-args...
	local ns=$1; shift
	cmd ip netns exec "$ns" "$ROAMCTL" "$@"
}

st() {	# ns counter
	jget "$1" "$ROAMCTL" ".stats.$2"
}

invalid_drops() {	# the client's conntrack "invalid" drops, both ways
	ip netns exec "$c" nft -j list ruleset |
		jq '[.nftables[] | .rule? // empty | .expr[] | .counter? // empty | .packets] | add'
}

# What the three roam.ko instances saw, for a failure's transcript.
diag() {
	local ns
	for ns in "$c" "$a" "$b"; do
		echo "--- $ns"
		ip netns exec "$ns" "$ROAMCTL" -j status | jq -c '.stats | with_entries(select(.key | startswith("mig_")))'
		ip netns exec "$ns" "$ROAMCTL" -j conn show | jq -c .
		ip netns exec "$ns" ss -tino
	done
	cat "$TMP/serve.err" "$TMP/client.out" "$TMP/serve2.out" 2>/dev/null
}

# ---------------------------------------------------------------- tests

test_no_key() {
	ctl "$a" migrate set server on server-ports $PORT,$PORT2,$PORT3 || return 1
	ctl "$b" migrate set server on server-ports $PORT,$PORT2,$PORT3 || return 1
	ctl "$c" migrate set client-id $ID pool $A,$B ports $PORT,$PORT2,$PORT3 client on || return 1
	ctl "$c" migrate show || return 1
	[ "$(ip netns exec "$c" "$ROAMCTL" -j migrate show | jq .key_set)" = false ] ||
		fail "key_set is not false" || return 1
	ip netns exec "$a" socat -u TCP-LISTEN:$PORT,bind=$A,reuseaddr OPEN:/dev/null &
	busywait 5000 sh -c "ip netns exec $a ss -Htln 'sport = :$PORT' | grep -q ." ||
		fail "no listener" || return 1
	ip netns exec "$c" socat -u OPEN:/etc/hostname TCP:$A:$PORT || fail "connection failed" || return 1
	wait
	[ "$(st "$c" mig_syn_opt)" = 0 ] || fail "a client without a key offered the option" || return 1
	[ "$(st "$a" mig_accepted)" = 0 ] || fail "server accepted a negotiation" || return 1
	[ "$(ip netns exec "$a" "$ROAMCTL" -j conn show | jq '.server | length')" = 0 ] ||
		fail "server table not empty" || return 1
	[ "$(ip netns exec "$c" "$ROAMCTL" -j conn show | jq '.client | length')" = 0 ] ||
		fail "client table not empty"
}

test_key() {
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TMP/kmig" || return 1
	echo >>"$TMP/kmig"
	(umask 077 && "$TOOL" kclient "$TMP/kmig" $ID >"$TMP/kclient") || return 1
	ctl "$c" migrate set key-file "$TMP/kclient" || return 1
	[ "$(ip netns exec "$c" "$ROAMCTL" -j migrate show | jq .key_set)" = true ] ||
		fail "key_set is not true"
}

# The MIGRATE bytes the server used: move conn -> hex; cport likewise.
mig_bytes() {
	awk -v m="$1" -v c="$2" '$1 == "migrate" && $2 == m && $4 == c { print $12 }' "$TMP/serve.out"
}
mig_cport() {
	awk -v c="$1" '$1 == "migrate" && $4 == c { print $6; exit }' "$TMP/serve.out"
}

test_handoff() {
	local v0 rc=0 cport good bad replay n

	v0=$(st "$c" mig_verified) || return 1
	"$TOOL" serve -a /run/netns/"$a" -A $A -b /run/netns/"$b" -B $B -p $PORT \
		-k "$TMP/kmig" -n $MOVES -i $INTERVAL_MS -s $BYTES \
		>"$TMP/serve.out" 2>"$TMP/serve.err" &
	echo $! >"$TMP/serve.pid"
	busywait 10000 grep -q listening "$TMP/serve.out" || fail "server did not start" || return 1
	ip netns exec "$c" "$TOOL" client -d $A -p $PORT -s $BYTES \
		>"$TMP/client.out" 2>&1 &
	echo $! >"$TMP/client.pid"

	# Once two moves are done (counter 2), x forges and replays.
	busywait 90000 grep -q "^move 2 " "$TMP/serve.out" ||
		{ diag; fail "no second move"; return 1; }
	cport=$(mig_cport 0)
	good=$(mig_bytes 1 0)
	echo "stream connection: client port $cport; move 1 MIGRATE $good"
	# Same orig, counter 99, a MAC with one bit flipped.
	bad=${good:0:8}00000063${good:16:23}$(printf %x $(( (0x${good:39:1} ^ 1) )))
	n=$(st "$c" mig_bad_mac)
	cmd ip netns exec "$x" "$TOOL" forge -S $B:$PORT -D $C:"$cport" -m "$bad" || return 1
	busywait 3000 sh -c "[ \$(ip netns exec $c $ROAMCTL -j status | jq .stats.mig_bad_mac) = $((n + 1)) ]" ||
		fail "forged MIGRATE: mig_bad_mac $(st "$c" mig_bad_mac), want $((n + 1))" || return 1
	replay=$(st "$c" mig_replay)
	# Move 1's MIGRATE, valid but old: counter 1 < 2.
	cmd ip netns exec "$x" "$TOOL" forge -S $B:$PORT -D $C:"$cport" -m "$good" || return 1
	busywait 3000 sh -c "[ \$(ip netns exec $c $ROAMCTL -j status | jq .stats.mig_replay) = $((replay + 1)) ]" ||
		fail "replayed MIGRATE: mig_replay $(st "$c" mig_replay), want $((replay + 1))" || return 1

	wait "$(cat "$TMP/client.pid")" || rc=$?
	cat "$TMP/client.out"
	[ $rc = 0 ] || { cat "$TMP/serve.err"; fail "client failed ($rc)"; return 1; }
	wait "$(cat "$TMP/serve.pid")" || rc=$?
	: >"$TMP/serve.pid"
	# The tables right away: closed entries linger 10 s.
	for ns in "$c" "$a" "$b"; do
		ip netns exec "$ns" "$ROAMCTL" -j conn show >"$TMP/conns.$ns"
	done
	grep -E '^(move|served)' "$TMP/serve.out"
	[ $rc = 0 ] || { cat "$TMP/serve.err"; fail "server failed ($rc)"; return 1; }
	grep -q "^served $BYTES bytes, $MOVES moves" "$TMP/serve.out" || fail "server did not finish" || return 1
	for ns in "$a" "$b"; do
		echo "server $ns: options added $(st "$ns" mig_opt_added), not added $(st "$ns" mig_noroom)"
	done
	n=$(st "$c" mig_verified)
	echo "client: $((n - v0)) verified MIGRATE (2 connections x $MOVES moves)"
	[ $((n - v0)) = $((2 * MOVES)) ] || fail "mig_verified +$((n - v0)), want $((2 * MOVES))"
}

test_stalls() {
	# The stall of each move: block -> CONFIRMED event, and the kernel's
	# MIGRATING -> first client segment.
	local s n
	grep '^move ' "$TMP/serve.out" || fail "no moves" || return 1
	s=$(awk '$1 == "move" { print $5 }' "$TMP/serve.out" | sort -n)
	n=$(echo "$s" | wc -l)
	echo "stall_ms over $n moves: min $(echo "$s" | head -1)" \
		"median $(echo "$s" | sed -n "$(( (n + 1) / 2 ))p")" \
		"max $(echo "$s" | tail -1)"
	[ "$n" = "$MOVES" ] || fail "$n moves, want $MOVES"
}

test_no_rst() {
	local out
	out=$(ip netns exec "$c" nstat -asz TcpOutRsts TcpEstabResets TcpAttemptFails) || return 1
	echo "$out"
	[ "$(echo "$out" | awk '$1 == "TcpOutRsts" { print $2 }')" = 0 ] || fail "the client sent an RST" || return 1
	[ "$(echo "$out" | awk '$1 == "TcpEstabResets" { print $2 }')" = 0 ] || fail "a client connection was reset" || return 1
	[ "$(invalid_drops)" = 0 ] || fail "client conntrack dropped $(invalid_drops) invalid packets"
}

test_tables() {
	local n
	# The last move (an even number of them) brought both connections
	# back to A: counter MOVES, current A; B kept nothing.
	cat "$TMP/conns.$c"
	n=$(jq "[.client[] | select(.counter == $MOVES and .current == \"$A\" and .orig == \"$A\" and .state == \"moved\")] | length" "$TMP/conns.$c")
	[ "$n" = 2 ] || fail "client table: $n of 2 connections back at A with counter $MOVES" || return 1
	cat "$TMP/conns.$a"
	n=$(jq "[.server[] | select(.state == \"confirmed\" and .counter == $MOVES and .client_id == $ID)] | length" "$TMP/conns.$a")
	[ "$n" = 2 ] || fail "A's table: $n of 2 confirmed connections with counter $MOVES" || return 1
	n=$(jq '.server | length' "$TMP/conns.$b")
	[ "$n" = 0 ] || fail "B (the old server) kept $n entries"
}

# The client answers the window probe (an old sequence number) with a
# duplicate ACK at most once per tcp_invalid_ratelimit: with it at 100 s
# only the first move's probes get an answer, so later moves are
# confirmed by the client's ACK of new data, which the new server sends
# before that with MIGRATE (GSO segments with room made for the option:
# a router forwarding one whose segments exceeded the MTU would drop it).
# The stream pauses 300 ms before each move (-q): without the pause a
# client ACK of the old server's data (delayed, or a window update) could
# reach the new server first and confirm the move before any data went,
# in every move of a run (seen on both kernels under TCG).
test_data_carries_migrate() {
	local rc=0 o0 o1 v0 v1 moves=4
	ip netns exec "$c" sysctl -qw net.ipv4.tcp_invalid_ratelimit=100000 || return 1
	o0=$(( $(st "$a" mig_opt_added) + $(st "$b" mig_opt_added) ))
	v0=$(st "$c" mig_verified)
	"$TOOL" serve -a /run/netns/"$a" -A $A -b /run/netns/"$b" -B $B -p $PORT3 \
		-k "$TMP/kmig" -n $moves -i $INTERVAL_MS -s $((8 << 20)) -q 300 \
		>"$TMP/serve2.out" 2>&1 &
	echo $! >"$TMP/serve.pid"
	busywait 10000 grep -q listening "$TMP/serve2.out" || fail "server did not start" || return 1
	ip netns exec "$c" "$TOOL" client -d $A -p $PORT3 -s $((8 << 20)) >"$TMP/client2.out" 2>&1 || rc=$?
	cat "$TMP/client2.out"
	wait "$(cat "$TMP/serve.pid")" || rc=$?
	: >"$TMP/serve.pid"
	grep -E '^(move|served)' "$TMP/serve2.out"
	ip netns exec "$c" sysctl -qw net.ipv4.tcp_invalid_ratelimit=500
	[ $rc = 0 ] || { diag; fail "transfer failed"; return 1; }
	o1=$(( $(st "$a" mig_opt_added) + $(st "$b" mig_opt_added) ))
	v1=$(st "$c" mig_verified)
	# 2 MIGRATE-ACCEPT, and per move 2 probes: anything more is data.
	echo "options added: $((o1 - o0)), of which on segments other than SYN-ACKs and probes: $((o1 - o0 - 2 - 2 * moves))"
	[ $((v1 - v0)) = $((2 * moves)) ] || fail "mig_verified +$((v1 - v0)), want $((2 * moves))" || return 1
	# Every move after the first (its probe is answered): one at least.
	[ $((o1 - o0 - 2 - 2 * moves)) -ge $((moves - 1)) ] ||
		fail "data segments carried MIGRATE in $((o1 - o0 - 2 - 2 * moves)) of the $((moves - 1)) moves after the first"
}

# What roamctl would not send: the kernel's policies refuse it, with the
# errno each check gives (an exact binary length is a range on 6.12, may
# be a length check elsewhere; 6.1 drops a dump's .start message), and
# nothing changes.
test_policy() {
	local out want got n
	out=$(ip netns exec "$x" "$NLPOLICY" mig-key-short mig-enable-2 mig-port-0 \
		mig-key-set mig-addr-outside mig-conn-max-0 mig-unknown mig-pool-zero \
		conn-no-rport conn-state-client conn-migrate-short conn-nonce-long \
		conn-cur-readonly conn-migrating-no-bytes conn-migrate-disagrees \
		conn-del-absent conn-del-extra conn-get-partial) || fail "roam_nlpolicy.py failed" || return 1
	echo "$out"
	n=0
	while read -r want; do
		got=$(echo "$out" | grep "^${want%%:*}: ") || { fail "no answer for ${want%%:*}"; return 1; }
		echo "$got" | grep -qE "^$want" || { fail "want '$want', got '$got'"; return 1; }
		n=$((n + 1))
	done <<-EOF
	mig-key-short: (Invalid argument|Numerical result out of range)
	mig-enable-2: Numerical result out of range
	mig-port-0: Numerical result out of range
	mig-key-set: Invalid argument read-only attribute
	mig-addr-outside: Invalid argument ADDR4 belongs inside POOL
	mig-conn-max-0: Numerical result out of range
	mig-unknown: Invalid argument Unknown attribute type
	mig-pool-zero: Invalid argument 0.0.0.0 cannot be a pool address
	conn-no-rport: Invalid argument
	conn-state-client: Numerical result out of range
	conn-migrate-short: (Invalid argument|Numerical result out of range)
	conn-nonce-long: (Invalid argument|Numerical result out of range)
	conn-cur-readonly: Invalid argument read-only attribute
	conn-migrating-no-bytes: Invalid argument MIGRATING needs the MIGRATE bytes
	conn-migrate-disagrees: Invalid argument MIGRATE disagrees with ORIG4/COUNTER
	conn-del-absent: No such file or directory no such connection
	conn-del-extra: Invalid argument Unknown attribute type
	conn-get-partial: Invalid argument
	EOF
	echo "$n cases as expected"
	[ "$(ip netns exec "$x" "$ROAMCTL" -j migrate show | jq '.server_conns + .client_conns + (.pool | length) + .client_id')" = 0 ] ||
		fail "a refused request changed something" || return 1
	# Every handoff command needs CAP_NET_ADMIN, reading ones too.
	for args in "migrate show" "conn show" "migrate set server on"; do
		# shellcheck disable=SC2086
		if ip netns exec "$x" setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$ROAMCTL" $args >/dev/null 2>&1; then
			fail "unprivileged '$args' allowed"
			return 1
		fi
	done
}

test_unload_with_entries() {
	local n
	ip netns exec "$a" socat -u TCP-LISTEN:$PORT2,bind=$A,reuseaddr OPEN:/dev/null >/dev/null 2>&1 &
	busywait 5000 sh -c "ip netns exec $a ss -Htln 'sport = :$PORT2' | grep -q ." ||
		fail "no listener" || return 1
	ip netns exec "$c" socat -u EXEC:'sleep 30' TCP:$A:$PORT2 >/dev/null 2>&1 &
	busywait 5000 sh -c "[ \$(ip netns exec $a $ROAMCTL -j conn show server | jq '.server | length') -ge 1 ]" ||
		fail "no negotiated entry in A" || return 1
	n=$(ip netns exec "$c" "$ROAMCTL" -j conn show client | jq '.client | length')
	echo "entries: client $n, server $(ip netns exec "$a" "$ROAMCTL" -j conn show server | jq '.server | length')"
	[ "$n" -ge 1 ] || fail "no client entry" || return 1
	cmd rmmod roam || fail "rmmod failed"
}

ktap_header 9
run_test "a client without a key offers no option" test_no_key
run_test "the client's key is loaded (write-only)" test_key
run_test "$MOVES moves A<->B, byte-exact, forged and replayed MIGRATE dropped" test_handoff
run_test "stall per move" test_stalls
run_test "no RST, no conntrack invalid at the client" test_no_rst
run_test "roamctl conn show: both tables" test_tables
run_test "MIGRATE on data segments when the probe goes unanswered" test_data_carries_migrate
run_test "netlink policies and CAP_NET_ADMIN" test_policy
run_test "unload with entries present" test_unload_with_entries
ktap_finish
