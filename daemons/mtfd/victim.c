// SPDX-License-Identifier: GPL-2.0
/*
 * The victim role: the policy that turns path-rate events of mtf.ko into
 * filter requests (one per path suffix, whatever the sources), the
 * operator's requests, retries until the gateway acknowledges, and the
 * rate-limit feedback (RL_UPDATE) while a rate limit lasts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "log.h"

#define VREQ_MAX	1024
/*
 * Path table dumps after lost events at most this often: an event storm
 * that overruns the socket again and again costs one dump a second.
 */
#define SCAN_MIN_MS	1000

int victim_init(struct mtfd *d)
{
	int ret;

	d->vreqs = calloc(VREQ_MAX, sizeof(*d->vreqs));
	if (!d->vreqs)
		return -ENOMEM;
	d->n_vreqs = VREQ_MAX;
	if (d->cfg.threshold_pps) {
		ret = kern_set_policy(d->kern, d->cfg.threshold_pps, d->cfg.suffix_len);
		if (ret) {
			log_err("%s", kern_error(d->kern));
			return ret;
		}
	}
	return 0;
}

static void victim_scan(struct mtfd *d, const char *why);

static struct vreq *find(struct mtfd *d, const struct mtf_ctl_flow *f)
{
	for (unsigned int i = 0; i < d->n_vreqs; i++)
		if (d->vreqs[i].used && mtfd_flow_eq(&d->vreqs[i].flow, f))
			return &d->vreqs[i];
	return NULL;
}

static void send_req(struct mtfd *d, struct vreq *v, bool retry)
{
	struct mtf_ctl_msg m;

	mtfd_msg_init(&m, MTF_CTL_FILTER_REQ, v->id);
	m.flags = retry ? MTF_CTL_F_RETRY : 0;
	m.flow = v->flow;
	m.action = v->action;
	m.present = B(FLOW) | B(ACTION);
	if (v->action == MTF_CTL_RATELIMIT) {
		m.rate_pps = v->rate_pps;
		m.present |= B(RATE_PPS);
	}
	v->tries++;
	v->next_ms = mtfd_now_ms() + d->cfg.retry_ms;
	mtfd_send(d, &d->cfg.victim_gw, &m, false);
}

int victim_request(struct mtfd *d, const struct mtf_ctl_flow *f, uint8_t action,
		   uint64_t rate_pps, bool manual, char *err, size_t errlen)
{
	struct vreq *v = find(d, f);

	if (!(d->cfg.roles & MTFD_ROLE_VICTIM)) {
		snprintf(err, errlen, "this mtfd has no victim role");
		return -EOPNOTSUPP;
	}
	if (!f->nslots) {
		snprintf(err, errlen, "a request names a recorded path (slots)");
		return -EINVAL;
	}
	if (!mtfd_addr_eq(&f->dst, &d->cfg.self)) {
		snprintf(err, errlen, "a victim asks only about traffic to itself (dst %s)",
			 "must be this mtfd's address");
		return -EINVAL;
	}
	if (action == MTF_CTL_RATELIMIT && !rate_pps) {
		snprintf(err, errlen, "a rate limit needs a rate");
		return -EINVAL;
	}
	if (v && (v->state == V_SENT || v->state == V_ACKED) && v->action == action &&
	    v->rate_pps == rate_pps)
		return 0;
	if (!v) {
		for (unsigned int i = 0; i < d->n_vreqs && !v; i++)
			if (!d->vreqs[i].used)
				v = &d->vreqs[i];
	}
	if (!v) {
		snprintf(err, errlen, "too many requests (%u)", d->n_vreqs);
		return -ENOSPC;
	}
	memset(v, 0, sizeof(*v));
	v->used = true;
	v->id = mtfd_random_id();
	v->flow = *f;
	v->action = action;
	v->rate_pps = rate_pps;
	v->state = V_SENT;
	v->manual = manual;
	v->created_ms = mtfd_now_ms();
	d->stats[ST_REQ_SENT]++;
	send_req(d, v, false);
	return 0;
}

