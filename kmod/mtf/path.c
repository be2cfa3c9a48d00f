// SPDX-License-Identifier: GPL-2.0
/*
 * Path accounting: what the victim (or its gateway) sees.  One entry per
 * recorded path (all filled slots, marks included) and, when the path is
 * longer than the configured suffix length, one more per path suffix
 * (flagged as an aggregate): packets, bytes, EWMA rates, first and last
 * seen, last destination.  One packet is enough to create an entry.
 *
 * Who accounts: packets forwarded from an interface with the `account`
 * role, and packets delivered to this host when the namespace asks for it
 * (config account-local, or the `account` role on the ingress interface;
 * see mtf_path_local()).  Nothing is accounted by default: every path
 * header an attacker sends would otherwise cost an entry in every
 * namespace that merely receives it.
 *
 * Table: an rhashtable, because entries are created on the packet path,
 * possibly on several CPUs at once, and because path_max changes at run
 * time.  Beside it, every entry is on a CLOCK list (insertion order, the
 * hand at the head) under the table's spinlock: when the namespace's
 * table (path_max) or all of them together (module parameter
 * path_max_total) are full, a new path takes the place of an entry that
 * was not hit since the hand last passed it (second chance: a hit sets
 * ->ref, the hand clears it and moves on; after MTF_CLOCK_SCAN referenced
 * entries the next one goes anyway).  So the newest path is always
 * accounted, and a real path that keeps sending survives a flood of
 * one-packet forged ones.
 *
 * Creating entries is what an attacker controls, so it is bounded three
 * ways: a token bucket per namespace (path-new-rate entries per second,
 * path-new-burst at once; refusals counted path_ratelimited), the two
 * limits above (path_replaced, path_global_full), and a fixed-size object
 * from a dedicated cache, and no per-CPU allocation (which takes the per-CPU
 * allocator's global lock and costs memory on every CPU per forged path).
 *
 * Packet path: an RCU lookup, then two atomic64 adds; last seen, last
 * destination and the referenced bit are written only when they change.
 * Atomics rather than per-CPU counters: the rate is only computed at a
 * tick, so all the packet path needs is exact sums; the packets of one
 * path mostly come from the same flows and hence the same RX queue, so
 * the counters' cache line stays on one CPU; only a path hot on many
 * CPUs at once (a suffix aggregate under a distributed flood) bounces it,
 * for one locked add per packet, the price of an entry that fits in 256
 * bytes whatever the number of CPUs.  The table's spinlock is taken only
 * to create or remove an entry.
 *
 * A work item runs every MTF_PATH_TICK while entries exist: it updates the
 * rates, evicts idle entries (PATH_EVICTED) and sends the rate events.
 * Events come from there rather than from the packet path because the
 * rate is only known at a tick anyway, and building a netlink message in
 * softirq for every crossing packet would be work done on the attacker's
 * schedule.  The tick and PATH_FLUSH leave the RCU read-side section and
 * reschedule every MTF_PATH_WALK_BATCH entries, so a table of millions of
 * entries never holds a CPU or a grace period for long.
 */

#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "filter.h"
#include "netlink.h"
#include "netns.h"
#include "path.h"

#define MTF_PATH_TICK		(HZ / 2)
/* Rates: EWMA with weight 1/4 per tick, kept with 8 fractional bits. */
#define MTF_EWMA_LOG		2
#define MTF_RATE_FRAC		8
/* Idle entries go after this long, or sooner when the table fills up. */
#define MTF_PATH_IDLE		(60 * HZ)
#define MTF_PATH_IDLE_FULL	(2 * HZ)
/* Referenced entries the CLOCK hand may pass over for one insert. */
#define MTF_CLOCK_SCAN		32
/* Entries a walk visits between two cond_resched(). */
#define MTF_PATH_WALK_BATCH	256
/* Refills of the creation bucket count at most this long a pause. */
#define MTF_TB_MAX_DT		(3600UL * HZ)

static unsigned int path_max_total __read_mostly = 262144;
module_param(path_max_total, uint, 0644);
MODULE_PARM_DESC(path_max_total,
		 "accounted paths in all namespaces together (default 262144)");

/* Entries of all namespaces; bounded by path_max_total. */
static atomic_t path_total = ATOMIC_INIT(0);
static struct kmem_cache *path_cache __read_mostly;

