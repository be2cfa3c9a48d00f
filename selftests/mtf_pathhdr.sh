#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MTF path header on the wire, through a line of routers:
#
#   client --- r1 --- r2 --- r3 --- server
#      border-ingress^         ^border-ingress (router-addr 10.0.3.254)
#                                 strip-egress on r3 eth1 (some tests)
#
#   client 10.0.1.1, r1 eth0 10.0.1.254, r3 eth0 10.0.23.3, server 10.0.3.1
#
# r1 inserts the header (15 slots) and fills slot 0, r2 (no roles, MTF
# not enabled) forwards it as any packet, r3 writes slot 1; the server
# (no roles, MTF enabled) strips the header before local delivery, or r3
# strips it on egress.  The header
# bytes are read off the wire with a packet socket (mtf_capture) and
# compared byte by byte with what the protocol document says, the marks
# with each router's MARK_GET.  Malformed headers are crafted with a raw
# socket (mtf_send).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mtf_topo.lib"

require_root
require_modules mtf
require_cmd ip jq socat sha256sum
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
	mtf "$r3" config set router-addr 10.0.3.254 &&
	mtf "$server" config set enable on
} >/dev/null || exit $KSFT_FAIL

ZSLOT=0000000000000000
zslots() {	# N: N empty slots
	local i s=
	for ((i = 0; i < $1; i++)); do s+=$ZSLOT; done
	echo "$s"
}

# expect FILE HEX: the capture saw exactly one MTF packet with header HEX.
expect_hdr() {
	local got
	cat "$1"
	got=$(sed -n 's/^mtf .*hdr=//p' "$1")
	[ "$got" = "$2" ] || fail "header bytes differ; expected $2"
}

# hooks NS: mtf's netfilter hooks in NS ("true"/"false", config show).
# (nft list hooks needs nfnetlink_hook, which Debian's 6.1 does not
# build.)
hooks() { ip netns exec "$1" "$MTFCTL" -j config show | jq -r .hooks; }

# The hooks come with the first role (r1, r3) or config enable (server)
# and go with the last of both; r2, without either, forwards MTF packets
# untouched.
test_hooks_opt_in() {
	local ns f0 i0
	for ns in "$r1" "$r3" "$server"; do
		[ "$(hooks "$ns")" = true ] || fail "$ns has roles or enable but no hooks" || return 1
	done
	for ns in "$client" "$r2"; do
		[ "$(hooks "$ns")" = false ] || fail "$ns has hooks without role or enable" || return 1
	done
	# A role brings them up in r2, removing it takes them down.
	mtf "$r2" dev eth0 set account on || return 1
	[ "$(hooks "$r2")" = true ] || fail "no hooks in r2 with a role" || return 1
	mtf "$r2" dev eth0 set account off || return 1
	[ "$(hooks "$r2")" = false ] || fail "r2 kept its hooks without a role" || return 1
	# Enable alone, and a role going with its interface while enabled.
	mtf "$r2" config set enable on || return 1
	cmd ip -n "$r2" link add dummy0 type dummy || return 1
	mtf "$r2" dev dummy0 set account on || return 1
	cmd ip -n "$r2" link del dummy0 || return 1
	[ "$(hooks "$r2")" = true ] || fail "r2 lost its hooks while enabled" || return 1
	mtf "$r2" config set enable off || return 1
	[ "$(hooks "$r2")" = false ] || fail "r2 kept its hooks after enable off" || return 1
	# The last role going with its interface takes them down.
	cmd ip -n "$r2" link add dummy1 type dummy || return 1
	mtf "$r2" dev dummy1 set account on || return 1
	[ "$(hooks "$r2")" = true ] || fail "no hooks in r2 with a role on dummy1" || return 1
	cmd ip -n "$r2" link del dummy1 || return 1
	[ "$(hooks "$r2")" = false ] || fail "r2 kept its hooks after its last role's interface went" || return 1
	# A header of version 2, sent by r1 (its own packets do not cross its
	# FORWARD hook): r2 forwards it untouched, r3 drops it.
	f0=$(counter "$r2" fwd_packets) || return 1
	i0=$(counter "$r3" drop_bad_version) || return 1
	send_bad "$r1" 10.0.12.1 1120f000$(zslots 15) || return 1
	wait_total "$r3" $((i0 + 1)) drop_bad_version || fail "r3 did not drop it" || return 1
	delta_is "$r2" fwd_packets "$f0" 0 || return 1
	delta_is "$r2" drop_bad_version 0 0
}

