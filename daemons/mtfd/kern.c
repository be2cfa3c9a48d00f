// SPDX-License-Identifier: GPL-2.0
/*
 * mtf.ko through the netlink layer and mtfctl's message code (one
 * encoder of filters and slots in the tree: tools/mtfctl/filter.c).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mtf.h>

#include "genl.h"
#include "kern.h"
#include "log.h"
#include "mtfctl.h"
#include "mtfd.h"

struct kern {
	struct genl_sock req, ev;
	struct genl_family fam;
	bool events;
	/* An open FILTER_ADD (REPLACE) in req's buffer: many filters, one
	 * round trip.  Every other request sends it first. */
	struct nlmsghdr *batch;
	unsigned int batch_n;
	uint64_t batches, batched;
	char err[GENL_EXTACK_LEN + 128];
};

const char *kern_error(const struct kern *k)
{
	return k->err;
}

static int fail(struct kern *k, int ret, const char *what)
{
	snprintf(k->err, sizeof(k->err), "%s: %s%s%s%s", what, strerror(-ret),
		 k->req.extack[0] ? " (kernel: " : "", k->req.extack,
		 k->req.extack[0] ? ")" : "");
	return ret;
}

int kern_open(struct kern **kp, bool events)
{
	struct kern *k = calloc(1, sizeof(*k));
	int ret, grp;

	*kp = k;
	if (!k)
		return -ENOMEM;
	k->events = events;
	ret = genl_open(&k->req);
	if (!ret && events)
		ret = genl_open(&k->ev);
	if (ret)
		return fail(k, ret, "cannot open a netlink socket");
	ret = genl_family_get(&k->req, MTF_GENL_NAME, &k->fam);
	if (ret == -ENOENT) {
		snprintf(k->err, sizeof(k->err),
			 "the mtf kernel module is not loaded (modprobe mtf)");
		return ret;
	}
	if (ret)
		return fail(k, ret, "cannot look up the mtf netlink family");
	if (events) {
		grp = genl_family_mcgrp(&k->fam, MTF_GENL_MCGRP_EVENTS);
		ret = grp < 0 ? grp : genl_mcast_join(&k->ev, (uint32_t)grp);
		if (ret)
			return fail(k, ret, "cannot join the mtf events group");
	}
	return 0;
}

void kern_close(struct kern *k)
{
	if (!k)
		return;
	kern_flush(k);
	genl_close(&k->req);
	if (k->events)
		genl_close(&k->ev);
	free(k);
}

int kern_events_fd(const struct kern *k)
{
	return k->events ? mnl_socket_get_fd(k->ev.nl) : -1;
}

static struct nlmsghdr *req_nobatch(struct kern *k, uint8_t cmd)
{
	k->req.extack[0] = '\0';
	return genl_req(&k->req, k->fam.id, cmd, MTF_GENL_VERSION);
}

int kern_flush(struct kern *k)
{
	struct nlmsghdr *nlh = k->batch;
	unsigned int n = k->batch_n;
	int ret;

	if (!nlh)
		return 0;
	k->batch = NULL;
	k->batch_n = 0;
	k->batches++;
	k->batched += n;
	ret = genl_doit(&k->req, nlh, NULL, NULL);
	if (ret) {
		/* The kernel applied the entries before the bad one. */
		fail(k, ret, "filter add (batch)");
		return ret;
	}
	return 0;
}

/* Any request but a batched add: the batch goes first, in order. */
static struct nlmsghdr *req(struct kern *k, uint8_t cmd)
{
	if (kern_flush(k))
		log_err("%s", k->err);
	return req_nobatch(k, cmd);
}

int kern_mark(struct kern *k, uint32_t dst_be, uint32_t *mark, uint32_t *prev,
	      bool *has_prev)
{
	struct mtf_mark m = { 0 };
	struct nlmsghdr *nlh = req(k, MTF_CMD_MARK_GET);
	int ret;

	mnl_attr_put_u32(nlh, MTF_A_DST4, dst_be);
	ret = genl_doit(&k->req, nlh, mtf_mark_parse, &m);
	if (ret)
		return fail(k, ret, "mark get");
	if (!m.has_mark)
		return fail(k, -EBADMSG, "mark get");
	*mark = m.mark;
	*prev = m.prev;
	*has_prev = m.has_prev;
	return 0;
}

