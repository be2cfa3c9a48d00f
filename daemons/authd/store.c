// SPDX-License-Identifier: GPL-2.0
/*
 * Clients on record, in SQLite.  WAL journal with synchronous=FULL: a
 * change that returned 0 survives a crash or a power cut; a change cut
 * short by one (kill -9 mid-write) is rolled back as a whole at the
 * next open.  No size limit beyond the disk's, no compaction to run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "pki.h"
#include "store.h"

struct store {
	sqlite3 *db;
	sqlite3_stmt *add, *revoke, *each;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS clients ("
	" name TEXT PRIMARY KEY NOT NULL,"
	" serial TEXT NOT NULL,"
	" revoked INTEGER NOT NULL DEFAULT 0,"
	" changed_ms INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))"
	") WITHOUT ROWID;";

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
}

int store_open(struct store **sp, const char *dir, char *err, size_t errlen)
{
	char path[4096];
	struct store *s;
	int rc;

	*sp = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/clients.db", dir);
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(s->db, 2000);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db, schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = prepare(s, "INSERT INTO clients(name, serial, revoked) VALUES(?1, ?2, 0) "
			     "ON CONFLICT(name) DO UPDATE SET serial = ?2, revoked = 0, "
			     "changed_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)", &s->add);
	if (rc == SQLITE_OK)
		rc = prepare(s, "UPDATE clients SET revoked = 1, "
			     "changed_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) "
			     "WHERE name = ?1", &s->revoke);
	if (rc == SQLITE_OK)
		rc = prepare(s, "SELECT name, serial, revoked FROM clients", &s->each);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		store_close(s);
		return -EIO;
	}
	*sp = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->add);
	sqlite3_finalize(s->revoke);
	sqlite3_finalize(s->each);
	sqlite3_close(s->db);
	free(s);
}

static int run(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		log_err("clients.db: %s", sqlite3_errmsg(s->db));
		return -EIO;
	}
	return 0;
}

/* Each statement on its own is a transaction (autocommit). */
int store_add(struct store *s, const char *name, const char *serial)
{
	sqlite3_bind_text(s->add, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->add, 2, serial, -1, SQLITE_STATIC);
	return run(s, s->add);
}

int store_revoke(struct store *s, const char *name)
{
	sqlite3_bind_text(s->revoke, 1, name, -1, SQLITE_STATIC);
	return run(s, s->revoke);
}

int store_each(struct store *s,
	       int (*fn)(void *arg, const char *name, const char *serial, bool revoked),
	       void *arg)
{
	int rc, ret = 0;

	while ((rc = sqlite3_step(s->each)) == SQLITE_ROW && !ret)
		ret = fn(arg, (const char *)sqlite3_column_text(s->each, 0),
			 (const char *)sqlite3_column_text(s->each, 1),
			 sqlite3_column_int(s->each, 2) != 0);
	sqlite3_reset(s->each);
	if (ret)
		return ret;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_err("clients.db: %s", sqlite3_errmsg(s->db));
		return -EIO;
	}
	return 0;
}

int store_import_journal(struct store *s, const char *data, size_t len,
			 unsigned int *skipped)
{
	const char *p = data, *end = data + len, *nl;
	char line[256], op[16], name[ROAM_NAME_MAX + 2], serial[80];
	int n, ret = 0;

	*skipped = 0;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -EIO;
	for (; p < end && !ret; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;	/* a torn last line: judged like any other */
		if ((size_t)(nl - p) >= sizeof(line)) {
			(*skipped)++;
			continue;
		}
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		n = sscanf(line, "%15s %65s %79s", op, name, serial);
		if (n == 3 && !strcmp(op, "add") && roam_name_valid(name))
			ret = store_add(s, name, serial);
		else if (n == 2 && !strcmp(op, "revoke") && roam_name_valid(name))
			ret = store_revoke(s, name);
		else
			(*skipped)++;
	}
	if (ret || sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -EIO;
	}
	return 0;
}
