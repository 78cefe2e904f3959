/* control: a tiny request/reply socket for operator commands.
 *
 * A child listens on a unix SOCK_SEQPACKET socket in the runtime dir (the
 * VRRP child: <runtime dir>/vrrp.sock, for `lbha handover`).  A request is one
 * message "VERB ARG..." (words separated by single spaces, at most
 * CONTROL_MSG_MAX bytes); the reply is one message that starts with "ok" or
 * "error", then a space and text for the operator.  Seqpacket keeps message
 * boundaries, so neither side needs framing.
 *
 * The socket is created 0660 so a group can be given the right to drive it;
 * verbs are dispatched through a table the owner supplies. */
#ifndef LBHA_CONTROL_H
#define LBHA_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-event.h>

#define CONTROL_MSG_MAX 4096
#define CONTROL_ARGS_MAX 16

/* Handle one request.  argv[0] is the verb.  Write the reply text (without
 * "ok "/"error ") into reply; return 0 for ok or a negative errno for error. */
typedef int (*control_verb_fn)(void *userdata, size_t argc, char **argv, char *reply,
			       size_t reply_size);

struct control_verb {
	const char *name;
	size_t min_args, max_args;   /* not counting the verb */
	control_verb_fn fn;
};

struct control_server;

/* Listen on `path` (an old socket file there is replaced).  Returns 0 or a
 * negative errno. */
int control_server_new(sd_event *e, const char *path, const struct control_verb *verbs,
		       size_t n_verbs, void *userdata, struct control_server **ret);

/* Stop listening and unlink the socket file.  NULL-safe; returns NULL. */
struct control_server *control_server_free(struct control_server *s);

/* Client: send `request` to the socket at `path` and wait up to timeout_ms for
 * the reply (NUL-terminated into reply).  Returns 0 when a reply came (check
 * whether it starts with "ok"), or a negative errno (-ENOENT, -ECONNREFUSED:
 * nobody listens; -ETIMEDOUT). */
int control_request(const char *path, const char *request, int timeout_ms, char *reply,
		    size_t reply_size);

#endif