static void to_ent(const struct mtf_ctl_flow *fl, struct mtf_filter_ent *e)
{
	memset(e, 0, sizeof(*e));
	if (fl->has_iif) {
		e->iif = fl->iif;
		e->has |= 1u << MTF_FILTER_A_IIF;
	} else {
		e->slots.n = fl->nslots;
		for (unsigned int i = 0; i < fl->nslots; i++) {
			e->slots.s[i].v6 = fl->slots[i].addr.family == 6;
			memcpy(e->slots.s[i].addr, fl->slots[i].addr.addr, 16);
			e->slots.s[i].mark = htonl(fl->slots[i].mark);
		}
		e->has |= 1u << MTF_FILTER_A_SLOTS;
	}
	if (fl->has_src) {
		e->src = mtfd_addr_v4(&fl->src);
		e->src_plen = fl->src_plen;
		e->has |= 1u << MTF_FILTER_A_SRC4 | 1u << MTF_FILTER_A_SRC_PLEN;
	}
	e->dst = mtfd_addr_v4(&fl->dst);
	e->has |= 1u << MTF_FILTER_A_DST4;
}

static void from_ent(const struct mtf_filter_ent *e, struct kern_filter *f)
{
	struct mtf_ctl_flow *fl = &f->flow;

	memset(f, 0, sizeof(*f));
	if (MTF_HAS(e, MTF_FILTER_A_IIF)) {
		fl->has_iif = true;
		fl->iif = e->iif;
	}
	fl->nslots = (uint8_t)e->slots.n;
	for (unsigned int i = 0; i < e->slots.n; i++) {
		fl->slots[i].addr.family = e->slots.s[i].v6 ? 6 : 4;
		memcpy(fl->slots[i].addr.addr, e->slots.s[i].addr, 16);
		if (!e->slots.s[i].v6)
			memset(fl->slots[i].addr.addr + 4, 0, 12);
		fl->slots[i].mark = ntohl(e->slots.s[i].mark);
	}
	if (MTF_HAS(e, MTF_FILTER_A_SRC4)) {
		fl->has_src = true;
		mtfd_addr_set_v4(&fl->src, e->src);
		fl->src_plen = e->src_plen;
	}
	mtfd_addr_set_v4(&fl->dst, e->dst);
	f->action = e->action == MTF_FILTER_RATELIMIT ? MTF_CTL_RATELIMIT
						       : MTF_CTL_BLOCK;
	f->rate_pps = e->rate_pps;
	f->expires_ms = e->expires_ms;
	f->hits = e->hits;
	f->drops = e->drops;
	f->owner = e->owner;
	f->cookie_len = e->cookie_len <= sizeof(f->cookie) ? e->cookie_len : 0;
	memcpy(f->cookie, e->cookie, f->cookie_len);
}

static int filter_ent(struct kern *k, const struct kern_filter *f,
		      struct mtf_filter_ent *ep)
{
	struct mtf_filter_ent e;

	if (f->flow.dst.family != 4 || (f->flow.has_src && f->flow.src.family != 4))
		return fail(k, -EAFNOSUPPORT, "filter add");
	to_ent(&f->flow, &e);
	e.action = f->action == MTF_CTL_RATELIMIT ? MTF_FILTER_RATELIMIT
						  : MTF_FILTER_DROP;
	e.has |= 1u << MTF_FILTER_A_ACTION | 1u << MTF_FILTER_A_TIMEOUT_MS;
	e.timeout_ms = f->timeout_ms;
	if (f->action == MTF_CTL_RATELIMIT) {
		e.rate_pps = f->rate_pps;
		e.has |= 1u << MTF_FILTER_A_RATE_PPS;
	}
	if (f->owner) {
		e.owner = f->owner;
		e.has |= 1u << MTF_FILTER_A_OWNER;
	}
	if (f->cookie_len) {
		e.cookie_len = f->cookie_len;
		memcpy(e.cookie, f->cookie, f->cookie_len);
		e.has |= 1u << MTF_FILTER_A_COOKIE;
	}
	*ep = e;
	return 0;
}

