/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output as aligned "name: value" text or JSON (-j, -p).  Callers add
 * values to a tree; out_flush() renders it one way or the other, so every
 * command gets both formats from the same code.
 *
 * Dumps can be far too large for one tree (a million filters), so a list
 * is streamed instead: out_list_begin(), then per entry a tree rendered
 * as one array element by out_list_elem(), then out_list_end().  Lists
 * are JSON only; in text mode commands print their own one-line entries.
 */
#ifndef TOOLS_OUT_H
#define TOOLS_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OUT_MAX_DEPTH 8

struct json_object;

struct out {
	FILE *fp;
	bool json;
	bool pretty;
	int err;		/* first error, sticky like ferror() */
	bool list;		/* inside out_list_begin() .. _end() */
	unsigned long n_elems;
	unsigned int depth;
	struct json_object *stack[OUT_MAX_DEPTH];
};

void out_init(struct out *o, FILE *fp, bool json, bool pretty);
void out_str(struct out *o, const char *key, const char *val);
void out_u64(struct out *o, const char *key, uint64_t val);
void out_bool(struct out *o, const char *key, bool val);
/* key is ignored inside an array. */
void out_obj_begin(struct out *o, const char *key);
void out_obj_end(struct out *o);
void out_arr_begin(struct out *o, const char *key);
void out_arr_end(struct out *o);
int out_flush(struct out *o);
void out_list_begin(struct out *o);
int out_list_elem(struct out *o);
int out_list_end(struct out *o, bool failed);
void out_free(struct out *o);

#endif
