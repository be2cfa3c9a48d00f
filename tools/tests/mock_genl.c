// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
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
	gs->extack_off = -1;
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
	if (!mock.no_mcgrp) {
		snprintf(fam->mcgrps[0].name, GENL_NAMSIZ, "%s", MTF_GENL_MCGRP_EVENTS);
		fam->mcgrps[0].id = MOCK_MCGRP;
		fam->n_mcgrps = 1;
	}
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

static void put_config(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MTF_A_CONFIG);

	mnl_attr_put_u32(nlh, MTF_CFG_A_ROUTER_ADDR4, 0);
	mnl_attr_put_u8(nlh, MTF_CFG_A_SLOTS, 15);
	mnl_attr_put_u32(nlh, MTF_CFG_A_KEY_GRACE_MS, 60000);
	mnl_attr_put_u8(nlh, MTF_CFG_A_SUFFIX_LEN, 2);
	mnl_attr_put_u32(nlh, MTF_CFG_A_PATH_MAX, 65536);
	mnl_attr_put_u32(nlh, MTF_CFG_A_PATH_RATE_THRESH, 0);
	mnl_attr_put_u32(nlh, MTF_CFG_A_FILTER_MAX, 1000000);
	mnl_attr_put_u32(nlh, MTF_CFG_A_FILTER_TIMEOUT_MS, 1000);
	mnl_attr_put_u32(nlh, MTF_CFG_A_PATHS, 3);
	mnl_attr_put_u32(nlh, MTF_CFG_A_FILTERS, 2);
	mnl_attr_put_u32(nlh, MTF_CFG_A_KEY_ID, 1);
	mnl_attr_put_u8(nlh, MTF_CFG_A_ENABLE, 0);
	mnl_attr_put_u8(nlh, MTF_CFG_A_HOOKS, 1);
	mnl_attr_put_u64(nlh, MTF_CFG_A_MAX + 1, 77);	/* newer */
	mnl_attr_nest_end(nlh, nest);
}

static void put_slots(struct nlmsghdr *nlh, uint16_t type,
		      const char *const *addr, const uint32_t *mark,
		      unsigned int n)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type), *s;
	unsigned int i;

	for (i = 0; i < n; i++) {
		s = mnl_attr_nest_start(nlh, MTF_A_SLOT);
		mnl_attr_put_u32(nlh, MTF_SLOT_A_ADDR4, inet_addr(addr[i]));
		mnl_attr_put_u32(nlh, MTF_SLOT_A_MARK, htonl(mark[i]));
		mnl_attr_nest_end(nlh, s);
	}
	mnl_attr_nest_end(nlh, nest);
}

static const char *const r13[] = { "10.0.1.254", "10.0.3.254" };
static const uint32_t m13[] = { 0x1a2b3c4d, 0x51aa300d };

static void put_path(struct nlmsghdr *nlh, bool suffix)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MTF_A_PATH);

	put_slots(nlh, MTF_PATH_A_SLOTS, r13 + suffix, m13 + suffix, 2 - suffix);
	mnl_attr_put_u8(nlh, MTF_PATH_A_SUFFIX, suffix);
	mnl_attr_put_u64(nlh, MTF_PATH_A_PACKETS, 10);
	mnl_attr_put_u64(nlh, MTF_PATH_A_BYTES, 1000);
	mnl_attr_put_u64(nlh, MTF_PATH_A_RATE_PPS, 5);
	mnl_attr_put_u64(nlh, MTF_PATH_A_RATE_BPS, 40000);
	mnl_attr_put_u64(nlh, MTF_PATH_A_FIRST_MS, 12000);
	mnl_attr_put_u64(nlh, MTF_PATH_A_LAST_MS, 150);
	mnl_attr_put_u32(nlh, MTF_PATH_A_DST4, inet_addr("10.0.9.1"));
	mnl_attr_put_u32(nlh, MTF_PATH_A_MAX + 3, 1);	/* newer */
	mnl_attr_nest_end(nlh, nest);
}

/*
 * 0: drop, 1: rate-limit of owner 1 with a cookie, 2: unmarked
 * (ifindex 1, "lo") drop.
 */