struct mtf_path {
	/* The key: read by every lookup, written once. */
	struct rhash_head node;
	u8 n;
	bool suffix;
	/* Under mtf_paths.lock. */
	bool dead;
	/* Tick only. */
	bool over;			/* event sent, not re-armed yet */
	struct mtf_slot4 slots[MTF_MAX_SLOTS];
	/* Packet path: written on every hit, or on change. */
	atomic64_t packets;
	atomic64_t bytes;
	unsigned long last;		/* jiffies */
	__be32 last_dst;
	u8 ref;				/* CLOCK: hit since the hand passed */
	/* Written by the tick only; dumps read them with READ_ONCE(). */
	unsigned long first;		/* jiffies */
	unsigned long est_at;
	u64 est_packets;
	u64 est_bytes;
	u64 rate_pps;			/* << MTF_RATE_FRAC */
	u64 rate_bps;			/* << MTF_RATE_FRAC */
	struct list_head lru;		/* under mtf_paths.lock */
	struct rcu_head rcu;
};

struct mtf_paths {
	struct rhashtable ht;
	struct net *net;
	/* Serialises creation and removal: the CLOCK list and the count. */
	spinlock_t lock;
	struct list_head lru;		/* the hand is at the head */
	unsigned int count;		/* written under lock */
	/* Creation token bucket: tokens taken locklessly, refills one CPU
	 * at a time (trylock) at most once per jiffy.
	 */
	atomic_t tokens;
	unsigned long tb_stamp;		/* jiffies of the last refill */
	spinlock_t tb_lock;
	struct delayed_work tick;
};

/* What the packet path looks up. */
struct mtf_path_key {
	const struct mtf_slot4 *slots;
	u8 n;
	bool suffix;
};

static u32 slots_hash(const struct mtf_slot4 *slots, u8 n, bool suffix,
		      u32 seed)
{
	return jhash2((const u32 *)slots, n * 2, seed ^ (n << 1 | suffix));
}

static u32 path_key_hash(const void *data, u32 len, u32 seed)
{
	const struct mtf_path_key *key = data;

	return slots_hash(key->slots, key->n, key->suffix, seed);
}

static u32 path_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct mtf_path *p = data;

	return slots_hash(p->slots, p->n, p->suffix, seed);
}

/* Every lookup and insert passes a struct mtf_path_key. */
static int path_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct mtf_path_key *key = arg->key;
	const struct mtf_path *p = obj;

	return p->n != key->n || p->suffix != key->suffix ||
	       memcmp(p->slots, key->slots, p->n * sizeof(p->slots[0]));
}

static const struct rhashtable_params path_params = {
	.head_offset = offsetof(struct mtf_path, node),
	.hashfn = path_key_hash,
	.obj_hashfn = path_obj_hash,
	.obj_cmpfn = path_cmp,
	.automatic_shrinking = true,
};

static void path_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(path_cache, container_of(head, struct mtf_path, rcu));
}

static void path_free_ht(void *ptr, void *arg)
{
	kmem_cache_free(path_cache, ptr);
}

