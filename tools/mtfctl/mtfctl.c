// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl: configure the Multipath Traffic Filter (mtf.ko) of a network
 * namespace.  One row per object; each object lives in its own file.
 */
#include "mtfctl.h"

static const struct cli_cmd objects[] = {
	{ "status", mtfctl_status, "module version, namespace cookie and counters" },
	{ NULL, NULL, NULL }
};

static const struct cli_prog mtfctl = {
	.name = "mtfctl",
	.family = MTF_GENL_NAME,
	.module = "mtf",
	.version = MTF_GENL_VERSION,
	.objects = objects,
};

int mtfctl_main(int argc, char **argv)
{
	return cli_main(&mtfctl, argc, argv);
}
