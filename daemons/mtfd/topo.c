// SPDX-License-Identifier: GPL-2.0
/*
 * The gateway graph and its k shortest paths (topo.h).  Gateways, links,
 * prefixes and their attachments ("homes") live in flat arrays indexed by
 * id, found through open-addressing hash tables of ids; igraph only sees
 * a copy of the gateway graph, rebuilt in one igraph_create() after a
 * change (igraph_add_edges() on each link would copy the graph each
 * time: quadratic over a file of a million links).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <igraph.h>

#include "topo.h"
#include "topo-int.h"

/* ------------------------------------------------------------ tables -- */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
	return h;
}

static uint64_t hash_link(uint32_t a, uint32_t b)
{
	return mix((uint64_t)a << 32 | b);
}

static uint64_t hash_prefix(const struct mtfd_prefix *p)
{
	return mix(mtfd_addr_hash(&p->addr) ^ p->plen);
}

/* The slot holding the id @eq accepts, or the empty slot to put it in. */
static uint32_t *ht_slot(const struct htab *h, uint64_t hash,
			 bool (*eq)(const struct topo *, uint32_t, const void *),
			 const struct topo *t, const void *key)
{
	for (size_t i = hash & h->mask;; i = (i + 1) & h->mask) {
		if (h->slot[i] == TOPO_NONE || eq(t, h->slot[i], key))
			return &h->slot[i];
	}
}

/* Room for one more, at most half full: doubles and re-inserts. */
static int ht_reserve(struct htab *h, const struct topo *t,
		      uint64_t (*hof)(const struct topo *, uint32_t))
{
	size_t cap = h->mask + 1, ncap = cap * 2;
	uint32_t *old = h->slot;

	if ((h->n + 1) * 2 <= cap)
		return 0;
	h->slot = malloc(ncap * sizeof(*h->slot));
	if (!h->slot) {
		h->slot = old;
		return -ENOMEM;
	}
	memset(h->slot, 0xff, ncap * sizeof(*h->slot));
	h->mask = ncap - 1;
	for (size_t i = 0; i < cap; i++) {
		size_t j;

		if (old[i] == TOPO_NONE)
			continue;
		for (j = hof(t, old[i]) & h->mask; h->slot[j] != TOPO_NONE;
		     j = (j + 1) & h->mask)
			;
		h->slot[j] = old[i];
	}
	free(old);
	return 0;
}

static int ht_init(struct htab *h)
{
	h->mask = 15;
	h->n = 0;
	h->slot = malloc(16 * sizeof(*h->slot));
	if (!h->slot)
		return -ENOMEM;
	memset(h->slot, 0xff, 16 * sizeof(*h->slot));
	return 0;
}

static bool eq_addr(const struct topo *t, uint32_t id, const void *key)
{
	return !mtfd_addr_cmp(&t->gw[id].addr, key);
}

static bool eq_name(const struct topo *t, uint32_t id, const void *key)
{
	return !strcmp(t->gw[id].name, key);
}

static bool eq_link(const struct topo *t, uint32_t id, const void *key)
{
	const uint32_t *ab = key;

	return t->link[id].a == ab[0] && t->link[id].b == ab[1];
}

static bool eq_prefix(const struct topo *t, uint32_t id, const void *key)
{
	const struct mtfd_prefix *p = key;

	return t->stub[id].p.plen == p->plen && !mtfd_addr_cmp(&t->stub[id].p.addr, &p->addr);
}

static uint64_t hof_addr(const struct topo *t, uint32_t id)
{
	return mix(mtfd_addr_hash(&t->gw[id].addr));
}

static uint64_t hof_name(const struct topo *t, uint32_t id)
{
	return mix(hash_str(t->gw[id].name));
}

static uint64_t hof_link(const struct topo *t, uint32_t id)
{
	return hash_link(t->link[id].a, t->link[id].b);
}

static uint64_t hof_prefix(const struct topo *t, uint32_t id)
{
	return hash_prefix(&t->stub[id].p);
}

