/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inside of struct topo, shared by topo.c (graph, paths) and
 * topo-file.c (the topology file).  Not for the rest of mtfd.
 */
#ifndef MTFD_TOPO_INT_H
#define MTFD_TOPO_INT_H

#include <igraph.h>

#include "topo.h"

#define TOPO_NONE	UINT32_MAX

struct topo_gw {
	struct mtf_ctl_addr addr;
	uint32_t first_home;		/* prefixes it serves: a list of homes */
	char *name;
};

struct topo_link {
	uint32_t a, b;			/* gateway ids, a < b */
	uint32_t w;
};

struct topo_stub {
	struct mtfd_prefix p;
	uint32_t first_home;		/* gateways serving it */
};

/* A gateway serving a prefix, on the lists of both. */
struct topo_home {
	uint32_t gw, stub, w;
	uint32_t next_gw, next_stub;
};

/* Ids, TOPO_NONE when empty; at most half full. */
struct htab {
	uint32_t *slot;
	size_t mask, n;
};

struct topo_cpath {
	uint64_t cost;
	uint32_t len;
	uint32_t v[TOPO_PATH_MAX];
};

/* The k shortest paths from -> to as of generation gen. */
struct topo_centry {
	bool valid;
	uint8_t k, npaths;
	uint32_t from, to;
	uint64_t gen;
	struct topo_cpath path[TOPO_K_MAX];
};

struct topo {
	struct topo_limits lim;
	struct topo_gw *gw;
	struct topo_link *link;
	struct topo_stub *stub;
	struct topo_home *home;
	uint32_t ngw, nlink, nstub, nhome;
	uint32_t gw_cap, link_cap, stub_cap, home_cap;
	struct htab by_addr, by_name, links, stubs;

	igraph_t g;			/* gateways and links, when built */
	igraph_vector_t w;
	bool built, dirty;
	uint64_t gen;			/* bumped by every change */

	/* With the graph: each gateway's links (CSR), for the pruned search. */
	uint32_t *adj_off, *adj;
	uint32_t *map;			/* gateway -> subgraph vertex, TOPO_NONE */
	igraph_matrix_t dfrom;		/* distances from gateway dfrom_id */
	uint32_t dfrom_id;
	bool dfrom_ok, unit;		/* unit: every weight 1 (BFS) */

	struct topo_centry *cache;	/* lim.cache_entries, direct-mapped */
	struct topo_centry scratch;	/* without a cache */
	uint64_t rebuilds, hits, misses, long_paths;
	uint64_t pruned, pruned_vertices, pruned_rounds;
};

uint32_t topo_gw_find(const struct topo *t, const struct mtf_ctl_addr *a);
uint32_t topo_gw_by_name(const struct topo *t, const char *name);
uint32_t topo_link_find(const struct topo *t, uint32_t a, uint32_t b);
int topo_link_ids(struct topo *t, uint32_t a, uint32_t b, unsigned int weight);
int topo_prefix_id(struct topo *t, uint32_t gw, const struct mtfd_prefix *p,
		   unsigned int weight);
int topo_paths_ids(struct topo *t, uint32_t from, uint32_t to, unsigned int k,
		   const struct topo_centry **res);

#endif
