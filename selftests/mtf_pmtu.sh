#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Path MTU with the MTF path header, every link at MTU 1500:
#
#   client --- r1 --- r2 --- r3 --- server
#      border-ingress^         ^border-ingress
#
#   client 10.0.1.1, r1 eth0 10.0.1.254, server 10.0.3.1
#
# r1 inserts a header of 4 + 15 * 8 = 124 bytes.  A full-size packet with
# DF cannot take it: r1 answers ICMP fragmentation-needed with 1500 - 124
# = 1376 and the client's route cache learns it; TCP converges and the
# transfer completes.  Without DF the packet goes on unmarked, never
# fragmented with the header inside.  The header size follows the slots
# setting (3 slots: 28 bytes, MTU 1472).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mtf_topo.lib"

require_root
require_modules mtf
require_cmd ip jq socat sha256sum ping
for b in "$MTFCTL" "$CAPTURE"; do
	[ -x "$b" ] || skip_all "$b not built (make tools)"
done

TMP=$(mktemp -d)
cleanup() {
	local ns
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	cleanup_all_ns
	mod_unload mtf
	rm -rf "$TMP"
}
trap cleanup EXIT

mod_load mtf || exit $KSFT_FAIL
setup_line5 || exit $KSFT_FAIL
{
	mtf "$r1" dev eth0 set border-ingress on &&
	mtf "$r3" dev eth0 set border-ingress on &&
	mtf "$server" config set enable on
} >/dev/null || exit $KSFT_FAIL

route_mtu() {	# the client's cached path MTU towards the server, or none
	local out
	out=$(ip -n "$client" route get $SERVER)
	echo "$out" | sed "s/^/route: /" >&2
	echo "$out" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

flush_pmtu() {
	ip -n "$client" route flush cache
}

test_no_df_unmarked() {
	local t0
	t0=$(counter "$r1" too_big_unmarked) || return 1
	capture_start "$r3" eth0 $SERVER "$TMP/c1" || return 1
	cmd ip netns exec "$client" ping -c 1 -W 5 -M dont -s 1472 $SERVER || return 1
	capture_wait || return 1
	cat "$TMP/c1"
	grep -q '^ip proto=1 len=1500 frag=0' "$TMP/c1" ||
		fail "expected the 1500-byte ping unmarked and unfragmented" || return 1
	delta_is "$r1" too_big_unmarked "$t0" 1
}

test_df_frag_needed() {
	local p0 out mtu
	flush_pmtu
	p0=$(counter "$r1" pmtu_sent) || return 1
	out=$(ip netns exec "$client" ping -c 1 -W 2 -M do -s 1472 $SERVER 2>&1)
	echo "$out"
	echo "$out" | grep -q 'mtu = 1376' || fail "no frag-needed with mtu 1376" || return 1
	delta_is "$r1" pmtu_sent "$p0" 1 || return 1
	mtu=$(route_mtu)
	[ "$mtu" = 1376 ] || fail "client route cache has mtu '$mtu', expected 1376"
}

test_tcp_converges() {
	local p0 mtu
	flush_pmtu
	p0=$(counter "$r1" pmtu_sent) || return 1
	head -c 1000000 /dev/urandom >"$TMP/file" || return 1
	tcp_transfer "$TMP/file" || return 1
	delta_is "$r1" pmtu_sent "$p0" + || return 1
	mtu=$(route_mtu)
	[ "$mtu" = 1376 ] || fail "client route cache has mtu '$mtu', expected 1376"
}

test_mtu_follows_slots() {
	local out
	mtf "$r1" config set slots 3 || return 1
	flush_pmtu
	out=$(ip netns exec "$client" ping -c 1 -W 2 -M do -s 1472 $SERVER 2>&1)
	echo "$out"
	mtf "$r1" config set slots 15 >/dev/null
	echo "$out" | grep -q 'mtu = 1472' || fail "expected mtu 1500 - 28 = 1472"
}

ktap_header 4
run_test "no DF: 1500-byte packet forwarded unmarked (too_big_unmarked)" test_no_df_unmarked
run_test "DF: ICMP frag-needed with mtu 1376, client caches it" test_df_frag_needed
run_test "TCP with DF converges through PMTU discovery, sha256 intact" test_tcp_converges
run_test "reported MTU follows the configured slots" test_mtu_follows_slots
ktap_finish
