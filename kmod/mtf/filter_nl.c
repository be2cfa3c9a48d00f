// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink side of the filter table: FILTER_ADD and FILTER_DEL
 * (bulk: many MTF_A_FILTER nests per message), FILTER_GET (dump) and
 * FILTER_FLUSH.  The whole message is checked against the policies by
 * the genetlink core before a handler runs; the handlers then stop at the
 * first entry that is well-formed but cannot be applied.
 */

#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "filter.h"
#include "filter_int.h"
#include "netlink.h"
#include "netns.h"

static const struct nla_policy slot_policy[MTF_SLOT_A_MAX + 1] = {
	[MTF_SLOT_A_ADDR4] = { .type = NLA_BE32 },
	[MTF_SLOT_A_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[MTF_SLOT_A_MARK] = { .type = NLA_BE32 },
};

static const struct nla_policy slots_policy[MTF_A_SLOT + 1] = {
	[MTF_A_SLOT] = NLA_POLICY_NESTED(slot_policy),
};

/* Not const: 6.1's struct nla_policy points to a mutable range. */
static struct netlink_range_validation pps_range = {
	.max = MTF_FILTER_RATE_PPS_MAX,
};

static struct netlink_range_validation timeout_range = {
	.max = MTF_FILTER_TIMEOUT_MS_MAX,
};

#define REPLY_ONLY { .type = NLA_REJECT, .reject_message = "reply-only attribute" }

#define FILTER_REQ_MAX	MTF_FILTER_A_OWNER
static const struct nla_policy filter_policy[FILTER_REQ_MAX + 1] = {
	[MTF_FILTER_A_SLOTS] = NLA_POLICY_NESTED(slots_policy),
	[MTF_FILTER_A_SRC4] = { .type = NLA_BE32 },
	[MTF_FILTER_A_SRC_PLEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[MTF_FILTER_A_DST4] = { .type = NLA_BE32 },
	[MTF_FILTER_A_ACTION] = NLA_POLICY_RANGE(NLA_U8, MTF_FILTER_DROP,
						 MTF_FILTER_RATELIMIT),
	[MTF_FILTER_A_RATE_PPS] = NLA_POLICY_FULL_RANGE(NLA_U64, &pps_range),
	[MTF_FILTER_A_RATE_BPS] = { .type = NLA_U64 },
	[MTF_FILTER_A_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[MTF_FILTER_A_EXPIRES_MS] = REPLY_ONLY,
	[MTF_FILTER_A_HITS] = REPLY_ONLY,
	[MTF_FILTER_A_BYTES] = REPLY_ONLY,
	[MTF_FILTER_A_DROPS] = REPLY_ONLY,
	[MTF_FILTER_A_IIF] = NLA_POLICY_MIN(NLA_U32, 1),
	/*
	 * A length range on a binary attribute: 6.1 and 6.12 both have it
	 * (NLA_POLICY_EXACT_LEN is made of it), unlike NLA_POLICY_MAX_LEN.
	 * The extack names the attribute and carries the bounds.
	 */
	[MTF_FILTER_A_COOKIE] = NLA_POLICY_RANGE(NLA_BINARY, 1,
						 MTF_FILTER_COOKIE_MAX),
	[MTF_FILTER_A_OWNER] = { .type = NLA_U32 },
};

/* FILTER_ADD and FILTER_DEL; DEL looks only at the key attributes. */
const struct nla_policy mtf_filter_set_policy[MTF_A_MAX + 1] = {
	[MTF_A_FILTER] = NLA_POLICY_NESTED(filter_policy),
	[MTF_A_REPLACE] = { .type = NLA_FLAG },
};

/* The path commands: no attributes. */
const struct nla_policy mtf_filter_none_policy[MTF_A_MAX + 1] = {
};

/* What FILTER_GET and FILTER_FLUSH select by: the owner, nothing else. */
static const struct nla_policy filter_select_policy[MTF_FILTER_A_OWNER + 1] = {
	[MTF_FILTER_A_OWNER] = { .type = NLA_U32 },
};

/* FILTER_GET, FILTER_FLUSH: an optional MTF_A_FILTER nest of the above. */
const struct nla_policy mtf_filter_select_policy[MTF_A_MAX + 1] = {
	[MTF_A_FILTER] = NLA_POLICY_NESTED(filter_select_policy),
};

static int parse_slots(const struct nlattr *nest, struct mtf_filter_spec *s,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MTF_SLOT_A_MAX + 1];
	const struct nlattr *a;
	int rem, ret;

	nla_for_each_nested(a, nest, rem) {
		if (s->k == MTF_MAX_SLOTS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "more than 15 slots");
			return -EINVAL;
		}
		ret = nla_parse_nested(tb, MTF_SLOT_A_MAX, a, slot_policy,
				       extack);
		if (ret)
			return ret;
		if (tb[MTF_SLOT_A_ADDR6]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MTF_SLOT_A_ADDR6],
					    "IPv6 slots are not supported yet");
			return -EOPNOTSUPP;
		}
		if (!tb[MTF_SLOT_A_ADDR4] || !tb[MTF_SLOT_A_MARK]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "slot needs an IPv4 address and a mark");
			return -EINVAL;
		}
		s->slots[s->k].addr = nla_get_be32(tb[MTF_SLOT_A_ADDR4]);
		s->slots[s->k].mark = nla_get_be32(tb[MTF_SLOT_A_MARK]);
		s->k++;
	}
	if (!s->k) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "empty path suffix");
		return -EINVAL;
	}
	return 0;
}

