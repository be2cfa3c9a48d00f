// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family ROAM_GENL_NAME; the protocol is described in
 * include/uapi/linux/roam.h.  Every command acts on the namespace of the
 * requesting socket.
 */

#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/roam.h>

#include "client.h"
#include "gate.h"
#include "mig.h"
#include "../common/genl_status.h"
#include "netlink.h"
#include "netns.h"
#include "version.h"

static struct genl_family genl_family;

/* ------------------------------------------------------------ policies */

/* STATUS_GET, GATE_GET, CLIENT_FLUSH: an empty strict policy rejects all. */
static const struct nla_policy no_attrs_policy[ROAM_A_MAX + 1] = {
};

#define READ_ONLY { .type = NLA_REJECT, .reject_message = "read-only attribute" }

static const struct nla_policy pool_policy[ROAM_GATE_A_ADDR4 + 1] = {
	[ROAM_GATE_A_ADDR4] = { .type = NLA_BE32 },
};

/*
 * Protocol 1..255 (0 is not a transport), port 0 (any) ..65535.  Not
 * const: 6.1's NLA_POLICY_FULL_RANGE() takes a non-const pointer.
 */
static struct netlink_range_validation port_range = {
	.min = 1 << 16,
	.max = 0xffffff,
};

static const struct nla_policy ports_policy[ROAM_GATE_A_PORT + 1] = {
	[ROAM_GATE_A_PORT] = NLA_POLICY_FULL_RANGE(NLA_U32, &port_range),
};

static struct netlink_range_validation window_range = {
	.max = ROAM_WINDOW_MS_MAX,
};

static struct netlink_range_validation client_max_range = {
	.min = 1,
	.max = ROAM_CLIENT_MAX_LIMIT,
};

static const struct nla_policy gate_policy[ROAM_GATE_A_MAX + 1] = {
	[ROAM_GATE_A_POOL] = NLA_POLICY_NESTED(pool_policy),
	[ROAM_GATE_A_ADDR4] = { .type = NLA_REJECT,
				.reject_message = "ADDR4 belongs inside POOL" },
	[ROAM_GATE_A_PORTS] = NLA_POLICY_NESTED(ports_policy),
	[ROAM_GATE_A_PORT] = { .type = NLA_REJECT,
			       .reject_message = "PORT belongs inside PORTS" },
	[ROAM_GATE_A_ACTIVE4] = { .type = NLA_BE32 },
	[ROAM_GATE_A_PREV4] = READ_ONLY,
	[ROAM_GATE_A_WINDOW_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &window_range),
	[ROAM_GATE_A_WINDOW_LEFT_MS] = READ_ONLY,
	[ROAM_GATE_A_EPOCH] = { .type = NLA_U64 },
	[ROAM_GATE_A_ATTACK_PPS] = { .type = NLA_U32 },
	[ROAM_GATE_A_DROP_RATE] = READ_ONLY,
	[ROAM_GATE_A_CLIENTS] = READ_ONLY,
	[ROAM_GATE_A_CLIENT_MAX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &client_max_range),
};

static const struct nla_policy gate_set_policy[ROAM_A_MAX + 1] = {
	[ROAM_A_GATE] = NLA_POLICY_NESTED(gate_policy),
};

static const struct nla_policy client_policy[ROAM_CLIENT_A_MAX + 1] = {
	[ROAM_CLIENT_A_ADDR4] = { .type = NLA_BE32 },
	[ROAM_CLIENT_A_STATE] = NLA_POLICY_RANGE(NLA_U8, ROAM_CLIENT_ALLOWED,
						 ROAM_CLIENT_BLOCKED),
	[ROAM_CLIENT_A_RATE_PPS] = { .type = NLA_U64 },
	[ROAM_CLIENT_A_RATE_BPS] = { .type = NLA_U64 },
	[ROAM_CLIENT_A_PACKETS] = READ_ONLY,
	[ROAM_CLIENT_A_BYTES] = READ_ONLY,
	[ROAM_CLIENT_A_DROPS] = READ_ONLY,
	[ROAM_CLIENT_A_VIOLATIONS] = READ_ONLY,
};

static const struct nla_policy client_set_policy[ROAM_A_MAX + 1] = {
	[ROAM_A_CLIENT] = NLA_POLICY_NESTED(client_policy),
};

