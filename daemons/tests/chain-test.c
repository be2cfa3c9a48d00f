// SPDX-License-Identifier: GPL-2.0
/*
 * Hash chain and schedule: the test vectors of
 * Documentation/roaming-schedule.md, plus properties (every stride gives
 * the same keys, verification, range and "never the same server").
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chain.h"
#include "hex.h"
#include "schedule.h"
#include "tap.h"

static const char *const vec_keys[] = {
	"df01f0bd30b89f4187c3919067c99d5aee753a45894e1e31be4f0e26a26dd27b",
	"5b0ea80ec40723c1f948b0f7245bca57484d6ca5a48d1e25339b08c93d8f42dc",
	"09b8c5d6bc2502f5f3d4d17e5fa4b9ff044ad2bdd9f588badba5b9cc09dbb1b0",
	"d06ab04a60c2b9012245fdd6cf457b53552569491a7dad7cae305650b6483328",
	"cefc1232dee44cc53fccf8cc078f657f4db4f1d0303725375a0694f7d395e2ea",
	"4e05063392f42b5180353ef82da86c714042155044d91ab3253f1bab08120a0a",
	"2f287b4d3d4910f6cada9e1bd1b4648099e8c52c81aa4a6aebfa6fc86f19834e",
	"630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd",
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
};

/* Epochs 1..7 of the vector schedule: {start, server}; levels of K_1..K_6. */
static const struct { uint64_t start; uint32_t server; } vec_epochs[] = {
	{ 1700000000000ULL, 0 }, { 1700000005381ULL, 2 }, { 1700000008741ULL, 1 },
	{ 1700000010005ULL, 2 }, { 1700000012215ULL, 1 }, { 1700000020382ULL, 0 },
	{ 1700000021484ULL, 2 },
};
static const int vec_levels[] = { 0, ROAM_THREAT_LOW, ROAM_THREAT_LOW,
	ROAM_THREAT_HIGH, ROAM_THREAT_HIGH, ROAM_THREAT_LOW, ROAM_THREAT_LOW };

static const struct roam_sched_params vec_params = {
	.start_ms = 1700000000000ULL, .min_ms = 1000, .max_low_ms = 10000,
	.max_high_ms = 3000, .nservers = 3,
};

static void seed_vec(uint8_t seed[ROAM_KEY_LEN])
{
	for (int i = 0; i < ROAM_KEY_LEN; i++)
		seed[i] = (uint8_t)i;
}

static int test_vector_keys(uint32_t stride)
{
	struct roam_chain c;
	uint8_t seed[ROAM_KEY_LEN], k[ROAM_KEY_LEN];
	char h[2 * ROAM_KEY_LEN + 1];
	int ok = 1;

	seed_vec(seed);
	if (roam_chain_init(&c, seed, 8, stride))
		return 0;
	/* Backwards, forwards and again: exercises the segment cache. */
	for (int pass = 0; pass < 3; pass++)
		for (int j = 0; j <= 8; j++) {
			int i = pass == 1 ? 8 - j : j;

			roam_chain_key(&c, (uint64_t)i, k);
			hex_encode(k, ROAM_KEY_LEN, h, sizeof(h));
			ok &= !strcmp(h, vec_keys[i]);
		}
	ok &= roam_chain_key(&c, 9, k) == -ERANGE;
	roam_chain_free(&c);
	return ok;
}

static int test_vector_schedule(void)
{
	struct roam_chain c;
	struct roam_epoch e, next;
	uint8_t seed[ROAM_KEY_LEN], k[ROAM_KEY_LEN];
	int ok = 1;

	seed_vec(seed);
	roam_chain_init(&c, seed, 8, 0);
	roam_chain_key(&c, 0, k);
	roam_sched_first(&vec_params, k, &e);
	for (int i = 1; i <= 7; i++) {
		ok &= e.index == (uint64_t)i && e.start_ms == vec_epochs[i - 1].start &&
		      e.server == vec_epochs[i - 1].server;
		if (i == 7)
			break;
		roam_chain_key(&c, (uint64_t)i, k);
		roam_sched_next(&vec_params, &e, k, vec_levels[i], &next);
		e = next;
	}
	roam_chain_free(&c);
	return ok;
}

static int test_uniform_vectors(void)
{
	uint8_t k1[ROAM_KEY_LEN];

	if (hex_decode(vec_keys[1], k1, sizeof(k1), HEX_LOWER))
		return 0;
	return roam_sched_uniform(k1, "interval", 1, 0, 9001) == 4381 &&
	       roam_sched_uniform(k1, "server", 1, 0, 2) == 1;
}

static int test_verify(void)
{
	struct roam_chain c;
	uint8_t seed[ROAM_KEY_LEN], k0[ROAM_KEY_LEN], k5[ROAM_KEY_LEN],
		k7[ROAM_KEY_LEN];
	int ok;

	seed_vec(seed);
	roam_chain_init(&c, seed, 8, 2);
	roam_chain_key(&c, 0, k0);
	roam_chain_key(&c, 5, k5);
	roam_chain_key(&c, 7, k7);
	ok = roam_chain_verify(k0, 0, k5, 5) && roam_chain_verify(k5, 5, k7, 7) &&
	     !roam_chain_verify(k0, 0, k5, 4) && !roam_chain_verify(k0, 0, k5, 6) &&
	     !roam_chain_verify(k5, 5, k0, 0);
	k7[3] ^= 1;
	ok &= !roam_chain_verify(k5, 5, k7, 7);
	roam_chain_free(&c);
	return ok;
}