static void stat_add(struct net *net, enum mtf_stat idx, u64 n)
{
	struct mtf_pcpu_stats *s;

	local_bh_disable();
	s = this_cpu_ptr(mtf_net(net)->stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[idx], n);
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

/* One slot of path_max_total, or false. */
static bool path_total_get(void)
{
	if (atomic_inc_return(&path_total) <= READ_ONCE(path_max_total))
		return true;
	atomic_dec(&path_total);
	return false;
}

/* Under ps->lock.  Readers may still hold @p: freed after a grace period. */
static void path_unlink(struct mtf_paths *ps, struct mtf_path *p)
{
	p->dead = true;
	rhashtable_remove_fast(&ps->ht, &p->node, path_params);
	list_del(&p->lru);
	ps->count--;
	atomic_dec(&path_total);
	call_rcu(&p->rcu, path_free_rcu);
}

/* Removal by the tick or a flush; an insert's CLOCK may have been first. */
static void path_remove(struct mtf_paths *ps, struct mtf_path *p)
{
	spin_lock_bh(&ps->lock);
	if (!p->dead)
		path_unlink(ps, p);
	spin_unlock_bh(&ps->lock);
}

/*
 * Under ps->lock, with at least one entry: second chance for entries hit
 * since the hand last passed them, the first other one goes.  Bounded:
 * after MTF_CLOCK_SCAN referenced entries, the next one goes anyway.
 */
static void path_clock_evict(struct mtf_net *mn, struct mtf_paths *ps)
{
	struct mtf_path *p;
	unsigned int i;

	for (i = 0; i < MTF_CLOCK_SCAN; i++) {
		p = list_first_entry(&ps->lru, struct mtf_path, lru);
		if (!READ_ONCE(p->ref))
			break;
		WRITE_ONCE(p->ref, 0);
		list_move_tail(&p->lru, &ps->lru);
	}
	path_unlink(ps, list_first_entry(&ps->lru, struct mtf_path, lru));
	mtf_stats_inc(mn->stats, MTF_STAT_PATH_REPLACED);
}

/*
 * Token bucket for new entries: path-new-rate per second, at most
 * path-new-burst at once.  Taking a token is lockless and, with the
 * bucket empty (a flood of new paths), a read of a shared line only.
 */
static bool path_new_allowed(struct mtf_net *mn, struct mtf_paths *ps)
{
	unsigned long now = jiffies, dt;
	u32 rate, burst;
	int old, new;
	u64 add;

	if (READ_ONCE(ps->tb_stamp) != now && spin_trylock(&ps->tb_lock)) {
		rate = READ_ONCE(mn->cfg.path_new_rate);
		burst = READ_ONCE(mn->cfg.path_new_burst);
		dt = min(now - ps->tb_stamp, MTF_TB_MAX_DT);
		add = div_u64((u64)rate * dt, HZ);
		/* Below one token: keep the stamp, so that time adds up. */
		if (add) {
			old = atomic_read(&ps->tokens);
			do {
				new = min_t(u64, (u64)max(old, 0) + add, burst);
			} while (!atomic_try_cmpxchg(&ps->tokens, &old, new));
			WRITE_ONCE(ps->tb_stamp, now);
		}
		spin_unlock(&ps->tb_lock);
	}
	return atomic_dec_if_positive(&ps->tokens) >= 0;
}

static struct mtf_path *path_create(struct mtf_net *mn, struct mtf_paths *ps,
				    const struct mtf_path_key *key)
{
	struct mtf_path *p, *old;
	enum mtf_stat why;
	unsigned int i;
	u32 max;

	if (!path_new_allowed(mn, ps)) {
		mtf_stats_inc(mn->stats, MTF_STAT_PATH_RATELIMITED);
		return NULL;
	}
	p = kmem_cache_alloc(path_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!p) {
		/* Allocation failures count as full: "not accounted". */
		mtf_stats_inc(mn->stats, MTF_STAT_PATH_FULL);
		return NULL;
	}
	memset(p, 0, offsetof(struct mtf_path, slots));
	memcpy(p->slots, key->slots, key->n * sizeof(p->slots[0]));
	p->n = key->n;
	p->suffix = key->suffix;
	atomic64_set(&p->packets, 0);
	atomic64_set(&p->bytes, 0);
	p->last = jiffies;
	p->last_dst = 0;
	p->ref = 0;
	p->first = p->last;
	p->est_at = p->last;
	p->est_packets = 0;
	p->est_bytes = 0;
	p->rate_pps = 0;
	p->rate_bps = 0;

	spin_lock_bh(&ps->lock);
	/* Up to two, so that a lowered path_max takes effect gradually. */
	max = READ_ONCE(mn->cfg.path_max);
	for (i = 0; i < 2 && ps->count && ps->count >= max; i++)
		path_clock_evict(mn, ps);
	why = MTF_STAT_PATH_FULL;
	if (ps->count >= max)
		goto refuse;
	if (!path_total_get()) {
		/* All namespaces together are full: replace one of ours. */
		why = MTF_STAT_PATH_GLOBAL_FULL;
		if (!ps->count)
			goto refuse;
		path_clock_evict(mn, ps);
		if (!path_total_get())
			goto refuse;
	}
	old = rhashtable_lookup_get_insert_key(&ps->ht, key, &p->node,
					       path_params);
	if (old) {
		/* Another CPU was first, or no room in the table now. */
		atomic_dec(&path_total);
		spin_unlock_bh(&ps->lock);
		kmem_cache_free(path_cache, p);
		if (IS_ERR(old)) {
			mtf_stats_inc(mn->stats, MTF_STAT_PATH_FULL);
			return NULL;
		}
		return old;
	}
	list_add_tail(&p->lru, &ps->lru);
	ps->count++;
	spin_unlock_bh(&ps->lock);

	mtf_stats_inc(mn->stats, MTF_STAT_PATH_NEW);
	if (!delayed_work_pending(&ps->tick))
		queue_delayed_work(system_power_efficient_wq, &ps->tick,
				   MTF_PATH_TICK);
	return p;

refuse:
	spin_unlock_bh(&ps->lock);
	kmem_cache_free(path_cache, p);
	mtf_stats_inc(mn->stats, why);
	return NULL;
}

static void account_one(struct mtf_net *mn, struct mtf_paths *ps,
			const struct mtf_path_key *key, __be32 daddr,
			unsigned int len, unsigned int segs)
{
	struct mtf_path *p;

	p = rhashtable_lookup(&ps->ht, key, path_params);
	if (likely(p)) {
		if (!READ_ONCE(p->ref))
			WRITE_ONCE(p->ref, 1);
	} else {
		p = path_create(mn, ps, key);
		if (!p)
			return;
	}
	atomic64_add(segs, &p->packets);
	atomic64_add(len, &p->bytes);
	/* Shared cache line: write only on change. */
	if (READ_ONCE(p->last) != jiffies)
		WRITE_ONCE(p->last, jiffies);
	if (READ_ONCE(p->last_dst) != daddr)
		WRITE_ONCE(p->last_dst, daddr);
}

void mtf_path_account(struct net *net, const struct mtf_slot4 *slots,
		      unsigned int n, __be32 daddr, unsigned int len,
		      unsigned int segs)
{
	struct mtf_net *mn = mtf_net(net);
	struct mtf_paths *ps = READ_ONCE(mn->paths);
	struct mtf_path_key key;
	unsigned int k;

	if (!ps || !n)
		return;
	key.n = min_t(unsigned int, n, MTF_MAX_SLOTS);
	key.slots = slots;
	key.suffix = false;
	account_one(mn, ps, &key, daddr, len, segs);

	k = READ_ONCE(mn->cfg.suffix_len);
	if (k && k < key.n) {
		key.slots += key.n - k;
		key.n = k;
		key.suffix = true;
		account_one(mn, ps, &key, daddr, len, segs);
	}
}

/* ---------------------------------------------------------------------- */
/* Netlink: dump, flush, events                                            */
/* ---------------------------------------------------------------------- */

static u64 ms_since(unsigned long then)
{
	return jiffies_to_msecs(jiffies - then);
}

static int put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, MTF_PATH_A_PAD);
}

