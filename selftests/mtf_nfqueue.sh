#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An NFQUEUE rule ahead of mtf (issue 8 item 2).  After a verdict,
# nf_reinject() runs the later hooks, mtf's FORWARD hook among them, in
# process context (the verdict's sendmsg()), where the per-CPU state
# (counters, mark cache, filter memo) is safe only because the hook turns
# bottom halves off, as ipt_do_table() does.  Packets keep arriving in
# softirq on both vCPUs meanwhile.
#
#   client --- r1 ------- r2 ------- r3 --- server
#   .1.1  border-ingress          border-ingress   account-local, full paths
#   .1.2  nft forward priority 0: "queue num 0" (mtf: NF_IP_PRI_LAST - 1)
#         nfq_accept (libnetfilter_queue) accepts every packet
#
# Checked: every packet that went through the queue carries r1's and
# r3's correct marks (the server's path table has exactly one path, with
# them, and every packet in it), a filter at r1 drops exactly its flow,
# TCP (nf_queue segments GSO packets first) arrives intact.  The VM rig
# fails the run on any splat (a "BUG: using smp_processor_id() in
# preemptible" or lockdep report included).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mtf_topo.lib"

NFQ=$ST_BIN/nfq_accept
SPRAY=$ST_BIN/udp_spray

require_root
require_modules mtf
require_cmd ip jq nft socat sha256sum taskset
for b in "$MTFCTL" "$NFQ" "$SPRAY"; do
	[ -x "$b" ] || skip_all "$b not built (make tools)"
done
modprobe -q nfnetlink_queue 2>/dev/null
modprobe -q nft_queue 2>/dev/null

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
ip -n "$client" addr add 10.0.1.2/24 dev eth0 || exit $KSFT_FAIL
{
	mtf "$r1" dev eth0 set border-ingress on &&
	mtf "$r3" dev eth0 set border-ingress on &&
	mtf "$client" config set enable on &&
	mtf "$server" config set enable on account-local on suffix-len 0
} >/dev/null || exit $KSFT_FAIL
ip netns exec "$r1" nft "add table ip nfq;
	add chain ip nfq fw { type filter hook forward priority 0; };
	add rule ip nfq fw ip daddr $SERVER counter queue num 0" ||
	skip_all "nft queue rule refused (CONFIG_NFT_QUEUE?)"
ip netns exec "$r1" "$NFQ" -q 0 -r "$TMP/nfq.ready" >"$TMP/nfq.out" 2>&1 &
NFQ_PID=$!
busywait 10000 test -e "$TMP/nfq.ready" || { cat "$TMP/nfq.out"; exit $KSFT_FAIL; }

queued() {	# packets r1's queue rule has sent to userspace
	ip netns exec "$r1" nft -j list chain ip nfq fw |
		jq -e '[.nftables[].rule? // empty | .expr[] | .counter? // empty][0].packets'
}

# spray N: N UDP packets from the client, sources .1.1 and .1.2 in turn,
# sent from both CPUs (half each).
spray() {
	local h=$(($1 / 2))
	ip netns exec "$client" taskset -c 0 "$SPRAY" -d $SERVER -s 10.0.1.1 -n 2 -c $h -r 400 -P 7000 &
	local p0=$!
	ip netns exec "$client" taskset -c 1 "$SPRAY" -d $SERVER -s 10.0.1.1 -n 2 -c $h -r 400 -P 7001 &
	local p1=$!
	wait $p0 && wait $p1
}

# path_of: the server's one full path, as "addr/mark addr/mark packets"
path_of() {
	ip netns exec "$server" "$MTFCTL" -j path show |
		jq -er '[.[] | select(.suffix == false)] | if length == 1 then
			.[0] | "\([.slots[] | "\(.addr)/\(.mark)"] | join(" ")) \(.packets)"
			else error("\(length) paths") end'
}

want_path() {	# N: r1's and r3's slots, N packets
	echo "10.0.1.254/0x$(mark_hex "$r1" $SERVER) 10.0.23.3/0x$(mark_hex "$r3" $SERVER) $1"
}