/* Room for @need elements of @size in *@p (capacity *@cap). */
static int reserve(void **p, uint32_t *cap, uint32_t need, size_t size)
{
	uint32_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap < 16 ? 16 : *cap;
	while (ncap < need)
		ncap = ncap > UINT32_MAX / 2 ? need : ncap * 2;
	np = realloc(*p, (size_t)ncap * size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

/* ------------------------------------------------------------ lookups -- */

uint32_t topo_gw_find(const struct topo *t, const struct mtf_ctl_addr *a)
{
	return *ht_slot(&t->by_addr, mix(mtfd_addr_hash(a)), eq_addr, t, a);
}

uint32_t topo_gw_by_name(const struct topo *t, const char *name)
{
	return *ht_slot(&t->by_name, mix(hash_str(name)), eq_name, t, name);
}

uint32_t topo_link_find(const struct topo *t, uint32_t a, uint32_t b)
{
	uint32_t ab[2] = { a < b ? a : b, a < b ? b : a };

	return *ht_slot(&t->links, hash_link(ab[0], ab[1]), eq_link, t, ab);
}

static uint32_t stub_find(const struct topo *t, const struct mtfd_prefix *p)
{
	return *ht_slot(&t->stubs, hash_prefix(p), eq_prefix, t, p);
}

/* ------------------------------------------------------------ building -- */

static void changed(struct topo *t)
{
	t->dirty = true;
	t->gen++;
}

void topo_limits_default(struct topo_limits *l)
{
	l->max_gateways = 1000000;
	l->max_links = 4000000;
	l->max_prefixes = 1000000;
	l->max_homes = 2000000;
	l->cache_entries = 1024;
	l->max_origin_gws = 64;
	l->prune_above = 1024;
}

struct topo *topo_new(const struct topo_limits *l)
{
	struct topo *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (l)
		t->lim = *l;
	else
		topo_limits_default(&t->lim);
	if (t->lim.cache_entries) {
		t->cache = calloc(t->lim.cache_entries, sizeof(*t->cache));
		if (!t->cache)
			goto fail;
	}
	if (ht_init(&t->by_addr) || ht_init(&t->by_name) ||
	    ht_init(&t->links) || ht_init(&t->stubs))
		goto fail;
	igraph_set_error_handler(igraph_error_handler_ignore);
	igraph_set_warning_handler(igraph_warning_handler_ignore);
	t->dirty = true;
	return t;
fail:
	topo_free(t);
	return NULL;
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	if (t->built) {
		igraph_destroy(&t->g);
		igraph_vector_destroy(&t->w);
	}
	if (t->dfrom_ok)
		igraph_matrix_destroy(&t->dfrom);
	free(t->adj_off);
	free(t->adj);
	free(t->map);
	for (uint32_t i = 0; i < t->ngw; i++)
		free(t->gw[i].name);
	free(t->gw);
	free(t->link);
	free(t->stub);
	free(t->home);
	free(t->by_addr.slot);
	free(t->by_name.slot);
	free(t->links.slot);
	free(t->stubs.slot);
	free(t->cache);
	free(t);
}

int topo_add_gateway(struct topo *t, const char *name, const struct mtf_ctl_addr *a)
{
	char abuf[MTFD_ADDRSTRLEN];
	uint32_t *sa, *sn, id = t->ngw;
	struct topo_gw *g;
	int err;

	if (!mtfd_addr_valid(a) || (name && (!*name || strlen(name) > TOPO_NAME_MAX)))
		return -EINVAL;
	if (!name)
		name = mtfd_addr_str(a, abuf, sizeof(abuf));
	if (topo_gw_find(t, a) != TOPO_NONE || topo_gw_by_name(t, name) != TOPO_NONE)
		return -EEXIST;
	if (t->ngw >= t->lim.max_gateways)
		return -ENOSPC;
	err = reserve((void **)&t->gw, &t->gw_cap, id + 1, sizeof(*t->gw));
	if (!err)
		err = ht_reserve(&t->by_addr, t, hof_addr);
	if (!err)
		err = ht_reserve(&t->by_name, t, hof_name);
	if (err)
		return err;
	g = &t->gw[id];
	g->name = strdup(name);
	if (!g->name)
		return -ENOMEM;
	g->addr = *a;
	g->first_home = TOPO_NONE;
	t->ngw++;
	sa = ht_slot(&t->by_addr, mix(mtfd_addr_hash(a)), eq_addr, t, a);
	*sa = id;
	sn = ht_slot(&t->by_name, mix(hash_str(name)), eq_name, t, name);
	*sn = id;
	t->by_addr.n++;
	t->by_name.n++;
	changed(t);
	return 0;
}

int topo_link_ids(struct topo *t, uint32_t a, uint32_t b, unsigned int weight)
{
	uint32_t ab[2] = { a < b ? a : b, a < b ? b : a }, *s;
	int err;

	if (a == b || !weight || weight > TOPO_WEIGHT_MAX)
		return -EINVAL;
	if (topo_link_find(t, a, b) != TOPO_NONE)
		return -EEXIST;
	if (t->nlink >= t->lim.max_links)
		return -ENOSPC;
	err = reserve((void **)&t->link, &t->link_cap, t->nlink + 1, sizeof(*t->link));
	if (!err)
		err = ht_reserve(&t->links, t, hof_link);
	if (err)
		return err;
	t->link[t->nlink] = (struct topo_link){ ab[0], ab[1], weight };
	s = ht_slot(&t->links, hash_link(ab[0], ab[1]), eq_link, t, ab);
	*s = t->nlink++;
	t->links.n++;
	changed(t);
	return 0;
}

int topo_add_link(struct topo *t, const struct mtf_ctl_addr *a,
		  const struct mtf_ctl_addr *b, unsigned int weight)
{
	uint32_t ia = topo_gw_find(t, a), ib = topo_gw_find(t, b);

	if (ia == TOPO_NONE || ib == TOPO_NONE)
		return -ENOENT;
	return topo_link_ids(t, ia, ib, weight);
}

int topo_prefix_id(struct topo *t, uint32_t gw, const struct mtfd_prefix *p,
		   unsigned int weight)
{
	uint32_t sid = stub_find(t, p), *s;
	struct topo_home *h;
	int err;

	if (!weight || weight > TOPO_WEIGHT_MAX || !mtfd_addr_valid(&p->addr))
		return -EINVAL;
	if (sid != TOPO_NONE) {
		for (uint32_t i = t->stub[sid].first_home; i != TOPO_NONE; i = t->home[i].next_stub)
			if (t->home[i].gw == gw)
				return -EEXIST;
	} else if (t->nstub >= t->lim.max_prefixes) {
		return -ENOSPC;
	}
	if (t->nhome >= t->lim.max_homes)
		return -ENOSPC;
	err = reserve((void **)&t->home, &t->home_cap, t->nhome + 1, sizeof(*t->home));
	if (err)
		return err;
	if (sid == TOPO_NONE) {
		err = reserve((void **)&t->stub, &t->stub_cap, t->nstub + 1, sizeof(*t->stub));
		if (!err)
			err = ht_reserve(&t->stubs, t, hof_prefix);
		if (err)
			return err;
		sid = t->nstub++;
		t->stub[sid] = (struct topo_stub){ *p, TOPO_NONE };
		s = ht_slot(&t->stubs, hash_prefix(p), eq_prefix, t, p);
		*s = sid;
		t->stubs.n++;
	}
	h = &t->home[t->nhome];
	*h = (struct topo_home){ gw, sid, weight, t->gw[gw].first_home, t->stub[sid].first_home };
	t->gw[gw].first_home = t->nhome;
	t->stub[sid].first_home = t->nhome++;
	changed(t);
	return 0;
}

int topo_add_prefix(struct topo *t, const struct mtf_ctl_addr *gw,
		    const struct mtfd_prefix *p, unsigned int weight)
{
	uint32_t id = topo_gw_find(t, gw);

	return id == TOPO_NONE ? -ENOENT : topo_prefix_id(t, id, p, weight);
}

int topo_learn_path(struct topo *t, const struct mtf_ctl_addr *r, unsigned int n)
{
	unsigned int new_gw = 0, new_link = 0, added = 0;
	uint32_t id[TOPO_PATH_MAX];

	if (n > TOPO_PATH_MAX)
		return -E2BIG;
	/* Count first: a path that does not fit changes nothing. */
	for (unsigned int i = 0; i < n; i++) {
		if (!mtfd_addr_valid(&r[i]))
			return -EINVAL;
		id[i] = topo_gw_find(t, &r[i]);
		for (unsigned int j = 0; id[i] == TOPO_NONE && j < i; j++)
			if (!mtfd_addr_cmp(&r[i], &r[j]))
				id[i] = TOPO_NONE - 1 - j;	/* seen in this path */
		new_gw += id[i] == TOPO_NONE;
		if (i && mtfd_addr_cmp(&r[i], &r[i - 1]) &&
		    (id[i] >= t->ngw || id[i - 1] >= t->ngw ||
		     topo_link_find(t, id[i], id[i - 1]) == TOPO_NONE))
			new_link++;
	}
	if (new_gw > t->lim.max_gateways - t->ngw || new_link > t->lim.max_links - t->nlink)
		return -ENOSPC;
	for (unsigned int i = 0; i < n; i++) {
		int err = topo_gw_find(t, &r[i]) == TOPO_NONE ?
			  topo_add_gateway(t, NULL, &r[i]) : 0;

		/* A learned address may collide with a file name: "10.0.0.1". */
		if (err)
			return err;
		if (i && mtfd_addr_cmp(&r[i], &r[i - 1])) {
			err = topo_add_link(t, &r[i - 1], &r[i], 1);
			if (err && err != -EEXIST)
				return err;
			added += !err;
		}
	}
	return (int)added;
}

/* ------------------------------------------------------------ paths -- */

/* Each gateway's links, for collecting a pruned subgraph. */
static int build_adj(struct topo *t)
{
	free(t->adj_off);
	free(t->adj);
	free(t->map);
	t->adj_off = calloc((size_t)t->ngw + 1, sizeof(*t->adj_off));
	t->adj = malloc(((size_t)t->nlink * 2 + 1) * sizeof(*t->adj));
	t->map = malloc(((size_t)t->ngw + 1) * sizeof(*t->map));
	if (!t->adj_off || !t->adj || !t->map)
		return -ENOMEM;
	t->unit = true;
	for (uint32_t i = 0; i < t->nlink; i++) {
		t->adj_off[t->link[i].a + 1]++;
		t->adj_off[t->link[i].b + 1]++;
		t->unit &= t->link[i].w == 1;
	}
	for (uint32_t i = 0; i < t->ngw; i++) {
		t->adj_off[i + 1] += t->adj_off[i];
		t->map[i] = t->adj_off[i];	/* a fill cursor, for now */
	}
	for (uint32_t i = 0; i < t->nlink; i++) {
		t->adj[t->map[t->link[i].a]++] = i;
		t->adj[t->map[t->link[i].b]++] = i;
	}
	memset(t->map, 0xff, ((size_t)t->ngw + 1) * sizeof(*t->map));
	return 0;
}

static int build_graph(struct topo *t)
{
	igraph_vector_int_t edges;
	int err = -ENOMEM;

	if (t->built && !t->dirty)
		return 0;
	if (t->built) {
		igraph_destroy(&t->g);
		igraph_vector_destroy(&t->w);
		t->built = false;
	}
	if (t->dfrom_ok) {
		igraph_matrix_destroy(&t->dfrom);
		t->dfrom_ok = false;
	}
	if (igraph_vector_int_init(&edges, 2 * (igraph_integer_t)t->nlink))
		return -ENOMEM;
	if (igraph_vector_init(&t->w, t->nlink))
		goto out;
	for (uint32_t i = 0; i < t->nlink; i++) {
		VECTOR(edges)[2 * i] = t->link[i].a;
		VECTOR(edges)[2 * i + 1] = t->link[i].b;
		VECTOR(t->w)[i] = t->link[i].w;
	}
	if (igraph_create(&t->g, &edges, t->ngw, IGRAPH_UNDIRECTED)) {
		igraph_vector_destroy(&t->w);
		goto out;
	}
	t->built = true;
	err = build_adj(t);
	if (err)
		goto out;
	t->dirty = false;
	t->rebuilds++;
out:
	igraph_vector_int_destroy(&edges);
	return err;
}

static struct topo_centry *cache_slot(struct topo *t, uint32_t from, uint32_t to,
				      unsigned int k)
{
	uint64_t h = mix(((uint64_t)from << 32 | to) ^ ((uint64_t)k << 59));

	return t->lim.cache_entries ? &t->cache[h % t->lim.cache_entries] : NULL;
}

/* Cheapest first; ties by length, then gateway ids: not igraph's order. */
static int cpath_cmp(const void *x, const void *y)
{
	const struct topo_cpath *a = x, *b = y;

	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	for (uint32_t i = 0; i < a->len; i++)
		if (a->v[i] != b->v[i])
			return a->v[i] < b->v[i] ? -1 : 1;
	return 0;
}

/*
 * Yen on @g (the whole graph, or a subgraph whose edge i is link
 * @lids[i]): the edge paths igraph returns, as gateway ids from @from,
 * into @ce.  *@found: how many igraph found, long ones included, and
 * *@maxcost the dearest of them.
 */
static int yen_on(struct topo *t, const igraph_t *g, const igraph_vector_t *w,
		  const uint32_t *lids, uint32_t from, igraph_integer_t lfrom,
		  igraph_integer_t lto, unsigned int k, struct topo_centry *ce,
		  unsigned int *found, uint64_t *maxcost)
{
	igraph_vector_int_list_t ep;
	int err = 0;

	ce->npaths = 0;
	*found = 0;
	*maxcost = 0;
	if (igraph_vector_int_list_init(&ep, 0))
		return -ENOMEM;
	if (igraph_get_k_shortest_paths(g, w, NULL, &ep, k, lfrom, lto, IGRAPH_ALL)) {
		err = -ENOMEM;
		goto out;
	}
	*found = (unsigned int)igraph_vector_int_list_size(&ep);
	for (unsigned int i = 0; i < *found; i++) {
		igraph_vector_int_t *e = igraph_vector_int_list_get_ptr(&ep, i);
		igraph_integer_t ne = igraph_vector_int_size(e);
		struct topo_cpath *p = &ce->path[ce->npaths];
		uint32_t at = from;

		bool fits = ne + 1 <= TOPO_PATH_MAX;

		p->cost = 0;
		p->len = 1;
		p->v[0] = from;
		for (igraph_integer_t j = 0; j < ne; j++) {
			igraph_integer_t eid = VECTOR(*e)[j];
			const struct topo_link *l = &t->link[lids ? lids[eid] : (uint32_t)eid];

			at = l->a == at ? l->b : l->a;
			if (fits)
				p->v[p->len++] = at;
			p->cost += l->w;
		}
		if (p->cost > *maxcost)
			*maxcost = p->cost;
		if (fits)
			ce->npaths++;
		else
			t->long_paths++;
	}
	qsort(ce->path, ce->npaths, sizeof(ce->path[0]), cpath_cmp);
out:
	igraph_vector_int_list_destroy(&ep);
	return err;
}

/* Distances from gateway @id to all: BFS when every weight is 1. */
static int distances(struct topo *t, uint32_t id, igraph_matrix_t *m)
{
	igraph_error_t e;

	if (igraph_matrix_init(m, 0, 0))
		return -ENOMEM;
	if (t->unit)
		e = igraph_distances(&t->g, m, igraph_vss_1(id), igraph_vss_all(), IGRAPH_ALL);
	else
		e = igraph_distances_dijkstra(&t->g, m, igraph_vss_1(id), igraph_vss_all(),
					      &t->w, IGRAPH_ALL);
	if (e) {
		igraph_matrix_destroy(m);
		return -ENOMEM;
	}
	return 0;
}

/* Distances from @from, kept for the next search from the same gateway. */
static int distances_from(struct topo *t, uint32_t from)
{
	int err;

	if (t->dfrom_ok && t->dfrom_id == from)
		return 0;
	if (t->dfrom_ok)
		igraph_matrix_destroy(&t->dfrom);
	t->dfrom_ok = false;
	err = distances(t, from, &t->dfrom);
	if (err)
		return err;
	t->dfrom_ok = true;
	t->dfrom_id = from;
	return 0;
}

/* One round: Yen on the gateways u with ds(u) + dt(u) <= lim. */
static int yen_within(struct topo *t, const igraph_matrix_t *dt, double lim,
		      uint32_t from, uint32_t to, unsigned int k,
		      struct topo_centry *ce, unsigned int *found, uint64_t *maxcost,
		      uint32_t *nsub)
{
	igraph_vector_int_t edges;
	uint32_t *keep = NULL, *lids = NULL, n = 0, ne = 0, cap = 0;
	igraph_vector_t w;
	igraph_t sub;
	int err = -ENOMEM;

	for (uint32_t u = 0; u < t->ngw; u++) {
		if (MATRIX(t->dfrom, 0, u) + MATRIX(*dt, 0, u) > lim)
			continue;
		if (reserve((void **)&keep, &cap, n + 1, sizeof(*keep)))
			goto out_keep;
		t->map[u] = n;
		keep[n++] = u;
	}
	cap = 0;
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = t->adj_off[keep[i]]; j < t->adj_off[keep[i] + 1]; j++) {
			const struct topo_link *l = &t->link[t->adj[j]];

			/* Once, from its lower end, if both ends are kept. */
			if (l->a != keep[i] || t->map[l->b] == TOPO_NONE)
				continue;
			if (reserve((void **)&lids, &cap, ne + 1, sizeof(*lids)))
				goto out_keep;
			lids[ne++] = t->adj[j];
		}
	*nsub = n;
	if (igraph_vector_int_init(&edges, 2 * (igraph_integer_t)ne))
		goto out_keep;
	if (igraph_vector_init(&w, ne))
		goto out_edges;
	for (uint32_t i = 0; i < ne; i++) {
		VECTOR(edges)[2 * i] = t->map[t->link[lids[i]].a];
		VECTOR(edges)[2 * i + 1] = t->map[t->link[lids[i]].b];
		VECTOR(w)[i] = t->link[lids[i]].w;
	}
	if (!igraph_create(&sub, &edges, n, IGRAPH_UNDIRECTED)) {
		err = yen_on(t, &sub, &w, lids, from, t->map[from], t->map[to], k, ce,
			     found, maxcost);
		igraph_destroy(&sub);
	}
	igraph_vector_destroy(&w);
out_edges:
	igraph_vector_int_destroy(&edges);
out_keep:
	for (uint32_t i = 0; i < n; i++)
		t->map[keep[i]] = TOPO_NONE;
	free(keep);
	free(lids);
	return err;
}

/*
 * Yen on the part of the graph that can hold the k shortest paths: grow
 * the slack until the k-th path found is within it (exact), or every
 * gateway connected to both is in.
 */
static int yen_pruned(struct topo *t, uint32_t from, uint32_t to, unsigned int k,
		      struct topo_centry *ce)
{
	double d, slack = 0, most = 0;
	igraph_matrix_t dt;
	unsigned int found;
	uint64_t maxcost;
	uint32_t nsub;
	int err;

	ce->npaths = 0;
	err = distances_from(t, from);
	if (err || (err = distances(t, to, &dt)))
		return err;
	d = MATRIX(t->dfrom, 0, to);
	for (uint32_t u = 0; u < t->ngw; u++) {
		double x = MATRIX(t->dfrom, 0, u) + MATRIX(dt, 0, u);

		if (x < IGRAPH_INFINITY && x > most)
			most = x;
	}
	t->pruned++;
	while (d < IGRAPH_INFINITY) {
		double next = IGRAPH_INFINITY;

		t->pruned_rounds++;
		err = yen_within(t, &dt, d + slack, from, to, k, ce, &found, &maxcost, &nsub);
		if (err)
			break;
		if ((found == k && maxcost <= d + slack) || d + slack >= most) {
			t->pruned_vertices += nsub;
			break;
		}
		/* The next slack takes in at least one more gateway. */
		for (uint32_t u = 0; u < t->ngw; u++) {
			double x = MATRIX(t->dfrom, 0, u) + MATRIX(dt, 0, u);

			if (x > d + slack && x < next)
				next = x;
		}
		slack = next - d > 2 * slack ? next - d : 2 * slack;
	}
	igraph_matrix_destroy(&dt);
	return err;
}

static int yen(struct topo *t, uint32_t from, uint32_t to, unsigned int k,
	       struct topo_centry *ce)
{
	unsigned int found;
	uint64_t maxcost;

	if (from == to) {
		ce->path[0] = (struct topo_cpath){ .cost = 0, .len = 1, .v = { from } };
		ce->npaths = 1;
		return 0;
	}
	if (t->ngw > t->lim.prune_above)
		return yen_pruned(t, from, to, k, ce);
	return yen_on(t, &t->g, &t->w, NULL, from, from, to, k, ce, &found, &maxcost);
}

/* The k shortest paths between two gateway ids, from the cache if valid. */
int topo_paths_ids(struct topo *t, uint32_t from, uint32_t to, unsigned int k,
		   const struct topo_centry **res)
{
	struct topo_centry *ce = cache_slot(t, from, to, k);
	int err = build_graph(t);

	if (err)
		return err;
	if (ce && ce->valid && ce->gen == t->gen && ce->from == from &&
	    ce->to == to && ce->k == k) {
		t->hits++;
		*res = ce;
		return 0;
	}
	t->misses++;
	if (!ce)
		ce = &t->scratch;
	ce->valid = false;
	err = yen(t, from, to, k, ce);
	if (err)
		return err;
	ce->valid = true;
	ce->gen = t->gen;
	ce->from = from;
	ce->to = to;
	ce->k = (uint8_t)k;
	*res = ce;
	return 0;
}

int topo_k_paths(struct topo *t, const struct mtf_ctl_addr *from,
		 const struct mtf_ctl_addr *to, unsigned int k,
		 struct topo_path *out, unsigned int out_max)
{
	uint32_t a = topo_gw_find(t, from), b = topo_gw_find(t, to);
	const struct topo_centry *ce;
	unsigned int n = 0;
	int err;

	if (!k || k > TOPO_K_MAX)
		return -EINVAL;
	if (a == TOPO_NONE || b == TOPO_NONE)
		return -ENOENT;
	err = topo_paths_ids(t, a, b, k, &ce);
	if (err)
		return err;
	for (; n < ce->npaths && n < out_max; n++) {
		out[n].cost = ce->path[n].cost;
		out[n].len = ce->path[n].len;
		for (uint32_t i = 0; i < ce->path[n].len; i++)
			out[n].hop[i] = t->gw[ce->path[n].v[i]].addr;
	}
	return (int)n;
}

/* ------------------------------------------------------------ warnings -- */

/* A path from self to an origin stub, through its last gateway. */
struct cand {
	uint64_t cost;
	unsigned int rank;	/* 0: the recorded path, 1: through R1, 2: other */
	struct topo_cpath p;	/* self .. last gateway */
};

struct warn {
	struct topo *t;
	uint32_t self, r1;
	uint32_t rec[TOPO_PATH_MAX + 1];	/* the recorded path, self first */
	unsigned int nrec;
	uint32_t gws[64];			/* distinct gateways searched */
	unsigned int ngws, max_gws;
	struct cand *cand;
	uint32_t *found;			/* targets, nearest first */
	unsigned int nfound;
};

static int cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->p.len != b->p.len)
		return a->p.len < b->p.len ? -1 : 1;
	for (uint32_t i = 0; i < a->p.len; i++)
		if (a->p.v[i] != b->p.v[i])
			return a->p.v[i] < b->p.v[i] ? -1 : 1;
	return 0;
}

