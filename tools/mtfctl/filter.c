// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl filter add SPEC | add -f FILE: MTF_CMD_FILTER_ADD
 * mtfctl filter del KEY  | del -f FILE: MTF_CMD_FILTER_DEL
 * mtfctl filter [show] [owner N]: MTF_CMD_FILTER_GET (dump)
 * mtfctl filter flush [owner N]: MTF_CMD_FILTER_FLUSH
 *
 * SPEC := FROM [src PREFIX|*] dst ADDR [drop | rate-limit [pps N] [bps R]]
 *         [timeout T | permanent] [owner N] [cookie HEX] [replace]
 * KEY  := FROM [src PREFIX|*] dst ADDR
 * FROM := PATH | unmarked dev IFNAME | unmarked ifindex N
 * PATH := ADDR/MARK[,ADDR/MARK...], oldest router first, MARK in hex
 *
 * "unmarked": packets this router forwards without a path header that
 * arrived on IFNAME.  The name is resolved when the entry is sent, in
 * the namespace of -n.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "mtfctl.h"
#include "util.h"

#define HAS(a)	(1u << (a))

static int dup_word(struct mtf_filter_ent *f, unsigned int attr,
		    const char *word, struct mtf_perr *e)
{
	if (f->has & HAS(attr))
		return mtf_perr(e, "'%s' given twice", word);
	f->has |= HAS(attr);
	return 0;
}

/* argv[0] is the keyword; its value, if it takes one, is argv[1]. */
static int filter_word(int argc, char **argv, bool del,
		       struct mtf_filter_ent *f, struct mtf_perr *e)
{
	const char *w = argv[0];
	uint8_t plen;

