// SPDX-License-Identifier: GPL-2.0
/*
 * Message parser: build, parse back, compare; every truncation; oversized,
 * unknown and malformed input.
 */
#include <errno.h>
#include <string.h>

#include "proto.h"
#include "tap.h"

static uint8_t buf[ROAM_MSG_MAX + 64];

static void sample_params(struct roam_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = ROAM_MSG_PARAMS;
	m->epoch = 42;
	m->epoch_start_ms = 1700000123456ULL;
	m->server = 1;
	for (int i = 0; i < ROAM_KEY_LEN; i++)
		m->anchor[i] = (uint8_t)(0xa0 + i);
	m->chain_len = 1 << 20;
	m->start_ms = 1700000000000ULL;
	m->min_ms = 1000;
	m->max_low_ms = 10000;
	m->max_high_ms = 3000;
	m->threat = ROAM_THREAT_HIGH;
	m->lookahead = 1;
	m->npool = 3;
	roam_addr_parse("10.0.0.1:8000", &m->pool[0]);
	roam_addr_parse("[2001:db8::2]:8000", &m->pool[1]);
	roam_addr_parse("10.0.0.3:8001", &m->pool[2]);
}

static void sample_keys(struct roam_msg *m, uint32_t n)
{
	memset(m, 0, sizeof(*m));
	m->type = ROAM_MSG_KEYS;
	m->first_epoch = 7;
	m->nkeys = n;
	for (uint32_t k = 0; k < n; k++) {
		m->level[k] = k & 1;
		memset(m->keys[k], (int)k + 1, ROAM_KEY_LEN);
	}
}

static int roundtrip(const struct roam_msg *m)
{
	struct roam_msg out;
	size_t used;
	int len = roam_msg_encode(m, buf, sizeof(buf));

	if (len < ROAM_MSG_HDR_LEN)
		return 0;
	if (roam_msg_parse(buf, (size_t)len, &out, &used, NULL) || used != (size_t)len)
		return 0;
	return !memcmp(&out, m, sizeof(out));
}

/* Every strict prefix is "incomplete"; never more, never a crash. */
static int prefixes(const struct roam_msg *m)
{
	struct roam_msg out;
	size_t used;
	int len = roam_msg_encode(m, buf, sizeof(buf)), ok = 1;

	for (int l = 0; l < len; l++)
		ok &= roam_msg_parse(buf, (size_t)l, &out, &used, NULL) == -EAGAIN;
	return ok;
}

/*
 * Cut the body at every byte and fix the header's length: the parser must
 * say "malformed" unless the cut falls between two repeated attributes.
 */
static int cut_bodies(const struct roam_msg *m, int *accepted)
{
	struct roam_msg out;
	size_t used;
	int len = roam_msg_encode(m, buf, sizeof(buf)), ok = 1, ret;

	*accepted = 0;
	for (int l = ROAM_MSG_HDR_LEN; l < len; l++) {
		uint32_t body = (uint32_t)(l - ROAM_MSG_HDR_LEN);

		roam_msg_encode(m, buf, sizeof(buf));
		buf[4] = body >> 24; buf[5] = body >> 16; buf[6] = body >> 8; buf[7] = body;
		ret = roam_msg_parse(buf, (size_t)l, &out, &used, NULL);
		ok &= ret == 0 || ret == -EPROTO;
		*accepted += ret == 0;
	}
	return ok;
}

static int raw(const uint8_t *b, size_t len, const char **why)
{
	struct roam_msg out;
	size_t used;

	return roam_msg_parse(b, len, &out, &used, why);
}

static int test_oversized(void)
{
	uint8_t h[ROAM_MSG_HDR_LEN] = { 1, ROAM_MSG_SUBSCRIBE, 0, 0, 0, 0, 0x40, 0x01 };
	const char *why;
	size_t total;
	int ok = raw(h, sizeof(h), &why) == -EMSGSIZE && why;

	h[4] = 0xff;
	ok &= roam_msg_frame(h, sizeof(h), &total) == -EMSGSIZE;
	h[4] = 0; h[6] = 0x40; h[7] = 0x00;	/* exactly the maximum: just incomplete */
	ok &= raw(h, sizeof(h), &why) == -EAGAIN;
	return ok;
}

