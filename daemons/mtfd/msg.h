/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MTF control protocol messages (Documentation/mtf-control.md): the one
 * encoder and parser, and the stateless handshake nonce.
 *
 * A 12-byte header (version, type, length, request id, flags) and TLV
 * attributes padded to 4 bytes; FLOW nests its own TLVs.  The parser
 * checks every length before reading, refuses what the document calls an
 * error, and skips unknown attribute types.
 */
#ifndef MTF_CTL_MSG_H
#define MTF_CTL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MTF_CTL_PORT		7480
#define MTF_CTL_VERSION		1
#define MTF_CTL_HDR_LEN		12
/* IPv6 minimum MTU minus IPv6 and UDP headers: never fragmented. */
#define MTF_CTL_MAX		1232
#define MTF_CTL_NONCE_LEN	16
#define MTF_CTL_KEY_LEN		32
#define MTF_CTL_SLOTS_MAX	15

#define MTF_CTL_F_RETRY		0x1

enum mtf_ctl_type {
	MTF_CTL_FILTER_REQ = 1,
	MTF_CTL_FILTER_ACK,
	MTF_CTL_HS_REQUEST,
	MTF_CTL_HS_NONCE,
	MTF_CTL_HS_REPLY,
	MTF_CTL_HS_CONFIRM,
	MTF_CTL_STOP_REQ,
	MTF_CTL_STOP_ACK,
	MTF_CTL_WARNING,
	MTF_CTL_RL_UPDATE,
	MTF_CTL_CANCEL,
	__MTF_CTL_TYPE_MAX
};

enum mtf_ctl_attr {
	MTF_CTL_A_FLOW = 1,
	MTF_CTL_A_NONCE,
	MTF_CTL_A_EXPIRY_MS,
	MTF_CTL_A_DURATION_MS,
	MTF_CTL_A_ACTION,
	MTF_CTL_A_RATE_PPS,
	MTF_CTL_A_RATE_BPS,
	MTF_CTL_A_STATUS,
	MTF_CTL_A_ADDR,
	MTF_CTL_A_ATTACK,
	__MTF_CTL_A_MAX
};

enum mtf_ctl_flow_attr {
	MTF_CTL_FA_DST = 1,
	MTF_CTL_FA_SRC,
	MTF_CTL_FA_SLOT,
	MTF_CTL_FA_IIF,
	__MTF_CTL_FA_MAX
};

enum mtf_ctl_action {
	MTF_CTL_BLOCK = 1,
	MTF_CTL_RATELIMIT = 2,
};

enum mtf_ctl_status {
	MTF_CTL_OK = 0,
	MTF_CTL_REFUSED,
	MTF_CTL_NOT_ON_PATH,
	MTF_CTL_BUSY,
	MTF_CTL_BAD_NONCE,
	MTF_CTL_EXPIRED,
	MTF_CTL_NOT_YOURS,
	__MTF_CTL_STATUS_MAX
};

struct mtf_ctl_addr {
	uint8_t family;		/* 4 or 6 */
	uint8_t addr[16];	/* network order; 4 bytes used for family 4 */
};

struct mtf_ctl_slot {
	struct mtf_ctl_addr addr;
	uint32_t mark;
};

struct mtf_ctl_flow {
	struct mtf_ctl_addr dst;
	bool has_src;
	struct mtf_ctl_addr src;
	uint8_t src_plen;
	uint8_t nslots;		/* 0: an unmarked flow, with iif */
	struct mtf_ctl_slot slots[MTF_CTL_SLOTS_MAX];
	bool has_iif;
	uint32_t iif;
};

#define MTF_CTL_BIT(a)		(1u << (a))

struct mtf_ctl_msg {
	uint8_t type;
	uint16_t flags;
	uint32_t id;
	uint32_t present;	/* MTF_CTL_BIT(attribute) of those set */
	struct mtf_ctl_flow flow;
	uint8_t nonce[MTF_CTL_NONCE_LEN];
	uint64_t expiry_ms;
	uint32_t duration_ms;
	uint8_t action;
	uint64_t rate_pps, rate_bps;
	uint16_t status;
	struct mtf_ctl_addr addr;
	uint8_t attack;
};

const char *mtf_ctl_type_name(int type);

/* 0, or -EINVAL with *why saying what is wrong (a static string). */
int mtf_ctl_parse(const uint8_t *buf, size_t len, struct mtf_ctl_msg *m,
		  const char **why);

/* Bytes written, or -EINVAL (invalid message) / -EMSGSIZE. */
int mtf_ctl_encode(const struct mtf_ctl_msg *m, uint8_t *buf, size_t cap);

/*
 * The handshake nonce: HMAC-SHA256 under @key over the canonical encoding
 * of what the answer must not change (type of the exchange's request,
 * FLOW, ADDR, ACTION, DURATION_MS, rates, EXPIRY_MS), truncated.  0 or
 * -EINVAL.
 */
int mtf_ctl_nonce(const uint8_t key[MTF_CTL_KEY_LEN],
		  const struct mtf_ctl_msg *m, uint8_t out[MTF_CTL_NONCE_LEN]);

/*
 * The nonce key of key period @period (wall-clock ms / the period length):
 * HMAC-SHA256(secret, "mtfd-key" || period as 8 bytes big-endian).  Keys
 * rotate without state and survive a restart.  0 or -EINVAL.
 */
int mtf_ctl_key(const uint8_t *secret, size_t len, uint64_t period,
		uint8_t key[MTF_CTL_KEY_LEN]);

/* Constant-time comparison of a received nonce with the recomputed one. */
bool mtf_ctl_nonce_ok(const uint8_t key[MTF_CTL_KEY_LEN],
		      const struct mtf_ctl_msg *m);

#endif