	if (!strcmp(w, "dst") || !strcmp(w, "src") || !strcmp(w, "dev") ||
	    !strcmp(w, "ifindex") || (!del && (!strcmp(w, "pps") || !strcmp(w, "bps") ||
		      !strcmp(w, "timeout") || !strcmp(w, "owner") ||
		      !strcmp(w, "cookie"))))
		if (argc < 2)
			return mtf_perr(e, "'%s' needs a value", w);
	if (!strcmp(w, "dst"))
		return dup_word(f, MTF_FILTER_A_DST4, w, e) ? -EINVAL :
		       mtf_parse_ip4(argv[1], &f->dst, "dst", e) ? -EINVAL : 2;
	if (!strcmp(w, "src")) {
		/* "*" is what the paper writes for spoofed sources. */
		if (f->has & HAS(MTF_FILTER_A_SRC_PLEN))
			return mtf_perr(e, "'src' given twice");
		f->has |= HAS(MTF_FILTER_A_SRC_PLEN);
		if (!strcmp(argv[1], "*") || !strcmp(argv[1], "any"))
			return 2;
		if (mtf_parse_prefix4(argv[1], &f->src, &plen, e) < 0)
			return -EINVAL;
		f->src_plen = plen;
		f->has |= HAS(MTF_FILTER_A_SRC4);
		return 2;
	}
	if (!strcmp(w, "dev") || !strcmp(w, "ifindex")) {
		if (!(f->has & HAS(MTF_FILTER_A_IIF)))
			return mtf_perr(e, "'%s' goes with unmarked, not with a PATH", w);
		if (f->iif || f->ifname[0])
			return mtf_perr(e, "interface given twice");
		if (w[0] == 'i')
			return mtf_parse_u32(argv[1], 1, UINT32_MAX, &f->iif,
					     "ifindex", e) ? -EINVAL : 2;
		if (!argv[1][0] || strlen(argv[1]) >= IF_NAMESIZE)
			return mtf_perr(e, "invalid interface name '%s'", argv[1]);
		strcpy(f->ifname, argv[1]);
		return 2;
	}
	if (del)
		return mtf_perr(e, "unexpected argument '%s': filter del takes FROM [src PREFIX] dst ADDR", w);
	if (!strcmp(w, "drop") || !strcmp(w, "rate-limit")) {
		if (f->has & HAS(MTF_FILTER_A_ACTION))
			return mtf_perr(e, "more than one action ('%s')", w);
		f->has |= HAS(MTF_FILTER_A_ACTION);
		f->action = w[0] == 'd' ? MTF_FILTER_DROP : MTF_FILTER_RATELIMIT;
		return 1;
	}
	if (!strcmp(w, "pps")) {
		if (dup_word(f, MTF_FILTER_A_RATE_PPS, w, e) ||
		    mtf_parse_rate(argv[1], false, &f->rate_pps, e))
			return -EINVAL;
		/* The kernel's token bucket counts in nanoseconds per packet. */
		if (f->rate_pps > MTF_FILTER_RATE_PPS_MAX)
			return mtf_perr(e, "invalid packet rate '%s': at most 1g", argv[1]);
		return 2;
	}
	if (!strcmp(w, "bps"))
		return dup_word(f, MTF_FILTER_A_RATE_BPS, w, e) ? -EINVAL :
		       mtf_parse_rate(argv[1], true, &f->rate_bps, e) ? -EINVAL : 2;
	if (!strcmp(w, "timeout") || !strcmp(w, "permanent")) {
		if (dup_word(f, MTF_FILTER_A_TIMEOUT_MS, "timeout", e))
			return -EINVAL;
		if (w[0] == 'p')
			return 1;
		if (mtf_parse_ms(argv[1], &f->timeout_ms, "timeout", e))
			return -EINVAL;
		if (f->timeout_ms > MTF_FILTER_TIMEOUT_MS_MAX)
			return mtf_perr(e, "invalid timeout '%s': at most one day (24h)", argv[1]);
		return 2;
	}
	if (!strcmp(w, "owner"))
		return dup_word(f, MTF_FILTER_A_OWNER, w, e) ? -EINVAL :
		       mtf_parse_u32(argv[1], 0, UINT32_MAX, &f->owner, "owner",
				     e) ? -EINVAL : 2;
	if (!strcmp(w, "cookie"))
		return dup_word(f, MTF_FILTER_A_COOKIE, w, e) ? -EINVAL :
		       mtf_parse_cookie(argv[1], f->cookie, &f->cookie_len,
					e) ? -EINVAL : 2;
	if (!strcmp(w, "replace")) {
		if (f->replace)
			return mtf_perr(e, "'replace' given twice");
		f->replace = true;
		return 1;
	}
	return mtf_perr(e, "unexpected argument '%s'", w);
}

int mtf_filter_args(int argc, char **argv, bool del, struct mtf_filter_ent *f,
		    struct mtf_perr *e)
{
	bool limits;
	int n;

	memset(f, 0, sizeof(*f));
	if (argc == 0)
		return mtf_perr(e, "missing PATH: want ADDR/MARK[,ADDR/MARK...] or unmarked dev IFNAME");
	if (!strcmp(argv[0], "unmarked")) {
		f->has |= HAS(MTF_FILTER_A_IIF);
	} else {
		if (mtf_parse_slots(argv[0], &f->slots, e) < 0)
			return -EINVAL;
		f->has |= HAS(MTF_FILTER_A_SLOTS);
	}
	for (argc--, argv++; argc > 0; argc -= n, argv += n) {
		n = filter_word(argc, argv, del, f, e);
		if (n < 0)
			return n;
	}
	if ((f->has & HAS(MTF_FILTER_A_IIF)) && !f->iif && !f->ifname[0])
		return mtf_perr(e, "missing 'dev IFNAME' after unmarked");
	if (!(f->has & HAS(MTF_FILTER_A_DST4)))
		return mtf_perr(e, "missing 'dst ADDR'");
	/* src * is the absence of SRC4; only the prefix is sent. */
	if (!(f->has & HAS(MTF_FILTER_A_SRC4)))
		f->has &= ~HAS(MTF_FILTER_A_SRC_PLEN);
	if (del)
		return 0;
	limits = f->has & (HAS(MTF_FILTER_A_RATE_PPS) | HAS(MTF_FILTER_A_RATE_BPS));
	if (!(f->has & HAS(MTF_FILTER_A_ACTION))) {
		f->has |= HAS(MTF_FILTER_A_ACTION);
		f->action = MTF_FILTER_DROP;
	}
	if (f->action == MTF_FILTER_RATELIMIT && !limits)
		return mtf_perr(e, "rate-limit needs pps N and/or bps RATE");
	if (f->action == MTF_FILTER_DROP && limits)
		return mtf_perr(e, "pps and bps go with rate-limit, not drop");
	return 0;
}

