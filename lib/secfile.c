// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "secfile.h"

int roam_file_read(const char *path, bool secret, char **data, size_t *len,
		   char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t off = 0;
	ssize_t n;
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
		goto out;
	}
	ret = -EPERM;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (secret && (st.st_mode & 077)) {
		snprintf(err, errlen,
			 "%s: permissions %04o are too open (group/world access to a secret); run chmod 600 %s",
			 path, (unsigned int)(st.st_mode & 07777), path);
		goto out;
	}
	if (secret && st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(err, errlen, "%s: owned by uid %u, not by us or root",
			 path, (unsigned int)st.st_uid);
		goto out;
	}
	ret = -EFBIG;
	if (st.st_size > ROAM_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, ROAM_FILE_MAX);
		goto out;
	}
	ret = -ENOMEM;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, (size_t)st.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			snprintf(err, errlen, "%s: short read", path);
			roam_file_free(buf, off);
			buf = NULL;
			goto out;
		}
		off += (size_t)n;
	}
	buf[off] = 0;
	*data = buf;
	*len = off;
	ret = 0;
out:
	close(fd);
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
