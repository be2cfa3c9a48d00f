/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading and writing secret files.  A secret must be a regular file
 * owned by us (or root) with no group or world permission bits; anything
 * else is refused with a message that names the file and the fix.
 */
#ifndef ROAM_SECFILE_H
#define ROAM_SECFILE_H

#include <stdbool.h>
#include <stddef.h>

#define ROAM_FILE_MAX	(1 << 20)

/*
 * Read a whole file into a malloc'ed, NUL-terminated buffer.  With
 * `secret`, check ownership and mode first.  0 or -errno; on failure a
 * reason is in err.
 */
int roam_file_read(const char *path, bool secret, char **data, size_t *len,
		   char *err, size_t errlen);

/*
 * The same from an open descriptor (mtfctl's "-" for stdin): a regular
 * file gets the checks above, a pipe is read to its end; at most
 * ROAM_FILE_MAX bytes.  name is for the messages.
 */
int roam_fd_read(int fd, const char *name, bool secret, char **data,
		 size_t *len, char *err, size_t errlen);

/* Free (and for secrets wipe) what roam_file_read returned. */
void roam_file_free(char *data, size_t len);

/*
 * A key of n bytes from a secret file (checked as above): exactly n
 * bytes, or 2n lowercase or uppercase hex digits with an optional final
 * newline (as roamd's and mtfd's key files).  0, or -errno / -EINVAL
 * with a reason in err; key is untouched on failure.
 */
int roam_key_file_read(const char *path, void *key, size_t n, char *err,
		       size_t errlen);

/* Write atomically (temp file + rename) with the given mode. 0 or -errno. */
int roam_file_write(const char *path, const void *data, size_t len, int mode);

#endif
