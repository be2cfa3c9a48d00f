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
#include <stddef.h>
#include <stdint.h>

struct store;

/* Open (create) DIR/clients.db; 0 or -errno, with a message in err. */
int store_open(struct store **s, const char *dir, char *err, size_t errlen);
void store_close(struct store *s);

/* One committed change each: 0 or -EIO. */
int store_add(struct store *s, const char *name, const char *serial);
int store_revoke(struct store *s, const char *name);

/*
 * Calls fn for every client on record; 0 or -EIO.  mig_id is the
 * client's live-handoff id: 1 and up, given at its first store_add and
 * kept for its name (0 only for a damaged record).
 */
int store_each(struct store *s,
	       int (*fn)(void *arg, const char *name, const char *serial, bool revoked,
			 uint32_t mig_id),
	       void *arg);

/* One client's mig_id: 0, -ENOENT (no such name) or -EIO. */
int store_mig_id(struct store *s, const char *name, uint32_t *id);

/*
 * The old journal's records ("add NAME SERIAL", "revoke NAME"), applied
 * in one transaction; malformed lines are counted in *skipped.
 */
int store_import_journal(struct store *s, const char *data, size_t len,
			 unsigned int *skipped);

#endif