static bool is_recorded(const struct warn *w, const struct topo_cpath *p)
{
	return w->nrec == p->len && !memcmp(w->rec, p->v, p->len * sizeof(p->v[0]));
}

static void recorded_path(struct warn *w, const struct topo_query *q)
{
	unsigned int n = q->path ? q->path_len : 0;

	w->nrec = 0;
	if (n > TOPO_PATH_MAX)
		return;			/* not a path we return: matches none */
	if (!n || topo_gw_find(w->t, &q->path[n - 1]) != w->self)
		w->rec[w->nrec++] = w->self;
	while (n--)
		w->rec[w->nrec++] = topo_gw_find(w->t, &q->path[n]);
}

/* Whether @gw fits in the per-query budget of gateways searched. */
static bool budget(struct warn *w, uint32_t gw)
{
	for (unsigned int i = 0; i < w->ngws; i++)
		if (w->gws[i] == gw)
			return true;
	if (w->ngws >= w->max_gws)
		return false;
	w->gws[w->ngws++] = gw;
	return true;
}

static void found(struct warn *w, uint32_t gw)
{
	for (unsigned int i = 0; i < w->nfound; i++)
		if (w->found[i] == gw)
			return;
	w->found[w->nfound++] = gw;
}

/* One origin stub: candidates through each of its gateways, the k best. */
static int warn_stub(struct warn *w, uint32_t sid, unsigned int k, bool *truncated)
{
	struct topo *t = w->t;
	unsigned int nc = 0, others = 0;
	uint32_t h;

	for (h = t->stub[sid].first_home; h != TOPO_NONE; h = t->home[h].next_stub)
		others += t->home[h].gw != w->r1 && t->home[h].gw != w->self;
	if (!others)
		return 0;		/* behind R1 (or self) only: nobody else to warn */
	for (h = t->stub[sid].first_home; h != TOPO_NONE; h = t->home[h].next_stub)
		if (!budget(w, t->home[h].gw)) {
			*truncated = true;
			return 0;
		}
	for (h = t->stub[sid].first_home; h != TOPO_NONE; h = t->home[h].next_stub) {
		const struct topo_centry *ce;
		int err = topo_paths_ids(t, w->self, t->home[h].gw, k, &ce);

		if (err)
			return err;
		for (unsigned int i = 0; i < ce->npaths; i++) {
			struct cand *c = &w->cand[nc++];

			c->p = ce->path[i];
			c->cost = c->p.cost + t->home[h].w;
			c->rank = is_recorded(w, &c->p) ? 0 : t->home[h].gw == w->r1 ? 1 : 2;
		}
	}
	qsort(w->cand, nc, sizeof(*w->cand), cand_cmp);
	for (unsigned int i = 0; i < nc && i < k; i++) {
		uint32_t last = w->cand[i].p.v[w->cand[i].p.len - 1];

		if (last != w->r1 && last != w->self)
			found(w, last);
	}
	return 0;
}

