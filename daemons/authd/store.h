/* SPDX-License-Identifier: GPL-2.0 */
/*
 * authd's durable record of clients: SQLite (the state directory's
 * clients.db), one transaction per change, synced before authd answers
 * the administrator.  Replaces the append-only "clients" journal, which
 * is imported once and renamed clients.imported.
 */
#ifndef AUTHD_STORE_H
#define AUTHD_STORE_H

#include <stdbool.h>

struct store;

/* Open (create) DIR/clients.db; 0 or -errno, with a message in err. */
int store_open(struct store **s, const char *dir, char *err, size_t errlen);
void store_close(struct store *s);

/* One committed change each: 0 or -EIO. */
int store_add(struct store *s, const char *name, const char *serial);
int store_revoke(struct store *s, const char *name);

/* Calls fn for every client on record; 0 or -EIO. */
int store_each(struct store *s,
	       int (*fn)(void *arg, const char *name, const char *serial, bool revoked),
	       void *arg);

/*
 * The old journal's records ("add NAME SERIAL", "revoke NAME"), applied
 * in one transaction; malformed lines are counted in *skipped.
 */
int store_import_journal(struct store *s, const char *data, size_t len,
			 unsigned int *skipped);

#endif
