#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemonize.h"

int daemonize_fix_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (n < 0)
			return -errno;
		if (n != fd) {  /* a lower descriptor was closed too; fixed next round */
			close(n);
			return -EBADF;
		}
	}
	return 0;
}

static int stdio_to_devnull(void)
{
	int fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return -errno;
	for (int i = 0; i <= 2; i++)
		if (dup2(fd, i) < 0)
			return -errno;
	if (fd > 2)
		close(fd);
	return 0;
}

int daemonize(int *ret_report_fd)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;

	pid_t pid = fork();
	if (pid < 0) {
		int r = -errno;
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid > 0) {
		/* The original process: wait for the daemon's word. */
		unsigned char code = 1;
		close(p[1]);
		waitpid(pid, NULL, 0);
		ssize_t n;
		do
			n = read(p[0], &code, 1);
		while (n < 0 && errno == EINTR);
		_exit(n == 1 ? code : 1);
	}

	close(p[0]);
	if (setsid() < 0)
		_exit(1);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);  /* the session leader goes, so the daemon never gets a tty */

	if (chdir("/") < 0 || stdio_to_devnull() < 0)
		_exit(1);
	*ret_report_fd = p[1];
	return 0;
}

void daemonize_report(int fd, int exit_code)
{
	if (fd < 0)
		return;
	unsigned char code = (unsigned char)exit_code;
	ssize_t n = write(fd, &code, 1);
	(void)n;
	close(fd);
}
