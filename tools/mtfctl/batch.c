// SPDX-License-Identifier: GPL-2.0
/*
 * Bulk FILTER_ADD/DEL: many MTF_A_FILTER nests per message.
 *
 * A message is filled up to MTF_BATCH_MSG_MAX bytes (about 250 filters
 * of three slots), sent, and its ACK read before the next one is built.
 * The kernel handles a netlink request synchronously inside sendmsg(),
 * so there is no round trip to hide by pipelining: the ACK is already
 * queued when sendto() returns, and waiting for it keeps the promise
 * that nothing after a failing line is applied.
 *
 * The kernel stops at the first bad entry and names it with the extack
 * offset (NLMSGERR_ATTR_OFFS); we keep every entry's offset and input
 * line, so the error points at the line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mtfctl.h"

void mtf_batch_init(struct mtf_batch *b, uint16_t fam_id, uint8_t version)
{
	b->xmit = NULL;
	b->xmit_arg = NULL;
	b->fam_id = fam_id;
	b->version = version;
	b->limit = MTF_BATCH_MSG_MAX;
	b->nlh = NULL;
	b->n = 0;
	b->err_off = -1;
	b->err_line = b->err_line_last = 0;
	b->msgs = b->entries = 0;
}

/* The entry the kernel's error offset falls in, or -1. */
static int entry_at(const struct mtf_batch *b, int32_t off)
{
	int i;

	if (off < 0 || (uint32_t)off >= b->nlh->nlmsg_len)
		return -1;
	for (i = b->n - 1; i >= 0; i--)
		if (b->off[i] <= (uint32_t)off)
			return i;
	return -1;
}

int mtf_batch_flush(struct mtf_batch *b)
{
	int ret = 0, i;

	if (b->nlh && b->n) {
		b->err_off = -1;
		ret = b->xmit(b, b->nlh);
		if (ret < 0) {
			i = entry_at(b, b->err_off);
			b->err_line = b->line[i < 0 ? 0 : (unsigned int)i];
			b->err_line_last = b->line[i < 0 ? b->n - 1 : (unsigned int)i];
			/* Those before it were applied. */
			b->entries += i < 0 ? 0 : i;
		} else {
			b->msgs++;
			b->entries += b->n;
		}
	}
	b->nlh = NULL;
	b->n = 0;
	return ret;
}

/*
 * Replace is asked for per message, with the MTF_A_REPLACE flag: the
 * genetlink core rejects NLM_F_REPLACE on strictly validated families.
 */
static void batch_open(struct mtf_batch *b, uint8_t cmd, bool replace)
{
	b->nlh = genl_msg_start(b->buf, b->fam_id, 0, cmd, b->version);
	if (replace)
		mnl_attr_put(b->nlh, MTF_A_REPLACE, 0, NULL);
	b->cmd = cmd;
	b->replace = replace;
	b->n = 0;
}

/*
 * Append one entry; the open message goes out first when it is full or
 * of another kind (command, replace or not).  Errors are the kernel's, for
 * the message sent, or -EMSGSIZE for an entry larger than a message.
 */
int mtf_batch_add(struct mtf_batch *b, uint8_t cmd,
		  const struct mtf_filter_ent *f, unsigned long line)
{
	uint32_t off;
	int ret;

	if (b->nlh && (b->cmd != cmd || b->replace != f->replace ||
		       b->n == MTF_BATCH_MAX_ENTRIES)) {
		ret = mtf_batch_flush(b);
		if (ret < 0)
			return ret;
	}
	if (!b->nlh)
		batch_open(b, cmd, f->replace);
	off = b->nlh->nlmsg_len;
	ret = mtf_filter_put(b->nlh, b->limit, f);
	if (ret == -EMSGSIZE && b->n) {
		ret = mtf_batch_flush(b);
		if (ret < 0)
			return ret;
		batch_open(b, cmd, f->replace);
		off = b->nlh->nlmsg_len;
		ret = mtf_filter_put(b->nlh, b->limit, f);
	}
	if (ret < 0)
		return ret;
	b->off[b->n] = off;
	b->line[b->n++] = line;
	return 0;
}

/* The CLI's transport: one request, wait for its ACK. */
static int batch_xmit(struct mtf_batch *b, struct nlmsghdr *nlh)
{
	struct genl_sock *gs = b->xmit_arg;
	int ret = genl_doit(gs, nlh, NULL, NULL);

	b->err_off = gs->extack_off;
	return ret;
}