/* What put_path() puts, exactly. */
static size_t path_nest_size(const struct mtf_path *p)
{
	return nla_total_size(0) +				/* PATH */
	       nla_total_size(0) +				/* SLOTS */
	       p->n * (nla_total_size(0) +			/* SLOT */
		       2 * nla_total_size(sizeof(__be32))) +	/* ADDR4, MARK */
	       nla_total_size(sizeof(u8)) +			/* SUFFIX */
	       6 * nla_total_size_64bit(sizeof(u64)) +		/* counters */
	       nla_total_size(sizeof(__be32));			/* DST4 */
}

static int put_path(struct sk_buff *skb, const struct mtf_path *p)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, MTF_A_PATH);
	if (!nest ||
	    mtf_nl_put_slots(skb, MTF_PATH_A_SLOTS, p->slots, p->n) ||
	    nla_put_u8(skb, MTF_PATH_A_SUFFIX, p->suffix) ||
	    put_u64(skb, MTF_PATH_A_PACKETS, atomic64_read(&p->packets)) ||
	    put_u64(skb, MTF_PATH_A_BYTES, atomic64_read(&p->bytes)) ||
	    put_u64(skb, MTF_PATH_A_RATE_PPS,
		    READ_ONCE(p->rate_pps) >> MTF_RATE_FRAC) ||
	    put_u64(skb, MTF_PATH_A_RATE_BPS,
		    READ_ONCE(p->rate_bps) >> MTF_RATE_FRAC) ||
	    put_u64(skb, MTF_PATH_A_FIRST_MS, ms_since(p->first)) ||
	    put_u64(skb, MTF_PATH_A_LAST_MS, ms_since(READ_ONCE(p->last))) ||
	    nla_put_be32(skb, MTF_PATH_A_DST4, READ_ONCE(p->last_dst))) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_path(struct sk_buff *skb, struct netlink_callback *cb,
		     const struct mtf_path *p)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mtf_genl_family, NLM_F_MULTI, MTF_CMD_PATH_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_path(skb, p)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * The walker lives across the dump's calls: cb->args[0] points to it,
 * cb->args[1] says that the entry it stopped on did not fit and must be
 * sent first.  A concurrent resize restarts the walk (rhashtable's
 * -EAGAIN), so a dump may repeat entries; it never loses one that stayed.
 * Each call holds RCU for one message's worth of entries only.
 */
