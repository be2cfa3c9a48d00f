// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl: configure the Multipath Traffic Filter (mtf.ko) of a network
 * namespace.  One row per object; each object lives in its own file.
 */
#include "mtfctl.h"

static const struct cli_cmd objects[] = {
	{ "status", mtfctl_status, "module version, namespace cookie and counters" },
	{ "config", mtfctl_config, "settings of the namespace (slots, key grace, limits)" },
	{ "dev", mtfctl_dev, "interface roles: border-ingress, strip-egress, account" },
	{ "key", mtfctl_key, "rotate the key that marks are made with" },
	{ "mark", mtfctl_mark, "this router's mark for a destination" },
	{ "path", mtfctl_path, "accounted paths and path suffixes" },
	{ "filter", mtfctl_filter, "drop and rate-limit filters keyed by path suffix" },
	{ "monitor", mtfctl_monitor, "print events as they happen" },
	{ "request", mtfctl_request, "ask mtfd to block or rate-limit a path (control plane)" },
	{ "peer", mtfctl_peer, "mtfd's control-plane peers" },
	{ NULL, NULL, NULL }
};

static const struct cli_prog mtfctl = {
	.name = "mtfctl",
	.family = MTF_GENL_NAME,
	.module = "mtf",
	.version = MTF_GENL_VERSION,
	.objects = objects,
	.batch = mtfctl_batch_line,
};

int mtfctl_main(int argc, char **argv)
{
	return cli_main(&mtfctl, argc, argv);
}
