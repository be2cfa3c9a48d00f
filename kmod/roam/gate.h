/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_GATE_H
#define _ROAM_GATE_H

#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/roam.h>

struct roam_net;

#define ROAM_WINDOW_MS_DEFAULT	1000
#define ROAM_WINDOW_MS_MAX	600000		/* ten minutes */
#define ROAM_CLIENT_MAX_DEFAULT	65536
#define ROAM_CLIENT_MAX_LIMIT	(1U << 20)

/*
 * One immutable snapshot of a namespace's gate.  Writers copy, modify and
 * publish a new one with rcu_assign_pointer(); the packet path reads the
 * current one under RCU.  The fields a packet needs come first, so a
 * packet to a non-pool address touches one or two cache lines.
 */
struct roam_gate {
	__be32 active;			/* 0: none, every pool packet drops */
	__be32 prev;			/* 0: none */
	unsigned long prev_until;	/* jiffies: the window closes */
	u8 n_pool;			/* 0: the gate is off */
	u8 n_ports;			/* 0: all traffic to the pool */
	__be32 sorted[ROAM_POOL_MAX];	/* the pool, ascending, for lookup */
	u32 ports[ROAM_PORTS_MAX];	/* proto << 16 | port; port 0: any */
	/* Control plane only. */
	u32 window_ms;
	u32 attack_pps;			/* 0: no attack events */
	u32 client_max;
	u64 epoch;
	__be32 pool[ROAM_POOL_MAX];	/* in the order userspace gave */
	struct rcu_head rcu;
};

struct roam_gate *roam_gate_alloc(void);
void roam_gate_free(struct roam_gate *gate);
bool roam_gate_in_pool(const struct roam_gate *gate, __be32 addr);
void roam_gate_set_pool(struct roam_gate *gate, const __be32 *addrs, u8 n);
void roam_gate_set_active(struct roam_gate *gate, __be32 addr);
void roam_gate_publish(struct roam_net *rn, struct roam_gate *gate);

/* Is the previous active address still accepted? */
static inline bool roam_gate_window_open(const struct roam_gate *gate)
{
	return gate->prev && time_before(jiffies, gate->prev_until);
}

#endif /* _ROAM_GATE_H */
