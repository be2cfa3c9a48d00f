#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Status is per network namespace: each namespace answers with its own
# cookie and its own counters, and traffic in one namespace leaves the
# others' counters alone.
#
#   a (10.9.0.1) ---veth--- b (10.9.0.2)        c (no links)

. "$(dirname "$0")/lib.sh"

require_root
require_modules mtf roam
require_cmd ip jq ping

cleanup() {
	cleanup_all_ns
	mod_unload mtf
	mod_unload roam
}
trap cleanup EXIT

mod_load mtf && mod_load roam || exit $KSFT_FAIL
setup_ns a b c || exit $KSFT_FAIL
veth_pair "$a" veth0 10.9.0.1/24 "$b" veth0 10.9.0.2/24 || exit $KSFT_FAIL
# mtf counts only where it is enabled (no interface roles here).
for ns in "$a" "$b" "$c"; do
	ip netns exec "$ns" "$MTFCTL" config set enable on || exit $KSFT_FAIL
done

test_json_shape() {
	local t
	for t in "$MTFCTL" "$ROAMCTL"; do
		cmd ip netns exec "$a" "$t" -j status | jq -e \
			'(.version | type == "string") and
			 (.netns_cookie | type == "number") and
			 (.stats | type == "object")' || return 1
	done
}

test_cookies_differ() {
	local ca cb cc
	ca=$(jget "$a" "$MTFCTL" .netns_cookie) || return 1
	cb=$(jget "$b" "$MTFCTL" .netns_cookie) || return 1
	cc=$(jget "$c" "$MTFCTL" .netns_cookie) || return 1
	echo "cookies: a=$ca b=$cb c=$cc"
	[ "$ca" != "$cb" ] && [ "$ca" != "$cc" ] && [ "$cb" != "$cc" ] ||
		fail "namespaces share a cookie" || return 1
	# roam.ko must report the same namespace identity as mtf.ko.
	[ "$(jget "$a" "$ROAMCTL" .netns_cookie)" = "$ca" ] ||
		fail "roamctl and mtfctl disagree on the namespace cookie"
}

test_counters_isolated() {
	local b0 b1 c0 c1 ra0 ra1
	b0=$(jget "$b" "$MTFCTL" .stats.local_in_packets) || return 1
	c0=$(jget "$c" "$MTFCTL" .stats.local_in_packets) || return 1
	ra0=$(jget "$b" "$ROAMCTL" .stats.in_packets) || return 1
	cmd ip netns exec "$a" ping -c 20 -i 0.01 -q 10.9.0.2 || return 1
	b1=$(jget "$b" "$MTFCTL" .stats.local_in_packets) || return 1
	c1=$(jget "$c" "$MTFCTL" .stats.local_in_packets) || return 1
	ra1=$(jget "$b" "$ROAMCTL" .stats.in_packets) || return 1
	echo "b local_in: $b0 -> $b1; c local_in: $c0 -> $c1; b roam in: $ra0 -> $ra1"
	[ $((b1 - b0)) -ge 20 ] || fail "b saw fewer than 20 packets" || return 1
	[ $((ra1 - ra0)) -ge 20 ] || fail "roam in b saw fewer than 20 packets" || return 1
	[ "$c1" = "$c0" ] || fail "c's counters moved with traffic in a/b"
}

ktap_header 3
run_test "status JSON has version, cookie and stats" test_json_shape
run_test "each namespace has its own cookie" test_cookies_differ
run_test "counters are per namespace" test_counters_isolated
ktap_finish
