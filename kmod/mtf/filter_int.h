/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the filter table, shared by filter.c (table, packet path,
 * GC) and filter_nl.c (generic netlink).  Not for other files.
 */
#ifndef _MTF_FILTER_INT_H
#define _MTF_FILTER_INT_H

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/mtf.h>

/* Source prefix lengths 0 ("*") .. 32. */
#define MTF_PLENS	33

/* Token buckets, kept only by RATELIMIT filters (see filter.c). */
struct mtf_filter_rl {
	u64 pps;		/* 0: no packet limit */
	u64 bps;		/* 0: no bit limit */
	u64 pkt_cost;		/* ns of credit one packet takes */
	atomic64_t tat_pkt;	/* theoretical arrival times, ns */
	atomic64_t tat_bit;
};

/*
 * Counters of one filter on one CPU: the packet path runs with bottom
 * halves off, so an update needs neither a lock nor an atomic (a locked
 * add per packet on a line every CPU of a flood writes).  Allocated with
 * the filter, never per packet.
 */
struct mtf_filter_cnt {
	u64_stats_t hits;
	u64_stats_t bytes;
	u64_stats_t drops;
	struct u64_stats_sync syncp;
};

/*
 * Who installed a filter, for the control plane alone (MTF_FILTER_A_OWNER
 * and MTF_FILTER_A_COOKIE): the packet path never reads it.  It lives in
 * the filter object's tail, right after the k slots (mtf_filter_origin()),
 * so the fields the lookup reads stay packed as they were, and it costs
 * no allocation of its own: 40 bytes in every object, see the caches in
 * filter.c.
 */
struct mtf_filter_origin {
	u32 owner;			/* 0: none */
	u8 cookie_len;			/* 0: no cookie */
	u8 cookie[MTF_FILTER_COOKIE_MAX];
};

/*
 * One filter.  The slot suffix is a flexible array so that the common
 * short suffixes take a small object (see the caches in filter.c); the
 * origin follows the slots.
 * Two list nodes: while the table is resized, readers still walk the old
 * table through one of them while the new table is built with the other.
 */
struct mtf_filter {
	struct hlist_node node[2];
	unsigned long expires;		/* jiffies; 0: permanent */
	struct mtf_filter_cnt __percpu *cnt;
	struct mtf_filter_rl *rl;	/* RATELIMIT only */
	struct rcu_head rcu;
	u32 hash;			/* of the key, kept for resizing */
	u32 iif;			/* k == 0: ingress ifindex; else 0 */
	u8 k;				/* suffix length, 1..MTF_MAX_SLOTS;
					 * 0: unmarked (keyed by iif) */
	u8 plen;			/* source prefix length */
	u8 action;			/* enum mtf_filter_action */
	__be32 dst;
	__be32 src;			/* masked to plen */
	struct mtf_slot4 slots[];	/* k of them, oldest first, then
					 * a struct mtf_filter_origin */
};

static inline const struct mtf_filter_origin *
mtf_filter_origin(const struct mtf_filter *f)
{
	return (const struct mtf_filter_origin *)(f->slots + f->k);
}

/* A parsed filter request (netlink -> table). */
struct mtf_filter_spec {
	u32 iif;			/* k == 0 only */
	u8 k;
	u8 plen;
	u8 action;
	__be32 dst;
	__be32 src;
	struct mtf_slot4 slots[MTF_MAX_SLOTS];
	u64 pps;
	u64 bps;
	u32 timeout_ms;
	struct mtf_filter_origin origin;
};

/* Hash table; @gen selects the filters' list node this table links. */
struct mtf_ftable {
	unsigned int mask;		/* buckets - 1 */
	u8 gen;
	struct hlist_head buckets[];
};

/*
 * A flood repeats one path to one victim: each CPU remembers its last
 * lookup, key and result (a filter or none), until the filter set
 * changes (mtf_filters.seq).  A repeat then costs a compare, not the two
 * hashes; a remembered filter that has expired since is looked up anew.
 * Only the source bits some filter looks at are part of the key, so with
 * "src *" filters, as against spoofed floods, any source repeats.
 */
struct mtf_fcache {
	unsigned long seq;
	__be32 saddr;			/* masked to the longest prefix in use */
	__be32 daddr;
	unsigned int n;
	struct mtf_filter *f;
	struct mtf_slot4 slots[MTF_MAX_SLOTS];
};

struct mtf_filters {
	struct mtf_ftable __rcu *table;
	/* Bumped (release) after every link, unlink and flush. */
	unsigned long seq;
	struct mtf_fcache __percpu *cache;
	struct net *net;
	/* Serialises every writer: netlink, GC and resizing. */
	struct mutex lock;
	u32 seed;
	u32 count;			/* under lock; READ_ONCE elsewhere */
	u32 timed;			/* filters with a lifetime */
	/*
	 * The (suffix length, source prefix length) combinations in use,
	 * so that the packet path probes only those: bit k of
	 * mtf_net.filter_kmask (filter.h), bit
	 * plen of plen_mask[k].  k == 0 stands for the unmarked filters.
	 * Written under lock, read locklessly.
	 */
	u64 plen_mask[MTF_MAX_SLOTS + 1];
	u64 plen_any;			/* all plen_mask[k] or-ed */
	u32 combos[MTF_MAX_SLOTS + 1][MTF_PLENS];
	struct delayed_work gc;
	unsigned int gc_pos;		/* next bucket the GC looks at */
	u32 resizes;			/* for dump consistency, with seq */
};

static inline struct mtf_filter *mtf_filter_of(struct hlist_node *n, u8 gen)
{
	return container_of(n - gen, struct mtf_filter, node[0]);
}

/* Expired filters stop matching at once, before the GC unlinks them. */
static inline bool mtf_filter_expired(const struct mtf_filter *f)
{
	unsigned long expires = READ_ONCE(f->expires);

	return expires && time_after_eq(jiffies, expires);
}

int mtf_filter_insert(struct mtf_filters *fs, const struct mtf_filter_spec *s,
		      bool replace);
int mtf_filter_remove(struct mtf_filters *fs, const struct mtf_filter_spec *s);
void mtf_filter_flush(struct mtf_filters *fs);
unsigned int mtf_filter_flush_owner(struct mtf_filters *fs, u32 owner);
void mtf_filter_shrink(struct mtf_filters *fs);
void mtf_filter_gc_kick(struct mtf_filters *fs);
u64 mtf_filter_expires_ms(const struct mtf_filter *f);
void mtf_filter_counters(const struct mtf_filter *f, u64 *hits, u64 *bytes,
			 u64 *drops);

#endif /* _MTF_FILTER_INT_H */
