/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live handoff's keys and MAC (Documentation/roam-handoff.md, "Keys"
 * and "Options"), on OpenSSL's HMAC-SHA256:
 *
 *   K_client = HMAC-SHA256(K_mig, "roam-migrate-client-v1" || be32 id)
 *   MAC      = HMAC-SHA256(K_client, "roam-migrate-v1" || be32 id ||
 *              c_nonce (8) || s_nonce (8) || client addr (4) ||
 *              be16 client port || orig addr (4) || be16 server port ||
 *              new addr (4) || be32 counter)[0..11]
 *
 * The labels are ASCII without their NUL.  roam.ko computes the same
 * bytes (the known answers in daemons/tests/migkey-test.c are the
 * reference for both).
 */
#ifndef ROAM_MIGKEY_H
#define ROAM_MIGKEY_H

#include <netinet/in.h>
#include <stdint.h>

#define MIG_KEY_LEN	32
#define MIG_NONCE_LEN	8
#define MIG_MAC_LEN	12
#define MIG_CLIENT_LABEL	"roam-migrate-client-v1"
#define MIG_MAC_LABEL		"roam-migrate-v1"
/* The MAC's message: 15-byte label + 4 + 8 + 8 + 4 + 2 + 4 + 2 + 4 + 4 */
#define MIG_MAC_MSG_LEN	55

/* The MAC's input; addresses as on the wire, numbers in host order. */
struct mig_mac_input {
	uint32_t id;			/* the client's id (authd) */
	uint8_t c_nonce[MIG_NONCE_LEN];	/* from MIGRATE-PERMITTED (SYN) */
	uint8_t s_nonce[MIG_NONCE_LEN];	/* from MIGRATE-ACCEPT (SYN-ACK) */
	struct in_addr client_addr;
	uint16_t client_port;
	struct in_addr orig_addr;	/* the server the client connected to */
	uint16_t server_port;
	struct in_addr new_addr;	/* the source of the MIGRATE segment */
	uint32_t counter;		/* 1 at the first move */
};

/* K_client for a client id. 0, or -EIO if OpenSSL fails. */
int mig_client_key(const uint8_t kmig[MIG_KEY_LEN], uint32_t id,
		   uint8_t out[MIG_KEY_LEN]);

/* The bytes the MAC covers, in order (for tests and the kernel's). */
void mig_mac_message(const struct mig_mac_input *in,
		     uint8_t msg[MIG_MAC_MSG_LEN]);

/* The truncated MAC carried in MIGRATE. 0, or -EIO. */
int mig_mac(const uint8_t kclient[MIG_KEY_LEN], const struct mig_mac_input *in,
	    uint8_t out[MIG_MAC_LEN]);

#endif
