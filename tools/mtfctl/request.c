// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl request {block|ratelimit|cancel} PATH [src PREFIX] [dst ADDR]
 *                [rate PPS]
 * mtfctl request show | stats
 * mtfctl peer show
 *
 * Talk to mtfd's admin socket ($MTFD_SOCKET, default /run/mtfd/mtfd.sock):
 * one JSON request line, one JSON reply line (daemons/mtfd/admin.c).
 * PATH is the recorded path suffix as `path show` prints it.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mtfctl.h"

#define MTFD_SOCK_DEFAULT	"/run/mtfd/mtfd.sock"
#define REPLY_MAX		(4 << 20)

static const char *sock_path(void)
{
	const char *s = getenv("MTFD_SOCKET");

	return s && *s ? s : MTFD_SOCK_DEFAULT;
}

/* One exchange; the reply object, or NULL with the reason printed. */
static json_object *call(struct cli *cli, json_object *req)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	const char *s = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	size_t len = 0, cap = 65536;
	char *buf = NULL, *nb;
	json_object *rep = NULL;
	ssize_t n;
	int fd;

	if (strlen(sock_path()) >= sizeof(sun.sun_path)) {
		cli_error(cli, -ENAMETOOLONG, "mtfd socket path");
		return NULL;
	}
	strcpy(sun.sun_path, sock_path());
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		cli_error(cli, -errno, "cannot reach mtfd at %s (is it running? MTFD_SOCKET)",
			  sun.sun_path);
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (write(fd, s, strlen(s)) < 0 || write(fd, "\n", 1) < 0) {
		cli_error(cli, -errno, "cannot write to mtfd");
		goto out;
	}
	buf = malloc(cap + 1);
	while (buf) {
		n = read(fd, buf + len, cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			if (cap >= REPLY_MAX)
				break;
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				break;
			buf = nb;
		}
	}
	if (!buf || !len) {
		cli_error(cli, -EIO, "no answer from mtfd");
		goto out;
	}
	buf[len] = '\0';
	rep = json_tokener_parse(buf);
	if (!rep)
		cli_error(cli, -EBADMSG, "mtfd's answer is not JSON");
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rep;
}

/* The reply's "ok", printing its "error" when false. */
static int check(struct cli *cli, json_object *rep)
{
	json_object *ok, *err;

	if (json_object_object_get_ex(rep, "ok", &ok) && json_object_get_boolean(ok))
		return CLI_OK;
	json_object_object_get_ex(rep, "error", &err);
	fprintf(stderr, "%s: mtfd: %s\n", cli->prog->name,
		err ? json_object_get_string(err) : "request failed");
	return CLI_ERR;
}

static int print_json(struct cli *cli, json_object *rep, const char *key)
{
	json_object *v = rep;

	json_object_object_del(rep, "ok");
	if (key && !json_object_object_get_ex(rep, key, &v))
		return CLI_ERR;
	if (cli->out.json)
		printf("%s\n", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	else
		printf("%s\n", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	return CLI_OK;
}

static int simple(struct cli *cli, const char *cmd, const char *key)
{
	json_object *req = json_object_new_object(), *rep;
	int ret;

	json_object_object_add(req, "cmd", json_object_new_string(cmd));
	rep = call(cli, req);
	json_object_put(req);
	if (!rep)
		return CLI_ERR;
	ret = check(cli, rep);
	if (ret == CLI_OK)
		ret = print_json(cli, rep, key);
	json_object_put(rep);
	return ret;
}

static int request_change(struct cli *cli, const char *action, int argc, char **argv)
{
	json_object *req, *rep;
	struct mtf_perr e = { "" };
	struct mtf_slots sl;
	uint32_t be;
	uint8_t plen;
	uint64_t rate = 0;
	int ret;

	if (argc < 1)
		return cli_usage_error(cli, "%s needs a PATH (ADDR/MARK,...)", action);
	if (mtf_parse_slots(argv[0], &sl, &e))
		return cli_usage_error(cli, "%s", e.msg);
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("request"));
	json_object_object_add(req, "action", json_object_new_string(action));
	json_object_object_add(req, "path", json_object_new_string(argv[0]));
	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc) {
			json_object_put(req);
			return cli_usage_error(cli, "'%s' needs a value", argv[i]);
		}
		if (!strcmp(argv[i], "src") && !mtf_parse_prefix4(argv[i + 1], &be, &plen, &e)) {
			json_object_object_add(req, "src", json_object_new_string(argv[i + 1]));
		} else if (!strcmp(argv[i], "dst") &&
			   !mtf_parse_ip4(argv[i + 1], &be, "dst", &e)) {
			json_object_object_add(req, "dst", json_object_new_string(argv[i + 1]));
		} else if (!strcmp(argv[i], "rate") && !mtf_parse_rate(argv[i + 1], false,
								       &rate, &e)) {
			json_object_object_add(req, "rate_pps", json_object_new_int64((int64_t)rate));
		} else {
			json_object_put(req);
			return cli_usage_error(cli, "%s", e.msg[0] ? e.msg : "unexpected argument");
		}
	}
	if (!strcmp(action, "ratelimit") && !rate) {
		json_object_put(req);
		return cli_usage_error(cli, "ratelimit needs rate PPS");
	}
	rep = call(cli, req);
	json_object_put(req);
	if (!rep)
		return CLI_ERR;
	ret = check(cli, rep);
	json_object_put(rep);
	return ret;
}

static int req_show(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return cli_usage_error(cli, "unexpected argument");
	return simple(cli, "show", NULL);
}

static int req_stats(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return cli_usage_error(cli, "unexpected argument");
	return simple(cli, "status", NULL);
}

static int req_block(struct cli *cli, int argc, char **argv)
{
	return request_change(cli, "block", argc, argv);
}

static int req_ratelimit(struct cli *cli, int argc, char **argv)
{
	return request_change(cli, "ratelimit", argc, argv);
}

static int req_cancel(struct cli *cli, int argc, char **argv)
{
	return request_change(cli, "cancel", argc, argv);
}

int mtfctl_request(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "show", req_show, "mtfd's requests, handshakes, filters and peers" },
		{ "block", req_block, "PATH [src PREFIX]: ask the gateway to block" },
		{ "ratelimit", req_ratelimit, "PATH rate PPS [src PREFIX]: AIMD rate limit" },
		{ "cancel", req_cancel, "PATH [src PREFIX]: withdraw a request" },
		{ "stats", req_stats, "mtfd's counters" },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch(cli, cmds, argc, argv);
}

static int peer_show(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return cli_usage_error(cli, "unexpected argument");
	return simple(cli, "show", "peers");
}

int mtfctl_peer(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "show", peer_show, "mtfd's peers: messages, rate-limited, bad" },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch(cli, cmds, argc, argv);
}
