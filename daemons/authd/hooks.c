// SPDX-License-Identifier: GPL-2.0
/*
 * How the gates hear about a revocation.  Every registered backend gets
 * (name, space-separated addresses the client was last seen at): a log
 * line; the roamds watching revocations on the admin socket (watch.c),
 * which block the client in their roam.ko gates over generic netlink;
 * and optionally a hook program (--revoke-hook PROG, run as
 * "PROG revoke NAME [ADDR...]" without a shell) for anything else.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "authd.h"
#include "log.h"

extern char **environ;

static void log_revoked(struct authd *a, const char *name, const char *addrs)
{
	(void)a;
	log_info("gate event: drop client %s%s%s", name, addrs[0] ? " at " : "", addrs);
}

static int spawn_clean(pid_t *pid, const char *prog, char **argv);

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
	ret = spawn_clean(&pid, a->cfg.revoke_hook, argv);
	if (ret)
		log_err("revoke hook %s: %s", a->cfg.revoke_hook, strerror(ret));
	else
		log_debug("revoke hook for %s: pid %d", name, (int)pid);
}

/*
 * As if started from a shell: no signal blocked (authd blocks those it
 * reads from its signalfd) and SIGPIPE at its default (authd ignores
 * it), so the hook and its children can be stopped and behave.  Reaped
 * by authd_reap_children(), which logs how each ended.
 */
static int spawn_clean(pid_t *pid, const char *prog, char **argv)
{
	posix_spawnattr_t attr;
	sigset_t none, def;
	int ret;

	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGCHLD);
	ret = posix_spawnattr_init(&attr);
	if (ret)
		return ret;
	ret = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (!ret)
		ret = posix_spawnattr_setsigmask(&attr, &none);
	if (!ret)
		ret = posix_spawnattr_setsigdefault(&attr, &def);
	if (!ret)
		ret = posix_spawn(pid, prog, NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	return ret;
}

void authd_reap_children(struct authd *a)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			continue;
		if (WIFEXITED(status))
			log_err("revoke hook %s (pid %d) exited with status %d: the gates may "
				"not know", a->cfg.revoke_hook, (int)pid, WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			log_err("revoke hook %s (pid %d) killed by signal %d", a->cfg.revoke_hook,
				(int)pid, WTERMSIG(status));
		a->hook_failures++;
	}
}

static const struct authd_gate_ops log_ops = { "log", log_revoked };
static const struct authd_gate_ops exec_ops = { "exec", exec_revoked };

void authd_gates_init(struct authd *a)
{
	a->gates[a->ngates++] = &log_ops;
	a->gates[a->ngates++] = &authd_watch_ops;
	if (a->cfg.revoke_hook)
		a->gates[a->ngates++] = &exec_ops;
}

void authd_gates_revoked(struct authd *a, const char *name, const char *addrs)
{
	for (int i = 0; i < a->ngates; i++)
		a->gates[i]->revoked(a, name, addrs);
}
