// SPDX-License-Identifier: GPL-2.0
/*
 * roamd's reactions to the gate's events.
 *
 * Contract violations get the paper's second chance: the first makes the
 * client WARNED (the gate keeps dropping what is over its contract); at
 * the next roam it is ALLOWED again, under watch; a violation after that
 * roam BLOCKs it in the gate and revokes it at authd, which tells every
 * roamd, and each blocks it in its gate (revwatch.c).  The service moves
 * between servers, so the record of a client's strikes must too: it
 * lives in a small file
 * (STATE_DIR/strikes, one "ADDR STRIKES EPOCH" line per client, under
 * flock) that every roamd of the pool shares.
 *
 * Attack signals raise the threat level at authd on a lease that runs out
 * quiet_ms after the last one (renew_threat() below).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/roam.h>

#include "admin.h"
#include "log.h"
#include "parse.h"
#include "pki.h"
#include "roamd.h"

#define STRIKES_MAX	4096

struct strike {
	uint32_t addr;
	unsigned int strikes;
	uint64_t epoch;
};

enum policy_action policy_decide(unsigned int *strikes, uint64_t *warned_epoch,
				 uint64_t epoch)
{
	if (*strikes == 0) {
		*strikes = 1;
		*warned_epoch = epoch;
		return POLICY_WARN;
	}
	/*
	 * Setting WARNED re-arms the kernel's event, so a client that goes
	 * on violating raises more in the same epoch: the second chance
	 * only starts after the roam.
	 */
	if (epoch <= *warned_epoch && *strikes == 1)
		return POLICY_IGNORE;
	*strikes = 2;
	return POLICY_BLOCK;
}

/* NAME,ADDR,PPS[,BPS] */
int contract_parse(const char *s, struct contract *c)
{
	char buf[256], *f[4], *save = NULL;
	struct in_addr in;
	int n = 0;

	memset(c, 0, sizeof(*c));
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == 4)
			return -EINVAL;
		f[n++] = t;
	}
	if (n < 3 || !roam_name_valid(f[0]) || inet_pton(AF_INET, f[1], &in) != 1)
		return -EINVAL;
	snprintf(c->name, sizeof(c->name), "%s", f[0]);
	c->addr = in.s_addr;
	if (parse_u64(f[2], 0, UINT64_MAX, &c->pps) ||
	    (n == 4 && parse_u64(f[3], 0, UINT64_MAX, &c->bps)))
		return -EINVAL;
	return c->pps || c->bps ? 0 : -EINVAL;
}

static struct contract *find(struct roamd *r, uint32_t addr)
{
	for (unsigned int i = 0; i < r->cfg.ncontracts; i++)
		if (r->cfg.contracts[i].addr == addr)
			return &r->cfg.contracts[i];
	return NULL;
}

/*
 * Read-modify-write the shared record of one client under flock.  The
 * decision is taken with the lock held, so two roamds never both warn.
 */
static enum policy_action strike(struct roamd *r, uint32_t addr, uint64_t epoch,
				 unsigned int *strikes_out)
{
	static struct strike tab[STRIKES_MAX];
	char path[4096], line[128], as[INET_ADDRSTRLEN];
	struct strike *s = NULL;
	enum policy_action act;
	struct in_addr in;
	unsigned int n = 0;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/strikes", r->cfg.state_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		log_err("%s: %s; deciding from this roamd's view only", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	f = fd >= 0 ? fdopen(dup(fd), "r") : NULL;
	while (f && n < STRIKES_MAX && fgets(line, sizeof(line), f)) {
		char a[32];
		unsigned int k;
		uint64_t e;

		if (sscanf(line, "%31s %u %" SCNu64, a, &k, &e) == 3 &&
		    inet_pton(AF_INET, a, &in) == 1)
			tab[n++] = (struct strike){ in.s_addr, k, e };
	}
	if (f)
		fclose(f);
	for (unsigned int i = 0; i < n; i++)
		if (tab[i].addr == addr)
			s = &tab[i];
	if (!s && n < STRIKES_MAX) {
		s = &tab[n++];
		*s = (struct strike){ addr, 0, 0 };
	}
	if (!s) {
		static struct strike spare;

		spare = (struct strike){ addr, 0, 0 };
		s = &spare;
	}
	act = policy_decide(&s->strikes, &s->epoch, epoch);
	*strikes_out = s->strikes;
	if (fd >= 0) {
		/* The reader left the shared offset at the end: rewind. */
		if (ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0) {
			f = fdopen(dup(fd), "w");
			for (unsigned int i = 0; f && i < n; i++) {
				in.s_addr = tab[i].addr;
				inet_ntop(AF_INET, &in, as, sizeof(as));
				fprintf(f, "%s %u %" PRIu64 "\n", as, tab[i].strikes, tab[i].epoch);
			}
			if (f)
				fclose(f);
		}
		close(fd);	/* drops the lock */
	}
	return act;
}

