/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for lib/genl.c: the CLIs run unchanged against canned
 * kernel behaviour.  Replies still go through the real genl_process() and
 * parsers, so only the socket is fake.
 */
#ifndef TOOLS_TESTS_MOCK_H
#define TOOLS_TESTS_MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOCK_MTF_ID	0x20
#define MOCK_ROAM_ID	0x21
#define MOCK_MCGRP	7
#define MOCK_LOG_SIZE	(1 << 20)

struct mock {
	bool no_family;		/* CTRL_CMD_GETFAMILY answers -ENOENT */
	bool no_mcgrp;		/* the family has no multicast group */
	int doit_err;		/* the kernel's answer to the request */
	const char *extack;	/* its message with doit_err */
	int netns_err;		/* genl_netns_enter() result */
	/* FILTER_ADD/DEL: refuse entry N (1-based, over the whole run)
	 * with -EEXIST, pointing at it with NLMSGERR_ATTR_OFFS unless
	 * no_offs. */
	unsigned long fail_entry;
	bool no_offs;
	unsigned int events;	/* monitor: events before a SIGTERM */
	bool bad_event;		/* the first event is malformed */
	bool no_log;		/* do not keep requests (bulk timing) */
	/* What the CLI did. */
	char netns[64];
	unsigned int opens, requests;
	unsigned long filter_msgs, filter_entries;
	size_t filter_max_len;	/* largest FILTER_ADD/DEL message */
	int mcast_group;
	/* Every request, back to back, as sent. */
	size_t log_len;
	bool log_full;
	char log[MOCK_LOG_SIZE] __attribute__((aligned(8)));
};

extern struct mock mock;

#endif
