#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load and unload mtf.ko and roam.ko: alone, repeatedly, with namespaces
# created before and after the load, with namespaces deleted while loaded,
# and unload with namespaces still present.  The VM rig fails the run on
# any WARN/BUG/Oops these provoke.

. "$(dirname "$0")/lib.sh"

require_root
require_modules mtf roam
require_cmd ip jq

cleanup() {
	cleanup_all_ns
	mod_unload mtf
	mod_unload roam
}
trap cleanup EXIT

mods_unloaded_first() {
	mod_unload mtf && mod_unload roam
}

test_load_unload() {
	local m
	for m in mtf roam; do
		cmd insmod "$MODDIR/$m.ko" || return 1
		mod_loaded $m || fail "$m not in /proc/modules" || return 1
		cmd rmmod $m || return 1
		! mod_loaded $m || fail "$m still loaded after rmmod" || return 1
	done
}

test_reload_cycles() {
	local i
	for i in 1 2 3; do
		mod_load mtf && mod_load roam || return 1
		"$MTFCTL" status >/dev/null || fail "mtfctl status after load $i" || return 1
		"$ROAMCTL" status >/dev/null || fail "roamctl status after load $i" || return 1
		mod_unload mtf && mod_unload roam || return 1
	done
}

# The CLI must say clearly that the module is missing, with exit code 1.
test_not_loaded_error() {
	local out rc=0
	mods_unloaded_first || return 1
	out=$("$MTFCTL" status 2>&1) || rc=$?
	echo "$out"
	[ $rc -eq 1 ] || fail "mtfctl exit code $rc, want 1" || return 1
	echo "$out" | grep -qi "not loaded" || fail "no 'not loaded' message" || return 1
	rc=0
	out=$("$ROAMCTL" status 2>&1) || rc=$?
	echo "$out"
	[ $rc -eq 1 ] || fail "roamctl exit code $rc, want 1" || return 1
	echo "$out" | grep -qi "not loaded" || fail "no 'not loaded' message"
}

# Namespaces existing before the load get state too (pernet init runs for
# them); deleting namespaces while loaded must not leak or crash.
test_netns_lifecycle() {
	local ns
	setup_ns pre1 pre2 || return 1
	mod_load mtf && mod_load roam || return 1
	setup_ns post1 post2 post3 || return 1
	for ns in "$pre1" "$pre2" "$post1" "$post2" "$post3"; do
		ip netns exec "$ns" "$MTFCTL" status >/dev/null ||
			fail "mtfctl status in $ns" || return 1
		ip netns exec "$ns" "$ROAMCTL" status >/dev/null ||
			fail "roamctl status in $ns" || return 1
	done
	# Hooks up (enable, a role) in some, one of them deleted below.
	cmd ip netns exec "$pre2" "$MTFCTL" config set enable on &&
	cmd ip netns exec "$post2" "$MTFCTL" config set enable on &&
	cmd ip netns exec "$post3" "$MTFCTL" dev lo set account on || return 1
	cmd ip netns del "$pre1" && cmd ip netns del "$post2" || return 1
	setup_ns again || return 1
	ip netns exec "$again" "$MTFCTL" status >/dev/null || return 1
	# Unload with namespaces (hooks, traffic state) still present.
	cmd rmmod mtf && cmd rmmod roam || return 1
	cleanup_all_ns
	mod_load mtf && mod_load roam
}

# Namespace teardown runs asynchronously (cleanup_net); unload right after
# a burst of deletions to race with it.
test_netns_delete_race() {
	local i names=()
	mod_load mtf && mod_load roam || return 1
	for i in $(seq 1 10); do
		setup_ns "race$i" || return 1
		ip netns exec "${NS_LIST[-1]}" "$MTFCTL" config set enable on || return 1
	done
	cleanup_all_ns
	cmd rmmod mtf && cmd rmmod roam
}

ktap_header 5
run_test "load and unload each module" test_load_unload
run_test "three load/unload cycles with status in between" test_reload_cycles
run_test "CLIs report a missing module with exit code 1" test_not_loaded_error
run_test "namespaces created before/after load, deleted while loaded, unload with namespaces" test_netns_lifecycle
run_test "unload racing namespace teardown" test_netns_delete_race
ktap_finish
