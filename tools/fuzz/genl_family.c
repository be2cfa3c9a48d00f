// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: arbitrary bytes as the reply to CTRL_CMD_GETFAMILY. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "genl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct genl_sock gs;
	struct genl_family fam;

	memset(&fam, 0, sizeof(fam));
	if (genl_process(&gs, data, size, genl_family_parse, &fam) < 0)
		return 0;
	if (fam.n_mcgrps > GENL_MAX_MCGRPS)
		__builtin_trap();
	genl_family_mcgrp(&fam, "events");
	return 0;
}
