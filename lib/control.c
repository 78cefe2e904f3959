#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "xalloc.h"

struct control_server {
	sd_event *event;
	sd_event_source *listen_src;
	int fd;
	char *path;
	const struct control_verb *verbs;
	size_t n_verbs;
	void *userdata;
};

/* One accepted connection: one request, one reply, then it is closed. */
struct control_conn {
	struct control_server *server;
	sd_event_source *src;
};

static int make_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

/* Split on single spaces into argv (in place).  Returns the count. */
static size_t split_words(char *text, char **argv, size_t max)
{
	size_t n = 0;
	char *save = NULL;

	for (char *p = strtok_r(text, " \n", &save); p && n < max; p = strtok_r(NULL, " \n", &save))
		argv[n++] = p;
	return n;
}

static const struct control_verb *find_verb(const struct control_server *s, const char *name)
{
	for (size_t i = 0; i < s->n_verbs; i++)
		if (strcmp(s->verbs[i].name, name) == 0)
			return &s->verbs[i];
	return NULL;
}

static void dispatch(struct control_server *s, char *request, char *reply, size_t size)
{
	char *argv[CONTROL_ARGS_MAX + 1];
	size_t argc = split_words(request, argv, CONTROL_ARGS_MAX + 1);
	char text[CONTROL_MSG_MAX - 16] = "";

	if (argc == 0) {
		snprintf(reply, size, "error empty request");
		return;
	}
	const struct control_verb *v = find_verb(s, argv[0]);
	if (!v) {
		snprintf(reply, size, "error unknown command '%.64s'", argv[0]);
		return;
	}
	if (argc - 1 < v->min_args || argc - 1 > v->max_args) {
		snprintf(reply, size, "error %s takes %zu to %zu arguments", v->name, v->min_args,
			 v->max_args);
		return;
	}
	int r = v->fn(s->userdata, argc, argv, text, sizeof(text));
	if (r < 0 && !text[0])
		snprintf(text, sizeof(text), "%s", strerror(-r));
	snprintf(reply, size, "%s %s", r < 0 ? "error" : "ok", text);
}

static int on_conn(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct control_conn *c = userdata;
	char request[CONTROL_MSG_MAX + 1];
	char reply[CONTROL_MSG_MAX];

	ssize_t n = recv(fd, request, CONTROL_MSG_MAX, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n > 0) {
		request[n] = '\0';
		dispatch(c->server, request, reply, sizeof(reply));
		(void)send(fd, reply, strlen(reply), MSG_DONTWAIT | MSG_NOSIGNAL);
	}
	sd_event_source_disable_unref(c->src);
	free(c);
	return 0;
}

static int on_accept(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct control_server *s = userdata;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (cfd < 0)
		return 0;
	struct control_conn *c = xnew(struct control_conn);
	c->server = s;
	int r = sd_event_add_io(s->event, &c->src, cfd, EPOLLIN, on_conn, c);
	if (r < 0) {
		close(cfd);
		free(c);
		return 0;
	}
	sd_event_source_set_io_fd_own(c->src, 1);
	sd_event_source_set_description(c->src, "control-conn");
	return 0;
}

int control_server_new(sd_event *e, const char *path, const struct control_verb *verbs,
		       size_t n_verbs, void *userdata, struct control_server **ret)
{
	struct sockaddr_un sa;
	int r = make_addr(path, &sa);

	if (r < 0)
		return r;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)unlink(path);
	/* Bind under a umask so the file is never briefly open to everyone. */
	mode_t old = umask(0117);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(fd, 8) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	struct control_server *s = xnew(struct control_server);
	*s = (struct control_server){ .event = e, .fd = fd, .path = xstrdup(path),
				      .verbs = verbs, .n_verbs = n_verbs, .userdata = userdata };
	r = sd_event_add_io(e, &s->listen_src, fd, EPOLLIN, on_accept, s);
	if (r < 0) {
		close(fd);
		(void)unlink(path);
		free(s->path);
		free(s);
		return r;
	}
	sd_event_source_set_io_fd_own(s->listen_src, 1);
	sd_event_source_set_description(s->listen_src, "control-listen");
	*ret = s;
	return 0;
}

struct control_server *control_server_free(struct control_server *s)
{
	if (!s)
		return NULL;
	sd_event_source_disable_unref(s->listen_src);
	(void)unlink(s->path);
	free(s->path);
	free(s);
	return NULL;
}

int control_request(const char *path, const char *request, int timeout_ms, char *reply,
		    size_t reply_size)
{
	struct sockaddr_un sa;
	int r = make_addr(path, &sa);

	if (r < 0)
		return r;
	if (reply_size == 0 || strlen(request) > CONTROL_MSG_MAX)
		return -EINVAL;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, request, strlen(request), MSG_NOSIGNAL) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	r = poll(&pfd, 1, timeout_ms);
	if (r <= 0) {
		r = r == 0 ? -ETIMEDOUT : -errno;
		close(fd);
		return r;
	}
	ssize_t n = recv(fd, reply, reply_size - 1, 0);
	r = n < 0 ? -errno : n == 0 ? -ECONNRESET : 0;
	reply[n > 0 ? n : 0] = '\0';
	close(fd);
	return r;
}
