/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Proactive server roaming: user API.
 *
 * Single source of truth for the roam generic netlink family shared by
 * roam.ko (kmod/roam), roamctl (tools/) and the daemons (authd, roamd).
 *
 * Generic netlink
 * ---------------
 * Family ROAM_GENL_NAME, version ROAM_GENL_VERSION, multicast group
 * ROAM_GENL_MCGRP_EVENTS.  Per network namespace, strict per-command
 * policies, CAP_NET_ADMIN for commands that change state; userspace
 * ignores unknown attributes.
 *
 * ROAM_CMD_STATUS_GET (doit)
 *	Request: no attributes.
 *	Reply:   ROAM_A_VERSION, ROAM_A_NETNS_COOKIE, ROAM_A_STATS.
 *
 * ROAM_A_STATS is a nest of u64 counters indexed by enum roam_stat.
 */
#ifndef _UAPI_LINUX_ROAM_H
#define _UAPI_LINUX_ROAM_H

#include <linux/types.h>

#define ROAM_GENL_NAME		"roam"
#define ROAM_GENL_VERSION	1
#define ROAM_GENL_MCGRP_EVENTS	"events"

enum roam_cmd {
	ROAM_CMD_UNSPEC,
	ROAM_CMD_STATUS_GET,

	__ROAM_CMD_MAX
};
#define ROAM_CMD_MAX (__ROAM_CMD_MAX - 1)

enum roam_attr {
	ROAM_A_UNSPEC,
	ROAM_A_PAD,
	ROAM_A_VERSION,		/* string: module version */
	ROAM_A_NETNS_COOKIE,	/* u64 */
	ROAM_A_STATS,		/* nest: enum roam_stat */

	__ROAM_A_MAX
};
#define ROAM_A_MAX (__ROAM_A_MAX - 1)

enum roam_stat {
	ROAM_STAT_UNSPEC,
	ROAM_STAT_PAD,
	ROAM_STAT_IN_PACKETS,		/* IPv4 packets seen by the gate */
	ROAM_STAT_IN_BYTES,

	__ROAM_STAT_MAX
};
#define ROAM_STAT_MAX (__ROAM_STAT_MAX - 1)

#endif /* _UAPI_LINUX_ROAM_H */
