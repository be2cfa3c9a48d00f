#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The per-CPU filter memo under filter changes (issue 8 item 4): a filter
# whose suffix length no other filter has must drop a running flow from
# its next packets on, on every CPU.
#
#   a: mtf_flood x 2 (CPU 0, CPU 1)        v: mtf.ko (victim)
#   10.0.1.1 eth0 -------- veth -------- eth0 10.0.1.2 (and 10.0.1.3)
#
#   the flow: 10.9.9.1 -> 10.0.1.2, 15 slots [10.100.1.1/0x1, ...,
#   10.100.1.14/0x14, 10.0.3.254/0x22]
#
# Each CPU remembers its last lookup under the filter set's sequence
# number.  A lookup that read the set of suffix lengths from before an
# add but the sequence number from after it would remember "no filter"
# for the new set, and that CPU would go on delivering the flow until the
# next change.  Two senders pinned to CPU 0 and CPU 1 (veth delivers on
# the sending CPU) run the flow, 200 packets/s each, while filters with
# suffix lengths 1, 2, ..., 14 are added and deleted, each length new when
# added: after each add nothing more may be delivered.  A 15-slot filter for
# another destination stays installed throughout, so that the flow's
# packets are looked up (and remembered) all along: with no filter of a
# length they could match, they would not be.
#
# The race window of the old code (lengths read before the sequence
# number) is a few instructions, rarely hit here; with that order put
# back and widened by a 2 ms delay in the lookup, this test fails at the
# second length (hundreds of packets delivered after the add).

. "$(dirname "$0")/lib.sh"

SEND=${SEND:-$TOP/build/selftests/mtf_flood}
R=10.0.3.254/0x22
V=10.0.1.2
V2=10.0.1.3

require_root
require_modules mtf
require_cmd ip jq taskset
[ -x "$SEND" ] || skip_all "$SEND not built (make tools)"
[ -x "$MTFCTL" ] || skip_all "$MTFCTL not built (make tools)"

cleanup() {
	local ns
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	cleanup_all_ns
	mod_unload mtf
}
trap cleanup EXIT

mod_load mtf || exit $KSFT_FAIL
setup_ns a v || exit $KSFT_FAIL
veth_pair "$a" eth0 10.0.1.1/24 "$v" eth0 $V/24 || exit $KSFT_FAIL
ip -n "$v" addr add $V2/24 dev eth0 || exit $KSFT_FAIL
# A victim without interface roles runs MTF only on request.
ip netns exec "$v" "$MTFCTL" config set enable on || exit $KSFT_FAIL

mtf() { ip netns exec "$v" "$MTFCTL" "$@"; }
# delivered and dropped so far, in one mtfctl run (each costs under TCG)
counts() { jget "$v" "$MTFCTL" '.stats | "\(.local_in_packets) \(.filter_dropped)"'; }

SLOTS=()
for i in $(seq 1 14); do SLOTS+=("10.100.1.$i/0x$i"); done
SLOTS+=("$R")
FLOW=$(IFS=,; echo "${SLOTS[*]}")

# rounds PASSES: add and delete lengths 1..14, PASSES times.
rounds() {
	local pass k suffix n0 n1 d0 d1 t0
	for pass in $(seq 1 "$1"); do
		t0=$SECONDS
		for k in $(seq 1 14); do
			suffix=$(IFS=,; echo "${SLOTS[*]: -$k}")
			mtf filter add "$suffix" dst $V permanent || return 1
			read -r n0 d0 < <(counts)
			sleep 0.3
			read -r n1 d1 < <(counts)
			[ "${n1:-x}" = "${n0:-y}" ] ||
				fail "pass $pass, length $k: $((n1 - n0)) delivered 0.3 s after the add" ||
				return 1
			[ "$d1" -gt "$d0" ] ||
				fail "pass $pass, length $k: nothing dropped" || return 1
			mtf filter del "$suffix" dst $V || return 1
		done
		echo "pass $pass: 14 new suffix lengths, each dropped at once ($((SECONDS - t0)) s)"
	done
	# Each add dropped packets, so the flow ran; and it is delivered
	# again once the last filter is gone.
	busywait 5000 sh -c "[ \$(ip netns exec $v $MTFCTL -j status | jq .stats.local_in_packets) -gt $n1 ]" ||
		fail "not delivered after the last delete"
}

test_new_lengths() {
	local i pids=() rc=0
	mtf filter flush
	[ "$(nproc)" -ge 2 ] || echo "one CPU only: the memo is checked on one"
	cmd mtf filter add "$FLOW" dst $V2 permanent || return 1
	for i in 0 1; do
		ip netns exec "$a" taskset -c $((i % $(nproc))) "$SEND" -d $V -s 10.9.9.1 \
			-p "$FLOW" -c 1000000 -r 200 >/dev/null 2>&1 &
		pids+=($!)
	done
	rounds 1 || rc=1
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	mtf filter flush
	return $rc
}

ktap_header 1
run_test "filters with new suffix lengths drop a running flow at once on both CPUs" test_new_lengths
ktap_finish
