#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=300
#
# Every control operation of mtf.ko at once, for STRESS_SECONDS (20),
# while a marked flood crosses the routers: bulk filter adds that grow
# the table and flushes that swap it, dumps of filters and paths that
# span those changes, path flushes, key rotations that re-key filters,
# short-lived filters for the GC, hooks going down and up (config enable
# on a core router, the account role on another) under traffic.  Each
# mtfctl runs under a 30 s timeout (180 s on a debug kernel): a command that hangs (an RCU grace
# period that never ends, a lock never released) fails the test with its
# name, and the rig's kernel-log scan fails the run on any stall, WARN or
# lockdep report (make check-debug runs it with lockdep and PROVE_RCU).
# Afterwards the routers still forward and mark exactly.
#
#   client --- r1 (border-ingress) --- r2 (enable) --- r3 (account) --- server

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mtf_topo.lib"

SPRAY=$ST_BIN/udp_spray
SECS=${STRESS_SECONDS:-20}
# A command's limit.  The KASAN + lockdep kernel of make check-debug runs
# a 3500-filter add for more than 30 s under TCG: slow, not hung.
case $(uname -r) in
*debug*) OP_TIMEOUT=${STRESS_OP_TIMEOUT:-180} ;;
*) OP_TIMEOUT=${STRESS_OP_TIMEOUT:-30} ;;
esac

require_root
require_modules mtf
require_cmd ip jq timeout
for b in "$MTFCTL" "$SPRAY"; do
	[ -x "$b" ] || skip_all "$b not built (make tools)"
done

TMP=$(mktemp -d)
pids=()
cleanup() {
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	cleanup_all_ns
	mod_unload mtf
	rm -rf "$TMP"
}
trap cleanup EXIT

mod_load mtf || exit $KSFT_FAIL
setup_line5 || exit $KSFT_FAIL
{
	mtf "$r1" dev eth0 set border-ingress on &&
	mtf "$r2" config set enable on &&
	mtf "$r3" dev eth0 set account on &&
	mtf "$server" config set enable on
} >/dev/null || exit $KSFT_FAIL

# op NAME NS ARGS...: one mtfctl under a timeout; a hang or an error is
# written down for the checks (the loops go on).
op() {
	local name=$1 ns=$2 rc=0; shift 2
	timeout -k 5 "$OP_TIMEOUT" ip netns exec "$ns" "$MTFCTL" "$@" >/dev/null 2>"$TMP/err.$name" || rc=$?
	case $rc in
	0) ;;
	124|137) echo "$name: mtfctl $* hung ($OP_TIMEOUT s)" >>"$TMP/hung" ;;
	*) echo "$name: mtfctl $* exit $rc: $(head -c 200 "$TMP/err.$name")" >>"$TMP/errors" ;;
	esac
	return 0
}

# loop NAME BODY...: run BODY until the deadline, counting rounds.
loop() {
	local name=$1 n=0; shift
	while [ "$(date +%s)" -lt "$deadline" ]; do
		"$@"
		n=$((n + 1))
	done
	echo "$n" >"$TMP/rounds.$name"
}

# 3000 unmarked and 500 path filters at r1: the table grows from its
# minimum to 4096 buckets on each add and shrinks on each flush.
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "unmarked dev eth0 src 10.%d.%d.%d dst 10.0.3.1 permanent\n",
		100 + int(i / 65536), int(i / 256) % 256, i % 256
	for (i = 1; i <= 500; i++)
		printf "10.0.1.254/0x%08x dst 10.0.3.1 drop permanent\n", i }' >"$TMP/filters"

bulk() {
	op bulk "$r1" filter add -f "$TMP/filters"
	op bulk "$r1" filter flush
}
dumps() {
	op dumps "$r1" filter show
	op dumps "$r3" path show full
}
short_lived() {
	op short "$r1" filter add unmarked dev eth1 dst 10.0.1.$((RANDOM % 250 + 1)) timeout 1s replace
	op short "$r1" -j status
	sleep 0.2
}
rotate() {
	op rotate "$r1" key rotate
	op rotate "$r3" path flush
	sleep 0.5
}
hooks() {
	op hooks "$r2" config set enable off
	op hooks "$r3" dev eth0 set account off
	sleep 0.3
	op hooks "$r2" config set enable on
	op hooks "$r3" dev eth0 set account on
	sleep 0.3
}

test_storm() {
	local name n bad=0
	deadline=$(( $(date +%s) + SECS ))
	# 100 sources, 1000 packets a second, until killed: marked at r1.
	ip netns exec "$client" "$SPRAY" -d 10.0.3.1 -s 10.1.0.1 -n 100 -c 0 -r 1000 \
		>/dev/null 2>&1 &
	pids+=($!)
	for name in bulk dumps short_lived rotate hooks; do
		loop "$name" "$name" &
		pids+=($!)
	done
	# The loops end at the deadline; a hung mtfctl ends at its timeout.
	wait "${pids[@]:1}"
	kill "${pids[0]}" 2>/dev/null
	wait "${pids[0]}" 2>/dev/null
	pids=()
	for name in bulk dumps short_lived rotate hooks; do
		n=$(cat "$TMP/rounds.$name" 2>/dev/null)
		echo "$name: ${n:-?} rounds"
		[ "${n:-0}" -gt 0 ] || { echo "$name: no round completed"; bad=1; }
	done
	if [ -s "$TMP/hung" ]; then
		cat "$TMP/hung"
		fail "commands hung" || return 1
	fi
	if [ -s "$TMP/errors" ]; then
		head -n 20 "$TMP/errors"
		fail "commands failed" || return 1
	fi
	[ $bad -eq 0 ] || fail "a loop did not run"
}

# After the storm: tables as left, and exact forwarding and marking.
test_after() {
	local s1 sv
	mtf "$r1" filter flush >/dev/null || return 1
	mtf "$r2" config set enable on >/dev/null || return 1
	mtf "$r3" dev eth0 set account on >/dev/null || return 1
	[ "$(ip netns exec "$r1" "$MTFCTL" -j config show | jq .filters)" = 0 ] ||
		fail "filters left at r1 after a flush" || return 1
	s1=$(stats_json "$r1") && sv=$(stats_json "$server") || return 1
	cmd ip netns exec "$client" "$SPRAY" -d 10.0.3.1 -s 10.0.1.1 -c 100 -r 200 ||
		return 1
	deltas "$s1" "$(stats_json "$r1")" hdr_inserted=100 filter_matched=0 || return 1
	deltas "$sv" "$(stats_json "$server")" local_in_packets=100 stripped_local=100
}

ktap_header 3
run_test "${SECS} s of concurrent filter, path, key and hook changes under a flood: no command hangs or fails" test_storm
run_test "after the storm: no filter left, 100 packets marked and delivered exactly" test_after
run_test "module unloads" mod_unload mtf
ktap_finish