/* CLIENT_DEL, and the optional filter of a CLIENT_GET dump: the key only. */
static const struct nla_policy client_key_policy[ROAM_CLIENT_A_ADDR4 + 1] = {
	[ROAM_CLIENT_A_ADDR4] = { .type = NLA_BE32 },
};

static const struct nla_policy client_key_req_policy[ROAM_A_MAX + 1] = {
	[ROAM_A_CLIENT] = NLA_POLICY_NESTED(client_key_policy),
};

/* ------------------------------------------------------------- status */

static const struct genl_status_attrs status_attrs = {
	.version = ROAM_A_VERSION,
	.cookie = ROAM_A_NETNS_COOKIE,
	.pad = ROAM_A_PAD,
	.stats = ROAM_A_STATS,
	.stat_pad = ROAM_STAT_PAD,
	.stat_max = ROAM_STAT_MAX,
};

static int status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	u64 sum[__ROAM_STAT_MAX];

	roam_stats_read(roam_net(net)->stats, sum);
	return genl_status_reply(info, &genl_family, ROAM_CMD_STATUS_GET,
				 &status_attrs, ROAM_VERSION,
				 compat_net_cookie(net), sum);
}

/* --------------------------------------------------------------- gate */

static size_t gate_size(void)
{
	return nla_total_size(0) +				/* GATE */
	       nla_total_size(0) +				/* POOL */
	       ROAM_POOL_MAX * nla_total_size(sizeof(__be32)) +
	       nla_total_size(0) +				/* PORTS */
	       ROAM_PORTS_MAX * nla_total_size(sizeof(u32)) +
	       2 * nla_total_size(sizeof(__be32)) +	/* ACTIVE4, PREV4 */
	       5 * nla_total_size(sizeof(u32)) +	/* WINDOW_MS .. */
	       2 * nla_total_size_64bit(sizeof(u64));	/* EPOCH, DROP_RATE */
}

static int put_gate(struct sk_buff *skb, const struct roam_gate *gate,
		    u32 clients)
{
	struct nlattr *nest, *list;
	unsigned long left = 0;
	int i;

	nest = nla_nest_start(skb, ROAM_A_GATE);
	if (!nest)
		return -EMSGSIZE;
	list = nla_nest_start(skb, ROAM_GATE_A_POOL);
	if (!list)
		goto err;
	for (i = 0; i < gate->n_pool; i++)
		if (nla_put_in_addr(skb, ROAM_GATE_A_ADDR4, gate->pool[i]))
			goto err;
	nla_nest_end(skb, list);
	list = nla_nest_start(skb, ROAM_GATE_A_PORTS);
	if (!list)
		goto err;
	for (i = 0; i < gate->n_ports; i++)
		if (nla_put_u32(skb, ROAM_GATE_A_PORT, gate->ports[i]))
			goto err;
	nla_nest_end(skb, list);
	if (roam_gate_window_open(gate))
		left = jiffies_to_msecs(gate->prev_until - jiffies);
	if (nla_put_in_addr(skb, ROAM_GATE_A_ACTIVE4, gate->active) ||
	    nla_put_in_addr(skb, ROAM_GATE_A_PREV4, gate->prev) ||
	    nla_put_u32(skb, ROAM_GATE_A_WINDOW_MS, gate->window_ms) ||
	    nla_put_u32(skb, ROAM_GATE_A_WINDOW_LEFT_MS, left) ||
	    nla_put_u64_64bit(skb, ROAM_GATE_A_EPOCH, gate->epoch,
			      ROAM_GATE_A_PAD) ||
	    nla_put_u32(skb, ROAM_GATE_A_ATTACK_PPS, gate->attack_pps) ||
	    nla_put_u32(skb, ROAM_GATE_A_CLIENTS, clients) ||
	    nla_put_u32(skb, ROAM_GATE_A_CLIENT_MAX, gate->client_max))
		goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int gate_get(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(gate_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &genl_family, 0, ROAM_CMD_GATE_GET);
	if (!hdr)
		goto err_size;
	rcu_read_lock();
	ret = put_gate(msg, rcu_dereference(rn->gate),
		       READ_ONCE(rn->clients.n));
	rcu_read_unlock();
	if (ret)
		goto err_size;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "gate reply does not fit");
	return -EMSGSIZE;
}

