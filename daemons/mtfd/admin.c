// SPDX-License-Identifier: GPL-2.0
/*
 * mtfd's admin socket (a unix stream socket, 0600): one JSON object per
 * line in, one per line out, then close.  json-c parses and prints it.
 *
 *   {"cmd":"status"}
 *   {"cmd":"show"}
 *   {"cmd":"request","action":"block"|"ratelimit"|"cancel",
 *    "path":"ADDR/MARK,...","src":"PREFIX","dst":"ADDR","rate_pps":N}
 *
 * Replies carry "ok" (true/false) and "error" when false.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "parse.h"

#define ADMIN_LINE_MAX	4096

int admin_init(struct mtfd *d)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int fd;

	if (!strcmp(d->cfg.admin_sock, "none"))
		return 0;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", d->cfg.admin_sock);
	unlink(sun.sun_path);
	old = umask(0077);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 16) < 0) {
		umask(old);
		log_err("admin socket %s: %s", sun.sun_path, strerror(errno));
		close(fd);
		return -errno;
	}
	umask(old);
	d->admin = fd;
	return 0;
}

void admin_fini(struct mtfd *d)
{
	if (d->admin < 0)
		return;
	close(d->admin);
	unlink(d->cfg.admin_sock);
	d->admin = -1;
}

static json_object *jaddr(const struct mtf_ctl_addr *a)
{
	char b[64];

	return json_object_new_string(mtfd_addr_str(a, b, sizeof(b)));
}

static json_object *jflow(const struct mtf_ctl_flow *f)
{
	json_object *o = json_object_new_object(), *slots = json_object_new_array();
	char b[96], a[64];

	for (unsigned int i = 0; i < f->nslots; i++) {
		snprintf(b, sizeof(b), "%s/0x%08x",
			 mtfd_addr_str(&f->slots[i].addr, a, sizeof(a)), f->slots[i].mark);
		json_object_array_add(slots, json_object_new_string(b));
	}
	json_object_object_add(o, "path", slots);
	if (f->has_src) {
		snprintf(b, sizeof(b), "%s/%u", mtfd_addr_str(&f->src, a, sizeof(a)),
			 f->src_plen);
		json_object_object_add(o, "src", json_object_new_string(b));
	}
	json_object_object_add(o, "dst", jaddr(&f->dst));
	return o;
}

static const char *action_name(uint8_t a)
{
	return a == MTF_CTL_RATELIMIT ? "ratelimit" : "block";
}

static json_object *status_json(struct mtfd *d)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < __ST_MAX; i++)
		json_object_object_add(o, mtfd_stat_names[i],
				       json_object_new_uint64(d->stats[i]));
	return o;
}

static json_object *show_json(struct mtfd *d)
{
	static const char *const vstate[] = { "", "sent", "acked", "refused",
					      "timeout", "cancelled" };
	static const char *const gstate[] = { "", "pending", "confirmed", "local",
					      "failed", "cancelled" };
	static const char *const akind[] = { "", "block", "disconnect", "ratelimit",
					     "warned" };
	json_object *o = json_object_new_object(), *arr, *e;
	uint64_t now = mtfd_now_ms();
	char id[16];

	arr = json_object_new_array();
	for (unsigned int i = 0; d->vreqs && i < d->n_vreqs; i++) {
		const struct vreq *v = &d->vreqs[i];

		if (!v->used)
			continue;
		e = json_object_new_object();
		snprintf(id, sizeof(id), "%08x", v->id);
		json_object_object_add(e, "id", json_object_new_string(id));
		json_object_object_add(e, "flow", jflow(&v->flow));
		json_object_object_add(e, "action", json_object_new_string(action_name(v->action)));
		json_object_object_add(e, "state", json_object_new_string(vstate[v->state]));
		json_object_object_add(e, "status", json_object_new_int(v->status));
		json_object_object_add(e, "manual", json_object_new_boolean(v->manual));
		json_object_object_add(e, "tries", json_object_new_int((int)v->tries));
		if (v->action == MTF_CTL_RATELIMIT)
			json_object_object_add(e, "seen_pps", json_object_new_uint64(v->last_pps));
		if (v->acked_ms)
			json_object_object_add(e, "ack_ms",
				json_object_new_uint64(v->acked_ms - v->created_ms));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "requests", arr);

	arr = json_object_new_array();
	for (unsigned int i = 0; d->greqs && i < d->cfg.max_pending; i++) {
		const struct greq *g = &d->greqs[i];

		if (!g->used)
			continue;
		e = json_object_new_object();
		snprintf(id, sizeof(id), "%08x", g->id);
		json_object_object_add(e, "id", json_object_new_string(id));
		json_object_object_add(e, "kind", json_object_new_string(g->warning ? "warning" : "request"));
		json_object_object_add(e, "flow", jflow(&g->flow));
		json_object_object_add(e, "victim", jaddr(&g->victim));
		json_object_object_add(e, "peer", jaddr(&g->target));
		json_object_object_add(e, "action", json_object_new_string(action_name(g->action)));
		json_object_object_add(e, "state", json_object_new_string(gstate[g->state]));
		json_object_object_add(e, "temp_filter", json_object_new_boolean(g->temp));
		json_object_object_add(e, "tries", json_object_new_int((int)g->tries));
		if (g->confirmed_ms)
			json_object_object_add(e, "handshake_ms", json_object_new_int((int)g->hs_ms));
		if (g->state != G_PENDING)
			json_object_object_add(e, "expires_ms", json_object_new_uint64(
				g->expires_ms > now ? g->expires_ms - now : 0));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "handshakes", arr);

	arr = json_object_new_array();
	for (unsigned int i = 0; d->areqs && i < d->cfg.max_active; i++) {
		const struct areq *a = &d->areqs[i];

		if (!a->used)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "kind", json_object_new_string(akind[a->kind]));
		json_object_object_add(e, "flow", jflow(&a->flow));
		json_object_object_add(e, "peer", jaddr(&a->requester));
		if (a->kind == A_RATELIMIT)
			json_object_object_add(e, "rate_pps", json_object_new_uint64(a->rate_pps));
		json_object_object_add(e, "stop_sent", json_object_new_boolean(a->stop_sent));
		json_object_object_add(e, "stop_acked", json_object_new_boolean(a->stop_acked));
		json_object_object_add(e, "expires_ms", json_object_new_uint64(
			a->expires_ms > now ? a->expires_ms - now : 0));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "filters", arr);

	arr = json_object_new_array();
	for (unsigned int i = 0; d->peers && i < d->n_peers; i++) {
		const struct peer *p = &d->peers[i];

		if (!p->used)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "addr", jaddr(&p->addr));
		json_object_object_add(e, "rx", json_object_new_uint64(p->rx));
		json_object_object_add(e, "rate_limited", json_object_new_uint64(p->limited));
		json_object_object_add(e, "bad", json_object_new_uint64(p->bad));
		json_object_object_add(e, "last_ms", json_object_new_uint64(now - p->last_ms));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "peers", arr);
	return o;
}

static const char *jstr(json_object *req, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(req, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* "ADDR/MARK,ADDR/MARK": the path as mtfctl prints it. */
static int parse_path(const char *s, struct mtf_ctl_flow *f)
{
	char buf[1024], *save = NULL, *tok, *slash;
	uint64_t mark;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		slash = strrchr(tok, '/');
		if (!slash || f->nslots >= MTF_CTL_SLOTS_MAX)
			return -EINVAL;
		*slash = '\0';
		if (parse_uint(slash + 1, PARSE_HEX, 0, UINT32_MAX, &mark) ||
		    mtfd_addr_parse(tok, &f->slots[f->nslots].addr))
			return -EINVAL;
		f->slots[f->nslots++].mark = (uint32_t)mark;
	}
	return f->nslots ? 0 : -EINVAL;
}

