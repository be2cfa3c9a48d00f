// SPDX-License-Identifier: GPL-2.0
/*
 * The service on this server: a child process (for the demo,
 * roam-fileserver) in its own process group, running only while this
 * server is active.  Stopping it after a roam is what cleans the old
 * server's state: its listener and every connection (and whatever an
 * attacker planted in them) go away with the process.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hoxfer.h"
#include "log.h"
#include "roamd.h"

#define RESTART_MS	1000

static void start(struct roamd *r, uint64_t now)
{
	const struct roam_addr *pool = roam_client_pool(r->client);
	char addr[64], epoch[32], hofd[16];
	int child_ho = -1;
	sigset_t none;
	pid_t pid;

	roam_addr_format(&pool[r->self], addr, sizeof(addr));
	snprintf(epoch, sizeof(epoch), "%llu", (unsigned long long)r->applied_epoch);
	/* The live handoff's socket (lib/handoff.h), when it is on. */
	if (migrate_service_socket(r, &child_ho))
		log_err("no handoff socket for the service: %s", strerror(errno));
	snprintf(hofd, sizeof(hofd), "%d", child_ho);
	pid = fork();
	if (pid < 0) {
		log_err("cannot start the service: %s", strerror(errno));
		if (child_ho >= 0)
			close(child_ho);
		migrate_service_gone(r);
		r->svc_restart_at = now + RESTART_MS;
		return;
	}
	if (!pid) {
		/* Own group, so stopping it reaches its children too. */
		setpgid(0, 0);
		/* As if run from a shell: roamd's blocked and ignored
		 * signals are roamd's business, not the service's. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		setenv("ROAM_ADDR", addr, 1);
		setenv("ROAM_EPOCH", epoch, 1);
		if (child_ho >= 0) {
			fcntl(child_ho, F_SETFD, 0);
			setenv(ROAM_HO_ENV, hofd, 1);
		}
		execvp(r->cfg.service[0], r->cfg.service);
		fprintf(stderr, "roamd: cannot run %s: %s\n", r->cfg.service[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	if (child_ho >= 0)
		close(child_ho);
	r->svc_pid = pid;
	r->svc_stopping = false;
	r->svc_starts++;
	log_info("service started (pid %d) on %s", (int)pid, addr);
}

/* Make sure the service runs and no stop is pending. */
void service_ensure(struct roamd *r, uint64_t now, const char *why)
{
	if (!r->cfg.service || r->self < 0)
		return;
	if (r->svc_stop_at && !r->svc_stopping) {
		log_info("service stays: %s", why);
		r->svc_stop_at = 0;
	}
	if (!r->svc_pid && now >= r->svc_restart_at) {
		log_info("starting the service: %s", why);
		start(r, now);
	}
}

void service_stop_later(struct roamd *r, uint64_t when)
{
	if (r->svc_pid && !r->svc_stop_at && !r->svc_stopping)
		r->svc_stop_at = when;
}

static void stop_now(struct roamd *r, uint64_t now)
{
	log_info("transition window over: stopping the service (pid %d) and its connections",
		 (int)r->svc_pid);
	kill(-r->svc_pid, SIGTERM);
	r->svc_stopping = true;
	r->svc_stop_at = 0;
	r->svc_kill_at = now + r->cfg.stop_grace_ms;
}

void service_tick(struct roamd *r, uint64_t now)
{
	/*
	 * Not while a handoff out still takes connections from it: those
	 * not sent yet would go back to a service that is gone (seen with
	 * 100 connections on a loaded emulator).  The handoff's end wakes
	 * the loop (migrate_done_fd).
	 */
	if (r->svc_pid && r->svc_stop_at && now >= r->svc_stop_at) {
		if (!migrate_out_busy(r))
			stop_now(r, now);
		else if (!r->svc_stop_deferred)
			log_info("transition window over, a handoff still running: the service stops after it");
		r->svc_stop_deferred = migrate_out_busy(r);
	}
	if (r->svc_pid && r->svc_stopping && r->svc_kill_at && now >= r->svc_kill_at) {
		log_warn("service (pid %d) ignored SIGTERM; killing it", (int)r->svc_pid);
		kill(-r->svc_pid, SIGKILL);
		r->svc_kill_at = 0;
	}
}

void service_reap(struct roamd *r, uint64_t now)
{
	int status;
	pid_t pid;

	/* Only the service: the handoff thread waits for its own children. */
	while (r->svc_pid && (pid = waitpid(r->svc_pid, &status, WNOHANG)) > 0) {
		r->svc_pid = 0;
		r->svc_kill_at = 0;
		migrate_service_gone(r);
		if (r->svc_stopping) {
			log_info("service stopped");
		} else {
			/* Died on its own while it should run: try again soon. */
			log_err("service exited unexpectedly (%s %d); restarting in %d ms",
				WIFSIGNALED(status) ? "signal" : "status",
				WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
				RESTART_MS);
			r->svc_restart_at = now + RESTART_MS;
		}
		r->svc_stopping = false;
		r->svc_stop_at = 0;
	}
}

/* At exit: stop the service and wait for it, up to the grace period. */
void service_shutdown(struct roamd *r)
{
	uint64_t until = roamd_now_ms() + r->cfg.stop_grace_ms;

	if (!r->svc_pid)
		return;
	kill(-r->svc_pid, SIGTERM);
	r->svc_stopping = true;
	while (r->svc_pid && roamd_now_ms() < until) {
		usleep(20000);
		service_reap(r, roamd_now_ms());
	}
	if (r->svc_pid) {
		kill(-r->svc_pid, SIGKILL);
		waitpid(r->svc_pid, NULL, 0);
	}
}
