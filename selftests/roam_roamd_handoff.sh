#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The live handoff end to end (issue 12): two pool servers each run roamd
# (--migrate-key) with the demo file server as its service; at each roam
# the old roamd exports the service's connections, blocks and freezes
# them, and sends them over the TLS (PSK) channel; the new roamd restores
# them at its own address, installs MIGRATING in its roam.ko and hands
# them to its file server.  The client is roam-fetch --handoff: it loads
# the id and key authd gave into its roam.ko, and keeps its connection
# across the roams; roam.ko verifies MIGRATE and translates.
#
#   c (10.0.1.1) ----- r (router, authd 10.0.1.254:7443) --+-- (10.0.2.1) a   roamd srv1
#   client, roam.ko                                        '-- (10.0.3.1) b   roamd srv2
#
# Epochs of 2-2.5 s (threat level high; every roam changes server: A, B,
# A, ...); authd hands out one key ahead (--lookahead 1), so that a key
# pushed late on a loaded emulator does not make roamd skip a roam.  The
# 100-connection move takes ~2 s under TCG: for it the level goes back to
# low (epochs of 2-6 s) and the roam chosen is followed by 4 s or more.
#   1. a 50 MiB download read at 960 KiB/s (53 s: at least 20 roams) on one
#      connection: byte-exact, handoffs = the roams it spanned = the
#      client's verified MIGRATEs = the CONFIRMED events; no RST either way
#      (counted at the router), no abort at the client (nstat), no
#      reconnect, no fresh-connection migration.  The stall of each move
#      (roam.ko's CONFIRMED event: MIGRATING -> the client's first segment)
#      is printed.
#   2. the client side off (no option offered): roam-fetch without
#      --handoff falls back to the paper's migration, byte-exact.
#   3. 100 connections (one process, their requests sent, their data not
#      read) move in one roam: mig_verified +100 before the next roam, the
#      old server has no socket of them at once and no conn entry once
#      the transition window (500 ms) is over (BLOCKED until then), no
#      RST either way, then all 100 are read to the end byte-exact.
# The forged and replayed MIGRATE cases are roam_handoff.sh's.

. "$(dirname "$0")/lib.sh"

require_root
require_modules roam
require_cmd ip jq python3 nft ss sha256sum

for f in "$BINDIR/authd" "$BINDIR/roamd" "$BINDIR/roam-fileserver" "$BINDIR/roam-fetch"; do
	[ -x "$f" ] || skip_all "$f not built (make tools daemons)"
done

A=10.0.2.1 B=10.0.3.1 PORT=8000
FETCH=$BINDIR/roam-fetch
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
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 || return 1
	# Every RST between the client and the pool, either way.
	ip netns exec "$r" nft -f - <<-EOF
	table inet ho {
		chain pass {
			type filter hook forward priority 0;
			ip saddr 10.0.1.1 tcp flags & rst == rst counter
			ip daddr 10.0.1.1 tcp flags & rst == rst counter
		}
	}
	EOF
}
setup_topology || exit $KSFT_FAIL

# Client-side TCP counters: NAME=VALUE from /proc/net/snmp and netstat.
tcpstat() {
	ip netns exec "$c" cat /proc/net/snmp /proc/net/netstat | awk '
		$1 in seen { p = substr($1, 1, length($1) - 1)
			     for (i = 2; i <= NF; i++) print p name[$1, i] "=" $i; next }
		{ seen[$1] = 1; for (i = 2; i <= NF; i++) name[$1, i] = $i }'
}

# Resets, aborts: TcpOutRsts + every TcpExtTCPAbort*.
aborts() {
	tcpstat | awk -F= '$1 == "TcpOutRsts" || $1 ~ /^TcpExtTCPAbort/ { n += $2 } END { print n + 0 }'
}

rsts() {	# the router's RST count, both ways
	ip netns exec "$r" nft -j list chain inet ho pass |
		jq '[.. | .counter? | objects | .packets] | add'
}

