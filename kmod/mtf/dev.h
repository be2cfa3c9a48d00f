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
 * The packet path reads roles from a flat array indexed by ifindex, a
 * copy of the xarray published with RCU: one bounds check and one load,
 * where an xarray walk per interface (two per packet) was ~1.5% of a
 * forwarding profile.  Interfaces of a namespace are numbered from 1, so
 * the array stays small; with a role on an ifindex at or above
 * MTF_DEV_MAP_MAX there is no array and lookups walk the xarray.
 */
#define MTF_DEV_MAP_MAX 4096

struct mtf_dev_map {
	struct rcu_head rcu;
	u32 len;
	u8 roles[];		/* by ifindex; 0 beyond len */
};

/* Any context; the packet path's fallback without an array. */
static inline u32 mtf_dev_roles(struct mtf_net *mn,
				const struct net_device *dev)
{
	void *e;

	if (!dev)
		return 0;
	e = xa_load(&mn->devs, dev->ifindex);
	return e ? xa_to_value(e) : 0;
}

/* Packet path, under the RCU read lock the hooks run in. */
static inline u32 mtf_dev_roles_rcu(struct mtf_net *mn,
				    const struct net_device *dev)
{
	const struct mtf_dev_map *m;

	if (!dev)
		return 0;
	m = rcu_dereference(mn->dev_map);
	if (unlikely(!m))
		return mtf_dev_roles(mn, dev);
	return (u32)dev->ifindex < m->len ?
	       READ_ONCE(m->roles[dev->ifindex]) : 0;
}

extern const struct nla_policy mtf_nl_dev_policy[MTF_A_MAX + 1];
int mtf_nl_dev_get(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_dev_set(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _MTF_DEV_H */
