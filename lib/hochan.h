/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The roamd-to-roamd handoff channel's frames (inside TLS 1.3 with the
 * pool's migration key as external PSK, daemons/roamd/handoff.c).  Pure
 * codec: no I/O, fuzzed (daemons/fuzz/hochan-fuzz.c).
 *
 * Frame: "RX" | u8 version (1) | u8 type | be32 payload length | payload
 *
 *   CONN   old -> new  one connection (hochan_conn below)
 *   END    old -> new  be32 number of CONN frames sent
 *   RESULT new -> old  be32 n | n status bytes (0 adopted, else failed),
 *                      one per CONN in order
 *
 * Byte layout: Documentation/roam-handoff.md ("Transfer channel").
 */
#ifndef ROAM_HOCHAN_H
#define ROAM_HOCHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handoff.h"

#define HOCHAN_VERSION		1
#define HOCHAN_HDR_LEN		8
/* A connection's TCP_REPAIR blob: larger queues than this do not move. */
#define HOCHAN_BLOB_MAX		(16u << 20)
#define HOCHAN_CONN_FIXED	(4 + 4 + 8 + 8 + 4 + 4 + 2 + 4)
#define HOCHAN_PAYLOAD_MAX	(HOCHAN_CONN_FIXED + ROAM_HO_STATE_MAX + HOCHAN_BLOB_MAX)
/* Connections per handoff (and RESULT entries). */
#define HOCHAN_CONNS_MAX	4096

enum hochan_type { HOCHAN_CONN = 1, HOCHAN_END = 2, HOCHAN_RESULT = 3 };

#define HOCHAN_F_NEGOTIATED	(1u << 0)	/* the client's roam.ko knows MIGRATE */

/* What the old server's roam.ko knew of the connection (MIGRATE's input). */
struct hochan_mig {
	uint32_t flags;			/* HOCHAN_F_* */
	uint32_t id;			/* the client's id */
	uint8_t c_nonce[8], s_nonce[8];
	uint8_t orig_addr[4];		/* network order */
	uint32_t counter;		/* of the last move, 0: never moved */
};

/* A CONN payload, decoded; the pointers point into the payload. */
struct hochan_conn {
	struct hochan_mig mig;
	const uint8_t *state;
	size_t state_len;
	const uint8_t *blob;
	size_t blob_len;
};

/*
 * Check a frame header: 0 with *type and *len (the payload that follows,
 * at most HOCHAN_PAYLOAD_MAX), or -EBADMSG / -EPROTO / -EMSGSIZE.
 */
int hochan_hdr_parse(const uint8_t hdr[HOCHAN_HDR_LEN], enum hochan_type *type,
		     uint32_t *len);
void hochan_hdr_format(uint8_t hdr[HOCHAN_HDR_LEN], enum hochan_type type, uint32_t len);

/* CONN payload: its length, written to buf if cap allows (else -ENOSPC). */
int hochan_conn_encode(uint8_t *buf, size_t cap, const struct hochan_mig *mig,
		       const uint8_t *state, size_t state_len, const uint8_t *blob,
		       size_t blob_len);
int hochan_conn_decode(const uint8_t *p, size_t len, struct hochan_conn *c);

/* END and RESULT payloads. */
int hochan_end_decode(const uint8_t *p, size_t len, uint32_t *count);
/* status must have room for HOCHAN_CONNS_MAX. */
int hochan_result_decode(const uint8_t *p, size_t len, uint32_t *n, uint8_t *status);

#endif
