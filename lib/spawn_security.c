/* spawn_security: may this program be run as root? (enable_script_security)
 *
 * A script run as root is as trusted as the least trusted user who can change
 * what gets executed.  Such a user can:
 *   - write the file itself: it is not owned by root, or it is writable by
 *     "other", or by its group when that group is not root;
 *   - replace an entry in any directory the path lookup goes through: the
 *     directory is not owned by root (an owner can always chmod it), or it is
 *     writable by other / a non-root group.  The sticky bit (as on /tmp)
 *     limits rename and unlink to the entry's owner, the directory's owner and
 *     root, so a writable sticky directory is safe for an entry owned by root
 *     (the directory's owner is root already, checked above);
 *   - swap a symlink met on the way, which is an entry like any other (a
 *     symlink's own mode means nothing; it cannot be rewritten in place), so
 *     each hop's target is walked in turn and its directories checked too.
 * The path is resolved component by component by hand (not realpath()), so
 * the directories holding intermediate symlinks are checked as well.
 *
 * Trusted: uid 0, and group write with gid 0, as keepalived does (members of
 * group root are taken to be administrators).  Not examined: POSIX ACLs and
 * capabilities such as CAP_DAC_OVERRIDE held by others; keepalived ignores
 * them too.  The check is a snapshot: it is made when asked, so an attacker
 * who could win the race would have to be able to write there, which is what
 * it rules out. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spawn.h"
#include "xalloc.h"

/* Linux's own limit on symlinks followed in one lookup. */
#define SECURITY_MAX_SYMLINKS 40

static bool writable_by_others(const struct stat *st)
{
	return (st->st_mode & S_IWOTH) || ((st->st_mode & S_IWGRP) && st->st_gid != 0);
}

static int refuse(char **ret_why, int r, const char *fmt, const char *what, const struct stat *st)
{
	if (ret_why) {
		if (st)
			*ret_why = xasprintf("%s: %s (owner %u, group %u, mode %04o)", what, fmt,
					     (unsigned)st->st_uid, (unsigned)st->st_gid,
					     (unsigned)(st->st_mode & 07777));
		else
			*ret_why = xasprintf("%s: %s", what, fmt);
	}
	return r;
}

/* May a non-root user replace `entry` (lstat in est) in directory `dir`? */
static int check_dir(const char *dir, const char *entry, const struct stat *est, char **ret_why)
{
	struct stat dst;

	if (lstat(dir, &dst) < 0)
		return refuse(ret_why, -errno, strerror(errno), dir, NULL);
	if (dst.st_uid != 0)
		return refuse(ret_why, -EPERM, "directory not owned by root", dir, &dst);
	if (writable_by_others(&dst)) {
		if (!(dst.st_mode & S_ISVTX))
			return refuse(ret_why, -EPERM,
				      "directory writable by a non-root user and not sticky", dir, &dst);
		if (est->st_uid != 0)
			return refuse(ret_why, -EPERM,
				      "not owned by root in a sticky directory others can write",
				      entry, est);
	}
	return 0;
}

/* Append "/name" (name of length len) to the directory path in *dir. */
static void dir_push(char **dir, const char *name, size_t len)
{
	char *n = xasprintf("%s%s%.*s", *dir, strcmp(*dir, "/") ? "/" : "", (int)len, name);

	free(*dir);
	*dir = n;
}

static void dir_pop(char *dir)
{
	char *slash = strrchr(dir, '/');

	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
}

/* Walk `path` (absolute) lookup by lookup.  `dir` is always a symlink-free
 * absolute path whose every step has been checked, so ".." may go back
 * lexically: the parent was checked on the way in. */
static int check_walk(const char *path, char **ret_why)
{
	char *todo = xstrdup(path), *dir = xstrdup("/");
	const char *p = todo;
	int links = 0, r = 0;

	for (;;) {
		size_t len;
		struct stat est;
		char *entry;
		bool last;

		while (*p == '/')
			p++;
		if (!*p) {
			/* path ended in a slash or was "/": not a file */
			r = refuse(ret_why, -EISDIR, "not a regular file", dir, NULL);
			break;
		}
		len = strcspn(p, "/");
		last = p[len] == '\0' || p[len + strspn(p + len, "/")] == '\0';
		if (len == 1 && p[0] == '.') {
			p += len;
			if (last) {
				r = refuse(ret_why, -EISDIR, "not a regular file", dir, NULL);
				break;
			}
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			dir_pop(dir);
			p += len;
			if (last) {
				r = refuse(ret_why, -EISDIR, "not a regular file", dir, NULL);
				break;
			}
			continue;
		}

		entry = xstrdup(dir);
		dir_push(&entry, p, len);
		if (lstat(entry, &est) < 0) {
			r = refuse(ret_why, -errno, strerror(errno), entry, NULL);
			free(entry);
			break;
		}
		r = check_dir(dir, entry, &est, ret_why);
		if (r < 0) {
			free(entry);
			break;
		}

		if (S_ISLNK(est.st_mode)) {
			char target[PATH_MAX];
			ssize_t n;
			char *next;

			if (++links > SECURITY_MAX_SYMLINKS) {
				r = refuse(ret_why, -ELOOP, "too many symbolic links", entry, NULL);
				free(entry);
				break;
			}
			n = readlink(entry, target, sizeof(target) - 1);
			if (n < 0) {
				r = refuse(ret_why, -errno, strerror(errno), entry, NULL);
				free(entry);
				break;
			}
			target[n] = '\0';
			/* splice the target in front of what is left */
			next = xasprintf("%s/%s", target, p + len);
			free(todo);
			todo = next;
			p = todo;
			if (target[0] == '/') {
				free(dir);
				dir = xstrdup("/");
			}
			free(entry);
			continue;
		}

		if (!last) {
			if (!S_ISDIR(est.st_mode)) {
				r = refuse(ret_why, -ENOTDIR, "not a directory", entry, NULL);
				free(entry);
				break;
			}
			free(dir);
			dir = entry;
			p += len;
			continue;
		}

		if (!S_ISREG(est.st_mode))
			r = refuse(ret_why, -EACCES, "not a regular file", entry, &est);
		else if (est.st_uid != 0)
			r = refuse(ret_why, -EPERM, "file not owned by root", entry, &est);
		else if (writable_by_others(&est))
			r = refuse(ret_why, -EPERM, "file writable by a non-root user", entry, &est);
		free(entry);
		break;
	}
	free(todo);
	free(dir);
	return r;
}

int spawn_check_security(const char *path, uid_t run_as, char **ret_why)
{
	char *prog = NULL, *abs;
	int r;

	if (ret_why)
		*ret_why = NULL;
	if (!path || !*path)
		return -EINVAL;
	if (run_as != 0)
		return 0;
	r = spawn_find_program(path, &prog);
	if (r < 0)
		return refuse(ret_why, r, "not found in " SPAWN_PATH, path, NULL);
	if (prog[0] == '/') {
		abs = prog;
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd))) {
			r = -errno;
			free(prog);
			return refuse(ret_why, r, "cannot resolve a relative path", path, NULL);
		}
		abs = xasprintf("%s/%s", cwd, prog);
		free(prog);
	}
	r = check_walk(abs, ret_why);
	free(abs);
	return r;
}