test_roles() {
	local out
	out=$(ip netns exec "$r1" "$MTFCTL" -j dev show) || return 1
	echo "$out"
	echo "$out" | jq -e '.. | objects | select(.ifname? == "eth0")' |
		grep -q border || fail "r1 eth0 not listed as border-ingress" || return 1
	# Roles go with the interface.
	cmd ip -n "$r1" link add dummy0 type dummy || return 1
	mtf "$r1" dev dummy0 set account on || return 1
	ip netns exec "$r1" "$MTFCTL" -j dev show | grep -q dummy0 ||
		fail "dummy0 not listed" || return 1
	cmd ip -n "$r1" link del dummy0 || return 1
	! ip netns exec "$r1" "$MTFCTL" -j dev show | grep -q dummy0 ||
		fail "dummy0 still listed after deletion"
}

# The packet path reads roles from a flat array by ifindex (up to 4095),
# with a role on a higher ifindex from the xarray: a change applies to
# the next packet either way.
inserts_one() {	# yes|no: r1 inserts into the next packet or not
	local i0 want=1
	[ "$1" = no ] && want=0
	i0=$(counter "$r1" hdr_inserted) || return 1
	udp_send "$client" $SERVER 7777 x || return 1
	delta_is "$r1" hdr_inserted "$i0" $want
}

test_roles_apply() {
	inserts_one yes || return 1
	mtf "$r1" dev eth0 set border-ingress off || return 1
	inserts_one no || return 1
	mtf "$r1" dev eth0 set border-ingress on || return 1
	inserts_one yes || return 1
	cmd ip -n "$r1" link add dummy9 index 70000 type dummy || return 1
	mtf "$r1" dev dummy9 set account on || return 1
	inserts_one yes || return 1
	mtf "$r1" dev eth0 set border-ingress off || return 1
	inserts_one no || return 1
	mtf "$r1" dev eth0 set border-ingress on || return 1
	cmd ip -n "$r1" link del dummy9 || return 1
	inserts_one yes
}

# A small datagram is linear with ample tailroom: r1 makes room for the
# header behind it (insert_tail), without reallocating.
test_slot_r1() {
	local want t0 e0
	t0=$(counter "$r1" insert_tail) || return 1
	e0=$(counter "$r1" headroom_expand) || return 1
	capture_start "$r3" eth0 $SERVER "$TMP/c1" || return 1
	udp_send "$client" $SERVER 7777 hello || return 1
	capture_wait || return 1
	want=1110f100$(ip2hex 10.0.1.254)$(mark_hex "$r1" $SERVER)$(zslots 14)
	expect_hdr "$TMP/c1" "$want" || return 1
	delta_is "$r1" insert_tail "$t0" 1 &&
	delta_is "$r1" headroom_expand "$e0" 0
}

# A tap on r1's ingress (a packet socket) holds a clone of the packet:
# the header goes into r1's copy only (ip_forward() unshares the head
# before the hooks), the tap's copy stays as it was.
test_slot_r1_cloned() {
	local want t0 e0 tap=$TMP/tap
	t0=$(counter "$r1" insert_tail) || return 1
	e0=$(counter "$r1" headroom_expand) || return 1
	rm -f "$tap.ready"
	ip netns exec "$r1" "$CAPTURE" -i eth0 -d $SERVER -c 1 -t 15000 \
		-r "$tap.ready" >"$tap" 2>&1 &
	local tpid=$!
	busywait 10000 test -e "$tap.ready" || return 1
	capture_start "$r3" eth0 $SERVER "$TMP/c1b" || return 1
	udp_send "$client" $SERVER 7777 hello || return 1
	capture_wait || return 1
	wait $tpid || { cat "$tap"; fail "tap on r1 eth0 saw nothing"; return 1; }
	cat "$tap"
	grep -q '^ip proto=17 ' "$tap" || fail "the tap's copy was changed" || return 1
	want=1110f100$(ip2hex 10.0.1.254)$(mark_hex "$r1" $SERVER)$(zslots 14)
	expect_hdr "$TMP/c1b" "$want" || return 1
	echo "r1: headroom_expand +$(($(counter "$r1" headroom_expand) - e0))," \
	     "insert_tail +$(($(counter "$r1" insert_tail) - t0))"
}

