// SPDX-License-Identifier: GPL-2.0
/*
 * roamctl monitor: the events roam.ko multicasts (client violations,
 * attacks, handoffs confirmed), one line each, flushed as they come, until SIGINT or SIGTERM.
 * Text is "EVENT key value ..."; -j prints one JSON object per line.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <json-c/json.h>

#include "roamctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The event tree, flattened to "key value" pairs on one line. */
static void text_line(FILE *fp, struct json_object *obj, bool *first)
{
	json_object_object_foreach(obj, key, val) {
		if (json_object_is_type(val, json_type_object)) {
			text_line(fp, val, first);
			continue;
		}
		/* The event name stands alone at the start. */
		if (!strcmp(key, "event"))
			fprintf(fp, "%s", json_object_get_string(val));
		else
			fprintf(fp, " %s %s", key, json_object_get_string(val));
		*first = false;
	}
}

static int event_flush(struct out *o)
{
	bool first = true;
	int ret = o->err;

	if (!ret && o->depth) {
		if (o->json) {
			out_flush(o);
			return 0;
		}
		text_line(o->fp, o->stack[0], &first);
		fputc('\n', o->fp);
		if (fflush(o->fp) || ferror(o->fp))
			ret = -EIO;
	}
	out_free(o);
	return ret;
}

/*
 * One message from the events group into o (not yet printed).  Returns
 * 1 if it was an event, 0 if not ours, or a negative errno.
 */
int roam_event_out(struct out *o, const struct nlmsghdr *nlh)
{
	static const enum mnl_attr_data_type policy[ROAM_A_MAX + 1] = {
		[ROAM_A_GATE] = MNL_TYPE_NESTED,
		[ROAM_A_CLIENT] = MNL_TYPE_NESTED,
		[ROAM_A_CONN] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[ROAM_A_MAX + 1];
	const struct genlmsghdr *g;
	struct roam_client c;
	static struct roam_gate gate;
	int ret;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EBADMSG;
	g = mnl_nlmsg_get_payload(nlh);
	ret = genl_attr_parse(nlh, policy, tb, ROAM_A_MAX);
	if (ret < 0)
		return ret;
	switch (g->cmd) {
	case ROAM_CMD_EVENT_CLIENT_VIOLATION:
		if (!tb[ROAM_A_CLIENT])
			return -EBADMSG;
		ret = roam_client_parse_nest(tb[ROAM_A_CLIENT], &c);
		if (ret < 0)
			return ret;
		out_str(o, "event", "client_violation");
		roam_client_out(o, &c);
		return 1;
	case ROAM_CMD_EVENT_ATTACK:
		if (!tb[ROAM_A_GATE])
			return -EBADMSG;
		ret = roam_gate_parse_nest(tb[ROAM_A_GATE], &gate);
		if (ret < 0)
			return ret;
		out_str(o, "event", "attack");
		roam_gate_out(o, &gate);
		return 1;
	case ROAM_CMD_EVENT_CONN_CONFIRMED:
		if (!tb[ROAM_A_CONN])
			return -EBADMSG;
		return roam_conn_event_out(o, tb[ROAM_A_CONN]);
	}
	return 0;	/* an event a newer kernel knows */
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cli *cli = data;
	int ret;

	if (nlh->nlmsg_type != cli->fam.id)
		return 0;
	ret = roam_event_out(&cli->out, nlh);
	if (ret < 0) {
		/* One bad message should not end the monitor. */
		out_free(&cli->out);
		fprintf(stderr, "%s: bad event: %s\n", cli->prog->name,
			strerror(-ret));
		return 0;
	}
	if (ret > 0 && event_flush(&cli->out) < 0)
		return -EIO;
	return 0;
}

/*
 * Events carry sequence number and port 0, which genl_process() lets
 * through; it also walks the datagram with lengths it does not trust.
 */
static int handle(struct cli *cli, const char *buf, size_t len)
{
	int ret = genl_process(&cli->gs, buf, len, event_cb, cli);

	if (ret == -EIO)
		return cli_error(cli, ret, "cannot write output");
	if (ret < 0)
		fprintf(stderr, "%s: bad datagram: %s\n", cli->prog->name,
			strerror(-ret));
	return CLI_OK;
}

/*
 * SIGINT and SIGTERM are blocked except inside ppoll(), so a signal can
 * never slip in between the check of stop and the wait.
 */
static int listen_loop(struct cli *cli, const sigset_t *old)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(cli->gs.nl),
			      .events = POLLIN };
	ssize_t n;
	int ret = CLI_OK;

	while (!stop && ret == CLI_OK) {
		if (ppoll(&pfd, 1, NULL, old) < 0) {
			if (errno == EINTR)
				continue;
			ret = cli_error(cli, -errno, "cannot wait for events");
			break;
		}
		n = recv(pfd.fd, cli->gs.rx, sizeof(cli->gs.rx), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0 && errno == ENOBUFS) {
			/* We were too slow: say so, and go on. */
			fprintf(stderr, "%s: events lost (receive buffer full)\n",
				cli->prog->name);
			continue;
		}
		if (n < 0) {
			ret = cli_error(cli, -errno, "cannot receive events");
			break;
		}
		ret = handle(cli, cli->gs.rx, n);
	}
	return ret;
}

static int monitor(struct cli *cli, const sigset_t *old)
{
	int grp, ret;

	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	grp = genl_family_mcgrp(&cli->fam, ROAM_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return cli_error(cli, grp, "the kernel has no '%s' group",
				 ROAM_GENL_MCGRP_EVENTS);
	if (mnl_socket_setsockopt(cli->gs.nl, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return cli_error(cli, -errno, "cannot join the events group");
	return listen_loop(cli, old);
}

int roamctl_monitor(struct cli *cli, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, old;
	int ret;

	if (argc > 0 && (!strcmp(argv[0], "help") || !strcmp(argv[0], "-h") ||
			 !strcmp(argv[0], "--help"))) {
		printf("Usage: %s [ OPTIONS ] monitor\n\n"
		       "Print the gate's events until interrupted: client_violation\n"
		       "(a client over its contract) and attack (drops to inactive\n"
		       "addresses above attack-pps).  Needs CAP_NET_ADMIN.\n",
		       cli->prog->name);
		return CLI_OK;
	}
	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	/*
	 * From here on SIGINT/SIGTERM end the monitor with status 0, even
	 * while it is still connecting: they wait, blocked, for ppoll().
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = monitor(cli, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
