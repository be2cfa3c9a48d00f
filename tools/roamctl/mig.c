// SPDX-License-Identifier: GPL-2.0
/*
 * The live TCP handoff of roam.ko (Documentation/roam-handoff.md):
 *
 *   roamctl migrate show
 *   roamctl migrate set [client-id N] [key-file FILE] [pool A,B|none]
 *                       [ports P,Q|all] [client on|off] [server on|off]
 *                       [server-ports P,Q|all] [conn-max N]
 *   roamctl conn show [server|client]
 *   roamctl conn del LADDR:LPORT RADDR:RPORT
 *   roamctl conn flush [server|client]
 *
 * The key file holds K_client, 32 bytes raw or 64 hex digits, mode 0600;
 * the kernel never gives it back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "roamctl.h"
#include "hex.h"
#include "roam_mig.h"
#include "secfile.h"
#include "util.h"

static int no_reply(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return 0;
}

/* "80,443" or "all" (none given: every port). */
static int parse_port_list(const char *s, uint16_t *ports, unsigned int *n)
{
	char buf[256], *tok, *save = NULL;
	uint64_t v;

	*n = 0;
	if (!strcmp(s, "all"))
		return 0;
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == ROAM_PORTS_MAX)
			return -ERANGE;
		if (roam_parse_u64(tok, 65535, &v) || !v)
			return -EINVAL;
		ports[(*n)++] = v;
	}
	return *n ? 0 : -EINVAL;
}

static int on_off(const char *s, uint8_t *v)
{
	if (!strcmp(s, "on"))
		*v = 1;
	else if (!strcmp(s, "off"))
		*v = 0;
	else
		return -EINVAL;
	return 0;
}

static int read_key(const char *path, uint8_t *key, char *err, size_t errlen)
{
	char *data;
	size_t len;
	int ret;

	ret = roam_file_read(path, true, &data, &len, err, errlen);
	if (ret)
		return ret;
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len == ROAM_MIG_KEY_LEN) {
		memcpy(key, data, len);
	} else if (len == 2 * ROAM_MIG_KEY_LEN) {
		data[len] = 0;
		if (hex_decode(data, key, ROAM_MIG_KEY_LEN, 0))
			ret = -EINVAL;
	} else {
		ret = -EINVAL;
	}
	if (ret)
		snprintf(err, errlen, "%s: want %d raw bytes or %d hex digits",
			 path, ROAM_MIG_KEY_LEN, 2 * ROAM_MIG_KEY_LEN);
	roam_file_free(data, len);
	return ret;
}

