/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MTFCTL_H
#define MTFCTL_H

#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/mtf.h>

#include "cli.h"
#include "stats.h"
#include "status.h"

int mtfctl_main(int argc, char **argv);

/* status.c */
extern const struct stats_names mtf_stat_names;
/* parses into a struct genl_status */
int mtf_status_parse(const struct nlmsghdr *nlh, void *status);
int mtfctl_status(struct cli *cli, int argc, char **argv);

/*
 * args.c: argument parsers shared by the command line and batch files.
 * They return 0, or -EINVAL with the reason in an mtf_perr: the command
 * line turns it into a usage error, a batch into "FILE:LINE: reason".
 */
struct mtf_perr {
	char msg[192];
};

int mtf_perr(struct mtf_perr *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int mtf_parse_ip4(const char *s, uint32_t *be, const char *what,
		  struct mtf_perr *e);
int mtf_parse_prefix4(const char *s, uint32_t *be, uint8_t *plen,
		      struct mtf_perr *e);
int mtf_parse_mark(const char *s, uint32_t *be, struct mtf_perr *e);
int mtf_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v,
		  const char *what, struct mtf_perr *e);
int mtf_parse_ms(const char *s, uint32_t *ms, const char *what,
		 struct mtf_perr *e);
int mtf_parse_rate(const char *s, bool bits, uint64_t *v, struct mtf_perr *e);
int mtf_parse_onoff(const char *s, bool *on, const char *what,
		    struct mtf_perr *e);
int mtf_parse_key(const char *s, uint8_t *key, struct mtf_perr *e);
int mtf_parse_cookie(const char *s, uint8_t *cookie, uint8_t *len,
		     struct mtf_perr *e);
/* buf: at least MTF_COOKIE_HEX bytes */
#define MTF_COOKIE_HEX	(2 * MTF_FILTER_COOKIE_MAX + 1)
const char *mtf_fmt_cookie(const uint8_t *cookie, unsigned int len, char *buf);
const char *mtf_fmt_ip4(uint32_t be, char *buf);
const char *mtf_fmt_rate(uint64_t v, const char *unit, bool exact,
			 char *buf, size_t len);
const char *mtf_fmt_ms(uint64_t ms, char *buf, size_t len);
int mtfctl_usage(struct cli *cli, const struct mtf_perr *e);

/*
 * slots.c: slot lists, oldest router first, in the form of the path
 * header (addresses and marks in network order).
 */
struct mtf_slot {
	bool v6;
	uint8_t addr[16];	/* IPv4 in the first 4 bytes */
	uint32_t mark;		/* network order */
};

struct mtf_slots {
	unsigned int n;
	struct mtf_slot s[MTF_MAX_SLOTS];
};

int mtf_parse_slots(const char *s, struct mtf_slots *sl, struct mtf_perr *e);
int mtf_slots_put(struct nlmsghdr *nlh, size_t size, uint16_t type,
		  const struct mtf_slots *sl);
int mtf_slots_parse(const struct nlattr *nest, struct mtf_slots *sl);
void mtf_slots_print(FILE *fp, const struct mtf_slots *sl, const char *sep);
void mtf_slots_out(struct out *o, const char *key, const struct mtf_slots *sl);

/* Which attributes of a nest were present: bit (1 << attribute type). */
#define MTF_HAS(ent, attr)	(!!((ent)->has & (1u << (attr))))

/* config.c */
struct mtf_cfg {
	uint32_t has;
	uint32_t router_addr;	/* network order */
	uint8_t slots, suffix_len, account_local, enable, hooks;
	uint32_t path_new_rate, path_new_burst;
	uint32_t key_grace_ms, path_max, path_rate_thresh, filter_max;
	uint32_t filter_timeout_ms, paths, filters, key_id;
};

int mtf_cfg_parse_nest(const struct nlattr *nest, struct mtf_cfg *c);
int mtf_cfg_parse(const struct nlmsghdr *nlh, void *cfg);
int mtf_cfg_args(int argc, char **argv, struct mtf_cfg *c, struct mtf_perr *e);
int mtf_cfg_put(struct nlmsghdr *nlh, const struct mtf_cfg *c);
void mtf_cfg_out(struct out *o, const struct mtf_cfg *c);
int mtfctl_config(struct cli *cli, int argc, char **argv);

/* dev.c */
struct mtf_dev {
	uint32_t has;
	uint32_t ifindex, flags, mask;
	char ifname[IF_NAMESIZE];
};

struct mtf_path_ent;
struct mtf_filter_ent;

/* Per-entry consumer of a dump or event parser; returns 0 or -errno. */
struct mtf_dump {
	int (*dev)(void *arg, const struct mtf_dev *d);
	int (*path)(void *arg, const struct mtf_path_ent *p);
	int (*filter)(void *arg, const struct mtf_filter_ent *f);
	void *arg;
	unsigned long n;	/* entries seen */
	bool intr;		/* NLM_F_DUMP_INTR: the table changed meanwhile */
};