static void put_filter(struct nlmsghdr *nlh, int kind)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
	bool ratelimit = kind == 1;

	if (kind == 2)
		mnl_attr_put_u32(nlh, MTF_FILTER_A_IIF, 1);
	else
		put_slots(nlh, MTF_FILTER_A_SLOTS, r13, m13, 2);
	if (ratelimit) {
		mnl_attr_put_u32(nlh, MTF_FILTER_A_SRC4, inet_addr("192.0.2.0"));
		mnl_attr_put_u8(nlh, MTF_FILTER_A_SRC_PLEN, 24);
	}
	mnl_attr_put_u32(nlh, MTF_FILTER_A_DST4, inet_addr("10.0.9.1"));
	mnl_attr_put_u8(nlh, MTF_FILTER_A_ACTION,
			ratelimit ? MTF_FILTER_RATELIMIT : MTF_FILTER_DROP);
	if (ratelimit) {
		mnl_attr_put_u64(nlh, MTF_FILTER_A_RATE_PPS, 100);
		mnl_attr_put_u64(nlh, MTF_FILTER_A_RATE_BPS, 1500000);
	}
	mnl_attr_put_u64(nlh, MTF_FILTER_A_EXPIRES_MS, ratelimit ? 850 : 0);
	mnl_attr_put_u64(nlh, MTF_FILTER_A_HITS, 12);
	mnl_attr_put_u64(nlh, MTF_FILTER_A_BYTES, 960);
	mnl_attr_put_u64(nlh, MTF_FILTER_A_DROPS, 2);
	if (ratelimit) {
		mnl_attr_put_u32(nlh, MTF_FILTER_A_OWNER, MTF_OWNER_MTFD);
		mnl_attr_put(nlh, MTF_FILTER_A_COOKIE, 4, "\x0a\x0b\x0c\x0d");
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_dev(struct nlmsghdr *nlh, uint32_t ifindex, const char *name,
		    uint32_t flags)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MTF_A_DEV);

	mnl_attr_put_u32(nlh, MTF_DEV_A_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, MTF_DEV_A_IFNAME, name);
	mnl_attr_put_u32(nlh, MTF_DEV_A_FLAGS, flags);
	mnl_attr_nest_end(nlh, nest);
}

static struct nlmsghdr *put_err(char *buf, uint32_t seq, uint32_t portid,
				int error, const char *msg, int32_t offs)
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
	if (msg && offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	return nlh;
}

static void log_req(const struct nlmsghdr *req)
{
	size_t len = MNL_ALIGN(req->nlmsg_len);

	if (mock.no_log)
		return;
	if (mock.log_len + len > sizeof(mock.log)) {
		mock.log_full = true;
		return;
	}
	memcpy(mock.log + mock.log_len, req, req->nlmsg_len);
	mock.log_len += len;
}

/*
 * The kernel's policy ranges (kmod/mtf/filter_nl.c), from the same uapi
 * limits: an out-of-range attribute fails the whole message before any
 * entry is applied, as the genetlink core's validation does.
 */
static int filter_ranges(const struct nlmsghdr *req, int32_t *offs)
{
	const char *base = (const char *)req;
	const struct nlattr *a, *b;
	bool bad;

	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != MTF_A_FILTER)
			continue;
		mnl_attr_for_each_nested(b, a) {
			switch (mnl_attr_get_type(b)) {
			case MTF_FILTER_A_RATE_PPS:
				bad = mnl_attr_get_u64(b) > MTF_FILTER_RATE_PPS_MAX;
				break;
			case MTF_FILTER_A_TIMEOUT_MS:
				bad = mnl_attr_get_u32(b) > MTF_FILTER_TIMEOUT_MS_MAX;
				break;
			case MTF_FILTER_A_IIF:
				bad = mnl_attr_get_u32(b) < 1;
				break;
			case MTF_FILTER_A_COOKIE:
				bad = !mnl_attr_get_payload_len(b) ||
				      mnl_attr_get_payload_len(b) > MTF_FILTER_COOKIE_MAX;
				break;
			default:
				bad = false;
			}
			if (bad) {
				*offs = (int32_t)((const char *)b - base);
				return -ERANGE;
			}
		}
	}
	return 0;
}

/*
 * Bulk: count the entries; refuse entry mock.fail_entry, as the kernel
 * does, pointing at its DST4 (inside the nest) when asked to.
 */
static int filter_req(const struct nlmsghdr *req, int32_t *offs)
{
	const char *base = (const char *)req;
	const struct nlattr *a;
	int ret;

	mock.filter_msgs++;
	if (req->nlmsg_len > mock.filter_max_len)
		mock.filter_max_len = req->nlmsg_len;
	ret = filter_ranges(req, offs);
	if (ret)
		return ret;
	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != MTF_A_FILTER)
			continue;
		if (++mock.filter_entries == mock.fail_entry) {
			mock.filter_entries--;
			*offs = mock.no_offs ? -1 :
				(int32_t)((const char *)a - base) + 12;
			return -EEXIST;
		}
	}
	return 0;
}

static struct nlmsghdr *reply_start(char *buf, struct genl_sock *gs,
				    const struct nlmsghdr *req, uint8_t cmd)
{
	struct nlmsghdr *nlh = genl_msg_start(buf, req->nlmsg_type, 0, cmd, 1);

	nlh->nlmsg_flags = req->nlmsg_flags & NLM_F_DUMP ? NLM_F_MULTI : 0;
	nlh->nlmsg_seq = gs->seq;
	nlh->nlmsg_pid = gs->portid;
	return nlh;
}

