// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the live handoff's parsers: the first byte picks
 * one, the rest is its input.  The service API's messages (both
 * directions, 0-2 descriptors), the channel's frame header, CONN, END
 * and RESULT payloads, and the file server's exported state; whatever
 * decodes must encode back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fileproto.h"
#include "handoff.h"
#include "hochan.h"

static void conn(const uint8_t *d, size_t n)
{
	static uint8_t out[HOCHAN_CONN_FIXED + ROAM_HO_STATE_MAX + 4096];
	struct hochan_conn c;
	int k;

	if (hochan_conn_decode(d, n, &c))
		return;
	if (c.state_len > ROAM_HO_STATE_MAX || c.blob_len > HOCHAN_BLOB_MAX ||
	    c.state + c.state_len > d + n || c.blob + c.blob_len != d + n)
		abort();
	if (n > sizeof(out))
		return;
	k = hochan_conn_encode(out, sizeof(out), &c.mig, c.state, c.state_len, c.blob,
			       c.blob_len);
	if (k != (int)n || memcmp(out, d, n))
		abort();
}

static void file_state(const uint8_t *d, size_t n)
{
	static uint8_t out[RFILE_STATE_MAX];
	struct rfile_state st;
	int k;

	if (rfile_state_decode(d, n, &st))
		return;
	k = rfile_state_encode(out, sizeof(out), &st);
	if (k != (int)n || memcmp(out, d, n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct roam_ho_msg m;
	static uint8_t status[HOCHAN_CONNS_MAX];
	enum hochan_type t;
	uint32_t len, count;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0:
		if (!roam_ho_parse(data + 1, size - 1, data[0] / 6 % 3, data[0] & 0x80, &m) &&
		    m.state_len > ROAM_HO_STATE_MAX)
			abort();
		break;
	case 1:
		if (size >= 1 + HOCHAN_HDR_LEN && !hochan_hdr_parse(data + 1, &t, &len) &&
		    len > HOCHAN_PAYLOAD_MAX)
			abort();
		break;
	case 2:
		conn(data + 1, size - 1);
		break;
	case 3:
		hochan_end_decode(data + 1, size - 1, &count);
		break;
	case 4:
		if (!hochan_result_decode(data + 1, size - 1, &len, status) &&
		    len > HOCHAN_CONNS_MAX)
			abort();
		break;
	case 5:
		file_state(data + 1, size - 1);
		break;
	}
	return 0;
}
