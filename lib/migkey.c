// SPDX-License-Identifier: GPL-2.0
/*
 * The live handoff's key derivation and MAC (migkey.h).
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "migkey.h"

static uint8_t *put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
	return p + 4;
}

static uint8_t *put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
	return p + 2;
}

static uint8_t *put(uint8_t *p, const void *src, size_t n)
{
	memcpy(p, src, n);
	return p + n;
}

int mig_client_key(const uint8_t kmig[MIG_KEY_LEN], uint32_t id,
		   uint8_t out[MIG_KEY_LEN])
{
	uint8_t msg[sizeof(MIG_CLIENT_LABEL) - 1 + 4];
	unsigned int n = 0;

	put_be32(put(msg, MIG_CLIENT_LABEL, sizeof(MIG_CLIENT_LABEL) - 1), id);
	if (!HMAC(EVP_sha256(), kmig, MIG_KEY_LEN, msg, sizeof(msg), out, &n) ||
	    n != MIG_KEY_LEN)
		return -EIO;
	return 0;
}

void mig_mac_message(const struct mig_mac_input *in,
		     uint8_t msg[MIG_MAC_MSG_LEN])
{
	uint8_t *p = msg;

	p = put(p, MIG_MAC_LABEL, sizeof(MIG_MAC_LABEL) - 1);
	p = put_be32(p, in->id);
	p = put(p, in->c_nonce, MIG_NONCE_LEN);
	p = put(p, in->s_nonce, MIG_NONCE_LEN);
	p = put(p, &in->client_addr, 4);
	p = put_be16(p, in->client_port);
	p = put(p, &in->orig_addr, 4);
	p = put_be16(p, in->server_port);
	p = put(p, &in->new_addr, 4);
	put_be32(p, in->counter);
}

int mig_mac(const uint8_t kclient[MIG_KEY_LEN], const struct mig_mac_input *in,
	    uint8_t out[MIG_MAC_LEN])
{
	uint8_t msg[MIG_MAC_MSG_LEN], md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int ret = 0;

	mig_mac_message(in, msg);
	if (!HMAC(EVP_sha256(), kclient, MIG_KEY_LEN, msg, sizeof(msg), md, &n) ||
	    n != 32)
		ret = -EIO;
	else
		memcpy(out, md, MIG_MAC_LEN);
	OPENSSL_cleanse(md, sizeof(md));
	return ret;
}