/* R1's stubs holding @src: the longest, else those inside it, else all. */
static bool origin_stub(const struct topo *t, uint32_t sid, const struct mtfd_prefix *src,
			int mode, unsigned int best)
{
	const struct mtfd_prefix *p = &t->stub[sid].p;

	if (mode == 2)
		return p->plen == best && mtfd_prefix_covers(p, src);
	if (mode == 1)
		return mtfd_prefix_covers(src, p);
	return true;
}

static int origin_mode(const struct topo *t, uint32_t r1, const struct mtfd_prefix *src,
		       unsigned int *best)
{
	int mode = 0;

	if (!src)
		return 0;
	for (uint32_t h = t->gw[r1].first_home; h != TOPO_NONE; h = t->home[h].next_gw) {
		const struct mtfd_prefix *p = &t->stub[t->home[h].stub].p;

		if (mtfd_prefix_covers(p, src) && (mode < 2 || p->plen > *best)) {
			mode = 2;
			*best = p->plen;
		} else if (mode < 1 && mtfd_prefix_covers(src, p)) {
			mode = 1;
		}
	}
	return mode;
}

int topo_warn_targets(struct topo *t, struct topo_query *q,
		      struct mtf_ctl_addr *out, unsigned int out_max)
{
	struct warn w = { .t = t };
	unsigned int best = 0;
	int mode, err = 0;

