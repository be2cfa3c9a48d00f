// SPDX-License-Identifier: GPL-2.0
/*
 * The gateway role.  As the victim's gateway (R3): requests of the
 * victims it serves, a temporary filter, the handshake toward the attack
 * gateway with interception of its nonce, escalation, warnings to the
 * gateways on the other shortest paths.  As an attack gateway (R1) or a
 * warned one (R4): the stateless nonce, filters after a valid reply,
 * stop requests, disconnection, AIMD rate limits.
 *
 * Per-request events are logged at debug level (a request flood must not
 * become a log flood); the counters say what happened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mtf.h>

#include "daemon.h"
#include "log.h"
#include "topo.h"

#define NONE	(-1)

static unsigned int hsize(unsigned int n)
{
	unsigned int s = 16;

	while (s < 2 * n)
		s <<= 1;
	return s;
}

/* ----------------------------------------------------------- timers -- */

static bool tless(const struct mtfd_timer *a, const struct mtfd_timer *b)
{
	return a->at < b->at;
}

static void heap_up(struct mtfd_timer *h, unsigned int i)
{
	struct mtfd_timer t = h[i];

	while (i && tless(&t, &h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = t;
}

static void heap_down(struct mtfd_timer *h, unsigned int n, unsigned int i)
{
	struct mtfd_timer t = h[i];
	unsigned int c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && tless(&h[c + 1], &h[c]))
			c++;
		if (!tless(&h[c], &t))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = t;
}

static uint64_t greq_deadline(const struct greq *g)
{
	return g->state == G_PENDING ? g->next_ms : g->expires_ms;
}

static uint64_t areq_deadline(const struct areq *a)
{
	return a->check_ms && a->check_ms < a->expires_ms ? a->check_ms : a->expires_ms;
}

static void heap_rebuild(struct mtfd *d);

static void push(struct mtfd *d, uint8_t kind, uint32_t idx, uint32_t gen, uint64_t at)
{
	if (d->heap_n == d->heap_cap)
		heap_rebuild(d);	/* drops the stale nodes */
	d->heap[d->heap_n] = (struct mtfd_timer){ at, idx, gen, kind };
	heap_up(d->heap, d->heap_n++);
}

/* After any change of an entry's state or deadlines. */
static void gsched(struct mtfd *d, struct greq *g)
{
	uint64_t at = greq_deadline(g);

	if (g->sched_at == at)
		return;
	g->sched_at = at;
	push(d, T_GREQ, (uint32_t)(g - d->greqs), ++g->tgen, at);
}

static void asched(struct mtfd *d, struct areq *a)
{
	uint64_t at = areq_deadline(a);

	if (a->sched_at == at)
		return;
	a->sched_at = at;
	push(d, T_AREQ, (uint32_t)(a - d->areqs), ++a->tgen, at);
}

static void heap_rebuild(struct mtfd *d)
{
	d->heap_n = 0;
	for (unsigned int i = 0; i < d->cfg.max_pending; i++) {
		struct greq *g = &d->greqs[i];

		if (!g->used)
			continue;
		g->sched_at = greq_deadline(g);
		d->heap[d->heap_n++] = (struct mtfd_timer){ g->sched_at, i, ++g->tgen, T_GREQ };
	}
	for (unsigned int i = 0; i < d->cfg.max_active; i++) {
		struct areq *a = &d->areqs[i];

		if (!a->used)
			continue;
		a->sched_at = areq_deadline(a);
		d->heap[d->heap_n++] = (struct mtfd_timer){ a->sched_at, i, ++a->tgen, T_AREQ };
	}
	for (unsigned int i = d->heap_n / 2; i-- > 0;)
		heap_down(d->heap, d->heap_n, i);
}

/* ------------------------------------------------------- R3 tables -- */

static unsigned int gsz(const struct mtfd *d)
{
	return hsize(d->cfg.max_pending);
}

static int32_t *gid_bucket(struct mtfd *d, uint32_t id)
{
	return &d->gid_hash[(id * 2654435761u) & (gsz(d) - 1)];
}

static int32_t *gflow_bucket(struct mtfd *d, const struct mtf_ctl_flow *f)
{
	return &d->gflow_hash[mtfd_flow_hash(f) & (gsz(d) - 1)];
}

static struct greq *greq_by_id(struct mtfd *d, uint32_t id)
{
	for (int32_t i = *gid_bucket(d, id); i != NONE; i = d->greqs[i].next_id)
		if (d->greqs[i].id == id)
			return &d->greqs[i];
	return NULL;
}

static struct greq *greq_by_flow(struct mtfd *d, const struct mtf_ctl_flow *f,
				 bool warning)
{
	for (int32_t i = *gflow_bucket(d, f); i != NONE; i = d->greqs[i].next_flow)
		if (d->greqs[i].warning == warning &&
		    mtfd_flow_eq(&d->greqs[i].flow, f))
			return &d->greqs[i];
	return NULL;
}

static struct greq *greq_new(struct mtfd *d, const struct mtf_ctl_flow *f,
			     bool warning)
{
	unsigned int n = d->cfg.max_pending;
	struct greq *g = NULL;
	int32_t idx;

	for (unsigned int k = 0; k < n; k++) {
		idx = (int32_t)((d->gfree_hint + k) % n);
		if (!d->greqs[idx].used) {
			g = &d->greqs[idx];
			d->gfree_hint = (unsigned int)idx + 1;
			break;
		}
	}
	if (!g)
		return NULL;
	{
		uint32_t tgen = g->tgen;	/* stale heap nodes stay stale */

		memset(g, 0, sizeof(*g));
		g->tgen = tgen;
	}
	g->used = true;
	do
		g->id = mtfd_random_id();
	while (greq_by_id(d, g->id));
	g->flow = *f;
	g->warning = warning;
	g->created_ms = mtfd_now_ms();
	g->next_id = *gid_bucket(d, g->id);
	*gid_bucket(d, g->id) = idx;
	g->next_flow = *gflow_bucket(d, f);
	*gflow_bucket(d, f) = idx;
	d->n_greqs++;
	return g;
}

static void unlink_chain(struct mtfd *d, int32_t *head, int32_t idx, bool by_id)
{
	for (int32_t *p = head; *p != NONE;
	     p = by_id ? &d->greqs[*p].next_id : &d->greqs[*p].next_flow) {
		if (*p == idx) {
			*p = by_id ? d->greqs[idx].next_id : d->greqs[idx].next_flow;
			return;
		}
	}
}

static void greq_free(struct mtfd *d, struct greq *g)
{
	int32_t idx = (int32_t)(g - d->greqs);

	unlink_chain(d, gid_bucket(d, g->id), idx, true);
	unlink_chain(d, gflow_bucket(d, &g->flow), idx, false);
	g->used = false;
	d->n_greqs--;
}

/* ---------------------------------------------------- R1/R4 tables -- */

static unsigned int asz(const struct mtfd *d)
{
	return hsize(d->cfg.max_active);
}

static int32_t *aflow_bucket(struct mtfd *d, const struct mtf_ctl_flow *f)
{
	return &d->aflow_hash[mtfd_flow_hash(f) & (asz(d) - 1)];
}

static struct areq *areq_by_flow(struct mtfd *d, const struct mtf_ctl_flow *f)
{
	for (int32_t i = *aflow_bucket(d, f); i != NONE; i = d->areqs[i].next_flow)
		if (mtfd_flow_eq(&d->areqs[i].flow, f))
			return &d->areqs[i];
	return NULL;
}

static struct areq *areq_new(struct mtfd *d, const struct mtf_ctl_flow *f)
{
	int32_t idx = NONE;
	struct areq *a;

	for (unsigned int i = 0; i < d->cfg.max_active; i++) {
		if (!d->areqs[i].used) {
			idx = (int32_t)i;
			break;
		}
	}
	if (idx == NONE)
		return NULL;
	a = &d->areqs[idx];
	{
		uint32_t tgen = a->tgen;

		memset(a, 0, sizeof(*a));
		a->tgen = tgen;
	}
	a->used = true;
	a->flow = *f;
	a->created_ms = mtfd_now_ms();
	a->next_flow = *aflow_bucket(d, f);
	*aflow_bucket(d, f) = idx;
	d->n_areqs++;
	return a;
}

static void areq_free(struct mtfd *d, struct areq *a)
{
	int32_t idx = (int32_t)(a - d->areqs);

	for (int32_t *p = aflow_bucket(d, &a->flow); *p != NONE;
	     p = &d->areqs[*p].next_flow) {
		if (*p == idx) {
			*p = a->next_flow;
			break;
		}
	}
	a->used = false;
	d->n_areqs--;
}

/* ------------------------------------------------------------ common -- */

/* Index of the last slot of @f written by one of our router addresses. */
static int our_slot(const struct mtfd *d, const struct mtf_ctl_flow *f)
{
	for (int i = f->nslots - 1; i >= 0; i--)
		if (mtfd_is_router_addr(d, &f->slots[i].addr))
			return i;
	return -1;
}

/* The recorded path up to and including slot @i: what matches here. */
static void flow_upto(const struct mtf_ctl_flow *f, int i, struct mtf_ctl_flow *out)
{
	*out = *f;
	out->nslots = (uint8_t)(i + 1);
	memset(&out->slots[i + 1], 0, sizeof(out->slots[0]) * (MTF_CTL_SLOTS_MAX - (unsigned int)i - 1));
}

/*
 * A filter's origin in mtf.ko (owner MTF_OWNER_MTFD and this cookie):
 * what a restarted mtfd rebuilds its tables from.  25 bytes:
 * version, kind, 2 reserved, request id (be32), the peer (the victim for
 * R3's filters, the requester for R1/R4's): family and 16 bytes.
 */
#define COOKIE_VERSION	1
#define COOKIE_LEN	25
enum { C_R3_TEMP = 1, C_R3_LOCAL = 2, C_AREQ = 0x10 /* + enum areq_kind */ };

static void cookie_put(struct kern_filter *kf, uint8_t kind, uint32_t id,
		       const struct mtf_ctl_addr *peer)
{
	uint8_t *c = kf->cookie;

	memset(c, 0, COOKIE_LEN);
	c[0] = COOKIE_VERSION;
	c[1] = kind;
	c[4] = (uint8_t)(id >> 24);
	c[5] = (uint8_t)(id >> 16);
	c[6] = (uint8_t)(id >> 8);
	c[7] = (uint8_t)id;
	c[8] = peer->family;
	memcpy(c + 9, peer->addr, 16);
	kf->cookie_len = COOKIE_LEN;
	kf->owner = MTF_OWNER_MTFD;
}

static bool cookie_get(const struct kern_filter *kf, uint8_t *kind, uint32_t *id,
		       struct mtf_ctl_addr *peer)
{
	const uint8_t *c = kf->cookie;

	if (kf->cookie_len != COOKIE_LEN || c[0] != COOKIE_VERSION ||
	    (c[8] != 4 && c[8] != 6))
		return false;
	*kind = c[1];
	*id = (uint32_t)c[4] << 24 | (uint32_t)c[5] << 16 | (uint32_t)c[6] << 8 | c[7];
	memset(peer, 0, sizeof(*peer));
	peer->family = c[8];
	memcpy(peer->addr, c + 9, mtfd_addr_len(c[8]));
	return true;
}

static int install(struct mtfd *d, const struct mtf_ctl_flow *f, uint8_t action,
		   uint64_t rate, uint32_t timeout_ms, uint8_t kind, uint32_t id,
		   const struct mtf_ctl_addr *peer)
{
	struct kern_filter kf = { .flow = *f, .action = action, .rate_pps = rate,
				  .timeout_ms = timeout_ms };
	char b[512];
	int ret;

	cookie_put(&kf, kind, id, peer);
	ret = kern_filter_add(d->kern, &kf, true);
	if (ret) {
		d->stats[ST_KERN_ERR]++;
		log_err("%s", kern_error(d->kern));
		return ret;
	}
	/* Formatting a flow costs more than the rest: only when logged. */
	if (roam_log_level >= ROAM_LOG_DEBUG)
		log_debug("filter %s %s for %u ms",
			  action == MTF_CTL_RATELIMIT ? "rate-limit" : "block",
			  mtfd_flow_str(f, b, sizeof(b)), timeout_ms);
	return 0;
}

/* R3's filters: the victim is the peer; R1/R4's: the requester. */
/*
 * R3's filters: no message waits on them (the acks wait in gateway_flush),
 * so they are batched, sent with the next flush or other request.
 */
static int ginstall(struct mtfd *d, struct greq *g, const struct mtf_ctl_flow *f,
		    uint32_t timeout_ms, uint8_t kind)
{
	struct kern_filter kf = { .flow = *f, .action = g->action, .rate_pps = g->rate_pps,
				  .timeout_ms = timeout_ms };
	int ret;

	cookie_put(&kf, kind, g->id, &g->victim);
	ret = kern_filter_add_batched(d->kern, &kf);
	if (ret) {
		d->stats[ST_KERN_ERR]++;
		log_err("%s", kern_error(d->kern));
	}
	return ret;
}

static void reply_status(struct mtfd *d, const struct mtf_ctl_addr *to, uint8_t type,
			 uint32_t id, const struct mtf_ctl_flow *f, uint16_t status);

void gateway_flush(struct mtfd *d)
{
	if (kern_flush(d->kern)) {
		d->stats[ST_KERN_ERR]++;
		log_err("%s", kern_error(d->kern));
	}
	for (unsigned int i = 0; i < d->n_acks; i++)
		reply_status(d, &d->acks[i].to, MTF_CTL_FILTER_ACK, d->acks[i].id, NULL,
			     MTF_CTL_OK);
	d->n_acks = 0;
}

static int ainstall(struct mtfd *d, struct areq *a, uint8_t action, uint32_t timeout_ms)
{
	return install(d, &a->flow, action, a->rate_pps, timeout_ms,
		       (uint8_t)(C_AREQ + a->kind), 0, &a->requester);
}

static void uninstall(struct mtfd *d, const struct mtf_ctl_flow *f)
{
	int ret = kern_filter_del(d->kern, f);

	if (ret && ret != -ENOENT) {
		d->stats[ST_KERN_ERR]++;
		log_err("%s", kern_error(d->kern));
	}
}

/* Is @f's slot @i really ours for its destination (current or previous key)? */
static bool slot_valid(struct mtfd *d, const struct mtf_ctl_flow *f, int i)
{
	uint32_t mark, prev;
	bool has_prev;

	if (f->dst.family != 4 || kern_mark(d->kern, mtfd_addr_v4(&f->dst), &mark,
					   &prev, &has_prev))
		return false;
	return f->slots[i].mark == mark || (has_prev && f->slots[i].mark == prev);
}

static void reply_status(struct mtfd *d, const struct mtf_ctl_addr *to, uint8_t type,
			 uint32_t id, const struct mtf_ctl_flow *f, uint16_t status)
{
	struct mtf_ctl_msg r;

	mtfd_msg_init(&r, type, id);
	r.status = status;
	r.present = B(STATUS);
	if (f) {
		r.flow = *f;
		r.present |= B(FLOW);
	}
	mtfd_send(d, to, &r, false);
}

/* --------------------------------------------------------------- R3 -- */

static void hs_send(struct mtfd *d, struct greq *g, bool retry)
{
	struct mtf_ctl_msg m;

	mtfd_msg_init(&m, g->warning ? MTF_CTL_WARNING : MTF_CTL_HS_REQUEST, g->id);
	m.flags = retry ? MTF_CTL_F_RETRY : 0;
	m.flow = g->flow;
	m.present = B(FLOW);
	if (g->warning) {
		m.duration_ms = g->duration_ms;
		m.present |= B(DURATION_MS);
	} else {
		m.action = g->action;
		m.addr = d->cfg.self;
		m.present |= B(ACTION) | B(ADDR);
		if (g->action == MTF_CTL_RATELIMIT) {
			m.rate_pps = g->rate_pps;
			m.present |= B(RATE_PPS);
		}
	}
	g->sent_ms = mtfd_now_ms();
	if (!retry)
		g->tries = 0;
	g->tries++;
	g->next_ms = g->sent_ms + ((uint64_t)d->cfg.retry_ms << (g->tries - 1 < 4 ? g->tries - 1 : 4));
	d->stats[g->warning ? ST_GW_WARNINGS_SENT : ST_GW_HS_SENT]++;
	gsched(d, g);
	mtfd_send(d, &g->target, &m, false);
}

/* No one further up the path complies: the filter stays here, for Tlong. */
static void keep_local(struct mtfd *d, struct greq *g)
{
	struct mtf_ctl_flow f;

	flow_upto(&g->flow, our_slot(d, &g->flow), &f);
	ginstall(d, g, &f, d->cfg.tlong_ms, C_R3_LOCAL);
	g->state = G_LOCAL;
	g->temp = false;
	g->expires_ms = mtfd_now_ms() + d->cfg.tlong_ms;
	d->stats[ST_GW_LOCAL]++;
	gsched(d, g);
}

/* AITF's escalation: ask the next gateway of the recorded path. */
static void escalate(struct mtfd *d, struct greq *g)
{
	int me = our_slot(d, &g->flow);
	char a[MTFD_ADDRSTRLEN];

	if (g->warning) {
		g->state = G_FAILED;
		g->expires_ms = mtfd_now_ms() + d->cfg.ttmp_ms;
		gsched(d, g);
		return;
	}
	d->stats[ST_GW_ESCALATED]++;
	while (++g->target_slot < me &&
	       mtfd_is_router_addr(d, &g->flow.slots[g->target_slot].addr))
		;
	if (g->target_slot >= me) {
		log_debug("request %08x: no gateway upstream complies; filtering here",
			 g->id);
		keep_local(d, g);
		return;
	}
	g->target = g->flow.slots[g->target_slot].addr;
	log_debug("request %08x: escalating to %s", g->id,
		 mtfd_addr_str(&g->target, a, sizeof(a)));
	hs_send(d, g, false);
}

/*
 * The gateway graph also grows from the recorded paths victims report:
 * adjacent slots are adjacent gateways (a path the file did not know).
 */
static void learn_path(struct mtfd *d, const struct mtf_ctl_flow *f)
{
	struct mtf_ctl_addr routers[MTF_CTL_SLOTS_MAX];
	int ret;

	if (!d->topo || f->nslots < 2)
		return;
	for (unsigned int i = 0; i < f->nslots; i++)
		routers[i] = f->slots[i].addr;
	ret = topo_learn_path(d->topo, routers, f->nslots);
	if (ret > 0)
		d->stats[ST_GW_LINKS_LEARNED] += (uint64_t)ret;
	else if (ret < 0)
		log_debug("topology: path not learned: %s", strerror(-ret));
}

static void filter_req(struct mtfd *d, const struct mtf_ctl_addr *from,
		       const struct mtf_ctl_msg *m)
{
	struct mtf_ctl_flow temp;
	struct greq *g;
	char b[512];
	int me;

	d->stats[ST_GW_REQUESTS]++;
	if (!mtfd_prefixes_have(d->cfg.serves, d->cfg.n_serves, from)) {
		d->stats[ST_GW_REFUSED]++;
		reply_status(d, from, MTF_CTL_FILTER_ACK, m->id, NULL, MTF_CTL_REFUSED);
		return;
	}
	/* A victim asks only about traffic addressed to itself. */
	if (!mtfd_addr_eq(&m->flow.dst, from)) {
		d->stats[ST_GW_REFUSED]++;
		reply_status(d, from, MTF_CTL_FILTER_ACK, m->id, NULL, MTF_CTL_NOT_YOURS);
		return;
	}
	me = our_slot(d, &m->flow);
	if (me < 0 || (m->action == MTF_CTL_RATELIMIT && !(m->present & B(RATE_PPS)))) {
		d->stats[ST_GW_REFUSED]++;
		reply_status(d, from, MTF_CTL_FILTER_ACK, m->id, NULL,
			     me < 0 ? MTF_CTL_NOT_ON_PATH : MTF_CTL_REFUSED);
		return;
	}
	learn_path(d, &m->flow);
	g = greq_by_flow(d, &m->flow, false);
	if (g && g->state != G_FAILED && g->state != G_CANCELLED) {
		/* A retransmission, or another victim's copy: one filter. */
		reply_status(d, from, MTF_CTL_FILTER_ACK, m->id, NULL, MTF_CTL_OK);
		return;
	}
	if (g)
		greq_free(d, g);
	g = greq_new(d, &m->flow, false);
	if (!g) {
		d->stats[ST_GW_BUSY]++;
		reply_status(d, from, MTF_CTL_FILTER_ACK, m->id, NULL, MTF_CTL_BUSY);
		return;
	}
	g->vid = m->id;
	g->victim = *from;
	g->action = m->action;
	g->rate_pps = m->rate_pps;
	g->state = G_PENDING;
	/*
	 * The victim is relieved at once (the paper's one-way delay): the
	 * filter goes in with the others of this burst of requests, one
	 * netlink round trip for all, and the ack once it is in.
	 */
	flow_upto(&m->flow, me, &temp);
	if (d->n_acks == sizeof(d->acks) / sizeof(d->acks[0]))
		gateway_flush(d);
	if (!ginstall(d, g, &temp, d->cfg.ttmp_ms, C_R3_TEMP)) {
		g->temp = true;
		d->stats[ST_GW_TEMP_FILTERS]++;
	}
	d->acks[d->n_acks].to = *from;
	d->acks[d->n_acks++].id = m->id;
	if (roam_log_level >= ROAM_LOG_DEBUG)
		log_debug("request %08x from victim: %s", g->id,
			  mtfd_flow_str(&m->flow, b, sizeof(b)));
	g->target_slot = 0;
	while (g->target_slot < me &&
	       mtfd_is_router_addr(d, &m->flow.slots[g->target_slot].addr))
		g->target_slot++;
	if (g->target_slot >= me) {
		keep_local(d, g);	/* the attack enters here */
		return;
	}
	g->target = m->flow.slots[g->target_slot].addr;
	hs_send(d, g, false);
}

bool gateway_intercept(struct mtfd *d, const struct mtf_ctl_addr *from,
		       const struct mtf_ctl_msg *m)
{
	struct greq *g;
	struct mtf_ctl_msg r;

	if (m->type != MTF_CTL_HS_NONCE)
		return false;
	g = greq_by_id(d, m->id);
	if (!g || g->state != G_PENDING || !mtfd_addr_eq(&g->target, from) ||
	    !mtfd_addr_eq(&m->addr, &d->cfg.self))
		return false;
	/* A request's nonce names the flow we asked about; a warning's
	 * names the warned gateway's own filter, checked by it. */
	if (!g->warning && !mtfd_flow_eq(&m->flow, &g->flow))
		return false;
	if (g->warning && (!mtfd_addr_eq(&m->flow.dst, &g->flow.dst) ||
			   m->flow.has_src != g->flow.has_src ||
			   (g->flow.has_src && (!mtfd_addr_eq(&m->flow.src, &g->flow.src) ||
						m->flow.src_plen != g->flow.src_plen))))
		return false;
	d->stats[ST_GW_INTERCEPTED]++;
	r = *m;
	r.type = MTF_CTL_HS_REPLY;
	r.flags = 0;
	if (!(r.present & B(ACTION))) {
		r.action = MTF_CTL_BLOCK;
		r.present |= B(ACTION);
	}
	mtfd_send(d, from, &r, false);
	return true;
}

/* The prefixes of topo-origin.c: stubs both gateways serve. */
int topo_shared_prefixes(const struct topo *t, const struct mtf_ctl_addr *a,
			 const struct mtf_ctl_addr *b, struct mtfd_prefix *out,
			 unsigned int out_max);

static void warn_one(struct mtfd *d, struct greq *g, const struct mtf_ctl_addr *r4,
		     const struct mtf_ctl_flow *wf)
{
	struct greq *w = greq_by_flow(d, wf, true);
	char a[MTFD_ADDRSTRLEN];

	if (w && mtfd_addr_eq(&w->target, r4) && w->state != G_FAILED)
		return;
	w = greq_new(d, wf, true);
	if (!w) {
		d->stats[ST_GW_BUSY]++;
		return;
	}
	w->victim = g->victim;
	w->target = *r4;
	w->action = MTF_CTL_BLOCK;
	w->duration_ms = d->cfg.tblock_ms;
	w->state = G_PENDING;
	log_debug("request %08x: warning %s (another path to the attacker)", g->id,
		 mtfd_addr_str(r4, a, sizeof(a)));
	hs_send(d, w, false);
}

/* Multipath: warn the gateway nearest the attacker on each other path. */
static void send_warnings(struct mtfd *d, struct greq *g)
{
	struct mtf_ctl_addr targets[TOPO_K_MAX], path[MTF_CTL_SLOTS_MAX];
	struct mtfd_prefix src, origin[8];
	struct topo_query q = { 0 };
	int n, np;

	if (!d->topo || g->action != MTF_CTL_BLOCK)
		return;
	for (unsigned int i = 0; i < g->flow.nslots; i++)
		path[i] = g->flow.slots[i].addr;
	q.self = &d->cfg.router_addrs[0];
	q.attack_gw = &g->target;
	q.path = path;
	q.path_len = g->flow.nslots;
	q.k = d->cfg.k_paths;
	if (g->flow.has_src) {
		src.addr = g->flow.src;
		src.plen = g->flow.src_plen;
		q.src = &src;
	}
	n = topo_warn_targets(d->topo, &q, targets, TOPO_K_MAX);
	if (n < 0) {
		log_warn("multipath: %s", strerror(-n));
		return;
	}
	if (n > TOPO_K_MAX)
		n = TOPO_K_MAX;
	for (int i = 0; i < n; i++) {
		struct mtf_ctl_flow wf = g->flow;

		if (wf.has_src) {
			warn_one(d, g, &targets[i], &wf);
			continue;
		}
		/* A spoofed source: the origin networks it can move from. */
		np = topo_shared_prefixes(d->topo, &g->target, &targets[i], origin, 8);
		for (int j = 0; j < np && j < 8; j++) {
			wf.has_src = true;
			wf.src = origin[j].addr;
			wf.src_plen = origin[j].plen;
			warn_one(d, g, &targets[i], &wf);
		}
	}
}

static void hs_confirm(struct mtfd *d, const struct mtf_ctl_addr *from,
		       const struct mtf_ctl_msg *m)
{
	struct greq *g = greq_by_id(d, m->id);
	struct mtf_ctl_flow temp;
	uint64_t now = mtfd_now_ms();

	if (!g || !mtfd_addr_eq(&g->target, from)) {
		d->stats[ST_RX_UNEXPECTED]++;
		return;
	}
	if (g->state != G_PENDING)
		return;		/* a duplicate */
	if (m->status != MTF_CTL_OK) {
		log_debug("request %08x: %s refused (status %u)", g->id,
			 g->warning ? "warning" : "handshake", m->status);
		escalate(d, g);
		return;
	}
	g->state = G_CONFIRMED;
	g->confirmed_ms = now;
	g->hs_ms = (uint32_t)(now - g->created_ms);
	g->expires_ms = now + (g->warning ? d->cfg.tblock_ms : d->cfg.tlong_ms);
	d->stats[ST_GW_CONFIRMED]++;
	gsched(d, g);
	log_debug("request %08x: %s confirmed after %u ms", g->id,
		 g->warning ? "warning" : "filter", g->hs_ms);
	if (g->warning)
		return;
	if (g->temp) {
		flow_upto(&g->flow, our_slot(d, &g->flow), &temp);
		uninstall(d, &temp);
		g->temp = false;
	}
	send_warnings(d, g);
}

/* The victim's rate-limit feedback and cancellation, on to R1. */
static void victim_followup(struct mtfd *d, const struct mtf_ctl_addr *from,
			    const struct mtf_ctl_msg *m)
{
	struct greq *g = greq_by_flow(d, &m->flow, false);
	struct mtf_ctl_flow f;
	struct mtf_ctl_msg r;

	if (!g || !mtfd_addr_eq(&g->victim, from)) {
		d->stats[ST_RX_UNEXPECTED]++;
		return;
	}
	if (m->type == MTF_CTL_CANCEL) {
		if (g->temp || g->state == G_LOCAL) {
			flow_upto(&g->flow, our_slot(d, &g->flow), &f);
			uninstall(d, &f);
		}
		if (g->state == G_CONFIRMED) {
			mtfd_msg_init(&r, MTF_CTL_CANCEL, g->id);
			r.flow = g->flow;
			r.present = B(FLOW);
			mtfd_send(d, &g->target, &r, false);
		}
		g->state = G_CANCELLED;
		g->expires_ms = mtfd_now_ms();
		gsched(d, g);
		return;
	}
	if (g->state != G_CONFIRMED || g->action != MTF_CTL_RATELIMIT)
		return;
	r = *m;
	r.id = g->id;
	mtfd_send(d, &g->target, &r, false);
}

/* ------------------------------------------------------------ R1/R4 -- */

static void hs_request(struct mtfd *d, const struct mtf_ctl_addr *from,
		       const struct mtf_ctl_msg *m)
{
	struct mtf_ctl_msg r;
	uint8_t key[MTF_CTL_KEY_LEN];
	int i;

	d->stats[m->type == MTF_CTL_WARNING ? ST_AG_WARNINGS : ST_AG_REQUESTS]++;
	r = *m;
	if (m->type == MTF_CTL_WARNING) {
		/* Our own filter: our slot for the destination, the source. */
		uint32_t mark, prev;
		bool has_prev;

		if (!m->flow.has_src || m->flow.dst.family != 4 ||
		    kern_mark(d->kern, mtfd_addr_v4(&m->flow.dst), &mark, &prev,
			      &has_prev)) {
			d->stats[ST_AG_NOT_ON_PATH]++;
			reply_status(d, from, MTF_CTL_HS_CONFIRM, m->id, &m->flow,
				     MTF_CTL_REFUSED);
			return;
		}
		memset(&r.flow.slots, 0, sizeof(r.flow.slots));
		r.flow.nslots = 1;
		r.flow.has_iif = false;
		r.flow.slots[0].addr = d->cfg.router_addrs[0];
		r.flow.slots[0].mark = mark;
		r.action = MTF_CTL_BLOCK;
		r.duration_ms = m->duration_ms < d->cfg.tblock_ms ? m->duration_ms
								  : d->cfg.tblock_ms;
		r.addr = *from;
		r.present = B(FLOW) | B(ACTION) | B(DURATION_MS) | B(ADDR);
	} else {
		/* The requester answers for itself only. */
		i = our_slot(d, &m->flow);
		if (i < 0 || !mtfd_addr_eq(&m->addr, from) || !slot_valid(d, &m->flow, i)) {
			d->stats[ST_AG_NOT_ON_PATH]++;
			reply_status(d, from, MTF_CTL_HS_CONFIRM, m->id, &m->flow,
				     MTF_CTL_NOT_ON_PATH);
			return;
		}
		r.present &= B(FLOW) | B(ACTION) | B(ADDR) | B(RATE_PPS) | B(RATE_BPS);
	}
	r.type = MTF_CTL_HS_NONCE;
	r.flags = 0;
	r.expiry_ms = mtfd_wall_ms() + 2ull * d->cfg.ttmp_ms;
	r.present |= B(EXPIRY_MS) | B(NONCE);
	mtfd_key(d, mtfd_wall_ms(), 0, key);
	if (mtf_ctl_nonce(key, &r, r.nonce))
		return;
	d->stats[ST_AG_NONCES_SENT]++;
	/* To the victim: only a node on the path back sees it. */
	mtfd_send(d, &r.flow.dst, &r, true);
}

static bool nonce_valid(struct mtfd *d, const struct mtf_ctl_msg *m)
{
	uint8_t key[MTF_CTL_KEY_LEN];
	uint64_t wall = mtfd_wall_ms();

	for (int back = 0; back < 2; back++) {
		mtfd_key(d, wall, back, key);
		if (mtf_ctl_nonce_ok(key, m))
			return true;
	}
	return false;
}

static void stop_request(struct mtfd *d, struct areq *a)
{
	struct mtf_ctl_msg r;

	mtfd_msg_init(&r, MTF_CTL_STOP_REQ, mtfd_random_id());
	r.flow = a->flow;
	r.duration_ms = d->cfg.tlong_ms;
	r.present = B(FLOW) | B(DURATION_MS);
	a->stop_sent = true;
	d->stats[ST_AG_STOP_SENT]++;
	mtfd_send(d, &a->flow.src, &r, false);
}

static void hs_reply(struct mtfd *d, const struct mtf_ctl_addr *from,
		     const struct mtf_ctl_msg *m)
{
	uint64_t now = mtfd_now_ms(), wall = mtfd_wall_ms();
	struct mtf_ctl_flow f;
	struct areq *a;
	bool warned = m->present & B(DURATION_MS);
	int i;

	if (!mtfd_addr_eq(&m->addr, from)) {
		d->stats[ST_AG_BAD_NONCE]++;
		return;		/* not the requester: no answer at all */
	}
	if (wall > m->expiry_ms) {
		d->stats[ST_AG_EXPIRED]++;
		reply_status(d, from, MTF_CTL_HS_CONFIRM, m->id, &m->flow, MTF_CTL_EXPIRED);
		return;
	}
	if (!nonce_valid(d, m)) {
		d->stats[ST_AG_BAD_NONCE]++;
		reply_status(d, from, MTF_CTL_HS_CONFIRM, m->id, &m->flow, MTF_CTL_BAD_NONCE);
		return;
	}
	i = our_slot(d, &m->flow);
	if (i < 0) {
		d->stats[ST_AG_NOT_ON_PATH]++;
		return;
	}
	flow_upto(&m->flow, i, &f);
	a = areq_by_flow(d, &f);
	if (!a) {
		a = areq_new(d, &f);
		if (!a) {
			d->stats[ST_AG_BUSY]++;
			reply_status(d, from, MTF_CTL_HS_CONFIRM, m->id, &m->flow,
				     MTF_CTL_BUSY);
			return;
		}
		a->requester = *from;
		d->stats[ST_AG_FILTERS]++;
		if (warned) {
			a->kind = A_WARNED;
			a->expires_ms = now + m->duration_ms;
			ainstall(d, a, MTF_CTL_BLOCK, m->duration_ms);
		} else if (m->action == MTF_CTL_RATELIMIT) {
			a->kind = A_RATELIMIT;
			a->rate_pps = m->rate_pps;
			a->last_update_ms = now;
			a->expires_ms = now + d->cfg.tlong_ms;
			ainstall(d, a, MTF_CTL_RATELIMIT, d->cfg.tlong_ms);
		} else if (f.has_src && f.src_plen == (f.src.family == 6 ? 128 : 32) &&
			   mtfd_prefixes_have(d->cfg.hosts, d->cfg.n_hosts, &f.src)) {
			/* One of our hosts: it is asked to stop; we check at Ttmp. */
			a->kind = A_BLOCK;
			a->check_ms = now + d->cfg.ttmp_ms;
			a->expires_ms = now + 2ull * d->cfg.ttmp_ms;
			ainstall(d, a, MTF_CTL_BLOCK, 2 * d->cfg.ttmp_ms);
			stop_request(d, a);
		} else {
			/* Nobody to ask (a prefix, or spoofed): we keep it. */
			a->kind = A_DISCONNECT;
			a->expires_ms = now + d->cfg.tlong_ms;
			ainstall(d, a, MTF_CTL_BLOCK, d->cfg.tlong_ms);
		}
	}
	asched(d, a);
	reply_status(d, from, MTF_CTL_HS_CONFIRM, m->id, &m->flow, MTF_CTL_OK);
}

static void stop_ack(struct mtfd *d, const struct mtf_ctl_addr *from,
		     const struct mtf_ctl_msg *m)
{
	struct areq *a = areq_by_flow(d, &m->flow);

	if (!a || !a->stop_sent || !mtfd_addr_eq(&a->flow.src, from)) {
		d->stats[ST_RX_UNEXPECTED]++;
		return;
	}
	if (m->status == MTF_CTL_OK) {
		a->stop_acked = true;
		d->stats[ST_AG_STOP_ACKED]++;
	}
}

/* The victim's gateway relays; only the requester may change a filter. */
static void rl_update(struct mtfd *d, const struct mtf_ctl_addr *from,
		      const struct mtf_ctl_msg *m)
{
	struct mtf_ctl_flow f;
	struct areq *a;
	uint64_t now = mtfd_now_ms();
	int i = our_slot(d, &m->flow);

	if (i < 0)
		goto unexpected;
	flow_upto(&m->flow, i, &f);
	a = areq_by_flow(d, &f);
	if (!a || !mtfd_addr_eq(&a->requester, from))
		goto unexpected;
	if (m->type == MTF_CTL_CANCEL) {
		uninstall(d, &a->flow);
		areq_free(d, a);
		d->stats[ST_AG_CANCELLED]++;
		return;
	}
	if (a->kind != A_RATELIMIT)
		return;
	if (m->attack) {
		if (a->rate_pps <= d->cfg.aimd_min_pps) {
			/* Halved to the floor and still an attack: block. */
			a->kind = A_DISCONNECT;
			a->expires_ms = now + d->cfg.tlong_ms;
			ainstall(d, a, MTF_CTL_BLOCK, d->cfg.tlong_ms);
			asched(d, a);
			return;
		}
		a->rate_pps = a->rate_pps / 2 > d->cfg.aimd_min_pps ? a->rate_pps / 2
								    : d->cfg.aimd_min_pps;
		a->last_update_ms = now;
		d->stats[ST_AG_RL_DECREASE]++;
	} else {
		if (now - a->last_update_ms < d->cfg.quiet_ms)
			return;
		a->rate_pps += d->cfg.aimd_step_pps;
		a->last_update_ms = now;
		d->stats[ST_AG_RL_INCREASE]++;
	}
	a->expires_ms = now + d->cfg.tlong_ms;
	ainstall(d, a, MTF_CTL_RATELIMIT, d->cfg.tlong_ms);
	asched(d, a);
	return;
unexpected:
	d->stats[ST_RX_UNEXPECTED]++;
}

/* ------------------------------------------------------------ entry -- */

void gateway_rx(struct mtfd *d, const struct mtf_ctl_addr *from,
		const struct mtf_ctl_msg *m)
{
	switch (m->type) {
	case MTF_CTL_FILTER_REQ:
		filter_req(d, from, m);
		break;
	case MTF_CTL_HS_REQUEST:
	case MTF_CTL_WARNING:
		hs_request(d, from, m);
		break;
	case MTF_CTL_HS_REPLY:
		hs_reply(d, from, m);
		break;
	case MTF_CTL_HS_CONFIRM:
		hs_confirm(d, from, m);
		break;
	case MTF_CTL_STOP_ACK:
		stop_ack(d, from, m);
		break;
	case MTF_CTL_RL_UPDATE:
	case MTF_CTL_CANCEL:
		/* From a victim we serve, or from the R3 that asked us. */
		if (greq_by_flow(d, &m->flow, false) &&
		    mtfd_prefixes_have(d->cfg.serves, d->cfg.n_serves, from))
			victim_followup(d, from, m);
		else
			rl_update(d, from, m);
		break;
	}
}

static void areq_tick(struct mtfd *d, struct areq *a, uint64_t now)
{
	struct kern_filter kf = { .flow = a->flow };

	if (a->kind == A_BLOCK && a->check_ms && now >= a->check_ms) {
		/* "Traffic of F still seen after Ttmp": watch Ttmp/2 more. */
		if (kern_filter_get(d->kern, &kf))
			kf.hits = 0;
		if (!a->hits_at_stop) {
			a->hits_at_stop = kf.hits + 1;	/* +1: 0 means unread */
			a->check_ms = now + d->cfg.ttmp_ms / 2;
			asched(d, a);
			return;
		}
		a->check_ms = 0;
		if (kf.hits + 1 > a->hits_at_stop) {
			char b[512];

			log_info("source still sends after Ttmp: disconnecting %s",
				 mtfd_flow_str(&a->flow, b, sizeof(b)));
			a->kind = A_DISCONNECT;
			a->expires_ms = now + d->cfg.tlong_ms;
			ainstall(d, a, MTF_CTL_BLOCK, d->cfg.tlong_ms);
			d->stats[ST_AG_DISCONNECTED]++;
		} else {
			/* It complied: its own filter holds for Tlong. */
			uninstall(d, &a->flow);
			a->expires_ms = now;
		}
	}
	if (now >= a->expires_ms)
		areq_free(d, a);
	else
		asched(d, a);
}

static void greq_tick(struct mtfd *d, struct greq *g, uint64_t now)
{
	struct mtf_ctl_flow temp;

	if (g->state == G_PENDING && now >= g->next_ms) {
		if (g->tries > d->cfg.retries) {
			log_debug("request %08x: no answer from the %s", g->id,
				 g->warning ? "warned gateway" : "attack gateway");
			escalate(d, g);
			return;
		}
		/* Keep the victim relieved while the handshake runs. */
		if (g->temp) {
			flow_upto(&g->flow, our_slot(d, &g->flow), &temp);
			ginstall(d, g, &temp, d->cfg.ttmp_ms, C_R3_TEMP);
		}
		hs_send(d, g, true);
	} else if (g->state != G_PENDING && now >= g->expires_ms) {
		greq_free(d, g);
	} else {
		gsched(d, g);
	}
}

/* What is due, from the heap: the cost is the work, not the table size. */
void gateway_tick(struct mtfd *d, uint64_t now)
{
	struct mtfd_timer t;

	while (d->heap_n && d->heap[0].at <= now) {
		t = d->heap[0];
		d->heap[0] = d->heap[--d->heap_n];
		if (d->heap_n)
			heap_down(d->heap, d->heap_n, 0);
		if (t.kind == T_GREQ) {
			struct greq *g = &d->greqs[t.idx];

			if (g->used && g->tgen == t.gen) {
				g->sched_at = 0;
				greq_tick(d, g, now);
			}
		} else {
			struct areq *a = &d->areqs[t.idx];

			if (a->used && a->tgen == t.gen) {
				a->sched_at = 0;
				areq_tick(d, a, now);
			}
		}
	}
	gateway_flush(d);
}

/*
 * A restarted mtfd: the kernel kept our filters (owner MTF_OWNER_MTFD),
 * their cookies say what each was.  R1/R4's filters come back as they
 * were (the stop check of one being watched starts again); R3's local
 * filters too; a temporary one means a handshake was running: it starts
 * again, the filter kept in place meanwhile.  Nothing is installed twice.
 */
struct resync {
	struct mtfd *d;
	unsigned int n, skipped;
};

static int resync_one(const struct kern_filter *kf, void *arg)
{
	struct resync *r = arg;
	struct mtfd *d = r->d;
	uint64_t now = mtfd_now_ms();
	struct mtf_ctl_addr peer;
	uint8_t kind;
	uint32_t id;
	int me;

	if (!cookie_get(kf, &kind, &id, &peer)) {
		r->skipped++;
		return 0;
	}
	if (kind > C_AREQ && kind <= C_AREQ + A_WARNED) {
		struct areq *a = areq_by_flow(d, &kf->flow);

		if (a || !(a = areq_new(d, &kf->flow))) {
			r->skipped++;
			return 0;
		}
		a->kind = (uint8_t)(kind - C_AREQ);
		a->requester = peer;
		a->rate_pps = kf->rate_pps;
		a->last_update_ms = now;
		a->expires_ms = kf->expires_ms ? now + kf->expires_ms : now + d->cfg.tlong_ms;
		if (a->kind == A_BLOCK) {
			a->stop_sent = true;
			a->check_ms = now;	/* watch again: Ttmp/2 from now */
		}
		asched(d, a);
		r->n++;
		return 0;
	}
	me = our_slot(d, &kf->flow);
	if ((kind == C_R3_TEMP || kind == C_R3_LOCAL) && me >= 0) {
		struct greq *g = greq_by_flow(d, &kf->flow, false);

		if (g || !(g = greq_new(d, &kf->flow, false))) {
			r->skipped++;
			return 0;
		}
		g->victim = peer;
		g->action = kf->action;
		g->rate_pps = kf->rate_pps;
		if (kind == C_R3_LOCAL) {
			g->state = G_LOCAL;
			g->expires_ms = kf->expires_ms ? now + kf->expires_ms
						       : now + d->cfg.tlong_ms;
			gsched(d, g);
		} else {
			g->state = G_PENDING;
			g->temp = true;
			while (g->target_slot < me &&
			       mtfd_is_router_addr(d, &kf->flow.slots[g->target_slot].addr))
				g->target_slot++;
			if (g->target_slot >= me) {
				keep_local(d, g);
			} else {
				g->target = kf->flow.slots[g->target_slot].addr;
				hs_send(d, g, false);
			}
		}
		r->n++;
		return 0;
	}
	r->skipped++;
	return 0;
}

int gateway_resync(struct mtfd *d)
{
	struct resync r = { d, 0, 0 };
	int ret;

	ret = kern_filter_walk(d->kern, true, MTF_OWNER_MTFD, resync_one, &r);
	if (ret) {
		log_err("resync: %s", kern_error(d->kern));
		return ret;
	}
	d->stats[ST_RESYNCED] += r.n;
	if (r.n || r.skipped)
		log_info("resync: %u filters of ours taken back from mtf.ko%s", r.n,
			 r.skipped ? " (some not understood, left alone)" : "");
	return 0;
}

int gateway_init(struct mtfd *d)
{
	char err[512];

	d->greqs = calloc(d->cfg.max_pending, sizeof(*d->greqs));
	d->gid_hash = malloc(gsz(d) * sizeof(int32_t));
	d->gflow_hash = malloc(gsz(d) * sizeof(int32_t));
	d->areqs = calloc(d->cfg.max_active, sizeof(*d->areqs));
	d->aflow_hash = malloc(asz(d) * sizeof(int32_t));
	d->heap_cap = 4 * (d->cfg.max_pending + d->cfg.max_active);
	d->heap = calloc(d->heap_cap, sizeof(*d->heap));
	if (!d->greqs || !d->gid_hash || !d->gflow_hash || !d->areqs || !d->aflow_hash ||
	    !d->heap)
		return -ENOMEM;
	memset(d->gid_hash, 0xff, gsz(d) * sizeof(int32_t));
	memset(d->gflow_hash, 0xff, gsz(d) * sizeof(int32_t));
	memset(d->aflow_hash, 0xff, asz(d) * sizeof(int32_t));
	/* Without a file, the graph is what the recorded paths show. */
	d->topo = topo_new(NULL);
	if (!d->topo)
		return -ENOMEM;
	if (d->cfg.topology[0] &&
	    topo_load_file(d->topo, d->cfg.topology, err, sizeof(err))) {
		log_err("%s", err);
		return -EINVAL;
	}
	return gateway_resync(d);
}

void gateway_fini(struct mtfd *d)
{
	/* Ours only: the operator's filters (owner 0) stay. */
	if (d->cfg.withdraw_on_exit && d->kern &&
	    kern_filter_flush_owner(d->kern, MTF_OWNER_MTFD))
		log_err("withdraw: %s", kern_error(d->kern));
	topo_free(d->topo);
	free(d->greqs);
	free(d->gid_hash);
	free(d->gflow_hash);
	free(d->areqs);
	free(d->aflow_hash);
	free(d->heap);
}
