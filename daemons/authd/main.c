// SPDX-License-Identifier: GPL-2.0
/*
 * authd: configuration, state, event loop, teardown.  Exit status 0 on a
 * clean shutdown, 1 on a runtime error, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "admin.h"
#include "authd.h"
#include "log.h"
#include "parse.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: authd [OPTIONS]\n"
"  -d, --state-dir DIR        state (CA, chain, clients; 0700) [/var/lib/roam/authd]\n"
"  -l, --listen ADDR:PORT     TLS listen address [0.0.0.0:7443]\n"
"  -s, --admin-socket PATH    admin socket [" ROAM_ADMIN_SOCK "]\n"
"  -v, --verbose / -q, --quiet\n"
"  --lookahead N              keys beyond the current one a client holds [0]\n"
"  --lead-ms MS               push a key this long before its epoch [min/2]\n"
"  --san LIST                 server certificate names (reissued when they change)\n"
"                             [DNS:localhost,IP:127.0.0.1,IP:::1]\n"
"  --revoke-hook PROG         run 'PROG revoke NAME ADDR...' on revocation\n"
"  --migrate-key FILE         the pool's migration key K_mig (secret file, 32\n"
"                             bytes or 64 hex digits): clients get their live\n"
"                             handoff id and key in PARAMS\n"
"  --max-conns N              connection limit [20000, at most the file limit]\n"
"  --max-preauth N            of which not yet subscribed; the oldest makes\n"
"                             room for a new one [1024]\n"
"  --max-per-prefix N         not yet subscribed, per /24 or /64 [64]\n"
"  --max-client-sessions N    subscribed sessions per client [4]\n"
"  --handshake-timeout-ms MS  TLS handshake and SUBSCRIBE [3000]\n"
"  --print-schedule FROM:N    print epochs FROM..FROM+N-1 as JSON lines, exit\n"
"A new chain (first start, or with --new-chain) takes:\n"
"  -p, --pool ADDR:PORT       a pool server (2 to 64 of them)\n"
"  --min-ms, --max-low-ms, --max-high-ms   interval bounds [5000, 60000, 15000]\n"
"  --chain-len N              keys in the chain [1048576]\n"
"  --start-ms T               CLOCK_REALTIME ms of epoch 1 [now]\n");
}

enum {
	OPT_LOOKAHEAD = 256, OPT_LEAD, OPT_SAN, OPT_HOOK, OPT_MAXCONNS, OPT_HSTIMEOUT,
	OPT_PRINT, OPT_MIN, OPT_MAXLOW, OPT_MAXHIGH, OPT_CHAINLEN, OPT_START,
	OPT_NEWCHAIN, OPT_MAXPREAUTH, OPT_MAXPREFIX, OPT_MAXSESSIONS, OPT_MIGKEY,
};

static const struct option opts[] = {
	{ "state-dir", required_argument, NULL, 'd' },
	{ "listen", required_argument, NULL, 'l' },
	{ "admin-socket", required_argument, NULL, 's' },
	{ "pool", required_argument, NULL, 'p' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "lookahead", required_argument, NULL, OPT_LOOKAHEAD },
	{ "lead-ms", required_argument, NULL, OPT_LEAD },
	{ "san", required_argument, NULL, OPT_SAN },
	{ "revoke-hook", required_argument, NULL, OPT_HOOK },
	{ "migrate-key", required_argument, NULL, OPT_MIGKEY },
	{ "max-conns", required_argument, NULL, OPT_MAXCONNS },
	{ "max-preauth", required_argument, NULL, OPT_MAXPREAUTH },
	{ "max-per-prefix", required_argument, NULL, OPT_MAXPREFIX },
	{ "max-client-sessions", required_argument, NULL, OPT_MAXSESSIONS },
	{ "handshake-timeout-ms", required_argument, NULL, OPT_HSTIMEOUT },
	{ "print-schedule", required_argument, NULL, OPT_PRINT },
	{ "min-ms", required_argument, NULL, OPT_MIN },
	{ "max-low-ms", required_argument, NULL, OPT_MAXLOW },
	{ "max-high-ms", required_argument, NULL, OPT_MAXHIGH },
	{ "chain-len", required_argument, NULL, OPT_CHAINLEN },
	{ "start-ms", required_argument, NULL, OPT_START },
	{ "new-chain", no_argument, NULL, OPT_NEWCHAIN },
	{ NULL, 0, NULL, 0 },
};

static int num(const char *s, uint64_t max, uint64_t *out)
{
	if (parse_u64(s, 0, max, out)) {
		fprintf(stderr, "authd: bad number '%s'\n", s);
		return -1;
	}
	return 0;
}

static int parse_args(struct authd *a, int argc, char **argv, uint64_t *pfrom,
		      uint64_t *pcount)
{
	struct authd_config *c = &a->cfg;
	bool lead_set = false;
	uint64_t v;
	char *colon;
	int o;

	*c = (struct authd_config){
		.dir = "/var/lib/roam/authd", .listen = "0.0.0.0:7443",
		.admin_sock = ROAM_ADMIN_SOCK, .san = "DNS:localhost,IP:127.0.0.1,IP:::1",
		.params = { 0, 5000, 60000, 15000, 0 }, .chain_len = 1 << 20,
		.handshake_ms = 3000, .max_conns = 20000, .max_preauth = 1024,
		.max_per_prefix = 64, .max_client_sessions = 4,
	};
	while ((o = getopt_long(argc, argv, "d:l:s:p:vqh", opts, NULL)) != -1) {
		switch (o) {
		case 'd': c->dir = optarg; break;
		case 'l': c->listen = optarg; break;
		case 's': c->admin_sock = optarg; break;
		case 'v': roam_log_level = ROAM_LOG_DEBUG; break;
		case 'q': roam_log_level = ROAM_LOG_WARN; break;
		case 'h': usage(stdout); exit(0);
		case 'p':
			if (c->params.nservers >= ROAM_POOL_MAX ||
			    roam_addr_parse(optarg, &c->pool[c->params.nservers])) {
				fprintf(stderr, "authd: bad or too many pool addresses: %s\n", optarg);
				return -1;
			}
			c->params.nservers++;
			c->params_given = true;
			break;
		case OPT_LOOKAHEAD:
			if (num(optarg, ROAM_KEYS_MAX - 2, &v))
				return -1;
			c->lookahead = (uint32_t)v;
			break;
		case OPT_LEAD:
			if (num(optarg, ROAM_INTERVAL_MAX_MS, &v))
				return -1;
			c->lead_ms = (uint32_t)v;
			lead_set = true;
			break;
		case OPT_SAN: c->san = optarg; c->san_given = true; break;
		case OPT_HOOK: c->revoke_hook = optarg; break;
		case OPT_MIGKEY: c->migrate_key = optarg; break;
		case OPT_MAXCONNS:
			if (num(optarg, 1000000, &v) || !v)
				return -1;
			c->max_conns = (uint32_t)v;
			break;
		case OPT_MAXPREAUTH:
			if (num(optarg, 1000000, &v) || !v)
				return -1;
			c->max_preauth = (uint32_t)v;
			break;
		case OPT_MAXPREFIX:
			if (num(optarg, 1000000, &v) || !v)
				return -1;
			c->max_per_prefix = (uint32_t)v;
			break;
		case OPT_MAXSESSIONS:
			if (num(optarg, 1000000, &v) || !v)
				return -1;
			c->max_client_sessions = (uint32_t)v;
			break;
		case OPT_HSTIMEOUT:
			if (num(optarg, 600000, &v) || !v)
				return -1;
			c->handshake_ms = (uint32_t)v;
			break;
		case OPT_PRINT:
			colon = strchr(optarg, ':');
			if (!colon) {
				fprintf(stderr, "authd: --print-schedule FROM:COUNT\n");
				return -1;
			}
			*colon = 0;
			if (num(optarg, UINT32_MAX, pfrom) || num(colon + 1, 100000, pcount))
				return -1;
			break;
		case OPT_MIN: case OPT_MAXLOW: case OPT_MAXHIGH:
			if (num(optarg, ROAM_INTERVAL_MAX_MS, &v))
				return -1;
			if (o == OPT_MIN)
				c->params.min_ms = (uint32_t)v;
			else if (o == OPT_MAXLOW)
				c->params.max_low_ms = (uint32_t)v;
			else
				c->params.max_high_ms = (uint32_t)v;
			c->params_given = true;
			break;
		case OPT_CHAINLEN:
			if (num(optarg, ROAM_CHAIN_MAX_LEN, &v) || !v)
				return -1;
			c->chain_len = v;
			c->params_given = true;
			break;
		case OPT_START:
			if (num(optarg, UINT64_MAX / 2, &c->params.start_ms))
				return -1;
			c->params_given = true;
			break;
		case OPT_NEWCHAIN: c->new_chain = true; break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "authd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (c->params_given) {
		const char *why;

		if (roam_sched_check(&c->params, &why)) {
			fprintf(stderr, "authd: %s\n", why);
			return -1;
		}
	}
	if (!lead_set)
		c->lead_ms = c->params.min_ms / 2;
	return 0;
}

/* Descriptors authd needs besides connections: listeners, state files. */
#define FD_RESERVE	64

