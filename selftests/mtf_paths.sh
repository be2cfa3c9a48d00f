#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Path accounting of mtf.ko at a victim host, fed with packets that carry
# crafted path headers (selftests/tools/mtf_flood):
#
#   a: mtf_flood                         v: mtf.ko (victim, accounts)
#   10.0.1.1 eth0 -------- veth -------- eth0 10.0.1.2
#
#   path of gateway g:  [10.100.0.(1+g)/0x11, 10.200.0.1/0x33, 10.0.3.254/0x22]
#
# Checks the dump (slots, packets, bytes, destination), the suffix
# aggregates, the path_max bound, flush, and the rate events on the
# multicast group (mtfctl monitor as the listener).

. "$(dirname "$0")/lib.sh"

SEND=${SEND:-$TOP/build/selftests/mtf_flood}
P="10.100.0.1/0x11,10.200.0.1/0x33,10.0.3.254/0x22"
V=10.0.1.2

require_root
require_modules mtf
require_cmd ip jq
[ -x "$SEND" ] || skip_all "$SEND not built (make tools)"
[ -x "$MTFCTL" ] || skip_all "$MTFCTL not built (make tools)"

cleanup() {
	[ -n "${mon:-}" ] && kill "$mon" 2>/dev/null
	cleanup_all_ns
	mod_unload mtf
	rm -f "${tmp:-/nonexistent}".*
}
trap cleanup EXIT

mod_load mtf || exit $KSFT_FAIL
setup_ns a v || exit $KSFT_FAIL
veth_pair "$a" eth0 10.0.1.1/24 "$v" eth0 $V/24 || exit $KSFT_FAIL
tmp=$(mktemp -u /tmp/mtf_paths.XXXXXX)
# A host without roles runs MTF, and accounts what it receives, only on
# request.
ip netns exec "$v" "$MTFCTL" config set enable on account-local on || exit $KSFT_FAIL

mtf() { ip netns exec "$v" "$MTFCTL" "$@"; }
send() { cmd ip netns exec "$a" "$SEND" "$@"; }
stat() { jget "$v" "$MTFCTL" ".stats.$1"; }
paths() { mtf -j path show | jq -c "[.[] | select($1)]"; }

test_dump() {
	local f1 f2
	mtf path flush
	cmd mtf config set suffix-len 0 || return 1
	send -d $V -s 10.9.0.1 -p $P -c 7 -l 50 >/dev/null || return 1
	send -d $V -s 10.9.0.1 -p 10.100.0.2/0x11,10.0.3.254/0x22 -c 3 -l 50 >/dev/null || return 1
	mtf path show
	f1=$(paths '.slots[0].addr == "10.100.0.1"')
	f2=$(paths '.slots[0].addr == "10.100.0.2"')
	# 20 (IP) + 4 + 3 * 8 (path header) + 8 (UDP) + 50 = 106 bytes.
	jq -e 'length == 1 and .[0].packets == 7 and .[0].bytes == 7 * 106 and
	       .[0].suffix == false and .[0].dst == "'$V'" and
	       ([.[0].slots[] | "\(.addr)/\(.mark)"] ==
	        ["10.100.0.1/0x00000011", "10.200.0.1/0x00000033", "10.0.3.254/0x00000022"])' \
		<<<"$f1" >/dev/null || fail "3-slot path wrong: $f1" || return 1
	jq -e 'length == 1 and .[0].packets == 3 and (.[0].slots | length) == 2' \
		<<<"$f2" >/dev/null || fail "2-slot path wrong: $f2" || return 1
	[ "$(mtf -j path show | jq length)" = 2 ] || fail "more entries than paths"
}

test_suffix() {
	local s
	mtf path flush
	cmd mtf config set suffix-len 2 || return 1
	# 5 gateways x 4 packets: 5 full paths, 1 suffix [10.200.0.1, R].
	send -d $V -s 10.9.0.1 -n 3 -g 5 -p $P -c 20 >/dev/null || return 1
	s=$(paths '.suffix == true')
	echo "$s"
	jq -e 'length == 1 and .[0].packets == 20 and (.[0].slots | length) == 2 and
	       .[0].slots[0].addr == "10.200.0.1"' <<<"$s" >/dev/null ||
		fail "suffix aggregate wrong" || return 1
	[ "$(paths '.suffix == false' | jq length)" = 5 ] || fail "not 5 full paths"
}

