/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Path accounting: per recorded path and per path suffix, packets, bytes,
 * EWMA rates, first/last seen, in a bounded table (per namespace and in
 * all together) with CLOCK replacement, rate-limited creation and an idle
 * GC; events on the multicast group when a path's rate crosses the
 * threshold.
 */
#ifndef _MTF_PATH_H
#define _MTF_PATH_H

#include <linux/types.h>
#include <linux/mtf.h>

#include "dev.h"
#include "netns.h"

struct net;
struct genl_info;
struct sk_buff;
struct netlink_callback;

/* Module init/exit (the entry cache): before and after every namespace. */
int mtf_path_init(void);
void mtf_path_uninit(void);

/* Namespace init/exit; exit runs after the hooks are unregistered. */
int mtf_path_net_init(struct net *net);
void mtf_path_net_exit(struct net *net);

/*
 * Packet path, under RCU with bottom halves disabled; arguments as for
 * mtf_filter_drop().  @segs is the number of wire packets @len stands for
 * (GSO).
 */
void mtf_path_account(struct net *net, const struct mtf_slot4 *slots,
		      unsigned int n, __be32 daddr, unsigned int len,
		      unsigned int segs);

/*
 * Packet path: whether a packet delivered to this host, arriving on @in,
 * is accounted: only on request (config account-local, or the account
 * role on @in), as every path header a remote sender forges costs an
 * entry.  Forwarded packets are accounted by the role alone.
 */
static inline bool mtf_path_local(struct mtf_net *mn,
				  const struct net_device *in)
{
	return READ_ONCE(mn->cfg.account_local) ||
	       (mtf_dev_roles_rcu(mn, in) & MTF_DEV_F_ACCOUNT);
}

/* PATH_GET dump (.start/.dumpit/.done) and PATH_FLUSH. */
int mtf_nl_path_dump_start(struct netlink_callback *cb);
int mtf_nl_path_dump(struct sk_buff *skb, struct netlink_callback *cb);
int mtf_nl_path_dump_done(struct netlink_callback *cb);
int mtf_nl_path_flush(struct sk_buff *skb, struct genl_info *info);
u32 mtf_path_count(struct net *net);
void mtf_path_stop(struct net *net);

#endif /* _MTF_PATH_H */
