// SPDX-License-Identifier: GPL-2.0
/*
 * Blocking work off roamd's event loop: subscribing to authd (DNS, TCP
 * connect, TLS handshake, the first keys: seconds when authd is slow or
 * blackholed) and authd's admin calls (a stopped authd never answers).
 * The loop must switch the gate on time whatever authd does, so these
 * run one at a time on a thread of their own; each finished job comes
 * back to the loop through a pipe, and only the loop acts on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "log.h"
#include "roamd.h"

/* Jobs queued at once; more is a sign authd is gone, and they are refused. */
#define WORKER_QUEUE_MAX	32

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *head, *tail;
	unsigned int queued;
	bool quit;
	int pipe[2];			/* finished jobs, as pointers */
	const struct roamd_config *cfg;
};

static void run_job(const struct roamd_config *cfg, struct job *j)
{
	switch (j->kind) {
	case JOB_CONNECT:
		j->ret = roam_client_open(&j->client, &cfg->client, j->err, sizeof(j->err));
		break;
	case JOB_THREAT_LEASE:
		j->ret = roam_admin_threat_lease(cfg->admin_sock, j->lease_ms, j->err,
						 sizeof(j->err));
		break;
	case JOB_REVOKE:
		j->ret = roam_admin_client_revoke(cfg->admin_sock, j->name, j->err,
						  sizeof(j->err));
		break;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct job *j;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->quit)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->quit) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		j = w->head;
		w->head = j->next;
		if (!w->head)
			w->tail = NULL;
		w->queued--;
		pthread_mutex_unlock(&w->lock);

		run_job(w->cfg, j);
		/* A pointer is 8 bytes: below PIPE_BUF, written whole. */
		while (write(w->pipe[1], &j, sizeof(j)) < 0 && errno == EINTR)
			;
	}
}

int worker_start(struct roamd *r)
{
	struct worker *w = calloc(1, sizeof(*w));
	int ret;

	if (!w)
		return -ENOMEM;
	if (pipe2(w->pipe, O_CLOEXEC)) {
		ret = -errno;
		free(w);
		return ret;
	}
	fcntl(w->pipe[0], F_SETFL, O_NONBLOCK);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->cfg = &r->cfg;
	ret = -pthread_create(&w->thread, NULL, worker_main, w);
	if (ret) {
		close(w->pipe[0]);
		close(w->pipe[1]);
		free(w);
		return ret;
	}
	r->worker = w;
	return 0;
}

int worker_fd(const struct roamd *r)
{
	return r->worker->pipe[0];
}

int worker_submit(struct roamd *r, struct job *j)
{
	struct worker *w = r->worker;

	pthread_mutex_lock(&w->lock);
	if (w->queued >= WORKER_QUEUE_MAX) {
		pthread_mutex_unlock(&w->lock);
		free(j);
		return -EBUSY;
	}
	j->next = NULL;
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	w->queued++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void worker_results(struct roamd *r, void (*done)(struct roamd *r, struct job *j))
{
	struct job *j;

	while (read(worker_fd(r), &j, sizeof(j)) == sizeof(j)) {
		done(r, j);
		free(j);
	}
}

/*
 * At exit: the job running (at most the client's connect and TLS
 * timeouts) is waited for; queued ones are dropped.
 */
void worker_stop(struct roamd *r)
{
	struct worker *w = r->worker;
	struct job *j;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->quit = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while ((j = w->head)) {
		w->head = j->next;
		free(j);
	}
	/* Finished but not collected: a subscription nobody will use. */
	while (read(w->pipe[0], &j, sizeof(j)) == sizeof(j)) {
		if (j->kind == JOB_CONNECT && !j->ret)
			roam_client_close(j->client);
		free(j);
	}
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
	r->worker = NULL;
}
