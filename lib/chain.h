/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-way hash chain for the roaming schedule.
 *
 *   K_n = seed (random),  K_{i-1} = SHA-256(K_i),  K_0 = anchor.
 *
 * Keys are released in the order K_1, K_2, ...; knowing K_i gives every
 * K_{j<i} but nothing about K_{j>i}.  Only checkpoints (every `stride`
 * keys) and one cached segment are kept: memory is (n/stride + stride)
 * * 32 bytes and a random lookup costs at most `stride` hashes, while a
 * sequential walk costs about one hash per key.
 * See Documentation/roaming-schedule.md.
 */
#ifndef ROAM_CHAIN_H
#define ROAM_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROAM_KEY_LEN		32
#define ROAM_CHAIN_MAX_LEN	(1ULL << 32)

struct roam_chain {
	uint64_t n;			/* K_n is the seed */
	uint32_t stride;
	uint64_t ncp;			/* checkpoints: cp[j] = K_min(j*stride, n) */
	uint8_t (*cp)[ROAM_KEY_LEN];
	uint64_t seg_base;		/* seg[k] = K_{seg_base + k}, k < stride */
	bool seg_valid;
	uint8_t (*seg)[ROAM_KEY_LEN];
};

/* K_{i-1} = H(K_i) */
void roam_chain_step(const uint8_t in[ROAM_KEY_LEN], uint8_t out[ROAM_KEY_LEN]);

/* stride 0 picks about sqrt(n). Returns 0 or -errno. */
int roam_chain_init(struct roam_chain *c, const uint8_t seed[ROAM_KEY_LEN],
		    uint64_t n, uint32_t stride);
void roam_chain_free(struct roam_chain *c);

/* K_i for 0 <= i <= n. Returns 0 or -ERANGE. */
int roam_chain_key(struct roam_chain *c, uint64_t i, uint8_t out[ROAM_KEY_LEN]);

/*
 * Does `key` claim to be K_i, given a trusted K_j (j < i)?  Hashes i - j
 * times; callers bound i - j (the client library verifies each new key
 * against the newest verified one, so this is one hash per key).
 */
bool roam_chain_verify(const uint8_t trusted[ROAM_KEY_LEN], uint64_t j,
		       const uint8_t key[ROAM_KEY_LEN], uint64_t i);

/* Overwrite secrets before freeing. */
void roam_memzero(void *p, size_t len);

#endif
