/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON lines on stdout (the daemons' events: epoch, transfer, active...)
 * through json-c, one object per line, compact ({"event":"epoch",...}:
 * tests grep and jq them).
 */
#ifndef MTF_JSONL_H
#define MTF_JSONL_H

#include <stdio.h>

#include <json-c/json.h>

/* obj and a newline on f, flushed; drops the reference to obj.  0 or -EIO. */
int jsonl_print(FILE *f, struct json_object *obj);

#endif
