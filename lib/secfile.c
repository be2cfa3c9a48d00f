// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "hex.h"
#include "secfile.h"

/* Ownership and mode of a secret; 0 or -EPERM with the fix in err. */
static int check_secret(const struct stat *st, const char *name, char *err,
			size_t errlen)
{
	if (st->st_mode & 077) {
		snprintf(err, errlen,
			 "%s: permissions %04o are too open (group/world access to a secret); run chmod 600 %s",
			 name, (unsigned int)(st->st_mode & 07777), name);
		return -EPERM;
	}
	if (st->st_uid != geteuid() && st->st_uid != 0) {
		snprintf(err, errlen, "%s: owned by uid %u, not by us or root",
			 name, (unsigned int)st->st_uid);
		return -EPERM;
	}
	return 0;
}

int roam_fd_read(int fd, const char *name, bool secret, char **data,
		 size_t *len, char *err, size_t errlen)
{
	size_t off = 0, cap = 4096;
	struct stat st;
	char *buf, *nbuf;
	ssize_t n;
	int ret;

	*data = NULL;
	if (fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return ret;
	}
	/* A pipe (stdin from a generator) has no mode worth checking. */
	if (S_ISREG(st.st_mode) && secret) {
		ret = check_secret(&st, name, err, errlen);
		if (ret)
			return ret;
	}
	if (S_ISREG(st.st_mode) && st.st_size > ROAM_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", name, ROAM_FILE_MAX);
		return -EFBIG;
	}
	if (S_ISREG(st.st_mode))
		cap = (size_t)st.st_size + 2;	/* and the NUL, and room to see EOF */
	buf = malloc(cap);
	if (!buf)
		goto nomem;
	for (;;) {
		if (off == cap - 1) {
			/* Grow by doubling; wipe what we leave behind. */
			if (cap > ROAM_FILE_MAX) {
				snprintf(err, errlen, "%s: larger than %d bytes", name,
					 ROAM_FILE_MAX);
				roam_file_free(buf, off);
				return -EFBIG;
			}
			nbuf = malloc(2 * cap);
			if (!nbuf) {
				roam_file_free(buf, off);
				goto nomem;
			}
			memcpy(nbuf, buf, off);
			roam_file_free(buf, off);
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + off, cap - 1 - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			roam_file_free(buf, off);
			return ret;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = 0;
	*data = buf;
	*len = off;
	return 0;
nomem:
	snprintf(err, errlen, "%s: out of memory", name);
	return -ENOMEM;
}

int roam_file_read(const char *path, bool secret, char **data, size_t *len,
		   char *err, size_t errlen)
{
	struct stat st;
	int fd, ret;

	*data = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		ret = -EPERM;
		snprintf(err, errlen, "%s: not a regular file", path);
	} else {
		ret = roam_fd_read(fd, path, secret, data, len, err, errlen);
	}
	close(fd);
	return ret;
}

int roam_key_file_read(const char *path, void *key, size_t n, char *err,
		       size_t errlen)
{
	uint8_t tmp[256];
	char *data;
	size_t len;
	int ret;

	if (n > sizeof(tmp))
		return -EINVAL;
	ret = roam_file_read(path, true, &data, &len, err, errlen);
	if (ret)
		return ret;
	if (len == n) {
		memcpy(tmp, data, n);
	} else if (len == 2 * n || (len == 2 * n + 1 && data[len - 1] == '\n')) {
		data[2 * n] = 0;
		ret = hex_decode(data, tmp, n, 0) ? -EINVAL : 0;
	} else {
		ret = -EINVAL;
	}
	roam_file_free(data, len);
	if (ret)
		snprintf(err, errlen, "%s: not a key of %zu bytes (or %zu hex digits)",
			 path, n, 2 * n);
	else
		memcpy(key, tmp, n);
	roam_memzero(tmp, sizeof(tmp));
	return ret;
}

void roam_file_free(char *data, size_t len)
{
	if (!data)
		return;
	roam_memzero(data, len);
	free(data);
}

int roam_file_write(const char *path, const void *data, size_t len, int mode)
{
	char tmp[4096];
	const char *p = data;
	ssize_t n;
	int fd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	/* The umask must not widen nor narrow what we asked for. */
	if (fchmod(fd, (mode_t)mode))
		ret = -errno;
	while (!ret && len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
