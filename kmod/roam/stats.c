// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters: writers touch only their own CPU's copy, readers sum
 * all copies.  u64_stats_sync makes the 64-bit reads consistent on 32-bit
 * machines and costs nothing on 64-bit ones.
 */

#include "stats.h"

struct roam_pcpu_stats __percpu *roam_stats_alloc(void)
{
	struct roam_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct roam_pcpu_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

void roam_stats_free(struct roam_pcpu_stats __percpu *stats)
{
	free_percpu(stats);
}

void roam_stats_read(struct roam_pcpu_stats __percpu *stats,
		    u64 sum[__ROAM_STAT_MAX])
{
	u64 cnt[__ROAM_STAT_MAX];
	unsigned int start;
	int cpu, i;

	memset(sum, 0, sizeof(u64) * __ROAM_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct roam_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < __ROAM_STAT_MAX; i++)
				cnt[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < __ROAM_STAT_MAX; i++)
			sum[i] += cnt[i];
	}
}