int kern_filter_add(struct kern *k, const struct kern_filter *f, bool replace)
{
	struct mtf_filter_ent e;
	struct nlmsghdr *nlh;
	int ret;

	ret = filter_ent(k, f, &e);
	if (ret)
		return ret;
	nlh = req(k, MTF_CMD_FILTER_ADD);
	if (replace)
		mnl_attr_put(nlh, MTF_A_REPLACE, 0, NULL);
	ret = mtf_filter_put(nlh, GENL_REQ_SIZE, &e);
	if (!ret)
		ret = genl_doit(&k->req, nlh, NULL, NULL);
	return ret ? fail(k, ret, "filter add") : 0;
}

int kern_filter_add_batched(struct kern *k, const struct kern_filter *f)
{
	struct mtf_filter_ent e;
	int ret;

	ret = filter_ent(k, f, &e);
	if (ret)
		return ret;
	for (int tries = 0; tries < 2; tries++) {
		if (!k->batch) {
			k->batch = req_nobatch(k, MTF_CMD_FILTER_ADD);
			mnl_attr_put(k->batch, MTF_A_REPLACE, 0, NULL);
		}
		ret = mtf_filter_put(k->batch, GENL_REQ_SIZE, &e);
		if (ret != -EMSGSIZE) {
			if (!ret)
				k->batch_n++;
			return ret;
		}
		ret = kern_flush(k);	/* full: send it, start another */
		if (ret)
			return ret;
	}
	return -EMSGSIZE;
}

void kern_batch_stats(const struct kern *k, uint64_t *batches, uint64_t *filters)
{
	*batches = k->batches;
	*filters = k->batched;
}

int kern_filter_del(struct kern *k, const struct mtf_ctl_flow *flow)
{
	struct nlmsghdr *nlh = req(k, MTF_CMD_FILTER_DEL);
	struct mtf_filter_ent e;
	int ret;

	to_ent(flow, &e);
	ret = mtf_filter_put(nlh, GENL_REQ_SIZE, &e);
	if (!ret)
		ret = genl_doit(&k->req, nlh, NULL, NULL);
	if (ret == -ENOENT)
		return ret;
	return ret ? fail(k, ret, "filter del") : 0;
}

struct walk {
	int (*cb)(const struct kern_filter *f, void *arg);
	void *arg;
	int stop;
};

static int filter_msg(const struct nlmsghdr *nlh, void *data)
{
	struct walk *w = data;
	struct mtf_filter_ent e;
	struct kern_filter f;
	struct nlattr *a;

	if (w->stop)
		return 0;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != MTF_A_FILTER)
			continue;
		if (mtf_filter_parse_nest(a, &e) < 0)
			return -EBADMSG;
		from_ent(&e, &f);
		w->stop = w->cb(&f, w->arg);
		if (w->stop)
			break;
	}
	return 0;
}

/* The owner selector of FILTER_GET and FILTER_FLUSH. */
static void put_owner(struct nlmsghdr *nlh, uint32_t owner)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);

	mnl_attr_put_u32(nlh, MTF_FILTER_A_OWNER, owner);
	mnl_attr_nest_end(nlh, nest);
}

int kern_filter_walk(struct kern *k, bool by_owner, uint32_t owner,
		     int (*cb)(const struct kern_filter *f, void *arg), void *arg)
{
	struct walk w = { cb, arg, 0 };
	struct nlmsghdr *nlh = req(k, MTF_CMD_FILTER_GET);
	int ret;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	if (by_owner)
		put_owner(nlh, owner);
	ret = genl_dump(&k->req, nlh, filter_msg, &w);
	return ret < 0 ? fail(k, ret, "filter dump") : 0;
}

static int find_one(const struct kern_filter *f, void *arg)
{
	struct kern_filter *want = arg;

	if (!mtfd_flow_eq(&f->flow, &want->flow))
		return 0;
	want->hits = f->hits;
	want->drops = f->drops;
	want->expires_ms = f->expires_ms;
	return 1;
}

int kern_filter_get(struct kern *k, struct kern_filter *f)
{
	struct walk w = { find_one, f, 0 };
	struct nlmsghdr *nlh = req(k, MTF_CMD_FILTER_GET);
	int ret;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	ret = genl_dump(&k->req, nlh, filter_msg, &w);
	if (ret < 0)
		return fail(k, ret, "filter dump");
	return w.stop ? 0 : -ENOENT;
}

