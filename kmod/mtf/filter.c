// SPDX-License-Identifier: GPL-2.0
/*
 * Flow filters: the table, the packet path and the garbage collector.
 * Netlink is in filter_nl.c.
 *
 * A filter's key is (path suffix of k slots, source prefix, destination).
 * The packet path cannot know k or the prefix length of the filter it may
 * match, so the table records which (k, prefix length) combinations are
 * in use and the lookup probes one hash bucket per combination, longest
 * suffix first, then longest prefix: the cost depends on the number of
 * combinations in use (typically one to three), not on the number of
 * filters.  First match wins.
 *
 * Unmarked filters (suffix length 0) key on the ingress interface
 * instead of a suffix.  They see only packets forwarded without any
 * path header, which no suffix filter can match, so the two kinds never
 * compete for a packet.  Their lookup is not
 * cached: a fragment flood has one key per (interface, source, victim)
 * and the probe is one hash per prefix length in use.
 *
 * Why not rhashtable: every writer already comes through netlink, so
 * writers are serialised by one mutex and gain nothing from per-bucket
 * locks, while rhashtable's asynchronous resize would surface in the uapi
 * during a bulk add of a million filters (-EBUSY when a chain outgrows its
 * elasticity while a rehash is pending, GFP_ATOMIC bucket tables, inserts
 * outrunning the deferred worker).  This table grows synchronously in the
 * writer instead: the new bucket array is built while readers keep
 * walking the old one through the other of each filter's two list nodes,
 * then published; one grace period later the old array is freed.  No
 * insert ever fails for lack of a resize, and a bulk add of 10^6 filters
 * costs about 20 resizes' worth of relinking (2 * 10^6 list operations).
 *
 * Memory per filter: the object (96 bytes + 8 per slot + 40 of origin,
 * from a 160-byte cache for suffixes of up to 3 slots, from a 256-byte
 * cache beyond; the origin, owner and cookie, was added at 40 bytes a
 * filter rather than as an allocation of its own) plus
 * 8 to 16 bytes of bucket array (load factor 0.5 to 1), plus 40 bytes of
 * token buckets for RATELIMIT filters, plus 32 bytes of counters per
 * possible CPU (per-CPU, so that a flood spread over many CPUs does not
 * bounce one counter line between them).  A million 2-slot drop filters
 * on a 4-CPU machine use about 300 MB, charged to the memory cgroup of
 * the writer.
 *
 * Lifetimes: no timer per filter.  An expired filter stops matching at
 * once (the lookup checks it), and a GC worker unlinks expired filters
 * in slices of the table (a full pass per MTF_GC_PASS), as conntrack's
 * gc_worker does.  It runs only while some filter has a lifetime.
 */

#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/route.h>

#include "filter.h"
#include "filter_int.h"
#include "mark.h"
#include "netns.h"

#define MTF_FT_MIN_BUCKETS	256
#define MTF_FT_MAX_BUCKETS	(1U << 21)
#define MTF_GC_PASS		HZ		/* full pass over the table */
#define MTF_GC_SLICES		8		/* ... in this many runs */
#define MTF_GC_MIN_BUCKETS	4096		/* per run, at least */
/*
 * Token bucket depth: 100 ms at the configured rate (plus one packet).
 * Shallower buckets lose credit whenever arrivals bunch up (a sender
 * descheduled for a while, NAPI batches), so the passed rate falls short
 * of the setting; deeper ones let longer bursts through.
 */
#define MTF_RL_BURST_NS		(100 * NSEC_PER_MSEC)
#define MTF_SHORT_SLOTS		3

static struct kmem_cache *filter_cache_short __read_mostly;
static struct kmem_cache *filter_cache_long __read_mostly;

static struct kmem_cache *filter_cache(unsigned int k)
{
	return k <= MTF_SHORT_SLOTS ? filter_cache_short : filter_cache_long;
}

