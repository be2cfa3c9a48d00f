// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink of the live TCP handoff: ROAM_CMD_MIG_GET/SET (configuration
 * and K_client), ROAM_CMD_CONN_* (the server table, for roamd),
 * ROAM_CMD_CCONN_* (the client table) and the CONFIRMED event.  The
 * protocol is described in include/uapi/linux/roam.h; the ops are in
 * netlink.c's table.
 */

#include <crypto/hash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/roam.h>

#include "mig.h"
#include "netlink.h"
#include "netns.h"

#define READ_ONLY { .type = NLA_REJECT, .reject_message = "read-only attribute" }

/* ------------------------------------------------------------ policies */

static const struct nla_policy mig_pool_policy[ROAM_MIG_A_ADDR4 + 1] = {
	[ROAM_MIG_A_ADDR4] = { .type = NLA_BE32 },
};

static const struct nla_policy mig_ports_policy[ROAM_MIG_A_PORT + 1] = {
	[ROAM_MIG_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

/* Not const: 6.1's NLA_POLICY_FULL_RANGE() takes a non-const pointer. */
static struct netlink_range_validation conn_max_range = {
	.min = 1,
	.max = ROAM_MIG_CONN_MAX_LIMIT,
};

static const struct nla_policy mig_policy[ROAM_MIG_A_MAX + 1] = {
	[ROAM_MIG_A_CLIENT_ID] = { .type = NLA_U32 },
	[ROAM_MIG_A_KEY] = NLA_POLICY_EXACT_LEN(ROAM_MIG_KEY_LEN),
	[ROAM_MIG_A_KEY_SET] = READ_ONLY,
	[ROAM_MIG_A_POOL] = NLA_POLICY_NESTED(mig_pool_policy),
	[ROAM_MIG_A_ADDR4] = { .type = NLA_REJECT,
			       .reject_message = "ADDR4 belongs inside POOL" },
	[ROAM_MIG_A_PORTS] = NLA_POLICY_NESTED(mig_ports_policy),
	[ROAM_MIG_A_PORT] = { .type = NLA_REJECT,
			      .reject_message = "PORT belongs inside PORTS" },
	[ROAM_MIG_A_CLIENT_ENABLE] = NLA_POLICY_MAX(NLA_U8, 1),
	[ROAM_MIG_A_SERVER_ENABLE] = NLA_POLICY_MAX(NLA_U8, 1),
	[ROAM_MIG_A_SERVER_PORTS] = NLA_POLICY_NESTED(mig_ports_policy),
	[ROAM_MIG_A_CONN_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &conn_max_range),
	[ROAM_MIG_A_CONNS] = READ_ONLY,
	[ROAM_MIG_A_CCONNS] = READ_ONLY,
};

const struct nla_policy roam_mig_req_policy[ROAM_A_MAX + 1] = {
	[ROAM_A_MIG] = NLA_POLICY_NESTED(mig_policy),
};

static const struct nla_policy conn_policy[ROAM_CONN_A_MAX + 1] = {
	[ROAM_CONN_A_LADDR4] = { .type = NLA_BE32 },
	[ROAM_CONN_A_LPORT] = { .type = NLA_BE16 },
	[ROAM_CONN_A_RADDR4] = { .type = NLA_BE32 },
	[ROAM_CONN_A_RPORT] = { .type = NLA_BE16 },
	/* Server states only: the client's are the kernel's. */
	[ROAM_CONN_A_STATE] = NLA_POLICY_RANGE(NLA_U8, ROAM_CONN_NEGOTIATED,
					       ROAM_CONN_CONFIRMED),
	[ROAM_CONN_A_CLIENT_ID] = { .type = NLA_U32 },
	[ROAM_CONN_A_C_NONCE] = NLA_POLICY_EXACT_LEN(ROAM_MIG_NONCE_LEN),
	[ROAM_CONN_A_S_NONCE] = NLA_POLICY_EXACT_LEN(ROAM_MIG_NONCE_LEN),
	[ROAM_CONN_A_ORIG4] = { .type = NLA_BE32 },
	[ROAM_CONN_A_COUNTER] = { .type = NLA_U32 },
	[ROAM_CONN_A_MIGRATE] = NLA_POLICY_EXACT_LEN(ROAM_MIG_MIGRATE_LEN),
	[ROAM_CONN_A_CUR4] = READ_ONLY,
	[ROAM_CONN_A_STALL_NS] = READ_ONLY,
	[ROAM_CONN_A_PACKETS_IN] = READ_ONLY,
	[ROAM_CONN_A_OPT_ADDED] = READ_ONLY,
};

const struct nla_policy roam_conn_req_policy[ROAM_A_MAX + 1] = {
	[ROAM_A_CONN] = NLA_POLICY_NESTED(conn_policy),
};

/* CONN_DEL, and the optional filter of a CONN_GET dump: the key only. */
static const struct nla_policy conn_key_policy[ROAM_CONN_A_RPORT + 1] = {
	[ROAM_CONN_A_LADDR4] = { .type = NLA_BE32 },
	[ROAM_CONN_A_LPORT] = { .type = NLA_BE16 },
	[ROAM_CONN_A_RADDR4] = { .type = NLA_BE32 },
	[ROAM_CONN_A_RPORT] = { .type = NLA_BE16 },
};

const struct nla_policy roam_conn_key_req_policy[ROAM_A_MAX + 1] = {
	[ROAM_A_CONN] = NLA_POLICY_NESTED(conn_key_policy),
};

/* --------------------------------------------------------- configuration */

static size_t mig_size(void)
{
	return nla_total_size(0) +				/* MIG */
	       2 * nla_total_size(0) +				/* POOL, PORTS */
	       nla_total_size(0) +				/* SERVER_PORTS */
	       ROAM_POOL_MAX * nla_total_size(sizeof(__be32)) +
	       2 * ROAM_PORTS_MAX * nla_total_size(sizeof(u16)) +
	       4 * nla_total_size(sizeof(u32)) +	/* ID, CONN_MAX, CONNS, CCONNS */
	       3 * nla_total_size(sizeof(u8));		/* KEY_SET, enables */
}

static int put_ports(struct sk_buff *skb, int type, const __be16 *ports, u8 n)
{
	struct nlattr *list = nla_nest_start(skb, type);
	int i;

	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u16(skb, ROAM_MIG_A_PORT, ntohs(ports[i])))
			return -EMSGSIZE;
	nla_nest_end(skb, list);
	return 0;
}

static int put_mig(struct sk_buff *skb, struct roam_net *rn)
{
	const struct roam_mig_cfg *cfg = rcu_dereference(rn->mig.cfg);
	struct nlattr *nest, *list;
	int i;

	nest = nla_nest_start(skb, ROAM_A_MIG);
	if (!nest)
		return -EMSGSIZE;
	list = nla_nest_start(skb, ROAM_MIG_A_POOL);
	if (!list)
		goto err;
	for (i = 0; i < cfg->n_pool; i++)
		if (nla_put_in_addr(skb, ROAM_MIG_A_ADDR4, cfg->pool[i]))
			goto err;
	nla_nest_end(skb, list);
	if (put_ports(skb, ROAM_MIG_A_PORTS, cfg->ports, cfg->n_ports) ||
	    put_ports(skb, ROAM_MIG_A_SERVER_PORTS, cfg->sports, cfg->n_sports) ||
	    nla_put_u32(skb, ROAM_MIG_A_CLIENT_ID, cfg->client_id) ||
	    nla_put_u8(skb, ROAM_MIG_A_KEY_SET,
		       !!rcu_access_pointer(rn->mig.tfm)) ||
	    nla_put_u8(skb, ROAM_MIG_A_CLIENT_ENABLE, cfg->client_enable) ||
	    nla_put_u8(skb, ROAM_MIG_A_SERVER_ENABLE, cfg->server_enable) ||
	    nla_put_u32(skb, ROAM_MIG_A_CONN_MAX, cfg->conn_max) ||
	    nla_put_u32(skb, ROAM_MIG_A_CONNS, READ_ONCE(rn->mig.sconns.n)) ||
	    nla_put_u32(skb, ROAM_MIG_A_CCONNS, READ_ONCE(rn->mig.cconns.n)))
		goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int roam_mig_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(mig_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, roam_genl_family(), 0,
				ROAM_CMD_MIG_GET);
	if (!hdr)
		goto err_size;
	rcu_read_lock();
	ret = put_mig(msg, rn);
	rcu_read_unlock();
	if (ret)
		goto err_size;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "handoff reply does not fit");
	return -EMSGSIZE;
}

