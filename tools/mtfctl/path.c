// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl path [show [suffix|full]]: MTF_CMD_PATH_GET (dump)
 * mtfctl path flush: MTF_CMD_PATH_FLUSH
 *
 * One line per path, as conntrack prints flows:
 *   10.0.1.254/0x1a2b3c4d > 10.0.3.254/0x51aa300d dst 10.0.9.1
 *     packets 10 bytes 1000 rate 5pps 40kbit first 12.0s last 150ms
 * ("... > " in front marks a suffix aggregate).
 */
#include <errno.h>
#include <string.h>

#include "mtfctl.h"
#include "util.h"

int mtf_path_parse_nest(const struct nlattr *nest, struct mtf_path_ent *p)
{
	static const enum mnl_attr_data_type policy[MTF_PATH_A_MAX + 1] = {
		[MTF_PATH_A_SLOTS]	= MNL_TYPE_NESTED,
		[MTF_PATH_A_SUFFIX]	= MNL_TYPE_U8,
		[MTF_PATH_A_PACKETS]	= MNL_TYPE_U64,
		[MTF_PATH_A_BYTES]	= MNL_TYPE_U64,
		[MTF_PATH_A_RATE_PPS]	= MNL_TYPE_U64,
		[MTF_PATH_A_RATE_BPS]	= MNL_TYPE_U64,
		[MTF_PATH_A_FIRST_MS]	= MNL_TYPE_U64,
		[MTF_PATH_A_LAST_MS]	= MNL_TYPE_U64,
		[MTF_PATH_A_DST4]	= MNL_TYPE_U32,
	};
	static const size_t u64s[][2] = {
		{ MTF_PATH_A_PACKETS, offsetof(struct mtf_path_ent, packets) },
		{ MTF_PATH_A_BYTES, offsetof(struct mtf_path_ent, bytes) },
		{ MTF_PATH_A_RATE_PPS, offsetof(struct mtf_path_ent, rate_pps) },
		{ MTF_PATH_A_RATE_BPS, offsetof(struct mtf_path_ent, rate_bps) },
		{ MTF_PATH_A_FIRST_MS, offsetof(struct mtf_path_ent, first_ms) },
		{ MTF_PATH_A_LAST_MS, offsetof(struct mtf_path_ent, last_ms) },
	};
	const struct nlattr *tb[MTF_PATH_A_MAX + 1];
	unsigned int i;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = genl_attr_parse_nested(nest, policy, tb, MTF_PATH_A_MAX);
	if (ret < 0)
		return ret;
	for (i = MTF_PATH_A_PAD + 1; i <= MTF_PATH_A_MAX; i++)
		if (tb[i])
			p->has |= 1u << i;
	/* Without its slots an entry says nothing. */
	if (!tb[MTF_PATH_A_SLOTS])
		return -EBADMSG;
	ret = mtf_slots_parse(tb[MTF_PATH_A_SLOTS], &p->slots);
	if (ret < 0)
		return ret;
	if (tb[MTF_PATH_A_SUFFIX])
		p->suffix = mnl_attr_get_u8(tb[MTF_PATH_A_SUFFIX]);
	if (tb[MTF_PATH_A_DST4])
		p->dst = mnl_attr_get_u32(tb[MTF_PATH_A_DST4]);
	for (i = 0; i < ARRAY_SIZE(u64s); i++)
		if (tb[u64s[i][0]])
			*(uint64_t *)((char *)p + u64s[i][1]) =
				mnl_attr_get_u64(tb[u64s[i][0]]);
	return 0;
}

void mtf_path_print(FILE *fp, const struct mtf_path_ent *p)
{
	char a[INET_ADDRSTRLEN], b[32], c[32];

	fputs(p->suffix ? "... > " : "", fp);
	mtf_slots_print(fp, &p->slots, " > ");
	if (MTF_HAS(p, MTF_PATH_A_DST4))
		fprintf(fp, " dst %s", mtf_fmt_ip4(p->dst, a));
	if (MTF_HAS(p, MTF_PATH_A_PACKETS))
		fprintf(fp, " packets %llu", (unsigned long long)p->packets);
	if (MTF_HAS(p, MTF_PATH_A_BYTES))
		fprintf(fp, " bytes %llu", (unsigned long long)p->bytes);
	if (MTF_HAS(p, MTF_PATH_A_RATE_PPS) || MTF_HAS(p, MTF_PATH_A_RATE_BPS))
		fprintf(fp, " rate %s %s",
			mtf_fmt_rate(p->rate_pps, "pps", false, b, sizeof(b)),
			mtf_fmt_rate(p->rate_bps, "bit", false, c, sizeof(c)));
	if (MTF_HAS(p, MTF_PATH_A_FIRST_MS))
		fprintf(fp, " first %s", mtf_fmt_ms(p->first_ms, b, sizeof(b)));
	if (MTF_HAS(p, MTF_PATH_A_LAST_MS))
		fprintf(fp, " last %s", mtf_fmt_ms(p->last_ms, b, sizeof(b)));
	fputc('\n', fp);
}

