// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "chain.h"

void roam_memzero(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

void roam_chain_step(const uint8_t in[ROAM_KEY_LEN], uint8_t out[ROAM_KEY_LEN])
{
	uint8_t tmp[ROAM_KEY_LEN];

	/* SHA256() may not alias in and out; go through a temporary. */
	SHA256(in, ROAM_KEY_LEN, tmp);
	memcpy(out, tmp, ROAM_KEY_LEN);
}

static uint32_t default_stride(uint64_t n)
{
	uint64_t s = 1;

	while (s * s < n)
		s++;
	return s ? (uint32_t)s : 1;
}

int roam_chain_init(struct roam_chain *c, const uint8_t seed[ROAM_KEY_LEN],
		    uint64_t n, uint32_t stride)
{
	uint8_t k[ROAM_KEY_LEN];
	uint64_t i;

	memset(c, 0, sizeof(*c));
	if (n < 1 || n > ROAM_CHAIN_MAX_LEN)
		return -ERANGE;
	if (!stride)
		stride = default_stride(n);
	if (stride > n)
		stride = (uint32_t)n;
	c->n = n;
	c->stride = stride;
	c->ncp = n / stride + 2;
	c->cp = calloc(c->ncp, ROAM_KEY_LEN);
	c->seg = calloc(stride, ROAM_KEY_LEN);
	if (!c->cp || !c->seg) {
		roam_chain_free(c);
		return -ENOMEM;
	}
	/* Walk down from the seed once, keeping every stride-th key and K_n. */
	memcpy(k, seed, ROAM_KEY_LEN);
	memcpy(c->cp[c->ncp - 1], k, ROAM_KEY_LEN);
	for (i = n;; i--) {
		if (i % stride == 0)
			memcpy(c->cp[i / stride], k, ROAM_KEY_LEN);
		if (!i)
			break;
		roam_chain_step(k, k);
	}
	roam_memzero(k, sizeof(k));
	return 0;
}

void roam_chain_free(struct roam_chain *c)
{
	if (c->cp)
		roam_memzero(c->cp, c->ncp * ROAM_KEY_LEN);
	if (c->seg)
		roam_memzero(c->seg, (size_t)c->stride * ROAM_KEY_LEN);
	free(c->cp);
	free(c->seg);
	memset(c, 0, sizeof(*c));
}

/* Fill the cache with K_base .. K_{base+stride-1} from the checkpoint above. */
static void fill_segment(struct roam_chain *c, uint64_t base)
{
	uint64_t top = base + c->stride, i;
	uint8_t k[ROAM_KEY_LEN];

	if (top >= c->n) {
		top = c->n;
		memcpy(k, c->cp[c->ncp - 1], ROAM_KEY_LEN);
	} else {
		memcpy(k, c->cp[top / c->stride], ROAM_KEY_LEN);
	}
	for (i = top; i > base; i--) {
		roam_chain_step(k, k);
		if (i - 1 - base < c->stride)
			memcpy(c->seg[i - 1 - base], k, ROAM_KEY_LEN);
	}
	c->seg_base = base;
	c->seg_valid = true;
	roam_memzero(k, sizeof(k));
}

int roam_chain_key(struct roam_chain *c, uint64_t i, uint8_t out[ROAM_KEY_LEN])
{
	uint64_t base;

	if (i > c->n)
		return -ERANGE;
	if (i == c->n) {
		memcpy(out, c->cp[c->ncp - 1], ROAM_KEY_LEN);
		return 0;
	}
	base = i - i % c->stride;
	if (!c->seg_valid || c->seg_base != base)
		fill_segment(c, base);
	memcpy(out, c->seg[i - base], ROAM_KEY_LEN);
	return 0;
}

bool roam_chain_verify(const uint8_t trusted[ROAM_KEY_LEN], uint64_t j,
		       const uint8_t key[ROAM_KEY_LEN], uint64_t i)
{
	uint8_t k[ROAM_KEY_LEN];
	bool ok;

	if (i < j)
		return false;
	memcpy(k, key, ROAM_KEY_LEN);
	for (; i > j; i--)
		roam_chain_step(k, k);
	ok = CRYPTO_memcmp(k, trusted, ROAM_KEY_LEN) == 0;
	roam_memzero(k, sizeof(k));
	return ok;
}