int kern_filter_flush_owner(struct kern *k, uint32_t owner)
{
	struct nlmsghdr *nlh = req(k, MTF_CMD_FILTER_FLUSH);
	int ret;

	put_owner(nlh, owner);
	ret = genl_doit(&k->req, nlh, NULL, NULL);
	return ret ? fail(k, ret, "filter flush") : 0;
}

int kern_set_policy(struct kern *k, uint32_t thresh_pps, uint8_t suffix_len)
{
	struct nlmsghdr *nlh = req(k, MTF_CMD_CONFIG_SET);
	struct mtf_cfg c = { 0 };
	int ret;

	if (thresh_pps) {
		c.path_rate_thresh = thresh_pps;
		c.has |= 1u << MTF_CFG_A_PATH_RATE_THRESH;
	}
	if (suffix_len) {
		c.suffix_len = suffix_len;
		c.has |= 1u << MTF_CFG_A_SUFFIX_LEN;
	}
	if (!c.has)
		return 0;
	ret = mtf_cfg_put(nlh, &c);
	if (!ret)
		ret = genl_doit(&k->req, nlh, NULL, NULL);
	return ret ? fail(k, ret, "config set") : 0;
}

int kern_get_threshold(struct kern *k, uint32_t *thresh_pps)
{
	struct nlmsghdr *nlh = req(k, MTF_CMD_CONFIG_GET);
	struct mtf_cfg c = { 0 };
	int ret;

	ret = genl_doit(&k->req, nlh, mtf_cfg_parse, &c);
	if (ret)
		return fail(k, ret, "config get");
	if (!MTF_HAS(&c, MTF_CFG_A_PATH_RATE_THRESH))
		return fail(k, -EBADMSG, "config get");
	*thresh_pps = c.path_rate_thresh;
	return 0;
}

struct ev {
	void (*cb)(const struct kern_path_event *e, void *arg);
	void *arg;
};

static void path_to_event(const struct mtf_path_ent *p, struct kern_path_event *e)
{
	memset(e, 0, sizeof(*e));
	e->flow.nslots = (uint8_t)p->slots.n;
	for (unsigned int i = 0; i < p->slots.n; i++) {
		e->flow.slots[i].addr.family = p->slots.s[i].v6 ? 6 : 4;
		memcpy(e->flow.slots[i].addr.addr, p->slots.s[i].addr,
		       p->slots.s[i].v6 ? 16 : 4);
		e->flow.slots[i].mark = ntohl(p->slots.s[i].mark);
	}
	mtfd_addr_set_v4(&e->flow.dst, p->dst);
	e->suffix = p->suffix;
	e->rate_pps = p->rate_pps;
	e->packets = p->packets;
}

static int path_msg(const struct nlmsghdr *nlh, void *data)
{
	struct ev *ev = data;
	struct kern_path_event e;
	struct mtf_path_ent p;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != MTF_A_PATH)
			continue;
		if (mtf_path_parse_nest(a, &p) < 0)
			return 0;	/* one bad event is skipped, not fatal */
		path_to_event(&p, &e);
		ev->cb(&e, ev->arg);
	}
	return 0;
}

int kern_events_read(struct kern *k,
		     void (*cb)(const struct kern_path_event *e, void *arg),
		     void *arg, bool *lost)
{
	struct ev ev = { cb, arg };
	struct pollfd pfd = { .fd = kern_events_fd(k), .events = POLLIN };
	int ret;

	*lost = false;
	/* Drain what is queued, never wait. */
	while (poll(&pfd, 1, 0) == 1) {
		ret = genl_recv(&k->ev, path_msg, &ev, NULL);
		if (ret == -ENOBUFS) {
			/* Events lost: the caller looks at the path table. */
			*lost = true;
			continue;
		}
		if (ret < 0)
			return fail(k, ret, "events");
	}
	return 0;
}

int kern_path_walk(struct kern *k,
		   void (*cb)(const struct kern_path_event *e, void *arg), void *arg)
{
	struct ev ev = { cb, arg };
	struct nlmsghdr *nlh = req(k, MTF_CMD_PATH_GET);
	int ret;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	ret = genl_dump(&k->req, nlh, path_msg, &ev);
	return ret < 0 ? fail(k, ret, "path dump") : 0;
}
