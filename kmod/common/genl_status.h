/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The STATUS_GET reply both modules send: module version, namespace
 * cookie and the namespace's counters in a STATS nest (u64 each, keyed by
 * the family's stat enum).  A header rather than a shared object: each
 * module stays one self-contained .ko.
 */
#ifndef _MTF_COMMON_GENL_STATUS_H
#define _MTF_COMMON_GENL_STATUS_H

#include <net/genetlink.h>

/* One family's attribute types. */
struct genl_status_attrs {
	int version, cookie, pad, stats;	/* top-level attributes */
	int stat_pad, stat_max;			/* the stat enum's PAD, MAX */
	int stat_reserved;			/* retired, not sent; 0: none */
};

static inline size_t genl_status_size(const struct genl_status_attrs *a,
				      const char *version)
{
	return nla_total_size(strlen(version) + 1) +		/* VERSION */
	       nla_total_size_64bit(sizeof(u64)) +		/* NETNS_COOKIE */
	       nla_total_size(0) +				/* STATS */
	       (a->stat_max - a->stat_pad) * nla_total_size_64bit(sizeof(u64));
}

/* @sum: the counters, indexed by the stat enum. */
static inline int genl_status_reply(struct genl_info *info,
				    const struct genl_family *family, u8 cmd,
				    const struct genl_status_attrs *a,
				    const char *version, u64 cookie,
				    const u64 *sum)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(genl_status_size(a, version), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, family, 0, cmd);
	if (!hdr || nla_put_string(msg, a->version, version) ||
	    nla_put_u64_64bit(msg, a->cookie, cookie, a->pad))
		goto err_size;
	nest = nla_nest_start(msg, a->stats);
	if (!nest)
		goto err_size;
	for (i = a->stat_pad + 1; i <= a->stat_max; i++)
		if (i != a->stat_reserved &&
		    nla_put_u64_64bit(msg, i, sum[i], a->stat_pad))
			goto err_size;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	/* genl_status_size() is wrong: a bug, but not one to crash over. */
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "status reply does not fit");
	return -EMSGSIZE;
}

#endif
