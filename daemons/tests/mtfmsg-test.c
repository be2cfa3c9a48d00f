// SPDX-License-Identifier: GPL-2.0
/*
 * MTF control messages: every type built, encoded and parsed back; each
 * truncation refused; the document's errors refused; the nonce bound to
 * every field it covers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "msg.h"
#include "tap.h"

#define B(a)	MTF_CTL_BIT(MTF_CTL_A_##a)

static void addr4(struct mtf_ctl_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	inet_pton(AF_INET, s, a->addr);
}

static void flow(struct mtf_ctl_flow *f, int nslots)
{
	memset(f, 0, sizeof(*f));
	addr4(&f->dst, "10.0.1.2");
	f->has_src = true;
	addr4(&f->src, "10.9.0.0");
	f->src_plen = 16;
	for (int i = 0; i < nslots; i++) {
		addr4(&f->slots[i].addr, "10.100.0.1");
		f->slots[i].addr.addr[3] = (uint8_t)(i + 1);
		f->slots[i].mark = 0x11223300u + (uint32_t)i;
	}
	f->nslots = (uint8_t)nslots;
	if (!nslots) {
		f->has_iif = true;
		f->iif = 7;
	}
}

/* A full message of @type with every attribute it allows. */
static void sample(struct mtf_ctl_msg *m, int type)
{
	memset(m, 0, sizeof(*m));
	m->type = (uint8_t)type;
	m->id = 0xdeadbeef;
	m->flags = MTF_CTL_F_RETRY;
	flow(&m->flow, 3);
	for (int i = 0; i < MTF_CTL_NONCE_LEN; i++)
		m->nonce[i] = (uint8_t)(0xa0 + i);
	m->expiry_ms = 1796601835966ULL;
	m->duration_ms = 120000;
	m->action = MTF_CTL_RATELIMIT;
	m->rate_pps = 1000;
	m->rate_bps = 8000000;
	m->status = MTF_CTL_NOT_ON_PATH;
	addr4(&m->addr, "10.0.3.254");
	m->attack = 1;
	switch (type) {
	case MTF_CTL_FILTER_REQ:
		m->present = B(FLOW) | B(ACTION) | B(DURATION_MS) | B(RATE_PPS) | B(RATE_BPS);
		break;
	case MTF_CTL_FILTER_ACK:
		m->present = B(STATUS);
		break;
	case MTF_CTL_HS_REQUEST:
		m->present = B(FLOW) | B(ACTION) | B(ADDR) | B(DURATION_MS) | B(RATE_PPS);
		break;
	case MTF_CTL_HS_NONCE:
	case MTF_CTL_HS_REPLY:
		m->present = B(FLOW) | B(NONCE) | B(EXPIRY_MS) | B(ADDR) | B(ACTION) |
			     B(DURATION_MS);
		break;
	case MTF_CTL_HS_CONFIRM:
	case MTF_CTL_STOP_ACK:
		m->present = B(FLOW) | B(STATUS);
		break;
	case MTF_CTL_STOP_REQ:
	case MTF_CTL_WARNING:
		m->present = B(FLOW) | B(DURATION_MS);
		break;
	case MTF_CTL_RL_UPDATE:
		m->present = B(FLOW) | B(ATTACK);
		break;
	case MTF_CTL_CANCEL:
		m->present = B(FLOW);
		break;
	}
}

static bool same_flow(const struct mtf_ctl_flow *a, const struct mtf_ctl_flow *b)
{
	if (memcmp(&a->dst, &b->dst, sizeof(a->dst)) || a->has_src != b->has_src ||
	    a->nslots != b->nslots || a->has_iif != b->has_iif || a->iif != b->iif)
		return false;
	if (a->has_src && (memcmp(&a->src, &b->src, sizeof(a->src)) ||
			   a->src_plen != b->src_plen))
		return false;
	for (int i = 0; i < a->nslots; i++)
		if (memcmp(&a->slots[i].addr, &b->slots[i].addr, sizeof(a->slots[i].addr)) ||
		    a->slots[i].mark != b->slots[i].mark)
			return false;
	return true;
}

