/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_STATS_H
#define _MTF_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/mtf.h>

/* One namespace's counters on one CPU, indexed by enum mtf_stat. */
struct mtf_pcpu_stats {
	u64_stats_t cnt[__MTF_STAT_MAX];
	struct u64_stats_sync syncp;
};

struct mtf_pcpu_stats __percpu *mtf_stats_alloc(void);
void mtf_stats_free(struct mtf_pcpu_stats __percpu *stats);
void mtf_stats_read(struct mtf_pcpu_stats __percpu *stats,
		    u64 sum[__MTF_STAT_MAX]);

/*
 * Packet path: called from netfilter hooks, which run with bottom halves
 * disabled, so this CPU's counters cannot be entered twice at once.  No
 * lock, no atomic, no allocation.
 */
static inline void mtf_stats_add(struct mtf_pcpu_stats __percpu *stats,
				 enum mtf_stat packets, enum mtf_stat bytes,
				 u64 npackets, u64 nbytes)
{
	struct mtf_pcpu_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[packets], npackets);
	u64_stats_add(&s->cnt[bytes], nbytes);
	u64_stats_update_end(&s->syncp);
}

/* One event counter, same rules as mtf_stats_add(). */
static inline void mtf_stats_inc(struct mtf_pcpu_stats __percpu *stats,
				 enum mtf_stat idx)
{
	struct mtf_pcpu_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[idx]);
	u64_stats_update_end(&s->syncp);
}

#endif /* _MTF_STATS_H */