static int parse_source(struct nlattr **tb, struct mtf_filter_spec *s,
			struct netlink_ext_ack *extack)
{
	struct nlattr *plen = tb[MTF_FILTER_A_SRC_PLEN];

	if (!tb[MTF_FILTER_A_SRC4]) {
		/* "*": any source. */
		if (plen && nla_get_u8(plen)) {
			NL_SET_ERR_MSG_ATTR(extack, plen,
					    "source prefix length without a source");
			return -EINVAL;
		}
		return 0;
	}
	s->plen = plen ? nla_get_u8(plen) : 32;
	s->src = nla_get_be32(tb[MTF_FILTER_A_SRC4]);
	if (s->src & ~inet_make_mask(s->plen)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MTF_FILTER_A_SRC4],
				    "source has bits set beyond its prefix length");
		return -EINVAL;
	}
	return 0;
}

static int parse_action(struct net *net, struct nlattr **tb,
			struct mtf_filter_spec *s,
			struct netlink_ext_ack *extack)
{
	struct nlattr *pps = tb[MTF_FILTER_A_RATE_PPS];
	struct nlattr *bps = tb[MTF_FILTER_A_RATE_BPS];

	s->action = tb[MTF_FILTER_A_ACTION] ?
		    nla_get_u8(tb[MTF_FILTER_A_ACTION]) : MTF_FILTER_DROP;
	s->timeout_ms = tb[MTF_FILTER_A_TIMEOUT_MS] ?
			nla_get_u32(tb[MTF_FILTER_A_TIMEOUT_MS]) :
			READ_ONCE(mtf_net(net)->cfg.filter_timeout_ms);
	if (s->action == MTF_FILTER_DROP) {
		if (pps || bps) {
			NL_SET_ERR_MSG_ATTR(extack, pps ?: bps,
					    "rate given for a drop filter");
			return -EINVAL;
		}
		return 0;
	}
	s->pps = pps ? nla_get_u64(pps) : 0;
	s->bps = bps ? nla_get_u64(bps) : 0;
	if (!s->pps && !s->bps) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MTF_FILTER_A_ACTION],
				    "rate limit needs RATE_PPS and/or RATE_BPS");
		return -EINVAL;
	}
	return 0;
}

/*
 * An unmarked filter: the interface must exist now (a typo would
 * otherwise filter nothing, silently); it may go later, as with the
 * interface roles, and the filter then matches nothing.
 */
static int parse_iif(struct net *net, const struct nlattr *a,
		     struct mtf_filter_spec *s, bool key_only,
		     struct netlink_ext_ack *extack)
{
	bool found;

	s->iif = nla_get_u32(a);
	if (key_only)
		return 0;
	rcu_read_lock();
	found = dev_get_by_index_rcu(net, s->iif);
	rcu_read_unlock();
	if (!found) {
		NL_SET_ERR_MSG_ATTR(extack, a, "no such interface");
		return -ENODEV;
	}
	return 0;
}

/* Already validated with the message; this only gets the pieces. */
static int parse_filter(struct net *net, const struct nlattr *attr,
			struct mtf_filter_spec *s, bool key_only,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[FILTER_REQ_MAX + 1];
	int ret;

	memset(s, 0, sizeof(*s));
	ret = nla_parse_nested(tb, FILTER_REQ_MAX, attr, filter_policy, extack);
	if (ret)
		return ret;
	if (!tb[MTF_FILTER_A_SLOTS] == !tb[MTF_FILTER_A_IIF] ||
	    !tb[MTF_FILTER_A_DST4]) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "filter needs MTF_FILTER_A_DST4 and either MTF_FILTER_A_SLOTS or MTF_FILTER_A_IIF");
		return -EINVAL;
	}
	if (tb[MTF_FILTER_A_IIF])
		ret = parse_iif(net, tb[MTF_FILTER_A_IIF], s, key_only, extack);
	else
		ret = parse_slots(tb[MTF_FILTER_A_SLOTS], s, extack);
	if (ret)
		return ret;
	s->dst = nla_get_be32(tb[MTF_FILTER_A_DST4]);
	ret = parse_source(tb, s, extack);
	if (ret || key_only)
		return ret;
	/* The policy bounds the cookie's length. */
	if (tb[MTF_FILTER_A_COOKIE]) {
		s->origin.cookie_len = nla_len(tb[MTF_FILTER_A_COOKIE]);
		nla_memcpy(s->origin.cookie, tb[MTF_FILTER_A_COOKIE],
			   sizeof(s->origin.cookie));
	}
	if (tb[MTF_FILTER_A_OWNER])
		s->origin.owner = nla_get_u32(tb[MTF_FILTER_A_OWNER]);
	return parse_action(net, tb, s, extack);
}

