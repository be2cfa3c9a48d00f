#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host unit test of selftests/vm/scan-klog (TAP): a real boot log of the
# rig with the memory debugging options passes; the same log with one
# kernel report spliced into its middle fails, for every kind of report
# the rig must catch; taint and usage give the documented exit codes.
# Installed as build/tests/scan-klog-test (make unit-tests); SCAN_KLOG
# overrides the scanner under test (to show a check fails when a
# pattern is missing).
set -u

SRC=@SRCDIR@
case $SRC in @*) SRC=$(cd "$(dirname "$0")" && pwd) ;; esac
SCAN=${SCAN_KLOG:-$SRC/scan-klog}
DATA=$SRC/testdata

# One report per line group, split by "--": the first line is what
# scan-klog must quote back, the others are the kernel's usual context.
reports='[  101.000001] BUG: KFENCE: use-after-free read in mtf_rx+0x1c/0x90 [mtf]
[  101.000002] Use-after-free read at 0x00000000c0ffee00 (in kfence-#12):
--
[  101.000001] BUG: KASAN: slab-use-after-free in roam_gate_hook+0x3a/0x1e0 [roam]
[  101.000002] Read of size 8 at addr ffff888004a1c2d8 by task ping/412
--
[  101.000001] BUG kmalloc-64 (Tainted: G           OE     ): Poison overwritten
[  101.000002] INFO: 0xffff888003f1e2a0-0xffff888003f1e2a7 @offset=672. First byte 0x0 instead of 0x6b
--
[  101.000001] BUG kmalloc-128 (Not tainted): Redzone overwritten
--
[  101.000001] pagealloc: memory corruption
[  101.000002] 00000000ffff0000: 00 00 00 00 6b 6b 6b 6b  ....kkkk
--
[  101.000001] unregister_netdevice: waiting for veth0 to become free. Usage count = 2
--
[  242.000001] INFO: task kworker/u4:1:37 blocked for more than 120 seconds.
[  242.000002]       Tainted: G           OE      6.12.95+deb12-amd64 #1
--
[  242.000001] rcu: INFO: rcu_sched self-detected stall on CPU
[  242.000002] rcu: 	0-....: (5250 ticks this GP) idle=1e4c/1/0x4000000000000000
--
[  242.000001] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
[  242.000002] rcu: 	1-...0: (1 GPs behind) idle=7e4/1/0x4000000000000000
--
[  242.000001] rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 1-... } 21003 jiffies s: 93 root: 0x2/.
--
[  300.000001] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
--
[  300.000001] unreferenced object 0xffff888004b2a000 (size 64):
[  300.000002]   comm "mtfctl", pid 377, jiffies 4294937296
--
[  101.000001] WARNING: possible circular locking dependency detected
[  101.000002] 6.12.95 #1 Tainted: G           OE
--
[  101.000001] WARNING: inconsistent lock state
[  101.000002] inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.
--
[  101.000001] possible recursive locking detected
--
[  101.000001] WARNING: suspicious RCU usage
[  101.000002] kmod/mtf/table.c:120 suspicious rcu_dereference_check() usage!
--
[  101.000001] BUG: sleeping function called from invalid context at mm/slub.c:4160
--
[  101.000001] WARNING: CPU: 1 PID: 77 at net/core/dev.c:10987 netdev_run_todo+0x60/0x4a0
--
[  101.000001] BUG: unable to handle page fault for address: 0000000000000008
[  101.000002] Oops: Oops: 0002 [#1] PREEMPT SMP NOPTI
--
[  101.000001] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [iperf3:99]
--
[  101.000001] refcount_t: underflow; use-after-free.
--
[  101.000001] list_del corruption, ffff888003a0 ->next is LIST_POISON1 (dead000000000100)
--
[  101.000001] UBSAN: shift-out-of-bounds in kmod/mtf/mark.c:12:3
--
[  101.000001] Kernel panic - not syncing: Fatal exception in interrupt'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 fail=0
ok() {		# status description
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=$((fail + 1))
	fi
}
scan() {	# args...: scan-klog's exit status; its output in $tmp/out
	local rc=0
	"$SCAN" "$@" >"$tmp/out" 2>&1 || rc=$?
	return $rc
}

mapfile -t clean < <(ls "$DATA"/*.log 2>/dev/null)
nrep=$(( $(grep -c -- '^--$' <<<"$reports") + 1 ))
plan=$(( ${#clean[@]} + nrep + 1 + 8 + 3 + 1 + 2 ))
echo "TAP version 13"
echo "1..$plan"

# Real boot logs: nothing to report (also guards against a pattern so
# broad that it matches the kernel's ordinary chatter).
for f in "${clean[@]}"; do
	rc=0; scan "$f" || rc=$?
	ok $rc "clean log ${f##*/} -> exit 0"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/out" | head -n 20
done

# Each report in the middle of a clean log: exit 1, and the report's
# first line quoted.
base=${clean[0]:-/dev/null}
half=$(( $(wc -l <"$base") / 2 ))
i=0
while IFS= read -r -d $'\x1e' rep; do
	rep=${rep#$'\n'}; rep=${rep%$'\n'}
	[ -n "$rep" ] || continue
	first=${rep%%$'\n'*}
	{ head -n "$half" "$base"; printf '%s\n' "$rep"; tail -n "+$((half + 1))" "$base"; } >"$tmp/log"
	rc=0; scan "$tmp/log" || rc=$?
	t=1; [ $rc -eq 1 ] && grep -qF -- "$first" "$tmp/out" && t=0
	ok $t "fails (exit $rc) on '$(sed -E 's/^\[ *[0-9.]+\] //' <<<"$first" | cut -c1-60)'"
	i=$((i + 1))
done < <(sed 's/^--$/\x1e/' <<<"$reports"; printf '\x1e')

# NUL bytes from a dying guest do not hide a report (grep -a).
rc=0; printf 'junk\0\0\n[    9.1] Kernel panic - not syncing: oops\n' >"$tmp/nul"
scan "$tmp/nul" || rc=$?
ok $((rc != 1)) "NUL bytes in the log: a report after them still fails (exit $rc)"

# Taint: only E (bit 13) and O (bit 12) are allowed.  W = bit 9,
# B (bad page, slub_debug) = bit 5, P = bit 0.
for t in 0:0 4096:0 8192:0 12288:0 512:1 $((12288 | 32)):1 1:1 $((1 << 30)):1; do
	rc=0; scan -t "${t%:*}" "$base" || rc=$?
	ok $((rc != ${t#*:})) "taint ${t%:*} -> exit ${t#*:} (got $rc)"
done

# Usage and unreadable input: exit 2, not "clean".
rc=0; scan /nonexistent/log || rc=$?
ok $((rc != 2)) "unreadable file -> exit 2 (got $rc)"
rc=0; scan -t x "$base" || rc=$?
ok $((rc != 2)) "bad taint value -> exit 2 (got $rc)"
rc=0; scan -Q "$base" || rc=$?
ok $((rc != 2)) "unknown option -> exit 2 (got $rc)"

# stdin is read when no file is given.
rc=0; scan <"$tmp/nul" || rc=$?
ok $((rc != 1)) "a report on stdin -> exit 1 (got $rc)"

# -F: the first report's whole stack, from a file and from stdin (the
# stall that hung a CI run showed only "schedule" with 3 lines of context).
stall='[  530.747681] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
[  530.747997] rcu: 	Tasks blocked on level-0 rcu_node (CPUs 0-1): P3216/1:b..l
[  530.748655] Call Trace:
[  530.748742]  <TASK>
[  530.748822]  __schedule+0x34d/0x9e0
[  530.748966]  schedule+0x5a/0xd0
[  530.749001]  schedule_timeout+0x118/0x150
[  530.749002]  wait_for_completion+0x86/0x160
[  530.749003]  __wait_rcu_gp+0x136/0x160
[  530.749004]  synchronize_rcu+0x100/0x110'
{ head -n "$half" "$base"; printf '%s\n' "$stall"; tail -n "+$((half + 1))" "$base"; } >"$tmp/log"
rc=0; scan -F 12 "$tmp/log" || rc=$?
t=1; [ $rc -eq 1 ] && grep -q '| .*synchronize_rcu+0x100' "$tmp/out" && t=0
ok $t "-F 12: the first report's whole stack is shown (exit $rc)"
rc=0; scan -F 12 <"$tmp/log" || rc=$?
t=1; [ $rc -eq 1 ] && grep -q '| .*synchronize_rcu+0x100' "$tmp/out" && t=0
ok $t "-F 12 on stdin: the same (exit $rc)"

# No fixture found, or a report lost in the splitting: a failure too.
[ ${#clean[@]} -gt 0 ] || { echo "# no clean log in $DATA"; fail=$((fail + 1)); }
[ $n -eq $plan ] || { echo "# planned $plan tests, ran $n"; fail=$((fail + 1)); }
echo "# $((n - fail)) passed, $fail failed"

[ $fail -eq 0 ]