void policy_on_violation(struct roamd *r, uint32_t addr)
{
	char as[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = addr };
	struct contract *c = find(r, addr);
	unsigned int strikes;
	enum policy_action act;

	inet_ntop(AF_INET, &in, as, sizeof(as));
	if (!c) {
		log_warn("contract violation by %s, a client I hold no contract for; ignored", as);
		return;
	}
	act = strike(r, addr, r->applied_epoch, &strikes);
	switch (act) {
	case POLICY_IGNORE:
		log_debug("client %s (%s) still over its contract in epoch %" PRIu64 " (warned)",
			  c->name, as, r->applied_epoch);
		break;
	case POLICY_WARN:
		log_warn("client %s (%s) violated its contract (%" PRIu64 " pps, %" PRIu64
			 " bit/s): warned; second chance after the next roam",
			 c->name, as, c->pps, c->bps);
		c->warned_here = true;
		if (r->gate && gate_client_set(r->gate, addr, ROAM_CLIENT_WARNED, 0, 0))
			log_err("%s", gate_error(r->gate));
		break;
	case POLICY_BLOCK:
		log_warn("client %s (%s) violated its contract again after a roam: blocked and revoked",
			 c->name, as);
		c->warned_here = false;
		if (r->gate && gate_client_set(r->gate, addr, ROAM_CLIENT_BLOCKED, 0, 0))
			log_err("%s", gate_error(r->gate));
		if (r->cfg.admin_sock) {
			struct job *j = calloc(1, sizeof(*j));

			if (j) {
				j->kind = JOB_REVOKE;
				strcpy(j->name, c->name);
				worker_submit(r, j);
			}
		}
		break;
	}
}

/* After a roam: clients warned here get their second chance. */
void policy_on_roam(struct roamd *r)
{
	for (unsigned int i = 0; i < r->cfg.ncontracts; i++) {
		struct contract *c = &r->cfg.contracts[i];

		if (!c->warned_here)
			continue;
		c->warned_here = false;
		log_info("client %s: allowed again after the roam, under watch", c->name);
		if (r->gate && gate_client_set(r->gate, c->addr, ROAM_CLIENT_ALLOWED,
					       c->pps, c->bps))
			log_err("%s", gate_error(r->gate));
	}
}

/*
 * The threat level is a lease at authd: "high for quiet_ms", renewed
 * while attack signals keep coming (every third of it), left to run out
 * when they stop.  authd lowers the level when the last lease of all the
 * roamds ends, so one roamd going quiet does not lower it under another
 * one's attack.
 */
static void renew_threat(struct roamd *r, uint64_t now, const char *why)
{
	struct job *j;

	if (!r->threat_raised)
		log_warn("%s: raising the threat level (a lease of %u ms, renewed while the attack lasts)",
			 why, r->cfg.quiet_ms);
	r->threat_raised = true;
	r->lease_renewed_ms = now;
	if (!r->cfg.admin_sock) {
		log_warn("no authd admin socket: the threat level stays as it is");
		return;
	}
	/* The worker thread asks authd: the loop never waits on it. */
	if (r->lease_pending || !(j = calloc(1, sizeof(*j))))
		return;
	j->kind = JOB_THREAT_LEASE;
	j->lease_ms = r->cfg.quiet_ms;
	if (!worker_submit(r, j))
		r->lease_pending = true;
}

void policy_lease_done(struct roamd *r, int ret, const char *err)
{
	r->lease_pending = false;
	if (ret) {
		log_err("cannot raise the threat level at authd: %s", err);
		/* The next attack signal tries again. */
		r->threat_raised = false;
	}
}

void policy_on_attack(struct roamd *r, uint64_t rate, uint64_t now)
{
	char why[128];

	r->last_attack_ms = now;
	if (r->threat_raised && now < r->lease_renewed_ms + r->cfg.quiet_ms / 3)
		return;
	snprintf(why, sizeof(why), "attack signal: %" PRIu64 " packets/s to inactive pool addresses",
		 rate);
	renew_threat(r, now, why);
}

void policy_tick(struct roamd *r, uint64_t now)
{
	if (r->threat_raised && now >= r->last_attack_ms + r->cfg.quiet_ms) {
		r->threat_raised = false;
		log_info("no attack signal for the quiet period: our threat lease runs out at authd");
	}
}

uint64_t policy_next(const struct roamd *r)
{
	return r->threat_raised ? r->last_attack_ms + r->cfg.quiet_ms : UINT64_MAX;
}