	q->truncated = false;
	if (!q->k || q->k > TOPO_K_MAX || !q->self || !q->attack_gw ||
	    (q->src && !mtfd_addr_valid(&q->src->addr)))
		return -EINVAL;
	w.self = topo_gw_find(t, q->self);
	w.r1 = topo_gw_find(t, q->attack_gw);
	if (w.self == TOPO_NONE || w.r1 == TOPO_NONE)
		return -ENOENT;
	w.max_gws = t->lim.max_origin_gws < 64 ? t->lim.max_origin_gws : 64;
	if (!w.max_gws)
		w.max_gws = 1;
	recorded_path(&w, q);
	w.cand = malloc((size_t)w.max_gws * TOPO_K_MAX * sizeof(*w.cand));
	w.found = malloc((size_t)w.max_gws * sizeof(*w.found));
	if (!w.cand || !w.found) {
		err = -ENOMEM;
		goto out;
	}
	mode = origin_mode(t, w.r1, q->src, &best);
	for (uint32_t h = t->gw[w.r1].first_home; h != TOPO_NONE && !err;
	     h = t->home[h].next_gw)
		if (origin_stub(t, t->home[h].stub, q->src, mode, best))
			err = warn_stub(&w, t->home[h].stub, q->k, &q->truncated);
	for (unsigned int i = 0; !err && i < w.nfound && i < out_max; i++)
		out[i] = t->gw[w.found[i]].addr;
out:
	free(w.cand);
	free(w.found);
	return err ? err : (int)w.nfound;
}