static void stat_add(struct net *net, enum mtf_stat idx, u64 n)
{
	struct mtf_pcpu_stats *s;

	/* Process context: keep softirqs on this CPU out of the counter. */
	local_bh_disable();
	s = this_cpu_ptr(mtf_net(net)->stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[idx], n);
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

static u32 suffix_hash(u32 seed, const struct mtf_slot4 *suffix, unsigned int k)
{
	return jhash2((const u32 *)suffix, k * 2, seed);
}

/* What stands for the suffix in the key of an unmarked filter. */
static u32 iif_hash(u32 seed, u32 iif)
{
	return jhash_1word(iif, seed);
}

static u32 key_hash(u32 hs, unsigned int k, unsigned int plen, __be32 dst,
		    __be32 src)
{
	return jhash_3words((__force u32)dst, (__force u32)src, k << 8 | plen,
			    hs);
}

u64 mtf_filter_expires_ms(const struct mtf_filter *f)
{
	long left = READ_ONCE(f->expires) - jiffies;

	if (!f->expires)
		return 0;
	/* 0 means permanent: an about-to-expire filter reports 1 ms. */
	return left > 0 ? max(jiffies_to_msecs(left), 1U) : 1;
}

void mtf_filter_counters(const struct mtf_filter *f, u64 *hits, u64 *bytes,
			 u64 *drops)
{
	const struct mtf_filter_cnt *c;
	unsigned int start;
	u64 h, b, d;
	int cpu;

	*hits = *bytes = *drops = 0;
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(f->cnt, cpu);
		do {
			start = u64_stats_fetch_begin(&c->syncp);
			h = u64_stats_read(&c->hits);
			b = u64_stats_read(&c->bytes);
			d = u64_stats_read(&c->drops);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		*hits += h;
		*bytes += b;
		*drops += d;
	}
}

/* ---------------------------------------------------------------------- */
/* Packet path                                                             */
/* ---------------------------------------------------------------------- */

/* @iif is 0 for suffix filters (k >= 1), the ifindex for unmarked ones. */
static struct mtf_filter *probe(const struct mtf_ftable *t, u32 h,
				unsigned int k, unsigned int plen, __be32 dst,
				__be32 src, const struct mtf_slot4 *suffix,
				u32 iif)
{
	struct hlist_node *n;
	struct mtf_filter *f;

	for (n = rcu_dereference(hlist_first_rcu(&t->buckets[h & t->mask]));
	     n; n = rcu_dereference(hlist_next_rcu(n))) {
		f = mtf_filter_of(n, t->gen);
		if (f->hash == h && f->dst == dst && f->src == src &&
		    f->k == k && f->plen == plen && f->iif == iif &&
		    (!k || !memcmp(f->slots, suffix, k * sizeof(*suffix))) &&
		    !mtf_filter_expired(f))
			return f;
	}
	return NULL;
}

static struct mtf_filter *lookup(const struct mtf_filters *fs,
				 const struct mtf_ftable *t, unsigned long kmask,
				 const struct mtf_slot4 *slots, unsigned int n,
				 __be32 saddr, __be32 daddr)
{
	const struct mtf_slot4 *suffix;
	struct mtf_filter *f;
	unsigned int k, plen;
	u64 pmask;
	__be32 src;
	u32 hs;

	while (kmask) {
		k = __fls(kmask);
		kmask &= ~BIT(k);
		suffix = slots + n - k;
		hs = suffix_hash(fs->seed, suffix, k);
		pmask = READ_ONCE(fs->plen_mask[k]);
		while (pmask) {
			plen = fls64(pmask) - 1;
			pmask &= ~BIT_ULL(plen);
			src = saddr & inet_make_mask(plen);
			f = probe(t, key_hash(hs, k, plen, daddr, src), k,
				  plen, daddr, src, suffix, 0);
			if (f)
				return f;
		}
	}
	return NULL;
}

/*
 * The caller runs with bottom halves off: nothing else on this CPU uses
 * its cache meanwhile.  A remembered filter is only used while seq says
 * it is still linked, so it has not been freed (that takes a grace
 * period after the unlink, and the bump comes before it).
 *
 * The sequence number is read first: the masks and the table read after
 * its acquire are at least as new as the set it names, so a lookup
 * never stores a result from an older set under a newer number (a "no
 * filter" that would outlive the add of a filter with a new suffix
 * length, or one linked into a table that a resize had just published).
 */
static struct mtf_filter *cached_lookup(struct mtf_net *mn,
					struct mtf_filters *fs,
					const struct mtf_slot4 *slots,
					unsigned int n, __be32 saddr,
					__be32 daddr)
{
	struct mtf_fcache *c = this_cpu_ptr(fs->cache);
	unsigned long seq = smp_load_acquire(&fs->seq);
	unsigned int i, plen = fls64(READ_ONCE(fs->plen_any));
	__be32 src = plen ? saddr & inet_make_mask(plen - 1) : 0;
	const struct mtf_ftable *t;
	unsigned long kmask;
	struct mtf_filter *f;

	if (c->seq != seq || c->n != n || c->saddr != src ||
	    c->daddr != daddr)
		goto miss;
	for (i = 0; i < n; i++)
		if (c->slots[i].addr != slots[i].addr ||
		    c->slots[i].mark != slots[i].mark)
			goto miss;
	f = c->f;
	if (!f || !mtf_filter_expired(f))
		return f;
miss:
	kmask = READ_ONCE(mn->filter_kmask) & GENMASK(n, 1);
	t = rcu_dereference(fs->table);
	f = t ? lookup(fs, t, kmask, slots, n, saddr, daddr) : NULL;
	c->seq = seq;
	c->n = n;
	c->saddr = src;
	c->daddr = daddr;
	c->f = f;
	memcpy(c->slots, slots, n * sizeof(*slots));
	return f;
}

/*
 * Generic cell rate algorithm: the lock-free form of a token bucket.
 * @tat is when the bucket would be full again; a packet conforms if that
 * is at most MTF_RL_BURST_NS ahead of now, and moves it by its cost.
 */
static bool gcra(atomic64_t *tat, s64 now, s64 cost)
{
	s64 old = atomic64_read(tat), t;

	do {
		t = max(old, now);
		if (t - now > MTF_RL_BURST_NS)
			return false;
	} while (!atomic64_try_cmpxchg(tat, &old, t + cost));
	return true;
}

static bool rl_conform(struct mtf_filter_rl *rl, unsigned int len)
{
	s64 now = ktime_get_ns();
	s64 cost;

	if (rl->pps && !gcra(&rl->tat_pkt, now, rl->pkt_cost))
		return false;
	if (!rl->bps)
		return true;
	cost = div64_u64((u64)len * BITS_PER_BYTE * NSEC_PER_SEC, rl->bps);
	if (gcra(&rl->tat_bit, now, cost))
		return true;
	/* Dropped for bits: give the packet's credit back. */
	if (rl->pps)
		atomic64_sub(rl->pkt_cost, &rl->tat_pkt);
	return false;
}

/* A packet matched @f: count it, apply the action; true to drop. */
static bool filter_apply(struct mtf_net *mn, struct mtf_filter *f,
			 unsigned int len)
{
	struct mtf_filter_cnt *c = this_cpu_ptr(f->cnt);
	bool pass = f->action == MTF_FILTER_RATELIMIT && rl_conform(f->rl, len);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->hits);
	u64_stats_add(&c->bytes, len);
	if (!pass)
		u64_stats_inc(&c->drops);
	u64_stats_update_end(&c->syncp);
	mtf_stats_inc(mn->stats, MTF_STAT_FILTER_MATCHED);
	if (pass)
		return false;
	mtf_stats_inc(mn->stats, f->action == MTF_FILTER_DROP ?
		      MTF_STAT_FILTER_DROPPED : MTF_STAT_FILTER_RATELIMITED);
	return true;
}