/* The attributes named in f->has, in a message of at most size bytes. */
int mtf_filter_put(struct nlmsghdr *nlh, size_t size,
		   const struct mtf_filter_ent *f)
{
	struct nlattr *nest;
	bool ok = true;

	nest = mnl_attr_nest_start_check(nlh, size, MTF_A_FILTER);
	if (!nest)
		return -EMSGSIZE;
	if (f->has & HAS(MTF_FILTER_A_IIF))
		ok = mnl_attr_put_u32_check(nlh, size, MTF_FILTER_A_IIF, f->iif);
	else if (mtf_slots_put(nlh, size, MTF_FILTER_A_SLOTS, &f->slots) < 0)
		ok = false;
	if (ok && (f->has & HAS(MTF_FILTER_A_SRC4)))
		ok = mnl_attr_put_u32_check(nlh, size, MTF_FILTER_A_SRC4, f->src) &&
		     mnl_attr_put_u8_check(nlh, size, MTF_FILTER_A_SRC_PLEN,
					   f->src_plen);
	if (ok && (f->has & HAS(MTF_FILTER_A_DST4)))
		ok = mnl_attr_put_u32_check(nlh, size, MTF_FILTER_A_DST4, f->dst);
	if (ok && (f->has & HAS(MTF_FILTER_A_ACTION)))
		ok = mnl_attr_put_u8_check(nlh, size, MTF_FILTER_A_ACTION, f->action);
	if (ok && (f->has & HAS(MTF_FILTER_A_RATE_PPS)))
		ok = mnl_attr_put_u64_check(nlh, size, MTF_FILTER_A_RATE_PPS,
					    f->rate_pps);
	if (ok && (f->has & HAS(MTF_FILTER_A_RATE_BPS)))
		ok = mnl_attr_put_u64_check(nlh, size, MTF_FILTER_A_RATE_BPS,
					    f->rate_bps);
	if (ok && (f->has & HAS(MTF_FILTER_A_TIMEOUT_MS)))
		ok = mnl_attr_put_u32_check(nlh, size, MTF_FILTER_A_TIMEOUT_MS,
					    f->timeout_ms);
	if (ok && (f->has & HAS(MTF_FILTER_A_OWNER)))
		ok = mnl_attr_put_u32_check(nlh, size, MTF_FILTER_A_OWNER, f->owner);
	if (ok && (f->has & HAS(MTF_FILTER_A_COOKIE)))
		ok = mnl_attr_put_check(nlh, size, MTF_FILTER_A_COOKIE,
					f->cookie_len, f->cookie);
	if (!ok) {
		mnl_attr_nest_cancel(nlh, nest);
		return -EMSGSIZE;
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int mtf_filter_parse_nest(const struct nlattr *nest, struct mtf_filter_ent *f)
{
	static const enum mnl_attr_data_type policy[MTF_FILTER_A_MAX + 1] = {
		[MTF_FILTER_A_SLOTS]		= MNL_TYPE_NESTED,
		[MTF_FILTER_A_SRC4]		= MNL_TYPE_U32,
		[MTF_FILTER_A_SRC_PLEN]		= MNL_TYPE_U8,
		[MTF_FILTER_A_DST4]		= MNL_TYPE_U32,
		[MTF_FILTER_A_ACTION]		= MNL_TYPE_U8,
		[MTF_FILTER_A_RATE_PPS]		= MNL_TYPE_U64,
		[MTF_FILTER_A_RATE_BPS]		= MNL_TYPE_U64,
		[MTF_FILTER_A_TIMEOUT_MS]	= MNL_TYPE_U32,
		[MTF_FILTER_A_EXPIRES_MS]	= MNL_TYPE_U64,
		[MTF_FILTER_A_HITS]		= MNL_TYPE_U64,
		[MTF_FILTER_A_BYTES]		= MNL_TYPE_U64,
		[MTF_FILTER_A_DROPS]		= MNL_TYPE_U64,
		[MTF_FILTER_A_IIF]		= MNL_TYPE_U32,
		[MTF_FILTER_A_COOKIE]		= MNL_TYPE_BINARY,
		[MTF_FILTER_A_OWNER]		= MNL_TYPE_U32,
	};
	const struct nlattr *tb[MTF_FILTER_A_MAX + 1];
	unsigned int i;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = genl_attr_parse_nested(nest, policy, tb, MTF_FILTER_A_MAX);
	if (ret < 0)
		return ret;
	for (i = MTF_FILTER_A_PAD + 1; i <= MTF_FILTER_A_MAX; i++)
		if (tb[i])
			f->has |= HAS(i);
	/* A path suffix, or the interface of an unmarked filter. */
	if (tb[MTF_FILTER_A_IIF]) {
		f->iif = mnl_attr_get_u32(tb[MTF_FILTER_A_IIF]);
	} else {
		if (!tb[MTF_FILTER_A_SLOTS])
			return -EBADMSG;
		ret = mtf_slots_parse(tb[MTF_FILTER_A_SLOTS], &f->slots);
		if (ret < 0)
			return ret;
	}
	f->src_plen = 32;
	if (tb[MTF_FILTER_A_SRC4])
		f->src = mnl_attr_get_u32(tb[MTF_FILTER_A_SRC4]);
	if (tb[MTF_FILTER_A_SRC_PLEN])
		f->src_plen = mnl_attr_get_u8(tb[MTF_FILTER_A_SRC_PLEN]);
	if (f->src_plen > 32)
		return -EBADMSG;
	if (tb[MTF_FILTER_A_DST4])
		f->dst = mnl_attr_get_u32(tb[MTF_FILTER_A_DST4]);
	if (tb[MTF_FILTER_A_ACTION])
		f->action = mnl_attr_get_u8(tb[MTF_FILTER_A_ACTION]);
	if (tb[MTF_FILTER_A_RATE_PPS])
		f->rate_pps = mnl_attr_get_u64(tb[MTF_FILTER_A_RATE_PPS]);
	if (tb[MTF_FILTER_A_RATE_BPS])
		f->rate_bps = mnl_attr_get_u64(tb[MTF_FILTER_A_RATE_BPS]);
	if (tb[MTF_FILTER_A_TIMEOUT_MS])
		f->timeout_ms = mnl_attr_get_u32(tb[MTF_FILTER_A_TIMEOUT_MS]);
	if (tb[MTF_FILTER_A_EXPIRES_MS])
		f->expires_ms = mnl_attr_get_u64(tb[MTF_FILTER_A_EXPIRES_MS]);
	if (tb[MTF_FILTER_A_HITS])
		f->hits = mnl_attr_get_u64(tb[MTF_FILTER_A_HITS]);
	if (tb[MTF_FILTER_A_BYTES])
		f->bytes = mnl_attr_get_u64(tb[MTF_FILTER_A_BYTES]);
	if (tb[MTF_FILTER_A_DROPS])
		f->drops = mnl_attr_get_u64(tb[MTF_FILTER_A_DROPS]);
	if (tb[MTF_FILTER_A_OWNER])
		f->owner = mnl_attr_get_u32(tb[MTF_FILTER_A_OWNER]);
	if (tb[MTF_FILTER_A_COOKIE]) {
		f->cookie_len = mnl_attr_get_payload_len(tb[MTF_FILTER_A_COOKIE]);
		if (!f->cookie_len || f->cookie_len > MTF_FILTER_COOKIE_MAX)
			return -EBADMSG;
		memcpy(f->cookie, mnl_attr_get_payload(tb[MTF_FILTER_A_COOKIE]),
		       f->cookie_len);
	}
	return 0;
}

/* "unmarked dev eth0", or by number when the name is unknown here. */
static void print_iif(FILE *fp, const struct mtf_filter_ent *f)
{
	char name[IF_NAMESIZE];

	if (f->ifname[0])
		fprintf(fp, "unmarked dev %s", f->ifname);
	else if (f->iif && if_indextoname(f->iif, name))
		fprintf(fp, "unmarked dev %s", name);
	else
		fprintf(fp, "unmarked ifindex %u", f->iif);
}

static const char *action_name(uint8_t action)
{
	switch (action) {
	case MTF_FILTER_DROP:
		return "drop";
	case MTF_FILTER_RATELIMIT:
		return "rate-limit";
	}
	return NULL;
}

/*
 * The key and action in the syntax of filter add, then the state:
 *   10.0.1.254/0x1a2b3c4d,10.0.3.254/0x51aa300d src * dst 10.0.9.1
 *     rate-limit pps 100 bps 1mbit owner 1 cookie 0a0b
 *     expires 850ms hits 12 bytes 960 drops 2
 */
void mtf_filter_print(FILE *fp, const struct mtf_filter_ent *f)
{
	char a[INET_ADDRSTRLEN], b[MTF_COOKIE_HEX];
	const char *act = action_name(f->action);

	if (MTF_HAS(f, MTF_FILTER_A_IIF))
		print_iif(fp, f);
	else
		mtf_slots_print(fp, &f->slots, ",");
	if (MTF_HAS(f, MTF_FILTER_A_SRC4))
		fprintf(fp, " src %s/%u", mtf_fmt_ip4(f->src, a), f->src_plen);
	else
		fputs(" src *", fp);
	if (MTF_HAS(f, MTF_FILTER_A_DST4))
		fprintf(fp, " dst %s", mtf_fmt_ip4(f->dst, a));
	if (act)
		fprintf(fp, " %s", act);
	else if (MTF_HAS(f, MTF_FILTER_A_ACTION))
		fprintf(fp, " action %u", f->action);
	if (MTF_HAS(f, MTF_FILTER_A_RATE_PPS) && f->rate_pps)
		fprintf(fp, " pps %s", mtf_fmt_rate(f->rate_pps, "", true, b, sizeof(b)));
	if (MTF_HAS(f, MTF_FILTER_A_RATE_BPS) && f->rate_bps)
		fprintf(fp, " bps %s", mtf_fmt_rate(f->rate_bps, "bit", true, b, sizeof(b)));
	if (MTF_HAS(f, MTF_FILTER_A_OWNER))
		fprintf(fp, " owner %u", f->owner);
	if (MTF_HAS(f, MTF_FILTER_A_COOKIE))
		fprintf(fp, " cookie %s", mtf_fmt_cookie(f->cookie, f->cookie_len, b));
	/* The lifetime asked for (requests), then what is left of it. */
	if (MTF_HAS(f, MTF_FILTER_A_TIMEOUT_MS) && f->timeout_ms)
		fprintf(fp, " timeout %u", f->timeout_ms);
	if ((MTF_HAS(f, MTF_FILTER_A_TIMEOUT_MS) && !f->timeout_ms) ||
	    (MTF_HAS(f, MTF_FILTER_A_EXPIRES_MS) && !f->expires_ms))
		fputs(" permanent", fp);
	else if (MTF_HAS(f, MTF_FILTER_A_EXPIRES_MS))
		fprintf(fp, " expires %s", mtf_fmt_ms(f->expires_ms, b, sizeof(b)));
	if (MTF_HAS(f, MTF_FILTER_A_HITS))
		fprintf(fp, " hits %llu", (unsigned long long)f->hits);
	if (MTF_HAS(f, MTF_FILTER_A_BYTES))
		fprintf(fp, " bytes %llu", (unsigned long long)f->bytes);
	if (MTF_HAS(f, MTF_FILTER_A_DROPS))
		fprintf(fp, " drops %llu", (unsigned long long)f->drops);
	fputc('\n', fp);
}

void mtf_filter_out(struct out *o, const struct mtf_filter_ent *f)
{
	static const struct {
		uint16_t attr;
		const char *key;
		size_t off;
	} u64s[] = {
		{ MTF_FILTER_A_RATE_PPS, "rate_pps", offsetof(struct mtf_filter_ent, rate_pps) },
		{ MTF_FILTER_A_RATE_BPS, "rate_bps", offsetof(struct mtf_filter_ent, rate_bps) },
		{ MTF_FILTER_A_EXPIRES_MS, "expires_ms", offsetof(struct mtf_filter_ent, expires_ms) },
		{ MTF_FILTER_A_HITS, "hits", offsetof(struct mtf_filter_ent, hits) },
		{ MTF_FILTER_A_BYTES, "bytes", offsetof(struct mtf_filter_ent, bytes) },
		{ MTF_FILTER_A_DROPS, "drops", offsetof(struct mtf_filter_ent, drops) },
	};
	char a[INET_ADDRSTRLEN], b[MTF_COOKIE_HEX];
	const char *act = action_name(f->action);
	unsigned int i;

	if (MTF_HAS(f, MTF_FILTER_A_IIF)) {
		out_bool(o, "unmarked", true);
		out_u64(o, "iif", f->iif);
		if (f->ifname[0])
			out_str(o, "dev", f->ifname);
		else if (f->iif && if_indextoname(f->iif, b))
			out_str(o, "dev", b);
	} else {
		mtf_slots_out(o, "slots", &f->slots);
	}
	if (MTF_HAS(f, MTF_FILTER_A_SRC4)) {
		snprintf(b, sizeof(b), "%s/%u", mtf_fmt_ip4(f->src, a), f->src_plen);
		out_str(o, "src", b);
	}
	if (MTF_HAS(f, MTF_FILTER_A_DST4))
		out_str(o, "dst", mtf_fmt_ip4(f->dst, a));
	if (act)
		out_str(o, "action", act);
	else if (MTF_HAS(f, MTF_FILTER_A_ACTION))
		out_u64(o, "action", f->action);
	if (MTF_HAS(f, MTF_FILTER_A_TIMEOUT_MS))
		out_u64(o, "timeout_ms", f->timeout_ms);
	for (i = 0; i < ARRAY_SIZE(u64s); i++)
		if (MTF_HAS(f, u64s[i].attr))
			out_u64(o, u64s[i].key,
				*(const uint64_t *)((const char *)f + u64s[i].off));
	/* Last: the keys before them keep their order of old. */
	if (MTF_HAS(f, MTF_FILTER_A_OWNER))
		out_u64(o, "owner", f->owner);
	if (MTF_HAS(f, MTF_FILTER_A_COOKIE))
		out_str(o, "cookie", mtf_fmt_cookie(f->cookie, f->cookie_len, b));
}

static int filter_one(void *arg, const struct mtf_filter_ent *f)
{
	struct out *o = arg;

	if (!o->json) {
		mtf_filter_print(o->fp, f);
		return ferror(o->fp) ? -EIO : 0;
	}
	mtf_filter_out(o, f);
	return out_list_elem(o);
}

/*
 * [owner N] of show and flush: *has is false without it.  Returns CLI_OK
 * or a usage error.
 */
static int owner_arg(struct cli *cli, int argc, char **argv, bool *has,
		     uint32_t *owner)
{
	struct mtf_perr e;

	*has = false;
	if (argc == 0)
		return CLI_OK;
	if (strcmp(argv[0], "owner"))
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (argc < 2)
		return cli_usage_error(cli, "'owner' needs a value");
	if (mtf_parse_u32(argv[1], 0, UINT32_MAX, owner, "owner", &e))
		return mtfctl_usage(cli, &e);
	if (argc > 2)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[2]);
	*has = true;
	return CLI_OK;
}

/* A GET or FLUSH request, selecting one owner's filters if has. */
static struct nlmsghdr *select_req(struct cli *cli, uint8_t cmd, bool has,
				   uint32_t owner)
{
	struct nlmsghdr *nlh = cli_req(cli, cmd);
	struct nlattr *nest;

	if (has) {
		nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
		mnl_attr_put_u32(nlh, MTF_FILTER_A_OWNER, owner);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

static int filter_show(struct cli *cli, int argc, char **argv)
{
	struct mtf_dump dump = { .filter = filter_one, .arg = &cli->out };
	uint32_t owner;
	bool has;
	int ret;

	ret = owner_arg(cli, argc, argv, &has, &owner);
	if (ret != CLI_OK)
		return ret;
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	out_list_begin(&cli->out);
	ret = genl_dump(&cli->gs, select_req(cli, MTF_CMD_FILTER_GET, has, owner),
			mtf_dump_parse, &dump);
	if (ret < 0) {
		out_list_end(&cli->out, true);
		return cli_error(cli, ret, "cannot dump the filters");
	}
	if (out_list_end(&cli->out, false) < 0)
		return cli_error(cli, -EIO, "cannot write output");
	mtf_dump_warn(cli, &dump);
	return CLI_OK;
}

static int filter_flush(struct cli *cli, int argc, char **argv)
{
	uint32_t owner;
	bool has;
	int ret;

	ret = owner_arg(cli, argc, argv, &has, &owner);
	if (ret != CLI_OK)
		return ret;
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	ret = genl_doit(&cli->gs, select_req(cli, MTF_CMD_FILTER_FLUSH, has, owner),
			NULL, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot flush the filters");
	return CLI_OK;
}

/* add and del: one spec from the command line, or -f FILE of them. */
static int filter_change(struct cli *cli, uint8_t cmd, int argc, char **argv)
{
	struct mtf_filter_ent f;
	struct mtf_perr e;
	int ret;

	if (argc > 0 && !strcmp(argv[0], "-f")) {
		if (argc < 2)
			return cli_usage_error(cli, "-f needs a FILE (- for stdin)");
		if (argc > 2)
			return cli_usage_error(cli, "unexpected argument '%s' after -f FILE",
					       argv[2]);
		if (cli->batch_name)
			return cli_usage_error(cli, "-f cannot be used inside a batch file");
		return mtfctl_filter_file(cli, cmd, argv[1]);
	}
	if (mtf_filter_args(argc, argv, cmd == MTF_CMD_FILTER_DEL, &f, &e) < 0)
		return mtfctl_usage(cli, &e);
	ret = mtfctl_batch_entry(cli, cmd, &f);
	return ret != CLI_OK ? ret : mtfctl_batch_line(cli, 0, NULL);
}

static int filter_add(struct cli *cli, int argc, char **argv)
{
	return filter_change(cli, MTF_CMD_FILTER_ADD, argc, argv);
}

static int filter_del(struct cli *cli, int argc, char **argv)
{
	return filter_change(cli, MTF_CMD_FILTER_DEL, argc, argv);
}

static const struct cli_cmd filter_cmds[] = {
	{ "show", filter_show, "[owner N]: list the filters (of one owner) with their counters" },
	{ "add", filter_add, "FROM [src PREFIX|*] dst ADDR [drop | rate-limit [pps N] [bps RATE]]\n"
	  "             [timeout T | permanent] [owner N] [cookie HEX] [replace]   |   add -f FILE\n"
	  "             FROM := PATH | unmarked dev IFNAME" },
	{ "del", filter_del, "FROM [src PREFIX|*] dst ADDR   |   del -f FILE" },
	{ "flush", filter_flush, "[owner N]: remove every filter (of one owner)" },
	{ NULL, NULL, NULL }
};

int mtfctl_filter(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, filter_cmds, argc, argv);
}
