#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors from inside the MTF region (issue 8 item 9): the routers
# behind the inserting one quote packets with protocol 253 and the path
# header where the sender expects its transport header.  The first MTF
# router that forwards the error gives the quote back its original form
# (icmp_quote_stripped), and a frag-needed then reports the MTU minus the
# header length, so the sender can match the error and make room.
#
#   client --- r1 ========= r2 -- MTU 1300 -- r3 --- server
#         border-ingress      (two hops after r1) ^border-ingress
#
#   client 10.0.1.1, r1 10.0.1.254 | 10.0.12.1, r2 10.0.12.2 | 10.0.23.2,
#   r3 10.0.23.3 | 10.0.3.254, server 10.0.3.1
#
# r1 inserts 4 + 15 * 8 = 124 bytes: packets up to 1376 bytes fit its
# 1500-byte link, but r2 can forward only 1300, header included, so the
# client has to learn 1300 - 124 = 1176.  Without the rewrite r2's
# frag-needed never reaches a socket and TCP stalls (a PMTU black hole);
# ping -t and tracepath see no reply from r2 and r3 (all five points
# fail with the module from before the rewrite; the TCP one times out).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mtf_topo.lib"

require_root
require_modules mtf
require_cmd ip jq socat sha256sum ping tracepath
for b in "$MTFCTL" "$CAPTURE" "$SEND"; do
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
	# r2, inside the region, runs MTF without a role of its own.
	mtf "$r2" config set enable on &&
	# Hosts without interface roles strip path headers only on request.
	mtf "$client" config set enable on &&
	mtf "$server" config set enable on
} >/dev/null || exit $KSFT_FAIL
ip -n "$r2" link set eth1 mtu 1300 &&
ip -n "$r3" link set eth0 mtu 1300 || exit $KSFT_FAIL

