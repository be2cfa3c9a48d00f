// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: arbitrary bytes as the answer to mtfctl config show and
 * mark get, through genl_process() and the parsers, then printed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../mtfctl/mtfctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct genl_sock gs;
	static FILE *sink;
	struct mtf_mark m = { 0 };
	struct mtf_cfg c;
	struct out o;

	if (!sink)
		sink = fopen("/dev/null", "w");
	memset(&c, 0, sizeof(c));
	gs.seq = 0;
	gs.portid = 0;
	if (genl_process(&gs, data, size, mtf_cfg_parse, &c) >= 0) {
		out_init(&o, sink, size & 1, false);
		mtf_cfg_out(&o, &c);
		out_flush(&o);
	}
	genl_process(&gs, data, size, mtf_mark_parse, &m);
	return 0;
}
