/* SPDX-License-Identifier: GPL-2.0 */
/*
 * authd wire protocol, spoken inside TLS 1.3.  Byte layouts:
 * Documentation/roaming-protocol.md.
 *
 * Every message: an 8-byte header (version, type, flags = 0, body length,
 * big endian) and a body of TLVs (u16 type, u16 length, value).  Bodies
 * are at most ROAM_MSG_MAX_BODY bytes; unknown attribute types are
 * skipped, everything else is checked strictly.
 */
#ifndef ROAM_PROTO_H
#define ROAM_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "schedule.h"

#define ROAM_PROTO_VERSION	1
#define ROAM_MSG_HDR_LEN	8
#define ROAM_MSG_MAX_BODY	16384
#define ROAM_MSG_MAX		(ROAM_MSG_HDR_LEN + ROAM_MSG_MAX_BODY)
#define ROAM_KEYS_MAX		64
#define ROAM_MSG_TEXT_MAX	256

enum roam_msg_type {
	ROAM_MSG_SUBSCRIBE = 1,	/* client -> authd */
	ROAM_MSG_PARAMS = 2,	/* authd -> client */
	ROAM_MSG_KEYS = 3,	/* authd -> client */
	ROAM_MSG_REVOKED = 4,	/* authd -> client, then close */
	ROAM_MSG_ERROR = 5,	/* either way, then close */
};

enum roam_msg_attr {
	ROAM_T_EPOCH = 1,		/* u64: current epoch i */
	ROAM_T_EPOCH_START_MS = 2,	/* u64: T_i */
	ROAM_T_SERVER = 3,		/* u32: S_i */
	ROAM_T_ANCHOR = 4,		/* 32 bytes: K_0 */
	ROAM_T_CHAIN_LEN = 5,		/* u64: n */
	ROAM_T_START_MS = 6,		/* u64: T_1 */
	ROAM_T_MIN_MS = 7,		/* u32 */
	ROAM_T_MAX_LOW_MS = 8,		/* u32 */
	ROAM_T_MAX_HIGH_MS = 9,		/* u32 */
	ROAM_T_THREAT = 10,		/* u8: level for keys not yet released */
	ROAM_T_POOL_ADDR = 11,		/* repeated: u8 family, u16 port, 4|16 addr */
	ROAM_T_LOOKAHEAD = 12,		/* u32 */
	ROAM_T_FIRST_EPOCH = 13,	/* u64: index of the first KEY */
	ROAM_T_KEY = 14,		/* repeated: u8 level, 32-byte key */
	ROAM_T_CODE = 15,		/* u32: enum roam_err */
	ROAM_T_TEXT = 16,		/* printable ASCII, <= 256 bytes */
	ROAM_T_MIG_ID = 17,		/* u32: the client's id for the live handoff */
	ROAM_T_MIG_KEY = 18,		/* 32 bytes: K_client (roam-handoff.md) */
};

#define ROAM_MIG_KEY_LEN	32

enum roam_err {
	ROAM_ERR_PROTO = 1,		/* malformed message */
	ROAM_ERR_TOO_BIG = 2,
	ROAM_ERR_UNKNOWN_CLIENT = 3,
	ROAM_ERR_REVOKED = 4,
	ROAM_ERR_CHAIN_END = 5,		/* the chain is used up */
	ROAM_ERR_BUSY = 6,
};

struct roam_msg {
	uint8_t type;

	/* PARAMS */
	uint64_t epoch, epoch_start_ms, chain_len, start_ms;
	uint32_t server, min_ms, max_low_ms, max_high_ms, lookahead;
	uint8_t threat;
	uint8_t anchor[ROAM_KEY_LEN];
	uint32_t npool;
	struct roam_addr pool[ROAM_POOL_MAX];
	/* Optional, both or neither: authd runs with --migrate-key. */
	uint8_t has_mig;
	uint32_t mig_id;			/* not 0 */
	uint8_t mig_key[ROAM_MIG_KEY_LEN];

	/* KEYS: keys[k] is K_{first_epoch + k}, released at level[k] */
	uint64_t first_epoch;
	uint32_t nkeys;
	uint8_t level[ROAM_KEYS_MAX];
	uint8_t keys[ROAM_KEYS_MAX][ROAM_KEY_LEN];

	/* ERROR (code, text), REVOKED (text) */
	uint32_t code;
	char text[ROAM_MSG_TEXT_MAX + 1];
};

/*
 * Length of the whole message at the start of buf: 0 with *total set,
 * -EAGAIN when fewer than 8 bytes are there, -EMSGSIZE when the header
 * announces a body over the limit, -EPROTO on a bad version or flags.
 */
int roam_msg_frame(const uint8_t *buf, size_t len, size_t *total);

/*
 * Parse one message from buf.  0 with *used set, -EAGAIN (incomplete),
 * -EMSGSIZE or -EPROTO; *why (may be NULL) says what was wrong.
 * Never reads past buf + len.
 */
int roam_msg_parse(const uint8_t *buf, size_t len, struct roam_msg *m,
		   size_t *used, const char **why);

/* Encode m into buf; returns the length or -ENOSPC / -EINVAL. */
int roam_msg_encode(const struct roam_msg *m, uint8_t *buf, size_t cap);

const char *roam_msg_type_name(int type);

#endif
