// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "jsonl.h"

int jsonl_print(FILE *f, struct json_object *obj)
{
	const char *s;
	int ret = -EIO;

	s = obj ? json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
						 JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	if (s && fprintf(f, "%s\n", s) >= 0 && !fflush(f))
		ret = 0;
	json_object_put(obj);
	return ret;
}
