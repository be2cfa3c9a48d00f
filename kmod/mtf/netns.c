// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace life cycle.  Registering the pernet operations runs
 * pernet_init() for every existing namespace and, from then on, for each
 * new one; unregistering runs pernet_exit() for all of them.
 */

#include <linux/rtnetlink.h>

#include "netns.h"
#include "config.h"
#include "dev.h"
#include "filter.h"
#include "hooks.h"
#include "mark.h"
#include "path.h"

unsigned int mtf_net_id __read_mostly;

static int __net_init pernet_init(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	int ret;

	mtf_config_net_init(net);
	mn->stats = mtf_stats_alloc();
	if (!mn->stats)
		return -ENOMEM;
	ret = mtf_mark_net_init(net);
	if (ret)
		goto err_free_stats;
	ret = mtf_dev_net_init(net);
	if (ret)
		goto err_mark;

	ret = mtf_filter_net_init(net);
	if (ret)
		goto err_dev;
	ret = mtf_path_net_init(net);
	if (ret)
		goto err_filter;
	/* No hooks yet: they come with a role or enable (hooks.c). */
	return 0;

err_filter:
	mtf_filter_net_exit(net);
err_dev:
	mtf_dev_net_exit(net);
err_mark:
	mtf_mark_net_exit(net);
err_free_stats:
	mtf_stats_free(mn->stats);
	return ret;
}

/*
 * Unregistering a hook does not wait for packets still inside it on other
 * CPUs.  Doing it in pre_exit does: the pernet core runs an RCU grace
 * period between pre_exit and exit, both for a dying namespace and for
 * module unload, so exit can free what the hooks use.
 */
static void __net_exit pernet_pre_exit(struct net *net)
{
	mtf_hooks_net_pre_exit(net);
}

static void __net_exit pernet_exit(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);

	mtf_path_net_exit(net);
	mtf_filter_net_exit(net);
	mtf_dev_net_exit(net);
	mtf_mark_net_exit(net);
	mtf_stats_free(mn->stats);
}

static struct pernet_operations pernet_ops = {
	.init = pernet_init,
	.pre_exit = pernet_pre_exit,
	.exit = pernet_exit,
	.id = &mtf_net_id,
	.size = sizeof(struct mtf_net),
};

/* The path cache lives as long as the namespaces that allocate from it. */
int __init mtf_netns_init(void)
{
	int ret;

	ret = mtf_path_init();
	if (ret)
		return ret;
	ret = register_pernet_subsys(&pernet_ops);
	if (ret)
		mtf_path_uninit();
	return ret;
}

/*
 * Module exit, while the genl family is still there: hooks down in every
 * namespace, then the workers that use the family stopped.  Nothing can
 * restart them: only packets start the path tick.  A namespace already
 * off the list is dying, and its own exit stops them.
 */
void mtf_netns_stop(void)
{
	struct net *net;

	mtf_hooks_stop();
	down_read(&net_rwsem);
	for_each_net(net)
		mtf_path_stop(net);
	up_read(&net_rwsem);
}

void mtf_netns_uninit(void)
{
	unregister_pernet_subsys(&pernet_ops);
	mtf_path_uninit();
}