test_marks_through_queue() {
	local q0 q1 s1 sv got want
	ip netns exec "$server" "$MTFCTL" path flush || return 1
	q0=$(queued) || return 1
	s1=$(stats_json "$r1") && sv=$(stats_json "$server") || return 1
	spray 400 || return 1
	wait_total "$server" "$(echo "$sv" | jq '.stripped_local + 400')" stripped_local ||
		fail "not all 400 packets reached the server" || return 1
	q1=$(queued) || return 1
	echo "queued to nfq_accept: $((q1 - q0))"
	[ $((q1 - q0)) -eq 400 ] || fail "expected 400 packets through the queue" || return 1
	deltas "$s1" "$(stats_json "$r1")" hdr_inserted=400 filter_dropped=0 &&
	deltas "$sv" "$(stats_json "$server")" stripped_local=400 || return 1
	got=$(path_of) || return 1
	want=$(want_path 400) || return 1
	echo "path: $got"
	[ "$got" = "$want" ] || fail "expected the one path $want"
}

test_filter_through_queue() {
	local s1 sv got want
	ip netns exec "$server" "$MTFCTL" path flush || return 1
	# r1 filters with its own slot written: suffix [r1], source .1.2.
	mtf "$r1" filter add "10.0.1.254/0x$(mark_hex "$r1" $SERVER)" \
		src 10.0.1.2/32 dst $SERVER permanent || return 1
	s1=$(stats_json "$r1") && sv=$(stats_json "$server") || return 1
	spray 400 || return 1
	wait_total "$server" "$(echo "$sv" | jq '.stripped_local + 200')" stripped_local ||
		fail "the unfiltered 200 did not reach the server" || return 1
	mtf "$r1" filter flush >/dev/null
	deltas "$s1" "$(stats_json "$r1")" hdr_inserted=400 filter_dropped=200 &&
	deltas "$sv" "$(stats_json "$server")" stripped_local=200 || return 1
	got=$(path_of) || return 1
	want=$(want_path 200) || return 1
	echo "path: $got"
	[ "$got" = "$want" ] || fail "expected the one path $want"
}

test_tcp_through_queue() {
	local s1 got
	s1=$(stats_json "$r1") || return 1
	head -c 2000000 /dev/urandom >"$TMP/file" || return 1
	tcp_transfer "$TMP/file" || return 1
	echo "$s1" "$(stats_json "$r1")" | jq -se '.[1].hdr_inserted > .[0].hdr_inserted' >/dev/null ||
		fail "r1 marked nothing" || return 1
	deltas "$s1" "$(stats_json "$r1")" drop_nomem=0 filter_dropped=0
}

# nfq_accept ends cleanly and has given a verdict for every packet queued.
test_nfq_count() {
	local q
	q=$(queued) || return 1
	# Not our child (run_test's subshell): its last words tell.
	kill -TERM $NFQ_PID
	busywait 5000 grep -q '^accepted' "$TMP/nfq.out"
	cat "$TMP/nfq.out"
	echo "the queue rule counted $q"
	# The rule counts a GRO-merged TCP packet once, nf_queue queues its
	# segments: at least as many verdicts, and no error line.
	[ "$(wc -l <"$TMP/nfq.out")" = 1 ] &&
	[ "$(sed -n 's/^accepted \([0-9]*\)$/\1/p' "$TMP/nfq.out")" -ge "$q" ] ||
		fail "expected only 'accepted N', N >= $q"
}

ktap_header 4
run_test "UDP from both CPUs through NFQUEUE: every packet has r1's and r3's marks" test_marks_through_queue
run_test "a filter at r1 after NFQUEUE drops exactly its flow" test_filter_through_queue
run_test "TCP through NFQUEUE and marking: sha256 intact" test_tcp_through_queue
run_test "nfq_accept gave a verdict for every queued packet, no error" test_nfq_count
ktap_finish
