// SPDX-License-Identifier: GPL-2.0
/*
 * roamctl client | threat | auth: authd's administration, through its
 * admin socket and the library in lib/admin.h (the same calls
 * authd-admin makes).  No kernel involved:
 *
 *   roamctl client add NAME [dir DIR] [socket PATH]
 *   roamctl client revoke NAME [socket PATH]
 *   roamctl client list [socket PATH]
 *   roamctl threat low|high [socket PATH]
 *   roamctl auth status [socket PATH]
 *
 * The socket is PATH, else $ROAM_ADMIN_SOCK, else ROAM_ADMIN_SOCK
 * (/run/roam/authd.sock).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roamctl.h"
#include "admin.h"
#include "parse.h"
#include "schedule.h"

struct admin_args {
	const char *name;	/* the one positional word, if any */
	const char *dir;
	const char *sock;
};

/* [WORD] followed by keyword pairs from `allowed` ("dir", "socket"). */
static int admin_args(struct cli *cli, int argc, char **argv, bool want_word,
		      bool allow_dir, struct admin_args *a)
{
	int i = 0;

	*a = (struct admin_args){ .dir = "." };
	a->sock = getenv("ROAM_ADMIN_SOCK");
	if (!a->sock || !a->sock[0])
		a->sock = ROAM_ADMIN_SOCK;
	if (want_word) {
		if (argc < 1)
			return cli_usage_error(cli, "missing argument");
		a->name = argv[i++];
	}
	for (; i < argc; i += 2) {
		if (i + 1 >= argc)
			return cli_usage_error(cli, "'%s' needs a value", argv[i]);
		if (!strcmp(argv[i], "socket"))
			a->sock = argv[i + 1];
		else if (allow_dir && !strcmp(argv[i], "dir"))
			a->dir = argv[i + 1];
		else
			return cli_usage_error(cli, "unexpected argument '%s'", argv[i]);
	}
	return CLI_OK;
}

static int admin_fail(const char *err)
{
	fprintf(stderr, "roamctl: %s\n", err);
	return CLI_ERR;
}

static int client_add(struct cli *cli, int argc, char **argv)
{
	struct admin_args a;
	char err[512];
	int ret = admin_args(cli, argc, argv, true, true, &a);

	if (ret != CLI_OK)
		return ret;
	if (roam_admin_client_add(a.sock, a.name, a.dir, err, sizeof(err)))
		return admin_fail(err);
	out_str(&cli->out, "client", a.name);
	out_str(&cli->out, "dir", a.dir);
	out_str(&cli->out, "result", "added: NAME.key (0600), NAME.crt and ca.crt written");
	return cli_flush(cli);
}

/* The client made NAME.key and NAME.csr in DIR; authd signs the request. */
static int client_enrol(struct cli *cli, int argc, char **argv)
{
	struct admin_args a;
	char err[512];
	int ret = admin_args(cli, argc, argv, true, true, &a);

	if (ret != CLI_OK)
		return ret;
	if (roam_admin_client_enrol(a.sock, a.name, a.dir, err, sizeof(err)))
		return admin_fail(err);
	out_str(&cli->out, "client", a.name);
	out_str(&cli->out, "dir", a.dir);
	out_str(&cli->out, "result", "enrolled: NAME.crt and ca.crt written (the key stays the client's)");
	return cli_flush(cli);
}

static int client_renew(struct cli *cli, int argc, char **argv)
{
	struct admin_args a;
	char err[512];
	int ret = admin_args(cli, argc, argv, true, true, &a);

	if (ret != CLI_OK)
		return ret;
	if (roam_admin_client_renew(a.sock, a.name, a.dir, err, sizeof(err)))
		return admin_fail(err);
	out_str(&cli->out, "client", a.name);
	out_str(&cli->out, "dir", a.dir);
	out_str(&cli->out, "result", "renewed: new NAME.key (0600) and NAME.crt written");
	return cli_flush(cli);
}