test_slots_r1_r3_udp() {
	local want s0 got
	s0=$(counter "$server" stripped_local) || return 1
	ip netns exec "$server" timeout 30 socat -u UDP4-RECVFROM:7777,bind=$SERVER \
		"OPEN:$TMP/udp,creat,trunc" &
	local pid=$!
	busywait 3000 ip netns exec "$server" sh -c 'ss -lun | grep -q ":7777 "' || return 1
	capture_start "$server" eth0 $SERVER "$TMP/c2" || return 1
	udp_send "$client" $SERVER 7777 "mtf payload 0123456789" || return 1
	capture_wait || return 1
	wait $pid || fail "the UDP datagram did not reach the socket" || return 1
	want=1110f200$(ip2hex 10.0.1.254)$(mark_hex "$r1" $SERVER)
	want+=$(ip2hex 10.0.3.254)$(mark_hex "$r3" $SERVER)$(zslots 13)
	expect_hdr "$TMP/c2" "$want" || return 1
	got=$(cat "$TMP/udp")
	echo "socket read: '$got'"
	[ "$got" = "mtf payload 0123456789" ] || fail "payload changed" || return 1
	delta_is "$server" stripped_local "$s0" 1
}

# With another PRE_ROUTING hook after mtf's (an nftables chain at
# mangle priority): the chain sees only the original UDP packet.
test_local_strip_before_nft() {
	local s0 out
	[ "$(hooks "$server")" = true ] || fail "no hooks in the server" || return 1
	s0=$(counter "$server" stripped_local) || return 1
	cmd ip netns exec "$server" nft "add table ip mtft;
		add chain ip mtft pre { type filter hook prerouting priority -150; };
		add rule ip mtft pre meta l4proto udp udp dport 7777 counter;
		add rule ip mtft pre meta l4proto 253 counter" || return 1
	udp_send "$client" $SERVER 7777 "seen by nft" || return 1
	delta_is "$server" stripped_local "$s0" 1 || return 1
	out=$(ip netns exec "$server" nft -j list chain ip mtft pre) || return 1
	ip netns exec "$server" nft delete table ip mtft
	echo "$out" | jq -c '.nftables[] | select(.rule) | .rule.expr'
	[ "$(echo "$out" | jq '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) | .counter.packets] | join(",")' -r)" = "1,0" ] ||
		fail "the prerouting chain did not see exactly the stripped UDP packet"
}

test_tcp_local_strip() {
	local g0 i0 x0 t0
	x0=$(counter "$r1" headroom_expand) || return 1
	t0=$(counter "$r1" insert_tail) || return 1
	g0=$(counter "$r1" gso_segmented) || return 1
	i0=$(counter "$r1" hdr_inserted) || return 1
	head -c 1000000 /dev/urandom >"$TMP/file" || return 1
	tcp_transfer "$TMP/file" || return 1
	delta_is "$r1" hdr_inserted "$i0" + || return 1
	delta_is "$r1" gso_segmented "$g0" + || return 1
	echo "r1: headroom_expand +$(($(counter "$r1" headroom_expand) - x0))," \
	     "insert_tail +$(($(counter "$r1" insert_tail) - t0))"
}