void mtf_path_out(struct out *o, const struct mtf_path_ent *p)
{
	static const struct {
		uint16_t attr;
		const char *key;
		size_t off;
	} u64s[] = {
		{ MTF_PATH_A_PACKETS, "packets", offsetof(struct mtf_path_ent, packets) },
		{ MTF_PATH_A_BYTES, "bytes", offsetof(struct mtf_path_ent, bytes) },
		{ MTF_PATH_A_RATE_PPS, "rate_pps", offsetof(struct mtf_path_ent, rate_pps) },
		{ MTF_PATH_A_RATE_BPS, "rate_bps", offsetof(struct mtf_path_ent, rate_bps) },
		{ MTF_PATH_A_FIRST_MS, "first_ms", offsetof(struct mtf_path_ent, first_ms) },
		{ MTF_PATH_A_LAST_MS, "last_ms", offsetof(struct mtf_path_ent, last_ms) },
	};
	char a[INET_ADDRSTRLEN];
	unsigned int i;

	mtf_slots_out(o, "slots", &p->slots);
	out_bool(o, "suffix", p->suffix);
	if (MTF_HAS(p, MTF_PATH_A_DST4))
		out_str(o, "dst", mtf_fmt_ip4(p->dst, a));
	for (i = 0; i < ARRAY_SIZE(u64s); i++)
		if (MTF_HAS(p, u64s[i].attr))
			out_u64(o, u64s[i].key,
				*(const uint64_t *)((const char *)p + u64s[i].off));
}

enum { SHOW_ALL, SHOW_SUFFIX, SHOW_FULL };

struct path_show {
	struct cli *cli;
	int which;
};

static int path_one(void *arg, const struct mtf_path_ent *p)
{
	struct path_show *ps = arg;
	struct out *o = &ps->cli->out;

	if ((ps->which == SHOW_SUFFIX && !p->suffix) ||
	    (ps->which == SHOW_FULL && p->suffix))
		return 0;
	if (!o->json) {
		mtf_path_print(o->fp, p);
		return ferror(o->fp) ? -EIO : 0;
	}
	mtf_path_out(o, p);
	return out_list_elem(o);
}

static int path_show(struct cli *cli, int argc, char **argv)
{
	struct path_show ps = { cli, SHOW_ALL };
	struct mtf_dump dump = { .path = path_one, .arg = &ps };
	int ret;

	if (argc > 0 && !strcmp(argv[0], "suffix"))
		ps.which = SHOW_SUFFIX;
	else if (argc > 0 && !strcmp(argv[0], "full"))
		ps.which = SHOW_FULL;
	else if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s': want suffix or full",
				       argv[0]);
	if (argc > 1)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[1]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	out_list_begin(&cli->out);
	ret = genl_dump(&cli->gs, cli_req(cli, MTF_CMD_PATH_GET),
			mtf_dump_parse, &dump);
	if (ret < 0) {
		out_list_end(&cli->out, true);
		return cli_error(cli, ret, "cannot dump the paths");
	}
	if (out_list_end(&cli->out, false) < 0)
		return cli_error(cli, -EIO, "cannot write output");
	mtf_dump_warn(cli, &dump);
	return CLI_OK;
}

static int path_flush(struct cli *cli, int argc, char **argv)
{
	int ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	ret = genl_doit(&cli->gs, cli_req(cli, MTF_CMD_PATH_FLUSH), NULL, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot flush the paths");
	return CLI_OK;
}

static const struct cli_cmd path_cmds[] = {
	{ "show", path_show, "[suffix|full]  accounted paths and path suffixes" },
	{ "flush", path_flush, "forget every accounted path" },
	{ NULL, NULL, NULL }
};

int mtfctl_path(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, path_cmds, argc, argv);
}
