#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Counters grow with real traffic through a routed veth topology:
#
#   client (10.0.1.1) --veth-- (10.0.1.254) router (10.0.2.254) --veth-- (10.0.2.1) server
#
# The router counts forwarded packets and bytes, the server counts local
# delivery, and the client, which only sends, forwards nothing.

. "$(dirname "$0")/lib.sh"

require_root
require_modules mtf roam
require_cmd ip jq ping iperf3

cleanup() {
	[ -n "${server:-}" ] && ip netns pids "$server" 2>/dev/null | xargs -r kill 2>/dev/null
	cleanup_all_ns
	mod_unload mtf
	mod_unload roam
	rm -f "$TMPJ"
}
trap cleanup EXIT

TMPJ=$(mktemp)
mod_load mtf && mod_load roam || exit $KSFT_FAIL

setup_line3 || exit $KSFT_FAIL

stat() {	# ns tool counter
	jget "$1" "$2" ".stats.$3"
}

grown() {	# ns tool counter min
	[ "$(stat "$1" "$2" "$3")" -ge "$4" ]
}

# stable ns tool counter: prints the counter once two reads 0.3 s apart
# agree (traffic has settled).
stable() {
	local a b
	b=$(stat "$1" "$2" "$3") || return 1
	for _ in $(seq 20); do
		sleep 0.3
		a=$b
		b=$(stat "$1" "$2" "$3") || return 1
		[ "$a" = "$b" ] && { echo "$b"; return 0; }
	done
	return 1
}

test_ping_forwarded() {
	local p0 p1 b0 b1 s0 s1
	p0=$(stat "$router" "$MTFCTL" fwd_packets) || return 1
	b0=$(stat "$router" "$MTFCTL" fwd_bytes) || return 1
	s0=$(stat "$server" "$MTFCTL" local_in_packets) || return 1
	cmd ip netns exec "$client" ping -c 50 -i 0.01 -s 200 -q 10.0.2.1 || return 1
	p1=$(stat "$router" "$MTFCTL" fwd_packets) || return 1
	b1=$(stat "$router" "$MTFCTL" fwd_bytes) || return 1
	s1=$(stat "$server" "$MTFCTL" local_in_packets) || return 1
	echo "router fwd_packets $p0 -> $p1, fwd_bytes $b0 -> $b1; server local_in $s0 -> $s1"
	# 50 requests and 50 replies cross the router, each 228 bytes of IP;
	# nothing else is IPv4 in this topology (mtf hooks IPv4 only).
	[ $((p1 - p0)) -eq 100 ] || fail "router forwarded $((p1 - p0)) packets, not 100" || return 1
	[ $((b1 - b0)) -eq $((100 * 228)) ] || fail "router forwarded $((b1 - b0)) bytes, not $((100 * 228))" || return 1
	[ $((s1 - s0)) -eq 50 ] || fail "server delivered $((s1 - s0)) packets, not 50"
}

test_tcp_bulk() {
	local b0 b1 r0 r1 got sent lo hi
	ip netns exec "$server" iperf3 -s -1 -D -B 10.0.2.1 >/dev/null || return 1
	busywait 5000 ip netns exec "$server" sh -c 'ss -ltn | grep -q ":5201"' || return 1
	b0=$(stat "$router" "$MTFCTL" fwd_bytes) || return 1
	r0=$(stat "$router" "$ROAMCTL" in_bytes) || return 1
	# What the server's socket received: iperf3 -n stops writing at 4 MiB
	# but may end the test before the last bytes are read.
	ip netns exec "$client" iperf3 -c 10.0.2.1 -n 4M -J >"$TMPJ" || return 1
	got=$(jq -e '.end.sum_received.bytes' "$TMPJ") || return 1
	sent=$(jq -e '.end.sum_sent.bytes' "$TMPJ") || return 1
	echo "server received $got bytes of TCP payload, client sent $sent"
	[ "$got" -ge $((1024 * 1024)) ] || fail "transfer too short" || return 1
	busywait 5000 grown "$router" "$MTFCTL" fwd_bytes $((b0 + got))
	busywait 5000 grown "$router" "$ROAMCTL" in_bytes $((r0 + got))
	b1=$(stable "$router" "$MTFCTL" fwd_bytes) || return 1
	r1=$(stable "$router" "$ROAMCTL" in_bytes) || return 1
	echo "router mtf fwd_bytes +$((b1 - b0)), roam in_bytes +$((r1 - r0))"
	# Every byte the router forwards it first sees in PRE_ROUTING, and
	# nothing here is addressed to the router itself: the same figure.
	[ $((b1 - b0)) -eq $((r1 - r0)) ] ||
		fail "mtf forwarded $((b1 - b0)) bytes, roam saw $((r1 - r0))" || return 1
	# Not exactly known: headers, ACKs, retransmits and iperf3's control
	# connection come on top of the payload, and bytes are skb->len, so a
	# GSO packet's headers count once.  At least the payload received; at
	# most 10 % more than what was sent (per 1448-byte MSS segment, 3.6 %
	# headers one way and ~2 % ACKs back) plus 64 KiB of control connection.
	lo=$got

	hi=$((sent + sent / 10 + 65536))
	echo "expected within [$lo, $hi]"
	[ $((b1 - b0)) -ge $lo ] && [ $((b1 - b0)) -le $hi ] ||
		fail "mtf counted $((b1 - b0)) bytes, outside [$lo, $hi]"
}

test_client_forwards_nothing() {
	local p
	p=$(stat "$client" "$MTFCTL" fwd_packets) || return 1
	[ "$p" = 0 ] || fail "client forwarded $p packets"
}

ktap_header 3
run_test "ping across the router is counted (mtf FORWARD, LOCAL_IN)" test_ping_forwarded
run_test "a TCP transfer is counted in bytes (mtf and roam)" test_tcp_bulk
run_test "an end host forwards nothing" test_client_forwards_nothing
ktap_finish
