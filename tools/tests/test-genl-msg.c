// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink round trips without a kernel, in the manner of libnftnl's
 * tests: build a reply with libmnl as the kernel would, run it through
 * genl_process() and the parsers, compare.  Includes what a newer kernel
 * may send (unknown attributes, unknown counters: ignored or shown by
 * number) and broken messages (rejected with -EBADMSG, never read past).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mtf.h>
#include <linux/roam.h>

#include "genl.h"
#include "out.h"
#include "stats.h"
#include "tap.h"
#include "util.h"
#include "../mtfctl/mtfctl.h"
#include "../roamctl/roamctl.h"

#define SEQ	77
#define PORTID	1234
#define FAM_ID	0x1b

static struct genl_sock gs;
static char buf[65536] __attribute__((aligned(8)));
static struct genl_status mst;
static struct genl_status rst;

static struct nlmsghdr *msg_start(void *at, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = genl_msg_start(at, type, 0, cmd, 1);

	nlh->nlmsg_flags = 0;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

/* An NLMSG_ERROR (ACK when error is 0) at buf + off; returns new length. */
static size_t put_err(size_t off, int error, const char *msg, bool capped)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + off);
	struct nlmsghdr *echo;
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = error;
	err->msg.nlmsg_len = sizeof(struct nlmsghdr);
	if (!capped) {
		/* The echoed request: a header plus 8 bytes of attributes. */
		err->msg.nlmsg_len += 8;
		echo = mnl_nlmsg_put_extra_header(nlh, 8);
		memset(echo, 0xee, 8);
	}
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return off + nlh->nlmsg_len;
}

static int process(size_t len, genl_cb_t cb, void *data)
{
	memset(&gs, 0, offsetof(struct genl_sock, req));
	gs.seq = SEQ;
	gs.portid = PORTID;
	memset(&mst, 0, sizeof(mst));
	memset(&rst, 0, sizeof(rst));
	return genl_process(&gs, buf, len, cb, data);
}

static struct nlmsghdr *mtf_reply(const char *version, uint64_t cookie)
{
	struct nlmsghdr *nlh = msg_start(buf, FAM_ID, MTF_CMD_STATUS_GET);

	mnl_attr_put_strz(nlh, MTF_A_VERSION, version);
	mnl_attr_put_u64(nlh, MTF_A_NETNS_COOKIE, cookie);
	return nlh;
}

static struct nlattr *stats_start(struct nlmsghdr *nlh)
{
	return mnl_attr_nest_start(nlh, MTF_A_STATS);
}