verified() {
	jget "$c" "$ROAMCTL" .stats.mig_verified
}

confirmed() {	# CONFIRMED at both servers (roam.ko's counters)
	echo $(( $(jget "$a" "$ROAMCTL" .stats.mig_confirmed) + $(jget "$b" "$ROAMCTL" .stats.mig_confirmed) ))
}

start() {
	mkdir -m 700 "$TMP/state" "$TMP/files" "$TMP/run1" "$TMP/run2" || return 1
	head -c $((50 << 20)) /dev/urandom >"$TMP/files/big" || return 1
	head -c $((3 << 20)) /dev/urandom >"$TMP/files/mid" || return 1
	head -c $((256 << 10)) /dev/urandom >"$TMP/files/small" || return 1
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TMP/kmig" || return 1
	echo >>"$TMP/kmig"
	chmod 600 "$TMP/kmig"
	ip netns exec "$r" "$BINDIR/authd" -d "$TMP/state" -l 10.0.1.254:7443 \
		-s "$TMP/adm.sock" --san IP:10.0.1.254 --chain-len 10000 -p $A:$PORT -p $B:$PORT \
		--min-ms 2000 --max-low-ms 6000 --max-high-ms 2500 --lookahead 1 --migrate-key "$TMP/kmig" \
		>"$TMP/authd.log" 2>&1 &
	busywait 30000 test -S "$TMP/adm.sock" || { cat "$TMP/authd.log"; fail "authd did not start"; return 1; }
	cmd "$ROAMCTL" threat high socket "$TMP/adm.sock" >/dev/null || fail "threat high" || return 1
	for s in srv1 srv2 cl; do
		cmd "$ROAMCTL" client add $s dir "$TMP" socket "$TMP/adm.sock" >/dev/null ||
			fail "client add $s" || return 1
	done
	"$BINDIR/authd" -q -d "$TMP/state" --print-schedule 1:1000 >"$TMP/schedule" ||
		fail "no schedule" || return 1
	local i ns addr
	for i in 1 2; do
		ns=$a addr=$A
		[ $i = 2 ] && ns=$b addr=$B
		ip netns exec "$ns" "$ROAMCTL" -j monitor >"$TMP/events$i" 2>&1 &
		ip netns exec "$ns" "$BINDIR/roamd" --ca "$TMP/ca.crt" --cert "$TMP/srv$i.crt" \
			--key "$TMP/srv$i.key" -H 10.0.1.254 -P 7443 --self $addr:$PORT -s none \
			--state-dir "$TMP/run$i" --migrate-key "$TMP/kmig" --window-ms 500 \
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
		ip netns exec "$ns" "$ROAMCTL" -j status | jq -c '.stats | with_entries(select(.value != 0))'
		ip netns exec "$ns" "$ROAMCTL" -j conn show | jq -c .
	done
	grep -h "handoff\|handed\|warn\|error" "$TMP/roamd1.log" "$TMP/roamd2.log" | grep -v " 0 conn" | tail -n 60
}

fetch() {	# OUT ARGS...: roam-fetch as client cl, its JSON line in OUT
	local out=$1; shift
	ip netns exec "$c" "$FETCH" --ca "$TMP/ca.crt" --cert "$TMP/cl.crt" --key "$TMP/cl.key" \
		-H 10.0.1.254 -P 7443 -q "$@" >"$out" 2>"$out.err"
}

# The CONFIRMED events since line FROM of both monitors: one stall (ms) a line.
stalls_since() {	# FROM1 FROM2
	{ tail -n +$(($1 + 1)) "$TMP/events1"; tail -n +$(($2 + 1)) "$TMP/events2"; } |
		jq -r 'select(.event == "conn_confirmed") | .stall_ns / 1e6'
}

