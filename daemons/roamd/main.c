// SPDX-License-Identifier: GPL-2.0
/*
 * roamd: configuration, then the event loop (loop.c), then teardown.
 * Exit 0 on SIGTERM/SIGINT, 1 on a runtime error, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "admin.h"
#include "hochan.h"
#include "log.h"
#include "parse.h"
#include "roamd.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: roamd --ca FILE --cert FILE --key FILE [OPTIONS] [-- SERVICE [ARGS...]]\n"
"  -H, --host HOST           authd address [127.0.0.1]\n"
"  -P, --port PORT           authd port [7443]\n"
"  --self ADDR:PORT          this server's pool address; without it roamd\n"
"                            only drives the gate (on a firewall)\n"
"  --window-ms MS            transition window after a roam [1000]\n"
"  --prestart-ms MS          start the service this early [300]\n"
"  --ports LIST              gate service ports, e.g. tcp/9000,udp/*\n"
"                            [the pool's TCP ports and udp/*]\n"
"  --attack-pps N            attack signal threshold, 0 off [1000]\n"
"  --quiet-ms MS             lower the threat after MS without attack [30000]\n"
"  -s, --admin-socket PATH   authd admin socket, or 'none' [" ROAM_ADMIN_SOCK "]\n"
"  --state-dir DIR           shared strikes record [/run/roam]\n"
"  --contract NAME,ADDR,PPS[,BPS]   a client's contract (repeatable)\n"
"  --no-gate                 do not touch roam.ko (service only)\n"
"  --migrate-key FILE        the pool's migration key K_mig: hand live\n"
"                            connections over at a roam (off without it)\n"
"  --handoff-listen ADDR:PORT   the handoff channel [self's address:7444]\n"
"  --handoff-peer SERVER=ADDR:PORT  a pool server's channel (repeatable)\n"
"                            [its pool address, our channel port]\n"
"  --handoff-timeout-ms MS   one handoff, each side [5000]\n"
"  --handoff-max-conns N     connections moved per handoff [1024]\n"
"  -v, --verbose / -q, --quiet\n"
"The service runs with ROAM_ADDR=ADDR:PORT and ROAM_EPOCH in its\n"
"environment, in its own process group, while this server is active.\n");
}

enum {
	O_SELF = 256, O_WINDOW, O_PRESTART, O_PORTS, O_ATTACK, O_QUIET, O_STATE,
	O_CONTRACT, O_NOGATE, O_MIGKEY, O_HOLISTEN, O_HOPEER, O_HOTIMEOUT, O_HOMAX,
	O_HOASSUME,
};

static int u32_arg(const char *s, uint32_t max, uint32_t *out)
{
	if (parse_u32(s, 0, max, out)) {
		fprintf(stderr, "roamd: bad number '%s'\n", s);
		return -1;
	}
	return 0;
}

static int parse_args(struct roamd_config *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ca", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'P' },
		{ "admin-socket", required_argument, NULL, 's' },
		{ "self", required_argument, NULL, O_SELF },
		{ "window-ms", required_argument, NULL, O_WINDOW },
		{ "prestart-ms", required_argument, NULL, O_PRESTART },
		{ "ports", required_argument, NULL, O_PORTS },
		{ "attack-pps", required_argument, NULL, O_ATTACK },
		{ "quiet-ms", required_argument, NULL, O_QUIET },
		{ "state-dir", required_argument, NULL, O_STATE },
		{ "contract", required_argument, NULL, O_CONTRACT },
		{ "no-gate", no_argument, NULL, O_NOGATE },
		{ "migrate-key", required_argument, NULL, O_MIGKEY },
		{ "handoff-listen", required_argument, NULL, O_HOLISTEN },
		{ "handoff-peer", required_argument, NULL, O_HOPEER },
		{ "handoff-timeout-ms", required_argument, NULL, O_HOTIMEOUT },
		{ "handoff-max-conns", required_argument, NULL, O_HOMAX },
		/*
		 * Tests without roam.ko (no translation at the client): every
		 * connection counts as negotiated and is restored at its own
		 * address, so the servers must share it (one namespace).
		 */
		{ "handoff-test", no_argument, NULL, O_HOASSUME },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct roam_addr a;
	int o;

	while ((o = getopt_long(argc, argv, "+a:c:k:H:P:s:vqh", opts, NULL)) != -1) {
		switch (o) {
		case 'a': c->client.ca_file = optarg; break;
		case 'c': c->client.cert_file = optarg; break;
		case 'k': c->client.key_file = optarg; break;
		case 'H': c->client.host = optarg; break;
		case 'P': c->client.port = optarg; break;
		case 's': c->admin_sock = strcmp(optarg, "none") ? optarg : NULL; break;
		case O_SELF:
			if (roam_addr_parse(optarg, &a)) {
				fprintf(stderr, "roamd: bad --self '%s' (want A.B.C.D:PORT)\n", optarg);
				return -1;
			}
			c->self = optarg;
			break;
		case O_WINDOW:
			if (u32_arg(optarg, 600000, &c->window_ms))
				return -1;
			break;
		case O_PRESTART:
			if (u32_arg(optarg, 60000, &c->prestart_ms))
				return -1;
			break;
		case O_PORTS:
			if (gatemsg_ports_parse(optarg, c->ports, &c->nports)) {
				fprintf(stderr, "roamd: bad --ports '%s' (want e.g. tcp/9000,udp/*)\n",
					optarg);
				return -1;
			}
			c->ports_given = true;
			break;
		case O_ATTACK:
			if (u32_arg(optarg, UINT32_MAX, &c->attack_pps))
				return -1;
			break;
		case O_QUIET:
			if (u32_arg(optarg, 24 * 3600 * 1000, &c->quiet_ms))
				return -1;
			break;
		case O_STATE: c->state_dir = optarg; break;
		case O_CONTRACT:
			if (c->ncontracts == ROAMD_CONTRACTS_MAX ||
			    contract_parse(optarg, &c->contracts[c->ncontracts])) {
				fprintf(stderr, "roamd: bad --contract '%s' (want NAME,ADDR,PPS[,BPS])\n",
					optarg);
				return -1;
			}
			c->ncontracts++;
			break;
		case O_NOGATE: c->no_gate = true; break;
		case O_MIGKEY: c->migrate_key = optarg; break;
		case O_HOLISTEN:
			if (roam_addr_parse(optarg, &a) || a.family != 4) {
				fprintf(stderr, "roamd: bad --handoff-listen '%s' (want A.B.C.D:PORT)\n",
					optarg);
				return -1;
			}
			c->ho_listen = optarg;
			break;
		case O_HOPEER:
			if (c->ho_npeers == ROAM_POOL_MAX ||
			    migrate_peer_parse(optarg, &c->ho_peers[c->ho_npeers])) {
				fprintf(stderr, "roamd: bad --handoff-peer '%s' (want A.B.C.D:PORT=A.B.C.D:PORT)\n",
					optarg);
				return -1;
			}
			c->ho_npeers++;
			break;
		case O_HOTIMEOUT:
			if (u32_arg(optarg, 600000, &c->ho_timeout_ms) || !c->ho_timeout_ms)
				return -1;
			break;
		case O_HOMAX:
			if (u32_arg(optarg, HOCHAN_CONNS_MAX, &c->ho_max_conns) || !c->ho_max_conns)
				return -1;
			break;
		case O_HOASSUME: c->ho_test = true; break;
		case 'v': roam_log_level = ROAM_LOG_DEBUG; break;
		case 'q': roam_log_level = ROAM_LOG_WARN; break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (!c->client.ca_file || !c->client.cert_file || !c->client.key_file) {
		fprintf(stderr, "roamd: --ca, --cert and --key are needed (roamd subscribes to authd)\n");
		return -1;
	}
	if (c->migrate_key) {
		static char def[64];

		if (!c->self || roam_addr_parse(c->self, &a) || a.family != 4) {
			fprintf(stderr, "roamd: --migrate-key needs an IPv4 --self\n");
			return -1;
		}
		if (!c->ho_listen) {
			a.port = 7444;
			roam_addr_format(&a, def, sizeof(def));
			c->ho_listen = def;
		}
	}
	if (optind < argc) {
		if (!c->self) {
			fprintf(stderr, "roamd: a service needs --self\n");
			return -1;
		}
		c->service = argv + optind;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct roamd *r = calloc(1, sizeof(*r));
	int ret;

	roam_log_prog = "roamd";
	if (!r)
		return 1;
	r->cfg = (struct roamd_config){
		.client = { .host = "127.0.0.1", .port = "7443", .timeout_ms = 2000 },
		.admin_sock = ROAM_ADMIN_SOCK, .state_dir = "/run/roam",
		.window_ms = 1000, .prestart_ms = 300, .quiet_ms = 30000,
		.attack_pps = 1000, .stop_grace_ms = 2000,
		.ho_timeout_ms = 5000, .ho_max_conns = 1024,
	};
	r->self = -1;
	r->rw.fd = -1;
	if (parse_args(&r->cfg, argc, argv)) {
		usage(stderr);
		free(r);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	mkdir(r->cfg.state_dir, 0700);
	if (!r->cfg.no_gate) {
		ret = gate_open(&r->gate);
		if (ret) {
			log_err("%s", gate_error(r->gate));
			gate_close(r->gate);
			free(r);
			return 1;
		}
	}
	ret = migrate_start(r);
	if (ret) {
		migrate_stop(r);
		gate_close(r->gate);
		free(r);
		return 1;
	}
	ret = roamd_run(r);
	if (ret)
		log_err("stopping after an error: %s", strerror(-ret));
	service_shutdown(r);
	migrate_stop(r);
	roam_client_close(r->client);
	gate_close(r->gate);
	free(r);
	return ret ? 1 : 0;
}
