// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target for the admin request parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roam_admin_req r;
	const char *why;

	if (roam_admin_parse((const char *)data, size, &r, &why))
		return 0;
	if ((r.cmd == ROAM_ADMIN_CLIENT_ADD || r.cmd == ROAM_ADMIN_CLIENT_REVOKE) &&
	    !roam_name_valid(r.name))
		abort();
	return 0;
}
