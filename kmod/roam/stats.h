/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_STATS_H
#define _ROAM_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/roam.h>

/* One namespace's counters on one CPU, indexed by enum roam_stat. */
struct roam_pcpu_stats {
	u64_stats_t cnt[__ROAM_STAT_MAX];
	struct u64_stats_sync syncp;
};

struct roam_pcpu_stats __percpu *roam_stats_alloc(void);
void roam_stats_free(struct roam_pcpu_stats __percpu *stats);
void roam_stats_read(struct roam_pcpu_stats __percpu *stats,
		    u64 sum[__ROAM_STAT_MAX]);
u64 roam_stats_read_one(struct roam_pcpu_stats __percpu *stats,
			enum roam_stat idx);
void roam_stats_inc_bh(struct roam_pcpu_stats __percpu *stats,
		       enum roam_stat idx);

/*
 * Packet path: called from netfilter hooks, which run with bottom halves
 * disabled, so this CPU's counters cannot be entered twice at once.  No
 * lock, no atomic, no allocation.
 */
static inline void roam_stats_add(struct roam_pcpu_stats __percpu *stats,
				 enum roam_stat packets, enum roam_stat bytes,
				 u64 npackets, u64 nbytes)
{
	struct roam_pcpu_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[packets], npackets);
	u64_stats_add(&s->cnt[bytes], nbytes);
	u64_stats_update_end(&s->syncp);
}

static inline void roam_stats_inc(struct roam_pcpu_stats __percpu *stats,
				  enum roam_stat idx, u64 n)
{
	struct roam_pcpu_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[idx], n);
	u64_stats_update_end(&s->syncp);
}

#endif /* _ROAM_STATS_H */
