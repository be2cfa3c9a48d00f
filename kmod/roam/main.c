// SPDX-License-Identifier: GPL-2.0
/*
 * Proactive server roaming: module init and exit only.
 */

#include <linux/init.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <linux/roam.h>

#include "client.h"
#include "netlink.h"
#include "netns.h"
#include "version.h"

static int __init mod_init(void)
{
	int ret;

	ret = roam_client_cache_init();
	if (ret)
		goto err_cache;

	/*
	 * Namespaces first: the family must not be reachable before every
	 * namespace has its state.
	 */
	ret = roam_netns_init();
	if (ret)
		goto err_netns;

	ret = roam_genl_init();
	if (ret)
		goto err_genl;

	pr_info("roam %s loaded\n", ROAM_VERSION);
	return 0;

err_genl:
	roam_netns_uninit();
err_netns:
	rcu_barrier();
	roam_client_cache_uninit();
err_cache:
	return ret;
}

static void __exit mod_exit(void)
{
	roam_genl_uninit();
	roam_netns_uninit();
	/*
	 * Deleted clients are freed by call_rcu() callbacks in this module
	 * into its slab cache: wait for all of them.
	 */
	rcu_barrier();
	roam_client_cache_uninit();
	pr_debug("roam unloaded\n");
}

module_init(mod_init);
module_exit(mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Proactive server roaming: admission gate against DDoS");
MODULE_AUTHOR("ROAM and roam developers");
MODULE_VERSION(ROAM_VERSION);
MODULE_ALIAS_GENL_FAMILY(ROAM_GENL_NAME);
