// SPDX-License-Identifier: GPL-2.0
/*
 * Keyed marks (paper section 4.3): a router writes, next to its address,
 * a keyed hash of the packet's destination, so it keeps no state per
 * destination and an off-path node cannot forge a slot that verifies.
 *
 * The keys of a namespace live in one struct mtf_keys published with RCU;
 * a rotation publishes a new copy.  The old copy is wiped before it is
 * freed, after synchronize_rcu() rather than kfree_rcu(): kfree_rcu()
 * cannot wipe, and a callback would have to be flushed with rcu_barrier()
 * before the module goes.  Rotations are rare and run in process context,
 * so waiting for a grace period there costs nothing that matters.
 *
 * SipHash was the biggest single cost of marking in forwarding profiles
 * (two per packet across two routers, ~100 instructions each), and a
 * flood has few destinations: each CPU keeps the last marks it computed
 * in a small direct-mapped cache, valid for one key id.  A rotation gives
 * the keys a new id, so no mark outlives its key.
 */

#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "filter.h"
#include "mark.h"
#include "netlink.h"
#include "netns.h"

static void keys_free(struct mtf_keys *k)
{
	kfree_sensitive(k);	/* memzero_explicit(), then kfree() */
}

int mtf_mark_net_init(struct net *net)
{
	struct mtf_keys *k;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	/* Zeroed: no valid entry, whatever the id. */
	mtf_net(net)->mark_cache = alloc_percpu(struct mtf_mark_cache);
	if (!mtf_net(net)->mark_cache) {
		kfree(k);
		return -ENOMEM;
	}
	get_random_bytes(&k->cur, sizeof(k->cur));
	RCU_INIT_POINTER(mtf_net(net)->keys, k);
	return 0;
}

/* Hooks are gone and no netlink request can run for a dying namespace. */
void mtf_mark_net_exit(struct net *net)
{
	keys_free(rcu_dereference_protected(mtf_net(net)->keys, true));
	free_percpu(mtf_net(net)->mark_cache);
}

__be32 mtf_mark_with(const siphash_key_t *key, __be32 daddr)
{
	return cpu_to_be32((u32)siphash_1u32((__force u32)daddr, key));
}

static bool prev_valid(const struct mtf_keys *k)
{
	return k->has_prev && time_before(jiffies, k->prev_until);
}

/* A cache miss in mtf_mark(): compute the mark and keep it in entry @i. */
__be32 mtf_mark_miss(struct mtf_mark_cache *c, const struct mtf_keys *k,
		     __be32 daddr, unsigned int i)
{
	if (c->id != k->id) {
		c->id = k->id;
		c->valid = 0;
	}
	c->e[i].daddr = daddr;
	c->e[i].mark = mtf_mark_with(&k->cur, daddr);
	c->valid |= BIT(i);
	return c->e[i].mark;
}

u32 mtf_mark_key_id(struct net *net)
{
	u32 id;

	rcu_read_lock();
	id = rcu_dereference(mtf_net(net)->keys)->id;
	rcu_read_unlock();
	return id;
}

const struct nla_policy mtf_nl_key_rotate_policy[MTF_A_MAX + 1] = {
	[MTF_A_KEY] = NLA_POLICY_EXACT_LEN(MTF_KEY_LEN),
};

const struct nla_policy mtf_nl_mark_get_policy[MTF_A_MAX + 1] = {
	[MTF_A_DST4] = { .type = NLA_BE32 },
};

int mtf_nl_key_rotate(struct sk_buff *skb, struct genl_info *info)
{
	struct mtf_net *mn = mtf_net(genl_info_net(info));
	struct mtf_keys *old, *new;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	BUILD_BUG_ON(sizeof(new->cur) != MTF_KEY_LEN);
	if (info->attrs[MTF_A_KEY])
		nla_memcpy(&new->cur, info->attrs[MTF_A_KEY], MTF_KEY_LEN);
	else
		get_random_bytes(&new->cur, sizeof(new->cur));

	mutex_lock(&mn->cfg_lock);
	old = rcu_dereference_protected(mn->keys,
					lockdep_is_held(&mn->cfg_lock));
	new->prev = old->cur;
	new->has_prev = true;
	new->prev_until = jiffies + msecs_to_jiffies(mn->cfg.key_grace_ms);
	new->id = old->id + 1;
	rcu_assign_pointer(mn->keys, new);
	/* Our own slots in filters would not match the new marks. */
	mtf_filter_rekey(genl_info_net(info), new);
	mutex_unlock(&mn->cfg_lock);

	synchronize_rcu();
	keys_free(old);
	return 0;
}

int mtf_nl_mark_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct mtf_keys *k;
	__be32 daddr, mark, prev;
	struct sk_buff *msg;
	bool has_prev;
	void *hdr;

	if (GENL_REQ_ATTR_CHECK(info, MTF_A_DST4))
		return -EINVAL;
	daddr = nla_get_be32(info->attrs[MTF_A_DST4]);

	rcu_read_lock();
	k = rcu_dereference(mtf_net(net)->keys);
	mark = mtf_mark_with(&k->cur, daddr);
	has_prev = prev_valid(k);
	prev = has_prev ? mtf_mark_with(&k->prev, daddr) : 0;
	rcu_read_unlock();

	msg = genlmsg_new(2 * nla_total_size(sizeof(__be32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mtf_genl_family, 0,
				MTF_CMD_MARK_GET);
	if (!hdr || nla_put_be32(msg, MTF_A_MARK, mark) ||
	    (has_prev && nla_put_be32(msg, MTF_A_MARK_PREV, prev))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
