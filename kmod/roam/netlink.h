/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_NETLINK_H
#define _ROAM_NETLINK_H

#include <linux/types.h>

struct net;
struct roam_client_info;

struct genl_family;

int roam_genl_init(void);
struct genl_family *roam_genl_family(void);
void roam_genl_uninit(void);

/* Multicast to the namespace's events group; process context. */
void roam_nl_notify_violation(struct net *net,
			      const struct roam_client_info *info);
void roam_nl_notify_attack(struct net *net, u64 rate, u32 threshold,
			   __be32 active, u64 epoch);

#endif /* _ROAM_NETLINK_H */
