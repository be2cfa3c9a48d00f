// SPDX-License-Identifier: GPL-2.0
/*
 * bench/mtfd_ksp: the cost of mtfd's k shortest paths (daemons/mtfd/topo.h)
 * on an AS-sized graph.  A Barabasi-Albert graph (igraph, power 1, m=2,
 * fixed seed) of N gateways stands for the AS-level Internet; Q (self,
 * origin) pairs from a fixed seed.  Per request, in ms: median, p99, max.
 *
 *   dijkstra   baseline: one igraph_get_shortest_path_dijkstra (unit
 *              weights) on the same graph, outside topo
 *   bfs        one igraph_get_shortest_path; and igraph_distances to all
 *   k=K        topo_k_paths(self, origin, K), cache cold (a miss): Yen on
 *              the pruned graph (topo.h, prune_above)
 *   k=K again  the same requests again (hits, where the direct-mapped
 *              cache kept them)
 *   warn k=3   topo_warn_targets: an origin stub multihomed behind the
 *              origin and one other random gateway (two Yen runs)
 *
 *   fixed self k=3 as mtfd asks: self always R3 (its distances are kept)
 *   whole graph  Yen on all N gateways (prune_above off), first F pairs
 *
 * Memory: topo's own accounting (topo_get_stats) and the RSS growth while
 * building it.  Usage: mtfd_ksp [-n N] [-q Q] [-s SEED] [-f F]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <igraph.h>

#include "topo.h"

static uint64_t rng_state;

/* splitmix64: the pairs do not depend on igraph's RNG or its version. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static struct mtf_ctl_addr gw_addr(uint32_t i)
{
	struct mtf_ctl_addr a = { .family = 4 };

	a.addr[0] = 10;
	a.addr[1] = (uint8_t)(i >> 16);
	a.addr[2] = (uint8_t)(i >> 8);
	a.addr[3] = (uint8_t)i;
	return a;
}

static int dcmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

struct row {
	double med, p99, max, mean;
};

static struct row summarize(double *ms, unsigned int n)
{
	struct row r = { 0 };

	qsort(ms, n, sizeof(*ms), dcmp);
	for (unsigned int i = 0; i < n; i++)
		r.mean += ms[i] / n;
	r.med = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
	r.p99 = ms[(size_t)((n - 1) * 0.99 + 0.5)];
	r.max = ms[n - 1];
	return r;
}

static void print_row(const char *name, struct row r, double base_med, const char *extra)
{
	printf("| %-14s | %8.3f | %8.3f | %8.3f | %8.3f | %6.1fx | %s\n", name, r.med, r.p99,
	       r.max, r.mean, base_med > 0 ? r.med / base_med : 1.0, extra);
}

static void copy_graph(struct topo *t, const igraph_t *g, const igraph_vector_int_t *edges,
		       unsigned int n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct mtf_ctl_addr a = gw_addr(i);

		if (topo_add_gateway(t, NULL, &a))
			exit(1);
	}
	for (igraph_integer_t e = 0; e < igraph_ecount(g); e++) {
		struct mtf_ctl_addr a = gw_addr((uint32_t)VECTOR(*edges)[2 * e]);
		struct mtf_ctl_addr b = gw_addr((uint32_t)VECTOR(*edges)[2 * e + 1]);

		if (topo_add_link(t, &a, &b, 1))
			exit(1);
	}
}

/* topo_k_paths over the pairs: cold, and again (cache) if @again. */
static void run_ksp(struct topo *t, unsigned int k, unsigned int q, const unsigned int *self,
		    const unsigned int *orig, double *ms, double base, bool again,
		    const char *tag)
{
	struct topo_stats s0, s1;
	unsigned long npaths = 0, hops = 0;
	char name[40], extra[200];
	double t0;

	topo_get_stats(t, &s0);
	for (unsigned int i = 0; i < q; i++) {
		struct mtf_ctl_addr a = gw_addr(self[i]), b = gw_addr(orig[i]);
		struct topo_path p[TOPO_K_MAX];
		int r;

		t0 = now_ms();
		r = topo_k_paths(t, &a, &b, k, p, TOPO_K_MAX);
		ms[i] = now_ms() - t0;
		if (r < 0)
			exit(1);
		npaths += (unsigned long)r;
		for (int j = 0; j < r; j++)
			hops += p[j].len - 1;
	}
	topo_get_stats(t, &s1);
	snprintf(name, sizeof(name), "k=%u%s", k, tag);
	snprintf(extra, sizeof(extra), "%u requests, cold; %.2f paths, %.2f links a path; "
		 "pruned graph: %.0f gateways, %.2f rounds", q, (double)npaths / q,
		 npaths ? (double)hops / npaths : 0,
		 s1.pruned > s0.pruned ? (double)(s1.pruned_vertices - s0.pruned_vertices) /
		 (s1.pruned - s0.pruned) : 0,
		 s1.pruned > s0.pruned ? (double)(s1.pruned_rounds - s0.pruned_rounds) /
		 (s1.pruned - s0.pruned) : 0);
	print_row(name, summarize(ms, q), base, extra);
	if (!again)
		return;
	topo_get_stats(t, &s0);
	for (unsigned int i = 0; i < q; i++) {
		struct mtf_ctl_addr a = gw_addr(self[i]), b = gw_addr(orig[i]);
		struct topo_path p[TOPO_K_MAX];

		t0 = now_ms();
		topo_k_paths(t, &a, &b, k, p, TOPO_K_MAX);
		ms[i] = now_ms() - t0;
	}
	topo_get_stats(t, &s1);
	snprintf(name, sizeof(name), "k=%u again", k);
	snprintf(extra, sizeof(extra), "the same requests: %llu cache hits, %llu misses "
		 "(direct-mapped, 1024 entries)",
		 (unsigned long long)(s1.cache_hits - s0.cache_hits),
		 (unsigned long long)(s1.cache_misses - s0.cache_misses));
	print_row(name, summarize(ms, q), base, extra);
}