route_mtu() {	# the client's cached path MTU towards the server, or none
	local out
	out=$(ip -n "$client" route get $SERVER)
	echo "$out" | sed "s/^/route: /" >&2
	echo "$out" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

flush_pmtu() {
	ip -n "$client" route flush cache
}

# csum16 HEX: the Internet checksum of HEX (whole 16-bit words), 4 digits.
csum16() {
	local h=$1 s=0 i
	for ((i = 0; i < ${#h}; i += 4)); do
		s=$((s + 16#${h:i:4}))
	done
	while ((s >> 16)); do
		s=$(((s & 0xffff) + (s >> 16)))
	done
	printf '%04x' $((~s & 0xffff))
}

# ipv4_hex TOT_LEN_HEX PROTO_HEX: the header of a client -> server packet
# (TTL 1, ID 0), checksum filled in.
ipv4_hex() {
	local h="4500${1}00000000 01${2}0000 0a000101 0a000301"

	h=${h// /}
	echo "${h:0:20}$(csum16 "$h")${h:24}"
}

# icmp_hex TYPE_CODE REST_HEX BODY_HEX [BAD]: an ICMP message, checksum
# filled in (off by one with BAD).
icmp_hex() {
	local ck

	ck=$(csum16 "${1}0000$2$3")
	[ -n "${4:-}" ] && ck=$(printf '%04x' $((16#$ck ^ 1)))
	echo "$1$ck$2$3"
}

test_frag_needed_stripped() {
	local s1 s2 s3 out d
	flush_pmtu
	s1=$(stats_json "$r1") && s2=$(stats_json "$r2") && s3=$(stats_json "$r3") || return 1
	CAPTURE_OPTS=-x capture_start "$client" eth0 10.0.1.1 "$TMP/c1" || return 1
	# 1376 bytes: fits r1's link with the header, not r2's second one.
	out=$(ip netns exec "$client" ping -c 1 -W 3 -M do -s 1348 $SERVER 2>&1)
	echo "$out"
	capture_wait || return 1
	cat "$TMP/c1"
	echo "$out" | grep -q 'From 10.0.12.2 .*mtu = 1176' ||
		fail "no frag-needed from r2 with mtu 1300 - 124 = 1176" || return 1
	# Linux quotes 548 bytes (576 in all): 124 fewer once stripped.
	# Type 3 code 4, MTU 0x498; quoted header: length 1376, DF, TTL 63
	# (r1 decremented it), protocol ICMP; then the echo request.
	d=$(sed -n 's/^ip proto=1 len=452 frag=0 data=//p' "$TMP/c1")
	echo "$d" | grep -Eq '^0304.{4}0000049845000560.{4}40003f01.{4}0a0001010a00030108' ||
		fail "the quote is not the original packet" || return 1
	[ "$(route_mtu)" = 1176 ] || fail "client did not cache mtu 1176" || return 1
	deltas "$s1" "$(stats_json "$r1")" icmp_quote_stripped=1 icmp_quote_bad=0 pmtu_sent=0 &&
	deltas "$s2" "$(stats_json "$r2")" icmp_quote_stripped=0 &&
	deltas "$s3" "$(stats_json "$r3")" icmp_quote_stripped=0
}

test_tcp_converges() {
	local s0
	flush_pmtu
	s0=$(stats_json "$r1") || return 1
	head -c 4000000 /dev/urandom >"$TMP/file" || return 1
	# Bounded: a black hole would stall it until tcp_transfer's timeout.
	tcp_transfer "$TMP/file" || return 1
	[ "$(route_mtu)" = 1176 ] || fail "client did not cache mtu 1176" || return 1
	# At least r1's own frag-needed (1376) and r2's (1176, stripped).
	deltas "$s0" "$(stats_json "$r1")" icmp_quote_bad=0 || return 1
	echo "$s0" "$(stats_json "$r1")" | jq -se '.[1].icmp_quote_stripped > .[0].icmp_quote_stripped and
		.[1].pmtu_sent > .[0].pmtu_sent' >/dev/null ||
		fail "expected pmtu_sent and icmp_quote_stripped to grow at r1"
}

test_ttl_exceeded() {
	local s1 out
	s1=$(stats_json "$r1") || return 1
	# TTL 2: r1 forwards (and marks) with TTL 1, r2 cannot.
	out=$(ip netns exec "$client" ping -c 1 -W 3 -t 2 $SERVER 2>&1)
	echo "$out"
	echo "$out" | grep -q 'From 10.0.12.2 icmp_seq=1 Time to live exceeded' ||
		fail "ping did not match r2's time exceeded" || return 1
	deltas "$s1" "$(stats_json "$r1")" icmp_quote_stripped=1 icmp_quote_bad=0
}

# UDP probes with growing TTL (the kernel matches each error to the
# socket by the quoted ports): every hop answers, and the path MTU is
# learnt on the way.
test_tracepath() {
	local s1 s2 out
	flush_pmtu
	s1=$(stats_json "$r1") && s2=$(stats_json "$r2") || return 1
	out=$(cmd ip netns exec "$client" timeout 60 tracepath -n -m 5 $SERVER 2>&1)
	echo "$out"
	echo "$out" | grep -Eq '^ *2: +10\.0\.12\.2 ' || fail "hop 2 (r2) missing" || return 1
	echo "$out" | grep -Eq '^ *3: +10\.0\.23\.3 ' || fail "hop 3 (r3) missing" || return 1
	echo "$out" | grep -Eq '^ *4: +10\.0\.3\.1 .*reached' || fail "server not reached" || return 1
	echo "$out" | grep -q 'Resume: pmtu 1176 hops 4' || fail "path MTU not 1176" || return 1
	# r3's errors are stripped at r2, the next MTF router.
	echo "$s1" "$(stats_json "$r1")" | jq -se '.[1].icmp_quote_stripped > .[0].icmp_quote_stripped' >/dev/null &&
	echo "$s2" "$(stats_json "$r2")" | jq -se '.[1].icmp_quote_stripped > .[0].icmp_quote_stripped' >/dev/null ||
		fail "expected icmp_quote_stripped to grow at r1 and r2" || return 1
	deltas "$s1" "$(stats_json "$r1")" icmp_quote_bad=0 &&
	deltas "$s2" "$(stats_json "$r2")" icmp_quote_bad=0
}

# An RFC 792 quote, 8 bytes after the IPv4 header, ends inside the path
# header: protocol and length are restored and those 8 bytes removed.  An
# error with a bad checksum is left as it was.
test_short_quote() {
	local s1 shim q pkt want bad
	# next header UDP, version 1, size 15, pointer 1, slot 0 address r1
	shim=1110f1000a0001fe
	q=$(ipv4_hex 0098 fd)			# 20 + 124 + 8 bytes, protocol 253
	pkt=$(icmp_hex 0b00 00000000 "$q$shim")
	want=$(icmp_hex 0b00 00000000 "$(ipv4_hex 001c 11)")
	bad=$(icmp_hex 0b00 00000000 "$q$shim" bad)
	s1=$(stats_json "$r1") || return 1
	CAPTURE_OPTS=-x capture_start "$client" eth0 10.0.1.1 "$TMP/c2" 2 || return 1
	cmd ip netns exec "$r2" "$SEND" -p 1 10.0.12.2 10.0.1.1 "$pkt" &&
	cmd ip netns exec "$r2" "$SEND" -p 1 10.0.12.2 10.0.1.1 "$bad" || return 1
	capture_wait || return 1
	cat "$TMP/c2"
	echo "want: ip proto=1 len=48 frag=0 data=$want"
	echo "then: ip proto=1 len=56 frag=0 data=$bad"
	[ "$(sed -n 1p "$TMP/c2")" = "ip proto=1 len=48 frag=0 data=$want" ] ||
		fail "short quote not rewritten as expected" || return 1
	[ "$(sed -n 2p "$TMP/c2")" = "ip proto=1 len=56 frag=0 data=$bad" ] ||
		fail "error with a bad checksum changed" || return 1
	deltas "$s1" "$(stats_json "$r1")" icmp_quote_stripped=1 icmp_quote_bad=1
}

ktap_header 5
run_test "frag-needed two hops behind r1: quote stripped, mtu 1300 - 124" test_frag_needed_stripped
run_test "TCP with DF, smallest MTU two hops behind r1: converges, sha256 intact" test_tcp_converges
run_test "ping -t 2: r2's time exceeded matched by the sender" test_ttl_exceeded
run_test "tracepath (UDP): every hop answers, pmtu 1176" test_tracepath
run_test "short quote: protocol and length restored; bad checksum left alone" test_short_quote
ktap_finish