static void mtf_stats_std(struct nlmsghdr *nlh)
{
	struct nlattr *nest = stats_start(nlh);
	unsigned int i;

	for (i = MTF_STAT_FWD_PACKETS; i <= MTF_STAT_MAX; i++)
		mnl_attr_put_u64(nlh, i, 1000 * i + 7);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * Every counter but the retired one, which an older kernel still sends
 * (mtf_stats_std() does) and the parser skips.
 */
static bool mtf_stats_std_ok(void)
{
	unsigned int i, id = MTF_STAT_FWD_PACKETS;

	if (!mst.has_stats || mst.stats.n != MTF_STAT_MAX - id)
		return false;
	for (i = 0; i < mst.stats.n; i++, id++) {
		if (id == MTF_STAT_RESERVED_33)
			id++;
		if (mst.stats.e[i].id != id ||
		    mst.stats.e[i].val != 1000 * id + 7)
			return false;
	}
	return true;
}

static void t_request(void)
{
	struct nlmsghdr *nlh = genl_msg_start(buf, FAM_ID, NLM_F_ACK,
					      MTF_CMD_STATUS_GET, MTF_GENL_VERSION);
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	tap_ok(nlh->nlmsg_type == FAM_ID &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	       nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN &&
	       g->cmd == MTF_CMD_STATUS_GET && g->version == MTF_GENL_VERSION,
	       "request: STATUS_GET header, no attributes");
}

static void t_mtf_roundtrip(void)
{
	struct nlmsghdr *nlh = mtf_reply("0.1.0-test", 0x1122334455667788ULL);
	int ret;

	mtf_stats_std(nlh);
	ret = put_err(nlh->nlmsg_len, 0, NULL, true);
	ret = process(ret, mtf_status_parse, &mst);
	tap_ok(ret == 0 && mst.has_version && !strcmp(mst.version, "0.1.0-test") &&
	       mst.has_cookie && mst.netns_cookie == 0x1122334455667788ULL &&
	       mtf_stats_std_ok(),
	       "mtf STATUS_GET reply + ACK: every field round-trips (ret %d)", ret);
}

static void t_roam_roundtrip(void)
{
	struct nlmsghdr *nlh = msg_start(buf, FAM_ID, ROAM_CMD_STATUS_GET);
	struct nlattr *nest;
	int ret;

	mnl_attr_put_strz(nlh, ROAM_A_VERSION, "r1");
	mnl_attr_put_u64(nlh, ROAM_A_NETNS_COOKIE, 9);
	nest = mnl_attr_nest_start(nlh, ROAM_A_STATS);
	mnl_attr_put_u64(nlh, ROAM_STAT_IN_PACKETS, 5);
	mnl_attr_put_u64(nlh, ROAM_STAT_IN_BYTES, UINT64_MAX);
	mnl_attr_nest_end(nlh, nest);
	ret = process(nlh->nlmsg_len, roam_status_parse, &rst);
	tap_ok(ret == 1 && !strcmp(rst.version, "r1") && rst.netns_cookie == 9 &&
	       rst.stats.n == 2 && rst.stats.e[0].id == ROAM_STAT_IN_PACKETS &&
	       rst.stats.e[0].val == 5 && rst.stats.e[1].val == UINT64_MAX,
	       "roam STATUS_GET reply without ACK: parsed, more expected (ret %d)", ret);
}

static void t_unknown_attrs(void)
{
	struct nlmsghdr *nlh = mtf_reply("v", 1);
	struct nlattr *nest;
	char want[16], got[16];
	int ret;

	/* Attributes a newer kernel may add, before and after STATS. */
	mnl_attr_put_u32(nlh, MTF_A_MAX + 1, 0xdeadbeef);
	mnl_attr_put_strz(nlh, 300, "future");
	nest = stats_start(nlh);
	mnl_attr_put(nlh, MTF_STAT_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, MTF_STAT_FWD_PACKETS, 3);
	mnl_attr_put_u64(nlh, MTF_STAT_MAX + 5, 42);
	mnl_attr_put_u32(nlh, MTF_STAT_MAX + 6, 1);	/* not a u64: skipped */
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, MTF_A_MAX + 2);
	mnl_attr_put_u8(nlh, 1, 1);
	mnl_attr_nest_end(nlh, nest);
	ret = process(nlh->nlmsg_len, mtf_status_parse, &mst);
	tap_ok(ret == 1 && !strcmp(mst.version, "v") && mst.netns_cookie == 1 &&
	       mst.stats.n == 2 && mst.stats.e[0].val == 3 &&
	       mst.stats.e[1].id == MTF_STAT_MAX + 5 && mst.stats.e[1].val == 42,
	       "unknown attributes and counters from a newer kernel are ignored or kept by number");
	snprintf(want, sizeof(want), "stat%u", MTF_STAT_MAX + 5);
	tap_ok(!strcmp(stats_name(&mtf_stat_names, MTF_STAT_MAX + 5, got,
				  sizeof(got)), want),
	       "an unknown counter is named %s", want);
}

static void t_empty(void)
{
	struct nlmsghdr *nlh = msg_start(buf, FAM_ID, MTF_CMD_STATUS_GET);
	int ret = process(nlh->nlmsg_len, mtf_status_parse, &mst);

	tap_ok(ret == 1 && !mst.has_version && !mst.has_cookie && !mst.has_stats,
	       "a reply without attributes parses and reports nothing");
}

/* Each of these must be refused with -EBADMSG. */
static void t_bad(const char *what, size_t len)
{
	int ret = process(len, mtf_status_parse, &mst);

	tap_ok(ret == -EBADMSG, "rejected: %s (ret %d)", what, ret);
}

