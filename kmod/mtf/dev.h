/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Roles of the interfaces of a namespace (MTF_DEV_F_*), keyed by ifindex.
 */
#ifndef _MTF_DEV_H
#define _MTF_DEV_H

#include <linux/netdevice.h>
#include <linux/xarray.h>
#include <net/netlink.h>
#include <linux/mtf.h>

#include "netns.h"

struct genl_info;
struct netlink_callback;

int mtf_dev_net_init(struct net *net);
void mtf_dev_net_exit(struct net *net);

/*
 * Packet path, under RCU.  The roles are stored in the xarray as value
 * entries, not pointers, so a lookup reads no other memory and a change
 * frees nothing that a reader could still hold.
 */
static inline u32 mtf_dev_roles(struct mtf_net *mn,
				const struct net_device *dev)
{
	void *e;

	if (!dev)
		return 0;
	e = xa_load(&mn->devs, dev->ifindex);
	return e ? xa_to_value(e) : 0;
}

extern const struct nla_policy mtf_nl_dev_policy[MTF_A_MAX + 1];
int mtf_nl_dev_get(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_dev_set(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _MTF_DEV_H */
