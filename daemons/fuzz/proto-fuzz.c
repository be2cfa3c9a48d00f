// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the message parser: whatever parses must encode
 * back to bytes that parse to the same message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct roam_msg m, m2;
	static uint8_t buf[ROAM_MSG_MAX];
	const char *why;
	size_t used, used2, total;
	int len;

	roam_msg_frame(data, size, &total);
	if (roam_msg_parse(data, size, &m, &used, &why))
		return 0;
	if (used > size)
		abort();
	len = roam_msg_encode(&m, buf, sizeof(buf));
	if (len < 0)
		abort();
	if (roam_msg_parse(buf, (size_t)len, &m2, &used2, &why) || used2 != (size_t)len ||
	    memcmp(&m, &m2, sizeof(m)))
		abort();
	return 0;
}
