/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output as aligned "name: value" text or JSON (-j, -p).  Callers add
 * values to a tree; out_flush() renders it one way or the other, so every
 * command gets both formats from the same code.
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
	unsigned int depth;
	struct json_object *stack[OUT_MAX_DEPTH];
};

void out_init(struct out *o, FILE *fp, bool json, bool pretty);
void out_str(struct out *o, const char *key, const char *val);
void out_u64(struct out *o, const char *key, uint64_t val);
void out_obj_begin(struct out *o, const char *key);
void out_obj_end(struct out *o);
int out_flush(struct out *o);
void out_free(struct out *o);

#endif
