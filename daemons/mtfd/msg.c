// SPDX-License-Identifier: GPL-2.0
/*
 * The one encoder and parser of MTF control messages
 * (Documentation/mtf-control.md).  Reads go through struct rd, which
 * checks the remaining length before every access; writes through
 * struct wr, which checks the room left.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "msg.h"

#define B(a)	MTF_CTL_BIT(MTF_CTL_A_##a)
#define RATES	(B(DURATION_MS) | B(RATE_PPS) | B(RATE_BPS))

/* Per message type: attributes required, and those also allowed. */
static const struct {
	const char *name;
	uint32_t req, opt;
} spec[__MTF_CTL_TYPE_MAX] = {
	[MTF_CTL_FILTER_REQ] = { "FILTER_REQ", B(FLOW) | B(ACTION), RATES },
	[MTF_CTL_FILTER_ACK] = { "FILTER_ACK", B(STATUS), 0 },
	[MTF_CTL_HS_REQUEST] = { "HS_REQUEST", B(FLOW) | B(ACTION) | B(ADDR), RATES },
	[MTF_CTL_HS_NONCE] = { "HS_NONCE", B(FLOW) | B(NONCE) | B(EXPIRY_MS) | B(ADDR),
			       B(ACTION) | RATES },
	[MTF_CTL_HS_REPLY] = { "HS_REPLY", B(FLOW) | B(NONCE) | B(EXPIRY_MS) | B(ADDR) |
			       B(ACTION), RATES },
	[MTF_CTL_HS_CONFIRM] = { "HS_CONFIRM", B(FLOW) | B(STATUS), 0 },
	[MTF_CTL_STOP_REQ] = { "STOP_REQ", B(FLOW) | B(DURATION_MS), 0 },
	[MTF_CTL_STOP_ACK] = { "STOP_ACK", B(FLOW) | B(STATUS), 0 },
	[MTF_CTL_WARNING] = { "WARNING", B(FLOW) | B(DURATION_MS), 0 },
	[MTF_CTL_RL_UPDATE] = { "RL_UPDATE", B(FLOW) | B(ATTACK), 0 },
	[MTF_CTL_CANCEL] = { "CANCEL", B(FLOW), 0 },
};

const char *mtf_ctl_type_name(int type)
{
	if (type > 0 && type < __MTF_CTL_TYPE_MAX)
		return spec[type].name;
	return "UNKNOWN";
}

/* ------------------------------------------------------------ reading -- */

struct rd {
	const uint8_t *p;
	size_t left;
};

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * Next attribute: type, value and its length; false at the end.  *bad is
 * set when what is left is not a whole attribute.
 */
static bool next_attr(struct rd *r, uint16_t *type, const uint8_t **v,
		      uint16_t *len, bool *bad)
{
	size_t padded;

	if (!r->left)
		return false;
	if (r->left < 4) {
		*bad = true;
		return false;
	}
	*type = (uint16_t)be(r->p, 2);
	*len = (uint16_t)be(r->p + 2, 2);
	padded = (4 + (size_t)*len + 3) & ~(size_t)3;
	/* The last attribute's padding may not be cut off either. */
	if (padded > r->left) {
		*bad = true;
		return false;
	}
	*v = r->p + 4;
	r->p += padded;
	r->left -= padded;
	return true;
}

/*
 * An address: u8 family, 4 or 16 bytes.  Bytes used, or 0 if invalid:
 * callers compare with the attribute's length, and must not take an
 * empty attribute's 0 for a match (the fuzzer's first find).
 */
static size_t parse_addr(const uint8_t *v, size_t len, struct mtf_ctl_addr *a)
{
	size_t alen;

	if (len < 1)
		return 0;
	if (v[0] == 4)
		alen = 4;
	else if (v[0] == 6)
		alen = 16;
	else
		return 0;
	if (len < 1 + alen)
		return 0;
	memset(a, 0, sizeof(*a));
	a->family = v[0];
	memcpy(a->addr, v + 1, alen);
	return 1 + alen;
}