static int parse_pool(struct roam_mig_cfg *cfg, const struct nlattr *nest,
		      struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem, n = 0, i;

	nla_for_each_nested(a, nest, rem) {
		__be32 addr = nla_get_in_addr(a);

		if (n == ROAM_POOL_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many pool addresses (ROAM_POOL_MAX)");
			return -E2BIG;
		}
		if (!addr) {
			NL_SET_ERR_MSG_ATTR(extack, a, "0.0.0.0 cannot be a pool address");
			return -EINVAL;
		}
		for (i = 0; i < n; i++) {
			if (cfg->pool[i] == addr) {
				NL_SET_ERR_MSG_ATTR(extack, a, "duplicate pool address");
				return -EINVAL;
			}
		}
		cfg->pool[n++] = addr;
	}
	cfg->n_pool = n;
	return 0;
}

static int parse_ports(__be16 *ports, u8 *np, const struct nlattr *nest,
		       struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem, n = 0, i;

	nla_for_each_nested(a, nest, rem) {
		__be16 port = htons(nla_get_u16(a));

		if (n == ROAM_PORTS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many ports (ROAM_PORTS_MAX)");
			return -E2BIG;
		}
		for (i = 0; i < n; i++) {
			if (ports[i] == port) {
				NL_SET_ERR_MSG_ATTR(extack, a, "duplicate port");
				return -EINVAL;
			}
		}
		ports[n++] = port;
	}
	*np = n;
	return 0;
}

