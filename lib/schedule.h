/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Roaming schedule derived from the hash chain (chain.h).
 *
 * Epoch i (i >= 1) is the half-open time interval [T_i, T_{i+1}) in
 * CLOCK_REALTIME milliseconds during which pool server S_i is active.
 *
 *   T_1 = start_ms,  S_1 = U(K_0, "first-server", N)
 *   T_{i+1} = T_i + min + U(K_i, "interval", max(level_i) - min + 1)
 *   S_{i+1} = the U(K_i, "server", N - 1)-th server other than S_i
 *
 * where U(K, label, r) is a uniform draw in [0, r) from HMAC-SHA256 keyed
 * with K (rejection sampling: no modulo bias) and level_i is the threat
 * level authd released K_i with.  Full definition and test vectors:
 * Documentation/roaming-schedule.md.
 */
#ifndef ROAM_SCHEDULE_H
#define ROAM_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "chain.h"

struct json_object;

enum roam_threat {
	ROAM_THREAT_LOW = 0,
	ROAM_THREAT_HIGH = 1,
};

#define ROAM_POOL_MAX		64
#define ROAM_INTERVAL_MIN_MS	100U
#define ROAM_INTERVAL_MAX_MS	(24U * 3600 * 1000)

struct roam_addr {
	uint8_t family;			/* 4 or 6 */
	uint16_t port;			/* host order */
	uint8_t addr[16];		/* network order; IPv4 in the first 4 */
};

struct roam_sched_params {
	uint64_t start_ms;		/* T_1 */
	uint32_t min_ms;
	uint32_t max_low_ms;		/* upper bound at threat level low */
	uint32_t max_high_ms;		/* smaller upper bound at level high */
	uint32_t nservers;		/* N >= 2 */
};

struct roam_epoch {
	uint64_t index;			/* i */
	uint64_t start_ms;		/* T_i */
	uint32_t server;		/* S_i */
};

/* 0, or -EINVAL with a reason in *why. */
int roam_sched_check(const struct roam_sched_params *p, const char **why);

uint64_t roam_sched_uniform(const uint8_t key[ROAM_KEY_LEN], const char *label,
			    uint64_t i, uint8_t level, uint64_t range);

uint32_t roam_sched_bound(const struct roam_sched_params *p, int level);

/* Epoch 1 from the anchor K_0. */
void roam_sched_first(const struct roam_sched_params *p,
		      const uint8_t anchor[ROAM_KEY_LEN], struct roam_epoch *e);

/* Epoch i+1 from epoch i, K_i and the level K_i was released with. */
void roam_sched_next(const struct roam_sched_params *p,
		     const struct roam_epoch *e, const uint8_t key[ROAM_KEY_LEN],
		     int level, struct roam_epoch *next);

/* "low" / "high" and back; -EINVAL on anything else. */
const char *roam_threat_name(int level);
int roam_threat_parse(const char *s);

/* "A.B.C.D:PORT" or "[v6]:PORT". 0 or -EINVAL. */
int roam_addr_parse(const char *s, struct roam_addr *a);
void roam_addr_format(const struct roam_addr *a, char *buf, size_t len);

/*
 * One JSON object describing a fully known epoch (both ends), identical in
 * authd --print-schedule and roam-client, so tests can compare them:
 * {"event":"epoch","epoch":N,"start_ms":N,"end_ms":N,"server":N,
 *  "addr":"A:P","level":"low"}.  NULL without memory; print it with
 * jsonl_print().
 */
struct json_object *roam_epoch_json(const struct roam_epoch *e, uint64_t end_ms,
				    int level, const struct roam_addr *pool);

#endif
