/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-router marks: mark = lower 32 bits of SipHash-2-4(key, daddr), with
 * a per-namespace key that can be rotated; the previous key keeps
 * verifying for the configured grace period.
 */
#ifndef _MTF_MARK_H
#define _MTF_MARK_H

#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/siphash.h>
#include <net/netlink.h>
#include <linux/mtf.h>

#include "netns.h"

struct net;
struct genl_info;
struct sk_buff;

int mtf_mark_net_init(struct net *net);
void mtf_mark_net_exit(struct net *net);

struct mtf_keys {
	siphash_key_t cur;
	siphash_key_t prev;
	unsigned long prev_until;	/* jiffies; prev valid before this */
	bool has_prev;
	u32 id;				/* rotations so far */
};

#define MTF_MARK_CACHE_BITS	4

struct mtf_mark_cache {
	u32 id;			/* of the keys the entries come from */
	u32 valid;		/* bit i: e[i] holds a mark */
	struct {
		__be32 daddr;
		__be32 mark;
	} e[1 << MTF_MARK_CACHE_BITS];
};

__be32 mtf_mark_miss(struct mtf_mark_cache *c, const struct mtf_keys *k,
		     __be32 daddr, unsigned int i);

/*
 * Packet path, under RCU: this router's mark for @daddr.  The hooks run
 * with bottom halves off, so nothing else on this CPU uses its cache
 * meanwhile.  An entry counts only for the key id it was computed with.
 */
static inline __be32 mtf_mark(struct mtf_net *mn, __be32 daddr)
{
	const struct mtf_keys *k = rcu_dereference(mn->keys);
	struct mtf_mark_cache *c = this_cpu_ptr(mn->mark_cache);
	unsigned int i = hash_32((__force u32)daddr, MTF_MARK_CACHE_BITS);

	if (likely(c->id == k->id && c->valid & BIT(i) &&
		   c->e[i].daddr == daddr))
		return c->e[i].mark;
	return mtf_mark_miss(c, k, daddr, i);
}

/* This router's mark for @daddr under @key (the slow path). */
__be32 mtf_mark_with(const siphash_key_t *key, __be32 daddr);
u32 mtf_mark_key_id(struct net *net);

extern const struct nla_policy mtf_nl_key_rotate_policy[MTF_A_MAX + 1];
extern const struct nla_policy mtf_nl_mark_get_policy[MTF_A_MAX + 1];
int mtf_nl_key_rotate(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_mark_get(struct sk_buff *skb, struct genl_info *info);

#endif /* _MTF_MARK_H */
