// SPDX-License-Identifier: GPL-2.0
/*
 * The handoff channel's frames (hochan.h).  The peer has the pool's
 * migration key, but a bug or a compromised server must still not make
 * us read out of bounds: every length is checked against what is left.
 */
#include <errno.h>
#include <string.h>

#include "hochan.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

int hochan_hdr_parse(const uint8_t hdr[HOCHAN_HDR_LEN], enum hochan_type *type,
		     uint32_t *len)
{
	if (hdr[0] != 'R' || hdr[1] != 'X')
		return -EBADMSG;
	if (hdr[2] != HOCHAN_VERSION)
		return -EPROTO;
	if (hdr[3] < HOCHAN_CONN || hdr[3] > HOCHAN_RESULT)
		return -EBADMSG;
	*type = hdr[3];
	*len = be32(hdr + 4);
	if (*len > HOCHAN_PAYLOAD_MAX)
		return -EMSGSIZE;
	return 0;
}

void hochan_hdr_format(uint8_t hdr[HOCHAN_HDR_LEN], enum hochan_type type, uint32_t len)
{
	hdr[0] = 'R';
	hdr[1] = 'X';
	hdr[2] = HOCHAN_VERSION;
	hdr[3] = (uint8_t)type;
	put32(hdr + 4, len);
}

int hochan_conn_encode(uint8_t *buf, size_t cap, const struct hochan_mig *mig,
		       const uint8_t *state, size_t state_len, const uint8_t *blob,
		       size_t blob_len)
{
	size_t need = HOCHAN_CONN_FIXED + state_len + blob_len;
	uint8_t *p = buf;

	if (state_len > ROAM_HO_STATE_MAX || blob_len > HOCHAN_BLOB_MAX ||
	    (mig->flags & ~HOCHAN_F_NEGOTIATED))
		return -EINVAL;
	if (cap < need)
		return -ENOSPC;
	p = put32(p, mig->flags);
	p = put32(p, mig->id);
	memcpy(p, mig->c_nonce, 8);
	memcpy(p + 8, mig->s_nonce, 8);
	memcpy(p + 16, mig->orig_addr, 4);
	p = put32(p + 20, mig->counter);
	*p++ = (uint8_t)(state_len >> 8);
	*p++ = (uint8_t)state_len;
	if (state_len)
		memcpy(p, state, state_len);
	p = put32(p + state_len, (uint32_t)blob_len);
	memcpy(p, blob, blob_len);
	return (int)need;
}

int hochan_conn_decode(const uint8_t *p, size_t len, struct hochan_conn *c)
{
	const uint8_t *e = p + len;

	memset(c, 0, sizeof(*c));
	if (len < HOCHAN_CONN_FIXED)
		return -EBADMSG;
	c->mig.flags = be32(p);
	if (c->mig.flags & ~HOCHAN_F_NEGOTIATED)
		return -EBADMSG;
	c->mig.id = be32(p + 4);
	memcpy(c->mig.c_nonce, p + 8, 8);
	memcpy(c->mig.s_nonce, p + 16, 8);
	memcpy(c->mig.orig_addr, p + 24, 4);
	c->mig.counter = be32(p + 28);
	c->state_len = (size_t)p[32] << 8 | p[33];
	p += 34;
	/* 4 more bytes (the blob's length) must follow the state. */
	if (c->state_len > ROAM_HO_STATE_MAX || (size_t)(e - p) < c->state_len + 4)
		return -EBADMSG;
	c->state = p;
	p += c->state_len;
	c->blob_len = be32(p);
	p += 4;
	if (c->blob_len > HOCHAN_BLOB_MAX || (size_t)(e - p) != c->blob_len)
		return -EBADMSG;
	c->blob = p;
	return 0;
}

int hochan_end_decode(const uint8_t *p, size_t len, uint32_t *count)
{
	if (len != 4)
		return -EBADMSG;
	*count = be32(p);
	return *count > HOCHAN_CONNS_MAX ? -EBADMSG : 0;
}

int hochan_result_decode(const uint8_t *p, size_t len, uint32_t *n, uint8_t *status)
{
	if (len < 4)
		return -EBADMSG;
	*n = be32(p);
	if (*n > HOCHAN_CONNS_MAX || len - 4 != *n)
		return -EBADMSG;
	memcpy(status, p + 4, *n);
	return 0;
}