static int mig_apply(struct roam_mig_cfg *cfg, struct nlattr **tb,
		     struct netlink_ext_ack *extack)
{
	int ret;

	if (tb[ROAM_MIG_A_POOL]) {
		ret = parse_pool(cfg, tb[ROAM_MIG_A_POOL], extack);
		if (ret)
			return ret;
	}
	if (tb[ROAM_MIG_A_PORTS]) {
		ret = parse_ports(cfg->ports, &cfg->n_ports,
				  tb[ROAM_MIG_A_PORTS], extack);
		if (ret)
			return ret;
	}
	if (tb[ROAM_MIG_A_SERVER_PORTS]) {
		ret = parse_ports(cfg->sports, &cfg->n_sports,
				  tb[ROAM_MIG_A_SERVER_PORTS], extack);
		if (ret)
			return ret;
	}
	if (tb[ROAM_MIG_A_CLIENT_ID])
		cfg->client_id = nla_get_u32(tb[ROAM_MIG_A_CLIENT_ID]);
	if (tb[ROAM_MIG_A_CLIENT_ENABLE])
		cfg->client_enable = nla_get_u8(tb[ROAM_MIG_A_CLIENT_ENABLE]);
	if (tb[ROAM_MIG_A_SERVER_ENABLE])
		cfg->server_enable = nla_get_u8(tb[ROAM_MIG_A_SERVER_ENABLE]);
	if (tb[ROAM_MIG_A_CONN_MAX])
		cfg->conn_max = nla_get_u32(tb[ROAM_MIG_A_CONN_MAX]);
	return 0;
}

/* One keyed "hmac(sha256)" transform per namespace, made here, not per packet. */
static struct crypto_shash *key_tfm(const struct nlattr *a,
				    struct netlink_ext_ack *extack)
{
	struct crypto_shash *tfm;
	int ret;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm)) {
		NL_SET_ERR_MSG(extack, "no hmac(sha256) in this kernel");
		return tfm;
	}
	ret = crypto_shash_setkey(tfm, nla_data(a), nla_len(a));
	if (ret) {
		crypto_free_shash(tfm);
		NL_SET_ERR_MSG_ATTR(extack, a, "key refused by hmac(sha256)");
		return ERR_PTR(ret);
	}
	return tfm;
}

int roam_mig_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct crypto_shash *tfm = NULL, *old_tfm = NULL;
	struct nlattr *tb[ROAM_MIG_A_MAX + 1];
	struct roam_mig_cfg *cfg, *old;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ROAM_A_MIG))
		return -EINVAL;
	ret = nla_parse_nested(tb, ROAM_MIG_A_MAX, info->attrs[ROAM_A_MIG],
			       mig_policy, info->extack);
	if (ret)
		return ret;
	if (tb[ROAM_MIG_A_KEY]) {
		tfm = key_tfm(tb[ROAM_MIG_A_KEY], info->extack);
		if (IS_ERR(tfm))
			return PTR_ERR(tfm);
	}

	mutex_lock(&rn->lock);
	old = rcu_dereference_protected(rn->mig.cfg, lockdep_is_held(&rn->lock));
	cfg = kmemdup(old, sizeof(*cfg), GFP_KERNEL);
	if (!cfg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = mig_apply(cfg, tb, info->extack);
	if (ret) {
		kfree(cfg);
		goto out;
	}
	rcu_assign_pointer(rn->mig.cfg, cfg);
	kfree_rcu(old, rcu);
	if (tfm) {
		old_tfm = rcu_replace_pointer(rn->mig.tfm, tfm,
					      lockdep_is_held(&rn->lock));
		tfm = NULL;
	}
out:
	mutex_unlock(&rn->lock);
	if (tfm)
		crypto_free_shash(tfm);
	if (old_tfm) {
		/* The packet path may still be verifying with it. */
		synchronize_rcu();
		crypto_free_shash(old_tfm);
	}
	return ret;
}