test_tcp_strip_egress() {
	local s0 l0
	mtf "$r3" dev eth1 set strip-egress on || return 1
	s0=$(counter "$r3" stripped_egress) || return 1
	l0=$(counter "$server" stripped_local) || return 1
	capture_start "$server" eth0 $SERVER "$TMP/c3" || return 1
	udp_send "$client" $SERVER 7777 x || return 1
	capture_wait || return 1
	cat "$TMP/c3"
	grep -q '^ip proto=17 ' "$TMP/c3" || fail "packet not stripped on egress" || return 1
	tcp_transfer "$TMP/file" || return 1
	delta_is "$r3" stripped_egress "$s0" + || return 1
	delta_is "$server" stripped_local "$l0" 0 || return 1
	mtf "$r3" dev eth1 set strip-egress off
}

test_full() {
	local f0
	mtf "$r1" config set slots 1 || return 1
	capture_start "$r3" eth0 $SERVER "$TMP/c4" || return 1
	f0=$(counter "$r3" drop_full) || return 1
	udp_send "$client" $SERVER 7777 full || return 1
	capture_wait || return 1
	expect_hdr "$TMP/c4" 11101100$(ip2hex 10.0.1.254)$(mark_hex "$r1" $SERVER) || return 1
	wait_total "$r3" $((f0 + 1)) drop_full
	delta_is "$r3" drop_full "$f0" 1 || return 1
	mtf "$r1" config set slots 15
}

# send_bad NS SRC [-f] [-p PROTO] HEX: one crafted packet to the server.
send_bad() {
	local ns=$1 src=$2; shift 2
	cmd ip netns exec "$ns" "$SEND" "${@:1:$#-1}" "$src" $SERVER "${@: -1}"
}

DROPS=(drop_truncated drop_bad_size drop_bad_ptr drop_bad_version drop_fragment drop_nested)

# Forwarded malformed headers, dropped by r1 (border-ingress validates).
# "size > 15" has no encoding (4 bits): size 0 is the BAD_SIZE case.
test_malformed_forward() {
	local b a c=10.0.1.1 v6slot=${ZSLOT}000000000000000000000000
	b=$(stats_json "$r1") || return 1
	send_bad "$client" $c 1110 &&				# 2 bytes
	send_bad "$client" $c 1110f000$ZSLOT &&			# 15 slots, 1 there
	send_bad "$client" $c 11100000$ZSLOT &&			# size 0
	send_bad "$client" $c 11101200$ZSLOT &&			# pointer 2 > size 1
	send_bad "$client" $c 11201100$ZSLOT &&			# version 2
	send_bad "$client" $c 11121100$ZSLOT &&			# flag 0x2
	send_bad "$client" $c 11111000$v6slot &&		# IPv6 slots
	send_bad "$client" $c -f 11101000$ZSLOT &&		# MF set
	send_bad "$client" $c fd101100${ZSLOT}11101100$ZSLOT || return 1	# nested
	wait_total "$r1" "$(echo "$b" | jq '.drop_truncated + .drop_bad_size + .drop_bad_ptr + .drop_bad_version + .drop_fragment + .drop_nested + 9')" "${DROPS[@]}"
	a=$(stats_json "$r1") || return 1
	deltas "$b" "$a" drop_truncated=2 drop_bad_size=1 drop_bad_ptr=1 \
		drop_bad_version=3 drop_fragment=1 drop_nested=1
}

# The same checks on local delivery: r3 sends to the server directly.
# A well-formed header for the server is stripped, not dropped.
test_malformed_local() {
	local b a s=10.0.3.254
	b=$(stats_json "$server") || return 1
	send_bad "$r3" $s 11 &&
	send_bad "$r3" $s 11101200$ZSLOT &&
	send_bad "$r3" $s 11001100$ZSLOT &&
	send_bad "$r3" $s -f 11101100$ZSLOT &&
	send_bad "$r3" $s 11101100${ZSLOT}deadbeef &&
	send_bad "$r3" $s fd101100${ZSLOT}11101100$ZSLOT || return 1	# nested
	wait_total "$server" "$(echo "$b" | jq '.drop_truncated + .drop_bad_ptr + .drop_bad_version + .drop_fragment + .drop_nested + .stripped_local + 6')" \
		drop_truncated drop_bad_ptr drop_bad_version drop_fragment drop_nested stripped_local
	a=$(stats_json "$server") || return 1
	deltas "$b" "$a" drop_truncated=1 drop_bad_size=0 drop_bad_ptr=1 \
		drop_bad_version=1 drop_fragment=1 drop_nested=1 stripped_local=1
}