static int mig_set(struct cli *cli, int argc, char **argv)
{
	struct roam_mig_set s = { .has = 0 };
	uint64_t v;
	struct nlmsghdr *nlh;
	char err[512];
	int i, ret;

	if (argc == 0)
		return cli_usage_error(cli, "migrate set needs at least one setting");
	for (i = 0; i < argc; i += 2) {
		const char *kw = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned int bit;

		if (!strcmp(kw, "client-id"))
			bit = ROAM_MIG_SET_ID;
		else if (!strcmp(kw, "key-file"))
			bit = ROAM_MIG_SET_KEY;
		else if (!strcmp(kw, "pool"))
			bit = ROAM_MIG_SET_POOL;
		else if (!strcmp(kw, "ports"))
			bit = ROAM_MIG_SET_PORTS;
		else if (!strcmp(kw, "client"))
			bit = ROAM_MIG_SET_CLIENT;
		else if (!strcmp(kw, "server"))
			bit = ROAM_MIG_SET_SERVER;
		else if (!strcmp(kw, "server-ports"))
			bit = ROAM_MIG_SET_SPORTS;
		else if (!strcmp(kw, "conn-max"))
			bit = ROAM_MIG_SET_MAX;
		else
			return cli_usage_error(cli, "unknown migrate setting '%s'", kw);
		if (s.has & bit)
			return cli_usage_error(cli, "'%s' given twice", kw);
		if (!val)
			return cli_usage_error(cli, "'%s' needs a value", kw);
		s.has |= bit;
		switch (bit) {
		case ROAM_MIG_SET_ID:
			if (roam_parse_u64(val, UINT32_MAX, &v))
				return cli_usage_error(cli, "bad client-id '%s'", val);
			s.id = v;
			break;
		case ROAM_MIG_SET_KEY:
			if (read_key(val, s.key, err, sizeof(err))) {
				fprintf(stderr, "roamctl: %s\n", err);
				return CLI_ERR;
			}
			break;
		case ROAM_MIG_SET_POOL:
			ret = roam_parse_addr_list(val, s.pool, ROAM_POOL_MAX, &s.n_pool);
			if (ret)
				return cli_usage_error(cli, "bad pool '%s' (want A,B,... or none)", val);
			break;
		case ROAM_MIG_SET_PORTS:
		case ROAM_MIG_SET_SPORTS:
			if (parse_port_list(val, bit == ROAM_MIG_SET_PORTS ? s.ports : s.sports,
					    bit == ROAM_MIG_SET_PORTS ? &s.n_ports : &s.n_sports))
				return cli_usage_error(cli, "bad ports '%s' (want 80,443,... or all)", val);
			break;
		case ROAM_MIG_SET_CLIENT:
		case ROAM_MIG_SET_SERVER:
			if (on_off(val, bit == ROAM_MIG_SET_CLIENT ? &s.client : &s.server))
				return cli_usage_error(cli, "'%s' wants on or off", kw);
			break;
		case ROAM_MIG_SET_MAX:
			if (roam_parse_u64(val, UINT32_MAX, &v) || !v)
				return cli_usage_error(cli, "bad conn-max '%s'", val);
			s.conn_max = v;
			break;
		}
	}
	ret = cli_connect(cli);
	if (ret != CLI_OK) {
		explicit_bzero(s.key, sizeof(s.key));
		return ret;
	}
	nlh = cli_req(cli, ROAM_CMD_MIG_SET);
	roam_mig_put_set(nlh, &s);
	explicit_bzero(s.key, sizeof(s.key));
	ret = genl_doit(&cli->gs, nlh, no_reply, NULL);
	explicit_bzero(cli->gs.req, sizeof(cli->gs.req));
	if (ret < 0)
		return cli_error(cli, ret, "cannot set the handoff");
	return CLI_OK;
}

struct port_list {
	uint16_t v[ROAM_PORTS_MAX];
	unsigned int n;
};

static int port_cb(const struct nlattr *attr, void *data)
{
	struct port_list *l = data;

	if (mnl_attr_get_type(attr) != ROAM_MIG_A_PORT)
		return 0;
	if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0 ||
	    mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
		return -EBADMSG;
	if (l->n == ROAM_PORTS_MAX)
		return -E2BIG;
	l->v[l->n++] = mnl_attr_get_u16(attr);
	return 0;
}

static int addr_cb(const struct nlattr *attr, void *data)
{
	struct out *o = data;
	char buf[INET_ADDRSTRLEN];

	if (mnl_attr_get_type(attr) != ROAM_MIG_A_ADDR4)
		return 0;
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	roam_format_addr(mnl_attr_get_u32(attr), buf, sizeof(buf));
	out_str(o, NULL, buf);
	return 0;
}

static int out_ports(struct out *o, const char *key, const struct nlattr *nest)
{
	struct port_list l = { .n = 0 };
	char buf[ROAM_PORTS_MAX * 6 + 4] = "";
	size_t off = 0;
	int ret;

	ret = genl_attr_foreach(mnl_attr_get_payload(nest),
				mnl_attr_get_payload_len(nest), port_cb, &l);
	if (ret < 0)
		return ret;
	if (o->json) {
		out_arr_begin(o, key);
		for (unsigned int i = 0; i < l.n; i++)
			out_u64(o, NULL, l.v[i]);
		out_arr_end(o);
		return 0;
	}
	for (unsigned int i = 0; i < l.n; i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%u",
				i ? "," : "", l.v[i]);
	out_str(o, key, l.n ? buf : "all");
	return 0;
}

