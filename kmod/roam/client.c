// SPDX-License-Identifier: GPL-2.0
/*
 * The client table: one entry per client source address, with its state
 * (allowed, warned, blocked), its contract and its counters.  Lookups run
 * on the packet path under RCU; changes come from netlink under
 * roam_net.lock, and removed entries are freed after a grace period.
 */

#include <linux/math64.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "client.h"
#include "event.h"
#include "netns.h"

/*
 * The burst a contract allows: one second of its rate (plus the packet
 * that empties the bucket).  A client that was quiet may send what it is
 * entitled to in a second at once, and no more.
 */
#define ROAM_BURST_NS	NSEC_PER_SEC

static struct kmem_cache *client_cache __ro_after_init;

/*
 * jhash with a per-table random seed (rhashtable's default): a flood of
 * chosen source addresses cannot aim at one bucket.
 */
static const struct rhashtable_params client_params = {
	.key_len = sizeof(__be32),
	.key_offset = offsetof(struct roam_client, addr),
	.head_offset = offsetof(struct roam_client, node),
	.automatic_shrinking = true,
};

int __init roam_client_cache_init(void)
{
	client_cache = KMEM_CACHE(roam_client, 0);
	return client_cache ? 0 : -ENOMEM;
}

/* Callers have waited for every call_rcu() free (rcu_barrier()). */
void roam_client_cache_uninit(void)
{
	kmem_cache_destroy(client_cache);
}

int roam_clients_init(struct roam_clients *cl)
{
	cl->n = 0;
	cl->gen = 1;
	return rhashtable_init(&cl->table, &client_params);
}

static void client_free_now(void *ptr, void *arg)
{
	kmem_cache_free(client_cache, ptr);
}

/* Namespace exit: the hooks are gone and a grace period has passed. */
void roam_clients_destroy(struct roam_clients *cl)
{
	rhashtable_free_and_destroy(&cl->table, client_free_now, NULL);
}

static void client_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(client_cache, container_of(head, struct roam_client,
						   rcu));
}

struct roam_client *roam_client_lookup(struct roam_clients *cl, __be32 addr)
{
	return rhashtable_lookup(&cl->table, &addr, client_params);
}

/*
 * 2^32 * NSEC_PER_SEC / rate: the cost of one unit in ns, fixed point, so
 * the packet path multiplies instead of dividing.  Rates beyond 2^62 per
 * second would round to 0, "no contract", which is what they mean.
 */
static void tb_set(struct roam_tb *tb, u64 rate)
{
	u64 cost = rate ? div64_u64((u64)NSEC_PER_SEC << 32, rate) : 0;

	WRITE_ONCE(tb->cost, cost);
	/* A new contract starts with a full bucket. */
	atomic64_set(&tb->tat, 0);
}

/*
 * GCRA: a packet conforms if the client's backlog (tat - now) is within
 * the burst; it then adds its own cost.  Lockless: a lost race retries
 * with the other CPU's tat.
 */
static bool tb_conform(struct roam_tb *tb, u64 now, u32 units)
{
	u64 cost = READ_ONCE(tb->cost);
	s64 tat, next;

	if (!cost)
		return true;
	tat = atomic64_read(&tb->tat);
	do {
		u64 start = max_t(u64, tat, now);

		if (start - now > ROAM_BURST_NS)
			return false;
		next = start + mul_u64_u32_shr(cost, units, 32);
	} while (!atomic64_try_cmpxchg(&tb->tat, &tat, next));
	return true;
}

/*
 * The client part of the verdict for a packet the gate would pass.  With
 * both a packet and a bit rate, a packet refused by the bit rate has
 * already been charged to the packet rate: it only over-charges a client
 * that is violating its contract anyway, and keeps the path lockless.
 */
enum roam_stat roam_client_judge(struct roam_net *rn, struct roam_client *c,
				 const struct sk_buff *skb, u32 segs,
				 enum roam_stat pass)
{
	u64 now;

	atomic64_add(segs, &c->packets);
	atomic64_add(skb->len, &c->bytes);
	if (READ_ONCE(c->state) == ROAM_CLIENT_BLOCKED) {
		atomic64_add(segs, &c->drops);
		return ROAM_STAT_DROP_BLOCKED;
	}
	if (!READ_ONCE(c->pkt.cost) && !READ_ONCE(c->bit.cost))
		return pass;
	now = ktime_get_mono_fast_ns();
	if (tb_conform(&c->pkt, now, segs) &&
	    tb_conform(&c->bit, now, min_t(u64, (u64)skb->len * 8, U32_MAX)))
		return pass;
	atomic64_add(segs, &c->drops);
	/* One event per client until userspace sets its state again. */
	if (!test_and_set_bit(ROAM_CLIENT_F_VIOLATED, &c->flags)) {
		if (roam_event_violation(rn, c->addr)) {
			atomic64_inc(&c->violations);
			roam_stats_inc(rn->stats, ROAM_STAT_CLIENT_VIOLATIONS, 1);
		} else {
			/* Queue full: let a later packet try again. */
			clear_bit(ROAM_CLIENT_F_VIOLATED, &c->flags);
		}
	}
	return ROAM_STAT_DROP_CONTRACT;
}