/* Encode, parse back, compare what was present. */
static bool roundtrip(const struct mtf_ctl_msg *m, int *len)
{
	uint8_t buf[MTF_CTL_MAX];
	struct mtf_ctl_msg o;
	const char *why;

	*len = mtf_ctl_encode(m, buf, sizeof(buf));
	if (*len < 0 || mtf_ctl_parse(buf, (size_t)*len, &o, &why))
		return false;
	if (o.type != m->type || o.id != m->id || o.flags != m->flags ||
	    o.present != m->present)
		return false;
	if (m->present & B(FLOW) && !same_flow(&m->flow, &o.flow))
		return false;
	if (m->present & B(NONCE) && memcmp(m->nonce, o.nonce, sizeof(o.nonce)))
		return false;
	if ((m->present & B(EXPIRY_MS) && m->expiry_ms != o.expiry_ms) ||
	    (m->present & B(DURATION_MS) && m->duration_ms != o.duration_ms) ||
	    (m->present & B(ACTION) && m->action != o.action) ||
	    (m->present & B(RATE_PPS) && m->rate_pps != o.rate_pps) ||
	    (m->present & B(RATE_BPS) && m->rate_bps != o.rate_bps) ||
	    (m->present & B(STATUS) && m->status != o.status) ||
	    (m->present & B(ATTACK) && m->attack != o.attack))
		return false;
	if (m->present & B(ADDR) && memcmp(&m->addr, &o.addr, sizeof(o.addr)))
		return false;
	return true;
}

static int parse_err(const uint8_t *buf, size_t len, const char *want)
{
	struct mtf_ctl_msg o;
	const char *why = NULL;
	int ret = mtf_ctl_parse(buf, len, &o, &why);

	if (ret != -EINVAL || !why) {
		printf("# parse returned %d (%s), want -EINVAL (%s)\n", ret, why ? why : "-", want);
		return 0;
	}
	if (want && !strstr(why, want)) {
		printf("# refused for \"%s\", want \"%s\"\n", why, want);
		return 0;
	}
	return 1;
}

