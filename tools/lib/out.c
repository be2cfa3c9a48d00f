// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <json-c/json.h>

#include "out.h"

void out_init(struct out *o, FILE *fp, bool json, bool pretty)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->json = json || pretty;
	o->pretty = pretty;
}

static struct json_object *out_cur(struct out *o)
{
	if (!o->depth) {
		o->stack[0] = json_object_new_object();
		if (!o->stack[0])
			return NULL;
		o->depth = 1;
	}
	return o->stack[o->depth - 1];
}

/* Takes ownership of v, even on failure. */
static void out_add(struct out *o, const char *key, struct json_object *v)
{
	struct json_object *cur = v ? out_cur(o) : NULL;

	if (!cur || json_object_object_add(cur, key, v)) {
		json_object_put(v);
		if (!o->err)
			o->err = -ENOMEM;
	}
}

void out_str(struct out *o, const char *key, const char *val)
{
	out_add(o, key, json_object_new_string(val));
}

void out_u64(struct out *o, const char *key, uint64_t val)
{
	out_add(o, key, json_object_new_uint64(val));
}

void out_obj_begin(struct out *o, const char *key)
{
	struct json_object *obj;

	if (o->depth >= OUT_MAX_DEPTH) {
		o->err = o->err ? o->err : -E2BIG;
		return;
	}
	obj = json_object_new_object();
	out_add(o, key, obj);
	if (!o->err)
		o->stack[o->depth++] = obj;
}

void out_obj_end(struct out *o)
{
	if (o->depth > 1)
		o->depth--;
}

/* Scalars of one object share a column, like ethtool -S. */
static void plain_obj(FILE *fp, struct json_object *obj, int indent)
{
	int w = 0, len;

	json_object_object_foreach(obj, k, v) {
		len = strlen(k);
		if (!json_object_is_type(v, json_type_object) && len > w)
			w = len;
	}
	json_object_object_foreach(obj, key, val) {
		if (json_object_is_type(val, json_type_object)) {
			fprintf(fp, "%*s%s:\n", indent, "", key);
			plain_obj(fp, val, indent + 2);
			continue;
		}
		fprintf(fp, "%*s%s:%*s %s\n", indent, "", key,
			w - (int)strlen(key), "", json_object_get_string(val));
	}
}

int out_flush(struct out *o)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	int ret = o->err;

	if (!ret && o->depth) {
		if (o->json) {
			flags |= o->pretty ? JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED :
					     JSON_C_TO_STRING_PLAIN;
			fprintf(o->fp, "%s\n",
				json_object_to_json_string_ext(o->stack[0], flags));
		} else {
			plain_obj(o->fp, o->stack[0], 0);
		}
		if (fflush(o->fp) || ferror(o->fp))
			ret = -EIO;
	}
	out_free(o);
	return ret;
}

void out_free(struct out *o)
{
	if (o->depth)
		json_object_put(o->stack[0]);
	o->depth = 0;
	o->err = 0;
}