bool __mtf_filter_drop(struct mtf_net *mn, const struct mtf_slot4 *slots,
		       unsigned int n, __be32 saddr, __be32 daddr,
		       unsigned int len)
{
	struct mtf_filters *fs = READ_ONCE(mn->filters);
	struct mtf_filter *f;

	if (!fs)
		return false;
	f = cached_lookup(mn, fs, slots, n, saddr, daddr);
	return f && filter_apply(mn, f, len);
}

bool __mtf_filter_drop_unmarked(struct mtf_net *mn, u32 iif, __be32 saddr,
				__be32 daddr, unsigned int len)
{
	struct mtf_filters *fs = READ_ONCE(mn->filters);
	const struct mtf_ftable *t;
	struct mtf_filter *f;
	unsigned int plen;
	u64 pmask;
	__be32 src;
	u32 hs;

	if (!fs)
		return false;
	t = rcu_dereference(fs->table);
	if (!t)
		return false;
	hs = iif_hash(fs->seed, iif);
	pmask = READ_ONCE(fs->plen_mask[0]);
	while (pmask) {
		plen = fls64(pmask) - 1;
		pmask &= ~BIT_ULL(plen);
		src = saddr & inet_make_mask(plen);
		f = probe(t, key_hash(hs, 0, plen, daddr, src), 0, plen, daddr,
			  src, NULL, iif);
		if (f)
			return filter_apply(mn, f, len);
	}
	return false;
}