/* Extack messages must be string literals, hence the switch. */
static void table_error(struct netlink_ext_ack *extack,
			const struct nlattr *a, int err)
{
	switch (err) {
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "filter exists (add with MTF_A_REPLACE)");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG_ATTR(extack, a, "no such filter");
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "filter table full (config filter_max)");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, a, "out of memory");
	}
}

static int filter_bulk(struct genl_info *info, bool add)
{
	struct net *net = genl_info_net(info);
	struct mtf_filters *fs = mtf_net(net)->filters;
	bool replace = info->attrs[MTF_A_REPLACE];
	struct mtf_filter_spec s;
	unsigned int n = 0;
	struct nlattr *a;
	int rem, ret = 0;

	mutex_lock(&fs->lock);
	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != MTF_A_FILTER)
			continue;
		n++;
		ret = parse_filter(net, a, &s, !add, info->extack);
		if (ret)
			break;
		ret = add ? mtf_filter_insert(fs, &s, replace) :
			    mtf_filter_remove(fs, &s);
		if (ret) {
			table_error(info->extack, a, ret);
			break;
		}
	}
	if (add)
		mtf_filter_gc_kick(fs);
	else
		mtf_filter_shrink(fs);
	mutex_unlock(&fs->lock);

	if (!n) {
		GENL_SET_ERR_MSG(info, "no MTF_A_FILTER in the request");
		return -EINVAL;
	}
	return ret;
}

int mtf_nl_filter_add(struct sk_buff *skb, struct genl_info *info)
{
	return filter_bulk(info, true);
}

int mtf_nl_filter_del(struct sk_buff *skb, struct genl_info *info)
{
	return filter_bulk(info, false);
}

/*
 * The owner a FILTER_GET or FILTER_FLUSH request selects: 1 with *@owner
 * set, 0 for every filter (no MTF_A_FILTER).  A selector without an
 * owner is refused: taking it for "every filter" would be the worst
 * guess a flush could make.
 */
static int select_owner(struct nlattr **attrs, u32 *owner,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MTF_FILTER_A_OWNER + 1];
	int ret;

	if (!attrs || !attrs[MTF_A_FILTER])
		return 0;
	/* Validated with the message already. */
	ret = nla_parse_nested(tb, MTF_FILTER_A_OWNER, attrs[MTF_A_FILTER],
			       filter_select_policy, extack);
	if (ret)
		return ret;
	if (!tb[MTF_FILTER_A_OWNER]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[MTF_A_FILTER],
				    "filter selector without MTF_FILTER_A_OWNER");
		return -EINVAL;
	}
	*owner = nla_get_u32(tb[MTF_FILTER_A_OWNER]);
	return 1;
}

int mtf_nl_filter_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct mtf_filters *fs = mtf_net(genl_info_net(info))->filters;
	u32 owner;
	int ret;

	ret = select_owner(info->attrs, &owner, info->extack);
	if (ret < 0)
		return ret;
	mutex_lock(&fs->lock);
	if (ret)
		mtf_filter_flush_owner(fs, owner);
	else
		mtf_filter_flush(fs);
	mutex_unlock(&fs->lock);
	return 0;
}

int mtf_nl_put_slots(struct sk_buff *skb, int attrtype,
		     const struct mtf_slot4 *slots, unsigned int n)
{
	struct nlattr *list, *slot;
	unsigned int i;

	list = nla_nest_start(skb, attrtype);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		slot = nla_nest_start(skb, MTF_A_SLOT);
		if (!slot ||
		    nla_put_be32(skb, MTF_SLOT_A_ADDR4, slots[i].addr) ||
		    nla_put_be32(skb, MTF_SLOT_A_MARK, slots[i].mark)) {
			nla_nest_cancel(skb, list);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, slot);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, MTF_FILTER_A_PAD);
}

