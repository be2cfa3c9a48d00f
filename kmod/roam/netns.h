/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_NETNS_H
#define _ROAM_NETNS_H

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "client.h"
#include "event.h"
#include "mig.h"
#include "stats.h"

struct roam_gate;

/* State of one network namespace, allocated by the pernet core. */
struct roam_net {
	struct net *net;
	struct roam_pcpu_stats __percpu *stats;
	/*
	 * The gate configuration: replaced as a whole under @lock and read
	 * on the packet path under RCU only.  Never NULL once initialised.
	 */
	struct roam_gate __rcu *gate;
	/* Serialises every writer of @gate and @clients (netlink). */
	struct mutex lock;
	struct roam_clients clients;
	struct roam_events events;
	struct roam_mig mig;		/* live TCP handoff */
};

extern unsigned int roam_net_id;

static inline struct roam_net *roam_net(const struct net *net)
{
	return net_generic(net, roam_net_id);
}

int roam_netns_init(void);
void roam_netns_uninit(void);

#endif /* _ROAM_NETNS_H */
