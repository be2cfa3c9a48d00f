// SPDX-License-Identifier: GPL-2.0
/*
 * The one parser and encoder of authd messages.  All reads go through
 * struct rd, which checks the remaining length before every access.
 */
#include <errno.h>
#include <string.h>

#include "proto.h"

#define M(t)	(1u << (t))

/* Per attribute: exact length (0: checked by hand), messages it may appear in. */
static const struct {
	uint16_t len;
	uint8_t repeated;
	uint32_t in;
} attr_spec[] = {
	[ROAM_T_EPOCH]		= { 8, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_EPOCH_START_MS]	= { 8, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_SERVER]		= { 4, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_ANCHOR]		= { ROAM_KEY_LEN, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_CHAIN_LEN]	= { 8, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_START_MS]	= { 8, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_MIN_MS]		= { 4, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_MAX_LOW_MS]	= { 4, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_MAX_HIGH_MS]	= { 4, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_THREAT]		= { 1, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_POOL_ADDR]	= { 0, 1, M(ROAM_MSG_PARAMS) },
	[ROAM_T_LOOKAHEAD]	= { 4, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_FIRST_EPOCH]	= { 8, 0, M(ROAM_MSG_KEYS) },
	[ROAM_T_KEY]		= { 1 + ROAM_KEY_LEN, 1, M(ROAM_MSG_KEYS) },
	[ROAM_T_CODE]		= { 4, 0, M(ROAM_MSG_ERROR) },
	[ROAM_T_TEXT]		= { 0, 0, M(ROAM_MSG_ERROR) | M(ROAM_MSG_REVOKED) },
	[ROAM_T_MIG_ID]		= { 4, 0, M(ROAM_MSG_PARAMS) },
	[ROAM_T_MIG_KEY]	= { ROAM_MIG_KEY_LEN, 0, M(ROAM_MSG_PARAMS) },
};
#define ATTR_MAX ((int)(sizeof(attr_spec) / sizeof(attr_spec[0])) - 1)

#define PARAMS_REQUIRED (M(ROAM_T_EPOCH) | M(ROAM_T_EPOCH_START_MS) | \
	M(ROAM_T_SERVER) | M(ROAM_T_ANCHOR) | M(ROAM_T_CHAIN_LEN) | \
	M(ROAM_T_START_MS) | M(ROAM_T_MIN_MS) | M(ROAM_T_MAX_LOW_MS) | \
	M(ROAM_T_MAX_HIGH_MS) | M(ROAM_T_THREAT) | M(ROAM_T_POOL_ADDR) | \
	M(ROAM_T_LOOKAHEAD))

static const uint32_t required[] = {
	[ROAM_MSG_SUBSCRIBE]	= 0,
	[ROAM_MSG_PARAMS]	= PARAMS_REQUIRED,
	[ROAM_MSG_KEYS]		= M(ROAM_T_FIRST_EPOCH) | M(ROAM_T_KEY),
	[ROAM_MSG_REVOKED]	= 0,
	[ROAM_MSG_ERROR]	= M(ROAM_T_CODE),
};

const char *roam_msg_type_name(int type)
{
	static const char *const names[] = {
		[ROAM_MSG_SUBSCRIBE] = "SUBSCRIBE", [ROAM_MSG_PARAMS] = "PARAMS",
		[ROAM_MSG_KEYS] = "KEYS", [ROAM_MSG_REVOKED] = "REVOKED",
		[ROAM_MSG_ERROR] = "ERROR",
	};

	if (type >= ROAM_MSG_SUBSCRIBE && type <= ROAM_MSG_ERROR)
		return names[type];
	return "unknown";
}

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

int roam_msg_frame(const uint8_t *buf, size_t len, size_t *total)
{
	uint64_t body;

	if (len < ROAM_MSG_HDR_LEN)
		return -EAGAIN;
	if (buf[0] != ROAM_PROTO_VERSION || buf[2] || buf[3])
		return -EPROTO;
	body = be(buf + 4, 4);
	if (body > ROAM_MSG_MAX_BODY)
		return -EMSGSIZE;
	*total = ROAM_MSG_HDR_LEN + (size_t)body;
	return 0;
}

