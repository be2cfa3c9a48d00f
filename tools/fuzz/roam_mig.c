// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: arbitrary bytes as what roam.ko sends roamctl's live
 * handoff code: a MIG_GET reply or a CONN_GET / CCONN_GET dump.  The
 * first byte picks the consumer and the output format; the rest goes
 * through genl_process() and the parsers, then the output code, as the
 * CLI would.  (CONN_CONFIRMED events: the roam_gate target, which runs
 * the monitor's roam_event_out().)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../roamctl/roamctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[65536] __attribute__((aligned(8)));
	static struct genl_sock gs;
	static struct out o;
	FILE *null = fopen("/dev/null", "w");

	if (!size || size > sizeof(buf) || !null) {
		if (null)
			fclose(null);
		return 0;
	}
	/* Aligned, as recv() into the socket buffer would be. */
	memcpy(buf, data + 1, size - 1);
	out_init(&o, null, data[0] & 4, data[0] & 8);
	gs.seq = 0;
	gs.portid = 0;
	if (data[0] & 1) {
		genl_process(&gs, buf, size - 1, roam_mig_show_cb, &o);
	} else {
		out_obj_begin(&o, "server");
		genl_process(&gs, buf, size - 1, roam_conn_show_cb, &o);
		out_obj_end(&o);
	}
	out_flush(&o);
	fclose(null);
	return 0;
}