static int test_header(void)
{
	uint8_t h[ROAM_MSG_HDR_LEN] = { 1, ROAM_MSG_SUBSCRIBE, 0, 0, 0, 0, 0, 0 };
	const char *why;
	int ok = raw(h, sizeof(h), &why) == 0;

	h[0] = 2;
	ok &= raw(h, sizeof(h), &why) == -EPROTO;
	h[0] = 1; h[3] = 1;
	ok &= raw(h, sizeof(h), &why) == -EPROTO;
	h[3] = 0; h[1] = 0;
	ok &= raw(h, sizeof(h), &why) == -EPROTO && !strcmp(why, "unknown message type");
	h[1] = 6;
	ok &= raw(h, sizeof(h), &why) == -EPROTO;
	h[1] = 0xff;
	ok &= raw(h, sizeof(h), &why) == -EPROTO;
	return ok;
}

static int test_attrs(void)
{
	/* SUBSCRIBE with an unknown attribute (type 999, 3 bytes): skipped. */
	uint8_t u[] = { 1, 1, 0, 0, 0, 0, 0, 7, 0x03, 0xe7, 0, 3, 1, 2, 3 };
	/* ERROR with CODE twice. */
	uint8_t d[] = { 1, 5, 0, 0, 0, 0, 0, 16, 0, 15, 0, 4, 0, 0, 0, 1,
			0, 15, 0, 4, 0, 0, 0, 2 };
	/* ERROR with a 3-byte CODE. */
	uint8_t w[] = { 1, 5, 0, 0, 0, 0, 0, 7, 0, 15, 0, 3, 0, 0, 1 };
	/* SUBSCRIBE carrying a KEY: not allowed there. */
	uint8_t n[8 + 4 + 33] = { 1, 1, 0, 0, 0, 0, 0, 37, 0, 14, 0, 33 };
	/* REVOKED with a control character in its text. */
	uint8_t t[] = { 1, 4, 0, 0, 0, 0, 0, 6, 0, 16, 0, 2, 'a', '\n' };
	/* Attribute length past the end. */
	uint8_t p[] = { 1, 4, 0, 0, 0, 0, 0, 6, 0, 16, 0, 9, 'a', 'b' };
	const char *why;
	int ok = 1;

	ok &= raw(u, sizeof(u), &why) == 0;
	ok &= raw(d, sizeof(d), &why) == -EPROTO && !strcmp(why, "duplicate attribute");
	ok &= raw(w, sizeof(w), &why) == -EPROTO;
	ok &= raw(n, sizeof(n), &why) == -EPROTO;
	ok &= raw(t, sizeof(t), &why) == -EPROTO;
	ok &= raw(p, sizeof(p), &why) == -EPROTO;
	return ok;
}

static int test_semantics(void)
{
	struct roam_msg m;
	const char *why;
	int len, ok = 1;

	sample_params(&m);
	m.server = 3;				/* only 3 servers */
	len = roam_msg_encode(&m, buf, sizeof(buf));
	ok &= raw(buf, (size_t)len, &why) == -EPROTO;
	sample_params(&m);
	m.max_high_ms = 20000;			/* above max_low */
	len = roam_msg_encode(&m, buf, sizeof(buf));
	ok &= raw(buf, (size_t)len, &why) == -EPROTO;
	sample_params(&m);
	m.epoch = m.chain_len + 1;
	len = roam_msg_encode(&m, buf, sizeof(buf));
	ok &= raw(buf, (size_t)len, &why) == -EPROTO;
	sample_keys(&m, 2);
	m.level[1] = 7;
	len = roam_msg_encode(&m, buf, sizeof(buf));
	ok &= raw(buf, (size_t)len, &why) == -EPROTO;
	sample_keys(&m, 2);
	m.nkeys = ROAM_KEYS_MAX + 1;
	ok &= roam_msg_encode(&m, buf, sizeof(buf)) == -EINVAL;
	sample_params(&m);
	ok &= roam_msg_encode(&m, buf, 40) == -ENOSPC;
	return ok;
}

