/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_CLIENT_H
#define _ROAM_CLIENT_H

#include <linux/atomic.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/roam.h>

struct roam_net;
struct sk_buff;

/*
 * A contract as a GCRA (virtual scheduling) token bucket: @tat is the
 * time at which the client will have used up its allowance so far.  One
 * compare-and-exchange per packet, no lock.
 */
struct roam_tb {
	atomic64_t tat;		/* ns, ktime_get_mono_fast_ns() clock */
	u64 cost;		/* ns per unit, 32.32 fixed point; 0: none */
};

/* Bit numbers in roam_client.flags. */
enum {
	ROAM_CLIENT_F_VIOLATED,	/* event raised; re-armed by a state set */
};

/*
 * One client, keyed by source address.  Counters are atomics rather than
 * per-CPU: with 65536 clients per namespace and many CPUs, per-CPU copies
 * would cost megabytes per CPU; a client's packets mostly arrive on one
 * CPU (RSS), so the atomics rarely bounce.
 */
struct roam_client {
	struct rhash_head node;
	__be32 addr;
	u8 state;			/* enum roam_client_state */
	unsigned long flags;
	struct roam_tb pkt, bit;
	atomic64_t packets, bytes, drops, violations;
	u64 rate_pps, rate_bps;		/* as set, for replies */
	struct rcu_head rcu;
};

struct roam_clients {
	struct rhashtable table;
	u32 n;		/* entries; written under roam_net.lock */
	u32 gen;	/* bumped on every change: dump consistency */
};

/* What CLIENT_SET asks for; has_* say which attributes were present. */
struct roam_client_req {
	__be32 addr;
	bool has_state, has_pps, has_bps;
	u8 state;
	u64 rate_pps, rate_bps;
};

/* A copy of one client, for replies and events. */
struct roam_client_info {
	__be32 addr;
	u8 state;
	u64 rate_pps, rate_bps;
	u64 packets, bytes, drops, violations;
};

int roam_client_cache_init(void);
void roam_client_cache_uninit(void);
int roam_clients_init(struct roam_clients *cl);
void roam_clients_destroy(struct roam_clients *cl);

int roam_client_set(struct roam_net *rn, const struct roam_client_req *req,
		    u32 client_max);
int roam_client_del(struct roam_net *rn, __be32 addr);
void roam_clients_flush(struct roam_net *rn);
bool roam_client_get(struct roam_clients *cl, __be32 addr,
		     struct roam_client_info *info);
void roam_client_info(const struct roam_client *c,
		      struct roam_client_info *info);
struct roam_client *roam_client_lookup(struct roam_clients *cl, __be32 addr);

enum roam_stat roam_client_judge(struct roam_net *rn, struct roam_client *c,
				 const struct sk_buff *skb, u32 segs,
				 enum roam_stat pass);

#endif /* _ROAM_CLIENT_H */
