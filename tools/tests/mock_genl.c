// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/mtf.h>
#include <linux/roam.h>

#include "genl.h"
#include "mock.h"

struct mock mock;

int genl_netns_enter(const char *name)
{
	snprintf(mock.netns, sizeof(mock.netns), "%s", name);
	return mock.netns_err;
}

int genl_open(struct genl_sock *gs)
{
	mock.opens++;
	gs->nl = NULL;
	gs->seq = 1000;
	gs->portid = 4711;
	gs->extack[0] = '\0';
	return 0;
}

void genl_close(struct genl_sock *gs)
{
	gs->nl = NULL;
}

int genl_family_get(struct genl_sock *gs, const char *name,
		    struct genl_family *fam)
{
	(void)gs;
	memset(fam, 0, sizeof(*fam));
	if (mock.no_family)
		return -ENOENT;
	snprintf(fam->name, sizeof(fam->name), "%s", name);
	fam->version = 1;
	if (!strcmp(name, MTF_GENL_NAME))
		fam->id = MOCK_MTF_ID;
	else if (!strcmp(name, ROAM_GENL_NAME))
		fam->id = MOCK_ROAM_ID;
	else
		return -ENOENT;
	return 0;
}

struct nlmsghdr *genl_req(struct genl_sock *gs, uint16_t type, uint8_t cmd,
			  uint8_t version)
{
	return genl_msg_start(gs->req, type, 0, cmd, version);
}

/* A STATUS_GET reply; attribute numbers differ per family in general. */
static void put_status(struct nlmsghdr *nlh, bool mtf)
{
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, mtf ? MTF_A_VERSION : ROAM_A_VERSION,
			  "1.2.3-mock");
	mnl_attr_put_u64(nlh, mtf ? MTF_A_NETNS_COOKIE : ROAM_A_NETNS_COOKIE,
			 4242);
	nest = mnl_attr_nest_start(nlh, mtf ? MTF_A_STATS : ROAM_A_STATS);
	if (mtf) {
		mnl_attr_put_u64(nlh, MTF_STAT_FWD_PACKETS, 11);
		mnl_attr_put_u64(nlh, MTF_STAT_FWD_BYTES, 1100);
		mnl_attr_put_u64(nlh, MTF_STAT_LOCAL_IN_PACKETS, 22);
		mnl_attr_put_u64(nlh, MTF_STAT_LOCAL_IN_BYTES, 2200);
	} else {
		mnl_attr_put_u64(nlh, ROAM_STAT_IN_PACKETS, 33);
		mnl_attr_put_u64(nlh, ROAM_STAT_IN_BYTES, 3300);
	}
	/* A counter from a newer kernel. */
	mnl_attr_put_u64(nlh, 99, 18446744073709551615ULL);
	mnl_attr_nest_end(nlh, nest);
}

static struct nlmsghdr *put_err(char *buf, uint32_t seq, uint32_t portid,
				int error, const char *msg)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | (msg ? NLM_F_ACK_TLVS : 0);
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = error;
	err->msg.nlmsg_len = sizeof(struct nlmsghdr);
	err->msg.nlmsg_seq = seq;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	return nlh;
}

static int mock_talk(struct genl_sock *gs, struct nlmsghdr *req,
		     genl_cb_t cb, void *data)
{
	static char buf[8192] __attribute__((aligned(8)));
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	bool mtf = req->nlmsg_type == MOCK_MTF_ID;
	bool roam = req->nlmsg_type == MOCK_ROAM_ID;
	struct nlmsghdr *nlh;
	size_t len = 0;

	mock.requests++;
	gs->extack[0] = '\0';
	req->nlmsg_seq = ++gs->seq;
	if (!mock.doit_err && ((mtf && g->cmd == MTF_CMD_STATUS_GET) ||
				(roam && g->cmd == ROAM_CMD_STATUS_GET))) {
		nlh = genl_msg_start(buf, req->nlmsg_type, 0, g->cmd, 1);
		nlh->nlmsg_flags = 0;
		nlh->nlmsg_seq = gs->seq;
		nlh->nlmsg_pid = gs->portid;
		put_status(nlh, mtf);
		len = nlh->nlmsg_len;
	}
	nlh = put_err(buf + len, gs->seq, gs->portid,
		      mock.doit_err ? mock.doit_err : 0, mock.extack);
	len += nlh->nlmsg_len;
	return genl_process(gs, buf, len, cb, data);
}

int genl_doit(struct genl_sock *gs, struct nlmsghdr *nlh, genl_cb_t cb,
	      void *data)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	return mock_talk(gs, nlh, cb, data);
}

int genl_dump(struct genl_sock *gs, struct nlmsghdr *nlh, genl_cb_t cb,
	      void *data)
{
	nlh->nlmsg_flags |= NLM_F_DUMP;
	return mock_talk(gs, nlh, cb, data);
}
