/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recording stand-in for lib/genl.c, for test-roamctl: keeps the
 * last request roamctl built and answers with what the test prepared
 * (data messages from a callback, then ACK/DONE or an error with extack).
 */
#ifndef TOOLS_TESTS_MOCK_ROAM_H
#define TOOLS_TESTS_MOCK_ROAM_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#define MOCK_ROAM_FAM	0x21
#define MOCK_ROAM_GRP	7

struct mock_roam {
	/* Appends data messages after nlh (first message at buf). */
	size_t (*reply)(char *buf, uint32_t seq, uint32_t portid);
	int err;
	const char *extack;
	/* What roamctl sent. */
	char req[8192] __attribute__((aligned(8)));
	unsigned int requests;
	uint16_t req_flags;
};

extern struct mock_roam mock_roam;

#endif
