// SPDX-License-Identifier: GPL-2.0
/*
 * In-module self-tests of the filter code that needs no namespace,
 * included at the end of filter.c under DEBUG (as WireGuard does): the
 * rate limiter against a synthetic clock.  A failure refuses the load.
 */

/* Offer @offered packets/s for one second to a @rate bucket. */
static unsigned int __init gcra_passed(u64 rate, u64 offered)
{
	s64 cost = div64_u64(NSEC_PER_SEC, rate), step = NSEC_PER_SEC / offered;
	atomic64_t tat = ATOMIC64_INIT(0);
	unsigned int passed = 0;
	s64 now;

	for (now = NSEC_PER_SEC; now < 2 * NSEC_PER_SEC; now += step)
		passed += gcra(&tat, now, cost);
	return passed;
}

int __init mtf_filter_selftest(void)
{
	/* Rate plus the bucket depth (100 ms) plus one, within a packet. */
	static const struct { u64 rate, offered, want; } t[] __initconst = {
		{ 1000, 3000, 1101 },
		{ 1000, 500, 500 },
		{ 10, 1000, 12 },
		{ 100000, 1000000, 110001 },
	};
	unsigned int i, got;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		got = gcra_passed(t[i].rate, t[i].offered);
		if (got + 1 < t[i].want || got > t[i].want + 1) {
			pr_err("filter self-test %u: %u passed, want %llu\n",
			       i, got, t[i].want);
			return -EINVAL;
		}
	}
	pr_info("filter self-tests: pass\n");
	return 0;
}