static size_t addr_len(const struct mtf_ctl_addr *a)
{
	return a->family == 6 ? 17 : 5;
}

static int parse_flow(const uint8_t *v, uint16_t len, struct mtf_ctl_flow *f,
		      const char **why)
{
	struct rd r = { v, len };
	uint32_t seen = 0;
	const uint8_t *av;
	uint16_t t, alen;
	bool bad = false;
	size_t n;

	memset(f, 0, sizeof(*f));
	while (next_attr(&r, &t, &av, &alen, &bad)) {
		if (t == 0 || t >= __MTF_CTL_FA_MAX)
			continue;
		if (t != MTF_CTL_FA_SLOT && (seen & (1u << t))) {
			*why = "repeated flow attribute";
			return -EINVAL;
		}
		seen |= 1u << t;
		switch (t) {
		case MTF_CTL_FA_DST:
			n = parse_addr(av, alen, &f->dst);
			if (!n || n != alen) {
				*why = "bad flow destination";
				return -EINVAL;
			}
			break;
		case MTF_CTL_FA_SRC:
			n = parse_addr(av, alen, &f->src);
			if (!n || n + 1 != alen ||
			    av[n] > (f->src.family == 6 ? 128 : 32)) {
				*why = "bad flow source prefix";
				return -EINVAL;
			}
			f->src_plen = av[n];
			f->has_src = true;
			break;
		case MTF_CTL_FA_SLOT:
			if (f->nslots == MTF_CTL_SLOTS_MAX) {
				*why = "more than 15 slots";
				return -EINVAL;
			}
			n = parse_addr(av, alen, &f->slots[f->nslots].addr);
			if (!n || n + 4 != alen) {
				*why = "bad slot";
				return -EINVAL;
			}
			f->slots[f->nslots++].mark = (uint32_t)be(av + n, 4);
			break;
		case MTF_CTL_FA_IIF:
			if (alen != 4) {
				*why = "bad flow interface";
				return -EINVAL;
			}
			f->iif = (uint32_t)be(av, 4);
			f->has_iif = true;
			break;
		}
	}
	if (bad) {
		*why = "truncated flow attribute";
		return -EINVAL;
	}
	if (!(seen & (1u << MTF_CTL_FA_DST))) {
		*why = "flow without destination";
		return -EINVAL;
	}
	if (!f->nslots == !f->has_iif) {
		*why = "a flow has either slots or an interface";
		return -EINVAL;
	}
	return 0;
}

/* Exact value length per attribute (0: variable, checked by hand). */
static const uint16_t attr_len[__MTF_CTL_A_MAX] = {
	[MTF_CTL_A_NONCE] = MTF_CTL_NONCE_LEN,
	[MTF_CTL_A_EXPIRY_MS] = 8,
	[MTF_CTL_A_DURATION_MS] = 4,
	[MTF_CTL_A_ACTION] = 1,
	[MTF_CTL_A_RATE_PPS] = 8,
	[MTF_CTL_A_RATE_BPS] = 8,
	[MTF_CTL_A_STATUS] = 2,
	[MTF_CTL_A_ATTACK] = 1,
};

static int store_attr(struct mtf_ctl_msg *m, uint16_t t, const uint8_t *v,
		      uint16_t len, const char **why)
{
	if (attr_len[t] && len != attr_len[t]) {
		*why = "attribute of the wrong length";
		return -EINVAL;
	}
	switch (t) {
	case MTF_CTL_A_FLOW:
		return parse_flow(v, len, &m->flow, why);
	case MTF_CTL_A_NONCE:
		memcpy(m->nonce, v, MTF_CTL_NONCE_LEN);
		break;
	case MTF_CTL_A_EXPIRY_MS:
		m->expiry_ms = be(v, 8);
		break;
	case MTF_CTL_A_DURATION_MS:
		m->duration_ms = (uint32_t)be(v, 4);
		break;
	case MTF_CTL_A_ACTION:
		m->action = v[0];
		if (m->action != MTF_CTL_BLOCK && m->action != MTF_CTL_RATELIMIT) {
			*why = "unknown action";
			return -EINVAL;
		}
		break;
	case MTF_CTL_A_RATE_PPS:
		m->rate_pps = be(v, 8);
		break;
	case MTF_CTL_A_RATE_BPS:
		m->rate_bps = be(v, 8);
		break;
	case MTF_CTL_A_STATUS:
		m->status = (uint16_t)be(v, 2);
		if (m->status >= __MTF_CTL_STATUS_MAX) {
			*why = "unknown status";
			return -EINVAL;
		}
		break;
	case MTF_CTL_A_ADDR:
		if (!len || parse_addr(v, len, &m->addr) != len) {
			*why = "bad address";
			return -EINVAL;
		}
		break;
	case MTF_CTL_A_ATTACK:
		m->attack = v[0];
		if (m->attack > 1) {
			*why = "attack is 0 or 1";
			return -EINVAL;
		}
		break;
	}
	return 0;
}