/* genl_cb_t for the MIG_GET reply. */
int roam_mig_show_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[ROAM_A_MAX + 1] = {
		[ROAM_A_MIG] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type policy[ROAM_MIG_A_MAX + 1] = {
		[ROAM_MIG_A_CLIENT_ID]		= MNL_TYPE_U32,
		[ROAM_MIG_A_KEY_SET]		= MNL_TYPE_U8,
		[ROAM_MIG_A_POOL]		= MNL_TYPE_NESTED,
		[ROAM_MIG_A_PORTS]		= MNL_TYPE_NESTED,
		[ROAM_MIG_A_CLIENT_ENABLE]	= MNL_TYPE_U8,
		[ROAM_MIG_A_SERVER_ENABLE]	= MNL_TYPE_U8,
		[ROAM_MIG_A_SERVER_PORTS]	= MNL_TYPE_NESTED,
		[ROAM_MIG_A_CONN_MAX]		= MNL_TYPE_U32,
		[ROAM_MIG_A_CONNS]		= MNL_TYPE_U32,
		[ROAM_MIG_A_CCONNS]		= MNL_TYPE_U32,
	};
	const struct nlattr *t[ROAM_A_MAX + 1], *tb[ROAM_MIG_A_MAX + 1];
	struct out *o = data;
	char buf[ROAM_POOL_MAX * 16 + 8];
	int ret;

	ret = genl_attr_parse(nlh, top, t, ROAM_A_MAX);
	if (ret < 0)
		return ret;
	if (!t[ROAM_A_MIG])
		return -EBADMSG;
	ret = genl_attr_parse_nested(t[ROAM_A_MIG], policy, tb, ROAM_MIG_A_MAX);
	if (ret < 0)
		return ret;
	if (tb[ROAM_MIG_A_CLIENT_ENABLE])
		out_bool(o, "client", mnl_attr_get_u8(tb[ROAM_MIG_A_CLIENT_ENABLE]));
	if (tb[ROAM_MIG_A_CLIENT_ID])
		out_u64(o, "client_id", mnl_attr_get_u32(tb[ROAM_MIG_A_CLIENT_ID]));
	if (tb[ROAM_MIG_A_KEY_SET])
		out_bool(o, "key_set", mnl_attr_get_u8(tb[ROAM_MIG_A_KEY_SET]));
	if (tb[ROAM_MIG_A_POOL]) {
		if (o->json) {
			out_arr_begin(o, "pool");
			ret = genl_attr_foreach(mnl_attr_get_payload(tb[ROAM_MIG_A_POOL]),
						mnl_attr_get_payload_len(tb[ROAM_MIG_A_POOL]),
						addr_cb, o);
			out_arr_end(o);
			if (ret < 0)
				return ret;
		} else {
			uint32_t addrs[ROAM_POOL_MAX];
			unsigned int n = 0;
			const struct nlattr *a;

			mnl_attr_for_each_nested(a, tb[ROAM_MIG_A_POOL]) {
				if (mnl_attr_get_type(a) != ROAM_MIG_A_ADDR4 ||
				    mnl_attr_validate(a, MNL_TYPE_U32) < 0)
					continue;
				if (n < ROAM_POOL_MAX)
					addrs[n++] = mnl_attr_get_u32(a);
			}
			roam_format_addrs(addrs, n, buf, sizeof(buf));
			out_str(o, "pool", buf);
		}
	}
	if (tb[ROAM_MIG_A_PORTS] && out_ports(o, "ports", tb[ROAM_MIG_A_PORTS]))
		return -EBADMSG;
	if (tb[ROAM_MIG_A_SERVER_ENABLE])
		out_bool(o, "server", mnl_attr_get_u8(tb[ROAM_MIG_A_SERVER_ENABLE]));
	if (tb[ROAM_MIG_A_SERVER_PORTS] &&
	    out_ports(o, "server_ports", tb[ROAM_MIG_A_SERVER_PORTS]))
		return -EBADMSG;
	if (tb[ROAM_MIG_A_CONN_MAX])
		out_u64(o, "conn_max", mnl_attr_get_u32(tb[ROAM_MIG_A_CONN_MAX]));
	if (tb[ROAM_MIG_A_CONNS])
		out_u64(o, "server_conns", mnl_attr_get_u32(tb[ROAM_MIG_A_CONNS]));
	if (tb[ROAM_MIG_A_CCONNS])
		out_u64(o, "client_conns", mnl_attr_get_u32(tb[ROAM_MIG_A_CCONNS]));
	return 0;
}

