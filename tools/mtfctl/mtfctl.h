/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MTFCTL_H
#define MTFCTL_H

#include <stdbool.h>
#include <linux/mtf.h>

#include "cli.h"
#include "stats.h"

int mtfctl_main(int argc, char **argv);

/* status.c */
struct mtf_status {
	bool has_version, has_cookie, has_stats;
	char version[64];
	uint64_t netns_cookie;
	struct stats stats;
};

extern const struct stats_names mtf_stat_names;
int mtf_status_parse(const struct nlmsghdr *nlh, void *status);
int mtfctl_status(struct cli *cli, int argc, char **argv);

#endif