/* ------------------------------------------------------------ entries */

static size_t conn_size(void)
{
	return nla_total_size(0) +
	       5 * nla_total_size(sizeof(__be32)) +	/* addresses */
	       2 * nla_total_size(sizeof(__be16)) +
	       nla_total_size(sizeof(u8)) +
	       2 * nla_total_size(sizeof(u32)) +
	       2 * nla_total_size(ROAM_MIG_NONCE_LEN) +
	       3 * nla_total_size_64bit(sizeof(u64));
}

static int put_key(struct sk_buff *skb, __be32 laddr, __be16 lport,
		   __be32 raddr, __be16 rport)
{
	return nla_put_in_addr(skb, ROAM_CONN_A_LADDR4, laddr) ||
	       nla_put_be16(skb, ROAM_CONN_A_LPORT, lport) ||
	       nla_put_in_addr(skb, ROAM_CONN_A_RADDR4, raddr) ||
	       nla_put_be16(skb, ROAM_CONN_A_RPORT, rport);
}

static int put_conn(struct sk_buff *skb, const struct roam_conn_info *ci,
		    bool client)
{
	struct nlattr *nest = nla_nest_start(skb, ROAM_A_CONN);

	if (!nest)
		return -EMSGSIZE;
	if (put_key(skb, ci->laddr, ci->lport, ci->raddr, ci->rport) ||
	    nla_put_u8(skb, ROAM_CONN_A_STATE, ci->state) ||
	    nla_put_u32(skb, ROAM_CONN_A_CLIENT_ID, ci->client_id) ||
	    nla_put(skb, ROAM_CONN_A_C_NONCE, ROAM_MIG_NONCE_LEN, ci->c_nonce) ||
	    nla_put(skb, ROAM_CONN_A_S_NONCE, ROAM_MIG_NONCE_LEN, ci->s_nonce) ||
	    nla_put_in_addr(skb, ROAM_CONN_A_ORIG4, ci->orig) ||
	    nla_put_u32(skb, ROAM_CONN_A_COUNTER, ci->counter))
		goto err;
	if (client && nla_put_in_addr(skb, ROAM_CONN_A_CUR4, ci->cur))
		goto err;
	if (!client &&
	    (nla_put_u64_64bit(skb, ROAM_CONN_A_PACKETS_IN, ci->packets_in,
			       ROAM_CONN_A_PAD) ||
	     nla_put_u64_64bit(skb, ROAM_CONN_A_OPT_ADDED, ci->opt_added,
			       ROAM_CONN_A_PAD)))
		goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* The mandatory key of a CONN_* nest, parsed against @policy. */
static int conn_parse(struct genl_info *info, struct nlattr **tb,
		      unsigned int max, const struct nla_policy *policy,
		      struct roam_sconn_key *key)
{
	struct nlattr *nest = info->attrs[ROAM_A_CONN];
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ROAM_A_CONN))
		return -EINVAL;
	ret = nla_parse_nested(tb, max, nest, policy, info->extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, ROAM_CONN_A_LADDR4) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, ROAM_CONN_A_LPORT) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, ROAM_CONN_A_RADDR4) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, ROAM_CONN_A_RPORT))
		return -EINVAL;
	memset(key, 0, sizeof(*key));
	key->laddr = nla_get_in_addr(tb[ROAM_CONN_A_LADDR4]);
	key->lport = nla_get_be16(tb[ROAM_CONN_A_LPORT]);
	key->raddr = nla_get_in_addr(tb[ROAM_CONN_A_RADDR4]);
	key->rport = nla_get_be16(tb[ROAM_CONN_A_RPORT]);
	return 0;
}

