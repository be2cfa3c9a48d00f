// SPDX-License-Identifier: GPL-2.0
/*
 * The handoff's kernel boundary (hoxfer.h): roam.ko's server connection
 * table (ROAM_CMD_CONN_SET/GET, states NEGOTIATED, BLOCKED, MIGRATING,
 * CONFIRMED).  Until roamd speaks those commands, a stub: no connection
 * is negotiated (each stays with the old service, as without handoff)
 * unless a test says to take them all as negotiated, and the state
 * changes are no-ops, counted.
 *
 * TODO(kmig): wire to ROAM_CMD_CONN_GET (lookup), ROAM_CMD_CONN_SET
 * (BLOCKED, NEGOTIATED, MIGRATING with ROAM_CONN_A_MIGRATE) and
 * ROAM_CMD_CONN_DEL (forget) through gate.c's socket.
 */
#include <errno.h>
#include <string.h>

#include "hoxfer.h"

int hok_lookup(struct gate *g, bool assume_negotiated, const struct hok_conn *c,
	       struct hochan_mig *mig)
{
	(void)g;
	memset(mig, 0, sizeof(*mig));
	if (!assume_negotiated)
		return -ENOENT;
	/* What a first move from this server would carry. */
	mig->flags = HOCHAN_F_NEGOTIATED;
	memcpy(mig->orig_addr, c->local.addr, 4);
	return 0;
}

int hok_block(struct gate *g, const struct hok_conn *c)
{
	(void)g;
	(void)c;
	return 0;
}

int hok_unblock(struct gate *g, const struct hok_conn *c)
{
	(void)g;
	(void)c;
	return 0;
}

int hok_forget(struct gate *g, const struct hok_conn *c)
{
	(void)g;
	(void)c;
	return 0;
}

int hok_migrating(struct gate *g, const struct hok_conn *c, const uint8_t orig4[4],
		  uint32_t counter, const uint8_t mac[MIG_MAC_LEN])
{
	(void)g;
	(void)c;
	(void)orig4;
	(void)counter;
	(void)mac;
	return 0;
}