static int mig_show(struct cli *cli, int argc, char **argv)
{
	int ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	ret = genl_doit(&cli->gs, cli_req(cli, ROAM_CMD_MIG_GET), roam_mig_show_cb,
			&cli->out);
	if (ret < 0)
		return cli_error(cli, ret, "cannot get the handoff settings");
	return cli_flush(cli);
}

static const char *conn_state_name(uint8_t s)
{
	static const char *const names[] = {
		[ROAM_CONN_NEGOTIATED] = "negotiated",
		[ROAM_CONN_BLOCKED] = "blocked",
		[ROAM_CONN_MIGRATING] = "migrating",
		[ROAM_CONN_CONFIRMED] = "confirmed",
		[ROAM_CONN_PENDING] = "pending",
		[ROAM_CONN_ESTABLISHED] = "established",
		[ROAM_CONN_MOVED] = "moved",
	};

	return s < ARRAY_SIZE(names) && names[s] ? names[s] : "unknown";
}

/* One CONN_GET or CCONN_GET dump message: an object named by the tuple. */
int roam_conn_show_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[ROAM_A_MAX + 1] = {
		[ROAM_A_CONN] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type policy[ROAM_CONN_A_MAX + 1] = {
		[ROAM_CONN_A_LADDR4]	= MNL_TYPE_U32,
		[ROAM_CONN_A_LPORT]	= MNL_TYPE_U16,
		[ROAM_CONN_A_RADDR4]	= MNL_TYPE_U32,
		[ROAM_CONN_A_RPORT]	= MNL_TYPE_U16,
		[ROAM_CONN_A_STATE]	= MNL_TYPE_U8,
		[ROAM_CONN_A_CLIENT_ID]	= MNL_TYPE_U32,
		[ROAM_CONN_A_ORIG4]	= MNL_TYPE_U32,
		[ROAM_CONN_A_COUNTER]	= MNL_TYPE_U32,
		[ROAM_CONN_A_CUR4]	= MNL_TYPE_U32,
		[ROAM_CONN_A_PACKETS_IN] = MNL_TYPE_U64,
		[ROAM_CONN_A_OPT_ADDED]	= MNL_TYPE_U64,
	};
	const struct nlattr *t[ROAM_A_MAX + 1], *tb[ROAM_CONN_A_MAX + 1];
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN], key[64];
	struct out *o = data;
	int ret;

	ret = genl_attr_parse(nlh, top, t, ROAM_A_MAX);
	if (ret < 0)
		return ret;
	if (!t[ROAM_A_CONN])
		return 0;
	ret = genl_attr_parse_nested(t[ROAM_A_CONN], policy, tb, ROAM_CONN_A_MAX);
	if (ret < 0)
		return ret;
	if (!tb[ROAM_CONN_A_LADDR4] || !tb[ROAM_CONN_A_LPORT] ||
	    !tb[ROAM_CONN_A_RADDR4] || !tb[ROAM_CONN_A_RPORT])
		return -EBADMSG;
	roam_format_addr(mnl_attr_get_u32(tb[ROAM_CONN_A_LADDR4]), l, sizeof(l));
	roam_format_addr(mnl_attr_get_u32(tb[ROAM_CONN_A_RADDR4]), r, sizeof(r));
	snprintf(key, sizeof(key), "%s:%u-%s:%u",
		 l, ntohs(mnl_attr_get_u16(tb[ROAM_CONN_A_LPORT])),
		 r, ntohs(mnl_attr_get_u16(tb[ROAM_CONN_A_RPORT])));
	out_obj_begin(o, key);
	if (tb[ROAM_CONN_A_STATE])
		out_str(o, "state", conn_state_name(mnl_attr_get_u8(tb[ROAM_CONN_A_STATE])));
	if (tb[ROAM_CONN_A_CLIENT_ID])
		out_u64(o, "client_id", mnl_attr_get_u32(tb[ROAM_CONN_A_CLIENT_ID]));
	if (tb[ROAM_CONN_A_ORIG4]) {
		roam_format_addr(mnl_attr_get_u32(tb[ROAM_CONN_A_ORIG4]), l, sizeof(l));
		out_str(o, "orig", l);
	}
	if (tb[ROAM_CONN_A_CUR4]) {
		roam_format_addr(mnl_attr_get_u32(tb[ROAM_CONN_A_CUR4]), l, sizeof(l));
		out_str(o, "current", l);
	}
	if (tb[ROAM_CONN_A_COUNTER])
		out_u64(o, "counter", mnl_attr_get_u32(tb[ROAM_CONN_A_COUNTER]));
	if (tb[ROAM_CONN_A_PACKETS_IN])
		out_u64(o, "packets_in", mnl_attr_get_u64(tb[ROAM_CONN_A_PACKETS_IN]));
	if (tb[ROAM_CONN_A_OPT_ADDED])
		out_u64(o, "opt_added", mnl_attr_get_u64(tb[ROAM_CONN_A_OPT_ADDED]));
	out_obj_end(o);
	return 0;
}