int roam_conn_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct nlattr *tb[ROAM_CONN_A_MAX + 1];
	struct roam_sconn_req req = {};
	u32 conn_max;
	int ret;

	ret = conn_parse(info, tb, ROAM_CONN_A_MAX, conn_policy, &req.key);
	if (ret)
		return ret;
	if (tb[ROAM_CONN_A_STATE]) {
		req.has_state = true;
		req.state = nla_get_u8(tb[ROAM_CONN_A_STATE]);
	}
	if (tb[ROAM_CONN_A_CLIENT_ID]) {
		req.has_id = true;
		req.client_id = nla_get_u32(tb[ROAM_CONN_A_CLIENT_ID]);
	}
	if (tb[ROAM_CONN_A_C_NONCE]) {
		req.has_cn = true;
		nla_memcpy(req.c_nonce, tb[ROAM_CONN_A_C_NONCE], ROAM_MIG_NONCE_LEN);
	}
	if (tb[ROAM_CONN_A_S_NONCE]) {
		req.has_sn = true;
		nla_memcpy(req.s_nonce, tb[ROAM_CONN_A_S_NONCE], ROAM_MIG_NONCE_LEN);
	}
	if (tb[ROAM_CONN_A_ORIG4]) {
		req.has_orig = true;
		req.orig = nla_get_in_addr(tb[ROAM_CONN_A_ORIG4]);
	}
	if (tb[ROAM_CONN_A_COUNTER]) {
		req.has_counter = true;
		req.counter = nla_get_u32(tb[ROAM_CONN_A_COUNTER]);
	}
	if (tb[ROAM_CONN_A_MIGRATE]) {
		req.has_migrate = true;
		nla_memcpy(req.migrate, tb[ROAM_CONN_A_MIGRATE],
			   ROAM_MIG_MIGRATE_LEN);
		if ((req.has_orig && memcmp(&req.orig, req.migrate, 4)) ||
		    (req.has_counter &&
		     req.counter != get_unaligned_be32(req.migrate + 4))) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[ROAM_CONN_A_MIGRATE],
					    "MIGRATE disagrees with ORIG4/COUNTER");
			return -EINVAL;
		}
	}

	mutex_lock(&rn->lock);
	conn_max = rcu_dereference_protected(rn->mig.cfg,
					     lockdep_is_held(&rn->lock))->conn_max;
	ret = roam_sconn_set(rn, &req, conn_max);
	mutex_unlock(&rn->lock);
	if (ret == -ENOSPC) {
		roam_stats_inc_bh(rn->stats, ROAM_STAT_MIG_CONN_FULL);
		GENL_SET_ERR_MSG(info, "connection table full (see conn-max)");
	} else if (ret == -ENOKEY) {
		GENL_SET_ERR_MSG(info, "MIGRATING needs the MIGRATE bytes");
		ret = -EINVAL;
	}
	return ret;
}

int roam_conn_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct nlattr *tb[ROAM_CONN_A_RPORT + 1];
	struct roam_sconn_key key;
	int ret;

	ret = conn_parse(info, tb, ROAM_CONN_A_RPORT, conn_key_policy, &key);
	if (ret)
		return ret;
	ret = roam_sconn_del(rn, &key);
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "no such connection");
	return ret;
}

int roam_conn_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));

	mutex_lock(&rn->lock);
	roam_sconns_flush(&rn->mig.sconns);
	mutex_unlock(&rn->lock);
	return 0;
}

int roam_cconn_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));

	mutex_lock(&rn->lock);
	roam_cconns_flush(&rn->mig.cconns);
	mutex_unlock(&rn->lock);
	return 0;
}

/*
 * Dumps, as CLIENT_GET's: the walker survives between calls and restarts
 * after a resize (-EAGAIN), which may repeat entries; the messages then
 * carry NLM_F_DUMP_INTR.
 */
struct conn_dump {
	struct rhashtable_iter it;
	struct roam_sconn_key only;
	bool filter, done;
	u32 restarts;
};

static int conn_fill(struct sk_buff *skb, struct netlink_callback *cb,
		     u8 cmd, const struct roam_conn_info *ci, bool client)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  roam_genl_family(), NLM_F_MULTI, cmd);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (put_conn(skb, ci, client)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int roam_conn_nl_dump_start(struct netlink_callback *cb)
{
	struct roam_net *rn = roam_net(sock_net(cb->skb->sk));
	const struct nlattr *nest, *a[4];
	struct conn_dump *d;
	int i;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	/* Validated against roam_conn_key_req_policy before we are called. */
	nest = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, ROAM_A_CONN);
	if (nest) {
		for (i = 0; i < 4; i++) {
			a[i] = nla_find_nested(nest, ROAM_CONN_A_LADDR4 + i);
			if (!a[i]) {
				kfree(d);
				NL_SET_ERR_MSG(cb->extack, "a filter needs the whole key");
				return -EINVAL;
			}
		}
		d->filter = true;
		d->only.laddr = nla_get_in_addr(a[0]);
		d->only.lport = nla_get_be16(a[1]);
		d->only.raddr = nla_get_in_addr(a[2]);
		d->only.rport = nla_get_be16(a[3]);
	} else {
		rhashtable_walk_enter(&rn->mig.sconns.table, &d->it);
	}
	cb->args[0] = (long)d;
	return 0;
}

