/* log: one log sink per process, to stderr or syslog.
 *
 * Each process (parent, vrrp child, checker child) opens the log once at start
 * with its own ident ("lbha", "lbha-vrrp", "lbha-checker"), so every line says
 * which process wrote it.  This is the one deliberate piece of process-wide
 * state in lib/: like openlog(3), it is set once before anything else runs.
 *
 * Library code never logs; it returns negative errno or fills a diag list, and
 * the caller logs once.  Anything a remote peer can trigger goes through
 * log_ratelimited() so a flood of bad packets cannot flood the log. */
#ifndef LBHA_LOG_H
#define LBHA_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

struct diag;
struct ratelimit;

enum log_target {
	LOG_TARGET_STDERR,  /* "ident[pid]: level: message" lines on stderr */
	LOG_TARGET_SYSLOG,  /* syslog(3), facility daemon */
	_LOG_TARGET_MAX,
};

/* Open the log.  `ident` must stay valid while the log is open (a string
 * literal).  `debug` enables log_debug().  With LOG_TARGET_SYSLOG and a
 * terminal on stderr, lines are also echoed to stderr until log_stop_echo(), so
 * a start-up error is seen by whoever typed the command. */
void log_open(const char *ident, enum log_target target, bool debug);

/* Stop echoing syslog lines to stderr (called once the daemon has detached). */
void log_stop_echo(void);

/* Close syslog if it was open; later messages go to stderr. */
void log_close(void);

bool log_debug_enabled(void);

/* Log one message at a syslog priority (LOG_ERR ... LOG_DEBUG).  A trailing
 * newline in fmt is not needed. */
void log_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_msgv(int priority, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Log with ": <strerror(err)>" appended; err may be positive or negative.
 * Returns -|err| so callers can write `return log_errno(LOG_ERR, r, "...")`. */
int log_errno(int priority, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Log only when the token bucket `rl` allows it at `now_usec` (monotonic).
 * The first message let through after some were dropped says how many. */
void log_ratelimited(struct ratelimit *rl, uint64_t now_usec, int priority, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Log every entry of a diag list, one line each ("file:line: message" at
 * LOG_ERR or LOG_WARNING), then how many were not stored, if any. */
void log_diag(const struct diag *d);

#define log_error(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