static void client_apply(struct roam_client *c,
			 const struct roam_client_req *req)
{
	if (req->has_pps) {
		WRITE_ONCE(c->rate_pps, req->rate_pps);
		tb_set(&c->pkt, req->rate_pps);
	}
	if (req->has_bps) {
		WRITE_ONCE(c->rate_bps, req->rate_bps);
		tb_set(&c->bit, req->rate_bps);
	}
	if (req->has_state) {
		WRITE_ONCE(c->state, req->state);
		/* Setting the state is userspace's answer: re-arm the event. */
		clear_bit(ROAM_CLIENT_F_VIOLATED, &c->flags);
	}
}

/* Create or update.  -ENOSPC when the table holds client_max entries. */
int roam_client_set(struct roam_net *rn, const struct roam_client_req *req,
		    u32 client_max)
{
	struct roam_clients *cl = &rn->clients;
	struct roam_client *c;
	int ret;

	lockdep_assert_held(&rn->lock);
	c = rhashtable_lookup_fast(&cl->table, &req->addr, client_params);
	if (c) {
		client_apply(c, req);
		cl->gen++;
		return 0;
	}
	if (cl->n >= client_max)
		return -ENOSPC;
	/* Charged to the caller's memory cgroup: userspace asked for it. */
	c = kmem_cache_zalloc(client_cache, GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	c->addr = req->addr;
	c->state = ROAM_CLIENT_ALLOWED;
	client_apply(c, req);
	ret = rhashtable_insert_fast(&cl->table, &c->node, client_params);
	if (ret) {
		kmem_cache_free(client_cache, c);
		return ret;
	}
	WRITE_ONCE(cl->n, cl->n + 1);
	cl->gen++;
	return 0;
}

static void client_remove(struct roam_clients *cl, struct roam_client *c)
{
	if (rhashtable_remove_fast(&cl->table, &c->node, client_params))
		return;
	WRITE_ONCE(cl->n, cl->n - 1);
	cl->gen++;
	call_rcu(&c->rcu, client_free_rcu);
}

int roam_client_del(struct roam_net *rn, __be32 addr)
{
	struct roam_client *c;

	lockdep_assert_held(&rn->lock);
	c = rhashtable_lookup_fast(&rn->clients.table, &addr, client_params);
	if (!c)
		return -ENOENT;
	client_remove(&rn->clients, c);
	return 0;
}

/*
 * Remove every entry.  The walk restarts after a resize (-EAGAIN), which
 * removal itself may trigger; it pauses now and then so that a table of
 * a million clients does not hold the CPU.
 */
void roam_clients_flush(struct roam_net *rn)
{
	struct roam_clients *cl = &rn->clients;
	struct rhashtable_iter it;
	struct roam_client *c;
	unsigned int n = 0;

	lockdep_assert_held(&rn->lock);
	rhashtable_walk_enter(&cl->table, &it);
	rhashtable_walk_start(&it);
	while ((c = rhashtable_walk_next(&it))) {
		if (IS_ERR(c))
			continue;
		client_remove(cl, c);
		if (++n % 256 == 0) {
			rhashtable_walk_stop(&it);
			cond_resched();
			rhashtable_walk_start(&it);
		}
	}
	rhashtable_walk_stop(&it);
	rhashtable_walk_exit(&it);
}

void roam_client_info(const struct roam_client *c,
		      struct roam_client_info *info)
{
	info->addr = c->addr;
	info->state = READ_ONCE(c->state);
	info->rate_pps = READ_ONCE(c->rate_pps);
	info->rate_bps = READ_ONCE(c->rate_bps);
	info->packets = atomic64_read(&c->packets);
	info->bytes = atomic64_read(&c->bytes);
	info->drops = atomic64_read(&c->drops);
	info->violations = atomic64_read(&c->violations);
}

/* A snapshot of one client, from any context; false if there is none. */
bool roam_client_get(struct roam_clients *cl, __be32 addr,
		     struct roam_client_info *info)
{
	struct roam_client *c;
	bool found = false;

	rcu_read_lock();
	c = roam_client_lookup(cl, addr);
	if (c) {
		roam_client_info(c, info);
		found = true;
	}
	rcu_read_unlock();
	return found;
}
