/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The STATUS_GET reply both modules send (mtf.ko, roam.ko): module
 * version, namespace cookie and a STATS nest, under attribute types of
 * each family's own.  "mtfctl status" and "roamctl status" are this plus
 * their family's names.
 */
#ifndef TOOLS_STATUS_H
#define TOOLS_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "stats.h"

struct genl_status {
	bool has_version, has_cookie, has_stats;
	char version[64];
	uint64_t netns_cookie;
	struct stats stats;
};

/* One family's attribute types for the reply, and its counter names. */
struct genl_status_desc {
	uint8_t cmd;			/* STATUS_GET */
	uint16_t version, cookie, stats;
	uint16_t max;			/* highest attribute type, < 64 */
	const struct stats_names *names;
};

/* Copies out of the receive buffer; 0 or a negative errno. */
int genl_status_parse(const struct nlmsghdr *nlh,
		      const struct genl_status_desc *d,
		      struct genl_status *st);

/* "status [show]": request, print, CLI_* exit status. */
int genl_status_show(struct cli *cli, const struct genl_status_desc *d,
		     genl_cb_t parse, int argc, char **argv);

#endif
