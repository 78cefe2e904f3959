#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "log.h"
#include "ratelimit.h"

/* Longest line written; longer messages are cut and end in "...". */
#define LOG_LINE_MAX 2048

/* Process-wide, set once by log_open() (see log.h for why this is a global). */
static struct {
	const char *ident;
	enum log_target target;
	bool debug;
	bool echo;     /* syslog target: also write to stderr */
	bool journal;  /* stderr is a journald stream: prefix lines with <priority> */
} log_state = { .ident = "lbha", .target = LOG_TARGET_STDERR };

static const char *const level_names[LOG_DEBUG + 1] = {
	[LOG_EMERG] = "emergency: ",
	[LOG_ALERT] = "alert: ",
	[LOG_CRIT] = "critical: ",
	[LOG_ERR] = "error: ",
	[LOG_WARNING] = "warning: ",
	[LOG_NOTICE] = "",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

/* systemd sets JOURNAL_STREAM=dev:ino when stderr goes to the journal; then a
 * "<N>" prefix keeps each line's priority (sd-daemon(3)). */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
		return false;
	return st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
}

void log_open(const char *ident, enum log_target target, bool debug)
{
	log_close();
	log_state.ident = ident;
	log_state.target = target;
	log_state.debug = debug;
	log_state.journal = stderr_is_journal();
	log_state.echo = target == LOG_TARGET_SYSLOG && isatty(STDERR_FILENO);
	if (target == LOG_TARGET_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_stop_echo(void)
{
	log_state.echo = false;
}

void log_close(void)
{
	if (log_state.target == LOG_TARGET_SYSLOG)
		closelog();
	log_state.target = LOG_TARGET_STDERR;
	log_state.echo = false;
}

bool log_debug_enabled(void)
{
	return log_state.debug;
}

static void write_stderr(int priority, const char *msg)
{
	char line[LOG_LINE_MAX + 64];
	int n;

	if (log_state.journal)
		n = snprintf(line, sizeof(line), "<%d>%s[%d]: %s\n", priority, log_state.ident,
			     (int)getpid(), msg);
	else
		n = snprintf(line, sizeof(line), "%s[%d]: %s%s\n", log_state.ident, (int)getpid(),
			     level_names[priority], msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* One write per line, so lines of the three processes sharing stderr do
	 * not interleave. */
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}

void log_msgv(int priority, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX];
	int saved_errno = errno;

	if (priority < LOG_EMERG || priority > LOG_DEBUG)
		priority = LOG_ERR;
	if (priority == LOG_DEBUG && !log_state.debug)
		return;

	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n >= (int)sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);

	if (log_state.target == LOG_TARGET_SYSLOG)
		syslog(priority, "%s", msg);
	if (log_state.target == LOG_TARGET_STDERR || log_state.echo)
		write_stderr(priority, msg);
	errno = saved_errno;
}

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msgv(priority, fmt, ap);
	va_end(ap);
}

int log_errno(int priority, int err, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	if (err < 0)
		err = -err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(priority, "%s: %s", msg, strerror(err));
	return -err;
}

void log_ratelimited(struct ratelimit *rl, uint64_t now_usec, int priority, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	if (!ratelimit_allow(rl, now_usec))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	unsigned dropped = ratelimit_take_suppressed(rl);
	if (dropped)
		log_msg(priority, "%s (%u similar messages suppressed)", msg, dropped);
	else
		log_msg(priority, "%s", msg);
}

void log_diag(const struct diag *d)
{
	for (size_t i = 0; i < d->n_entries; i++) {
		const struct diag_entry *e = &d->entries[i];
		int prio = e->severity == DIAG_ERROR ? LOG_ERR : LOG_WARNING;

		if (e->file && e->line)
			log_msg(prio, "%s:%u: %s", e->file, e->line, e->message);
		else if (e->file)
			log_msg(prio, "%s: %s", e->file, e->message);
		else
			log_msg(prio, "%s", e->message);
	}
	if (d->n_dropped)
		log_msg(LOG_WARNING, "%zu more problems not shown", d->n_dropped);
}
