// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "parse.h"
#include "schedule.h"

#define LABEL_PREFIX "roam-v1 "

int roam_sched_check(const struct roam_sched_params *p, const char **why)
{
	const char *w = NULL;

	if (p->nservers < 2 || p->nservers > ROAM_POOL_MAX)
		w = "the pool needs 2 to 64 servers";
	else if (p->min_ms < ROAM_INTERVAL_MIN_MS)
		w = "minimum interval below 100 ms";
	else if (p->max_low_ms > ROAM_INTERVAL_MAX_MS)
		w = "maximum interval above 24 h";
	else if (!(p->min_ms <= p->max_high_ms && p->max_high_ms <= p->max_low_ms))
		w = "need min <= max-high <= max-low";
	if (why)
		*why = w;
	return w ? -EINVAL : 0;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int k = 7; k >= 0; k--, v >>= 8)
		p[k] = v & 0xff;
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int k = 0; k < 8; k++)
		v = v << 8 | p[k];
	return v;
}

/*
 * HMAC-SHA256(K, "roam-v1 " label || 0x00 || be64(i) || level || ctr),
 * read as four big-endian 64-bit words; the first word below the largest
 * multiple of `range` wins.  A word is rejected with probability
 * < range / 2^64, so ctr > 0 essentially never happens, but the result is
 * exactly uniform and still deterministic.
 */
uint64_t roam_sched_uniform(const uint8_t key[ROAM_KEY_LEN], const char *label,
			    uint64_t i, uint8_t level, uint64_t range)
{
	uint8_t msg[64], mac[EVP_MAX_MD_SIZE];
	size_t off, ll = strlen(label);
	uint64_t rem, w;
	unsigned int maclen;

	if (range <= 1)
		return 0;
	/* 2^64 mod range: accept w < 2^64 - rem, a multiple of range. */
	rem = (UINT64_MAX % range + 1) % range;
	if (ll > sizeof(msg) - sizeof(LABEL_PREFIX) - 11)
		abort();
	memcpy(msg, LABEL_PREFIX, sizeof(LABEL_PREFIX) - 1);
	off = sizeof(LABEL_PREFIX) - 1;
	memcpy(msg + off, label, ll);
	off += ll;
	msg[off++] = 0;
	put_be64(msg + off, i);
	off += 8;
	msg[off++] = level;
	for (unsigned int ctr = 0;; ctr++) {
		msg[off] = (uint8_t)ctr;
		HMAC(EVP_sha256(), key, ROAM_KEY_LEN, msg, off + 1, mac, &maclen);
		for (int k = 0; k < 4; k++) {
			w = get_be64(mac + 8 * k);
			if (!rem || w <= UINT64_MAX - rem)
				return w % range;
		}
	}
}

uint32_t roam_sched_bound(const struct roam_sched_params *p, int level)
{
	return level == ROAM_THREAT_HIGH ? p->max_high_ms : p->max_low_ms;
}

void roam_sched_first(const struct roam_sched_params *p,
		      const uint8_t anchor[ROAM_KEY_LEN], struct roam_epoch *e)
{
	e->index = 1;
	e->start_ms = p->start_ms;
	e->server = (uint32_t)roam_sched_uniform(anchor, "first-server", 0, 0,
						 p->nservers);
}

void roam_sched_next(const struct roam_sched_params *p,
		     const struct roam_epoch *e, const uint8_t key[ROAM_KEY_LEN],
		     int level, struct roam_epoch *next)
{
	uint64_t span = roam_sched_bound(p, level) - p->min_ms + 1;
	uint32_t s;

	s = (uint32_t)roam_sched_uniform(key, "server", e->index, 0,
					 p->nservers - 1);
	if (s >= e->server)
		s++;			/* never the current server */
	next->start_ms = e->start_ms + p->min_ms +
		roam_sched_uniform(key, "interval", e->index, (uint8_t)level, span);
	next->index = e->index + 1;
	next->server = s;
}

const char *roam_threat_name(int level)
{
	return level == ROAM_THREAT_HIGH ? "high" : "low";
}

int roam_threat_parse(const char *s)
{
	if (!strcmp(s, "low"))
		return ROAM_THREAT_LOW;
	if (!strcmp(s, "high"))
		return ROAM_THREAT_HIGH;
	return -EINVAL;
}

static int parse_port(const char *s, uint16_t *port)
{
	return parse_u16(s, 1, UINT16_MAX, port) ? -EINVAL : 0;
}

int roam_addr_parse(const char *s, struct roam_addr *a)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	size_t hl;

	memset(a, 0, sizeof(*a));
	if (*s == '[') {
		colon = strstr(s, "]:");
		if (!colon)
			return -EINVAL;
		hl = (size_t)(colon - s - 1);
		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, hl);
		host[hl] = 0;
		if (inet_pton(AF_INET6, host, a->addr) != 1)
			return -EINVAL;
		a->family = 6;
		return parse_port(colon + 2, &a->port);
	}
	colon = strrchr(s, ':');
	if (!colon)
		return -EINVAL;
	hl = (size_t)(colon - s);
	if (hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hl);
	host[hl] = 0;
	if (inet_pton(AF_INET, host, a->addr) != 1)
		return -EINVAL;
	a->family = 4;
	return parse_port(colon + 1, &a->port);
}

void roam_addr_format(const struct roam_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (a->family == 6) {
		inet_ntop(AF_INET6, a->addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, a->port);
	} else {
		inet_ntop(AF_INET, a->addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, a->port);
	}
}

struct json_object *roam_epoch_json(const struct roam_epoch *e, uint64_t end_ms,
				    int level, const struct roam_addr *pool)
{
	struct json_object *o = json_object_new_object();
	char addr[64];

	if (!o)
		return NULL;
	roam_addr_format(&pool[e->server], addr, sizeof(addr));
	json_object_object_add(o, "event", json_object_new_string("epoch"));
	json_object_object_add(o, "epoch", json_object_new_uint64(e->index));
	json_object_object_add(o, "start_ms", json_object_new_uint64(e->start_ms));
	json_object_object_add(o, "end_ms", json_object_new_uint64(end_ms));
	json_object_object_add(o, "server", json_object_new_int64(e->server));
	json_object_object_add(o, "addr", json_object_new_string(addr));
	json_object_object_add(o, "level",
			       json_object_new_string(roam_threat_name(level)));
	return o;
}
