// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module: proves that selftests/vm/run notices a kernel warning.
 * With warn=1 (the default) its init does WARN(); with warn=0 it only
 * loads, which shows that the E/O taint of an out-of-tree module passes.
 */
#include <linux/module.h>
#include <linux/bug.h>

static bool warn = true;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "WARN() at load time (default: yes)");

static int __init vm_trigger_init(void)
{
	WARN(warn, "vm_trigger: deliberate warning for the VM rig self-test\n");
	pr_info("loaded (warn=%d)\n", warn);
	return 0;
}

static void __exit vm_trigger_exit(void)
{
}

module_init(vm_trigger_init);
module_exit(vm_trigger_exit);
MODULE_DESCRIPTION("VM rig self-test: deliberate WARN");
MODULE_LICENSE("GPL");
