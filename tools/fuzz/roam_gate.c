// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: arbitrary bytes as what roam.ko sends roamctl's gate code:
 * a GATE_GET reply, a CLIENT_GET dump, or events on the monitor socket.
 * The first byte picks the consumer; the rest goes through genl_process()
 * (or the monitor's per-message walk) and the parsers, then the output
 * code, as the CLI would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../roamctl/roamctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct out o;

static int client_cb(const struct nlmsghdr *nlh, void *arg)
{
	static const enum mnl_attr_data_type policy[ROAM_A_MAX + 1] = {
		[ROAM_A_CLIENT] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[ROAM_A_MAX + 1];
	struct roam_client c;
	int ret;

	(void)arg;
	ret = genl_attr_parse(nlh, policy, tb, ROAM_A_MAX);
	if (ret < 0 || !tb[ROAM_A_CLIENT])
		return ret;
	ret = roam_client_parse_nest(tb[ROAM_A_CLIENT], &c);
	if (ret < 0)
		return ret;
	roam_client_out(&o, &c);
	return 0;
}

static int event_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	if (roam_event_out(&o, nlh) < 0)
		out_free(&o);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[65536] __attribute__((aligned(8)));
	static struct genl_sock gs;
	static struct roam_gate g;
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
	switch (data[0] & 3) {
	case 0:
		if (genl_process(&gs, buf, size - 1, roam_gate_parse, &g) >= 0)
			roam_gate_out(&o, &g);
		break;
	case 1:
		genl_process(&gs, buf, size - 1, client_cb, NULL);
		break;
	default:
		/* As the monitor does: genl_process(), then each event. */
		genl_process(&gs, buf, size - 1, event_cb, NULL);
		break;
	}
	out_flush(&o);
	fclose(null);
	return 0;
}
