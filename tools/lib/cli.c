// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static const struct cli_cmd *cmd_find(const struct cli_cmd *cmds,
				      const char *name)
{
	for (; cmds->name; cmds++)
		if (!strcmp(cmds->name, name))
			return cmds;
	return NULL;
}

/* The short form (on usage errors) stops before the options. */
static void usage(const struct cli_prog *prog, FILE *fp, bool full)
{
	const struct cli_cmd *c;

	fprintf(fp,
		"Usage: %s [ OPTIONS ] OBJECT [ COMMAND [ ARGS ] ]\n"
		"       %s help [ OBJECT ]\n", prog->name, prog->name);
	if (prog->batch)
		fprintf(fp, "       %s [ OPTIONS ] -b FILE\n", prog->name);
	fprintf(fp, "       %s { -V | --version | -h | --help }\n"
		"\nObjects:\n", prog->name);
	for (c = prog->objects; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->help);
	if (!full) {
		fprintf(fp, "Try '%s help' for more.\n", prog->name);
		return;
	}
	fprintf(fp,
		"\nOptions:\n"
		"  -j, --json          JSON output\n"
		"  -p, --pretty        pretty-printed JSON (implies -j)\n"
		"  -n, --netns NAME    act in network namespace NAME\n"
		"                      (/run/netns/NAME, or an absolute path)\n"
		"%s"
		"  -V, --version       print the version and exit\n"
		"  -h, --help          print this help and exit\n"
		"\n'%s OBJECT help' lists the commands of an object.\n",
		prog->batch ? "  -b, --batch FILE    run the commands in FILE, one a line\n"
			      "                      (- for standard input)\n" : "",
		prog->name);
}

static void obj_usage(const struct cli *cli, FILE *fp)
{
	const struct cli_cmd *c;

	fprintf(fp, "Usage: %s [ OPTIONS ] %s [ COMMAND ]\n\nCommands:\n",
		cli->prog->name, cli->obj);
	for (c = cli->cmds; c->name; c++)
		fprintf(fp, "  %-10s %s%s\n", c->name, c->help,
			c == cli->cmds ? " (default)" : "");
	fprintf(fp, "  %-10s %s\n", "help", "this text");
}

/* "prog: " or, for a line of a batch file, "prog: FILE:LINE: ". */
static void err_prefix(const struct cli *cli)
{
	fprintf(stderr, "%s: ", cli->prog->name);
	if (cli->batch_name && cli->lineno)
		fprintf(stderr, "%s:%lu: ", cli->batch_name, cli->lineno);
}

/* Lines of a batch file get the message only: usage would drown it. */
int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	err_prefix(cli);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	if (cli->batch_name && cli->lineno)
		return CLI_USAGE;
	if (cli->cmds)
		obj_usage(cli, stderr);
	else
		usage(cli->prog, stderr, false);
	return CLI_USAGE;
}

/* "prog: what: strerror (kernel: extack)" on one line. */
int cli_error(struct cli *cli, int err, const char *fmt, ...)
{
	va_list ap;

	err_prefix(cli);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s", strerror(err < 0 ? -err : err));
	if (cli->connected && cli->gs.extack[0])
		fprintf(stderr, " (kernel: %s)", cli->gs.extack);
	fputs("\n", stderr);
	return CLI_ERR;
}

/*
 * Connect on first use, so help and usage errors never need the kernel,
 * privileges or the namespace.
 */
int cli_connect(struct cli *cli)
{
	const struct cli_prog *p = cli->prog;
	int ret;

	if (cli->connected)
		return CLI_OK;
	if (cli->netns) {
		ret = genl_netns_enter(cli->netns);
		if (ret < 0)
			return cli_error(cli, ret,
					 "cannot enter network namespace '%s'",
					 cli->netns);
	}
	ret = genl_open(&cli->gs);
	if (ret < 0)
		return cli_error(cli, ret, "cannot open a netlink socket");
	ret = genl_family_get(&cli->gs, p->family, &cli->fam);
	if (ret == -ENOENT) {
		fprintf(stderr, "%s: the %s kernel module is not loaded (modprobe %s / insmod %s.ko)\n",
			p->name, p->module, p->module, p->module);
		return CLI_ERR;
	}
	cli->connected = true;
	if (ret < 0)
		return cli_error(cli, ret, "cannot look up the %s netlink family",
				 p->family);
	return CLI_OK;
}