static int parse_pool(struct roam_gate *gate, const struct nlattr *nest,
		      struct netlink_ext_ack *extack)
{
	__be32 addrs[ROAM_POOL_MAX];
	const struct nlattr *a;
	int rem, n = 0, i;

	/* The policy let only ADDR4 attributes in. */
	nla_for_each_nested(a, nest, rem) {
		__be32 addr = nla_get_in_addr(a);

		if (n == ROAM_POOL_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many pool addresses (ROAM_POOL_MAX)");
			return -E2BIG;
		}
		if (!addr) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "0.0.0.0 cannot be a pool address");
			return -EINVAL;
		}
		for (i = 0; i < n; i++) {
			if (addrs[i] == addr) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "duplicate pool address");
				return -EINVAL;
			}
		}
		addrs[n++] = addr;
	}
	roam_gate_set_pool(gate, addrs, n);
	if (!n) {
		/* An empty pool turns the gate off: nothing is active. */
		gate->active = 0;
		gate->prev = 0;
	}
	return 0;
}

static int parse_ports(struct roam_gate *gate, const struct nlattr *nest,
		       struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem, n = 0, i;

	nla_for_each_nested(a, nest, rem) {
		u32 port = nla_get_u32(a);

		if (n == ROAM_PORTS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many service ports (ROAM_PORTS_MAX)");
			return -E2BIG;
		}
		for (i = 0; i < n; i++) {
			if (gate->ports[i] == port) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "duplicate service port");
				return -EINVAL;
			}
		}
		gate->ports[n++] = port;
	}
	gate->n_ports = n;
	return 0;
}

/* Apply a GATE_SET to a private copy; nothing is published on error. */
static int gate_apply(struct roam_gate *gate, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	int ret;

	/* Before ACTIVE4: a new window already applies to this roam. */
	if (tb[ROAM_GATE_A_WINDOW_MS])
		gate->window_ms = nla_get_u32(tb[ROAM_GATE_A_WINDOW_MS]);
	if (tb[ROAM_GATE_A_POOL]) {
		ret = parse_pool(gate, tb[ROAM_GATE_A_POOL], extack);
		if (ret)
			return ret;
	}
	if (tb[ROAM_GATE_A_PORTS]) {
		ret = parse_ports(gate, tb[ROAM_GATE_A_PORTS], extack);
		if (ret)
			return ret;
	}
	if (tb[ROAM_GATE_A_ACTIVE4]) {
		__be32 addr = nla_get_in_addr(tb[ROAM_GATE_A_ACTIVE4]);

		if (addr && !roam_gate_in_pool(gate, addr)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[ROAM_GATE_A_ACTIVE4],
					    "active address not in the pool");
			return -EINVAL;
		}
		roam_gate_set_active(gate, addr);
	} else if (gate->active && !roam_gate_in_pool(gate, gate->active)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ROAM_GATE_A_POOL],
				    "new pool lacks the active address: set a new active one with it");
		return -EINVAL;
	}
	if (tb[ROAM_GATE_A_EPOCH])
		gate->epoch = nla_get_u64(tb[ROAM_GATE_A_EPOCH]);
	if (tb[ROAM_GATE_A_ATTACK_PPS])
		gate->attack_pps = nla_get_u32(tb[ROAM_GATE_A_ATTACK_PPS]);
	/* Lowering it below the table size only refuses new clients. */
	if (tb[ROAM_GATE_A_CLIENT_MAX])
		gate->client_max = nla_get_u32(tb[ROAM_GATE_A_CLIENT_MAX]);
	return 0;
}

static int gate_set(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct nlattr *tb[ROAM_GATE_A_MAX + 1];
	struct roam_gate *gate;
	bool detect;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ROAM_A_GATE))
		return -EINVAL;
	ret = nla_parse_nested(tb, ROAM_GATE_A_MAX, info->attrs[ROAM_A_GATE],
			       gate_policy, info->extack);
	if (ret)
		return ret;

	mutex_lock(&rn->lock);
	gate = kmemdup(rcu_dereference_protected(rn->gate,
						 lockdep_is_held(&rn->lock)),
		       sizeof(*gate), GFP_KERNEL);
	if (!gate) {
		ret = -ENOMEM;
		goto out;
	}
	ret = gate_apply(gate, tb, info->extack);
	if (ret) {
		roam_gate_free(gate);
		goto out;
	}
	detect = gate->attack_pps && gate->n_pool;
	roam_gate_publish(rn, gate);
	if (detect)
		roam_attack_kick(rn);