/* Append one attribute to the message in buf and fix the header's length. */
static int append(int len, uint16_t t, const void *v, uint16_t vlen)
{
	uint32_t body;

	buf[len] = t >> 8;
	buf[len + 1] = t;
	buf[len + 2] = vlen >> 8;
	buf[len + 3] = vlen;
	memcpy(buf + len + 4, v, vlen);
	len += 4 + vlen;
	body = (uint32_t)(len - ROAM_MSG_HDR_LEN);
	buf[4] = body >> 24; buf[5] = body >> 16; buf[6] = body >> 8; buf[7] = body;
	return len;
}

/* The live handoff's MIG_ID and MIG_KEY: both or neither, in PARAMS only. */
static int test_mig(void)
{
	static const uint8_t id[4] = { 0, 0, 0, 7 }, id0[4] = { 0 };
	uint8_t key[ROAM_MIG_KEY_LEN + 1];
	struct roam_msg m, out;
	const char *why = "";
	int len, ok = 1, acc;
	size_t used;

	memset(key, 0x5a, sizeof(key));
	sample_params(&m);
	m.has_mig = 1;
	m.mig_id = 0xfffffffe;
	memset(m.mig_key, 0xc3, sizeof(m.mig_key));
	ok &= roundtrip(&m);
	ok &= prefixes(&m);
	ok &= cut_bodies(&m, &acc) && acc == 1;
	m.mig_id = 0;
	ok &= roam_msg_encode(&m, buf, sizeof(buf)) == -EINVAL;

	/* Without them: has_mig stays 0 (an authd without --migrate-key). */
	sample_params(&m);
	len = roam_msg_encode(&m, buf, sizeof(buf));
	ok &= !roam_msg_parse(buf, (size_t)len, &out, &used, NULL) && !out.has_mig;
	/* The id alone, the key alone, id 0, a short key, a repeated id. */
	ok &= raw(buf, (size_t)append(len, ROAM_T_MIG_ID, id, 4), &why) == -EPROTO &&
	      !strcmp(why, "migration id without key or key without id");
	len = roam_msg_encode(&m, buf, sizeof(buf));
	ok &= raw(buf, (size_t)append(len, ROAM_T_MIG_KEY, key, ROAM_MIG_KEY_LEN), &why) == -EPROTO;
	len = roam_msg_encode(&m, buf, sizeof(buf));
	len = append(len, ROAM_T_MIG_ID, id0, 4);
	ok &= raw(buf, (size_t)append(len, ROAM_T_MIG_KEY, key, ROAM_MIG_KEY_LEN), &why) == -EPROTO &&
	      !strcmp(why, "migration id 0");
	len = roam_msg_encode(&m, buf, sizeof(buf));
	len = append(len, ROAM_T_MIG_ID, id, 4);
	ok &= raw(buf, (size_t)append(len, ROAM_T_MIG_KEY, key, ROAM_MIG_KEY_LEN - 1), &why) == -EPROTO &&
	      !strcmp(why, "attribute has the wrong length");
	len = roam_msg_encode(&m, buf, sizeof(buf));
	len = append(len, ROAM_T_MIG_ID, id, 4);
	len = append(len, ROAM_T_MIG_KEY, key, ROAM_MIG_KEY_LEN);
	ok &= !roam_msg_parse(buf, (size_t)len, &out, &used, NULL) && out.has_mig &&
	      out.mig_id == 7 && !memcmp(out.mig_key, key, ROAM_MIG_KEY_LEN);
	ok &= raw(buf, (size_t)append(len, ROAM_T_MIG_ID, id, 4), &why) == -EPROTO &&
	      !strcmp(why, "duplicate attribute");
	/* In KEYS: not allowed. */
	sample_keys(&m, 1);
	len = roam_msg_encode(&m, buf, sizeof(buf));
	ok &= raw(buf, (size_t)append(len, ROAM_T_MIG_ID, id, 4), &why) == -EPROTO &&
	      !strcmp(why, "attribute not allowed in this message");
	return ok;
}

