/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_NETNS_H
#define _MTF_NETNS_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "stats.h"

/* State of one network namespace, allocated by the pernet core. */
struct mtf_net {
	struct mtf_pcpu_stats __percpu *stats;
};

extern unsigned int mtf_net_id;

static inline struct mtf_net *mtf_net(const struct net *net)
{
	return net_generic(net, mtf_net_id);
}

int mtf_netns_init(void);
void mtf_netns_uninit(void);

#endif /* _MTF_NETNS_H */
