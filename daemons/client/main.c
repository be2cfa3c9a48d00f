// SPDX-License-Identifier: GPL-2.0
/*
 * roam-client: subscribe and print the schedule as JSON lines, one
 * "epoch" line per epoch as soon as it is fully known and one "active"
 * line whenever the active server changes.  For tests and debugging.
 * With --handoff it loads the live handoff's id and key from authd's
 * PARAMS into roam.ko (the client side on; "handoff" line), so that the
 * host's connections to the pool negotiate it (roam-handoff.md).
 * Exit 0 (done), 1 (refused, revoked, error), 2 (usage).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "jsonl.h"
#include "log.h"
#include "parse.h"
#include "proto.h"
#include "roam_mig.h"

static struct roam_client *client;
static unsigned long epochs_seen;

/* {"event":"KIND"}: the start of every line printed. */
static struct json_object *event(const char *kind)
{
	struct json_object *o = json_object_new_object();

	if (o)
		json_object_object_add(o, "event", json_object_new_string(kind));
	return o;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_epoch(void *arg, const struct roam_epoch *e, uint64_t end_ms, int level)
{
	(void)arg;
	jsonl_print(stdout, roam_epoch_json(e, end_ms, level, roam_client_pool(client)));
	epochs_seen++;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: roam-client --ca FILE --cert FILE --key FILE [OPTIONS]\n"
"  -H, --host HOST       authd address [127.0.0.1]\n"
"  -P, --port PORT       authd port [7443]\n"
"  -n, --epochs N        exit 0 after N epoch lines (0: run until stopped)\n"
"  -t, --timeout-ms MS   give up after MS [0: never]\n"
"  --handoff             load authd's handoff id and key into roam.ko\n"
"  --inject KIND         test only: after subscribing send garbage, an\n"
"                        oversized header or an unexpected message\n"
"                        (garbage|oversized|unexpected)\n");
}

static int inject(struct roam_client *c, const char *kind)
{
	static const uint8_t garbage[] = "GET / HTTP/1.0\r\n\r\n";
	uint8_t big[8] = { ROAM_PROTO_VERSION, ROAM_MSG_SUBSCRIBE, 0, 0, 0x7f, 0xff, 0xff, 0xff };
	struct roam_msg m = { .type = ROAM_MSG_ERROR, .code = 1 };
	uint8_t buf[64];

	if (!strcmp(kind, "garbage"))
		return roam_client_send_raw(c, garbage, sizeof(garbage) - 1);
	if (!strcmp(kind, "oversized"))
		return roam_client_send_raw(c, big, sizeof(big));
	return roam_client_send_raw(c, buf, (size_t)roam_msg_encode(&m, buf, sizeof(buf)));
}