int mtf_ctl_parse(const uint8_t *buf, size_t len, struct mtf_ctl_msg *m,
		  const char **why)
{
	struct rd r;
	const uint8_t *v;
	uint16_t t, alen;
	bool bad = false;
	int ret;

	memset(m, 0, sizeof(*m));
	*why = NULL;
	if (len < MTF_CTL_HDR_LEN) {
		*why = "shorter than the header";
		return -EINVAL;
	}
	if (len > MTF_CTL_MAX) {
		*why = "longer than 1232 bytes";
		return -EINVAL;
	}
	if (buf[0] != MTF_CTL_VERSION) {
		*why = "unknown version";
		return -EINVAL;
	}
	m->type = buf[1];
	if (m->type == 0 || m->type >= __MTF_CTL_TYPE_MAX) {
		*why = "unknown message type";
		return -EINVAL;
	}
	if (be(buf + 2, 2) != len) {
		*why = "length field does not match the datagram";
		return -EINVAL;
	}
	m->id = (uint32_t)be(buf + 4, 4);
	m->flags = (uint16_t)be(buf + 8, 2);
	if (m->flags & ~MTF_CTL_F_RETRY || be(buf + 10, 2)) {
		*why = "unknown flags or reserved bits set";
		return -EINVAL;
	}
	r = (struct rd){ buf + MTF_CTL_HDR_LEN, len - MTF_CTL_HDR_LEN };
	while (next_attr(&r, &t, &v, &alen, &bad)) {
		if (t == 0 || t >= __MTF_CTL_A_MAX)
			continue;	/* newer peers may add attributes */
		if (m->present & MTF_CTL_BIT(t)) {
			*why = "repeated attribute";
			return -EINVAL;
		}
		if (!((spec[m->type].req | spec[m->type].opt) & MTF_CTL_BIT(t))) {
			*why = "attribute not allowed in this message";
			return -EINVAL;
		}
		m->present |= MTF_CTL_BIT(t);
		ret = store_attr(m, t, v, alen, why);
		if (ret)
			return ret;
	}
	if (bad) {
		*why = "truncated attribute";
		return -EINVAL;
	}
	if ((m->present & spec[m->type].req) != spec[m->type].req) {
		*why = "required attribute missing";
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------ writing -- */

struct wr {
	uint8_t *p;
	size_t cap, len;
	bool overflow;
};

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Room for an attribute of @len value bytes, padding zeroed; or NULL. */
static uint8_t *put_attr(struct wr *w, uint16_t t, size_t len)
{
	size_t padded = (4 + len + 3) & ~(size_t)3;
	uint8_t *a;

	if (w->overflow || len > 0xffff || w->len + padded > w->cap) {
		w->overflow = true;
		return NULL;
	}
	a = w->p + w->len;
	put_be(a, t, 2);
	put_be(a + 2, len, 2);
	memset(a + 4, 0, padded - 4);
	w->len += padded;
	return a + 4;
}

static void put_int(struct wr *w, uint16_t t, uint64_t v, int n)
{
	uint8_t *a = put_attr(w, t, (size_t)n);

	if (a)
		put_be(a, v, n);
}

static size_t write_addr(uint8_t *p, const struct mtf_ctl_addr *a)
{
	p[0] = a->family;
	memcpy(p + 1, a->addr, addr_len(a) - 1);
	return addr_len(a);
}

static bool addr_valid(const struct mtf_ctl_addr *a)
{
	return a->family == 4 || a->family == 6;
}

static int check_flow(const struct mtf_ctl_flow *f)
{
	if (!addr_valid(&f->dst) || f->nslots > MTF_CTL_SLOTS_MAX ||
	    !f->nslots == !f->has_iif)
		return -EINVAL;
	if (f->has_src && (!addr_valid(&f->src) ||
			   f->src_plen > (f->src.family == 6 ? 128 : 32)))
		return -EINVAL;
	for (int i = 0; i < f->nslots; i++)
		if (!addr_valid(&f->slots[i].addr))
			return -EINVAL;
	return 0;
}

static void put_flow(struct wr *w, const struct mtf_ctl_flow *f)
{
	struct wr in;
	uint8_t *a, *v;
	size_t len = 4 + 20;	/* DST, at most */

	if (f->has_src)
		len += 4 + 20;
	len += f->nslots * (4 + 24) + (f->has_iif ? 8 : 0);
	a = put_attr(w, MTF_CTL_A_FLOW, len);
	if (!a)
		return;
	/* Written in place, then the outer length set to what it took. */
	in = (struct wr){ a, len, 0, false };
	v = put_attr(&in, MTF_CTL_FA_DST, addr_len(&f->dst));
	write_addr(v, &f->dst);
	if (f->has_src) {
		v = put_attr(&in, MTF_CTL_FA_SRC, addr_len(&f->src) + 1);
		v[write_addr(v, &f->src)] = f->src_plen;
	}
	for (int i = 0; i < f->nslots; i++) {
		v = put_attr(&in, MTF_CTL_FA_SLOT, addr_len(&f->slots[i].addr) + 4);
		put_be(v + write_addr(v, &f->slots[i].addr), f->slots[i].mark, 4);
	}
	if (f->has_iif)
		put_int(&in, MTF_CTL_FA_IIF, f->iif, 4);
	put_be(a - 2, in.len, 2);
	w->len -= len - in.len;		/* both multiples of 4 */
}

static void put_attrs(struct wr *w, const struct mtf_ctl_msg *m, uint32_t which)
{
	uint8_t *v;

	if (which & B(FLOW))
		put_flow(w, &m->flow);
	if (which & B(NONCE)) {
		v = put_attr(w, MTF_CTL_A_NONCE, MTF_CTL_NONCE_LEN);
		if (v)
			memcpy(v, m->nonce, MTF_CTL_NONCE_LEN);
	}
	if (which & B(EXPIRY_MS))
		put_int(w, MTF_CTL_A_EXPIRY_MS, m->expiry_ms, 8);
	if (which & B(DURATION_MS))
		put_int(w, MTF_CTL_A_DURATION_MS, m->duration_ms, 4);
	if (which & B(ACTION))
		put_int(w, MTF_CTL_A_ACTION, m->action, 1);
	if (which & B(RATE_PPS))
		put_int(w, MTF_CTL_A_RATE_PPS, m->rate_pps, 8);
	if (which & B(RATE_BPS))
		put_int(w, MTF_CTL_A_RATE_BPS, m->rate_bps, 8);
	if (which & B(STATUS))
		put_int(w, MTF_CTL_A_STATUS, m->status, 2);
	if (which & B(ADDR)) {
		v = put_attr(w, MTF_CTL_A_ADDR, addr_len(&m->addr));
		if (v)
			write_addr(v, &m->addr);
	}
	if (which & B(ATTACK))
		put_int(w, MTF_CTL_A_ATTACK, m->attack, 1);
}

static int check_msg(const struct mtf_ctl_msg *m)
{
	if (m->type == 0 || m->type >= __MTF_CTL_TYPE_MAX ||
	    m->flags & ~MTF_CTL_F_RETRY)
		return -EINVAL;
	if ((m->present & spec[m->type].req) != spec[m->type].req ||
	    m->present & ~(spec[m->type].req | spec[m->type].opt))
		return -EINVAL;
	if (m->present & B(FLOW) && check_flow(&m->flow))
		return -EINVAL;
	if (m->present & B(ADDR) && !addr_valid(&m->addr))
		return -EINVAL;
	if (m->present & B(ACTION) && m->action != MTF_CTL_BLOCK &&
	    m->action != MTF_CTL_RATELIMIT)
		return -EINVAL;
	if (m->present & B(STATUS) && m->status >= __MTF_CTL_STATUS_MAX)
		return -EINVAL;
	if (m->present & B(ATTACK) && m->attack > 1)
		return -EINVAL;
	return 0;
}

int mtf_ctl_encode(const struct mtf_ctl_msg *m, uint8_t *buf, size_t cap)
{
	struct wr w = { buf, cap < MTF_CTL_MAX ? cap : MTF_CTL_MAX,
			MTF_CTL_HDR_LEN, false };

	if (check_msg(m))
		return -EINVAL;
	if (w.cap < MTF_CTL_HDR_LEN)
		return -EMSGSIZE;
	put_attrs(&w, m, m->present);
	if (w.overflow)
		return -EMSGSIZE;
	buf[0] = MTF_CTL_VERSION;
	buf[1] = m->type;
	put_be(buf + 2, w.len, 2);
	put_be(buf + 4, m->id, 4);
	put_be(buf + 8, m->flags, 2);
	put_be(buf + 10, 0, 2);
	return (int)w.len;
}

/* -------------------------------------------------------------- nonce -- */

/* What the nonce covers: every field the request carried to R1. */
#define NONCE_COVERS	(B(FLOW) | B(ADDR) | B(ACTION) | RATES | B(EXPIRY_MS))

int mtf_ctl_nonce(const uint8_t key[MTF_CTL_KEY_LEN],
		  const struct mtf_ctl_msg *m, uint8_t out[MTF_CTL_NONCE_LEN])
{
	static const char label[16] = "MTF-CTL-NONCE-1";
	uint8_t buf[MTF_CTL_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	struct wr w = { buf, sizeof(buf), sizeof(label), false };

	if (!(m->present & B(FLOW)) || !(m->present & B(ADDR)) ||
	    !(m->present & B(EXPIRY_MS)) || check_flow(&m->flow) ||
	    !addr_valid(&m->addr))
		return -EINVAL;
	/* Domain separation: these bytes are never a message. */
	memcpy(buf, label, sizeof(label));
	put_attrs(&w, m, m->present & NONCE_COVERS);
	if (w.overflow)
		return -EINVAL;
	if (!HMAC(EVP_sha256(), key, MTF_CTL_KEY_LEN, buf, w.len, mac, &maclen) ||
	    maclen < MTF_CTL_NONCE_LEN)
		return -EINVAL;
	memcpy(out, mac, MTF_CTL_NONCE_LEN);
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

bool mtf_ctl_nonce_ok(const uint8_t key[MTF_CTL_KEY_LEN],
		      const struct mtf_ctl_msg *m)
{
	uint8_t want[MTF_CTL_NONCE_LEN];

	if (!(m->present & B(NONCE)) || mtf_ctl_nonce(key, m, want))
		return false;
	return !CRYPTO_memcmp(want, m->nonce, MTF_CTL_NONCE_LEN);
}

int mtf_ctl_key(const uint8_t *secret, size_t len, uint64_t period,
		uint8_t key[MTF_CTL_KEY_LEN])
{
	uint8_t in[16] = "mtfd-key";
	unsigned int n = 0;

	for (int i = 0; i < 8; i++)
		in[8 + i] = (uint8_t)(period >> (56 - 8 * i));
	if (!HMAC(EVP_sha256(), secret, (int)len, in, sizeof(in), key, &n) ||
	    n != MTF_CTL_KEY_LEN)
		return -EINVAL;
	return 0;
}