/* The data part of the answer to an MTF request; returns its length. */
static size_t mtf_reply(char *buf, struct genl_sock *gs,
			const struct nlmsghdr *req, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	size_t len = 0;
	int i;

	switch (cmd) {
	case MTF_CMD_STATUS_GET:
		nlh = reply_start(buf, gs, req, cmd);
		put_status(nlh, true);
		return nlh->nlmsg_len;
	case MTF_CMD_CONFIG_GET:
		nlh = reply_start(buf, gs, req, cmd);
		put_config(nlh);
		return nlh->nlmsg_len;
	case MTF_CMD_MARK_GET:
		nlh = reply_start(buf, gs, req, cmd);
		mnl_attr_put_u32(nlh, MTF_A_MARK, htonl(0x1a2b3c4d));
		mnl_attr_put_u32(nlh, MTF_A_MARK_PREV, htonl(0x0badcafe));
		return nlh->nlmsg_len;
	case MTF_CMD_DEV_GET:
		nlh = reply_start(buf, gs, req, cmd);
		put_dev(nlh, 1, "lo", 0);
		len = nlh->nlmsg_len;
		if (!(req->nlmsg_flags & NLM_F_DUMP))
			return len;
		nlh = reply_start(buf + len, gs, req, cmd);
		put_dev(nlh, 3, "eth1", MTF_DEV_F_BORDER_INGRESS | MTF_DEV_F_ACCOUNT);
		return len + nlh->nlmsg_len;
	case MTF_CMD_PATH_GET:
	case MTF_CMD_FILTER_GET:
		for (i = 0; i < (cmd == MTF_CMD_FILTER_GET ? 3 : 2); i++) {
			nlh = reply_start(buf + len, gs, req, cmd);
			if (cmd == MTF_CMD_PATH_GET)
				put_path(nlh, i);
			else
				put_filter(nlh, i);
			len += nlh->nlmsg_len;
		}
		return len;
	}
	return 0;
}

static int mock_talk(struct genl_sock *gs, struct nlmsghdr *req,
		     genl_cb_t cb, void *data)
{
	static char buf[65536] __attribute__((aligned(8)));
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	bool mtf = req->nlmsg_type == MOCK_MTF_ID;
	bool roam = req->nlmsg_type == MOCK_ROAM_ID;
	struct nlmsghdr *nlh;
	int32_t offs = -1;
	int err = mock.doit_err;
	size_t len = 0;

	mock.requests++;
	gs->extack[0] = '\0';
	gs->extack_off = -1;
	req->nlmsg_seq = ++gs->seq;
	log_req(req);
	if (!err && mtf && (g->cmd == MTF_CMD_FILTER_ADD || g->cmd == MTF_CMD_FILTER_DEL))
		err = filter_req(req, &offs);
	if (!err && mtf)
		len = mtf_reply(buf, gs, req, g->cmd);
	if (!err && roam && g->cmd == ROAM_CMD_STATUS_GET) {
		nlh = reply_start(buf, gs, req, g->cmd);
		put_status(nlh, false);
		len = nlh->nlmsg_len;
	}
	if (req->nlmsg_flags & NLM_F_DUMP && !err) {
		nlh = mnl_nlmsg_put_header(buf + len);
		nlh->nlmsg_type = NLMSG_DONE;
		nlh->nlmsg_flags = NLM_F_MULTI;
		nlh->nlmsg_seq = gs->seq;
		nlh->nlmsg_pid = gs->portid;
		*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	} else {
		nlh = put_err(buf + len, gs->seq, gs->portid, err,
			      err == -EEXIST && !mock.extack ?
			      "mock: filter exists" :
			      err == -ERANGE && !mock.extack ?
			      "integer out of range" : mock.extack, offs);
	}
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

int genl_mcast_join(struct genl_sock *gs, uint32_t group)
{
	(void)gs;
	mock.mcast_group = group;
	return 0;
}

/*
 * Events as the kernel multicasts them (sequence and port 0), then the
 * SIGTERM a user would send: it is raised while blocked and delivered
 * when the caller's wait mask is installed, as inside ppoll().
 */
int genl_recv(struct genl_sock *gs, genl_cb_t cb, void *data,
	      const sigset_t *sigmask)
{
	static char buf[4096] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	sigset_t old;

	if (mock.events) {
		nlh = genl_msg_start(buf, MOCK_MTF_ID, 0, MTF_CMD_EVENT_PATH_RATE, 1);
		nlh->nlmsg_flags = 0;
		if (mock.bad_event) {
			mock.bad_event = false;
			mnl_attr_put_u16(nlh, MTF_A_PATH, 7);
		} else {
			put_path(nlh, false);
		}
		mock.events--;
		return genl_process(gs, buf, nlh->nlmsg_len, cb, data) < 0 ?
		       -EBADMSG : 0;
	}
	raise(SIGTERM);
	sigprocmask(SIG_SETMASK, sigmask, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return -EINTR;
}
