// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the admin request parser, and for the records of
 * "watch revocations" (roamd parses what comes back from authd's socket).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roam_admin_req r;
	struct roam_admin_rev rv;
	char line[ROAM_ADMIN_LINE_MAX + 2];
	const char *why;
	int n;

	/* A record that parses formats back to the same record. */
	if (!roam_admin_rev_parse((const char *)data, size, &rv, &why)) {
		struct roam_admin_rev back;

		if (rv.kind == ROAM_ADMIN_REV_REVOKED && !roam_name_valid(rv.name))
			abort();
		n = roam_admin_rev_format(&rv, line, sizeof(line));
		if (n <= 0 || roam_admin_rev_parse(line, (size_t)n - 1, &back, &why) ||
		    memcmp(&rv, &back, sizeof(rv)))
			abort();
	}
	if (roam_admin_parse((const char *)data, size, &r, &why))
		return 0;
	if ((r.cmd == ROAM_ADMIN_CLIENT_ADD || r.cmd == ROAM_ADMIN_CLIENT_REVOKE) &&
	    !roam_name_valid(r.name))
		abort();
	return 0;
}