static int parse_addr(const uint8_t *v, uint16_t len, struct roam_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (len < 3)
		return -EPROTO;
	a->family = v[0];
	a->port = (uint16_t)be(v + 1, 2);
	if (!a->port)
		return -EPROTO;
	if (a->family == 4 && len == 7)
		memcpy(a->addr, v + 3, 4);
	else if (a->family == 6 && len == 19)
		memcpy(a->addr, v + 3, 16);
	else
		return -EPROTO;
	return 0;
}

static int parse_text(const uint8_t *v, uint16_t len, char *out)
{
	if (len > ROAM_MSG_TEXT_MAX)
		return -EPROTO;
	for (uint16_t k = 0; k < len; k++)
		if (v[k] < 0x20 || v[k] > 0x7e)
			return -EPROTO;
	memcpy(out, v, len);
	out[len] = 0;
	return 0;
}

/* Store one known attribute; the length is already checked against attr_spec. */
static int store_attr(struct roam_msg *m, int t, const uint8_t *v, uint16_t len,
		      const char **why)
{
	switch (t) {
	case ROAM_T_EPOCH:		m->epoch = be(v, 8); break;
	case ROAM_T_EPOCH_START_MS:	m->epoch_start_ms = be(v, 8); break;
	case ROAM_T_SERVER:		m->server = (uint32_t)be(v, 4); break;
	case ROAM_T_ANCHOR:		memcpy(m->anchor, v, ROAM_KEY_LEN); break;
	case ROAM_T_CHAIN_LEN:		m->chain_len = be(v, 8); break;
	case ROAM_T_START_MS:		m->start_ms = be(v, 8); break;
	case ROAM_T_MIN_MS:		m->min_ms = (uint32_t)be(v, 4); break;
	case ROAM_T_MAX_LOW_MS:		m->max_low_ms = (uint32_t)be(v, 4); break;
	case ROAM_T_MAX_HIGH_MS:	m->max_high_ms = (uint32_t)be(v, 4); break;
	case ROAM_T_THREAT:		m->threat = v[0]; break;
	case ROAM_T_LOOKAHEAD:		m->lookahead = (uint32_t)be(v, 4); break;
	case ROAM_T_FIRST_EPOCH:	m->first_epoch = be(v, 8); break;
	case ROAM_T_CODE:		m->code = (uint32_t)be(v, 4); break;
	case ROAM_T_MIG_ID:		m->mig_id = (uint32_t)be(v, 4); break;
	case ROAM_T_MIG_KEY:		memcpy(m->mig_key, v, ROAM_MIG_KEY_LEN); break;
	case ROAM_T_POOL_ADDR:
		if (m->npool >= ROAM_POOL_MAX) {
			*why = "too many pool addresses";
			return -EPROTO;
		}
		if (parse_addr(v, len, &m->pool[m->npool])) {
			*why = "bad pool address";
			return -EPROTO;
		}
		m->npool++;
		break;
	case ROAM_T_KEY:
		if (m->nkeys >= ROAM_KEYS_MAX) {
			*why = "too many keys";
			return -EPROTO;
		}
		m->level[m->nkeys] = v[0];
		memcpy(m->keys[m->nkeys], v + 1, ROAM_KEY_LEN);
		m->nkeys++;
		break;
	case ROAM_T_TEXT:
		if (parse_text(v, len, m->text)) {
			*why = "bad text attribute";
			return -EPROTO;
		}
		break;
	}
	return 0;
}

