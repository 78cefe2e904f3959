/* pidfile: a pid file that is also the instance lock.
 *
 * The file is locked with flock(2), not just written: a stale file left by a
 * crash is harmless (nobody holds its lock), and a running instance is
 * detected without trusting the pid in it.  flock locks belong to the open
 * file description, so the lock survives the fork()s of daemonizing.
 *
 * The same lock protects a directory (the runtime dir): pidfile_lock_dir()
 * takes it on the directory itself, so two instances cannot share one even
 * when their pid files are elsewhere. */
#ifndef LBHA_PIDFILE_H
#define LBHA_PIDFILE_H

#include <sys/types.h>

struct pidfile;

/* Create (mode 0644) or open `path` and lock it without waiting.
 * Returns 0 and *ret; -EBUSY when another process holds the lock, with the pid
 * written in the file in *ret_holder (0 if unreadable; ret_holder may be NULL);
 * another negative errno on failure. */
int pidfile_acquire(const char *path, struct pidfile **ret, pid_t *ret_holder);

/* Write `pid` (and a newline) into the locked file, replacing its content. */
int pidfile_write(struct pidfile *pf, pid_t pid);

/* Unlink the file (while still holding the lock), then close it.  NULL-safe;
 * returns NULL. */
struct pidfile *pidfile_release(struct pidfile *pf);

/* Close without unlinking (in a process that must not remove it).  NULL-safe. */
struct pidfile *pidfile_close(struct pidfile *pf);

/* Is `path` locked by someone?  Returns 1 (and the pid in the file, 0 if
 * unreadable, in *ret_pid if not NULL), 0 when absent or not locked, or a
 * negative errno. */
int pidfile_probe(const char *path, pid_t *ret_pid);

/* Lock the directory `path` itself (flock on an O_DIRECTORY descriptor).
 * Returns a descriptor to keep open (the lock lasts while it is), -EBUSY when
 * another process holds it, or another negative errno. */
int pidfile_lock_dir(const char *path);

/* 1 when the directory is locked by someone, 0 if not, negative errno. */
int pidfile_probe_dir(const char *path);

#endif
