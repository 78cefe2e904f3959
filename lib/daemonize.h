/* daemonize: detach from the terminal, the classic double fork.
 *
 * Unlike daemon(3), the command that was typed only returns once the daemon
 * says it has started (pid file written, children forked), and with the
 * daemon's exit code if it failed, so `lbha && echo ok` means something.
 * Called in a process with a single thread, before the event loop exists. */
#ifndef LBHA_DAEMONIZE_H
#define LBHA_DAEMONIZE_H

/* Fork twice (setsid in between), chdir("/"), point stdin/stdout/stderr at
 * /dev/null.  Returns 0 in the daemon with a descriptor in *ret_report_fd for
 * daemonize_report().  The original process does not return: it waits for the
 * report and exits with its code (1 when the daemon died without reporting).
 * Returns a negative errno, still in the original process, when a fork fails. */
int daemonize(int *ret_report_fd);

/* Tell the waiting original process to exit with `exit_code`, and close fd.
 * A negative fd is ignored (the -n case: nobody waits). */
void daemonize_report(int fd, int exit_code);

/* Open /dev/null on any of descriptors 0, 1, 2 that is closed, so sockets and
 * files opened later never land there.  Returns 0 or a negative errno. */
int daemonize_fix_stdio(void);

#endif