/*
 * 10,000 clients need well over 10,000 descriptors.  The connection
 * limits are clamped to what the file limit allows, so that running out
 * of descriptors is a limit reached, not a failure of accept().
 */
static void raise_nofile(struct authd_config *c)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		log_warn("cannot raise the file limit: %s", strerror(errno));
		getrlimit(RLIMIT_NOFILE, &rl);
	} else if (rl.rlim_cur < 10100) {
		log_warn("file limit is %llu; fewer clients than the target fit",
			 (unsigned long long)rl.rlim_cur);
	}
	if (rl.rlim_cur != RLIM_INFINITY && c->max_conns + FD_RESERVE > rl.rlim_cur) {
		c->max_conns = rl.rlim_cur > 2 * FD_RESERVE ?
			(uint32_t)(rl.rlim_cur - FD_RESERVE) : FD_RESERVE;
		log_warn("connection limit lowered to %u (file limit %llu)", c->max_conns,
			 (unsigned long long)rl.rlim_cur);
	}
	if (c->max_preauth > c->max_conns)
		c->max_preauth = c->max_conns;
}

int main(int argc, char **argv)
{
	struct authd *a = calloc(1, sizeof(*a));
	uint64_t from = 0, count = 0;
	int ret;

	roam_log_prog = "authd";
	if (!a)
		return 1;
	a->lfd = a->afd = a->sfd = a->epfd = -1;
	if (parse_args(a, argc, argv, &from, &count)) {
		usage(stderr);
		free(a);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	raise_nofile(&a->cfg);
	ret = authd_state_load(a);
	if (!ret && count) {
		authd_print_schedule(a, from, count);
		goto out;
	}
	authd_gates_init(a);
	if (!ret)
		ret = authd_listen(a);
	if (!ret)
		ret = authd_admin_listen(a);
	if (!ret)
		ret = authd_run(a);
	authd_server_free(a);
	if (a->afd >= 0)
		unlink(a->cfg.admin_sock);
out:
	authd_state_free(a);
	free(a);
	return ret ? 1 : 0;
}
