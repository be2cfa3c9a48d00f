// SPDX-License-Identifier: GPL-2.0
/*
 * authd's client store (daemons/authd/store.c): 100,000 records survive
 * a reopen exactly; a writer killed with SIGKILL mid-stream loses no
 * change it had reported committed and leaves a store that opens; the
 * old journal imports in order, torn last line and junk included.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../authd/store.h"
#include "tap.h"

#define BIG	100000

struct count {
	unsigned long n, revoked;
	unsigned long max_seq;	/* highest wN seen */
	char probe[80];		/* serial of "probe", if any */
	uint32_t probe_id, other_id, max_id;
	unsigned long no_id;	/* records without a migration id */
};

static int counter(void *arg, const char *name, const char *serial, bool revoked,
		   uint32_t mig_id)
{
	struct count *c = arg;

	c->no_id += !mig_id;
	if (mig_id > c->max_id)
		c->max_id = mig_id;
	if (!strcmp(name, "probe"))
		c->probe_id = mig_id;
	if (!strcmp(name, "other"))
		c->other_id = mig_id;

	c->n++;
	c->revoked += revoked;
	if (name[0] == 'w' && strtoul(name + 1, NULL, 10) > c->max_seq)
		c->max_seq = strtoul(name + 1, NULL, 10);
	if (!strcmp(name, "probe"))
		snprintf(c->probe, sizeof(c->probe), "%s%s", serial, revoked ? " revoked" : "");
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int reopen_count(const char *dir, struct count *c)
{
	struct store *s;
	char err[256];
	int ret;

	memset(c, 0, sizeof(*c));
	if (store_open(&s, dir, err, sizeof(err))) {
		printf("# %s\n", err);
		return -1;
	}
	ret = store_each(s, counter, c);
	store_close(s);
	return ret;
}

/*
 * A clients.db of the earlier schema (no mig_id): opening it adds the
 * column and gives ids by age; they stay over a reopen; a new client
 * takes the next one, a re-added one keeps its own.
 */
static int test_migrate_old(const char *dir)
{
	char path[256], err[256];
	struct count c;
	struct store *s;
	uint32_t id = 0, id2 = 0;
	sqlite3 *db;
	int ok;

	snprintf(path, sizeof(path), "%s/clients.db", dir);
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 0;
	ok = sqlite3_exec(db,
		"CREATE TABLE clients (name TEXT PRIMARY KEY NOT NULL, serial TEXT NOT NULL,"
		" revoked INTEGER NOT NULL DEFAULT 0, changed_ms INTEGER NOT NULL DEFAULT 0)"
		" WITHOUT ROWID;"
		"INSERT INTO clients VALUES('young', '01', 0, 300), ('old', '02', 1, 100),"
		" ('middle', '03', 0, 200);", NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(db);
	ok = ok && !store_open(&s, dir, err, sizeof(err));
	ok = ok && !store_mig_id(s, "old", &id) && id == 1 &&
	     !store_mig_id(s, "young", &id) && id == 3 &&
	     store_mig_id(s, "nobody", &id) == -ENOENT;
	ok = ok && !store_add(s, "new", "04") && !store_mig_id(s, "new", &id2) && id2 == 4 &&
	     !store_add(s, "old", "05") && !store_mig_id(s, "old", &id) && id == 1;
	if (s)
		store_close(s);
	ok = ok && !reopen_count(dir, &c) && c.n == 4 && !c.no_id && c.max_id == 4;
	return ok;
}

int main(void)
{
	char dir[] = "/tmp/store-test.XXXXXX", dir2[] = "/tmp/store-test.XXXXXX";
	char dir3[] = "/tmp/store-test.XXXXXX", err[256], name[32], cmd[128];
	struct store *s;
	struct count c;
	double t0;
	int fds[2], ok;
	unsigned long last = 0, v;
	pid_t pid;
	FILE *f;

	tap_plan(8);
	if (!mkdtemp(dir) || !mkdtemp(dir2) || !mkdtemp(dir3))
		return 1;

	/* 100k adds, every other one revoked, in batches as an import would. */
	ok = !store_open(&s, dir, err, sizeof(err));
	t0 = now_s();
	{
		size_t cap = (size_t)BIG * 48, len = 0;
		char *j = malloc(cap);
		unsigned int skipped = 0;

		for (int i = 0; j && i < BIG; i++) {
			len += (size_t)snprintf(j + len, cap - len, "add c%d %08X\n", i, i);
			if (i % 2)
				len += (size_t)snprintf(j + len, cap - len, "revoke c%d\n", i);
		}
		ok = ok && j && !store_import_journal(s, j, len, &skipped) && !skipped;
		free(j);
	}
	/* And single changes, one transaction each, as authd makes them. */
	for (int i = 0; ok && i < 200; i++) {
		snprintf(name, sizeof(name), "single%d", i);
		ok = !store_add(s, name, "ABCD") && !store_revoke(s, name);
	}
	store_close(s);
	printf("# 150,000 changes in one transaction and 400 single ones: %.2f s\n", now_s() - t0);
	t0 = now_s();
	ok = ok && !reopen_count(dir, &c);
	printf("# reopened and read %lu records (%lu revoked) in %.2f s\n", c.n, c.revoked,
	       now_s() - t0);
	tap_ok(ok && c.n == BIG + 200 && c.revoked == BIG / 2 + 200,
	       "100,000 clients and 200 more survive a reopen exactly");
	/* Ids are unique (an index), so these say 1..N, one each. */
	tap_ok(ok && !c.no_id && c.max_id == BIG + 200,
	       "every client has a migration id, 1 to %lu (highest %u)", c.n, c.max_id);

	/* A writer killed mid-stream. */
	if (pipe(fds))
		return 1;
	pid = fork();
	if (!pid) {
		close(fds[0]);
		if (store_open(&s, dir2, err, sizeof(err)))
			_exit(1);
		for (unsigned long i = 1;; i++) {
			snprintf(name, sizeof(name), "w%lu", i);
			if (store_add(s, name, "00") || dprintf(fds[1], "%lu\n", i) < 0)
				_exit(1);
		}
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && last < 300 && fscanf(f, "%lu", &v) == 1)
		last = v;
	kill(pid, SIGKILL);
	while (f && fscanf(f, "%lu", &v) == 1)
		last = v;
	waitpid(pid, NULL, 0);
	if (f)
		fclose(f);
	ok = !reopen_count(dir2, &c);
	printf("# killed after it reported %lu committed; the store holds %lu (highest w%lu)\n",
	       last, c.n, c.max_seq);
	tap_ok(ok && last >= 300 && c.max_seq >= last && c.n == c.max_seq,
	       "SIGKILL mid-write: every reported change kept, no gap, the store opens");

	/* The old journal: order kept, a torn last line and junk skipped. */
	snprintf(cmd, sizeof(cmd), "%s/clients", dir3);
	f = fopen(cmd, "w");
	if (!f)
		return 1;
	fputs("add probe 01\nrevoke probe\nadd probe 02\nnonsense line\nadd ../x 03\nadd other 0", f);
	fclose(f);
	ok = !store_open(&s, dir3, err, sizeof(err));
	{
		char *data = NULL;
		size_t len = 0;
		unsigned int skipped = 0;

		f = fopen(cmd, "r");
		if (f) {
			data = malloc(4096);
			len = data ? fread(data, 1, 4096, f) : 0;
			fclose(f);
		}
		ok = ok && data && !store_import_journal(s, data, len, &skipped);
		printf("# journal import: %u lines skipped\n", skipped);
		tap_ok(ok && skipped == 2, "journal import: malformed lines and a bad name skipped");
		free(data);
	}
	store_close(s);
	ok = !reopen_count(dir3, &c);
	printf("# probe: %s; %lu records\n", c.probe, c.n);
	/* "add other 0" is a whole record even without its newline. */
	tap_ok(ok && !strcmp(c.probe, "02") && c.n == 2,
	       "journal import: add, revoke, add again leaves the new serial, not revoked");
	tap_ok(ok && c.probe_id == 1 && c.other_id == 2,
	       "a name keeps its migration id through revocation and re-issue (%u, %u)",
	       c.probe_id, c.other_id);
	tap_ok(test_migrate_old(dir3), "a database from before migration ids gets them, oldest first");

	ok = !store_open(&s, "/nonexistent/dir", err, sizeof(err));
	printf("# %s\n", err);
	tap_ok(!ok && strstr(err, "clients.db"), "an unusable directory is a clear error");

	snprintf(cmd, sizeof(cmd), "rm -rf %s %s %s", dir, dir2, dir3);
	if (system(cmd))
		return 1;
	return tap_done();
}
