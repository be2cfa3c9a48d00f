/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ROAMCTL_H
#define ROAMCTL_H

#include <stdbool.h>
#include <linux/roam.h>

#include "cli.h"
#include "stats.h"

int roamctl_main(int argc, char **argv);

/* status.c */
struct roam_status {
	bool has_version, has_cookie, has_stats;
	char version[64];
	uint64_t netns_cookie;
	struct stats stats;
};

extern const struct stats_names roam_stat_names;
int roam_status_parse(const struct nlmsghdr *nlh, void *status);
int roamctl_status(struct cli *cli, int argc, char **argv);

#endif
