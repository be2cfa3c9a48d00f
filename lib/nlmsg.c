// SPDX-License-Identifier: GPL-2.0
/*
 * The byte-level half of the netlink layer: building request headers,
 * walking replies (data, ACK, DONE, errors with extended ACK) and parsing
 * attributes.  No sockets here, so tests and fuzzers can feed it buffers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "genl.h"

struct nlmsghdr *genl_msg_start(void *buf, uint16_t type, uint16_t flags,
				uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/*
 * Walk the attributes in [buf, buf + len).  Bytes left over that do not
 * form a whole attribute mean a malformed message: the kernel never sends
 * them, so refuse rather than silently stop, as mnl_attr_parse() would.
 */
int genl_attr_foreach(const void *buf, size_t len,
		      int (*fn)(const struct nlattr *attr, void *data),
		      void *data)
{
	const struct nlattr *attr = buf;
	int rem = len;
	int ret;

	if (len > INT32_MAX)
		return -EMSGSIZE;
	while (mnl_attr_ok(attr, rem)) {
		ret = fn(attr, data);
		if (ret < 0)
			return ret;
		rem -= MNL_ALIGN(attr->nla_len);
		attr = mnl_attr_next(attr);
	}
	return rem > 0 ? -EBADMSG : 0;
}

struct attr_table {
	const enum mnl_attr_data_type *policy;
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_table_cb(const struct nlattr *attr, void *data)
{
	struct attr_table *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* Newer kernels may send more: ignore what we do not know. */
	if (type > t->max)
		return 0;
	if (t->policy && mnl_attr_validate(attr, t->policy[type]) < 0)
		return -EBADMSG;
	t->tb[type] = attr;
	return 0;
}

static int attr_parse_buf(const void *buf, size_t len,
			  const enum mnl_attr_data_type *policy,
			  const struct nlattr **tb, unsigned int max)
{
	struct attr_table t = { policy, tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return genl_attr_foreach(buf, len, attr_table_cb, &t);
}

int genl_attr_parse(const struct nlmsghdr *nlh,
		    const enum mnl_attr_data_type *policy,
		    const struct nlattr **tb, unsigned int max)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	if (len < GENL_HDRLEN)
		return -EBADMSG;
	return attr_parse_buf((const char *)mnl_nlmsg_get_payload(nlh) +
			      GENL_HDRLEN, len - GENL_HDRLEN, policy, tb, max);
}

int genl_attr_parse_nested(const struct nlattr *nest,
			   const enum mnl_attr_data_type *policy,
			   const struct nlattr **tb, unsigned int max)
{
	return attr_parse_buf(mnl_attr_get_payload(nest),
			      mnl_attr_get_payload_len(nest), policy, tb, max);
}

/*
 * Extended ACK TLVs follow the nlmsgerr (and, without NETLINK_CAP_ACK,
 * the echoed request).  A malformed TLV area only costs us the message,
 * never the error code, so it is not an error in itself.
 */
static void extack_parse(struct genl_sock *gs, const struct nlmsghdr *nlh,
			 size_t off)
{
	static const enum mnl_attr_data_type policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = MNL_TYPE_NUL_STRING,
		[NLMSGERR_ATTR_OFFS] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	gs->extack_off = -1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off > len)
		return;
	if (attr_parse_buf((const char *)mnl_nlmsg_get_payload(nlh) + off,
			   len - off, policy, tb, NLMSGERR_ATTR_MAX) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(gs->extack, sizeof(gs->extack), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	/* Bulk requests map it back to the entry (and input line) at fault. */
	if (tb[NLMSGERR_ATTR_OFFS] &&
	    mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]) <= INT32_MAX)
		gs->extack_off = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

static int error_parse(struct genl_sock *gs, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
		return -EBADMSG;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return -EBADMSG;
		off += MNL_ALIGN((size_t)err->msg.nlmsg_len -
				 sizeof(struct nlmsghdr));
	}
	extack_parse(gs, nlh, off);
	/* error 0 is the ACK that ends a doit; errors are negative errnos. */
	if (err->error > 0 || err->error < -4095)
		return -EPROTO;
	return err->error;
}

