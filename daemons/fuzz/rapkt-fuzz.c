// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: what a gateway's router-alert sockets receive (any
 * forwarded packet with IP options), through the packet parser and the
 * control message parser behind it.
 */
#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "rapkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mtf_ctl_msg m;
	struct mtfd_ra ra;
	const char *why;
	uint8_t out[MTF_CTL_MAX];

	if (mtfd_ra_payload(data, size, MTF_CTL_PORT, &ra))
		return 0;
	if (ra.off + ra.len > size)
		__builtin_trap();
	if (!mtf_ctl_parse(data + ra.off, ra.len, &m, &why) &&
	    mtf_ctl_encode(&m, out, sizeof(out)) < 0)
		__builtin_trap();
	return 0;
}