out:
	mutex_unlock(&rn->lock);
	return ret;
}

/* ------------------------------------------------------------ clients */

static size_t client_size(void)
{
	return nla_total_size(0) +				/* CLIENT */
	       nla_total_size(sizeof(__be32)) +			/* ADDR4 */
	       nla_total_size(sizeof(u8)) +			/* STATE */
	       6 * nla_total_size_64bit(sizeof(u64));	/* rates, counters */
}

static int put_client(struct sk_buff *skb, const struct roam_client_info *ci)
{
	struct nlattr *nest = nla_nest_start(skb, ROAM_A_CLIENT);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_in_addr(skb, ROAM_CLIENT_A_ADDR4, ci->addr))
		goto err;
	/* State 0: the client went away before its event was sent. */
	if (ci->state &&
	    (nla_put_u8(skb, ROAM_CLIENT_A_STATE, ci->state) ||
	     nla_put_u64_64bit(skb, ROAM_CLIENT_A_RATE_PPS, ci->rate_pps,
			       ROAM_CLIENT_A_PAD) ||
	     nla_put_u64_64bit(skb, ROAM_CLIENT_A_RATE_BPS, ci->rate_bps,
			       ROAM_CLIENT_A_PAD) ||
	     nla_put_u64_64bit(skb, ROAM_CLIENT_A_PACKETS, ci->packets,
			       ROAM_CLIENT_A_PAD) ||
	     nla_put_u64_64bit(skb, ROAM_CLIENT_A_BYTES, ci->bytes,
			       ROAM_CLIENT_A_PAD) ||
	     nla_put_u64_64bit(skb, ROAM_CLIENT_A_DROPS, ci->drops,
			       ROAM_CLIENT_A_PAD) ||
	     nla_put_u64_64bit(skb, ROAM_CLIENT_A_VIOLATIONS, ci->violations,
			       ROAM_CLIENT_A_PAD)))
		goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* The nest of a CLIENT_* request, parsed, with its mandatory key. */
static int client_parse(struct genl_info *info, struct nlattr **tb,
			unsigned int max, const struct nla_policy *policy,
			__be32 *addr)
{
	struct nlattr *nest = info->attrs[ROAM_A_CLIENT];
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ROAM_A_CLIENT))
		return -EINVAL;
	ret = nla_parse_nested(tb, max, nest, policy, info->extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, ROAM_CLIENT_A_ADDR4))
		return -EINVAL;
	*addr = nla_get_in_addr(tb[ROAM_CLIENT_A_ADDR4]);
	if (!*addr) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[ROAM_CLIENT_A_ADDR4],
				    "0.0.0.0 is not a client address");
		return -EINVAL;
	}
	return 0;
}

static int client_set(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct nlattr *tb[ROAM_CLIENT_A_MAX + 1];
	struct roam_client_req req = {};
	const struct roam_gate *gate;
	int ret;

	ret = client_parse(info, tb, ROAM_CLIENT_A_MAX, client_policy,
			   &req.addr);
	if (ret)
		return ret;
	if (tb[ROAM_CLIENT_A_STATE]) {
		req.has_state = true;
		req.state = nla_get_u8(tb[ROAM_CLIENT_A_STATE]);
	}
	if (tb[ROAM_CLIENT_A_RATE_PPS]) {
		req.has_pps = true;
		req.rate_pps = nla_get_u64(tb[ROAM_CLIENT_A_RATE_PPS]);
	}
	if (tb[ROAM_CLIENT_A_RATE_BPS]) {
		req.has_bps = true;
		req.rate_bps = nla_get_u64(tb[ROAM_CLIENT_A_RATE_BPS]);
	}

	mutex_lock(&rn->lock);
	gate = rcu_dereference_protected(rn->gate, lockdep_is_held(&rn->lock));
	ret = roam_client_set(rn, &req, gate->client_max);
	mutex_unlock(&rn->lock);
	if (ret == -ENOSPC) {
		roam_stats_inc_bh(rn->stats, ROAM_STAT_CLIENT_FULL);
		GENL_SET_ERR_MSG(info, "client table full (see client_max)");
	}
	return ret;
}