/* Only what was given: a filter without an origin dumps as before. */
static int put_origin(struct sk_buff *skb, const struct mtf_filter_origin *o)
{
	if (o->owner && nla_put_u32(skb, MTF_FILTER_A_OWNER, o->owner))
		return -EMSGSIZE;
	if (o->cookie_len &&
	    nla_put(skb, MTF_FILTER_A_COOKIE, o->cookie_len, o->cookie))
		return -EMSGSIZE;
	return 0;
}

static int put_filter(struct sk_buff *skb, const struct mtf_filter *f)
{
	const struct mtf_filter_rl *rl = f->rl;
	u64 hits, bytes, drops;

	if (f->k ? mtf_nl_put_slots(skb, MTF_FILTER_A_SLOTS, f->slots, f->k) :
		   nla_put_u32(skb, MTF_FILTER_A_IIF, f->iif))
		return -EMSGSIZE;
	if (nla_put_be32(skb, MTF_FILTER_A_DST4, f->dst) ||
	    nla_put_u8(skb, MTF_FILTER_A_ACTION, f->action))
		return -EMSGSIZE;
	if (f->plen && (nla_put_be32(skb, MTF_FILTER_A_SRC4, f->src) ||
			nla_put_u8(skb, MTF_FILTER_A_SRC_PLEN, f->plen)))
		return -EMSGSIZE;
	if (rl && ((rl->pps && put_u64(skb, MTF_FILTER_A_RATE_PPS, rl->pps)) ||
		   (rl->bps && put_u64(skb, MTF_FILTER_A_RATE_BPS, rl->bps))))
		return -EMSGSIZE;
	if (put_origin(skb, mtf_filter_origin(f)))
		return -EMSGSIZE;
	mtf_filter_counters(f, &hits, &bytes, &drops);
	if (put_u64(skb, MTF_FILTER_A_EXPIRES_MS, mtf_filter_expires_ms(f)) ||
	    put_u64(skb, MTF_FILTER_A_HITS, hits) ||
	    put_u64(skb, MTF_FILTER_A_BYTES, bytes) ||
	    put_u64(skb, MTF_FILTER_A_DROPS, drops))
		return -EMSGSIZE;
	return 0;
}

static int fill_filter(struct sk_buff *skb, struct netlink_callback *cb,
		       const struct mtf_filter *f)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mtf_genl_family, NLM_F_MULTI, MTF_CMD_FILTER_GET);
	if (!hdr)
		return -EMSGSIZE;
	nl_dump_check_consistent(cb, genlmsg_nlhdr(hdr));
	nest = nla_nest_start(skb, MTF_A_FILTER);
	if (!nest || put_filter(skb, f)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * cb->args[2]: 1 to dump only the filters of owner cb->args[3].  A
 * refused selector fails the dump request; 6.12 sends the extack
 * message with the error, 6.1 the error alone.
 */
int mtf_nl_filter_dump_start(struct netlink_callback *cb)
{
	u32 owner = 0;
	int ret;

	ret = select_owner(compat_genl_dump_attrs(cb), &owner, cb->extack);
	if (ret < 0)
		return ret;
	cb->args[2] = ret;
	cb->args[3] = owner;
	return 0;
}

/*
 * One message per filter.  cb->args[0] is the bucket to resume at,
 * cb->args[1] how many entries of it were already sent.  That position
 * is only good while the table does not change: a delete (or expiry)
 * before it would make the dump skip a filter that is still there, an
 * add repeat one, a resize move filters between buckets.  So cb->seq
 * follows every change (the set's seq, bumped on each link, unlink and
 * flush, plus the resizes) and a dump that spans one is flagged
 * NLM_F_DUMP_INTR for the reader to dump again.
 */
int mtf_nl_filter_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mtf_filters *fs = mtf_net(sock_net(skb->sk))->filters;
	unsigned long bucket = cb->args[0], skip = cb->args[1], idx;
	const struct mtf_ftable *t;
	struct hlist_node *n;
	struct mtf_filter *f;

	rcu_read_lock();
	t = rcu_dereference(fs->table);
	/* +1: a prev_seq of 0 means "not set" to the netlink core. */
	cb->seq = (unsigned int)(smp_load_acquire(&fs->seq) +
				 READ_ONCE(fs->resizes)) + 1;
	for (; bucket <= t->mask; bucket++, skip = 0) {
		idx = 0;
		for (n = rcu_dereference(hlist_first_rcu(&t->buckets[bucket]));
		     n; n = rcu_dereference(hlist_next_rcu(n))) {
			if (idx++ < skip)
				continue;
			f = mtf_filter_of(n, t->gen);
			if (mtf_filter_expired(f) ||
			    (cb->args[2] &&
			     mtf_filter_origin(f)->owner != cb->args[3]))
				continue;
			if (fill_filter(skb, cb, f)) {
				skip = idx - 1;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	cb->args[0] = bucket;
	cb->args[1] = skip;
	return skb->len;
}
