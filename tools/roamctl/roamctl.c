// SPDX-License-Identifier: GPL-2.0
/*
 * roamctl: configure the proactive server roaming (roam.ko) of a network
 * namespace.  One row per object; each object lives in its own file.
 */
#include "roamctl.h"

/* admin.c: authd's administration over its admin socket, no kernel. */
int roamctl_client(struct cli *cli, int argc, char **argv);
int roamctl_threat(struct cli *cli, int argc, char **argv);
int roamctl_auth(struct cli *cli, int argc, char **argv);

static const struct cli_cmd objects[] = {
	{ "status", roamctl_status, "module version, namespace cookie and counters" },
	{ "gate", roamctl_gate, "the gate: pool, service ports, active server, clients" },
	{ "migrate", roamctl_migrate, "live TCP handoff: client id, key, pool, ports, roles" },
	{ "conn", roamctl_conn, "live TCP handoff: the server and client connection tables" },
	{ "monitor", roamctl_monitor, "print gate events (client violations, attacks) as they come" },
	{ "client", roamctl_client, "authd: add, revoke and list subscribed clients" },
	{ "threat", roamctl_threat, "authd: set the threat level (low|high)" },
	{ "auth", roamctl_auth, "authd: status (epoch, active server, threat, clients)" },
	{ NULL, NULL, NULL }
};

static const struct cli_prog roamctl = {
	.name = "roamctl",
	.family = ROAM_GENL_NAME,
	.module = "roam",
	.version = ROAM_GENL_VERSION,
	.objects = objects,
};

int roamctl_main(int argc, char **argv)
{
	return cli_main(&roamctl, argc, argv);
}