test_long() {
	local v0 r0 ab0 e1 e2 rc=0 t0 t1 j roams n k0 k
	v0=$(verified) && k0=$(confirmed) || return 1
	r0=$(rsts) && ab0=$(aborts) || return 1
	e1=$(wc -l <"$TMP/events1") e2=$(wc -l <"$TMP/events2")
	fetch "$TMP/long.json" --handoff -f big --rate $((960 << 10)) --rcvbuf 65536 \
		--stall-ms 4000 -t 180000 --sha256 "$(sha256sum <"$TMP/files/big" | cut -c1-64)" || rc=$?
	j=$(jq -c 'select(.event == "transfer")' "$TMP/long.json")
	echo "roam-fetch: $(jq -c 'del(.sha256)' <<<"$j")"
	[ $rc = 0 ] && [ "$(jq -r .ok <<<"$j")" = true ] ||
		{ cat "$TMP/long.json.err"; diag; fail "the download failed (roam-fetch $rc)"; return 1; }
	# The roams while the connection was up, from its connect (after
	# authd's first key, up to seconds into the transfer on a loaded
	# host) to the transfer's end; a move in its first 200 ms or its last
	# second may or may not show (a move takes a few hundred ms under a
	# loaded emulator, and once the last bytes are at the client it has
	# nothing left to move).  Epochs are 2 s or more, so at most one roam
	# in each margin: handoffs are the roams counted, or up to 2 more.
	t0=$(jq -r .connected_ms <<<"$j")
	t1=$(( $(jq -r .start_ms <<<"$j") + $(jq -r .ms <<<"$j") ))
	roams=$(jq -s "[.[] | select(.start_ms > $t0 + 200 and .start_ms < $t1 - 1000)] | length" "$TMP/schedule")
	n=$(jq -r .handoffs <<<"$j")
	echo "connected $((t0 - $(jq -r .start_ms <<<"$j"))) ms into the transfer"
	echo "roams during the transfer: $roams; handoffs: $n; client verified MIGRATE: $(( $(verified) - v0 ))"
	echo "stall per handoff (ms, MIGRATING -> the client's first segment):" \
		$(stalls_since "$e1" "$e2" | xargs printf '%.1f ')
	echo "RSTs client<->pool: $(( $(rsts) - r0 )); client resets/aborts: $(( $(aborts) - ab0 ))"
	[ "$roams" -ge 20 ] || fail "only $roams roams during the transfer (want >= 20)" || return 1
	[ "$(jq -r '.reconnects, .migrations' <<<"$j" | tr '\n' ' ')" = "0 0 " ] ||
		{ diag; fail "the connection did not survive: reconnects/migrations"; return 1; }
	[ "$n" -ge "$roams" ] && [ "$n" -le $((roams + 2)) ] ||
		{ diag; fail "handoffs $n do not match the roams ($roams)"; return 1; }
	[ $(( $(verified) - v0 )) = "$n" ] || { diag; fail "mig_verified does not match the handoffs"; return 1; }
	# The last move can end the transfer before the client sends a
	# segment the new server sees (its answer to the probe is rate limited).
	k=$(( $(confirmed) - k0 ))
	echo "CONFIRMED: roam.ko counted $k, the monitors got $(stalls_since "$e1" "$e2" | wc -l) events"
	[ "$k" -le "$n" ] && [ "$k" -ge $((n - 1)) ] ||
		{ diag; fail "CONFIRMED $k, handoffs $n"; return 1; }
	[ $(( $(rsts) - r0 )) = 0 ] || fail "RSTs between the client and the pool" || return 1
	[ $(( $(aborts) - ab0 )) = 0 ] || { tcpstat | grep -E 'OutRsts|Abort'; fail "resets/aborts at the client"; }
}

