// SPDX-License-Identifier: GPL-2.0
/*
 * mtfd.conf, an INI file read by libinih (Documentation/mtfd.md lists
 * every key).  Each value is checked here; the first bad one stops the
 * load with "FILE:LINE: why".
 */
#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "mtfd.h"
#include "parse.h"

void mtfd_config_defaults(struct mtfd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->port = MTF_CTL_PORT;
	snprintf(c->admin_sock, sizeof(c->admin_sock), "%s", MTFD_ADMIN_SOCK);
	c->log_level = ROAM_LOG_INFO;
	c->ttmp_ms = 1000;
	c->tlong_ms = 120000;
	c->tblock_ms = 0;		/* = ttmp */
	c->retry_ms = 250;
	c->retries = 4;
	c->key_period_ms = MTFD_KEY_PERIOD_MS;
	c->quiet_ms = 2000;
	c->suffix_len = 2;
	c->policy_action = MTF_CTL_BLOCK;
	c->k_paths = 3;
	c->peer_rate = 200;
	c->peer_burst = 400;
	c->max_pending = 4096;
	c->max_peers = 1024;
	c->max_active = 4096;
	c->aimd_step_pps = 100;
	c->aimd_min_pps = 10;
	c->comply = true;
}

struct load {
	struct mtfd_config *c;
	char why[160];
};

static int bad(struct load *l, const char *section, const char *name,
	       const char *value, const char *what)
{
	snprintf(l->why, sizeof(l->why), "[%s] %s = %s: %s", section, name,
		 value, what);
	return 0;
}

static bool u64_of(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	return !parse_u64(v, min, max, out);
}

static bool u32_of(const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
	return !parse_u32(v, min, max, out);
}

static bool bool_of(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") ||
	    !strcasecmp(v, "on"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") ||
		 !strcmp(v, "0") || !strcasecmp(v, "off"))
		*out = false;
	else
		return false;
	return true;
}

/* A space- or comma-separated list, each item through @one. */
static bool list_of(const char *v, void *arr, size_t size, unsigned int *n,
		    unsigned int max, bool (*one)(const char *, void *))
{
	char buf[1024], *save = NULL, *tok;

	if (strlen(v) >= sizeof(buf))
		return false;
	strcpy(buf, v);
	for (tok = strtok_r(buf, " ,\t", &save); tok;
	     tok = strtok_r(NULL, " ,\t", &save)) {
		if (*n >= max || !one(tok, (char *)arr + *n * size))
			return false;
		(*n)++;
	}
	return true;
}

static bool one_addr(const char *s, void *out)
{
	return !mtfd_addr_parse(s, out);
}

static bool one_prefix(const char *s, void *out)
{
	return !mtfd_prefix_parse(s, out);
}

static bool roles_of(const char *v, unsigned int *roles)
{
	char buf[128], *save = NULL, *tok;

	if (strlen(v) >= sizeof(buf))
		return false;
	strcpy(buf, v);
	*roles = 0;
	for (tok = strtok_r(buf, " ,\t", &save); tok;
	     tok = strtok_r(NULL, " ,\t", &save)) {
		if (!strcmp(tok, "victim"))
			*roles |= MTFD_ROLE_VICTIM;
		else if (!strcmp(tok, "gateway"))
			*roles |= MTFD_ROLE_GATEWAY;
		else if (!strcmp(tok, "host"))
			*roles |= MTFD_ROLE_HOST;
		else
			return false;
	}
	return *roles != 0;
}

#define MATCH(s, n)	(!strcmp(section, s) && !strcmp(name, n))
#define DAY_MS		86400000u

