#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of the VM rig (selftests/vm/run, scan-klog), TAP output.
#
#   selftests/vm/test-rig.sh [KVER...]     (default: scripts/kernels list)
#
# Per kernel, six VM boots (~1 minute under TCG):
#   true -> 0;  output, environment, out dir, "exit 3" -> 3;
#   WARN from the test-only trigger module -> 125;  the same module without
#   WARN (taint E/O only) -> 0;  a panic -> 125;  sleep past --timeout -> 124.
# Plus, without a VM: option errors -> 2, and scan-klog on sample logs.
#
# Exit: 0 all passed, 1 some failed, 4 skipped (no qemu or no kernel).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
RUN=$HERE/run
SCAN=$HERE/scan-klog

usage() {
	echo "usage: selftests/vm/test-rig.sh [KVER...]" >&2
	exit 2
}
case ${1:-} in -*) usage ;; esac

echo "TAP version 13"
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "1..0 # SKIP qemu-system-x86_64 not installed"
	exit 4
fi
if [ $# -eq 0 ]; then
	mapfile -t kernels < <("$TOP/scripts/kernels" list 2>/dev/null || true)
else
	kernels=("$@")
fi
if [ ${#kernels[@]} -eq 0 ]; then
	echo "1..0 # SKIP no supported kernel installed"
	exit 4
fi

# Counted by hand; the closing line reports a mismatch as a failure.
plan=$((29 + 14 * ${#kernels[@]}))
echo "1..$plan"

cd "$TOP"	# the guest hides /tmp and friends; run from the tree
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 pass=0 fail=0
ok() {		# status description
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
		pass=$((pass + 1))
	else
		echo "not ok $n $2"
		fail=$((fail + 1))
	fi
}
# The output of a failed check, as TAP diagnostics.
diag() { sed 's/^/# /' "$@" | head -n 40; }

# vm RC-EXPECTED DESC -- run-args: one boot; stdout/stderr kept in $tmp.
vm() {
	local want=$1 desc=$2 rc=0 t0=$EPOCHREALTIME
	shift 3
	"$RUN" --out "$out" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	ok $((rc != want)) "$kver: $desc: exit $rc (want $want, ${secs}s)"
	[ "$rc" -eq "$want" ] || diag "$tmp/out" "$tmp/err"
}
# check DESC COMMAND...: a further assertion on the last boot.
check() {
	local desc=$1 rc=0
	shift
	"$@" >/dev/null 2>&1 || rc=$?
	ok $rc "$kver: $desc"
	[ $rc -eq 0 ] || diag "$tmp/out" "$tmp/err"
}

# --- scan-klog on sample text (no VM) ---------------------------------------
clean='[    0.000000] Linux version 6.1.0 (gcc-12)
[    1.234567] virtio-pci 0000:00:03.0: enabling device
[    2.000000] mtf: loaded
[    2.100000] DEBUG: not a kernel BUG line, and no WARNING either'
bad=(
	'Oops: 0002 [#1] PREEMPT SMP NOPTI'
	'BUG: unable to handle page fault for address: 0000000000000008'
	'WARNING: CPU: 1 PID: 77 at net/core/dev.c:123 foo+0x1/0x2 [mtf]'
	'Call Trace:'
	'kernel BUG at net/core/skbuff.c:100!'
	'general protection fault, probably for non-canonical address 0xdead'
	'BUG: KASAN: slab-use-after-free in mtf_rx+0x10/0x20'
	'UBSAN: shift-out-of-bounds in kmod/mtf/mark.c:12:3'
	'refcount_t: underflow; use-after-free.'
	'list_add corruption. prev->next should be next'
	'list_del corruption, ffff8880 ->next is LIST_POISON1'
	'rcu: INFO: rcu_sched self-detected stall on CPU'
	'rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'
	'watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [iperf3:99]'
	'INFO: task ip:123 blocked for more than 120 seconds.'
	'Kernel panic - not syncing: Fatal exception in interrupt'
)
rc=0; printf '%s\n' "$clean" | "$SCAN" >"$tmp/out" 2>&1 || rc=$?
ok $rc "scan-klog: clean log passes"
[ $rc -eq 0 ] || diag "$tmp/out"
for line in "${bad[@]}"; do
	rc=0; printf '%s\n[    3.0] %s\n%s\n' "$clean" "$line" "$clean" | "$SCAN" >"$tmp/out" 2>&1 || rc=$?
	t=1; [ $rc -eq 1 ] && grep -qF -- "$line" "$tmp/out" && t=0
	ok $t "scan-klog: fails on '${line:0:40}'"
done
# Taint: E = bit 13, O = bit 12, W = bit 9, P = bit 0.
for t in 0:0 4096:0 8192:0 12288:0 512:1 12800:1 1:1 $((1 << 30)):1; do
	rc=0; printf '%s\n' "$clean" | "$SCAN" -t "${t%:*}" >/dev/null 2>&1 || rc=$?
	ok $((rc != ${t#*:})) "scan-klog: taint ${t%:*} -> exit ${t#*:}"
done
rc=0; "$SCAN" /nonexistent >/dev/null 2>&1 || rc=$?
ok $((rc != 2)) "scan-klog: unreadable file -> exit 2"

# --- run: usage errors (no VM) -------------------------------------------------
rc=0; "$RUN" --kernel 0.0-bogus -- true >/dev/null 2>"$tmp/err" || rc=$?
t=1; [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && t=0
ok $t "run: unknown kernel -> exit 2, one line"
rc=0; "$RUN" >/dev/null 2>&1 || rc=$?
ok $((rc != 2)) "run: no command -> exit 2"
rc=0; "$RUN" --timeout x -- true >/dev/null 2>&1 || rc=$?
ok $((rc != 2)) "run: bad --timeout -> exit 2"

# --- run: per kernel ---------------------------------------------------------------
for kver in "${kernels[@]}"; do
	out=$TOP/build/vm/test-rig/$kver
	# A failed build shows up as failures of the two module tests.
	ko=$("$HERE/trigger/build" "$kver" 2>"$tmp/err") || {
		echo "# $kver: building the trigger module failed:"
		diag "$tmp/err"
		ko=/nonexistent/vm_trigger.ko
	}

	vm 0 "true" -- --kernel "$kver" -- true

	rm -f "$out/probe"
	SELFTESTS_EXPECT_ALL=1 vm 3 "output, env and exit 3" -- --kernel "$kver" -- \
		bash -c 'echo "out:$VM:$VM_KVER:$PWD:$TERM"; echo err-line >&2
			 echo "expect-all:${SELFTESTS_EXPECT_ALL:-unset}"
			 echo hi >"$VM_OUT/probe"; ip -o link show lo; exit 3'
	check "stdout carries CMD's stdout" grep -qxF "out:1:$kver:$PWD:dumb" "$tmp/out"
	check "stdout carries CMD's stderr" grep -qxF err-line "$tmp/out"
	check "SELFTESTS_EXPECT_ALL reaches CMD" grep -qxF expect-all:1 "$tmp/out"

	check "loopback is up" grep -q 'lo:.*UP' "$tmp/out"
	check "out dir is writable" grep -qxF hi "$out/probe"
	check "kernel log kept" test -s "$out/kernel.log" -a -s "$out/dmesg.log"

	vm 125 "WARN in a module -> 125" -- --kernel "$kver" -- \
		sh -c "insmod $ko && rmmod vm_trigger"
	check "WARNING reported on stderr" grep -q 'WARNING:.*vm_trigger' "$tmp/err"

	vm 0 "module without WARN (taint E/O) -> 0" -- --kernel "$kver" -- \
		sh -c "insmod $ko warn=0 && grep -q vm_trigger /proc/modules && rmmod vm_trigger"

	vm 125 "panic -> 125" -- --kernel "$kver" -- \
		sh -c 'echo c >/proc/sysrq-trigger'

	vm 124 "timeout -> 124" -- --kernel "$kver" --timeout 8 -- sleep 1000
	check "timeout reported in one line" grep -q '^vm: TIMEOUT' "$tmp/err"
done

if [ $n -ne $plan ]; then
	echo "# planned $plan tests, ran $n"
	fail=$((fail + 1))
fi
echo "# $pass passed, $fail failed"
[ $fail -eq 0 ]