test_many() {
	local e1 e2 r0 rc=0
	cmd ip netns exec "$c" "$ROAMCTL" migrate set client on || return 1
	# Longer epochs from the next key authd releases on.
	cmd "$ROAMCTL" threat low socket "$TMP/adm.sock" >/dev/null || return 1
	"$BINDIR/authd" -q -d "$TMP/state" --print-schedule 1:1000 >"$TMP/schedule" ||
		fail "no schedule" || return 1
	e1=$(wc -l <"$TMP/events1") e2=$(wc -l <"$TMP/events2")
	r0=$(rsts) || return 1
	ip netns exec "$c" python3 - "$TMP/schedule" "$ROAMCTL" \
		"$(sha256sum <"$TMP/files/small" | cut -c1-64)" 100 "$A" "$a" "$B" "$b" "$r" <<-'EOF' || rc=$?
	import hashlib, json, select, socket, subprocess, sys, time
	sched, roamctl, want, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
	nsof = {sys.argv[5]: sys.argv[6], sys.argv[7]: sys.argv[8]}
	def rsts():	# the router's RST counters, both ways
	    j = json.loads(subprocess.check_output(["ip", "netns", "exec", sys.argv[9], "nft", "-j",
	                                            "list", "chain", "inet", "ho", "pass"]))
	    return sum(x["counter"]["packets"] for r in j["nftables"] if "rule" in r
	               for x in r["rule"]["expr"] if "counter" in x)
	r0 = rsts()
	ms = lambda: time.time() * 1000
	def verified():
	    return json.loads(subprocess.check_output([roamctl, "-j", "status"]))["stats"]["mig_verified"]
	eps = [json.loads(l) for l in open(sched)]
	# The connections must be up inside one epoch: on a loaded machine
	# that can miss, then try the next epoch (at most 3 times).
	# A roam F followed by an epoch of 4 s or more (2-6 s now): the 100
	# moves take ~2 s under TCG, longer on a loaded host, and the checks
	# after them (a few ip netns exec) up to 1.2 s.
	for attempt in range(3):
	    i = next(k for k, e in enumerate(eps) if e["start_ms"] > ms() + 300 and
	             eps[k + 2]["start_ms"] - eps[k + 1]["start_ms"] >= 4000)
	    E, F, G = eps[i], eps[i + 1], eps[i + 2]
	    time.sleep((E["start_ms"] + 300 - ms()) / 1000)
	    host, port = E["addr"].rsplit(":", 1)
	    socks = []
	    for k in range(n):
	        s = socket.socket()
	        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
	        s.setblocking(False)
	        s.connect_ex((host, int(port)))
	        socks.append(s)
	    for s in socks:
	        select.select([], [s], [], 2)
	        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
	        if err:
	            sys.exit("connect: error %d" % err)
	        s.setblocking(True)
	        s.sendall(b"GET small 0\n")
	    ports = [s.getsockname()[1] for s in socks]
	    v0 = verified()
	    if ms() < F["start_ms"] - 100:
	        break
	    print("attempt %d: the connections were not ready before the roam; again" % attempt)
	    for s in socks:
	        s.close()
	else:
	    sys.exit("too slow: the connections were never ready before a roam")
	print("%d connections to %s, requests sent, %d ms before the roam to %s" %
	      (n, E["addr"], F["start_ms"] - ms(), F["addr"]))
	old = nsof[host]
	time.sleep(max(0, F["start_ms"] - ms()) / 1000)
	while ms() < G["start_ms"] - 150 and verified() - v0 < n:
	    time.sleep(0.05)
	dv = verified() - v0
	print("mig_verified +%d, %d ms after the roam (the next at +%d ms)" %
	      (dv, ms() - F["start_ms"], G["start_ms"] - F["start_ms"]))
	if dv < n:
	    sys.exit("FAIL: not all %d connections moved in the roam" % n)
	# Their sockets were closed (in repair mode) before they were sent;
	# their entries stay BLOCKED until the transition window closes
	# (--window-ms 500 after the roam), then are deleted.
	def left(cmd):	# our ports among the peers the old server lists
	    out = subprocess.check_output(["ip", "netns", "exec", old] + cmd, text=True)
	    words = set(out.replace('"', " ").replace("-", " ").split())
	    return sum(("10.0.1.1:%d" % p) in words for p in ports)
	left_ss = left(["ss", "-tanH"])
	time.sleep(max(0, F["start_ms"] + 700 - ms()) / 1000)
	left_tab = left([roamctl, "-j", "conn", "show"])
	if ms() > G["start_ms"] - 50:
	    sys.exit("FAIL: the checks ran into the next roam (+%d ms): the host is too slow to tell" %
	             (ms() - F["start_ms"]))
	if left_ss or left_tab:
	    sys.exit("FAIL: the old server kept %d sockets, %d conn entries of them" % (left_ss, left_tab))
	# The move, its window included: a late client segment at the old
	# server would have drawn an RST without the BLOCKED entries.
	print("RSTs client<->pool during the move: %d" % (rsts() - r0))
	if rsts() != r0:
	    sys.exit("FAIL: RSTs between the client and the pool during the move")
	print("the old server %s: no socket, no conn entry of the 100" % host)
	ok = 0
	for s in socks:
	    s.settimeout(20)
	    data = b""
	    while True:
	        d = s.recv(65536)
	        if not d:
	            break
	        data += d
	    hdr, _, body = data.partition(b"\n")
	    ok += hashlib.sha256(body).hexdigest() == want
	    s.close()
	print("byte-exact: %d of %d" % (ok, n))
	sys.exit(0 if ok == n else "FAIL: corrupt transfers")
	EOF
	local st
	st=$(stalls_since "$e1" "$e2" | sort -n)
	echo "CONFIRMED events: $(wc -l <<<"$st"); stall min/median/max (ms):" \
		"$(head -1 <<<"$st") $(sed -n "$(( ($(wc -l <<<"$st") + 1) / 2 ))p" <<<"$st") $(tail -1 <<<"$st")"
	# Afterwards (reads, closes, later roams): printed, not judged here.
	echo "RSTs client<->pool in the whole test: $(( $(rsts) - r0 ))"
	[ $rc = 0 ] || { diag; fail "100 connections"; }
}

