// SPDX-License-Identifier: GPL-2.0
/*
 * The handoff's kernel boundary (hoxfer.h): roam.ko's server connection
 * table (ROAM_CMD_CONN_SET/GET, states NEGOTIATED, BLOCKED, MIGRATING,
 * CONFIRMED).  Until roamd speaks those commands, a stub: no connection
 * is negotiated (each stays with the old service, as without handoff)
 * and the state changes do nothing.
 *
 * Test mode (roamd --handoff-test, the tests' assume_negotiated): every
 * connection counts as negotiated, and BLOCKED is stood in for by an
 * nftables rule in the namespace (a set of blocked 4-tuples, dropped at
 * the raw priority), if nft is there: without it a client segment
 * arriving between the freeze and the restore meets no socket and gets
 * an RST that kills the connection.
 *
 * TODO(kmig): wire to ROAM_CMD_CONN_GET (lookup), ROAM_CMD_CONN_SET
 * (BLOCKED, NEGOTIATED, MIGRATING with ROAM_CONN_A_MIGRATE) and
 * ROAM_CMD_CONN_DEL (forget) through gate.c's socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "hoxfer.h"
#include "log.h"

#define NFT_TABLE	"roamd_handoff_test"

extern char **environ;

static int nft(const char *cmd)
{
	char *argv[] = { "nft", (char *)cmd, NULL };
	int status;
	pid_t pid;

	if (posix_spawnp(&pid, "nft", NULL, NULL, argv, environ) ||
	    waitpid(pid, &status, 0) != pid)
		return -ENOENT;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

/* The client -> server direction of the connection, as an nft element. */
static void element(const struct hok_conn *c, char *buf, size_t len)
{
	char l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, c->local.addr, l, sizeof(l));
	inet_ntop(AF_INET, c->peer.addr, p, sizeof(p));
	snprintf(buf, len, "%s . %u . %s . %u", p, c->peer.port, l, c->local.port);
}

static int test_block(const struct hok_conn *c, bool on)
{
	static bool table, warned;
	char e[160], cmd[512];
	int ret;

	if (!table && on) {
		ret = nft("add table inet " NFT_TABLE "; "
			  "add set inet " NFT_TABLE " blocked { type ipv4_addr . inet_service . "
			  "ipv4_addr . inet_service; }; "
			  "add chain inet " NFT_TABLE " in { type filter hook input priority -300; }; "
			  "add rule inet " NFT_TABLE " in ip saddr . tcp sport . ip daddr . tcp dport "
			  "@blocked drop");
		if (ret && !warned) {
			log_warn("handoff test mode: no nft (%s): connections are not blocked",
				 strerror(-ret));
			warned = true;
		}
		table = !ret;
	}
	if (!table)
		return 0;
	element(c, e, sizeof(e));
	snprintf(cmd, sizeof(cmd), "%s element inet " NFT_TABLE " blocked { %s }",
		 on ? "add" : "delete", e);
	ret = nft(cmd);
	if (ret && on)
		log_warn("handoff test mode: cannot block %s", e);
	return 0;
}

int hok_lookup(struct gate *g, bool test, const struct hok_conn *c, struct hochan_mig *mig)
{
	(void)g;
	memset(mig, 0, sizeof(*mig));
	if (!test)
		return -ENOENT;
	/* What a first move from this server would carry. */
	mig->flags = HOCHAN_F_NEGOTIATED;
	memcpy(mig->orig_addr, c->local.addr, 4);
	return 0;
}

int hok_block(struct gate *g, bool test, const struct hok_conn *c)
{
	(void)g;
	return test ? test_block(c, true) : 0;
}

int hok_unblock(struct gate *g, bool test, const struct hok_conn *c)
{
	(void)g;
	return test ? test_block(c, false) : 0;
}

int hok_forget(struct gate *g, bool test, const struct hok_conn *c)
{
	(void)g;
	return test ? test_block(c, false) : 0;
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