int victim_cancel(struct mtfd *d, const struct mtf_ctl_flow *f, char *err,
		  size_t errlen)
{
	struct vreq *v = find(d, f);
	struct mtf_ctl_msg m;

	if (!v || v->state == V_CANCELLED) {
		snprintf(err, errlen, "no such request");
		return -ENOENT;
	}
	mtfd_msg_init(&m, MTF_CTL_CANCEL, v->id);
	m.flow = v->flow;
	m.present = B(FLOW);
	mtfd_send(d, &d->cfg.victim_gw, &m, false);
	v->state = V_CANCELLED;
	v->expires_ms = mtfd_now_ms() + d->cfg.ttmp_ms;
	return 0;
}

void victim_rx(struct mtfd *d, const struct mtf_ctl_addr *from,
	       const struct mtf_ctl_msg *m)
{
	struct vreq *v = NULL;
	uint64_t now = mtfd_now_ms();

	if (m->type != MTF_CTL_FILTER_ACK || !mtfd_addr_eq(from, &d->cfg.victim_gw)) {
		/* E.g. a nonce nobody intercepted: not ours to answer. */
		d->stats[ST_RX_UNEXPECTED]++;
		return;
	}
	for (unsigned int i = 0; i < d->n_vreqs && !v; i++)
		if (d->vreqs[i].used && d->vreqs[i].id == m->id)
			v = &d->vreqs[i];
	if (!v || v->state != V_SENT)
		return;
	v->status = m->status;
	if (m->status == MTF_CTL_OK) {
		v->state = V_ACKED;
		v->acked_ms = now;
		v->last_update_ms = now;
		v->expires_ms = now + d->cfg.tlong_ms;
		d->stats[ST_REQ_ACKED]++;
		log_info("request %08x acknowledged after %llu ms", v->id,
			 (unsigned long long)(now - v->created_ms));
	} else {
		v->state = V_REFUSED;
		v->expires_ms = now + d->cfg.ttmp_ms;
		d->stats[ST_REQ_REFUSED]++;
		log_warn("request %08x refused by the gateway (status %u)", v->id,
			 m->status);
	}
}

/* The suffix's rate as accounted here, for the AIMD feedback. */
struct rate_find {
	const struct mtf_ctl_flow *f;
	uint64_t packets;
	bool found;
};

static void rate_cb(const struct kern_path_event *e, void *arg)
{
	struct rate_find *r = arg;
	const struct mtf_ctl_flow *f = r->f;

	if (e->flow.nslots != f->nslots)
		return;
	for (unsigned int i = 0; i < f->nslots; i++)
		if (e->flow.slots[i].mark != f->slots[i].mark ||
		    !mtfd_addr_eq(&e->flow.slots[i].addr, &f->slots[i].addr))
			return;
	r->packets += e->packets;
	r->found = true;
}

/*
 * The suffix's rate here over the last period, from the packet counts
 * (the kernel's EWMA lags a halving by seconds): attack or quiet.
 */
static void rl_feedback(struct mtfd *d, struct vreq *v, uint64_t now)
{
	struct rate_find r = { .f = &v->flow };
	struct mtf_ctl_msg m;
	uint64_t pps;

	if (kern_path_walk(d->kern, rate_cb, &r)) {
		d->stats[ST_KERN_ERR]++;
		return;
	}
	if (!v->last_pkts_ms || r.packets < v->last_pkts) {
		v->last_pkts = r.packets;
		v->last_pkts_ms = now;
		v->last_update_ms = now;
		return;
	}
	pps = (r.packets - v->last_pkts) * 1000 / (now - v->last_pkts_ms ? now - v->last_pkts_ms : 1);
	v->last_pkts = r.packets;
	v->last_pkts_ms = now;
	v->last_pps = pps;
	mtfd_msg_init(&m, MTF_CTL_RL_UPDATE, v->id);
	m.flow = v->flow;
	m.attack = pps > d->cfg.attack_pps;
	m.present = B(FLOW) | B(ATTACK);
	v->last_update_ms = now;
	v->expires_ms = now + d->cfg.tlong_ms;
	log_debug("request %08x: %llu pps here, %s", v->id, (unsigned long long)pps,
		  m.attack ? "attack" : "quiet");
	mtfd_send(d, &d->cfg.victim_gw, &m, false);
}

