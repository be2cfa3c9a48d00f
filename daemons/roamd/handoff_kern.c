// SPDX-License-Identifier: GPL-2.0
/*
 * The handoff's kernel boundary (hoxfer.h): roam.ko's server connection
 * table (ROAM_CMD_CONN_GET / CONN_SET / CONN_DEL, states NEGOTIATED,
 * BLOCKED, MIGRATING, CONFIRMED), over a generic netlink socket of the
 * handoff thread's own (the event loop has gate.c's).  Messages in
 * hokmsg.c.
 *
 * Test mode (roamd --handoff-test, the tests' assume_negotiated; no
 * roam.ko): every connection counts as negotiated, and BLOCKED is stood
 * in for by an nftables rule in the namespace (a set of blocked
 * 4-tuples, dropped at the raw priority), if nft is there: without it a
 * client segment arriving between the freeze and the restore meets no
 * socket and gets an RST that kills the connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <linux/roam.h>

#include "genl.h"
#include "hoxfer.h"
#include "log.h"

struct hok {
	struct genl_sock gs;
	struct genl_family fam;
};

int hok_open(struct hok **kp, uint16_t port, char *err, size_t errlen)
{
	struct hok *k = calloc(1, sizeof(*k));
	struct nlmsghdr *nlh;
	int ret;

	*kp = NULL;
	if (!k)
		return -ENOMEM;
	ret = genl_open(&k->gs);
	if (!ret)
		ret = genl_family_get(&k->gs, ROAM_GENL_NAME, &k->fam);
	if (ret) {
		snprintf(err, errlen, "handoff: no roam.ko to talk to: %s", strerror(-ret));
		hok_close(k);
		return ret;
	}
	/* The service's SYNs negotiate MIGRATE from now on. */
	nlh = genl_req(&k->gs, k->fam.id, ROAM_CMD_MIG_SET, ROAM_GENL_VERSION);
	hokmsg_server(nlh, port);
	ret = genl_doit(&k->gs, nlh, NULL, NULL);
	if (ret) {
		snprintf(err, errlen, "handoff: roam.ko refused MIG_SET (server, port %u): %s%s%s",
			 port, strerror(-ret), k->gs.extack[0] ? ": " : "", k->gs.extack);
		hok_close(k);
		return ret;
	}
	*kp = k;
	return 0;
}

void hok_close(struct hok *k)
{
	if (!k)
		return;
	genl_close(&k->gs);
	free(k);
}

static int doit(struct hok *k, struct nlmsghdr *nlh, const char *what)
{
	int ret = genl_doit(&k->gs, nlh, NULL, NULL);

	if (ret)
		log_warn("handoff: roam.ko: %s: %s%s%s", what, strerror(-ret),
			 k->gs.extack[0] ? ": " : "", k->gs.extack);
	return ret;
}

static struct nlmsghdr *req(struct hok *k, uint8_t cmd)
{
	return genl_req(&k->gs, k->fam.id, cmd, ROAM_GENL_VERSION);
}

struct lookup {
	struct hochan_mig *mig;
	int state, found;
};

static int lookup_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lookup *l = data;

	if (!hokmsg_parse(nlh, l->mig, &l->state))
		l->found = 1;
	return 0;
}

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
	/* Deleting needs no table of ours: the new server unblocks too. */
	if (!table && on)
		return 0;
	element(c, e, sizeof(e));
	snprintf(cmd, sizeof(cmd), "%s element inet " NFT_TABLE " blocked { %s }",
		 on ? "add" : "delete", e);
	ret = nft(cmd);
	if (ret && on)
		log_warn("handoff test mode: cannot block %s", e);
	return 0;
}

int hok_lookup(struct hok *k, bool test, struct hok_conn *c, struct hochan_mig *mig)
{
	struct lookup l = { .mig = mig };
	struct nlmsghdr *nlh;

	memset(mig, 0, sizeof(*mig));
	c->prev_state = ROAM_CONN_NEGOTIATED;
	if (test) {
		/* What a first move from this server would carry. */
		mig->flags = HOCHAN_F_NEGOTIATED;
		memcpy(mig->orig_addr, c->local.addr, 4);
		return 0;
	}
	if (!k)
		return -ENOENT;
	nlh = req(k, ROAM_CMD_CONN_GET);
	hokmsg_key(nlh, c);
	/* -ENOENT: the client did not negotiate (no entry). */
	if (genl_dump(&k->gs, nlh, lookup_cb, &l) || !l.found)
		return -ENOENT;
	/* BLOCKED: another handoff has it already. */
	if (l.state == ROAM_CONN_BLOCKED)
		return -EBUSY;
	c->prev_state = l.state;
	return 0;
}

int hok_block(struct hok *k, bool test, const struct hok_conn *c)
{
	struct nlmsghdr *nlh;

	if (test)
		return test_block(c, true);
	if (!k)
		return 0;
	nlh = req(k, ROAM_CMD_CONN_SET);
	hokmsg_state(nlh, c, ROAM_CONN_BLOCKED);
	return doit(k, nlh, "BLOCKED");
}

int hok_unblock(struct hok *k, bool test, const struct hok_conn *c)
{
	struct nlmsghdr *nlh;

	if (test)
		return test_block(c, false);
	if (!k)
		return 0;
	nlh = req(k, ROAM_CMD_CONN_SET);
	hokmsg_state(nlh, c, c->prev_state ? c->prev_state : ROAM_CONN_NEGOTIATED);
	return doit(k, nlh, "unblock");
}

int hok_forget(struct hok *k, bool test, const struct hok_conn *c)
{
	struct nlmsghdr *nlh;

	if (test)
		return test_block(c, false);
	if (!k)
		return 0;
	nlh = req(k, ROAM_CMD_CONN_DEL);
	hokmsg_key(nlh, c);
	return doit(k, nlh, "CONN_DEL");
}

int hok_migrating(struct hok *k, const struct hok_conn *c, const struct hochan_mig *mig,
		  uint32_t counter, const uint8_t mac[MIG_MAC_LEN])
{
	struct nlmsghdr *nlh;

	if (!k)
		return 0;
	nlh = req(k, ROAM_CMD_CONN_SET);
	hokmsg_migrating(nlh, c, mig, counter, mac);
	return doit(k, nlh, "MIGRATING");
}