/* --handoff: MIG_SET client side; a "handoff" line, or an error. */
static int handoff_on(struct roam_client *c)
{
	struct json_object *ev;
	uint8_t key[ROAM_MIG_KEY_LEN];
	struct roam_mig *m = NULL;
	char err[512];
	uint32_t id;
	int ret;

	ret = roam_client_migrate(c, &id, key);
	if (ret)
		snprintf(err, sizeof(err),
			 "--handoff: authd gave no handoff key (authd runs without --migrate-key)");
	if (!ret)
		ret = roam_mig_open(&m, err, sizeof(err));
	if (!ret)
		ret = roam_mig_client_on(m, id, key, roam_client_pool(c),
					 roam_client_params(c)->nservers, err, sizeof(err));
	roam_memzero(key, sizeof(key));
	roam_mig_close(m);
	if (ret) {
		log_err("%s", err);
		ev = event("error");
		json_object_object_add(ev, "text", json_object_new_string(err));
		jsonl_print(stdout, ev);
		return ret;
	}
	ev = event("handoff");
	json_object_object_add(ev, "mig_id", json_object_new_int64(id));
	jsonl_print(stdout, ev);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ca", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'P' },
		{ "epochs", required_argument, NULL, 'n' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "inject", required_argument, NULL, 'i' },
		{ "handoff", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct roam_client_cfg cfg = { .host = "127.0.0.1", .port = "7443",
				       .on_epoch = on_epoch };
	uint64_t want = 0, timeout = 0;
	const char *inj = NULL;
	bool params_shown = false, handoff = false;
	struct roam_client *c;
	uint64_t start, last_active = UINT64_MAX;
	char err[512], addr[64];
	int o, ret;

	roam_log_prog = "roam-client";
	while ((o = getopt_long(argc, argv, "a:c:k:H:P:n:t:h", opts, NULL)) != -1) {
		switch (o) {
		case 'a': cfg.ca_file = optarg; break;
		case 'c': cfg.cert_file = optarg; break;
		case 'k': cfg.key_file = optarg; break;
		case 'H': cfg.host = optarg; break;
		case 'P': cfg.port = optarg; break;
		case 'n':
		case 't':
			if (parse_u64(optarg, 0, UINT64_MAX, o == 'n' ? &want : &timeout)) {
				usage(stderr);
				return 2;
			}
			break;
		case 'i':
			if (strcmp(optarg, "garbage") && strcmp(optarg, "oversized") &&
			    strcmp(optarg, "unexpected")) {
				usage(stderr);
				return 2;
			}
			inj = optarg;
			break;
		case 'm': handoff = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!cfg.ca_file || !cfg.cert_file || !cfg.key_file || optind != argc) {
		usage(stderr);
		return 2;
	}
	start = now_ms();
	ret = roam_client_open(&c, &cfg, err, sizeof(err));
	client = c;
	if (ret) {
		struct json_object *ev = event("error");

		log_err("%s", err);
		json_object_object_add(ev, "text", json_object_new_string("connect failed"));
		jsonl_print(stdout, ev);
		return 1;
	}
	while (!ret) {
		uint8_t mig_key[ROAM_MIG_KEY_LEN];
		uint32_t idx, mig_id;
		struct roam_addr a;
		uint64_t now;

		ret = roam_client_poll(c, 50);
		if (ret)
			break;
		if (!params_shown && roam_client_ready(c)) {
			params_shown = true;
			struct json_object *ev = event("params");

			json_object_object_add(ev, "servers",
					       json_object_new_int64(roam_client_params(c)->nservers));
			/* The live handoff's id (its key stays in memory). */
			if (!roam_client_migrate(c, &mig_id, mig_key))
				json_object_object_add(ev, "mig_id", json_object_new_int64(mig_id));
			roam_memzero(mig_key, sizeof(mig_key));
			jsonl_print(stdout, ev);
			if (handoff && handoff_on(c)) {
				roam_client_close(c);
				return 1;
			}
			if (inj) {
				ret = inject(c, inj);
				inj = NULL;
			}
		}
		now = now_ms();
		if (roam_client_active_server(c, now, &idx, &a) == 0 && idx != last_active) {
			struct json_object *ev = event("active");

			roam_addr_format(&a, addr, sizeof(addr));
			json_object_object_add(ev, "now_ms", json_object_new_uint64(now));
			json_object_object_add(ev, "server", json_object_new_int64(idx));
			json_object_object_add(ev, "addr", json_object_new_string(addr));
			jsonl_print(stdout, ev);
			last_active = idx;
		}
		fflush(stdout);
		if (want && epochs_seen >= want)
			break;
		if (timeout && now - start > timeout) {
			log_err("timed out after %" PRIu64 " ms", timeout);
			ret = -ETIMEDOUT;
		}
	}
	if (ret) {
		const char *kind = ret == -EPERM ? "revoked" : "error";

		if (ret != -ETIMEDOUT)
			log_err("%s", roam_client_error(c));
		jsonl_print(stdout, event(kind));
	}
	roam_client_close(c);
	return ret ? 1 : 0;
}