/* A request to our family, in the socket's buffer. */
struct nlmsghdr *cli_req(struct cli *cli, uint8_t cmd)
{
	return genl_req(&cli->gs, cli->fam.id, cmd, cli->prog->version);
}

int cli_flush(struct cli *cli)
{
	int ret = out_flush(&cli->out);

	if (ret < 0)
		return cli_error(cli, ret, "cannot write output");
	return CLI_OK;
}

/* argv[0] is the command (argc may be 0: the first row is the default). */
int cli_dispatch(struct cli *cli, const struct cli_cmd *cmds,
		 int argc, char **argv)
{
	const struct cli_cmd *c;

	cli->cmds = cmds;
	if (argc == 0)
		return cmds->fn(cli, 0, argv);
	if (!strcmp(argv[0], "help") || !strcmp(argv[0], "-h") ||
	    !strcmp(argv[0], "--help")) {
		obj_usage(cli, stdout);
		return CLI_OK;
	}
	c = cmd_find(cmds, argv[0]);
	if (!c)
		return cli_usage_error(cli, "unknown command '%s' for object '%s'",
				       argv[0], cli->obj);
	return c->fn(cli, argc - 1, argv + 1);
}

static int run_object(struct cli *cli, int argc, char **argv)
{
	const struct cli_cmd *obj = cmd_find(cli->prog->objects, argv[0]);

	if (!obj)
		return cli_usage_error(cli, "unknown object '%s'", argv[0]);
	cli->obj = obj->name;
	return obj->fn(cli, argc - 1, argv + 1);
}

/*
 * Split a line into words in place: blanks separate, double quotes group
 * (so a PATH may be written "a > b"), a backslash takes the next
 * character literally, '#' starting a word comments out the rest.
 * Returns the number of words, -E2BIG or -EINVAL (open quote).
 */
static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int cli_tokenize(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	bool quoted;
	int argc = 0;

	for (;;) {
		while (is_blank(*r))
			r++;
		if (!*r || *r == '#')
			return argc;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = w;
		quoted = false;
		for (; *r; r++) {
			if (!quoted && is_blank(*r))
				break;
			if (*r == '"') {
				quoted = !quoted;
				continue;
			}
			if (*r == '\\' && r[1])
				r++;
			*w++ = *r;
		}
		if (quoted)
			return -EINVAL;
		/* w <= r always, so the terminator never overwrites input. */
		if (*r)
			r++;
		*w++ = '\0';
	}
}

/*
 * Run fn over the words of each line of path ("-": stdin), stopping at
 * the first line that fails.  fn gets argc 0 at the end and before an
 * error of ours is reported, so that it can send what it holds: lines
 * before a bad one take effect, as in the kernel's bulk requests.
 */
int cli_read_lines(struct cli *cli, const char *path, cli_line_fn fn,
		   void *arg)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *argv[CLI_MAX_WORDS + 1];
	char *line = NULL;
	size_t cap = 0;
	int argc, ret = CLI_OK;

	if (!fp)
		return cli_error(cli, -errno, "cannot open '%s'", path);
	cli->batch_name = fp == stdin ? "stdin" : path;
	cli->lineno = 0;
	while (getline(&line, &cap, fp) >= 0) {
		cli->lineno++;
		argc = cli_tokenize(line, argv, CLI_MAX_WORDS);
		if (argc < 0) {
			ret = fn(cli, 0, NULL, arg);
			if (ret == CLI_OK)
				ret = cli_usage_error(cli, "%s", argc == -E2BIG ?
						      "too many words" :
						      "unterminated quote");
			break;
		}
		if (argc == 0)
			continue;
		argv[argc] = NULL;
		ret = fn(cli, argc, argv, arg);
		if (ret != CLI_OK)
			break;
	}
	if (ret == CLI_OK) {
		cli->lineno = 0;
		ret = fn(cli, 0, NULL, arg);
	}
	if (ret == CLI_OK && ferror(fp))
		ret = cli_error(cli, -EIO, "cannot read '%s'", path);
	cli->lineno = 0;
	cli->batch_name = NULL;
	free(line);
	if (fp != stdin)
		fclose(fp);
	return ret;
}