/* Connect on the first entry, so a file that is bad from line 1 on
 * needs no kernel. */
static int batch_get(struct cli *cli, struct mtf_batch **bp)
{
	struct mtf_batch *b = cli->priv;
	int ret;

	if (!b) {
		ret = cli_connect(cli);
		if (ret != CLI_OK)
			return ret;
		b = calloc(1, sizeof(*b));
		if (!b)
			return cli_error(cli, -ENOMEM, "cannot start a batch");
		mtf_batch_init(b, cli->fam.id, cli->prog->version);
		b->xmit = batch_xmit;
		b->xmit_arg = &cli->gs;
		cli->priv = b;
	}
	*bp = b;
	return CLI_OK;
}

static int batch_error(struct cli *cli, const struct mtf_batch *b, int err)
{
	const char *what = b->cmd == MTF_CMD_FILTER_DEL ? "delete" : "add";
	unsigned long saved = cli->lineno;
	int ret;

	if (err == -EMSGSIZE && !b->err_line)
		return cli_error(cli, err, "filter too large for one message");
	cli->lineno = b->err_line;
	if (cli->batch_name && b->err_line != b->err_line_last)
		ret = cli_error(cli, err, "cannot %s a filter of lines %lu-%lu",
				what, b->err_line, b->err_line_last);
	else
		ret = cli_error(cli, err, "cannot %s the filter", what);
	cli->lineno = saved;
	return ret;
}

int mtfctl_batch_entry(struct cli *cli, uint8_t cmd,
		       const struct mtf_filter_ent *f)
{
	struct mtf_batch *b = NULL;
	struct mtf_filter_ent r;
	int ret;

	ret = batch_get(cli, &b);
	if (ret != CLI_OK)
		return ret;
	/* Connected: -n is entered, the name means what it means there. */
	if (f->ifname[0] && !f->iif) {
		r = *f;
		r.iif = if_nametoindex(f->ifname);
		if (!r.iif)
			return cli_error(cli, -ENODEV, "cannot find device '%s'",
					 f->ifname);
		f = &r;
	}
	ret = mtf_batch_add(b, cmd, f, cli->lineno);
	return ret < 0 ? batch_error(cli, b, ret) : CLI_OK;
}

/*
 * The -b hook: "filter add|del SPEC" lines join the batch; any other
 * line sends it first and runs as a command.  argc 0: send what is held.
 */
int mtfctl_batch_line(struct cli *cli, int argc, char **argv)
{
	struct mtf_batch *b = cli->priv;
	struct mtf_filter_ent f;
	struct mtf_perr e;
	uint8_t cmd = 0;
	int ret;

	if (argc >= 2 && !strcmp(argv[0], "filter") &&
	    (argc < 3 || strcmp(argv[2], "-f"))) {
		if (!strcmp(argv[1], "add"))
			cmd = MTF_CMD_FILTER_ADD;
		else if (!strcmp(argv[1], "del"))
			cmd = MTF_CMD_FILTER_DEL;
	}
	if (b && (!cmd || !argc)) {
		ret = mtf_batch_flush(b);
		if (ret < 0)
			return batch_error(cli, b, ret);
	}
	if (!cmd)
		return argc ? CLI_PASS : CLI_OK;
	if (mtf_filter_args(argc - 2, argv + 2, cmd == MTF_CMD_FILTER_DEL,
			    &f, &e) < 0) {
		/* Lines before this one take effect, as in the kernel. */
		ret = mtfctl_batch_line(cli, 0, NULL);
		return ret != CLI_OK ? ret : mtfctl_usage(cli, &e);
	}
	return mtfctl_batch_entry(cli, cmd, &f);
}

static int file_line(struct cli *cli, int argc, char **argv, void *arg)
{
	uint8_t cmd = *(uint8_t *)arg;
	struct mtf_filter_ent f;
	struct mtf_perr e;
	int ret;

	if (!argc)
		return mtfctl_batch_line(cli, 0, NULL);
	if (mtf_filter_args(argc, argv, cmd == MTF_CMD_FILTER_DEL, &f, &e) < 0) {
		ret = mtfctl_batch_line(cli, 0, NULL);
		return ret != CLI_OK ? ret : mtfctl_usage(cli, &e);
	}
	return mtfctl_batch_entry(cli, cmd, &f);
}

/* filter add|del -f FILE: each line a spec as on the command line. */
int mtfctl_filter_file(struct cli *cli, uint8_t cmd, const char *path)
{
	return cli_read_lines(cli, path, file_line, &cmd);
}