void topo_get_stats(const struct topo *t, struct topo_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->gateways = t->ngw;
	s->links = t->nlink;
	s->prefixes = t->nstub;
	s->homes = t->nhome;
	s->rebuilds = t->rebuilds;
	s->cache_hits = t->hits;
	s->cache_misses = t->misses;
	s->long_paths = t->long_paths;
	s->pruned = t->pruned;
	s->pruned_vertices = t->pruned_vertices;
	s->pruned_rounds = t->pruned_rounds;
	s->cache_bytes = (size_t)t->lim.cache_entries * sizeof(*t->cache);
	s->mem_bytes = sizeof(*t) +
		(size_t)t->gw_cap * sizeof(*t->gw) + (size_t)t->link_cap * sizeof(*t->link) +
		(size_t)t->stub_cap * sizeof(*t->stub) + (size_t)t->home_cap * sizeof(*t->home) +
		(t->by_addr.mask + t->by_name.mask + t->links.mask + t->stubs.mask + 4) *
		sizeof(uint32_t) +
		(size_t)t->lim.cache_entries * sizeof(*t->cache);
	for (uint32_t i = 0; i < t->ngw; i++)
		s->mem_bytes += strlen(t->gw[i].name) + 1;
	/*
	 * igraph_t (0.10): from, to, oi, ii (edges) and os, is (vertices + 1),
	 * igraph_integer_t each; and the weights, one double per link.
	 */
	if (t->built)
		s->mem_bytes += ((size_t)t->ngw * 2 + 2 * (size_t)t->nlink + 2) * sizeof(uint32_t) +
				(4 * (size_t)t->nlink + 2 * ((size_t)t->ngw + 1)) *
				sizeof(igraph_integer_t) + (size_t)t->nlink * sizeof(double);
}
