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
	int ret = -1;

	if (cur && json_object_is_type(cur, json_type_array))
		ret = json_object_array_add(cur, v);
	else if (cur)
		ret = json_object_object_add(cur, key, v);
	if (ret) {
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

void out_bool(struct out *o, const char *key, bool val)
{
	out_add(o, key, json_object_new_boolean(val));
}

static void out_container(struct out *o, const char *key,
			  struct json_object *obj)
{
	if (o->depth >= OUT_MAX_DEPTH) {
		json_object_put(obj);
		o->err = o->err ? o->err : -E2BIG;
		return;
	}
	out_add(o, key, obj);
	if (!o->err)
		o->stack[o->depth++] = obj;
}

void out_obj_begin(struct out *o, const char *key)
{
	out_container(o, key, json_object_new_object());
}

void out_obj_end(struct out *o)
{
	if (o->depth > 1)
		o->depth--;
}

void out_arr_begin(struct out *o, const char *key)
{
	out_container(o, key, json_object_new_array());
}

void out_arr_end(struct out *o)
{
	out_obj_end(o);
}

static void plain_obj(FILE *fp, struct json_object *obj, int indent);

/* Scalars on one line; objects (path slots) one per line, "- " first. */
static void plain_arr(FILE *fp, struct json_object *arr, int indent)
{
	size_t i, n = json_object_array_length(arr);
	struct json_object *v;

	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(arr, i);
		if (json_object_is_type(v, json_type_object)) {
			fprintf(fp, "%*s-\n", indent, "");
			plain_obj(fp, v, indent + 2);
		} else {
			fprintf(fp, "%s%s", i ? " " : "", json_object_get_string(v));
		}
	}
	if (n && !json_object_is_type(json_object_array_get_idx(arr, 0),
				      json_type_object))
		fputs("\n", fp);
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
		if (json_object_is_type(val, json_type_array)) {
			fprintf(fp, "%*s%s:%*s ", indent, "", key,
				w - (int)strlen(key), "");
			if (json_object_array_length(val) &&
			    json_object_is_type(json_object_array_get_idx(val, 0),
						json_type_object))
				fputs("\n", fp);
			plain_arr(fp, val, indent + 2);
			continue;
		}
		fprintf(fp, "%*s%s:%*s %s\n", indent, "", key,
			w - (int)strlen(key), "", json_object_get_string(val));
	}
}

static int json_flags(const struct out *o)
{
	return JSON_C_TO_STRING_NOSLASHESCAPE |
	       (o->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			    JSON_C_TO_STRING_PLAIN);
}

int out_flush(struct out *o)
{
	int ret = o->err;

	if (!ret && o->depth) {
		if (o->json) {
			fprintf(o->fp, "%s\n",
				json_object_to_json_string_ext(o->stack[0],
							       json_flags(o)));
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

/*
 * JSON lists only: text-mode callers print their own lines.  The '[' is
 * held back until the first element or the end, so that a dump failing
 * at once prints nothing but the error.
 */
void out_list_begin(struct out *o)
{
	o->list = true;
	o->n_elems = 0;
	out_free(o);
}

/* Render the tree built since the last element as the next element. */
int out_list_elem(struct out *o)
{
	const char *s, *nl;
	int ret = o->err;

	if (!ret && o->depth && o->json) {
		s = json_object_to_json_string_ext(o->stack[0], json_flags(o));
		fputc(o->n_elems++ ? ',' : '[', o->fp);
		if (!o->pretty) {
			fputs(s, o->fp);
		} else {
			/* Indent the element one level inside the array. */
			for (; *s; s = *nl ? nl + 1 : nl) {
				nl = strchrnul(s, '\n');
				fprintf(o->fp, "\n  %.*s", (int)(nl - s), s);
			}
		}
		if (ferror(o->fp))
			ret = -EIO;
	}
	out_free(o);
	return ret;
}

/* failed: the dump broke off; close what was printed, if anything. */
int out_list_end(struct out *o, bool failed)
{
	int ret = 0;

	if (o->json && (o->n_elems || !failed))
		fputs(!o->n_elems ? "[]\n" : o->pretty ? "\n]\n" : "]\n", o->fp);
	o->list = false;
	if (fflush(o->fp) || ferror(o->fp))
		ret = -EIO;
	return ret;
}
