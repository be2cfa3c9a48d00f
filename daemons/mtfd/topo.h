/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gateway graph of mtfd and the k shortest paths on it (MTF paper,
 * section 3.2 and 4.2): the victim's gateway R3 looks for the other
 * shortest paths to the attack's origin and warns the gateway nearest the
 * attacker on each (R4 in the paper's Figure 5).
 *
 * Nodes are MTF gateways, named by their router address; edges are links
 * with an integer weight (default 1).  Stub networks (prefixes) hang off
 * the gateways that serve them, one or more (multihomed); they are never
 * transit, so the paths igraph searches run over gateways only and a path
 * to a stub is a path to one of its gateways plus that attachment.
 * Built from a topology file (Documentation/mtfd-topology.md), from the
 * API, and from recorded paths.  Paths come from igraph's Yen
 * (igraph_get_k_shortest_paths), on a pruned graph when it is large
 * (prune_above); the igraph graph is rebuilt only after a change, and
 * paths are cached per (from, to, k) until the next change.
 *
 * Functions return 0 or a count, or a negative errno.  Not thread-safe.
 * topo_new() sets igraph's error handler to igraph_error_handler_ignore
 * (process-wide): igraph's default aborts.
 */
#ifndef MTFD_TOPO_H
#define MTFD_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * A packet records at most MTF_CTL_SLOTS_MAX gateways (the paper's 15
 * hops, then it is dropped): a longer path cannot carry the attack, so
 * paths of more gateways are not returned.
 */
#define TOPO_PATH_MAX		MTF_CTL_SLOTS_MAX
#define TOPO_K_MAX		16
#define TOPO_WEIGHT_MAX		1000000u
#define TOPO_NAME_MAX		63

struct topo;

struct topo_limits {
	unsigned int max_gateways;	/* 1,000,000 */
	unsigned int max_links;		/* 4,000,000 */
	unsigned int max_prefixes;	/* 1,000,000 */
	unsigned int max_homes;		/* gateway-prefix attachments, 2,000,000 */
	unsigned int cache_entries;	/* cached path sets, 1024; 0: no cache */
	unsigned int max_origin_gws;	/* gateways searched per query, 64 (1..64) */
	/*
	 * Over this many gateways (1024; 0: always) Yen runs on the part of
	 * the graph that can hold the k shortest paths, not on all of it:
	 * the gateways u with d(from, u) + d(u, to) <= d(from, to) + slack,
	 * the slack grown until the k-th path found costs no more than
	 * d(from, to) + slack (then no path outside is cheaper: exact).
	 */
	unsigned int prune_above;
};

struct topo_path {
	uint64_t cost;			/* sum of the link weights */
	unsigned int len;		/* gateways, from first to last */
	struct mtf_ctl_addr hop[TOPO_PATH_MAX];
};

struct topo_query {
	const struct mtf_ctl_addr *self;	/* the victim's gateway, R3 */
	const struct mtf_ctl_addr *attack_gw;	/* R1, first of the recorded path */
	const struct mtfd_prefix *src;		/* attack source; NULL: unknown */
	/* The recorded gateways, R1 first (self last or omitted); may be NULL. */
	const struct mtf_ctl_addr *path;
	unsigned int path_len;
	unsigned int k;			/* paths considered, the attack's included */
	bool truncated;			/* out: origin had more than max_origin_gws */
};

struct topo_stats {
	unsigned int gateways, links, prefixes, homes;
	uint64_t rebuilds;		/* igraph graph built */
	uint64_t cache_hits, cache_misses;
	uint64_t long_paths;		/* paths dropped: over TOPO_PATH_MAX */
	uint64_t pruned;		/* searches on a pruned graph, */
	uint64_t pruned_vertices;	/* the gateways they kept, */
	uint64_t pruned_rounds;		/* and the slack rounds they took */
	size_t cache_bytes;
	size_t mem_bytes;		/* this module's allocations, igraph's estimated */
};

void topo_limits_default(struct topo_limits *l);
/* @l NULL: defaults.  NULL when out of memory. */
struct topo *topo_new(const struct topo_limits *l);
void topo_free(struct topo *t);

/* @name may be NULL (then the address is the name).  -EEXIST, -ENOSPC. */
int topo_add_gateway(struct topo *t, const char *name, const struct mtf_ctl_addr *a);
/* Weight 1..TOPO_WEIGHT_MAX.  -ENOENT (unknown gateway), -EEXIST, -EINVAL. */
int topo_add_link(struct topo *t, const struct mtf_ctl_addr *a,
		  const struct mtf_ctl_addr *b, unsigned int weight);
/* @gw serves @p (again for another gateway: multihomed).  -ENOENT, -EEXIST. */
int topo_add_prefix(struct topo *t, const struct mtf_ctl_addr *gw,
		    const struct mtfd_prefix *p, unsigned int weight);

/*
 * A path the victim reported (@n routers, in either order): unknown
 * routers become gateways, adjacent ones linked (weight 1) unless already.
 * Links added, or -E2BIG (@n > TOPO_PATH_MAX), -EINVAL, -ENOSPC (nothing
 * added).
 */
int topo_learn_path(struct topo *t, const struct mtf_ctl_addr *routers, unsigned int n);

/*
 * Statements added to @t; on error -EINVAL (or -ENOSPC, -ENOMEM, errno of
 * the file) with "FILE:LINE: message" in @err, and @t holds the lines
 * before the bad one (callers discard it).  @name labels the messages.
 */
int topo_load_file(struct topo *t, const char *path, char *err, size_t errlen);
int topo_load_buf(struct topo *t, const char *buf, size_t len, const char *name,
		  char *err, size_t errlen);

/*
 * The k (1..TOPO_K_MAX) shortest loopless paths @from .. @to, cheapest
 * first: the count written to @out (at most @out_max), -ENOENT, -EINVAL.
 */
int topo_k_paths(struct topo *t, const struct mtf_ctl_addr *from,
		 const struct mtf_ctl_addr *to, unsigned int k,
		 struct topo_path *out, unsigned int out_max);

/*
 * The gateways to warn (the paper's R4s).  The origin is the stub
 * networks behind R1 that hold @src (the longest such prefix, or those
 * inside @src); when @src is NULL or none of R1's does (unknown or
 * spoofed), every stub behind R1.  For each origin stub, the k cheapest
 * loopless paths from self to it (ties: the recorded path first, then
 * those through R1); on each, the last gateway before the stub, except
 * R1 and self, deduplicated, nearest first.  Returns how many there are
 * (as snprintf: more than @out_max means @out was too small), or -ENOENT
 * (self or R1 unknown), -EINVAL.  R1 without stubs: 0.
 */
int topo_warn_targets(struct topo *t, struct topo_query *q,
		      struct mtf_ctl_addr *out, unsigned int out_max);

void topo_get_stats(const struct topo *t, struct topo_stats *s);

#endif
