/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_NETNS_H
#define _ROAM_NETNS_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "stats.h"

/* State of one network namespace, allocated by the pernet core. */
struct roam_net {
	struct roam_pcpu_stats __percpu *stats;
};

extern unsigned int roam_net_id;

static inline struct roam_net *roam_net(const struct net *net)
{
	return net_generic(net, roam_net_id);
}

int roam_netns_init(void);
void roam_netns_uninit(void);

#endif /* _ROAM_NETNS_H */