/* Cross-attribute rules, once everything is read. */
static int check_msg(const struct roam_msg *m, const char **why)
{
	struct roam_sched_params p;

	if (m->type == ROAM_MSG_PARAMS) {
		p = (struct roam_sched_params){ m->start_ms, m->min_ms,
			m->max_low_ms, m->max_high_ms, m->npool };
		if (roam_sched_check(&p, why))
			return -EPROTO;
		if (m->server >= m->npool)
			*why = "active server out of range";
		else if (m->threat > ROAM_THREAT_HIGH)
			*why = "bad threat level";
		else if (!m->epoch || m->epoch > m->chain_len ||
			 m->chain_len > ROAM_CHAIN_MAX_LEN)
			*why = "epoch outside the chain";
		else if (m->lookahead >= ROAM_KEYS_MAX)
			*why = "look-ahead too large";
		else if (m->has_mig && !m->mig_id)
			*why = "migration id 0";
	} else if (m->type == ROAM_MSG_KEYS) {
		if (!m->first_epoch || m->first_epoch > ROAM_CHAIN_MAX_LEN)
			*why = "bad first epoch";
		for (uint32_t k = 0; k < m->nkeys; k++)
			if (m->level[k] > ROAM_THREAT_HIGH)
				*why = "bad key level";
	}
	return *why ? -EPROTO : 0;
}

int roam_msg_parse(const uint8_t *buf, size_t len, struct roam_msg *m,
		   size_t *used, const char **why)
{
	const char *dummy;
	uint32_t seen = 0;
	size_t total, off;
	int ret;

	if (!why)
		why = &dummy;
	*why = NULL;
	ret = roam_msg_frame(buf, len, &total);
	if (ret == -EMSGSIZE)
		*why = "message too big";
	else if (ret == -EPROTO)
		*why = "bad version or flags";
	if (ret)
		return ret;
	if (len < total)
		return -EAGAIN;
	memset(m, 0, sizeof(*m));
	m->type = buf[1];
	if (m->type < ROAM_MSG_SUBSCRIBE || m->type > ROAM_MSG_ERROR) {
		*why = "unknown message type";
		return -EPROTO;
	}
	for (off = ROAM_MSG_HDR_LEN; off < total;) {
		uint16_t t, alen;

		if (total - off < 4) {
			*why = "truncated attribute header";
			return -EPROTO;
		}
		t = (uint16_t)be(buf + off, 2);
		alen = (uint16_t)be(buf + off + 2, 2);
		off += 4;
		if (alen > total - off) {
			*why = "attribute runs past the message";
			return -EPROTO;
		}
		/* Unknown attributes are skipped, so newer peers can add some. */
		if (t >= 1 && t <= ATTR_MAX) {
			if (!(attr_spec[t].in & M(m->type))) {
				*why = "attribute not allowed in this message";
				return -EPROTO;
			}
			if (attr_spec[t].len && attr_spec[t].len != alen) {
				*why = "attribute has the wrong length";
				return -EPROTO;
			}
			if ((seen & M(t)) && !attr_spec[t].repeated) {
				*why = "duplicate attribute";
				return -EPROTO;
			}
			seen |= M(t);
			ret = store_attr(m, t, buf + off, alen, why);
			if (ret)
				return ret;
		}
		off += alen;
	}
	if ((seen & required[m->type]) != required[m->type]) {
		*why = "required attribute missing";
		return -EPROTO;
	}
	m->has_mig = !!(seen & M(ROAM_T_MIG_ID));
	if (m->has_mig != !!(seen & M(ROAM_T_MIG_KEY))) {
		*why = "migration id without key or key without id";
		return -EPROTO;
	}
	ret = check_msg(m, why);
	if (ret)
		return ret;
	*used = total;
	return 0;
}

struct wr {
	uint8_t *buf;
	size_t cap, off;
	int err;
};

static uint8_t *put_attr(struct wr *w, uint16_t t, size_t len)
{
	uint8_t *p;

	if (w->err || len > 0xffff || w->cap - w->off < 4 + len) {
		w->err = -ENOSPC;
		return NULL;
	}
	p = w->buf + w->off;
	put_be(p, t, 2);
	put_be(p + 2, len, 2);
	w->off += 4 + len;
	return p + 4;
}