/* A CONN_CONFIRMED event's ROAM_A_CONN nest: the tuple and the stall. */
int roam_conn_event_out(struct out *o, const struct nlattr *nest)
{
	static const enum mnl_attr_data_type policy[ROAM_CONN_A_MAX + 1] = {
		[ROAM_CONN_A_LADDR4]	= MNL_TYPE_U32,
		[ROAM_CONN_A_LPORT]	= MNL_TYPE_U16,
		[ROAM_CONN_A_RADDR4]	= MNL_TYPE_U32,
		[ROAM_CONN_A_RPORT]	= MNL_TYPE_U16,
		[ROAM_CONN_A_STALL_NS]	= MNL_TYPE_U64,
	};
	const struct nlattr *tb[ROAM_CONN_A_MAX + 1];
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN], key[64];
	int ret;

	ret = genl_attr_parse_nested(nest, policy, tb, ROAM_CONN_A_MAX);
	if (ret < 0)
		return ret;
	if (!tb[ROAM_CONN_A_LADDR4] || !tb[ROAM_CONN_A_LPORT] ||
	    !tb[ROAM_CONN_A_RADDR4] || !tb[ROAM_CONN_A_RPORT] ||
	    !tb[ROAM_CONN_A_STALL_NS])
		return -EBADMSG;
	roam_format_addr(mnl_attr_get_u32(tb[ROAM_CONN_A_LADDR4]), l, sizeof(l));
	roam_format_addr(mnl_attr_get_u32(tb[ROAM_CONN_A_RADDR4]), r, sizeof(r));
	snprintf(key, sizeof(key), "%s:%u-%s:%u",
		 l, ntohs(mnl_attr_get_u16(tb[ROAM_CONN_A_LPORT])),
		 r, ntohs(mnl_attr_get_u16(tb[ROAM_CONN_A_RPORT])));
	out_str(o, "event", "conn_confirmed");
	out_str(o, "conn", key);
	out_u64(o, "stall_ns", mnl_attr_get_u64(tb[ROAM_CONN_A_STALL_NS]));
	return 1;
}

static int dump_table(struct cli *cli, uint8_t cmd, const char *name)
{
	int ret;

	out_obj_begin(&cli->out, name);
	ret = genl_dump(&cli->gs, cli_req(cli, cmd), roam_conn_show_cb, &cli->out);
	out_obj_end(&cli->out);
	return ret;
}

static int which_table(struct cli *cli, int argc, char **argv, bool *server,
		       bool *client)
{
	*server = *client = true;
	if (argc > 1)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[1]);
	if (argc == 1) {
		if (!strcmp(argv[0], "server"))
			*client = false;
		else if (!strcmp(argv[0], "client"))
			*server = false;
		else
			return cli_usage_error(cli, "want server or client, not '%s'", argv[0]);
	}
	return CLI_OK;
}