static void t_malformed(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest, *a;
	uint8_t junk[3] = { 'x', 'y', 'z' };
	size_t len;

	/* STATS nest claims more bytes than the message holds. */
	nlh = mtf_reply("v", 1);
	nest = stats_start(nlh);
	mnl_attr_put_u64(nlh, MTF_STAT_FWD_PACKETS, 1);
	mnl_attr_nest_end(nlh, nest);
	nest->nla_len += 64;
	t_bad("STATS nest longer than the message", nlh->nlmsg_len);

	/* An attribute inside the nest shorter than its own header. */
	nlh = mtf_reply("v", 1);
	nest = stats_start(nlh);
	mnl_attr_put_u64(nlh, MTF_STAT_FWD_PACKETS, 1);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u64(nlh, MTF_STAT_FWD_BYTES, 2);
	a->nla_len = 2;
	mnl_attr_nest_end(nlh, nest);
	t_bad("counter attribute with nla_len 2 inside STATS", nlh->nlmsg_len);

	/* Trailing bytes in the nest that are not a whole attribute. */
	nlh = mtf_reply("v", 1);
	nest = stats_start(nlh);
	mnl_attr_put_u64(nlh, MTF_STAT_FWD_PACKETS, 1);
	memcpy(mnl_nlmsg_get_payload_tail(nlh), junk, sizeof(junk));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(junk));
	mnl_attr_nest_end(nlh, nest);
	t_bad("STATS nest with 3 bytes of trailing garbage", nlh->nlmsg_len);

	nlh = mtf_reply("v", 1);
	nest = stats_start(nlh);
	mnl_attr_put_u32(nlh, MTF_STAT_FWD_PACKETS, 1);
	mnl_attr_nest_end(nlh, nest);
	t_bad("known counter sent as u32", nlh->nlmsg_len);

	nlh = msg_start(buf, FAM_ID, MTF_CMD_STATUS_GET);
	mnl_attr_put(nlh, MTF_A_VERSION, 3, "abc");
	t_bad("VERSION without its NUL", nlh->nlmsg_len);

	nlh = msg_start(buf, FAM_ID, MTF_CMD_STATUS_GET);
	mnl_attr_put_u32(nlh, MTF_A_NETNS_COOKIE, 1);
	t_bad("NETNS_COOKIE of 4 bytes", nlh->nlmsg_len);

	nlh = msg_start(buf, FAM_ID, MTF_CMD_STATUS_GET);
	mnl_attr_put_u16(nlh, MTF_A_STATS, 0);
	t_bad("STATS nest of 2 bytes", nlh->nlmsg_len);

	nlh = mtf_reply("v", 1);
	mtf_stats_std(nlh);
	t_bad("message cut short of its nlmsg_len", nlh->nlmsg_len - 12);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAM_ID;
	nlh->nlmsg_seq = SEQ;
	t_bad("payload shorter than the genl header", nlh->nlmsg_len);

	/* libmnl's mnl_nlmsg_ok() takes this for a negative length (fuzzer). */
	nlh = mtf_reply("v", 1);
	len = nlh->nlmsg_len;
	nlh->nlmsg_len = 0x98000034;
	t_bad("nlmsg_len above INT_MAX", len);
}

static void t_too_many(void)
{
	struct nlmsghdr *nlh = mtf_reply("v", 1);
	struct nlattr *nest = stats_start(nlh);
	unsigned int i;
	int ret;

	for (i = 0; i <= STATS_MAX; i++)
		mnl_attr_put_u64(nlh, 1000 + i, i);
	mnl_attr_nest_end(nlh, nest);
	ret = process(nlh->nlmsg_len, mtf_status_parse, &mst);
	tap_ok(ret == -E2BIG, "more than %u counters: -E2BIG, no overflow", STATS_MAX);
}

