// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
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
		"       %s help [ OBJECT ]\n"
		"       %s { -V | --version | -h | --help }\n"
		"\nObjects:\n", prog->name, prog->name, prog->name);
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
		"  -V, --version       print the version and exit\n"
		"  -h, --help          print this help and exit\n"
		"\n'%s OBJECT help' lists the commands of an object.\n",
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

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli->prog->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
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

	fprintf(stderr, "%s: ", cli->prog->name);
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

static int parse_options(struct cli *cli, int argc, char **argv, bool *done)
{
	static const struct option opts[] = {
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
	while ((c = getopt_long(argc, argv, "+:jpn:Vh", opts, NULL)) != -1) {
		switch (c) {
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
	bool done = false;
	int ret;

	/* Not the buffers: they are written before they are read. */
	memset(cli, 0, offsetof(struct cli, gs));
	cli->gs.nl = NULL;
	cli->prog = prog;
	ret = parse_options(cli, argc, argv, &done);
	if (ret != CLI_OK || done)
		return ret;
	argc -= optind;
	argv += optind;
	if (argc == 0)
		ret = cli_usage_error(cli, "no object given");
	else if (!strcmp(argv[0], "help"))
		ret = help(cli, argc - 1, argv + 1);
	else
		ret = run_object(cli, argc, argv);
	out_free(&cli->out);
	genl_close(&cli->gs);
	return ret;
}
