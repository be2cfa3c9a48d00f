// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace life cycle.  Registering the pernet operations runs
 * pernet_init() for every existing namespace and, from then on, for each
 * new one; unregistering runs pernet_exit() for all of them.
 */

#include "netns.h"
#include "hooks.h"

unsigned int roam_net_id __read_mostly;

static int __net_init pernet_init(struct net *net)
{
	struct roam_net *mn = roam_net(net);
	int ret;

	mn->stats = roam_stats_alloc();
	if (!mn->stats)
		return -ENOMEM;

	ret = roam_hooks_register(net);
	if (ret)
		goto err_free_stats;
	return 0;

err_free_stats:
	roam_stats_free(mn->stats);
	return ret;
}

static void __net_exit pernet_exit(struct net *net)
{
	struct roam_net *mn = roam_net(net);

	/*
	 * Unregistering waits for hooks still running on other CPUs, so no
	 * packet can touch the counters once they are freed.
	 */
	roam_hooks_unregister(net);
	roam_stats_free(mn->stats);
}

static struct pernet_operations pernet_ops = {
	.init = pernet_init,
	.exit = pernet_exit,
	.id = &roam_net_id,
	.size = sizeof(struct roam_net),
};

int __init roam_netns_init(void)
{
	return register_pernet_subsys(&pernet_ops);
}

void roam_netns_uninit(void)
{
	unregister_pernet_subsys(&pernet_ops);
}
