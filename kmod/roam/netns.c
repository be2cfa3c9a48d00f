// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace life cycle.  Registering the pernet operations runs
 * pernet_init() for every existing namespace and, from then on, for each
 * new one; unregistering runs pernet_pre_exit() and then, after an RCU
 * grace period, pernet_exit() for all of them.
 */

#include "gate.h"
#include "hooks.h"
#include "mig.h"
#include "netns.h"

unsigned int roam_net_id __read_mostly;

static int __net_init pernet_init(struct net *net)
{
	struct roam_net *rn = roam_net(net);
	struct roam_gate *gate;
	int ret;

	rn->net = net;
	mutex_init(&rn->lock);
	roam_events_init(rn);
	rn->stats = roam_stats_alloc();
	if (!rn->stats)
		return -ENOMEM;
	ret = -ENOMEM;
	gate = roam_gate_alloc();
	if (!gate)
		goto err_free_stats;
	RCU_INIT_POINTER(rn->gate, gate);
	ret = roam_clients_init(&rn->clients);
	if (ret)
		goto err_free_gate;
	ret = roam_mig_init(rn);
	if (ret)
		goto err_clients;
	ret = roam_hooks_register(net);
	if (ret)
		goto err_mig;
	ret = roam_mig_hooks_register(net);
	if (ret)
		goto err_hooks;
	return 0;

err_hooks:
	roam_hooks_unregister(net);
err_mig:
	roam_mig_exit(rn);
err_clients:
	roam_clients_destroy(&rn->clients);
err_free_gate:
	roam_gate_free(gate);
err_free_stats:
	roam_stats_free(rn->stats);
	return ret;
}

/*
 * Unhooking does not wait for packets already inside the hook on other
 * CPUs; the pernet core waits for a grace period between pre_exit and
 * exit (once for a whole batch of namespaces), after which nothing on the
 * packet path can see this namespace's state.
 */
static void __net_exit pernet_pre_exit(struct net *net)
{
	roam_mig_hooks_unregister(net);
	roam_hooks_unregister(net);
}

static void __net_exit pernet_exit(struct net *net)
{
	struct roam_net *rn = roam_net(net);

	/* Only the packet path queues events, and it is gone. */
	roam_events_stop(rn);
	roam_mig_exit(rn);
	roam_clients_destroy(&rn->clients);
	roam_gate_free(rcu_dereference_protected(rn->gate, 1));
	roam_stats_free(rn->stats);
}

static struct pernet_operations pernet_ops = {
	.init = pernet_init,
	.pre_exit = pernet_pre_exit,
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
