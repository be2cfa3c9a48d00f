// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters: writers touch only their own CPU's copy, readers sum
 * all copies.  u64_stats_sync makes the 64-bit reads consistent on 32-bit
 * machines and costs nothing on 64-bit ones.
 */

#include <linux/bottom_half.h>

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

u64 roam_stats_read_one(struct roam_pcpu_stats __percpu *stats,
			enum roam_stat idx)
{
	unsigned int start;
	u64 sum = 0, v;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct roam_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->cnt[idx]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}

/*
 * From process context (netlink, work items): the packet path may run in
 * a softirq on this CPU, so keep it out while this CPU's copy changes.
 */
void roam_stats_inc_bh(struct roam_pcpu_stats __percpu *stats,
		       enum roam_stat idx)
{
	local_bh_disable();
	roam_stats_inc(stats, idx, 1);
	local_bh_enable();
}
