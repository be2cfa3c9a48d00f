// SPDX-License-Identifier: GPL-2.0
/*
 * Multipath Traffic Filter (MTF): module init and exit only.
 */

#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <linux/mtf.h>

#include "filter.h"
#include "netlink.h"
#include "netns.h"
#include "version.h"

static int __init mod_init(void)
{
	int ret;

	/* Object caches, which namespaces need. */
	ret = mtf_filter_init();
	if (ret)
		goto err_filter;

	/*
	 * Namespaces first: the family must not be reachable before every
	 * namespace has its state.
	 */
	ret = mtf_netns_init();
	if (ret)
		goto err_netns;

	ret = mtf_genl_init();
	if (ret)
		goto err_genl;

	pr_info("MTF %s loaded\n", MTF_VERSION);
	return 0;

err_genl:
	mtf_netns_uninit();
err_netns:
	mtf_filter_uninit();
err_filter:
	return ret;
}

static void __exit mod_exit(void)
{
	/* Workers that send on the family stop before it goes. */
	mtf_netns_stop();
	mtf_genl_uninit();
	mtf_netns_uninit();
	mtf_filter_uninit();
	pr_debug("MTF unloaded\n");
}

module_init(mod_init);
module_exit(mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multipath Traffic Filter: path marking against DDoS");
MODULE_AUTHOR("MTF and roam developers");
MODULE_VERSION(MTF_VERSION);
MODULE_ALIAS_GENL_FAMILY(MTF_GENL_NAME);