void victim_tick(struct mtfd *d, uint64_t now)
{
	if (d->scan_pending && now >= d->next_scan_ms) {
		d->scan_pending = false;
		victim_scan(d, "events lost");
		d->next_scan_ms = now + SCAN_MIN_MS;
	}
	for (unsigned int i = 0; i < d->n_vreqs; i++) {
		struct vreq *v = &d->vreqs[i];

		if (!v->used)
			continue;
		if (v->state == V_SENT && now >= v->next_ms) {
			if (v->tries > d->cfg.retries) {
				v->state = V_TIMEOUT;
				v->expires_ms = now + d->cfg.ttmp_ms;
				d->stats[ST_REQ_TIMEOUT]++;
				log_warn("request %08x: the gateway does not answer", v->id);
			} else {
				send_req(d, v, true);
			}
		} else if (v->state == V_ACKED && v->action == MTF_CTL_RATELIMIT &&
			   now - v->last_update_ms >= d->cfg.ttmp_ms) {
			rl_feedback(d, v, now);
		} else if (v->state != V_SENT && now >= v->expires_ms) {
			v->used = false;
		}
	}
}

static bool allowed(const struct mtfd *d, const struct mtf_ctl_flow *f)
{
	for (unsigned int i = 0; i < f->nslots; i++)
		for (unsigned int j = 0; j < d->cfg.n_allow_routers; j++)
			if (mtfd_addr_eq(&f->slots[i].addr, &d->cfg.allow_routers[j]))
				return true;
	return false;
}

static void path_event(const struct kern_path_event *e, void *arg)
{
	struct mtfd *d = arg;
	struct mtf_ctl_flow f;
	char err[128], b[512];
	unsigned int k = d->cfg.suffix_len;

	if (!e->flow.nslots || !mtfd_addr_eq(&e->flow.dst, &d->cfg.self))
		return;
	/* One request per path suffix: its sources do not matter. */
	memset(&f, 0, sizeof(f));
	f.dst = e->flow.dst;
	if (k > e->flow.nslots)
		k = e->flow.nslots;
	f.nslots = (uint8_t)k;
	memcpy(f.slots, &e->flow.slots[e->flow.nslots - k], k * sizeof(f.slots[0]));
	if (allowed(d, &f))
		return;
	log_info("policy: %s at %llu pps, over %u", mtfd_flow_str(&f, b, sizeof(b)),
		 (unsigned long long)e->rate_pps, d->cfg.threshold_pps);
	if (victim_request(d, &f, d->cfg.policy_action, d->cfg.policy_action ==
			   MTF_CTL_RATELIMIT ? d->cfg.policy_rate_pps : 0, false,
			   err, sizeof(err)))
		log_warn("policy request: %s", err);
}

struct scan {
	struct mtfd *d;
	uint32_t thresh;
	unsigned int over;
};

static void scan_cb(const struct kern_path_event *e, void *arg)
{
	struct scan *s = arg;

	if (e->rate_pps < s->thresh)
		return;
	s->over++;
	path_event(e, s->d);
}

/*
 * mtf.ko sends a path's event once, when its rate crosses the threshold
 * upward, whether anyone listens or not: a path already above it when we
 * start (or set the threshold), or whose event was lost to an overrun,
 * would never be asked about.  So then every path the kernel's table has
 * above its threshold goes through path_event() as if its event had just
 * come; victim_request() leaves alone a suffix already asked for.  Called
 * after joining the events group: a crossing during the dump comes as an
 * event as well, and is the same request.
 */
static void victim_scan(struct mtfd *d, const char *why)
{
	struct scan s = { .d = d };

	if (kern_get_threshold(d->kern, &s.thresh) ||
	    (s.thresh && kern_path_walk(d->kern, scan_cb, &s))) {
		d->stats[ST_KERN_ERR]++;
		log_err("%s", kern_error(d->kern));
		return;
	}
	d->stats[ST_V_SCANS]++;
	d->stats[ST_V_SCAN_OVER] += s.over;
	log_info("path table (%s): %u paths at or above %u pps", why, s.over,
		 s.thresh);
}

void victim_start(struct mtfd *d)
{
	victim_scan(d, "start");
	d->next_scan_ms = mtfd_now_ms() + SCAN_MIN_MS;
}

void victim_events(struct mtfd *d)
{
	bool lost;

	if (kern_events_read(d->kern, path_event, d, &lost)) {
		d->stats[ST_KERN_ERR]++;
		log_err("%s", kern_error(d->kern));
	}
	if (lost) {
		/* From the tick: one dump for a burst of overruns. */
		d->stats[ST_KERN_EV_LOST]++;
		d->scan_pending = true;
	}
}