test_fallback() {
	local v0 s0 j rc=0
	cmd ip netns exec "$c" "$ROAMCTL" migrate set client off || return 1
	v0=$(verified) && s0=$(jget "$c" "$ROAMCTL" .stats.mig_syn_opt) || return 1
	fetch "$TMP/fb.json" -f mid --rate $((1 << 20)) -t 60000 \
		--sha256 "$(sha256sum <"$TMP/files/mid" | cut -c1-64)" || rc=$?
	j=$(jq -c 'select(.event == "transfer")' "$TMP/fb.json")
	echo "roam-fetch: $(jq -c 'del(.sha256)' <<<"$j")"
	[ $rc = 0 ] && [ "$(jq -r .ok <<<"$j")" = true ] ||
		{ cat "$TMP/fb.json.err"; fail "the download failed (roam-fetch $rc)"; return 1; }
	[ "$(jq -r .migrations <<<"$j")" -ge 1 ] && [ "$(jq -r .handoffs <<<"$j")" = 0 ] ||
		fail "no fresh-connection migration, or a handoff" || return 1
	[ "$(jget "$c" "$ROAMCTL" .stats.mig_syn_opt)" = "$s0" ] && [ "$(verified)" = "$v0" ] ||
		fail "the option was offered or a MIGRATE verified with the client side off"
}

ktap_header 4
run_test "two pool servers with roamd, live handoff on" start
run_test "a 50 MiB download survives 20+ roams on one connection (roam-fetch --handoff)" test_long
run_test "without the option: the paper's fresh-connection migration, byte-exact" test_fallback
run_test "100 connections move in one roam; the old server keeps nothing of them" test_many
ktap_finish
