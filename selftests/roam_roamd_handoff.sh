#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The live handoff driven by roamd (--migrate-key) with roam.ko: two pool
# servers each run roamd with the demo file server as its service; at
# each roam the old roamd exports the service's connections, blocks and
# freezes them, and sends them over the TLS (PSK) channel; the new roamd
# restores them at its own address, installs MIGRATING in its roam.ko and
# hands them to its file server.  The client's roam.ko verifies MIGRATE
# and translates, so one download runs through several roams byte-exact
# on its first connection.
#
#   c (10.0.1.1) ----- r (router, authd 10.0.1.254:7443) --+-- (10.0.2.1) a   roamd srv1
#   client, roam.ko                                        '-- (10.0.3.1) b   roamd srv2
#   client side on

. "$(dirname "$0")/lib.sh"

require_root
require_modules roam
require_cmd ip jq python3

TOOL=${ST_BIN:-$TOP/build/selftests}/roam_handoff
for f in "$TOOL" "$BINDIR/authd" "$BINDIR/roamd" "$BINDIR/roam-fileserver"; do
	[ -x "$f" ] || skip_all "$f not built (make tools daemons)"
done

A=10.0.2.1 B=10.0.3.1 PORT=8000 ID=7
TMP=$(mktemp -d)
chmod 700 "$TMP"

cleanup() {
	local ns
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	sleep 0.3
	cleanup_all_ns
	mod_unload roam
	rm -rf "$TMP"
}
trap cleanup EXIT

mod_load roam || exit $KSFT_FAIL

setup_topology() {
	setup_ns c r a b || return 1
	veth_pair "$c" eth0 10.0.1.1/24 "$r" to_c 10.0.1.254/24 || return 1
	veth_pair "$a" eth0 $A/24 "$r" to_a 10.0.2.254/24 || return 1
	veth_pair "$b" eth0 $B/24 "$r" to_b 10.0.3.254/24 || return 1
	ip -n "$c" route add default via 10.0.1.254 || return 1
	ip -n "$a" route add default via 10.0.2.254 || return 1
	ip -n "$b" route add default via 10.0.3.254 || return 1
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
}
setup_topology || exit $KSFT_FAIL

start() {
	mkdir -m 700 "$TMP/state" "$TMP/files" "$TMP/run1" "$TMP/run2" || return 1
	head -c $((16 << 20)) /dev/urandom >"$TMP/files/big" || return 1
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TMP/kmig" || return 1
	echo >>"$TMP/kmig"
	chmod 600 "$TMP/kmig"
	(umask 077 && "$TOOL" kclient "$TMP/kmig" $ID >"$TMP/kclient") || fail "kclient" || return 1
	cmd ip netns exec "$c" "$ROAMCTL" migrate set client-id $ID key-file "$TMP/kclient" \
		pool $A,$B ports $PORT client on || return 1
	ip netns exec "$r" "$BINDIR/authd" -d "$TMP/state" -l 10.0.1.254:7443 \
		-s "$TMP/adm.sock" --san IP:10.0.1.254 --chain-len 10000 -p $A:$PORT -p $B:$PORT \
		--min-ms 2500 --max-low-ms 3500 --max-high-ms 3000 >"$TMP/authd.log" 2>&1 &
	busywait 30000 test -S "$TMP/adm.sock" || { cat "$TMP/authd.log"; fail "authd did not start"; return 1; }
	for s in srv1 srv2; do
		cmd "$ROAMCTL" client add $s dir "$TMP" socket "$TMP/adm.sock" >/dev/null ||
			fail "client add $s" || return 1
	done
	local i ns addr
	for i in 1 2; do
		ns=$a addr=$A
		[ $i = 2 ] && ns=$b addr=$B
		ip netns exec "$ns" "$BINDIR/roamd" --ca "$TMP/ca.crt" --cert "$TMP/srv$i.crt" \
			--key "$TMP/srv$i.key" -H 10.0.1.254 -P 7443 --self $addr:$PORT -s none \
			--state-dir "$TMP/run$i" --migrate-key "$TMP/kmig" \
			-- "$BINDIR/roam-fileserver" -l $addr:$PORT -d "$TMP/files" \
			>"$TMP/roamd$i.log" 2>&1 &
	done
	busywait 10000 sh -c "grep -q 'live handoff on' $TMP/roamd1.log && grep -q 'live handoff on' $TMP/roamd2.log" ||
		{ cat "$TMP"/roamd*.log; fail "roamd did not start"; }
}