static int handler(void *user, const char *section, const char *name,
		   const char *v)
{
	struct load *l = user;
	struct mtfd_config *c = l->c;
	uint32_t u;
	uint64_t x;

	if (MATCH("mtfd", "roles")) {
		if (!roles_of(v, &c->roles))
			return bad(l, section, name, v, "roles are victim, gateway, host");
	} else if (MATCH("mtfd", "address")) {
		if (mtfd_addr_parse(v, &c->self) || c->self.family != 4)
			return bad(l, section, name, v, "not an IPv4 address");
	} else if (MATCH("mtfd", "port")) {
		if (!u32_of(v, 1, 65535, &u))
			return bad(l, section, name, v, "a port is 1..65535");
		c->port = (uint16_t)u;
	} else if (MATCH("mtfd", "admin-socket")) {
		if (strlen(v) >= sizeof(c->admin_sock))
			return bad(l, section, name, v, "path too long");
		snprintf(c->admin_sock, sizeof(c->admin_sock), "%s", v);
	} else if (MATCH("mtfd", "secret-file")) {
		if (strlen(v) >= sizeof(c->secret_file))
			return bad(l, section, name, v, "path too long");
		snprintf(c->secret_file, sizeof(c->secret_file), "%s", v);
	} else if (MATCH("mtfd", "log-level")) {
		if (!strcmp(v, "err"))
			c->log_level = ROAM_LOG_ERR;
		else if (!strcmp(v, "warn"))
			c->log_level = ROAM_LOG_WARN;
		else if (!strcmp(v, "info"))
			c->log_level = ROAM_LOG_INFO;
		else if (!strcmp(v, "debug"))
			c->log_level = ROAM_LOG_DEBUG;
		else
			return bad(l, section, name, v, "err, warn, info or debug");
	} else if (MATCH("mtfd", "withdraw-on-exit")) {
		if (!bool_of(v, &c->withdraw_on_exit))
			return bad(l, section, name, v, "yes or no");
	} else if (MATCH("timers", "ttmp-ms")) {
		if (!u32_of(v, 10, DAY_MS, &c->ttmp_ms))
			return bad(l, section, name, v, "10..86400000");
	} else if (MATCH("timers", "tlong-ms")) {
		if (!u32_of(v, 10, DAY_MS, &c->tlong_ms))
			return bad(l, section, name, v, "10..86400000");
	} else if (MATCH("timers", "tblock-ms")) {
		if (!u32_of(v, 10, DAY_MS, &c->tblock_ms))
			return bad(l, section, name, v, "10..86400000");
	} else if (MATCH("timers", "retry-ms")) {
		if (!u32_of(v, 10, 60000, &c->retry_ms))
			return bad(l, section, name, v, "10..60000");
	} else if (MATCH("timers", "retries")) {
		if (!u32_of(v, 0, 20, &c->retries))
			return bad(l, section, name, v, "0..20");
	} else if (MATCH("timers", "key-period-ms")) {
		if (!u32_of(v, 1000, DAY_MS, &c->key_period_ms))
			return bad(l, section, name, v, "1000..86400000");
	} else if (MATCH("timers", "quiet-ms")) {
		if (!u32_of(v, 10, DAY_MS, &c->quiet_ms))
			return bad(l, section, name, v, "10..86400000");
	} else if (MATCH("victim", "gateway")) {
		if (mtfd_addr_parse(v, &c->victim_gw))
			return bad(l, section, name, v, "not an address");
	} else if (MATCH("victim", "suffix-len")) {
		if (!u32_of(v, 1, MTF_CTL_SLOTS_MAX, &u))
			return bad(l, section, name, v, "1..15 slots");
		c->suffix_len = (uint8_t)u;
	} else if (MATCH("victim", "threshold-pps")) {
		if (!u32_of(v, 0, 1u << 24, &c->threshold_pps))
			return bad(l, section, name, v, "0..16777216 packets/s");
	} else if (MATCH("victim", "attack-pps")) {
		if (!u32_of(v, 0, 1u << 24, &c->attack_pps))
			return bad(l, section, name, v, "0..16777216 packets/s");
		c->attack_set = true;
	} else if (MATCH("victim", "action")) {
		if (!strcmp(v, "block"))
			c->policy_action = MTF_CTL_BLOCK;
		else if (!strcmp(v, "ratelimit"))
			c->policy_action = MTF_CTL_RATELIMIT;
		else
			return bad(l, section, name, v, "block or ratelimit");
	} else if (MATCH("victim", "rate-pps")) {
		if (!u64_of(v, 1, 1000000000ULL, &c->policy_rate_pps))
			return bad(l, section, name, v, "1..10^9 packets/s");
	} else if (MATCH("victim", "allow-router")) {
		if (!list_of(v, c->allow_routers, sizeof(c->allow_routers[0]),
			     &c->n_allow_routers, MTFD_MAX_ADDRS, one_addr))
			return bad(l, section, name, v, "addresses, at most 16");
	} else if (MATCH("gateway", "serves")) {
		if (!list_of(v, c->serves, sizeof(c->serves[0]), &c->n_serves,
			     MTFD_MAX_PREFIXES, one_prefix))
			return bad(l, section, name, v, "prefixes, at most 32");
	} else if (MATCH("gateway", "hosts")) {
		if (!list_of(v, c->hosts, sizeof(c->hosts[0]), &c->n_hosts,
			     MTFD_MAX_PREFIXES, one_prefix))
			return bad(l, section, name, v, "prefixes, at most 32");
	} else if (MATCH("gateway", "router-addr")) {
		if (!list_of(v, c->router_addrs, sizeof(c->router_addrs[0]),
			     &c->n_router_addrs, MTFD_MAX_ADDRS, one_addr))
			return bad(l, section, name, v, "addresses, at most 16");
	} else if (MATCH("gateway", "topology")) {
		if (strlen(v) >= sizeof(c->topology))
			return bad(l, section, name, v, "path too long");
		snprintf(c->topology, sizeof(c->topology), "%s", v);
	} else if (MATCH("gateway", "k-paths")) {
		if (!u32_of(v, 1, 16, &c->k_paths))
			return bad(l, section, name, v, "1..16");
	} else if (MATCH("gateway", "peer-rate")) {
		if (!u32_of(v, 1, 1000000, &c->peer_rate))
			return bad(l, section, name, v, "1..1000000 messages/s");
	} else if (MATCH("gateway", "peer-burst")) {
		if (!u32_of(v, 1, 1000000, &c->peer_burst))
			return bad(l, section, name, v, "1..1000000");
	} else if (MATCH("gateway", "max-pending")) {
		if (!u32_of(v, 16, 1u << 20, &c->max_pending))
			return bad(l, section, name, v, "16..1048576");
	} else if (MATCH("gateway", "max-peers")) {
		if (!u32_of(v, 16, 1u << 20, &c->max_peers))
			return bad(l, section, name, v, "16..1048576");
	} else if (MATCH("gateway", "max-active")) {
		if (!u32_of(v, 16, 1u << 20, &c->max_active))
			return bad(l, section, name, v, "16..1048576");
	} else if (MATCH("gateway", "aimd-step-pps")) {
		if (!u64_of(v, 1, 1000000000ULL, &x))
			return bad(l, section, name, v, "1..10^9");
		c->aimd_step_pps = x;
	} else if (MATCH("gateway", "aimd-min-pps")) {
		if (!u64_of(v, 1, 1000000000ULL, &x))
			return bad(l, section, name, v, "1..10^9");
		c->aimd_min_pps = x;
	} else if (MATCH("host", "gateway")) {
		if (mtfd_addr_parse(v, &c->host_gw))
			return bad(l, section, name, v, "not an address");
	} else if (MATCH("host", "comply")) {
		if (!bool_of(v, &c->comply))
			return bad(l, section, name, v, "yes or no");
	} else {
		return bad(l, section, name, v, "unknown key");
	}
	return 1;
}