int main(void)
{
	uint8_t buf[MTF_CTL_MAX], key[MTF_CTL_KEY_LEN], key2[MTF_CTL_KEY_LEN];
	struct mtf_ctl_msg m, o;
	const char *why;
	int len, bad, ok;

	tap_plan(25);

	for (int t = MTF_CTL_FILTER_REQ; t < __MTF_CTL_TYPE_MAX; t++) {
		sample(&m, t);
		ok = roundtrip(&m, &len);
		tap_ok(ok, "%s: encode and parse back (%d bytes)", mtf_ctl_type_name(t), len);
	}

	sample(&m, MTF_CTL_HS_REPLY);
	flow(&m.flow, 15);
	m.flow.has_src = false;
	for (int i = 0; i < 15; i++)
		m.flow.slots[i].addr.family = 6;
	ok = roundtrip(&m, &len);
	tap_ok(ok && len <= MTF_CTL_MAX, "15 IPv6 slots fit one message (%d bytes)", len);

	sample(&m, MTF_CTL_FILTER_REQ);
	flow(&m.flow, 0);
	tap_ok(roundtrip(&m, &len), "an unmarked flow (interface, no slots)");

	/* Every proper prefix of a valid message is refused. */
	sample(&m, MTF_CTL_HS_REPLY);
	len = mtf_ctl_encode(&m, buf, sizeof(buf));
	bad = 0;
	for (int n = 0; n < len; n++) {
		/* The length field follows the cut, so the TLVs are judged. */
		buf[2] = (uint8_t)(n >> 8);
		buf[3] = (uint8_t)n;
		if (!mtf_ctl_parse(buf, (size_t)n, &o, &why))
			bad++;
	}
	tap_ok(!bad, "each of the %d truncations refused (%d accepted)", len, bad);

	len = mtf_ctl_encode(&m, buf, sizeof(buf));
	buf[0] = 2;
	ok = parse_err(buf, (size_t)len, "version");
	buf[0] = 1;
	buf[1] = 99;
	ok &= parse_err(buf, (size_t)len, "type");
	buf[1] = MTF_CTL_HS_REPLY;
	buf[3]++;
	ok &= parse_err(buf, (size_t)len, "length");
	buf[3]--;
	buf[9] |= 2;
	ok &= parse_err(buf, (size_t)len, "flags");
	tap_ok(ok, "bad version, type, length field and flags refused");

	sample(&m, MTF_CTL_CANCEL);
	len = mtf_ctl_encode(&m, buf, sizeof(buf));
	/* An ACTION appended to a CANCEL. */
	memcpy(buf + len, "\x00\x05\x00\x01\x01\x00\x00\x00", 8);
	buf[2] = (uint8_t)((len + 8) >> 8);
	buf[3] = (uint8_t)(len + 8);
	ok = parse_err(buf, (size_t)len + 8, "not allowed");
	/* The same, as an unknown attribute type: skipped. */
	buf[len + 1] = 0x77;
	ok &= !mtf_ctl_parse(buf, (size_t)len + 8, &o, &why);
	/* Twice the FLOW. */
	memcpy(buf + len, buf + MTF_CTL_HDR_LEN, (size_t)len - MTF_CTL_HDR_LEN);
	buf[2] = (uint8_t)((2 * len - MTF_CTL_HDR_LEN) >> 8);
	buf[3] = (uint8_t)(2 * len - MTF_CTL_HDR_LEN);
	ok &= parse_err(buf, (size_t)(2 * len - MTF_CTL_HDR_LEN), "repeated");
	tap_ok(ok, "attribute not allowed refused, unknown skipped, repeated refused");

	sample(&m, MTF_CTL_STOP_REQ);
	m.present &= ~B(DURATION_MS);
	tap_ok(mtf_ctl_encode(&m, buf, sizeof(buf)) == -EINVAL,
	       "encoder refuses a message without a required attribute");
	m.present |= B(DURATION_MS);
	len = mtf_ctl_encode(&m, buf, sizeof(buf));
	/* Drop the DURATION_MS (the last 8 bytes). */
	buf[2] = (uint8_t)((len - 8) >> 8);
	buf[3] = (uint8_t)(len - 8);
	tap_ok(parse_err(buf, (size_t)len - 8, "required"),
	       "parser refuses a message without a required attribute");

	ok = 1;
	sample(&m, MTF_CTL_FILTER_REQ);
	m.flow.has_iif = true;
	ok &= mtf_ctl_encode(&m, buf, sizeof(buf)) == -EINVAL;
	flow(&m.flow, 2);
	m.flow.src_plen = 33;
	ok &= mtf_ctl_encode(&m, buf, sizeof(buf)) == -EINVAL;
	flow(&m.flow, 2);
	m.flow.dst.family = 5;
	ok &= mtf_ctl_encode(&m, buf, sizeof(buf)) == -EINVAL;
	flow(&m.flow, 2);
	m.action = 3;
	ok &= mtf_ctl_encode(&m, buf, sizeof(buf)) == -EINVAL;
	tap_ok(ok, "encoder refuses slots with an interface, /33, family 5, action 3");

	/* The parser's view of the same: hand-made FLOWs. */
	sample(&m, MTF_CTL_CANCEL);
	len = mtf_ctl_encode(&m, buf, sizeof(buf));
	/* FLOW's SRC prefix length byte: after FLOW's header (4), the DST
	 * (4 + 5, padded to 12), SRC's header (4) and address (5). */
	buf[MTF_CTL_HDR_LEN + 4 + 12 + 4 + 5] = 40;
	tap_ok(parse_err(buf, (size_t)len, "source prefix"), "parser refuses a /40 IPv4 source");

	tap_ok(mtf_ctl_encode(&m, buf, 20) == -EMSGSIZE, "encoder: no room, -EMSGSIZE");

	/* The fuzzer's find: a FLOW whose DST attribute is empty. */
	{
		static const uint8_t empty_dst[] = {
			1, MTF_CTL_CANCEL, 0, 28, 0, 0, 0, 1, 0, 0, 0, 0,
			0, 1, 0, 12,		/* FLOW, 12 bytes */
			0, 1, 0, 0,		/* DST, empty */
			0, 4, 0, 4, 0, 0, 0, 7,	/* IIF 7 */
		};

		tap_ok(parse_err(empty_dst, sizeof(empty_dst), "destination"),
		       "a FLOW with an empty DST is refused");
	}

	/* The nonce. */
	memset(key, 0x5a, sizeof(key));
	memset(key2, 0x5b, sizeof(key2));
	sample(&m, MTF_CTL_HS_NONCE);
	ok = !mtf_ctl_nonce(key, &m, m.nonce) && mtf_ctl_nonce_ok(key, &m);
	o = m;
	o.type = MTF_CTL_HS_REPLY;
	o.id = 7;
	ok &= mtf_ctl_nonce_ok(key, &o);
	tap_ok(ok, "nonce verifies; independent of message type and request id");
	tap_ok(!mtf_ctl_nonce_ok(key2, &m), "nonce fails under another key");
	bad = 0;
	o = m; o.flow.slots[2].mark ^= 1; bad += mtf_ctl_nonce_ok(key, &o);
	o = m; o.flow.dst.addr[3] ^= 1; bad += mtf_ctl_nonce_ok(key, &o);
	o = m; o.flow.src_plen = 24; bad += mtf_ctl_nonce_ok(key, &o);
	o = m; o.addr.addr[0] ^= 1; bad += mtf_ctl_nonce_ok(key, &o);
	o = m; o.expiry_ms++; bad += mtf_ctl_nonce_ok(key, &o);
	o = m; o.action = MTF_CTL_BLOCK; bad += mtf_ctl_nonce_ok(key, &o);
	o = m; o.duration_ms++; bad += mtf_ctl_nonce_ok(key, &o);
	o = m; o.present |= B(RATE_PPS); bad += mtf_ctl_nonce_ok(key, &o);
	o = m; o.nonce[15] ^= 1; bad += mtf_ctl_nonce_ok(key, &o);
	tap_ok(!bad, "nonce fails when any covered field changes (%d of 9 passed)", bad);

	return tap_done();
}
