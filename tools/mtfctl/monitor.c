// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl monitor: print the events of the MTF_GENL_MCGRP_EVENTS group as
 * they arrive, one line each (text, or one JSON object per line with -j),
 * until SIGINT or SIGTERM.  Output is flushed per event so that a pipe
 * into another program sees it at once.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "mtfctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int event_path_rate(void *arg, const struct mtf_path_ent *p)
{
	struct cli *cli = arg;
	struct out *o = &cli->out;

	if (!o->json) {
		fputs("path-rate ", o->fp);
		mtf_path_print(o->fp, p);
		return fflush(o->fp) ? -EIO : 0;
	}
	out_str(o, "event", "path-rate");
	out_obj_begin(o, "path");
	mtf_path_out(o, p);
	out_obj_end(o);
	return out_flush(o);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cli *cli = data;
	struct mtf_dump dump = { .path = event_path_rate, .arg = cli };
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != cli->fam.id)
		return 0;
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EBADMSG;
	switch (g->cmd) {
	case MTF_CMD_EVENT_PATH_RATE:
		return mtf_dump_parse(nlh, &dump);
	}
	/* Events from a newer module: not ours to show. */
	return 0;
}

static int listen_loop(struct cli *cli, const sigset_t *mask)
{
	int ret;

	while (!stop) {
		ret = genl_recv(&cli->gs, event_cb, cli, mask);
		if (ret == -EINTR || ret == 0)
			continue;
		if (ret == -ENOBUFS) {
			/* Lost, not fatal: say so and keep listening. */
			fprintf(stderr, "%s: events lost: the receive buffer overflowed\n",
				cli->prog->name);
			continue;
		}
		if (ret == -EBADMSG) {
			fprintf(stderr, "%s: skipped a malformed event\n", cli->prog->name);
			continue;
		}
		return cli_error(cli, ret, "cannot receive events");
	}
	return CLI_OK;
}

static int monitor_run(struct cli *cli, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	sigset_t block, old;
	int grp, ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	grp = genl_family_mcgrp(&cli->fam, MTF_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return cli_error(cli, grp, "the %s family has no '%s' group",
				 MTF_GENL_NAME, MTF_GENL_MCGRP_EVENTS);
	ret = genl_mcast_join(&cli->gs, grp);
	if (ret < 0)
		return cli_error(cli, ret, "cannot subscribe to the events");
	/*
	 * Blocked except inside the wait (ppoll), so a signal either stops
	 * the wait or is seen by the loop's check: never lost in between.
	 */
	stop = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = listen_loop(cli, &old);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static const struct cli_cmd monitor_cmds[] = {
	{ "all", monitor_run, "print every event (path-rate) until interrupted" },
	{ NULL, NULL, NULL }
};

int mtfctl_monitor(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, monitor_cmds, argc, argv);
}
