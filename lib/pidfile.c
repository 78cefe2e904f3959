#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pidfile.h"
#include "xalloc.h"

struct pidfile {
	int fd;
	char *path;
};

/* Give up after this many races with a concurrent unlink (see below). */
#define PIDFILE_MAX_RETRIES 5

static pid_t read_pid_fd(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	long v = strtol(buf, NULL, 10);
	return v > 0 && v < (1L << 22) ? (pid_t)v : 0;
}

int pidfile_acquire(const char *path, struct pidfile **ret, pid_t *ret_holder)
{
	for (int attempt = 0; attempt < PIDFILE_MAX_RETRIES; attempt++) {
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int r = errno == EWOULDBLOCK ? -EBUSY : -errno;
			if (ret_holder)
				*ret_holder = read_pid_fd(fd);
			close(fd);
			return r;
		}
		/* The previous holder may have unlinked the file between our open
		 * and our flock; then we locked an orphan inode.  Retry unless the
		 * name still points at what we hold. */
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			/* readable by all whatever the umask (init scripts, `lbha
			 * status` as any user), as the status files are */
			if ((a.st_mode & 07777) != 0644)
				(void)fchmod(fd, 0644);
			struct pidfile *pf = xnew(struct pidfile);
			pf->fd = fd;
			pf->path = xstrdup(path);
			*ret = pf;
			return 0;
		}
		close(fd);
	}
	return -EAGAIN;
}

int pidfile_write(struct pidfile *pf, pid_t pid)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);

	if (ftruncate(pf->fd, 0) < 0)
		return -errno;
	if (pwrite(pf->fd, buf, (size_t)n, 0) != n)
		return errno ? -errno : -EIO;
	return 0;
}

struct pidfile *pidfile_close(struct pidfile *pf)
{
	if (!pf)
		return NULL;
	close(pf->fd);
	free(pf->path);
	free(pf);
	return NULL;
}

struct pidfile *pidfile_release(struct pidfile *pf)
{
	if (!pf)
		return NULL;
	unlink(pf->path);
	return pidfile_close(pf);
}

/* 1 when someone holds an exclusive lock on fd's file, 0 if not. */
static int probe_fd(int fd)
{
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		return 0;
	}
	return errno == EWOULDBLOCK ? 1 : -errno;
}

int pidfile_probe(const char *path, pid_t *ret_pid)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	int r = probe_fd(fd);
	if (r > 0 && ret_pid)
		*ret_pid = read_pid_fd(fd);
	close(fd);
	return r;
}

int pidfile_lock_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return r;
	}
	return fd;
}

int pidfile_probe_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	int r = probe_fd(fd);
	close(fd);
	return r;
}