int main(int argc, char **argv)
{
	unsigned int n = 75000, q = 1000, seed = 1, fullq = 20, *self, *orig, *other, *self2;
	igraph_vector_int_t edges, vpath;
	igraph_vector_t w;
	struct topo_stats st;
	struct topo *t;
	igraph_t g;
	double *ms, t0;
	long rss0, rss1;
	struct row base;
	char extra[160];
	int opt;

	while ((opt = getopt(argc, argv, "n:q:s:f:")) != -1) {
		if (opt == 'n')
			n = (unsigned int)strtoul(optarg, NULL, 10);
		else if (opt == 'q')
			q = (unsigned int)strtoul(optarg, NULL, 10);
		else if (opt == 'f')
			fullq = (unsigned int)strtoul(optarg, NULL, 10);
		else if (opt == 's')
			seed = (unsigned int)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	if (n < 3 || !q || n > 16000000) {
		fprintf(stderr, "mtfd_ksp: -n 3..16000000, -q > 0\n");
		return 2;
	}
	igraph_rng_seed(igraph_rng_default(), seed);
	t0 = now_ms();
	if (igraph_barabasi_game(&g, n, 1.0, 2, NULL, false, 1.0, false,
				 IGRAPH_BARABASI_PSUMTREE, NULL)) {
		fprintf(stderr, "mtfd_ksp: igraph_barabasi_game failed\n");
		return 1;
	}
	printf("# Barabasi-Albert n=%u m=2 seed=%u: %lld edges, generated in %.0f ms\n", n,
	       seed, (long long)igraph_ecount(&g), now_ms() - t0);

	/* topo from the graph, through its API, as the file loader would. */
	rss0 = rss_kib();
	t0 = now_ms();
	t = topo_new(NULL);
	igraph_vector_int_init(&edges, 0);
	igraph_get_edgelist(&g, &edges, false);
	copy_graph(t, &g, &edges, n);
	{
		struct mtf_ctl_addr a = gw_addr(0), b = gw_addr(1);
		struct topo_path p[1];

		topo_k_paths(t, &a, &b, 1, p, 1);	/* builds the igraph graph */
	}
	rss1 = rss_kib();
	topo_get_stats(t, &st);
	printf("# topo: %u gateways, %u links, built in %.0f ms; memory: %.1f MiB by "
	       "topo_get_stats (of it: path cache %.1f MiB), RSS +%.1f MiB\n",
	       st.gateways, st.links, now_ms() - t0, st.mem_bytes / 1048576.0,
	       st.cache_bytes / 1048576.0, (rss1 - rss0) / 1024.0);

	self = calloc(q, sizeof(*self));
	orig = calloc(q, sizeof(*orig));
	other = calloc(q, sizeof(*other));
	self2 = calloc(q, sizeof(*self2));
	ms = calloc(q, sizeof(*ms));
	rng_state = seed;
	for (unsigned int i = 0; i < q; i++) {
		self[i] = (uint32_t)(rnd() % n);
		do
			orig[i] = (uint32_t)(rnd() % n);
		while (orig[i] == self[i]);
		do
			other[i] = (uint32_t)(rnd() % n);
		while (other[i] == self[i] || other[i] == orig[i]);
	}

	printf("\n| request        | med ms   | p99 ms   | max ms   | mean ms  | / dijk | notes\n");
	printf("|----------------|----------|----------|----------|----------|--------|------\n");
	igraph_vector_init(&w, igraph_ecount(&g));
	igraph_vector_fill(&w, 1);
	igraph_vector_int_init(&vpath, 0);
	for (unsigned int i = 0; i < q; i++) {
		t0 = now_ms();
		igraph_get_shortest_path_dijkstra(&g, &vpath, NULL, self[i], orig[i], &w, IGRAPH_ALL);
		ms[i] = now_ms() - t0;
	}
	base = summarize(ms, q);
	print_row("dijkstra", base, base.med, "igraph_get_shortest_path_dijkstra, unit weights");
	for (unsigned int i = 0; i < q; i++) {
		t0 = now_ms();
		igraph_get_shortest_path(&g, &vpath, NULL, self[i], orig[i], IGRAPH_ALL);
		ms[i] = now_ms() - t0;
	}
	print_row("bfs", summarize(ms, q), base.med, "igraph_get_shortest_path (BFS)");
	{
		igraph_matrix_t m;

		igraph_matrix_init(&m, 0, 0);
		for (unsigned int i = 0; i < q; i++) {
			t0 = now_ms();
			igraph_distances(&g, &m, igraph_vss_1(self[i]), igraph_vss_all(), IGRAPH_ALL);
			ms[i] = now_ms() - t0;
		}
		igraph_matrix_destroy(&m);
		print_row("bfs to all", summarize(ms, q), base.med,
			  "igraph_distances from one gateway (the pruning does two)");
	}

	for (unsigned int k = 2; k <= 4; k++)
		run_ksp(t, k, q, self, orig, ms, base.med, true, "");
	/* mtfd's case: self is always the victim's gateway R3. */
	{
		unsigned int *same = calloc(q, sizeof(*same));

		for (unsigned int i = 0; i < q; i++)
			same[i] = orig[i] == self[0] ? orig[(i + 1) % q] : orig[i];
		for (unsigned int i = 0; i < q; i++)
			same[i] = same[i] == self[0] ? (self[0] + 1) % n : same[i];
		for (unsigned int i = 0; i < q; i++)
			self2[i] = self[0];
		run_ksp(t, 3, q, self2, same, ms, base.med, false, " fixed self");
		free(same);
	}
	/* Yen on the whole graph, the first few pairs only: ~1 s a request. */
	{
		struct topo_limits l;
		struct topo *full;

		topo_limits_default(&l);
		l.prune_above = UINT32_MAX;
		full = topo_new(&l);
		copy_graph(full, &g, &edges, n);
		for (unsigned int k = 2; k <= 4; k++)
			run_ksp(full, k, fullq < q ? fullq : q, self, orig, ms, base.med, false,
				" whole graph");
		topo_free(full);
	}

	/* The whole request: an origin stub behind orig and other. */
	{
		unsigned long targets = 0;

		for (unsigned int i = 0; i < q; i++) {
			struct mtf_ctl_addr a = gw_addr(orig[i]), b = gw_addr(other[i]);
			struct mtfd_prefix p = { .addr = { .family = 4, .addr = { 100,
				(uint8_t)(i >> 8), (uint8_t)i, 0 } }, .plen = 24 };

			if (topo_add_prefix(t, &a, &p, 1) || topo_add_prefix(t, &b, &p, 1))
				return 1;
		}
		for (unsigned int i = 0; i < q; i++) {
			struct mtf_ctl_addr a = gw_addr(self[i]), b = gw_addr(orig[i]), out[8];
			struct mtfd_prefix p = { .addr = { .family = 4, .addr = { 100,
				(uint8_t)(i >> 8), (uint8_t)i, 0 } }, .plen = 24 };
			struct topo_query qu = { .self = &a, .attack_gw = &b, .src = &p, .k = 3 };
			int r;

			t0 = now_ms();
			r = topo_warn_targets(t, &qu, out, 8);
			ms[i] = now_ms() - t0;
			if (r < 0)
				return 1;
			targets += (unsigned long)r;
		}
		snprintf(extra, sizeof(extra), "topo_warn_targets, stub behind 2 gateways; "
			 "%.2f targets a request", (double)targets / q);
		print_row("warn k=3", summarize(ms, q), base.med, extra);
	}
	topo_get_stats(t, &st);
	printf("\n# igraph graph rebuilds: %llu; paths over %d gateways dropped: %llu\n",
	       (unsigned long long)st.rebuilds, TOPO_PATH_MAX,
	       (unsigned long long)st.long_paths);
	igraph_vector_int_destroy(&vpath);
	igraph_vector_destroy(&w);
	igraph_vector_int_destroy(&edges);
	igraph_destroy(&g);
	topo_free(t);
	free(self);
	free(orig);
	free(other);
	free(self2);
	free(ms);
	return 0;
}