diag() {
	local ns
	for ns in "$c" "$a" "$b"; do
		echo "--- $ns"
		ip netns exec "$ns" "$ROAMCTL" -j status | jq -c '.stats | with_entries(select(.key | startswith("mig_")))'
		ip netns exec "$ns" "$ROAMCTL" -j conn show | jq -c .
	done
	tail -n 30 "$TMP/roamd1.log" "$TMP/roamd2.log"
}

test_download() {
	local v0 rc=0 moves
	v0=$(jget "$c" "$ROAMCTL" .stats.mig_verified) || return 1
	"$BINDIR/authd" -q -d "$TMP/state" --print-schedule 1:300 >"$TMP/schedule" ||
		fail "no schedule" || return 1
	# 16 MiB at 2 MiB/s: 8 s, two or three roams.
	ip netns exec "$c" python3 - "$TMP/schedule" "$TMP/out" >"$TMP/client.out" 2>&1 <<-'EOF' || rc=$?
	import json, socket, sys, time
	now = time.time() * 1000
	for line in open(sys.argv[1]):
	    e = json.loads(line)
	    if e["start_ms"] > now + 300:
	        break
	time.sleep((e["start_ms"] + 200) / 1000 - time.time())
	host, port = e["addr"].rsplit(":", 1)
	s = socket.socket()
	s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
	s.settimeout(15)
	s.connect((host, int(port)))
	s.sendall(b"GET big 0\n")
	hdr = b""
	while not hdr.endswith(b"\n"):
	    hdr += s.recv(1)
	rate, step = 2 << 20, 0.02
	got, gap, last, t0 = bytearray(), 0.0, time.monotonic(), time.monotonic()
	while True:
	    d = s.recv(int(rate * step))
	    now = time.monotonic()
	    if not d:
	        break
	    gap = max(gap, now - last)
	    last = now
	    got += d
	    time.sleep(max(0.0, t0 + len(got) / rate - time.monotonic()))
	open(sys.argv[2], "wb").write(got)
	print("epoch %d at %s: %d bytes in %.1f s, longest gap %.0f ms" %
	      (e["epoch"], e["addr"], len(got), time.monotonic() - t0, gap * 1000))
	EOF
	cat "$TMP/client.out"
	[ $rc = 0 ] && cmp -s "$TMP/out" "$TMP/files/big" ||
		{ diag; fail "the download is not byte-exact (client $rc)"; return 1; }
	moves=$(cat "$TMP/roamd1.log" "$TMP/roamd2.log" |
		grep -c "handoff: 1 connections from the service, 1 sent (result received)")
	echo "moves: $moves; client verified MIGRATE: $(( $(jget "$c" "$ROAMCTL" .stats.mig_verified) - v0 ))"
	[ "$moves" -ge 1 ] || { diag; fail "the connection never moved"; return 1; }
	[ $(( $(jget "$c" "$ROAMCTL" .stats.mig_verified) - v0 )) = "$moves" ] ||
		{ diag; fail "mig_verified does not match the moves"; }
}

test_status() {
	local p
	for p in $(ip netns pids "$a") $(ip netns pids "$b"); do
		grep -q roamd "/proc/$p/comm" 2>/dev/null && kill -HUP "$p"
	done
	sleep 0.5
	grep -h "handoffs out" "$TMP/roamd1.log" "$TMP/roamd2.log" | sed 's/.*handoffs out/handoffs out/'
	# The stall of each move as roam.ko measured it on the new server:
	# MIGRATING set -> the client's first segment.
	grep -h "answered its moved connection" "$TMP/roamd1.log" "$TMP/roamd2.log" |
		sed 's/.*handoff: /stall: /'
	[ "$(cat "$TMP/roamd1.log" "$TMP/roamd2.log" | grep -c "answered its moved connection")" -ge 1 ] ||
		fail "no CONN_CONFIRMED event reached roamd" || return 1
	[ "$(grep -h "handoffs out" "$TMP/roamd1.log" "$TMP/roamd2.log" | wc -l)" = 2 ] ||
		fail "no status line from both roamds" || return 1
	! grep -q "lost [1-9]\|refused [1-9]" "$TMP/roamd1.log" "$TMP/roamd2.log" ||
		fail "a connection was lost or a session refused"
}

ktap_header 3
run_test "two pool servers with roamd, live handoff on, a client with a key" start
run_test "a 16 MiB download moves with the service, byte-exact, MIGRATE verified" test_download
run_test "roamd's counters: stalls from CONFIRMED events, nothing lost or refused" test_status
ktap_finish