static int conn_show(struct cli *cli, int argc, char **argv)
{
	bool server, client;
	int ret;

	ret = which_table(cli, argc, argv, &server, &client);
	if (ret != CLI_OK)
		return ret;
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	if (server) {
		ret = dump_table(cli, ROAM_CMD_CONN_GET, "server");
		if (ret < 0) {
			out_free(&cli->out);
			return cli_error(cli, ret, "cannot list the server connections");
		}
	}
	if (client) {
		ret = dump_table(cli, ROAM_CMD_CCONN_GET, "client");
		if (ret < 0) {
			out_free(&cli->out);
			return cli_error(cli, ret, "cannot list the client connections");
		}
	}
	return cli_flush(cli);
}

/* ADDR:PORT */
static int parse_endpoint(const char *s, uint32_t *addr, uint16_t *port)
{
	char buf[64], *colon;
	uint64_t v;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	colon = strrchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = 0;
	if (roam_parse_addr(buf, addr) || roam_parse_u64(colon + 1, 65535, &v) || !v)
		return -EINVAL;
	*port = htons(v);
	return 0;
}

static int conn_del(struct cli *cli, int argc, char **argv)
{
	uint32_t la, ra;
	uint16_t lp, rp;
	struct nlattr *nest;
	struct nlmsghdr *nlh;
	int ret;

	if (argc != 2)
		return cli_usage_error(cli, "want LADDR:LPORT RADDR:RPORT");
	if (parse_endpoint(argv[0], &la, &lp) || parse_endpoint(argv[1], &ra, &rp))
		return cli_usage_error(cli, "bad endpoint (want ADDR:PORT)");
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	nlh = cli_req(cli, ROAM_CMD_CONN_DEL);
	nest = mnl_attr_nest_start(nlh, ROAM_A_CONN);
	mnl_attr_put_u32(nlh, ROAM_CONN_A_LADDR4, la);
	mnl_attr_put_u16(nlh, ROAM_CONN_A_LPORT, lp);
	mnl_attr_put_u32(nlh, ROAM_CONN_A_RADDR4, ra);
	mnl_attr_put_u16(nlh, ROAM_CONN_A_RPORT, rp);
	mnl_attr_nest_end(nlh, nest);
	ret = genl_doit(&cli->gs, nlh, no_reply, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot delete the connection");
	return CLI_OK;
}

static int conn_flush(struct cli *cli, int argc, char **argv)
{
	bool server, client;
	int ret;

	ret = which_table(cli, argc, argv, &server, &client);
	if (ret != CLI_OK)
		return ret;
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	if (server) {
		ret = genl_doit(&cli->gs, cli_req(cli, ROAM_CMD_CONN_FLUSH), no_reply, NULL);
		if (ret < 0)
			return cli_error(cli, ret, "cannot flush the server connections");
	}
	if (client) {
		ret = genl_doit(&cli->gs, cli_req(cli, ROAM_CMD_CCONN_FLUSH), no_reply, NULL);
		if (ret < 0)
			return cli_error(cli, ret, "cannot flush the client connections");
	}
	return CLI_OK;
}

static const struct cli_cmd mig_cmds[] = {
	{ "show", mig_show, "print the handoff settings (client id, pool, ports, roles, table sizes)" },
	{ "set", mig_set, "[client-id N] [key-file FILE] [pool A,B|none] [ports P,Q|all] [client on|off] [server on|off] [server-ports P,Q|all] [conn-max N]" },
	{ NULL, NULL, NULL }
};

int roamctl_migrate(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, mig_cmds, argc, argv);
}

static const struct cli_cmd conn_cmds[] = {
	{ "show", conn_show, "[server|client]: the handoff's connection tables" },
	{ "del", conn_del, "LADDR:LPORT RADDR:RPORT: forget a server connection" },
	{ "flush", conn_flush, "[server|client]: forget every connection" },
	{ NULL, NULL, NULL }
};

int roamctl_conn(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, conn_cmds, argc, argv);
}
