// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/roam.h>

#include "genl.h"
#include "mock_roam.h"

struct mock_roam mock_roam;

int genl_netns_enter(const char *name)
{
	(void)name;
	return 0;
}

int genl_open(struct genl_sock *gs)
{
	gs->nl = NULL;
	gs->seq = 500;
	gs->portid = 99;
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
	snprintf(fam->name, sizeof(fam->name), "%s", name);
	fam->id = MOCK_ROAM_FAM;
	fam->version = ROAM_GENL_VERSION;
	fam->n_mcgrps = 1;
	snprintf(fam->mcgrps[0].name, GENL_NAMSIZ, ROAM_GENL_MCGRP_EVENTS);
	fam->mcgrps[0].id = MOCK_ROAM_GRP;
	return 0;
}

struct nlmsghdr *genl_req(struct genl_sock *gs, uint16_t type, uint8_t cmd,
			  uint8_t version)
{
	return genl_msg_start(gs->req, type, 0, cmd, version);
}

static size_t put_end(char *buf, uint32_t seq, uint32_t portid, bool dump)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *err;

	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	if (dump && !mock_roam.err) {
		nlh->nlmsg_type = NLMSG_DONE;
		nlh->nlmsg_flags = NLM_F_MULTI;
		*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
		return nlh->nlmsg_len;
	}
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED |
			   (mock_roam.extack ? NLM_F_ACK_TLVS : 0);
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = mock_roam.err;
	err->msg.nlmsg_len = sizeof(struct nlmsghdr);
	if (mock_roam.extack)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, mock_roam.extack);
	return nlh->nlmsg_len;
}

static int talk(struct genl_sock *gs, struct nlmsghdr *req, genl_cb_t cb,
		void *data, bool dump)
{
	static char buf[32768] __attribute__((aligned(8)));
	size_t len = 0;

	mock_roam.requests++;
	req->nlmsg_seq = ++gs->seq;
	mock_roam.req_flags = req->nlmsg_flags;
	memcpy(mock_roam.req, req, req->nlmsg_len);
	gs->extack[0] = '\0';
	if (mock_roam.reply && !mock_roam.err)
		len = mock_roam.reply(buf, gs->seq, gs->portid);
	len += put_end(buf + len, gs->seq, gs->portid, dump);
	return genl_process(gs, buf, len, cb, data);
}

int genl_doit(struct genl_sock *gs, struct nlmsghdr *nlh, genl_cb_t cb,
	      void *data)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	return talk(gs, nlh, cb, data, false);
}

int genl_dump(struct genl_sock *gs, struct nlmsghdr *nlh, genl_cb_t cb,
	      void *data)
{
	nlh->nlmsg_flags |= NLM_F_DUMP;
	return talk(gs, nlh, cb, data, true);
}
