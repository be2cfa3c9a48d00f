/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A STATS nest: u64 counters keyed by attribute type (enum mtf_stat,
 * enum roam_stat).  Names come from a table indexed by that enum; a
 * counter the table does not name is shown as "stat<N>".
 */
#ifndef TOOLS_STATS_H
#define TOOLS_STATS_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#include "out.h"

#define STATS_MAX 256

struct stats {
	unsigned int n;
	struct {
		uint16_t id;
		uint64_t val;
	} e[STATS_MAX];
};

struct stats_names {
	const char *const *names;	/* NULL entries: unnamed */
	unsigned int n;
	uint16_t pad;			/* padding attribute, skipped */
	uint16_t reserved;		/* retired counter, skipped; 0: none */
};

int stats_parse(const struct nlattr *nest, const struct stats_names *sn,
		struct stats *st);
const char *stats_name(const struct stats_names *sn, uint16_t id,
		       char *buf, size_t len);
void stats_out(struct out *o, const char *key, const struct stats *st,
	       const struct stats_names *sn);

#endif
