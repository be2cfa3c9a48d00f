/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line skeleton shared by mtfctl and roamctl:
 *
 *   PROG [OPTIONS] OBJECT [COMMAND [ARGS]]
 *
 * A program is a table of objects; an object usually dispatches to a
 * table of commands whose first row is its default.  New objects and
 * commands are new files plus a table row.
 *
 * Command functions are the CLI edge: they print and return an exit
 * status (CLI_OK, CLI_ERR, CLI_USAGE), never an errno.
 */
#ifndef TOOLS_CLI_H
#define TOOLS_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "genl.h"
#include "out.h"

enum {
	CLI_OK = 0,	/* success */
	CLI_ERR = 1,	/* runtime or kernel error */
	CLI_USAGE = 2,	/* bad command line; usage went to stderr */
	CLI_PASS = -1,	/* batch hook: not mine, run the line as a command */
};

struct cli;

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
	const char *help;
};

struct cli_prog {
	const char *name;		/* "mtfctl" */
	const char *family;		/* generic netlink family */
	const char *module;		/* kernel module providing it */
	uint8_t version;		/* family version this tool speaks */
	const struct cli_cmd *objects;	/* ends with an empty row */
	/*
	 * Optional, for -b: sees each line first and may take it (to send
	 * many lines in one request) or return CLI_PASS; argc 0 at the end
	 * of the file and before any line it passes on, to flush.
	 */
	int (*batch)(struct cli *cli, int argc, char **argv);
};

struct cli {
	const struct cli_prog *prog;
	const char *netns;
	struct out out;
	const char *obj;		/* object running, for usage */
	const struct cli_cmd *cmds;	/* its commands, for usage */
	bool connected;
	const char *batch_name;		/* batch file being read, for errors */
	unsigned long lineno;		/* its line at fault; 0: none */
	void *priv;			/* the program's (a pending batch);
					 * malloc()ed, freed by cli_main() */
	struct genl_family fam;
	struct genl_sock gs;
};

int cli_main(const struct cli_prog *prog, int argc, char **argv);
int cli_dispatch(struct cli *cli, const struct cli_cmd *cmds,
		 int argc, char **argv);
int cli_connect(struct cli *cli);
struct nlmsghdr *cli_req(struct cli *cli, uint8_t cmd);
int cli_flush(struct cli *cli);
int cli_usage_error(struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cli_error(struct cli *cli, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CLI_MAX_WORDS	64
typedef int (*cli_line_fn)(struct cli *cli, int argc, char **argv, void *arg);
int cli_tokenize(char *line, char **argv, int max);
int cli_read_lines(struct cli *cli, const char *path, cli_line_fn fn,
		   void *arg);

#endif
