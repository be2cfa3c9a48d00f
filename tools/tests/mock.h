/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for tools/lib/genl.c: the CLIs run unchanged against canned
 * kernel behaviour.  Replies still go through the real genl_process() and
 * parsers, so only the socket is fake.
 */
#ifndef TOOLS_TESTS_MOCK_H
#define TOOLS_TESTS_MOCK_H

#include <stdbool.h>
#include <stdint.h>

#define MOCK_MTF_ID	0x20
#define MOCK_ROAM_ID	0x21

struct mock {
	bool no_family;		/* CTRL_CMD_GETFAMILY answers -ENOENT */
	int doit_err;		/* the kernel's answer to the request */
	const char *extack;	/* its message with doit_err */
	int netns_err;		/* genl_netns_enter() result */
	/* What the CLI did. */
	char netns[64];
	unsigned int opens, requests;
};

extern struct mock mock;

#endif
