/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mtfd's kernel boundary: mtf.ko over generic netlink in our namespace,
 * one socket for requests, one joined to the events group (path rates).
 */
#ifndef MTFD_KERN_H
#define MTFD_KERN_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"

struct kern;

struct kern_filter {
	struct mtf_ctl_flow flow;	/* slots or iif, src, dst */
	uint8_t action;			/* MTF_CTL_BLOCK / MTF_CTL_RATELIMIT */
	uint64_t rate_pps;
	uint32_t timeout_ms;		/* 0: permanent */
	/* origin: who installed it (MTF_OWNER_*) and its cookie */
	uint32_t owner;
	uint8_t cookie_len;
	uint8_t cookie[32];
	/* read back */
	uint64_t expires_ms, hits, drops;
};

struct kern_path_event {
	struct mtf_ctl_flow flow;	/* slots, dst; no src */
	bool suffix;
	uint64_t rate_pps, packets;
};

int kern_open(struct kern **kp, bool events);
void kern_close(struct kern *k);
const char *kern_error(const struct kern *k);
int kern_events_fd(const struct kern *k);

/* Our marks for @dst_be (current key, and the previous one if still valid). */
int kern_mark(struct kern *k, uint32_t dst_be, uint32_t *mark, uint32_t *prev,
	      bool *has_prev);
int kern_filter_add(struct kern *k, const struct kern_filter *f, bool replace);
/*
 * Added (replacing) with the next kern_flush() or any other request, in
 * one message with the other batched filters: one round trip for many.
 */
int kern_filter_add_batched(struct kern *k, const struct kern_filter *f);
/* 0, or the error of the batch (entries before the bad one applied). */
int kern_flush(struct kern *k);
void kern_batch_stats(const struct kern *k, uint64_t *batches, uint64_t *filters);
/* 0, or -ENOENT when there was none (expired). */
int kern_filter_del(struct kern *k, const struct mtf_ctl_flow *flow);
/* Fills hits/drops/expires of @f's flow: 0, -ENOENT, or an error. */
int kern_filter_get(struct kern *k, struct kern_filter *f);
/* Every filter (of @owner if @by_owner), through @cb (nonzero stops). */
int kern_filter_walk(struct kern *k, bool by_owner, uint32_t owner,
		     int (*cb)(const struct kern_filter *f, void *arg), void *arg);
/* Remove every filter of @owner. */
int kern_filter_flush_owner(struct kern *k, uint32_t owner);
/* The kernel's path-rate events threshold and suffix length (0: leave). */
int kern_set_policy(struct kern *k, uint32_t thresh_pps, uint8_t suffix_len);
/* The kernel's path-rate events threshold now (0: no events). */
int kern_get_threshold(struct kern *k, uint32_t *thresh_pps);
/*
 * Reads pending events: @cb per path event.  Returns 0 or an error;
 * *@lost tells that the kernel dropped events (socket overrun) meanwhile.
 */
int kern_events_read(struct kern *k,
		     void (*cb)(const struct kern_path_event *e, void *arg),
		     void *arg, bool *lost);
/* Every accounted path or suffix, through @cb. */
int kern_path_walk(struct kern *k,
		   void (*cb)(const struct kern_path_event *e, void *arg), void *arg);

#endif
