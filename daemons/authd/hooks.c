// SPDX-License-Identifier: GPL-2.0
/*
 * How the gates hear about a revocation.  Every registered backend gets
 * (name, space-separated addresses the client was last seen at).  Today:
 * a log line, and optionally a hook program (--revoke-hook PROG, run as
 * "PROG revoke NAME [ADDR...]" without a shell).  The roam.ko gate will
 * add a generic netlink backend here.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>

#include "authd.h"
#include "log.h"

extern char **environ;

static void log_revoked(struct authd *a, const char *name, const char *addrs)
{
	(void)a;
	log_info("gate event: drop client %s%s%s", name, addrs[0] ? " at " : "", addrs);
}

static void exec_revoked(struct authd *a, const char *name, const char *addrs)
{
	char buf[1024], *argv[40], *save = NULL, *tok;
	int argc = 0, ret;
	pid_t pid;

	snprintf(buf, sizeof(buf), "%s", addrs);
	argv[argc++] = (char *)a->cfg.revoke_hook;
	argv[argc++] = "revoke";
	argv[argc++] = (char *)name;
	for (tok = strtok_r(buf, " ", &save); tok && argc < 39; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	/* SIGCHLD is ignored, so the child is reaped by the kernel. */
	ret = posix_spawn(&pid, a->cfg.revoke_hook, NULL, NULL, argv, environ);
	if (ret)
		log_err("revoke hook %s: %s", a->cfg.revoke_hook, strerror(ret));
}

static const struct authd_gate_ops log_ops = { "log", log_revoked };
static const struct authd_gate_ops exec_ops = { "exec", exec_revoked };

void authd_gates_init(struct authd *a)
{
	a->gates[a->ngates++] = &log_ops;
	if (a->cfg.revoke_hook)
		a->gates[a->ngates++] = &exec_ops;
}

void authd_gates_revoked(struct authd *a, const char *name, const char *addrs)
{
	for (int i = 0; i < a->ngates; i++)
		a->gates[i]->revoked(a, name, addrs);
}