int mtf_dev_parse_nest(const struct nlattr *nest, struct mtf_dev *d);
int mtf_dump_parse(const struct nlmsghdr *nlh, void *dump);
void mtf_dump_warn(struct cli *cli, const struct mtf_dump *d);
int mtf_dev_args(int argc, char **argv, struct mtf_dev *d, struct mtf_perr *e);
void mtf_dev_print(FILE *fp, const struct mtf_dev *d);
void mtf_dev_out(struct out *o, const struct mtf_dev *d);
int mtfctl_dev(struct cli *cli, int argc, char **argv);

/* key.c */
struct mtf_mark {
	bool has_mark, has_prev;
	uint32_t mark, prev;	/* host order */
};

int mtf_key_file(const char *path, uint8_t *key, struct mtf_perr *e);
int mtf_mark_parse(const struct nlmsghdr *nlh, void *mark);
int mtfctl_key(struct cli *cli, int argc, char **argv);
int mtfctl_mark(struct cli *cli, int argc, char **argv);

/* path.c */
struct mtf_path_ent {
	uint32_t has;
	struct mtf_slots slots;
	bool suffix;
	uint32_t dst;		/* network order */
	uint64_t packets, bytes, rate_pps, rate_bps, first_ms, last_ms;
};

int mtf_path_parse_nest(const struct nlattr *nest, struct mtf_path_ent *p);
void mtf_path_print(FILE *fp, const struct mtf_path_ent *p);
void mtf_path_out(struct out *o, const struct mtf_path_ent *p);
int mtfctl_path(struct cli *cli, int argc, char **argv);

/* filter.c */
struct mtf_filter_ent {
	uint32_t has;
	struct mtf_slots slots;
	uint32_t src, dst;	/* network order */
	uint8_t src_plen, action;
	uint64_t rate_pps, rate_bps;
	uint32_t timeout_ms;
	uint64_t expires_ms, hits, bytes, drops;
	bool replace;		/* per message (MTF_A_REPLACE), not per entry */
	/* Unmarked filters (has MTF_FILTER_A_IIF): the interface, by index
	 * or by a name resolved when the entry is sent. */
	uint32_t iif;
	char ifname[IF_NAMESIZE];
	/* Origin: MTF_FILTER_A_OWNER, MTF_FILTER_A_COOKIE (1..32 bytes). */
	uint32_t owner;
	uint8_t cookie_len;
	uint8_t cookie[MTF_FILTER_COOKIE_MAX];
};

int mtf_filter_args(int argc, char **argv, bool del, struct mtf_filter_ent *f,
		    struct mtf_perr *e);
int mtf_filter_put(struct nlmsghdr *nlh, size_t size,
		   const struct mtf_filter_ent *f);
int mtf_filter_parse_nest(const struct nlattr *nest, struct mtf_filter_ent *f);
void mtf_filter_print(FILE *fp, const struct mtf_filter_ent *f);
void mtf_filter_out(struct out *o, const struct mtf_filter_ent *f);
int mtfctl_filter(struct cli *cli, int argc, char **argv);

/* request.c: mtfd's admin socket */
int mtfctl_request(struct cli *cli, int argc, char **argv);
int mtfctl_peer(struct cli *cli, int argc, char **argv);

/*
 * batch.c: FILTER_ADD/DEL entries packed into messages of at most
 * MTF_BATCH_MSG_MAX bytes, each sent and acknowledged before the next.
 */
#define MTF_BATCH_MSG_MAX	32768
#define MTF_BATCH_MAX_ENTRIES	1024	/* a bound: entries are >= 36 bytes */

struct mtf_batch {
	/* Sends one message and waits for its ACK; tests replace it. */
	int (*xmit)(struct mtf_batch *b, struct nlmsghdr *nlh);
	void *xmit_arg;
	uint16_t fam_id;
	uint8_t version;
	size_t limit;			/* message size, <= MTF_BATCH_MSG_MAX */
	struct nlmsghdr *nlh;		/* open message, or NULL */
	uint8_t cmd;
	bool replace;
	unsigned int n;			/* entries in the open message */
	uint32_t off[MTF_BATCH_MAX_ENTRIES];	/* each entry's nest offset */
	unsigned long line[MTF_BATCH_MAX_ENTRIES];
	int32_t err_off;		/* set by xmit: extack offset or -1 */
	unsigned long err_line, err_line_last;	/* the failing line(s) */
	unsigned long msgs, entries;	/* sent and acknowledged */
	char buf[MTF_BATCH_MSG_MAX] __attribute__((aligned(8)));
};

void mtf_batch_init(struct mtf_batch *b, uint16_t fam_id, uint8_t version);
int mtf_batch_add(struct mtf_batch *b, uint8_t cmd,
		  const struct mtf_filter_ent *f, unsigned long line);
int mtf_batch_flush(struct mtf_batch *b);
int mtfctl_batch_entry(struct cli *cli, uint8_t cmd,
		       const struct mtf_filter_ent *f);
int mtfctl_filter_file(struct cli *cli, uint8_t cmd, const char *path);
int mtfctl_batch_line(struct cli *cli, int argc, char **argv);

/* monitor.c */
int mtfctl_monitor(struct cli *cli, int argc, char **argv);

#endif