/* Two messages back to back in one buffer are read one at a time. */
static int test_stream(void)
{
	struct roam_msg a, b, out;
	size_t used, off;
	int la, lb, ok;

	sample_keys(&a, 3);
	memset(&b, 0, sizeof(b));
	b.type = ROAM_MSG_REVOKED;
	strcpy(b.text, "revoked by the administrator");
	la = roam_msg_encode(&a, buf, sizeof(buf));
	lb = roam_msg_encode(&b, buf + la, sizeof(buf) - (size_t)la);
	ok = !roam_msg_parse(buf, (size_t)(la + lb), &out, &used, NULL) &&
	     used == (size_t)la && out.nkeys == 3;
	off = used;
	ok &= !roam_msg_parse(buf + off, (size_t)lb, &out, &used, NULL) &&
	      out.type == ROAM_MSG_REVOKED && !strcmp(out.text, b.text);
	return ok;
}

int main(void)
{
	struct roam_msg m;
	int acc, ok;

	tap_plan(16);
	memset(&m, 0, sizeof(m));
	m.type = ROAM_MSG_SUBSCRIBE;
	tap_ok(roundtrip(&m), "round trip SUBSCRIBE");
	sample_params(&m);
	tap_ok(roundtrip(&m), "round trip PARAMS (IPv4 and IPv6 pool)");
	sample_keys(&m, ROAM_KEYS_MAX);
	tap_ok(roundtrip(&m), "round trip KEYS (64 keys)");
	memset(&m, 0, sizeof(m));
	m.type = ROAM_MSG_ERROR;
	m.code = ROAM_ERR_REVOKED;
	strcpy(m.text, "client revoked");
	tap_ok(roundtrip(&m), "round trip ERROR");
	m.type = ROAM_MSG_REVOKED;
	m.code = 0;
	tap_ok(roundtrip(&m), "round trip REVOKED");
	sample_params(&m);
	tap_ok(prefixes(&m), "PARAMS: every prefix is incomplete");
	sample_keys(&m, 5);
	tap_ok(prefixes(&m), "KEYS: every prefix is incomplete");
	/*
	 * A cut between two repeated attributes (pool addresses, keys) leaves
	 * a shorter but well-formed message; TLS, not the framing, protects
	 * against that (the length is inside the authenticated record).
	 */
	sample_params(&m);
	ok = cut_bodies(&m, &acc);
	tap_ok(ok && acc == 1, "PARAMS: cut bodies rejected except after the 2nd pool address (%d)", acc);
	sample_keys(&m, 5);
	ok = cut_bodies(&m, &acc);
	tap_ok(ok && acc == 4, "KEYS: cut bodies rejected except at key boundaries (%d)", acc);
	tap_ok(test_oversized(), "oversized length is refused from the header alone");
	tap_ok(test_header(), "bad version, flags and unknown types");
	tap_ok(test_attrs(), "unknown attributes skipped; duplicate, wrong length, misplaced rejected");
	tap_ok(test_semantics(), "cross-attribute checks and encoder limits");
	tap_ok(test_stream(), "two messages in one buffer");
	tap_ok(test_mig(), "PARAMS: MIG_ID and MIG_KEY round trip, both or neither, id not 0, PARAMS only");
	memset(&m, 0, sizeof(m));
	m.type = 9;
	tap_ok(roam_msg_encode(&m, buf, sizeof(buf)) == -EINVAL, "encoder refuses unknown types");
	return tap_done();
}