static int client_del(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct nlattr *tb[ROAM_CLIENT_A_ADDR4 + 1];
	__be32 addr;
	int ret;

	ret = client_parse(info, tb, ROAM_CLIENT_A_ADDR4, client_key_policy,
			   &addr);
	if (ret)
		return ret;
	mutex_lock(&rn->lock);
	ret = roam_client_del(rn, addr);
	mutex_unlock(&rn->lock);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[ROAM_CLIENT_A_ADDR4],
				    "no such client");
	return ret;
}

static int client_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));

	mutex_lock(&rn->lock);
	roam_clients_flush(rn);
	mutex_unlock(&rn->lock);
	return 0;
}

/*
 * CLIENT_GET dump state, between the calls of one dump.  The hash table
 * walker survives them: it finds its place again after entries come and
 * go, and after a resize it starts over (-EAGAIN), which may repeat
 * entries; the dump's messages then carry NLM_F_DUMP_INTR.
 */
struct client_dump {
	struct rhashtable_iter it;
	__be32 only;		/* a one-client filter; 0: all */
	bool done;
	u32 restarts;
};

static int client_dump_start(struct netlink_callback *cb)
{
	struct roam_net *rn = roam_net(sock_net(cb->skb->sk));
	const struct nlattr *nest, *a;
	struct client_dump *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	/* Validated against client_key_req_policy before we are called. */
	nest = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, ROAM_A_CLIENT);
	a = nest ? nla_find_nested(nest, ROAM_CLIENT_A_ADDR4) : NULL;
	if (a)
		d->only = nla_get_in_addr(a);
	if (!d->only)
		rhashtable_walk_enter(&rn->clients.table, &d->it);
	cb->args[0] = (long)d;
	return 0;
}

static int client_dump_done(struct netlink_callback *cb)
{
	struct client_dump *d = (struct client_dump *)cb->args[0];

	if (!d->only)
		rhashtable_walk_exit(&d->it);
	kfree(d);
	return 0;
}

static int client_fill(struct sk_buff *skb, struct netlink_callback *cb,
		       const struct roam_client_info *ci)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &genl_family, NLM_F_MULTI, ROAM_CMD_CLIENT_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (put_client(skb, ci)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int client_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			   struct roam_net *rn, struct client_dump *d)
{
	struct roam_client_info ci;

	if (d->done)
		return 0;
	d->done = true;
	if (!roam_client_get(&rn->clients, d->only, &ci)) {
		NL_SET_ERR_MSG(cb->extack, "no such client");
		return -ENOENT;
	}
	return client_fill(skb, cb, &ci) ?: skb->len;
}

static int client_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct roam_net *rn = roam_net(sock_net(skb->sk));
	struct client_dump *d = (struct client_dump *)cb->args[0];
	struct roam_client_info ci;
	struct roam_client *c;
	int ret = 0;

	if (d->only)
		return client_dump_one(skb, cb, rn, d);

	rhashtable_walk_start(&d->it);
	/* Peek: the entry that did not fit last time comes first. */
	for (c = rhashtable_walk_peek(&d->it); c;
	     c = rhashtable_walk_next(&d->it)) {
		if (IS_ERR(c)) {
			if (PTR_ERR(c) == -EAGAIN) {
				d->restarts++;
				continue;
			}
			ret = PTR_ERR(c);
			break;
		}
		/* A change to the table since the last call flags the dump. */
		cb->seq = READ_ONCE(rn->clients.gen) + d->restarts;
		roam_client_info(c, &ci);
		if (client_fill(skb, cb, &ci))
			break;
	}
	rhashtable_walk_stop(&d->it);
	return ret ?: skb->len;
}

/* ------------------------------------------------------------- events */

void roam_nl_notify_violation(struct net *net,
			      const struct roam_client_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&genl_family, net, 0))
		return;
	msg = genlmsg_new(client_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &genl_family, 0,
			  ROAM_CMD_EVENT_CLIENT_VIOLATION);
	if (!hdr || put_client(msg, info)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&genl_family, net, msg, 0, 0, GFP_KERNEL);
}