/* ---------------------------------------------------------------------- */
/* Table (writers hold fs->lock)                                           */
/* ---------------------------------------------------------------------- */

static struct mtf_ftable *table_locked(struct mtf_filters *fs)
{
	return rcu_dereference_protected(fs->table, lockdep_is_held(&fs->lock));
}

static struct mtf_ftable *table_alloc(unsigned int size, u8 gen)
{
	struct mtf_ftable *t;

	t = kvzalloc(struct_size(t, buckets, size), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->mask = size - 1;
	t->gen = gen;
	return t;
}

static void filter_free(struct mtf_filter *f)
{
	/* From an RCU callback too: free_percpu() may run in softirq. */
	free_percpu(f->cnt);
	kfree(f->rl);
	kmem_cache_free(filter_cache(f->k), f);
}

static void filter_free_rcu(struct rcu_head *head)
{
	filter_free(container_of(head, struct mtf_filter, rcu));
}

static void combo_get(struct mtf_filters *fs, unsigned int k, unsigned int plen)
{
	unsigned long *kmask = &mtf_net(fs->net)->filter_kmask;

	if (fs->combos[k][plen]++)
		return;
	WRITE_ONCE(fs->plen_mask[k], fs->plen_mask[k] | BIT_ULL(plen));
	WRITE_ONCE(fs->plen_any, fs->plen_any | BIT_ULL(plen));
	WRITE_ONCE(*kmask, *kmask | BIT(k));
}

static void combo_put(struct mtf_filters *fs, unsigned int k, unsigned int plen)
{
	unsigned long *kmask = &mtf_net(fs->net)->filter_kmask;
	unsigned int i;
	u64 any = 0;

	if (--fs->combos[k][plen])
		return;
	WRITE_ONCE(fs->plen_mask[k], fs->plen_mask[k] & ~BIT_ULL(plen));
	for (i = 0; i <= MTF_MAX_SLOTS; i++)
		any |= fs->plen_mask[i];
	WRITE_ONCE(fs->plen_any, any);
	if (!fs->plen_mask[k])
		WRITE_ONCE(*kmask, *kmask & ~BIT(k));
}

/* The set changed: every CPU's remembered lookup is void. */
static void bump_seq(struct mtf_filters *fs)
{
	smp_store_release(&fs->seq, fs->seq + 1);
}

static void link_filter(struct mtf_filters *fs, struct mtf_ftable *t,
			struct mtf_filter *f)
{
	hlist_add_head_rcu(&f->node[t->gen], &t->buckets[f->hash & t->mask]);
	WRITE_ONCE(fs->count, fs->count + 1);
	fs->timed += !!f->expires;
	combo_get(fs, f->k, f->plen);
	bump_seq(fs);
}

/* The filter is freed after a grace period. */
static void unlink_filter(struct mtf_filters *fs, struct mtf_ftable *t,
			  struct mtf_filter *f)
{
	hlist_del_rcu(&f->node[t->gen]);
	WRITE_ONCE(fs->count, fs->count - 1);
	fs->timed -= !!f->expires;
	combo_put(fs, f->k, f->plen);
	bump_seq(fs);
	call_rcu(&f->rcu, filter_free_rcu);
}

/*
 * Relink every filter into a table of @size buckets through its other
 * list node, publish it, and free the old bucket array once no reader can
 * be walking it.  On allocation failure the old table stays: chains get
 * longer, nothing breaks.
 */
static void resize(struct mtf_filters *fs, unsigned int size)
{
	struct mtf_ftable *t = table_locked(fs), *nt;
	struct hlist_node *n;
	struct mtf_filter *f;
	unsigned int i;

	nt = table_alloc(size, !t->gen);
	if (!nt)
		return;
	for (i = 0; i <= t->mask; i++) {
		for (n = t->buckets[i].first; n; n = n->next) {
			f = mtf_filter_of(n, t->gen);
			hlist_add_head(&f->node[nt->gen],
				       &nt->buckets[f->hash & nt->mask]);
		}
		if ((i & 4095) == 4095)
			cond_resched();
	}
	rcu_assign_pointer(fs->table, nt);
	WRITE_ONCE(fs->resizes, fs->resizes + 1);
	/*
	 * Also guarantees that the next resize may reuse the node this
	 * (old) table linked.
	 */
	synchronize_rcu();
	kvfree(t);
}

static void maybe_grow(struct mtf_filters *fs)
{
	unsigned int size = table_locked(fs)->mask + 1;

	if (fs->count > size && size < MTF_FT_MAX_BUCKETS)
		resize(fs, size * 2);
}

void mtf_filter_shrink(struct mtf_filters *fs)
{
	unsigned int size = table_locked(fs)->mask + 1;

	lockdep_assert_held(&fs->lock);
	if (size > MTF_FT_MIN_BUCKETS && fs->count < size / 8)
		resize(fs, max_t(unsigned int, MTF_FT_MIN_BUCKETS,
				 roundup_pow_of_two(fs->count * 2 + 1)));
}

static struct mtf_filter *find_locked(struct mtf_filters *fs,
				      const struct mtf_filter_spec *s, u32 h)
{
	struct mtf_ftable *t = table_locked(fs);
	struct hlist_node *n;
	struct mtf_filter *f;

	for (n = t->buckets[h & t->mask].first; n; n = n->next) {
		f = mtf_filter_of(n, t->gen);
		if (f->hash == h && f->dst == s->dst && f->src == s->src &&
		    f->k == s->k && f->plen == s->plen && f->iif == s->iif &&
		    !memcmp(f->slots, s->slots, s->k * sizeof(s->slots[0])))
			return f;
	}
	return NULL;
}

static u32 spec_hash(const struct mtf_filters *fs,
		     const struct mtf_filter_spec *s)
{
	u32 hs = s->k ? suffix_hash(fs->seed, s->slots, s->k) :
			iif_hash(fs->seed, s->iif);

	return key_hash(hs, s->k, s->plen, s->dst, s->src);
}

static struct mtf_filter *filter_alloc(const struct mtf_filter_spec *s, u32 h)
{
	struct mtf_filter *f;
	int cpu;