/* Same keys for every stride, including 1 and n, on a chain of 1000. */
static int test_strides(void)
{
	static const uint32_t strides[] = { 1, 7, 31, 32, 999, 1000, 0 };
	uint8_t seed[ROAM_KEY_LEN] = { 42 }, a[ROAM_KEY_LEN], b[ROAM_KEY_LEN];
	struct roam_chain ref, c;
	int ok = 1;

	roam_chain_init(&ref, seed, 1000, 1);
	for (size_t s = 0; s < sizeof(strides) / sizeof(strides[0]); s++) {
		roam_chain_init(&c, seed, 1000, strides[s]);
		for (uint64_t i = 0; i <= 1000; i += (i % 3) + 1) {
			roam_chain_key(&ref, i, a);
			roam_chain_key(&c, i, b);
			ok &= !memcmp(a, b, ROAM_KEY_LEN);
		}
		roam_chain_free(&c);
	}
	roam_chain_free(&ref);
	return ok;
}

/* Over many epochs: intervals within bounds, never the same server twice. */
static int test_schedule_properties(void)
{
	struct roam_sched_params p = { 0, 500, 4000, 1000, 4 };
	uint8_t seed[ROAM_KEY_LEN] = { 7 }, k[ROAM_KEY_LEN];
	unsigned int hits[4] = { 0 };
	struct roam_epoch e, n;
	struct roam_chain c;
	int ok = 1;

	roam_chain_init(&c, seed, 20000, 0);
	roam_chain_key(&c, 0, k);
	roam_sched_first(&p, k, &e);
	for (uint64_t i = 1; i < 20000; i++) {
		int level = (i / 100) % 2;
		uint64_t d;

		roam_chain_key(&c, i, k);
		roam_sched_next(&p, &e, k, level, &n);
		d = n.start_ms - e.start_ms;
		ok &= d >= p.min_ms && d <= roam_sched_bound(&p, level);
		ok &= n.server != e.server && n.server < p.nservers;
		hits[n.server]++;
		e = n;
	}
	/* Each of 4 servers should get about a quarter of 19999 epochs. */
	for (int s = 0; s < 4; s++)
		ok &= hits[s] > 4500 && hits[s] < 5500;
	roam_chain_free(&c);
	return ok;
}

static int test_params_check(void)
{
	struct roam_sched_params p = vec_params;
	const char *why;
	int ok = !roam_sched_check(&p, &why);

	p.nservers = 1;
	ok &= roam_sched_check(&p, &why) == -EINVAL;
	p = vec_params;
	p.max_high_ms = 20000;
	ok &= roam_sched_check(&p, &why) == -EINVAL;
	p = vec_params;
	p.min_ms = 50;
	ok &= roam_sched_check(&p, &why) == -EINVAL;
	return ok;
}

static int test_addr(void)
{
	struct roam_addr a;
	char buf[64];
	int ok = 1;

	ok &= !roam_addr_parse("10.0.0.1:443", &a) && a.family == 4 && a.port == 443;
	roam_addr_format(&a, buf, sizeof(buf));
	ok &= !strcmp(buf, "10.0.0.1:443");
	ok &= !roam_addr_parse("[2001:db8::1]:8080", &a) && a.family == 6;
	roam_addr_format(&a, buf, sizeof(buf));
	ok &= !strcmp(buf, "[2001:db8::1]:8080");
	ok &= roam_addr_parse("10.0.0.1", &a) == -EINVAL;
	ok &= roam_addr_parse("10.0.0.1:0", &a) == -EINVAL;
	ok &= roam_addr_parse("10.0.0.1:70000", &a) == -EINVAL;
	ok &= roam_addr_parse("2001:db8::1:80", &a) == -EINVAL;
	ok &= roam_addr_parse("[::1]80", &a) == -EINVAL;
	return ok;
}

static int test_long_chain(void)
{
	uint8_t seed[ROAM_KEY_LEN] = { 1 }, k[ROAM_KEY_LEN], prev[ROAM_KEY_LEN];
	struct timespec t0, t1;
	struct roam_chain c;
	int ok;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok = !roam_chain_init(&c, seed, 1 << 20, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# 2^20 keys: init %.0f ms, stride %u, %llu checkpoints (%llu KiB)\n",
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
	       c.stride, (unsigned long long)c.ncp,
	       (unsigned long long)(c.ncp + c.stride) * ROAM_KEY_LEN / 1024);
	/* A sequential walk over segment boundaries stays consistent. */
	roam_chain_key(&c, 5000, prev);
	for (uint64_t i = 5001; ok && i < 9000; i++) {
		roam_chain_key(&c, i, k);
		ok = roam_chain_verify(prev, i - 1, k, i);
		memcpy(prev, k, sizeof(k));
	}
	roam_chain_free(&c);
	return ok;
}

int main(void)
{
	tap_plan(12);
	tap_ok(test_vector_keys(0), "chain: test vector keys (default stride)");
	tap_ok(test_vector_keys(1), "chain: test vector keys (stride 1)");
	tap_ok(test_vector_keys(3), "chain: test vector keys (stride 3)");
	tap_ok(test_vector_keys(8), "chain: test vector keys (stride n)");
	tap_ok(test_verify(), "chain: verification accepts the chain, rejects others");
	tap_ok(test_strides(), "chain: every stride gives the same keys");
	tap_ok(test_long_chain(), "chain: 2^20 keys with checkpoints");
	tap_ok(test_uniform_vectors(), "schedule: uniform draw test vectors");
	tap_ok(test_vector_schedule(), "schedule: test vector epochs 1..7");
	tap_ok(test_schedule_properties(), "schedule: bounds, server changes, spread");
	tap_ok(test_params_check(), "schedule: parameter checks");
	tap_ok(test_addr(), "schedule: pool address parsing");
	return tap_done();
}