static void t_errors(void)
{
	struct nlmsghdr *nlh;
	size_t len;
	int ret;

	len = put_err(0, -EPERM, "need CAP_NET_ADMIN", true);
	ret = process(len, mtf_status_parse, &mst);
	tap_ok(ret == -EPERM && !strcmp(gs.extack, "need CAP_NET_ADMIN"),
	       "error with extack (capped): -EPERM and the kernel's message");

	len = put_err(0, -EINVAL, "bad attribute", false);
	ret = process(len, mtf_status_parse, &mst);
	tap_ok(ret == -EINVAL && !strcmp(gs.extack, "bad attribute"),
	       "error with extack after the echoed request");

	len = put_err(0, -EINVAL, NULL, true);
	ret = process(len, mtf_status_parse, &mst);
	tap_ok(ret == -EINVAL && !gs.extack[0], "error without extack");

	/* A data message from an earlier request is skipped. */
	nlh = mtf_reply("stale", 1);
	nlh->nlmsg_seq = SEQ - 1;
	len = put_err(nlh->nlmsg_len, 0, NULL, true);
	ret = process(len, mtf_status_parse, &mst);
	tap_ok(ret == 0 && !mst.has_version, "a message with an old sequence number is skipped");

	/* A dump that fails ends with DONE carrying the error. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	nlh->nlmsg_seq = SEQ;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -ENOBUFS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	ret = process(nlh->nlmsg_len, mtf_status_parse, &mst);
	tap_ok(ret == -ENOBUFS && !strcmp(gs.extack, "dump failed"),
	       "DONE with an error and extack ends a dump with that error");

	/* Bogus error codes do not escape as positive values. */
	len = put_err(0, 5, NULL, true);
	ret = process(len, mtf_status_parse, &mst);
	tap_ok(ret == -EPROTO, "positive error code in NLMSG_ERROR: -EPROTO");
}

static void t_family(void)
{
	struct nlmsghdr *nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	struct nlattr *grps, *grp;
	struct genl_family fam = { 0 };
	size_t len;
	int ret;

	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAM_ID);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MTF_GENL_NAME);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, MTF_GENL_VERSION);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, MTF_A_MAX);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 17);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, MTF_GENL_MCGRP_EVENTS);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	len = put_err(nlh->nlmsg_len, 0, NULL, true);
	ret = process(len, genl_family_parse, &fam);
	tap_ok(ret == 0 && fam.id == FAM_ID && !strcmp(fam.name, "mtf") &&
	       fam.version == MTF_GENL_VERSION && fam.maxattr == MTF_A_MAX &&
	       genl_family_mcgrp(&fam, MTF_GENL_MCGRP_EVENTS) == 17 &&
	       genl_family_mcgrp(&fam, "nope") == -ENOENT,
	       "CTRL_CMD_GETFAMILY reply: id, version, multicast group");
}

/* Text output: one column per object, like ethtool -S. */
static void t_output(void)
{
	static const char want[] =
		"version:      v\n"
		"netns_cookie: 1\n"
		"stats:\n"
		"  fwd_packets:      1\n"
		"  fwd_bytes:        2\n"
		"  local_in_packets: 3\n"
		"  local_in_bytes:   4\n"
		"  stat99:           5\n";
	static const char want_json[] =
		"{\"version\":\"v\",\"netns_cookie\":1,\"stats\":{\"fwd_packets\":1,"
		"\"fwd_bytes\":2,\"local_in_packets\":3,\"local_in_bytes\":4,\"stat99\":5}}\n";
	struct stats st = { .n = 5 };
	struct out o;
	char *text = NULL;
	size_t len = 0;
	unsigned int i;
	int pass;
	FILE *f;

	for (i = 0; i < 4; i++) {
		st.e[i].id = MTF_STAT_FWD_PACKETS + i;
		st.e[i].val = i + 1;
	}
	st.e[4].id = 99;
	st.e[4].val = 5;
	for (pass = 0; pass < 2; pass++) {
		f = open_memstream(&text, &len);
		out_init(&o, f, pass, false);
		out_str(&o, "version", "v");
		out_u64(&o, "netns_cookie", 1);
		stats_out(&o, "stats", &st, &mtf_stat_names);
		out_flush(&o);
		fclose(f);
		tap_ok(!strcmp(text, pass ? want_json : want),
		       "%s output of a status", pass ? "JSON" : "text");
		if (strcmp(text, pass ? want_json : want))
			printf("# got:\n%s", text);
		free(text);
	}
}

int main(void)
{
	tap_plan(26);
	t_request();
	t_mtf_roundtrip();
	t_roam_roundtrip();
	t_unknown_attrs();
	t_empty();
	t_malformed();
	t_too_many();
	t_errors();
	t_family();
	t_output();
	return tap_done();
}