static json_object *do_request(struct mtfd *d, json_object *req, char *err,
			       size_t errlen)
{
	const char *action = jstr(req, "action"), *path = jstr(req, "path");
	const char *src = jstr(req, "src"), *dst = jstr(req, "dst");
	struct mtf_ctl_flow f;
	struct mtfd_prefix p;
	json_object *v;
	int64_t rate = 0;
	int ret;

	memset(&f, 0, sizeof(f));
	if (!action || !path) {
		snprintf(err, errlen, "a request needs action and path");
		return NULL;
	}
	if (parse_path(path, &f)) {
		snprintf(err, errlen, "bad path \"%s\" (ADDR/MARK,...)", path);
		return NULL;
	}
	if (src) {
		if (mtfd_prefix_parse(src, &p)) {
			snprintf(err, errlen, "bad source prefix \"%s\"", src);
			return NULL;
		}
		f.has_src = true;
		f.src = p.addr;
		f.src_plen = p.plen;
	}
	f.dst = d->cfg.self;
	if (dst && mtfd_addr_parse(dst, &f.dst)) {
		snprintf(err, errlen, "bad destination \"%s\"", dst);
		return NULL;
	}
	if (json_object_object_get_ex(req, "rate_pps", &v)) {
		rate = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || rate <= 0 ||
		    rate > 1000000000) {
			snprintf(err, errlen, "rate_pps is 1..10^9");
			return NULL;
		}
	}
	if (!strcmp(action, "cancel"))
		ret = victim_cancel(d, &f, err, errlen);
	else if (!strcmp(action, "block"))
		ret = victim_request(d, &f, MTF_CTL_BLOCK, 0, true, err, errlen);
	else if (!strcmp(action, "ratelimit"))
		ret = victim_request(d, &f, MTF_CTL_RATELIMIT, (uint64_t)rate, true, err,
				     errlen);
	else {
		snprintf(err, errlen, "action is block, ratelimit or cancel");
		return NULL;
	}
	return ret ? NULL : json_object_new_object();
}

static void handle(struct mtfd *d, int fd)
{
	char line[ADMIN_LINE_MAX + 1], err[256] = "";
	json_object *req = NULL, *rep = NULL, *out;
	const char *cmd, *s;
	size_t len = 0;
	ssize_t n;

	/* One short line from a local root client. */
	while (len < ADMIN_LINE_MAX && !memchr(line, '\n', len)) {
		n = read(fd, line + len, ADMIN_LINE_MAX - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	line[len] = '\0';
	req = json_tokener_parse(line);
	cmd = req ? jstr(req, "cmd") : NULL;
	if (!cmd)
		snprintf(err, sizeof(err), "not a JSON object with \"cmd\"");
	else if (!strcmp(cmd, "status"))
		rep = status_json(d);
	else if (!strcmp(cmd, "show"))
		rep = show_json(d);
	else if (!strcmp(cmd, "request"))
		rep = do_request(d, req, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "unknown command \"%s\"", cmd);
	out = rep ? rep : json_object_new_object();
	json_object_object_add(out, "ok", json_object_new_boolean(rep != NULL));
	if (!rep)
		json_object_object_add(out, "error", json_object_new_string(err));
	s = json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN);
	if (write(fd, s, strlen(s)) < 0 || write(fd, "\n", 1) < 0)
		log_debug("admin client went away");
	json_object_put(out);
	json_object_put(req);
}

void admin_accept(struct mtfd *d)
{
	struct timeval tv = { .tv_sec = 1 };
	int fd;

	for (int i = 0; i < 16; i++) {
		fd = accept4(d->admin, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			return;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		handle(d, fd);
		close(fd);
	}
}
