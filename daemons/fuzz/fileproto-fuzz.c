// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the demo file protocol: both parsers on the same
 * input; whatever parses must format back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fileproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *why;
	char line[RFILE_LINE_MAX + 1];
	struct rfile_resp rs, rs2;
	struct rfile_req r, r2;
	int n, m;

	n = rfile_req_parse(buf, size, &r, &why);
	if (n > 0) {
		m = rfile_req_format(line, sizeof(line), &r);
		if (m != n || memcmp(line, buf, (size_t)n) ||
		    rfile_req_parse(line, (size_t)m, &r2, &why) != m ||
		    memcmp(&r, &r2, sizeof(r)))
			abort();
	}
	n = rfile_resp_parse(buf, size, &rs, &why);
	if (n > 0) {
		m = rfile_resp_format(line, sizeof(line), &rs);
		if (m != n || memcmp(line, buf, (size_t)n) ||
		    rfile_resp_parse(line, (size_t)m, &rs2, &why) != m ||
		    memcmp(&rs, &rs2, sizeof(rs)))
			abort();
	}
	return 0;
}