static int client_revoke(struct cli *cli, int argc, char **argv)
{
	struct admin_args a;
	char err[512];
	int ret = admin_args(cli, argc, argv, true, false, &a);

	if (ret != CLI_OK)
		return ret;
	if (roam_admin_client_revoke(a.sock, a.name, err, sizeof(err)))
		return admin_fail(err);
	out_str(&cli->out, "client", a.name);
	out_str(&cli->out, "result", "revoked");
	return cli_flush(cli);
}

/* "NAME active|revoked" lines: text as they are, JSON as a list. */
static int client_list(struct cli *cli, int argc, char **argv)
{
	struct admin_args a;
	char err[512], *lines, *line, *save = NULL, *sp;
	int ret = admin_args(cli, argc, argv, false, false, &a);

	if (ret != CLI_OK)
		return ret;
	if (roam_admin_client_list(a.sock, &lines, err, sizeof(err)))
		return admin_fail(err);
	if (!cli->out.json) {
		fputs(lines, stdout);
		free(lines);
		return fflush(stdout) ? CLI_ERR : CLI_OK;
	}
	out_list_begin(&cli->out);
	for (line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		sp = strchr(line, ' ');
		if (sp)
			*sp++ = 0;
		/* Each element is a fresh root object. */
		out_str(&cli->out, "name", line);
		out_str(&cli->out, "state", sp ? sp : "unknown");
		out_list_elem(&cli->out);
	}
	free(lines);
	return out_list_end(&cli->out, false) ? CLI_ERR : CLI_OK;
}

static const struct cli_cmd client_cmds[] = {
	{ "list", client_list, "list subscribed clients and their state (authd)" },
	{ "add", client_add, "NAME [dir DIR] [socket PATH]: provision a client" },
	{ "enrol", client_enrol, "NAME [dir DIR] [socket PATH]: sign DIR/NAME.csr (the client's own key)" },
	{ "renew", client_renew, "NAME [dir DIR] [socket PATH]: a new key and certificate" },
	{ "revoke", client_revoke, "NAME [socket PATH]: revoke a client at once" },
	{ NULL, NULL, NULL }
};

int roamctl_client(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, client_cmds, argc, argv);
}

int roamctl_threat(struct cli *cli, int argc, char **argv)
{
	struct admin_args a;
	char err[512];
	int level, ret;

	cli->cmds = NULL;
	if (argc < 1 || (level = roam_threat_parse(argv[0])) < 0)
		return cli_usage_error(cli, "usage: roamctl threat low|high [socket PATH]");
	ret = admin_args(cli, argc, argv, true, false, &a);
	if (ret != CLI_OK)
		return ret;
	if (roam_admin_threat(a.sock, level, err, sizeof(err)))
		return admin_fail(err);
	out_str(&cli->out, "threat", roam_threat_name(level));
	return cli_flush(cli);
}

/* "key value" lines; numbers become JSON numbers. */
static int auth_status(struct cli *cli, int argc, char **argv)
{
	struct admin_args a;
	char err[512], *lines, *line, *save = NULL, *val;
	uint64_t v;
	int ret = admin_args(cli, argc, argv, false, false, &a);

	if (ret != CLI_OK)
		return ret;
	if (roam_admin_status(a.sock, &lines, err, sizeof(err)))
		return admin_fail(err);
	for (line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		val = strchr(line, ' ');
		if (!val)
			continue;
		*val++ = 0;
		if (!parse_u64(val, 0, UINT64_MAX, &v))
			out_u64(&cli->out, line, v);
		else
			out_str(&cli->out, line, val);
	}
	free(lines);
	return cli_flush(cli);
}

static const struct cli_cmd auth_cmds[] = {
	{ "status", auth_status, "[socket PATH]: authd's epoch, active server, threat, clients" },
	{ NULL, NULL, NULL }
};

int roamctl_auth(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, auth_cmds, argc, argv);
}
