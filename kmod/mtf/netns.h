/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_NETNS_H
#define _MTF_NETNS_H

#include <net/net_namespace.h>
#include <linux/mutex.h>
#include <net/netns/generic.h>
#include <linux/notifier.h>
#include <linux/xarray.h>

#include "stats.h"

/*
 * Per-namespace configuration (MTF_CMD_CONFIG_*).  Written under
 * mtf_net.cfg_lock from netlink; read locklessly with READ_ONCE() on the
 * packet path, field by field.
 */
struct mtf_config {
	__be32 router_addr;	/* 0: ingress interface's address */
	u8 slots;		/* slots pre-allocated on insert */
	u8 suffix_len;		/* path suffix length accounted */
	u32 key_grace_ms;
	u32 path_max;
	u32 path_rate_thresh;	/* pps; 0: no events */
	u32 filter_max;
	u32 filter_timeout_ms;	/* default filter lifetime (Ttmp) */
	u32 path_new_rate;	/* new path entries per second */
	u32 path_new_burst;	/* ... at most this many at once */
	bool account_local;	/* account paths delivered to this host */
	bool enable;		/* hooks even without interface roles */
};

struct mtf_filters;
struct mtf_paths;
struct mtf_keys;
struct mtf_mark_cache;
struct mtf_dev_map;

/* State of one network namespace, allocated by the pernet core. */
struct mtf_net {
	struct mtf_pcpu_stats __percpu *stats;
	struct mtf_config cfg;
	struct mutex cfg_lock;
	struct mtf_filters *filters;	/* filter.c */
	unsigned long filter_kmask;	/* filter.c: suffix lengths in use,
					 * bit 0: unmarked filters */
	struct mtf_paths *paths;	/* path.c */
	struct mtf_keys __rcu *keys;	/* mark.c, written under cfg_lock */
	struct mtf_mark_cache __percpu *mark_cache; /* mark.c */
	struct xarray devs;		/* dev.c: ifindex -> roles */
	struct mtf_dev_map __rcu *dev_map; /* dev.c: packet path copy */
	struct notifier_block dev_nb;	/* dev.c */
	struct {			/* hooks.c, under its hooks_lock */
		bool up;		/* FORWARD, LOCAL_IN registered */
		bool pre_routing;	/* PRE_ROUTING registered */
		bool dying;		/* pre_exit ran */
	} hooks;
};

extern unsigned int mtf_net_id;

static inline struct mtf_net *mtf_net(const struct net *net)
{
	return net_generic(net, mtf_net_id);
}

int mtf_netns_init(void);
void mtf_netns_stop(void);
void mtf_netns_uninit(void);

#endif /* _MTF_NETNS_H */