int mtfd_config_load(struct mtfd_config *c, const char *path, char *err,
		     size_t errlen)
{
	struct load l = { .c = c };
	int line;

	line = ini_parse(path, handler, &l);
	if (line < 0) {
		snprintf(err, errlen, "%s: %s", path,
			 line == -1 ? strerror(errno) : "out of memory");
		return -EINVAL;
	}
	if (line > 0) {
		snprintf(err, errlen, "%s:%d: %s", path, line,
			 l.why[0] ? l.why : "syntax error");
		return -EINVAL;
	}
	if (!c->roles) {
		snprintf(err, errlen, "%s: [mtfd] roles is required", path);
		return -EINVAL;
	}
	if (c->self.family != 4) {
		snprintf(err, errlen, "%s: [mtfd] address (IPv4) is required", path);
		return -EINVAL;
	}
	if ((c->roles & MTFD_ROLE_VICTIM) && c->victim_gw.family != 4) {
		snprintf(err, errlen, "%s: role victim needs [victim] gateway", path);
		return -EINVAL;
	}
	if ((c->roles & MTFD_ROLE_GATEWAY) &&
	    (!c->n_router_addrs || !c->secret_file[0])) {
		snprintf(err, errlen,
			 "%s: role gateway needs [gateway] router-addr and [mtfd] secret-file",
			 path);
		return -EINVAL;
	}
	if ((c->roles & MTFD_ROLE_HOST) && c->host_gw.family != 4) {
		snprintf(err, errlen, "%s: role host needs [host] gateway", path);
		return -EINVAL;
	}
	if (!c->attack_set)
		c->attack_pps = c->threshold_pps;
	if (!c->tblock_ms)
		c->tblock_ms = c->ttmp_ms;
	if (!c->policy_rate_pps)
		c->policy_rate_pps = c->threshold_pps ? c->threshold_pps : 1000;
	return 0;
}
