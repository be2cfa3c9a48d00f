// SPDX-License-Identifier: GPL-2.0
/*
 * authd-admin: a thin command line over the admin library (admin.h),
 * showing roamctl how to call it.  Exit 0 ok, 1 failed, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "parse.h"
#include "schedule.h"

/* Asked for (-h): stdout, exit 0; a usage error: stderr, exit 2. */
static int usage(bool asked)
{
	fprintf(asked ? stdout : stderr,
		"usage: authd-admin [-s SOCKET] client add NAME [-o DIR]\n"
		"       authd-admin [-s SOCKET] client renew NAME [-o DIR]\n"
		"       authd-admin [-s SOCKET] client revoke NAME\n"
		"       authd-admin [-s SOCKET] client list\n"
		"       authd-admin [-s SOCKET] threat low|high\n"
		"       authd-admin [-s SOCKET] threat high LEASE_MS\n"
		"       authd-admin [-s SOCKET] status\n");
	return asked ? 0 : 2;
}

static int show(int ret, char *lines, const char *err)
{
	if (ret) {
		fprintf(stderr, "authd-admin: %s\n", err);
		return 1;
	}
	fputs(lines, stdout);
	free(lines);
	return 0;
}

int main(int argc, char **argv)
{
	const char *sock = getenv("ROAM_ADMIN_SOCK"), *dir = ".";
	char err[512], *lines = NULL;
	int o, ret, level;

	if (!sock)
		sock = ROAM_ADMIN_SOCK;
	while ((o = getopt(argc, argv, "+s:h")) != -1) {
		if (o == 's')
			sock = optarg;
		else
			return usage(o == 'h');
	}
	argc -= optind;
	argv += optind;
	if (argc == 1 && !strcmp(argv[0], "status")) {
		ret = roam_admin_status(sock, &lines, err, sizeof(err));
		return show(ret, lines, err);
	}
	if (argc == 2 && !strcmp(argv[0], "threat")) {
		level = roam_threat_parse(argv[1]);
		if (level < 0)
			return usage(false);
		ret = roam_admin_threat(sock, level, err, sizeof(err));
	} else if (argc == 3 && !strcmp(argv[0], "threat") && !strcmp(argv[1], "high")) {
		uint32_t v;

		if (parse_u32(argv[2], 0, UINT32_MAX, &v))
			return usage(false);
		/* authd judges the range: one place for the limit. */
		ret = roam_admin_threat_lease(sock, v, err, sizeof(err));
	} else if (argc == 2 && !strcmp(argv[0], "client") && !strcmp(argv[1], "list")) {
		ret = roam_admin_client_list(sock, &lines, err, sizeof(err));
		return show(ret, lines, err);
	} else if (argc == 3 && !strcmp(argv[0], "client") && !strcmp(argv[1], "revoke")) {
		ret = roam_admin_client_revoke(sock, argv[2], err, sizeof(err));
	} else if ((argc == 3 || (argc == 5 && !strcmp(argv[3], "-o"))) &&
		   !strcmp(argv[0], "client") &&
		   (!strcmp(argv[1], "add") || !strcmp(argv[1], "renew"))) {
		if (argc == 5)
			dir = argv[4];
		ret = (argv[1][0] == 'a' ? roam_admin_client_add : roam_admin_client_renew)(
			sock, argv[2], dir, err, sizeof(err));
		if (!ret)
			printf("wrote %s/%s.key, %s/%s.crt and %s/ca.crt\n", dir, argv[2],
			       dir, argv[2], dir);
	} else {
		return usage(false);
	}
	if (ret) {
		fprintf(stderr, "authd-admin: %s\n", err);
		return 1;
	}
	return 0;
}