/* A line of -b: the program's batch hook first, else an ordinary command. */
static int batch_line(struct cli *cli, int argc, char **argv, void *arg)
{
	int ret = cli->prog->batch(cli, argc, argv);

	(void)arg;
	if (ret != CLI_PASS || !argc)
		return ret == CLI_PASS ? CLI_OK : ret;
	cli->cmds = NULL;
	if (!strcmp(argv[0], "help"))
		return cli_usage_error(cli, "help is not a batch command");
	return run_object(cli, argc, argv);
}

/* "help" and "help OBJECT" (the latter is "OBJECT help"). */
static int help(struct cli *cli, int argc, char **argv)
{
	static char help_word[] = "help";

	if (argc == 0) {
		usage(cli->prog, stdout, true);
		return CLI_OK;
	}
	if (argc > 1)
		return cli_usage_error(cli, "too many arguments to help");
	return run_object(cli, 2, (char *[]){ argv[0], help_word, NULL });
}

static int parse_options(struct cli *cli, int argc, char **argv, bool *done,
			 const char **batch)
{
	static const struct option opts[] = {
		{ "batch",   required_argument, NULL, 'b' },
		{ "json",    no_argument,       NULL, 'j' },
		{ "pretty",  no_argument,       NULL, 'p' },
		{ "netns",   required_argument, NULL, 'n' },
		{ "version", no_argument,       NULL, 'V' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool json = false, pretty = false;
	int c;

	/* optind = 0 re-initialises getopt, so tests can call us again. */
	optind = 0;
	opterr = 0;
	/* '+': options go before OBJECT, as with ip; ':': report missing args. */
	while ((c = getopt_long(argc, argv, "+:b:jpn:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (!cli->prog->batch)
				return cli_usage_error(cli, "unknown option '-b'");
			*batch = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'n':
			cli->netns = optarg;
			break;
		case 'V':
			printf("%s %s (%s generic netlink version %u)\n",
			       cli->prog->name, TOOLS_VERSION,
			       cli->prog->family, cli->prog->version);
			*done = true;
			return CLI_OK;
		case 'h':
			usage(cli->prog, stdout, true);
			*done = true;
			return CLI_OK;
		case ':':
			return cli_usage_error(cli, "option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			/* Long options (also "--json=x") by word, short by letter. */
			if (!optopt || !strncmp(argv[optind - 1], "--", 2))
				return cli_usage_error(cli, "unknown option '%s'",
						       argv[optind - 1]);
			return cli_usage_error(cli, "unknown option '-%c'",
					       optopt);
		}
	}
	out_init(&cli->out, stdout, json, pretty);
	return CLI_OK;
}

int cli_main(const struct cli_prog *prog, int argc, char **argv)
{
	/* Static: the socket buffers are too big to be polite on the stack. */
	static struct cli storage;
	struct cli *cli = &storage;
	const char *batch = NULL;
	bool done = false;
	int ret;

	/* Not the buffers: they are written before they are read. */
	memset(cli, 0, offsetof(struct cli, gs));
	cli->gs.nl = NULL;
	cli->prog = prog;
	ret = parse_options(cli, argc, argv, &done, &batch);
	if (ret != CLI_OK || done)
		return ret;
	argc -= optind;
	argv += optind;
	if (batch && argc > 0)
		ret = cli_usage_error(cli, "-b FILE takes no object; put commands in FILE");
	else if (batch)
		ret = cli_read_lines(cli, batch, batch_line, NULL);
	else if (argc == 0)
		ret = cli_usage_error(cli, "no object given");
	else if (!strcmp(argv[0], "help"))
		ret = help(cli, argc - 1, argv + 1);
	else
		ret = run_object(cli, argc, argv);
	out_free(&cli->out);
	free(cli->priv);
	cli->priv = NULL;
	genl_close(&cli->gs);
	return ret;
}
