// SPDX-License-Identifier: GPL-2.0
/*
 * roamd's kernel boundary: two generic netlink sockets to roam.ko in our
 * network namespace, one for requests (doit with ACK) and one joined to
 * the events multicast group, so an event never interleaves with a reply.
 * Built on the shared netlink layer (lib/genl.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/roam.h>

#include "genl.h"
#include "roamd.h"

struct gate {
	struct genl_sock req, ev;
	struct genl_family fam;
	char err[GENL_EXTACK_LEN + 128];
};

const char *gate_error(const struct gate *g)
{
	return g->err;
}

static int fail(struct gate *g, int ret, const char *what)
{
	snprintf(g->err, sizeof(g->err), "%s: %s%s%s%s", what, strerror(-ret),
		 g->req.extack[0] ? " (kernel: " : "", g->req.extack,
		 g->req.extack[0] ? ")" : "");
	return ret;
}

int gate_open(struct gate **gp)
{
	struct gate *g = calloc(1, sizeof(*g));
	int ret, grp;

	*gp = NULL;
	if (!g)
		return -ENOMEM;
	ret = genl_open(&g->req);
	if (!ret)
		ret = genl_open(&g->ev);
	if (ret) {
		fail(g, ret, "cannot open a netlink socket");
		goto err;
	}
	ret = genl_family_get(&g->req, ROAM_GENL_NAME, &g->fam);
	if (ret == -ENOENT) {
		snprintf(g->err, sizeof(g->err),
			 "the roam kernel module is not loaded (modprobe roam / insmod roam.ko)");
		goto err;
	}
	if (ret) {
		fail(g, ret, "cannot look up the roam netlink family");
		goto err;
	}
	grp = genl_family_mcgrp(&g->fam, ROAM_GENL_MCGRP_EVENTS);
	ret = grp < 0 ? grp : genl_mcast_join(&g->ev, (uint32_t)grp);
	if (ret) {
		fail(g, ret, "cannot join the roam events group");
		goto err;
	}
	*gp = g;
	return 0;
err:
	/* The caller prints the reason before freeing. */
	*gp = g;
	return ret ? ret : -EIO;
}

void gate_close(struct gate *g)
{
	if (!g)
		return;
	genl_close(&g->req);
	genl_close(&g->ev);
	free(g);
}

int gate_event_fd(const struct gate *g)
{
	return mnl_socket_get_fd(g->ev.nl);
}

static struct nlmsghdr *req(struct gate *g, uint8_t cmd)
{
	return genl_req(&g->req, g->fam.id, cmd, ROAM_GENL_VERSION);
}

int gate_setup(struct gate *g, const uint32_t *pool, unsigned int npool,
	       const uint32_t *ports, unsigned int nports, uint32_t window_ms,
	       uint32_t attack_pps)
{
	struct nlmsghdr *nlh = req(g, ROAM_CMD_GATE_SET);
	int ret;

	gatemsg_setup(nlh, pool, npool, ports, nports, window_ms, attack_pps);
	ret = genl_doit(&g->req, nlh, NULL, NULL);
	return ret ? fail(g, ret, "GATE_SET (pool, ports)") : 0;
}

int gate_activate(struct gate *g, uint32_t addr, uint64_t epoch)
{
	struct nlmsghdr *nlh = req(g, ROAM_CMD_GATE_SET);
	int ret;

	gatemsg_activate(nlh, addr, epoch);
	ret = genl_doit(&g->req, nlh, NULL, NULL);
	return ret ? fail(g, ret, "GATE_SET (active server)") : 0;
}

int gate_client_set(struct gate *g, uint32_t addr, int state, uint64_t pps,
		    uint64_t bps)
{
	struct nlmsghdr *nlh = req(g, ROAM_CMD_CLIENT_SET);
	int ret;

	gatemsg_client(nlh, addr, state, pps, bps);
	ret = genl_doit(&g->req, nlh, NULL, NULL);
	return ret ? fail(g, ret, "CLIENT_SET") : 0;
}

struct ev_ctx {
	void (*fn)(void *arg, const struct gate_event *e);
	void *arg;
};

static int ev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ev_ctx *ctx = data;
	struct gate_event e;

	/* Unknown commands and malformed events are skipped, not fatal. */
	if (!gatemsg_event_parse(nlh, &e))
		ctx->fn(ctx->arg, &e);
	return 0;
}

int gate_events(struct gate *g, void (*fn)(void *arg, const struct gate_event *e),
		void *arg)
{
	struct ev_ctx ctx = { fn, arg };
	int ret = genl_recv(&g->ev, ev_cb, &ctx, NULL);

	/* Overrun: events were lost; later ones still come. */
	if (ret == -ENOBUFS) {
		snprintf(g->err, sizeof(g->err), "events were lost (receive buffer overrun)");
		return ret;
	}
	return ret < 0 ? fail(g, ret, "reading events") : 0;
}
