// SPDX-License-Identifier: GPL-2.0
/*
 * Clients on record, in SQLite.  WAL journal with synchronous=FULL: a
 * change that returned 0 survives a crash or a power cut; a change cut
 * short by one (kill -9 mid-write) is rolled back as a whole at the
 * next open.  No size limit beyond the disk's, no compaction to run.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "pki.h"
#include "store.h"

struct store {
	sqlite3 *db;
	sqlite3_stmt *add, *revoke, *each, *id;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS clients ("
	" name TEXT PRIMARY KEY NOT NULL,"
	" serial TEXT NOT NULL,"
	" revoked INTEGER NOT NULL DEFAULT 0,"
	" changed_ms INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),"
	" mig_id INTEGER"
	") WITHOUT ROWID;";

/*
 * mig_id: the client's id for the live handoff (roam-handoff.md), 1 and
 * up, given once per name and kept through revocation and re-issue.
 * Databases from before it get the column and ids at open.
 */
#define NEXT_ID "(SELECT COALESCE(MAX(mig_id), 0) + 1 FROM clients)"

static bool has_mig_column(sqlite3 *db)
{
	sqlite3_stmt *st;
	bool found = false;

	if (sqlite3_prepare_v2(db, "PRAGMA table_info(clients)", -1, &st, NULL) != SQLITE_OK)
		return false;
	while (sqlite3_step(st) == SQLITE_ROW)
		found |= !strcmp((const char *)sqlite3_column_text(st, 1), "mig_id");
	sqlite3_finalize(st);
	return found;
}

static int migrate_ids(sqlite3 *db)
{
	sqlite3_stmt *todo = NULL, *set = NULL;
	int rc = SQLITE_OK;

	if (!has_mig_column(db))
		rc = sqlite3_exec(db, "ALTER TABLE clients ADD COLUMN mig_id INTEGER", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE;"
				  "CREATE UNIQUE INDEX IF NOT EXISTS clients_mig_id ON clients(mig_id);",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	/* Records without one, oldest first, each take the next id. */
	rc = sqlite3_prepare_v2(db, "SELECT name FROM clients WHERE mig_id IS NULL "
				"ORDER BY changed_ms, name", -1, &todo, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "UPDATE clients SET mig_id = " NEXT_ID
					" WHERE name = ?1", -1, &set, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(todo)) == SQLITE_ROW) {
		sqlite3_bind_text(set, 1, (const char *)sqlite3_column_text(todo, 0), -1,
				  SQLITE_TRANSIENT);
		rc = sqlite3_step(set) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(set);
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(todo);
	sqlite3_finalize(set);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

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
		rc = migrate_ids(s->db);
	if (rc == SQLITE_OK)
		rc = prepare(s, "INSERT INTO clients(name, serial, revoked, mig_id) "
			     "VALUES(?1, ?2, 0, " NEXT_ID ") "
			     "ON CONFLICT(name) DO UPDATE SET serial = ?2, revoked = 0, "
			     "changed_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)", &s->add);
	if (rc == SQLITE_OK)
		rc = prepare(s, "UPDATE clients SET revoked = 1, "
			     "changed_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) "
			     "WHERE name = ?1", &s->revoke);
	if (rc == SQLITE_OK)
		rc = prepare(s, "SELECT name, serial, revoked, mig_id FROM clients", &s->each);
	if (rc == SQLITE_OK)
		rc = prepare(s, "SELECT mig_id FROM clients WHERE name = ?1", &s->id);
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
	sqlite3_finalize(s->id);
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

/* An id in the database, or 0 if it is not one (NULL, out of range). */
static uint32_t column_id(sqlite3_stmt *st, int col)
{
	sqlite3_int64 v = sqlite3_column_int64(st, col);

	return v >= 1 && v <= UINT32_MAX ? (uint32_t)v : 0;
}

int store_mig_id(struct store *s, const char *name, uint32_t *id)
{
	int rc;

	*id = 0;
	sqlite3_bind_text(s->id, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->id);
	if (rc == SQLITE_ROW)
		*id = column_id(s->id, 0);
	sqlite3_reset(s->id);
	sqlite3_clear_bindings(s->id);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_err("clients.db: %s", sqlite3_errmsg(s->db));
		return -EIO;
	}
	return rc == SQLITE_ROW ? 0 : -ENOENT;
}

int store_each(struct store *s,
	       int (*fn)(void *arg, const char *name, const char *serial, bool revoked,
			 uint32_t mig_id),
	       void *arg)
{
	int rc, ret = 0;

	while ((rc = sqlite3_step(s->each)) == SQLITE_ROW && !ret)
		ret = fn(arg, (const char *)sqlite3_column_text(s->each, 0),
			 (const char *)sqlite3_column_text(s->each, 1),
			 sqlite3_column_int(s->each, 2) != 0, column_id(s->each, 3));
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