void roam_nl_notify_attack(struct net *net, u64 rate, u32 threshold,
			   __be32 active, u64 epoch)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&genl_family, net, 0))
		return;
	msg = genlmsg_new(gate_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &genl_family, 0, ROAM_CMD_EVENT_ATTACK);
	if (!hdr)
		goto err;
	nest = nla_nest_start(msg, ROAM_A_GATE);
	if (!nest ||
	    nla_put_u64_64bit(msg, ROAM_GATE_A_DROP_RATE, rate,
			      ROAM_GATE_A_PAD) ||
	    nla_put_u32(msg, ROAM_GATE_A_ATTACK_PPS, threshold) ||
	    nla_put_in_addr(msg, ROAM_GATE_A_ACTIVE4, active) ||
	    nla_put_u64_64bit(msg, ROAM_GATE_A_EPOCH, epoch, ROAM_GATE_A_PAD))
		goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&genl_family, net, msg, 0, 0, GFP_KERNEL);
	return;
err:
	nlmsg_free(msg);
}

/* -------------------------------------------------------------- family */

/*
 * STATUS_GET needs no privilege.  Everything else needs CAP_NET_ADMIN in
 * the user namespace owning the network namespace: the commands that
 * change state, and also GATE_GET and CLIENT_GET, whose answers (the
 * active server, the subscribers) are what the roaming keeps from
 * outsiders.
 */
static const struct genl_ops genl_ops[] = {
	{
		.cmd = ROAM_CMD_STATUS_GET,
		.doit = status_get,
		.policy = no_attrs_policy,
		.maxattr = ROAM_A_MAX,
	},
	{
		.cmd = ROAM_CMD_GATE_GET,
		.doit = gate_get,
		.policy = no_attrs_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_GATE_SET,
		.doit = gate_set,
		.policy = gate_set_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CLIENT_SET,
		.doit = client_set,
		.policy = client_set_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CLIENT_DEL,
		.doit = client_del,
		.policy = client_key_req_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CLIENT_GET,
		.start = client_dump_start,
		.dumpit = client_dump,
		.done = client_dump_done,
		.policy = client_key_req_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CLIENT_FLUSH,
		.doit = client_flush,
		.policy = no_attrs_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	/* The live TCP handoff: mig_nl.c. */
	{
		.cmd = ROAM_CMD_MIG_GET,
		.doit = roam_mig_nl_get,
		.policy = no_attrs_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_MIG_SET,
		.doit = roam_mig_nl_set,
		.policy = roam_mig_req_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CONN_SET,
		.doit = roam_conn_nl_set,
		.policy = roam_conn_req_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CONN_DEL,
		.doit = roam_conn_nl_del,
		.policy = roam_conn_key_req_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CONN_GET,
		.start = roam_conn_nl_dump_start,
		.dumpit = roam_conn_nl_dump,
		.done = roam_conn_nl_dump_done,
		.policy = roam_conn_key_req_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CONN_FLUSH,
		.doit = roam_conn_nl_flush,
		.policy = no_attrs_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CCONN_GET,
		.start = roam_cconn_nl_dump_start,
		.dumpit = roam_cconn_nl_dump,
		.done = roam_cconn_nl_dump_done,
		.policy = no_attrs_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_CCONN_FLUSH,
		.doit = roam_cconn_nl_flush,
		.policy = no_attrs_policy,
		.maxattr = ROAM_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/* Events name clients and the active server: listeners need the right. */
static const struct genl_multicast_group genl_mcgrps[] = {
	{ .name = ROAM_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/*
 * resv_start_op stays 0, as the kernel asks of new families: every
 * command gets strict attribute validation and has its reserved header
 * field and unknown nlmsg flags rejected.
 */
static struct genl_family genl_family __ro_after_init = {
	.name = ROAM_GENL_NAME,
	.version = ROAM_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	/* Writers take the per-namespace lock; no need for genl_mutex. */
	.parallel_ops = true,
	.resv_start_op = 0,
	.ops = genl_ops,
	.n_ops = ARRAY_SIZE(genl_ops),
	.mcgrps = genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(genl_mcgrps),
};

struct genl_family *roam_genl_family(void)
{
	return &genl_family;
}

int __init roam_genl_init(void)
{
	return genl_register_family(&genl_family);
}

void roam_genl_uninit(void)
{
	genl_unregister_family(&genl_family);
}