test_key_rotation() {
	local m0 m1 p k0 k1 a b
	mtf "$r1" config set key-grace 5000 >/dev/null || return 1
	k0=$(ip netns exec "$r1" "$MTFCTL" -j config show | jq -er '.key_id') || return 1
	m0=$(mark_hex "$r1" $SERVER) || return 1
	mtf "$r1" key rotate || return 1
	m1=$(mark_hex "$r1" $SERVER) || return 1
	p=$(mark_hex "$r1" $SERVER mark_prev) || fail "no previous mark in grace" || return 1
	k1=$(ip netns exec "$r1" "$MTFCTL" -j config show | jq -er '.key_id') || return 1
	echo "mark $m0 -> $m1, previous $p, key id $k0 -> $k1"
	[ "$p" = "$m0" ] && [ "$m1" != "$m0" ] && [ "$k1" = $((k0 + 1)) ] ||
		fail "rotation did not keep the old mark as previous" || return 1
	# New packets carry the new mark.
	capture_start "$r3" eth0 $SERVER "$TMP/c5" || return 1
	udp_send "$client" $SERVER 7777 rot || return 1
	capture_wait || return 1
	expect_hdr "$TMP/c5" 1110f100$(ip2hex 10.0.1.254)$m1$(zslots 14) || return 1
	# After the grace period the previous mark is gone.
	busywait 15000 sh -c "! ip netns exec $r1 $MTFCTL -j mark get $SERVER | jq -e .mark_prev >/dev/null" ||
		fail "previous mark still valid after the grace period" || return 1
	# A given key gives the same marks on two routers (keyed hash).
	mtf "$r1" key rotate 000102030405060708090a0b0c0d0e0f >/dev/null || return 1
	mtf "$r2" key rotate 000102030405060708090a0b0c0d0e0f >/dev/null || return 1
	a=$(mark_hex "$r1" $SERVER) && b=$(mark_hex "$r2" $SERVER) || return 1
	echo "r1 $a r2 $b with the same key"
	[ "$a" = "$b" ] || fail "same key, different marks"
}

# Last: pernet exit for every namespace with roles, keys and config set.
test_unload_with_state() {
	cmd rmmod mtf || return 1
	! mod_loaded mtf || fail "mtf still loaded"
}

ktap_header 14
run_test "hooks come and go with roles and config enable; r2 without them forwards untouched" test_hooks_opt_in
run_test "roles: set, listed, removed with the interface" test_roles
run_test "roles apply to the next packet (ifindex 70000 too)" test_roles_apply
run_test "r1 inserts 15 slots and fills slot 0 (bytes on the r2-r3 link)" test_slot_r1
run_test "a tap on r1 eth0 keeps its copy without the header" test_slot_r1_cloned
run_test "r3 fills slot 1; server strips; UDP payload intact" test_slots_r1_r3_udp
run_test "stripped before a later PRE_ROUTING nftables chain sees it" test_local_strip_before_nft
run_test "TCP transfer, sha256 end to end, server strips (GSO segmented)" test_tcp_local_strip
run_test "TCP transfer, sha256 end to end, r3 strips on egress" test_tcp_strip_egress
run_test "full header dropped at r3 (r1 allocates 1 slot)" test_full
run_test "malformed headers dropped at r1, one counter each" test_malformed_forward
run_test "malformed headers dropped on local delivery" test_malformed_local
run_test "key rotation: previous mark in grace only; given key" test_key_rotation
run_test "module unloads with roles, keys and config present" test_unload_with_state
ktap_finish
