// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: arbitrary bytes as the kernel's answer to roamctl status,
 * through the same path as the CLI: genl_process() (message framing,
 * NLMSG_ERROR/DONE with extack), then roam_status_parse().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../roamctl/roamctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct genl_sock gs;
	static struct genl_status st;
	char name[16];
	unsigned int i;

	memset(&st, 0, sizeof(st));
	gs.seq = 0;	/* 0: accept any sequence number and port id */
	gs.portid = 0;
	if (genl_process(&gs, data, size, roam_status_parse, &st) < 0)
		return 0;
	/* What the CLI would print next must be well-formed too. */
	for (i = 0; i < st.stats.n; i++)
		stats_name(&roam_stat_names, st.stats.e[i].id, name, sizeof(name));
	if (strnlen(st.version, sizeof(st.version)) == sizeof(st.version))
		__builtin_trap();
	return 0;
}
