# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the namespace selftests (sourced, not run).
#
# Modelled on tools/testing/selftests/net/lib.sh: setup_ns makes uniquely
# named namespaces and remembers them for cleanup; busywait polls instead
# of sleeping; tests print kselftest TAP through ktap_* and exit with
# KSFT_PASS / KSFT_FAIL / KSFT_SKIP.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KVER=${VM_KVER:-$(uname -r)}
MODDIR=${MODDIR:-$TOP/build/kmod/$KVER}
BINDIR=${BINDIR:-$TOP/build/bin}
MTFCTL=$BINDIR/mtfctl
ROAMCTL=$BINDIR/roamctl
# In CI a missing feature must fail the run instead of skipping it.
EXPECT_ALL=${SELFTESTS_EXPECT_ALL:-0}

NS_LIST=()
_ktap_n=0
_ktap_pass=0
_ktap_fail=0
_ktap_skip=0

# ---------------------------------------------------------------- TAP ---
ktap_header() {	# $1 = number of tests planned
	echo "TAP version 13"
	echo "1..$1"
}

ktap_result() {	# rc desc...
	local rc=$1; shift
	_ktap_n=$((_ktap_n + 1))
	case $rc in
	0) _ktap_pass=$((_ktap_pass + 1)); echo "ok $_ktap_n $*" ;;
	4) _ktap_skip=$((_ktap_skip + 1)); echo "ok $_ktap_n $* # SKIP" ;;
	*) _ktap_fail=$((_ktap_fail + 1)); echo "not ok $_ktap_n $*" ;;
	esac
}

# Run one check function and record its result; its output becomes TAP
# diagnostics so a failure log reads like a transcript.
run_test() {	# desc fn [args...]
	local desc=$1 out rc=0 t0=$SECONDS; shift
	out=$("$@" 2>&1) || rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
	echo "# ($((SECONDS - t0)) s)"
	ktap_result $rc "$desc"
}

ktap_finish() {
	echo "# $_ktap_pass passed, $_ktap_fail failed, $_ktap_skip skipped"
	[ $_ktap_fail -eq 0 ] || exit $KSFT_FAIL
	# A skipped point would otherwise hide behind the others' passes.
	if [ "$EXPECT_ALL" = 1 ] && [ $_ktap_skip -gt 0 ]; then
		echo "# FAIL (SELFTESTS_EXPECT_ALL=1): $_ktap_skip test points skipped"
		exit $KSFT_FAIL
	fi
	[ $_ktap_pass -gt 0 ] || [ $_ktap_skip -eq 0 ] || exit $KSFT_SKIP
	exit $KSFT_PASS
}

skip_all() {	# reason
	if [ "$EXPECT_ALL" = 1 ]; then
		echo "# FAIL (SELFTESTS_EXPECT_ALL=1): $*"
		exit $KSFT_FAIL
	fi
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# Print, then run: failure output then shows exactly what was run.
cmd() {
	echo "+ $*" >&2
	"$@"
}

fail() {
	echo "FAIL: $*"
	return 1
}

# -------------------------------------------------------- requirements ---
require_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
}

# Module tests only make sense where modules load: inside the VM rig.
require_modules() {
	local m
	for m in "$@"; do
		[ -e "$MODDIR/$m.ko" ] || skip_all "$MODDIR/$m.ko not built (make modules-all)"
	done
	[ -e /proc/modules ] || skip_all "kernel without module support (run inside selftests/vm/run)"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip_all "command '$c' not found"
	done
}

# ------------------------------------------------------------- modules ---
mod_loaded() {
	grep -q "^$1 " /proc/modules
}

mod_load() {
	mod_loaded "$1" && return 0
	insmod "$MODDIR/$1.ko"
}

mod_unload() {
	mod_loaded "$1" || return 0
	rmmod "$1"
}

# ---------------------------------------------------------- namespaces ---
# setup_ns a b c: creates namespaces "a-XXXXXX" ... and sets $a, $b, $c to
# their names; loopback up in each.
setup_ns() {
	local var name
	for var in "$@"; do
		name="$var-$(mktemp -u XXXXXX)"
		ip netns add "$name" || return 1
		ip -n "$name" link set lo up || return 1
		NS_LIST+=("$name")
		eval "$var=$name"
	done
}

cleanup_ns() {
	local ns
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}

cleanup_all_ns() {
	cleanup_ns "${NS_LIST[@]}"
	NS_LIST=()
}

# veth_pair NS1 DEV1 ADDR1 NS2 DEV2 ADDR2 (addresses with prefix length)
veth_pair() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" || return 1
	ip -n "$1" addr add "$3" dev "$2" || return 1
	ip -n "$4" addr add "$6" dev "$5" || return 1
	ip -n "$1" link set "$2" up || return 1
	ip -n "$4" link set "$5" up
}

# Three namespaces in a line, client - router - server:
#
#   client (10.0.1.1) --veth-- (10.0.1.254) router (10.0.2.254) --veth-- (10.0.2.1) server
#
# Sets $client $router $server.
setup_line3() {
	setup_ns client router server || return 1
	veth_pair "$client" eth0 10.0.1.1/24 "$router" eth0 10.0.1.254/24 || return 1
	veth_pair "$router" eth1 10.0.2.254/24 "$server" eth0 10.0.2.1/24 || return 1
	ip netns exec "$router" sysctl -qw net.ipv4.ip_forward=1 || return 1
	ip -n "$client" route add default via 10.0.1.254 || return 1
	ip -n "$server" route add default via 10.0.2.254
}

# ------------------------------------------------------------- polling ---
# busywait TIMEOUT_MS cmd...: succeed as soon as cmd does.
busywait() {
	local timeout_ms=$1 start now; shift
	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -lt "$timeout_ms" ] || return 1
		sleep 0.1
	done
}

# ---------------------------------------------------------------- json ---
# jget NS TOOL FILTER: run "TOOL -j status" in NS and apply a jq filter.
jget() {
	ip netns exec "$1" "$2" -j status | jq -er "$3"
}
