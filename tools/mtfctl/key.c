// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl key rotate [KEYHEX | file PATH]: MTF_CMD_KEY_ROTATE
 * mtfctl mark get DST: MTF_CMD_MARK_GET
 *
 * A key on the command line is visible to every local user in ps, so
 * "file PATH" is the way for real secrets; like ssh with its private
 * keys, we refuse a file that others may read.  Copies of the key are
 * wiped once the request is sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "mtfctl.h"
#include "secfile.h"

/*
 * Through the daemons' secret-file reader (lib/secfile.c): a file must be
 * ours or root's, mode 600 or tighter, not a symlink, as ssh insists for
 * private keys; "-" reads standard input (a pipe from a generator).
 */
int mtf_key_file(const char *path, uint8_t *key, struct mtf_perr *e)
{
	bool in = !strcmp(path, "-");
	char err[512], *data;
	size_t len;
	int ret;

	ret = in ? roam_fd_read(0, "stdin", true, &data, &len, err, sizeof(err)) :
		   roam_file_read(path, true, &data, &len, err, sizeof(err));
	if (ret)
		return mtf_perr(e, "key file %s", err);
	ret = mtf_parse_key(data, key, e);
	roam_file_free(data, len);
	return ret;
}

static int key_rotate(struct cli *cli, int argc, char **argv)
{
	uint8_t key[MTF_KEY_LEN];
	struct nlmsghdr *nlh;
	struct mtf_perr e;
	bool has_key = argc > 0;
	int ret = 0;

	if (argc > 0 && !strcmp(argv[0], "file")) {
		if (argc < 2)
			return cli_usage_error(cli, "'file' needs a PATH (- for stdin)");
		if (argc > 2)
			return cli_usage_error(cli, "unexpected argument '%s'", argv[2]);
	} else if (argc > 1) {
		return cli_usage_error(cli, "unexpected argument '%s'", argv[1]);
	} else if (argc == 1) {
		ret = mtf_parse_key(argv[0], key, &e);
	}
	if (ret < 0)
		return mtfctl_usage(cli, &e);
	if (argc == 2 && mtf_key_file(argv[1], key, &e) < 0) {
		fprintf(stderr, "%s: %s\n", cli->prog->name, e.msg);
		return CLI_ERR;
	}
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		goto out;
	nlh = cli_req(cli, MTF_CMD_KEY_ROTATE);
	if (has_key)
		mnl_attr_put(nlh, MTF_A_KEY, MTF_KEY_LEN, key);
	ret = genl_doit(&cli->gs, nlh, NULL, NULL);
	explicit_bzero(cli->gs.req, sizeof(cli->gs.req));
	if (ret < 0)
		ret = cli_error(cli, ret, "cannot rotate the key");
	else
		ret = CLI_OK;
out:
	explicit_bzero(key, sizeof(key));
	return ret;
}

static const struct cli_cmd key_cmds[] = {
	{ "rotate", key_rotate, "[KEYHEX | file PATH]  new mark key (random if none given);\n"
	  "             the old one stays valid for key-grace" },
	{ NULL, NULL, NULL }
};

int mtfctl_key(struct cli *cli, int argc, char **argv)
{
	/* No default: rotating is not something to do by accident. */
	if (argc == 0) {
		cli->cmds = key_cmds;
		return cli_usage_error(cli, "key needs a command");
	}
	return cli_dispatch(cli, key_cmds, argc, argv);
}

/* genl_cb_t for the MARK_GET reply. */
int mtf_mark_parse(const struct nlmsghdr *nlh, void *mark)
{
	static const enum mnl_attr_data_type policy[MTF_A_MAX + 1] = {
		[MTF_A_MARK]		= MNL_TYPE_U32,
		[MTF_A_MARK_PREV]	= MNL_TYPE_U32,
	};
	const struct nlattr *tb[MTF_A_MAX + 1];
	struct mtf_mark *m = mark;
	int ret;

	ret = genl_attr_parse(nlh, policy, tb, MTF_A_MAX);
	if (ret < 0)
		return ret;
	if (tb[MTF_A_MARK]) {
		m->mark = ntohl(mnl_attr_get_u32(tb[MTF_A_MARK]));
		m->has_mark = true;
	}
	if (tb[MTF_A_MARK_PREV]) {
		m->prev = ntohl(mnl_attr_get_u32(tb[MTF_A_MARK_PREV]));
		m->has_prev = true;
	}
	return 0;
}

static int mark_get(struct cli *cli, int argc, char **argv)
{
	struct mtf_mark m = { 0 };
	struct nlmsghdr *nlh;
	struct mtf_perr e;
	char buf[11];
	uint32_t dst;
	int ret;

	if (argc == 0)
		return cli_usage_error(cli, "mark get needs a destination address");
	if (argc > 1)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[1]);
	if (mtf_parse_ip4(argv[0], &dst, "destination", &e) < 0)
		return mtfctl_usage(cli, &e);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	nlh = cli_req(cli, MTF_CMD_MARK_GET);
	mnl_attr_put_u32(nlh, MTF_A_DST4, dst);
	ret = genl_doit(&cli->gs, nlh, mtf_mark_parse, &m);
	if (ret < 0)
		return cli_error(cli, ret, "cannot get the mark");
	if (!m.has_mark)
		return cli_error(cli, -EBADMSG, "no mark in the kernel's reply");
	snprintf(buf, sizeof(buf), "0x%08x", m.mark);
	out_str(&cli->out, "mark", buf);
	if (m.has_prev) {
		snprintf(buf, sizeof(buf), "0x%08x", m.prev);
		out_str(&cli->out, "mark_prev", buf);
	}
	return cli_flush(cli);
}

static const struct cli_cmd mark_cmds[] = {
	{ "get", mark_get, "DST  this router's mark for DST (and the previous key's)" },
	{ NULL, NULL, NULL }
};

int mtfctl_mark(struct cli *cli, int argc, char **argv)
{
	if (argc == 0) {
		cli->cmds = mark_cmds;
		return cli_usage_error(cli, "mark needs a command");
	}
	return cli_dispatch(cli, mark_cmds, argc, argv);
}