int roam_conn_nl_dump_done(struct netlink_callback *cb)
{
	struct conn_dump *d = (struct conn_dump *)cb->args[0];

	if (!d->filter)
		rhashtable_walk_exit(&d->it);
	kfree(d);
	return 0;
}

int roam_conn_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct roam_net *rn = roam_net(sock_net(skb->sk));
	struct conn_dump *d = (struct conn_dump *)cb->args[0];
	struct roam_conn_info ci;
	struct roam_sconn *s;
	int ret = 0;

	if (d->filter) {
		if (d->done)
			return 0;
		d->done = true;
		if (!roam_sconn_get(rn, &d->only, &ci)) {
			NL_SET_ERR_MSG(cb->extack, "no such connection");
			return -ENOENT;
		}
		return conn_fill(skb, cb, ROAM_CMD_CONN_GET, &ci, false) ?: skb->len;
	}
	rhashtable_walk_start(&d->it);
	for (s = rhashtable_walk_peek(&d->it); s;
	     s = rhashtable_walk_next(&d->it)) {
		if (IS_ERR(s)) {
			if (PTR_ERR(s) == -EAGAIN) {
				d->restarts++;
				continue;
			}
			ret = PTR_ERR(s);
			break;
		}
		cb->seq = READ_ONCE(rn->mig.sconns.gen) + d->restarts;
		roam_sconn_info(s, &ci);
		if (conn_fill(skb, cb, ROAM_CMD_CONN_GET, &ci, false))
			break;
	}
	rhashtable_walk_stop(&d->it);
	return ret ?: skb->len;
}

int roam_cconn_nl_dump_start(struct netlink_callback *cb)
{
	struct roam_net *rn = roam_net(sock_net(cb->skb->sk));
	struct conn_dump *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	rhltable_walk_enter(&rn->mig.cconns.table, &d->it);
	cb->args[0] = (long)d;
	return 0;
}

int roam_cconn_nl_dump_done(struct netlink_callback *cb)
{
	struct conn_dump *d = (struct conn_dump *)cb->args[0];

	rhashtable_walk_exit(&d->it);
	kfree(d);
	return 0;
}

int roam_cconn_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct roam_net *rn = roam_net(sock_net(skb->sk));
	struct conn_dump *d = (struct conn_dump *)cb->args[0];
	struct roam_conn_info ci;
	struct roam_cconn *c;
	int ret = 0;

	rhashtable_walk_start(&d->it);
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
		cb->seq = READ_ONCE(rn->mig.cconns.gen) + d->restarts;
		roam_cconn_info(c, &ci);
		if (conn_fill(skb, cb, ROAM_CMD_CCONN_GET, &ci, true))
			break;
	}
	rhashtable_walk_stop(&d->it);
	return ret ?: skb->len;
}

/* ------------------------------------------------------------- events */

void roam_mig_nl_notify_confirmed(struct net *net,
				  const struct roam_mig_event *ev)
{
	struct genl_family *fam = roam_genl_family();
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(fam, net, 0))
		return;
	msg = genlmsg_new(conn_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, fam, 0, ROAM_CMD_EVENT_CONN_CONFIRMED);
	if (!hdr)
		goto err;
	nest = nla_nest_start(msg, ROAM_A_CONN);
	if (!nest ||
	    put_key(msg, ev->key.laddr, ev->key.lport, ev->key.raddr,
		    ev->key.rport) ||
	    nla_put_u8(msg, ROAM_CONN_A_STATE, ROAM_CONN_CONFIRMED) ||
	    nla_put_u64_64bit(msg, ROAM_CONN_A_STALL_NS, ev->stall_ns,
			      ROAM_CONN_A_PAD))
		goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(fam, net, msg, 0, 0, GFP_KERNEL);
	return;
err:
	nlmsg_free(msg);
}