test_path_max() {
	local f0 f1 r0 r1 e0 e1 d c last
	mtf path flush
	cmd mtf config set suffix-len 0 path-max 5 || return 1
	f0=$(stat path_full)
	r0=$(stat path_replaced)
	e0=$(stat path_evicted)
	send -d $V -p $P -g 8 -c 8 >/dev/null || return 1
	# One dump, at once: at path-max the idle GC takes entries quiet for
	# 2 s, which a loaded emulator can let pass; it counts what it takes.
	d=$(mtf -j path show)
	f1=$(stat path_full)
	r1=$(stat path_replaced)
	e1=$(stat path_evicted)
	c=$(jq length <<<"$d")
	# The newest path (gateway 7) is always accounted.
	last=$(jq '[.[] | select(.slots[0].addr == "10.100.0.8")] | length' <<<"$d")
	cmd mtf config set path-max 65536
	echo "paths $c, path_full $f0 -> $f1, path_replaced $r0 -> $r1, path_evicted $e0 -> $e1"
	[ $((f1 - f0)) -eq 0 ] && [ $((r1 - r0)) -eq 3 ] ||
		fail "path_max not enforced by replacement" || return 1
	if [ "$e1" = "$e0" ]; then
		[ "$c" = 5 ] && [ "$last" = 1 ] ||
			fail "table does not hold the 5 newest paths"
	else
		echo "the idle GC took $((e1 - e0)) before the dump (loaded host)"
		[ "$c" -le 5 ] || fail "more than path-max paths"
	fi
}

test_flush() {
	send -d $V -p $P -c 1 >/dev/null || return 1
	cmd mtf path flush || return 1
	[ "$(mtf -j path show | jq length)" = 0 ] || fail "paths left after flush"
}

test_rate_event() {
	local e0 e1
	mtf path flush
	cmd mtf config set suffix-len 0 path-rate-threshold 200 || return 1
	e0=$(stat path_events)
	ip netns exec "$v" "$MTFCTL" -j monitor >"$tmp.mon" 2>&1 &
	mon=$!
	sleep 0.5
	# 1000 pps for 3 s: the EWMA passes 200 pps within a tick or two.
	send -d $V -p $P -c 3000 -r 1000 || return 1
	busywait 3000 grep -q path-rate "$tmp.mon"
	kill "$mon"; wait "$mon" 2>/dev/null; mon=
	e1=$(stat path_events)
	cat "$tmp.mon"
	echo "path_events $e0 -> $e1"
	# Once per crossing: the one path crossed once.
	[ $((e1 - e0)) -eq 1 ] || fail "not one event per crossing" || return 1
	jq -e 'select(.event == "path-rate") | .path.slots[0].addr == "10.100.0.1" and
	       .path.rate_pps >= 200' "$tmp.mon" >/dev/null ||
		fail "no event for the path on the multicast group"
}

test_idle_eviction_pressure() {
	local e0 e1
	mtf path flush
	# With the table nearly full, idle entries go after ~2 s.
	cmd mtf config set suffix-len 0 path-max 8 || return 1
	e0=$(stat path_evicted)
	send -d $V -p $P -g 8 -c 8 >/dev/null || return 1
	# Returns as soon as they are gone; long for slow (debug) kernels.
	busywait 30000 sh -c "[ \$(ip netns exec $v $MTFCTL -j config show | jq .paths) = 0 ]"
	e1=$(stat path_evicted)
	cmd mtf config set path-max 65536
	echo "path_evicted $e0 -> $e1"
	[ $((e1 - e0)) -eq 8 ] || fail "idle paths not evicted"
}

ktap_header 6
run_test "path dump: slots with marks, packets, bytes, destination" test_dump
run_test "suffix aggregate sums the paths that share it" test_suffix
run_test "path_max bounds the table, new paths replace old ones" test_path_max
run_test "path flush empties the table" test_flush
run_test "rate threshold: one event on the multicast group per crossing" test_rate_event
run_test "idle paths are evicted when the table fills up" test_idle_eviction_pressure
ktap_finish