static void put_int(struct wr *w, uint16_t t, uint64_t v, int n)
{
	uint8_t *p = put_attr(w, t, (size_t)n);

	if (p)
		put_be(p, v, n);
}

static void put_bytes(struct wr *w, uint16_t t, const void *v, size_t len)
{
	uint8_t *p = put_attr(w, t, len);

	if (p)
		memcpy(p, v, len);
}

static void put_pool(struct wr *w, const struct roam_msg *m)
{
	for (uint32_t k = 0; k < m->npool; k++) {
		const struct roam_addr *a = &m->pool[k];
		size_t alen = a->family == 6 ? 16 : 4;
		uint8_t *p = put_attr(w, ROAM_T_POOL_ADDR, 3 + alen);

		if (!p)
			return;
		p[0] = a->family == 6 ? 6 : 4;
		put_be(p + 1, a->port, 2);
		memcpy(p + 3, a->addr, alen);
	}
}

int roam_msg_encode(const struct roam_msg *m, uint8_t *buf, size_t cap)
{
	struct wr w = { buf, cap < ROAM_MSG_MAX ? cap : ROAM_MSG_MAX,
			ROAM_MSG_HDR_LEN, 0 };

	if (cap < ROAM_MSG_HDR_LEN)
		return -ENOSPC;
	if (m->npool > ROAM_POOL_MAX || m->nkeys > ROAM_KEYS_MAX ||
	    (m->type == ROAM_MSG_PARAMS && m->has_mig && !m->mig_id))
		return -EINVAL;
	switch (m->type) {
	case ROAM_MSG_SUBSCRIBE:
		break;
	case ROAM_MSG_PARAMS:
		put_int(&w, ROAM_T_EPOCH, m->epoch, 8);
		put_int(&w, ROAM_T_EPOCH_START_MS, m->epoch_start_ms, 8);
		put_int(&w, ROAM_T_SERVER, m->server, 4);
		put_bytes(&w, ROAM_T_ANCHOR, m->anchor, ROAM_KEY_LEN);
		put_int(&w, ROAM_T_CHAIN_LEN, m->chain_len, 8);
		put_int(&w, ROAM_T_START_MS, m->start_ms, 8);
		put_int(&w, ROAM_T_MIN_MS, m->min_ms, 4);
		put_int(&w, ROAM_T_MAX_LOW_MS, m->max_low_ms, 4);
		put_int(&w, ROAM_T_MAX_HIGH_MS, m->max_high_ms, 4);
		put_int(&w, ROAM_T_THREAT, m->threat, 1);
		put_int(&w, ROAM_T_LOOKAHEAD, m->lookahead, 4);
		if (m->has_mig) {
			put_int(&w, ROAM_T_MIG_ID, m->mig_id, 4);
			put_bytes(&w, ROAM_T_MIG_KEY, m->mig_key, ROAM_MIG_KEY_LEN);
		}
		put_pool(&w, m);
		break;
	case ROAM_MSG_KEYS:
		put_int(&w, ROAM_T_FIRST_EPOCH, m->first_epoch, 8);
		for (uint32_t k = 0; k < m->nkeys; k++) {
			uint8_t *p = put_attr(&w, ROAM_T_KEY, 1 + ROAM_KEY_LEN);

			if (p) {
				p[0] = m->level[k];
				memcpy(p + 1, m->keys[k], ROAM_KEY_LEN);
			}
		}
		break;
	case ROAM_MSG_ERROR:
		put_int(&w, ROAM_T_CODE, m->code, 4);
		/* fall through */
	case ROAM_MSG_REVOKED:
		if (m->text[0])
			put_bytes(&w, ROAM_T_TEXT, m->text,
				  strnlen(m->text, ROAM_MSG_TEXT_MAX));
		break;
	default:
		return -EINVAL;
	}
	if (w.err)
		return w.err;
	buf[0] = ROAM_PROTO_VERSION;
	buf[1] = m->type;
	buf[2] = buf[3] = 0;
	put_be(buf + 4, w.off - ROAM_MSG_HDR_LEN, 4);
	return (int)w.off;
}