int mtf_nl_path_dump_start(struct netlink_callback *cb)
{
	struct mtf_paths *ps = mtf_net(sock_net(cb->skb->sk))->paths;
	struct rhashtable_iter *iter;

	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(&ps->ht, iter);
	cb->args[0] = (long)iter;
	cb->args[1] = 0;
	return 0;
}

int mtf_nl_path_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

int mtf_nl_path_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];
	struct mtf_path *p;

	rhashtable_walk_start(iter);
	p = cb->args[1] ? rhashtable_walk_peek(iter) : rhashtable_walk_next(iter);
	cb->args[1] = 0;
	for (; p; p = rhashtable_walk_next(iter)) {
		if (IS_ERR(p)) {
			if (PTR_ERR(p) == -EAGAIN)
				continue;
			break;
		}
		if (fill_path(skb, cb, p)) {
			cb->args[1] = 1;
			break;
		}
	}
	rhashtable_walk_stop(iter);
	return skb->len;
}

/*
 * Visit every entry, @fn under RCU, leaving the read-side section and
 * rescheduling every MTF_PATH_WALK_BATCH entries.  An entry removed while
 * the walk is stopped is not visited; one moved by a resize may be
 * visited twice (-EAGAIN restarts), which @fn must tolerate.
 */
static void path_walk(struct mtf_paths *ps,
		      void (*fn)(struct mtf_paths *ps, struct mtf_path *p,
				 void *arg),
		      void *arg)
{
	struct rhashtable_iter iter;
	struct mtf_path *p;
	unsigned int n = 0;

	rhashtable_walk_enter(&ps->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((p = rhashtable_walk_next(&iter))) {
		if (IS_ERR(p)) {
			if (PTR_ERR(p) == -EAGAIN)
				continue;
			break;
		}
		fn(ps, p, arg);
		if (++n % MTF_PATH_WALK_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static void flush_one(struct mtf_paths *ps, struct mtf_path *p, void *arg)
{
	path_remove(ps, p);
}

int mtf_nl_path_flush(struct sk_buff *skb, struct genl_info *info)
{
	path_walk(mtf_net(genl_info_net(info))->paths, flush_one, NULL);
	return 0;
}

/* From the tick, under RCU: hence GFP_ATOMIC, though not in softirq. */
static void send_event(struct mtf_paths *ps, const struct mtf_path *p)
{
	struct sk_buff *msg;
	void *hdr;

	stat_add(ps->net, MTF_STAT_PATH_EVENTS, 1);
	if (!genl_has_listeners(&mtf_genl_family, ps->net, 0))
		return;
	msg = genlmsg_new(path_nest_size(p), GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &mtf_genl_family, 0,
			  MTF_CMD_EVENT_PATH_RATE);
	if (!hdr || put_path(msg, p)) {
		/* Cannot happen: path_nest_size() is exact. */
		WARN_ON_ONCE(hdr);
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&mtf_genl_family, ps->net, msg, 0, 0,
				GFP_ATOMIC);
}

static u64 ewma(u64 avg, u64 sample)
{
	return avg - (avg >> MTF_EWMA_LOG) + (sample >> MTF_EWMA_LOG);
}

struct tick_args {
	unsigned long idle;
	u32 thresh;
	unsigned int evicted;
};

static void tick_one(struct mtf_paths *ps, struct mtf_path *p, void *arg)
{
	struct tick_args *t = arg;
	unsigned long now = jiffies, dt = now - p->est_at;
	u64 packets, bytes, pps;

	if (time_after(now, READ_ONCE(p->last) + t->idle)) {
		path_remove(ps, p);
		t->evicted++;
		return;
	}
	/* A walk restarted by a resize may show an entry twice. */
	if (dt < MTF_PATH_TICK / 2)
		return;
	packets = atomic64_read(&p->packets);
	bytes = atomic64_read(&p->bytes);
	WRITE_ONCE(p->rate_pps, ewma(p->rate_pps,
		   div_u64((packets - p->est_packets) * HZ << MTF_RATE_FRAC, dt)));
	WRITE_ONCE(p->rate_bps, ewma(p->rate_bps,
		   div_u64((bytes - p->est_bytes) * 8 * HZ << MTF_RATE_FRAC, dt)));
	p->est_packets = packets;
	p->est_bytes = bytes;
	p->est_at = now;

	pps = p->rate_pps >> MTF_RATE_FRAC;
	if (t->thresh && !p->over && pps >= t->thresh) {
		p->over = true;
		send_event(ps, p);
	} else if (p->over && pps < t->thresh / 2) {
		p->over = false;
	}
}

static void tick_work(struct work_struct *work)
{
	struct mtf_paths *ps = container_of(to_delayed_work(work),
					    struct mtf_paths, tick);
	struct mtf_net *mn = mtf_net(ps->net);
	u32 max = READ_ONCE(mn->cfg.path_max);
	struct tick_args t = {
		.idle = MTF_PATH_IDLE,
		.thresh = READ_ONCE(mn->cfg.path_rate_thresh),
	};

	if (READ_ONCE(ps->count) >= max - max / 8)
		t.idle = MTF_PATH_IDLE_FULL;
	path_walk(ps, tick_one, &t);
	if (t.evicted)
		stat_add(ps->net, MTF_STAT_PATH_EVICTED, t.evicted);
	if (READ_ONCE(ps->count))
		queue_delayed_work(system_power_efficient_wq, &ps->tick,
				   MTF_PATH_TICK);
}

/* ---------------------------------------------------------------------- */
/* Life cycle                                                              */
/* ---------------------------------------------------------------------- */

u32 mtf_path_count(struct net *net)
{
	struct mtf_paths *ps = mtf_net(net)->paths;

	return ps ? READ_ONCE(ps->count) : 0;
}

int mtf_path_net_init(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	struct mtf_paths *ps;
	int ret;

	ps = kzalloc(sizeof(*ps), GFP_KERNEL_ACCOUNT);
	if (!ps)
		return -ENOMEM;
	ret = rhashtable_init(&ps->ht, &path_params);
	if (ret) {
		kfree(ps);
		return ret;
	}
	ps->net = net;
	spin_lock_init(&ps->lock);
	INIT_LIST_HEAD(&ps->lru);
	spin_lock_init(&ps->tb_lock);
	atomic_set(&ps->tokens, mn->cfg.path_new_burst);
	ps->tb_stamp = jiffies;
	INIT_DELAYED_WORK(&ps->tick, tick_work);
	mn->paths = ps;
	return 0;
}

/* Module exit: the hooks are down everywhere, after a grace period. */
void mtf_path_stop(struct net *net)
{
	struct mtf_paths *ps = mtf_net(net)->paths;

	if (ps)
		cancel_delayed_work_sync(&ps->tick);
}

/* After the hooks are unregistered; see mtf_filter_net_exit(). */
void mtf_path_net_exit(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	struct mtf_paths *ps = mn->paths;

	if (!ps)
		return;
	WRITE_ONCE(mn->paths, NULL);
	/* No packet still in a hook can queue the tick after this. */
	synchronize_rcu();
	cancel_delayed_work_sync(&ps->tick);
	/* Entries already unlinked are no longer counted in either. */
	atomic_sub(ps->count, &path_total);
	rhashtable_free_and_destroy(&ps->ht, path_free_ht, NULL);
	kfree(ps);
}

int __init mtf_path_init(void)
{
	/*
	 * Unmerged (SLAB_NO_MERGE from 6.5, a constructor before), so that
	 * /sys/kernel/slab/mtf_path and /proc/slabinfo show the table alone.
	 * Not SLAB_ACCOUNT: entries are made in softirq for remote senders,
	 * and path_max/path_max_total bound them instead.
	 */
	path_cache = kmem_cache_create("mtf_path", sizeof(struct mtf_path), 0,
				       SLAB_HWCACHE_ALIGN | COMPAT_SLAB_NO_MERGE,
				       compat_slab_no_merge_ctor);
	return path_cache ? 0 : -ENOMEM;
}

/* After every namespace's exit: call_rcu() frees must land first. */
void mtf_path_uninit(void)
{
	rcu_barrier();
	WARN_ON_ONCE(atomic_read(&path_total));
	kmem_cache_destroy(path_cache);
}