/* A dump ends with DONE, which carries an error code since Linux 4.x. */
static int done_parse(struct genl_sock *gs, const struct nlmsghdr *nlh)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	extack_parse(gs, nlh, sizeof(err));
	if (err > 0 || err < -4095)
		return -EPROTO;
	return err;
}

/*
 * mnl_nlmsg_ok() compares (int)nlmsg_len with the bytes left, so a length
 * above INT_MAX passes as negative and the walk jumps out of the buffer.
 */
static bool nlmsg_ok(const struct nlmsghdr *nlh, int rem)
{
	return rem >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)rem;
}

/*
 * Run the callback over each data message in buf.  Returns 1 when more
 * messages are expected, 0 when the kernel signalled the end (ACK or
 * DONE), or a negative errno (the kernel's, the callback's, or -EBADMSG).
 */
int genl_process(struct genl_sock *gs, const void *buf, size_t len,
		 genl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh = buf;
	int rem = len;
	int ret;

	if (len > INT32_MAX)
		return -EMSGSIZE;
	for (; nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		/*
		 * Leftovers of an earlier request we stopped reading early
		 * carry an older sequence number: skip them.
		 */
		if (!mnl_nlmsg_seq_ok(nlh, gs->seq) ||
		    !mnl_nlmsg_portid_ok(nlh, gs->portid))
			continue;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_ERROR:
			return error_parse(gs, nlh);
		case NLMSG_DONE:
			return done_parse(gs, nlh);
		case NLMSG_OVERRUN:
			return -ENOBUFS;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !cb)
			continue;
		ret = cb(nlh, data);
		if (ret < 0)
			return ret;
	}
	return rem > 0 ? -EBADMSG : 1;
}

static int mcgrp_cb(const struct nlattr *attr, void *data)
{
	static const enum mnl_attr_data_type policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = MNL_TYPE_NUL_STRING,
		[CTRL_ATTR_MCAST_GRP_ID] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct genl_family *fam = data;
	int ret;

	ret = genl_attr_parse_nested(attr, policy, tb, CTRL_ATTR_MCAST_GRP_MAX);
	if (ret < 0)
		return ret;
	if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID] ||
	    fam->n_mcgrps == GENL_MAX_MCGRPS)
		return 0;
	snprintf(fam->mcgrps[fam->n_mcgrps].name, GENL_NAMSIZ, "%s",
		 mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]));
	fam->mcgrps[fam->n_mcgrps++].id =
		mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return 0;
}

/* genl_cb_t for a CTRL_CMD_GETFAMILY reply; data is a genl_family. */
int genl_family_parse(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = MNL_TYPE_U16,
		[CTRL_ATTR_FAMILY_NAME] = MNL_TYPE_NUL_STRING,
		[CTRL_ATTR_VERSION] = MNL_TYPE_U32,
		[CTRL_ATTR_MAXATTR] = MNL_TYPE_U32,
		[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genl_family *fam = data;
	const struct nlattr *grps;
	int ret;

	ret = genl_attr_parse(nlh, policy, tb, CTRL_ATTR_MAX);
	if (ret < 0)
		return ret;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return -EBADMSG;
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_FAMILY_NAME])
		snprintf(fam->name, sizeof(fam->name), "%s",
			 mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]));
	if (tb[CTRL_ATTR_VERSION])
		fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MAXATTR])
		fam->maxattr = mnl_attr_get_u32(tb[CTRL_ATTR_MAXATTR]);
	grps = tb[CTRL_ATTR_MCAST_GROUPS];
	if (!grps)
		return 0;
	fam->n_mcgrps = 0;
	return genl_attr_foreach(mnl_attr_get_payload(grps),
				 mnl_attr_get_payload_len(grps), mcgrp_cb, fam);
}

/* Multicast group id by name, or -ENOENT. */
int genl_family_mcgrp(const struct genl_family *fam, const char *name)
{
	unsigned int i;

	for (i = 0; i < fam->n_mcgrps; i++)
		if (!strcmp(fam->mcgrps[i].name, name))
			return fam->mcgrps[i].id;
	return -ENOENT;
}