	f = kmem_cache_zalloc(filter_cache(s->k), GFP_KERNEL_ACCOUNT);
	if (!f)
		return NULL;
	f->cnt = alloc_percpu_gfp(struct mtf_filter_cnt, GFP_KERNEL_ACCOUNT);
	if (!f->cnt) {
		kmem_cache_free(filter_cache(s->k), f);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(f->cnt, cpu)->syncp);
	if (s->action == MTF_FILTER_RATELIMIT) {
		f->rl = kzalloc(sizeof(*f->rl), GFP_KERNEL_ACCOUNT);
		if (!f->rl) {
			/* Not filter_free(): f->k, which picks the cache, is unset. */
			free_percpu(f->cnt);
			kmem_cache_free(filter_cache(s->k), f);
			return NULL;
		}
		f->rl->pps = s->pps;
		f->rl->bps = s->bps;
		f->rl->pkt_cost = s->pps ? div64_u64(NSEC_PER_SEC, s->pps) : 0;
	}
	if (s->timeout_ms)
		/* 0 is "permanent": step over it should the sum wrap there. */
		f->expires = (jiffies + msecs_to_jiffies(s->timeout_ms)) ?: 1;
	f->hash = h;
	f->iif = s->iif;
	f->k = s->k;
	f->plen = s->plen;
	f->action = s->action;
	f->dst = s->dst;
	f->src = s->src;
	memcpy(f->slots, s->slots, s->k * sizeof(s->slots[0]));
	/* The tail after the slots: room for it is in every cache's size. */
	memcpy(f->slots + s->k, &s->origin, sizeof(s->origin));
	return f;
}

/*
 * Add a filter; with @replace an existing one with the same key gives
 * way to the new one (counters restart).  An expired filter not yet
 * collected counts as absent.
 */
int mtf_filter_insert(struct mtf_filters *fs, const struct mtf_filter_spec *s,
		      bool replace)
{
	struct mtf_net *mn = mtf_net(fs->net);
	struct mtf_ftable *t = table_locked(fs);
	struct mtf_filter *f, *old;
	u32 h = spec_hash(fs, s);

	old = find_locked(fs, s, h);
	if (old && !replace && !mtf_filter_expired(old))
		return -EEXIST;
	if (!old && fs->count >= READ_ONCE(mn->cfg.filter_max)) {
		stat_add(fs->net, MTF_STAT_FILTER_FULL, 1);
		return -ENOSPC;
	}
	f = filter_alloc(s, h);
	if (!f)
		return -ENOMEM;
	if (old) {
		if (mtf_filter_expired(old))
			stat_add(fs->net, MTF_STAT_FILTER_EXPIRED, 1);
		unlink_filter(fs, t, old);
	}
	link_filter(fs, t, f);
	maybe_grow(fs);
	return 0;
}

int mtf_filter_remove(struct mtf_filters *fs, const struct mtf_filter_spec *s)
{
	struct mtf_filter *f = find_locked(fs, s, spec_hash(fs, s));

	if (!f)
		return -ENOENT;
	if (mtf_filter_expired(f)) {
		/* Gone as far as anyone can tell; collect it now. */
		stat_add(fs->net, MTF_STAT_FILTER_EXPIRED, 1);
		unlink_filter(fs, table_locked(fs), f);
		return -ENOENT;
	}
	unlink_filter(fs, table_locked(fs), f);
	return 0;
}

/* Free every filter of a table no reader can reach any more. */
static void free_table(struct mtf_ftable *t)
{
	struct hlist_node *n, *next;
	unsigned int i;

	for (i = 0; i <= t->mask; i++) {
		for (n = t->buckets[i].first; n; n = next) {
			next = n->next;
			filter_free(mtf_filter_of(n, t->gen));
		}
		if ((i & 4095) == 4095)
			cond_resched();
	}
	kvfree(t);
}

static void reset_counts(struct mtf_filters *fs)
{
	WRITE_ONCE(mtf_net(fs->net)->filter_kmask, 0);
	memset(fs->plen_mask, 0, sizeof(fs->plen_mask));
	WRITE_ONCE(fs->plen_any, 0);
	memset(fs->combos, 0, sizeof(fs->combos));
	WRITE_ONCE(fs->count, 0);
	fs->timed = 0;
}

/*
 * Swap in an empty table and free the old one whole after one grace
 * period: a million filters go in one synchronize_rcu(), not a million
 * call_rcu()s.
 */
void mtf_filter_flush(struct mtf_filters *fs)
{
	struct mtf_ftable *t = table_locked(fs), *nt;
	struct hlist_node *n, *next;
	unsigned int i;

	nt = table_alloc(MTF_FT_MIN_BUCKETS, !t->gen);
	if (!nt) {
		/* No memory for a fresh table: unlink one by one. */
		for (i = 0; i <= t->mask; i++)
			for (n = t->buckets[i].first; n; n = next) {
				next = n->next;
				unlink_filter(fs, t, mtf_filter_of(n, t->gen));
			}
		return;
	}
	reset_counts(fs);
	rcu_assign_pointer(fs->table, nt);
	bump_seq(fs);
	WRITE_ONCE(fs->resizes, fs->resizes + 1);
	synchronize_rcu();
	free_table(t);
}

/*
 * Unlink the filters of one owner (0: those without one), one by one:
 * the others stay, so the table cannot be swapped whole.  Returns how
 * many went.
 */
unsigned int mtf_filter_flush_owner(struct mtf_filters *fs, u32 owner)
{
	struct mtf_ftable *t = table_locked(fs);
	struct hlist_node *n, *next;
	unsigned int i, done = 0;
	struct mtf_filter *f;

	for (i = 0; i <= t->mask; i++) {
		for (n = t->buckets[i].first; n; n = next) {
			next = n->next;
			f = mtf_filter_of(n, t->gen);
			if (mtf_filter_origin(f)->owner == owner) {
				unlink_filter(fs, t, f);
				done++;
			}
		}
		if ((i & 4095) == 4095)
			cond_resched();
	}
	mtf_filter_shrink(fs);
	return done;
}

/* ---------------------------------------------------------------------- */
/* Key rotation                                                            */
/* ---------------------------------------------------------------------- */

/*
 * Is @addr one of the addresses this router writes into its slots?  The
 * configured one, else an interface's (router_addr() in hooks.c).
 */
static bool slot_is_ours(struct mtf_filters *fs, __be32 addr)
{
	__be32 cfg = READ_ONCE(mtf_net(fs->net)->cfg.router_addr);

	return cfg ? addr == cfg : inet_addr_type(fs->net, addr) == RTN_LOCAL;
}

/* Does @f name one of our slots with a mark of the previous key? */
static bool rekey_spec(struct mtf_filters *fs, const struct mtf_filter *f,
		       const struct mtf_keys *k, struct mtf_filter_spec *s)
{
	bool changed = false;
	unsigned int i;

	for (i = 0; i < f->k; i++) {
		s->slots[i] = f->slots[i];
		if (f->slots[i].mark == mtf_mark_with(&k->prev, f->dst) &&
		    slot_is_ours(fs, f->slots[i].addr)) {
			s->slots[i].mark = mtf_mark_with(&k->cur, f->dst);
			changed |= s->slots[i].mark != f->slots[i].mark;
		}
	}
	if (!changed)
		return false;
	s->k = f->k;
	s->iif = f->iif;
	s->plen = f->plen;
	s->action = f->action;
	s->dst = f->dst;
	s->src = f->src;
	s->pps = f->rl ? f->rl->pps : 0;
	s->bps = f->rl ? f->rl->bps : 0;
	s->timeout_ms = 0;
	s->origin = *mtf_filter_origin(f);
	return true;
}

/* A copy of @f under the key of @s: same lifetime, counters carried on. */
static struct mtf_filter *rekeyed(struct mtf_filters *fs,
				  const struct mtf_filter *f,
				  const struct mtf_filter_spec *s, u32 h)
{
	struct mtf_filter *nf = filter_alloc(s, h);
	struct mtf_filter_cnt *c;
	u64 hits, bytes, drops;

	if (!nf)
		return NULL;
	nf->expires = f->expires;
	/* Not linked yet: no packet writes its counters, any CPU's will do. */
	mtf_filter_counters(f, &hits, &bytes, &drops);
	c = per_cpu_ptr(nf->cnt, cpumask_first(cpu_possible_mask));
	u64_stats_set(&c->hits, hits);
	u64_stats_set(&c->bytes, bytes);
	u64_stats_set(&c->drops, drops);
	return nf;
}

/*
 * After a key rotation (under mtf_net.cfg_lock, @k the new keys): a
 * filter that names one of this router's own slots holds a mark of the
 * previous key, which this router no longer writes, so it would never
 * match again - an attack gateway's filters would all lapse at each
 * rotation.  Each such filter is replaced by one with the current key's
 * mark, linked before the old one goes, so no packet passes in between.
 * Marks of other routers' slots cannot be recomputed here: their
 * owners' rotations reach us as new paths (see mtf-protocol.md).
 * Returns how many filters were re-keyed.
 */
unsigned int mtf_filter_rekey(struct net *net, const struct mtf_keys *k)
{
	struct mtf_filters *fs = mtf_net(net)->filters;
	struct mtf_filter_spec *s;
	struct hlist_head todo = HLIST_HEAD_INIT;
	struct hlist_node *n, *next;
	struct mtf_filter *f, *nf, *dup;
	unsigned int i, done = 0;
	struct mtf_ftable *t;
	u8 other;
	u32 h;

	if (!fs || !k->has_prev)
		return 0;
	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return 0;
	mutex_lock(&fs->lock);
	t = table_locked(fs);
	/*
	 * Collect first, through the list node only resizes use (they run
	 * under this lock too): links made below must not be revisited.
	 */
	other = !t->gen;
	for (i = 0; i <= t->mask; i++) {
		for (n = t->buckets[i].first; n; n = n->next) {
			f = mtf_filter_of(n, t->gen);
			if (rekey_spec(fs, f, k, s))
				hlist_add_head(&f->node[other], &todo);
		}
		if ((i & 4095) == 4095)
			cond_resched();
	}
	hlist_for_each_safe(n, next, &todo) {
		f = mtf_filter_of(n, other);
		rekey_spec(fs, f, k, s);
		h = spec_hash(fs, s);
		dup = find_locked(fs, s, h);
		nf = dup ? NULL : rekeyed(fs, f, s, h);
		if (!dup && !nf)
			break;	/* no memory: the rest keep their old marks */
		if (nf)
			link_filter(fs, t, nf);
		unlink_filter(fs, t, f);
		done++;
		cond_resched();
	}
	maybe_grow(fs);
	mutex_unlock(&fs->lock);
	kfree(s);
	if (done)
		stat_add(net, MTF_STAT_FILTER_REKEYED, done);
	return done;
}

/* ---------------------------------------------------------------------- */
/* Garbage collection of expired filters                                   */
/* ---------------------------------------------------------------------- */

void mtf_filter_gc_kick(struct mtf_filters *fs)
{
	if (fs->timed)
		queue_delayed_work(system_power_efficient_wq, &fs->gc,
				   MTF_GC_PASS / MTF_GC_SLICES);
}

static unsigned int gc_bucket(struct mtf_filters *fs, struct mtf_ftable *t,
			      unsigned int b)
{
	struct hlist_node *n, *next;
	unsigned int expired = 0;
	struct mtf_filter *f;

	for (n = t->buckets[b].first; n; n = next) {
		next = n->next;
		f = mtf_filter_of(n, t->gen);
		if (mtf_filter_expired(f)) {
			unlink_filter(fs, t, f);
			expired++;
		}
	}
	return expired;
}

static void gc_work(struct work_struct *work)
{
	struct mtf_filters *fs = container_of(to_delayed_work(work),
					      struct mtf_filters, gc);
	unsigned int i, size, budget, pos, expired = 0;
	struct mtf_ftable *t;

	mutex_lock(&fs->lock);
	t = table_locked(fs);
	size = t->mask + 1;
	budget = min(size, max(size / MTF_GC_SLICES, MTF_GC_MIN_BUCKETS));
	pos = fs->gc_pos & t->mask;
	for (i = 0; i < budget; i++) {
		expired += gc_bucket(fs, t, pos);
		pos = (pos + 1) & t->mask;
		if ((i & 4095) == 4095)
			cond_resched();
	}
	fs->gc_pos = pos;
	if (expired) {
		stat_add(fs->net, MTF_STAT_FILTER_EXPIRED, expired);
		mtf_filter_shrink(fs);
	}
	mtf_filter_gc_kick(fs);
	mutex_unlock(&fs->lock);
}

/* ---------------------------------------------------------------------- */
/* Life cycle                                                              */
/* ---------------------------------------------------------------------- */

u32 mtf_filter_count(struct net *net)
{
	struct mtf_filters *fs = mtf_net(net)->filters;

	return fs ? READ_ONCE(fs->count) : 0;
}

int mtf_filter_net_init(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	struct mtf_filters *fs;
	struct mtf_ftable *t;

	fs = kzalloc(sizeof(*fs), GFP_KERNEL_ACCOUNT);
	if (!fs)
		return -ENOMEM;
	t = table_alloc(MTF_FT_MIN_BUCKETS, 0);
	/* Zeroed: n == 0 never matches a lookup. */
	fs->cache = alloc_percpu(struct mtf_fcache);
	if (!t || !fs->cache) {
		kvfree(t);
		free_percpu(fs->cache);
		kfree(fs);
		return -ENOMEM;
	}
	RCU_INIT_POINTER(fs->table, t);
	fs->net = net;
	fs->seed = get_random_u32();
	mutex_init(&fs->lock);
	INIT_DELAYED_WORK(&fs->gc, gc_work);
	mn->filters = fs;
	return 0;
}

/*
 * Called after the hooks are unregistered, so no new packet can find the
 * table; packets already in a hook are RCU readers, hence the grace
 * period before anything is freed.
 */
void mtf_filter_net_exit(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	struct mtf_filters *fs = mn->filters;
	struct mtf_ftable *t;

	if (!fs)
		return;
	cancel_delayed_work_sync(&fs->gc);
	WRITE_ONCE(mn->filters, NULL);
	t = rcu_dereference_protected(fs->table, true);
	RCU_INIT_POINTER(fs->table, NULL);
	synchronize_rcu();
	free_table(t);
	free_percpu(fs->cache);
	mutex_destroy(&fs->lock);
	kfree(fs);
}

/* An object with room for @k slots and the origin after them. */
static unsigned int filter_size(unsigned int k)
{
	/* The origin starts where the slots end: no padding in between. */
	BUILD_BUG_ON(__alignof__(struct mtf_filter_origin) >
		     __alignof__(struct mtf_slot4));
	return sizeof(struct mtf_filter) + k * sizeof(struct mtf_slot4) +
	       sizeof(struct mtf_filter_origin);
}

int __init mtf_filter_init(void)
{
	filter_cache_short = kmem_cache_create("mtf_filter_short",
		filter_size(MTF_SHORT_SLOTS), 0, SLAB_ACCOUNT, NULL);
	if (!filter_cache_short)
		return -ENOMEM;
	filter_cache_long = kmem_cache_create("mtf_filter",
		filter_size(MTF_MAX_SLOTS), 0, SLAB_ACCOUNT, NULL);
	if (!filter_cache_long) {
		kmem_cache_destroy(filter_cache_short);
		return -ENOMEM;
	}
	return 0;
}

void mtf_filter_uninit(void)
{
	/*
	 * Filters (and path entries) freed by call_rcu() must be back before
	 * the caches, and the module text of the callbacks, go.
	 */
	rcu_barrier();
	kmem_cache_destroy(filter_cache_long);
	kmem_cache_destroy(filter_cache_short);
}
