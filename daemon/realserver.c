#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic_file.h"
#include "daemon/options.h"
#include "daemon/realserver.h"
#include "daemon/realserver_plan.h"
#include "daemon/realserver_state.h"
#include "rtnl.h"
#include "xalloc.h"

#define STATE_FILE "realserver.state"
#define STATE_MAX_BYTES (1024 * 1024)
#define LINE_MAX_LEN 256

/* ---- sysctls ------------------------------------------------------------------ */

static int sysctl_read(const char *key, int *ret)
{
	char path[PATH_MAX], buf[32];

	if (!rs_sysctl_path(key, path, sizeof(path)))
		return -ENAMETOOLONG;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (err < 0)
		return err;
	buf[n] = '\0';
	char *end;
	long v = strtol(buf, &end, 10);
	if (end == buf || (*end && *end != '\n'))
		return -EBADMSG;
	*ret = (int)v;
	return 0;
}

static int sysctl_write(const char *key, int value)
{
	char path[PATH_MAX], buf[32];

	if (!rs_sysctl_path(key, path, sizeof(path)))
		return -ENAMETOOLONG;
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int len = snprintf(buf, sizeof(buf), "%d\n", value);
	ssize_t n = write(fd, buf, (size_t)len);
	int err = n < 0 ? -errno : n != len ? -EIO : 0;
	if (close(fd) < 0 && err == 0)
		err = -errno;
	return err;
}

/* ---- links, addresses, modules ---------------------------------------------------- */

/* lib/rtnl.h reads links but does not set flags; the classic ioctl does. */
static int link_set_up(const char *ifname, bool up)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int r = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		r = -errno;
	} else {
		ifr.ifr_flags = (short)(up ? ifr.ifr_flags | IFF_UP : ifr.ifr_flags & ~IFF_UP);
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			r = -errno;
	}
	close(fd);
	return r;
}

static struct rtnl_addr addr_of(int ifindex, const struct rs_change *c)
{
	struct rtnl_addr a;

	rtnl_addr_init(&a);
	a.ifindex = ifindex;
	a.local.family = c->addr.family;
	memcpy(&a.local.u, &c->addr.u, sizeof(a.local.u));
	a.prefixlen = c->prefixlen;
	a.scope = RT_SCOPE_UNIVERSE; /* as `ip addr add`: replies leave with the VIP */
	return a;
}

/* modprobe is the one program run: module dependencies and options are its
 * business.  Clean environment; its own messages go to our stderr. */
static int module_load(const char *module)
{
	static const char *const paths[] = { "/usr/sbin/modprobe", "/sbin/modprobe",
					     "/usr/bin/modprobe", "/bin/modprobe" };
	char *const env[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	const char *path = NULL;
	int status;
	pid_t pid;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !path; i++)
		if (access(paths[i], X_OK) == 0)
			path = paths[i];
	if (!path)
		return -ENOENT;
	char *const argv[] = { (char *)"modprobe", (char *)module, NULL };
	/* (lib/spawn.h shadows <spawn.h> on our include path, and lib/spawn
	 * needs an event loop: a plain fork and exec for a one-shot command) */
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execve(path, argv, env);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ENOPKG;
}

/* ---- observe ------------------------------------------------------------------ */

static void observe_link(struct rtnl *r, const char *ifname, struct rtnl_link *l, bool *ret_found)
{
	*ret_found = rtnl_link_get_by_name(r, ifname, l) == 0;
}

/* What is there for (kind, name, addr); `fallback` only for a forward run. */
static int observe(struct rtnl *r, enum rs_kind kind, const char *name, const struct rs_change *a,
		   const char *fallback, struct rs_have *ret)
{
	struct rtnl_link l;
	bool found;
	int err;

	*ret = (struct rs_have){ 0 };
	switch (kind) {
	case RS_SYSCTL:
		err = sysctl_read(name, &ret->value);
		if (err == -ENOENT && fallback && *fallback)
			err = sysctl_read(fallback, &ret->value);
		if (err == -ENOENT)
			return 0;
		ret->present = err == 0;
		return err;
	case RS_MODULE:
	case RS_LINK_UP:
		/* a module "is there" when its device is */
		observe_link(r, name, &l, &found);
		ret->present = found;
		ret->value = found && (l.flags & IFF_UP);
		return 0;
	case RS_ADDR: {
		observe_link(r, name, &l, &found);
		if (!found)
			return 0;
		struct rtnl_addr ra = addr_of(l.ifindex, a);
		err = rtnl_addr_present(r, l.ifindex, &ra.local);
		ret->present = err > 0;
		return err < 0 ? err : 0;
	}
	default:
		return -EINVAL;
	}
}

static int observe_want(struct rtnl *r, const struct rs_want *w, struct rs_have *ret)
{
	struct rs_change a = { .addr = w->addr, .prefixlen = w->prefixlen };

	return observe(r, w->kind, w->kind == RS_MODULE ? w->ifname : w->name, &a, w->fallback,
		       ret);
}

/* ---- apply and undo ------------------------------------------------------------- */

static int addr_change(struct rtnl *r, const struct rs_change *c, bool add)
{
	struct rtnl_link l;
	int err = rtnl_link_get_by_name(r, c->name, &l);

	if (err < 0)
		return err;
	struct rtnl_addr a = addr_of(l.ifindex, c);
	return add ? rtnl_addr_add(r, &a) : rtnl_addr_del(r, &a);
}

static int apply(struct rtnl *r, const struct rs_change *c)
{
	switch (c->kind) {
	case RS_MODULE: return module_load(c->name);
	case RS_SYSCTL: return sysctl_write(c->name, c->new_value);
	case RS_LINK_UP: return link_set_up(c->name, true);
	case RS_ADDR: return addr_change(r, c, true);
	default: return -EINVAL;
	}
}

static int revert(struct rtnl *r, const struct rs_change *c)
{
	int err;

	switch (c->kind) {
	case RS_SYSCTL: return sysctl_write(c->name, c->old_value);
	case RS_LINK_UP: return link_set_up(c->name, false);
	case RS_ADDR:
		err = addr_change(r, c, false);
		return err == -EADDRNOTAVAIL ? 0 : err;
	default: return 0;
	}
}

/* ---- the state file ------------------------------------------------------------- */

static int state_load(const char *path, struct rs_state *ret)
{
	char *text = NULL;
	unsigned line = 0;
	int r = atomic_file_read(path, STATE_MAX_BYTES, &text, NULL);

	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		fprintf(stderr, "lbha: cannot read %s: %s\n", path, strerror(-r));
		return r;
	}
	r = rs_state_parse(text, ret, &line);
	free(text);
	if (r < 0)
		fprintf(stderr, "lbha: %s:%u: not a state file lbha realserver wrote; "
			"move it away if the changes it recorded are gone\n", path, line);
	return r;
}

static int state_save(const char *dir, const char *path, const struct rs_state *s)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "lbha: cannot create %s: %s\n", dir, strerror(errno));
		return -errno;
	}
	char *text = rs_state_format(s);
	int r = atomic_file_write(path, text, strlen(text), 0644);
	free(text);
	if (r < 0)
		fprintf(stderr, "lbha: cannot write %s: %s; stopped, as --undo could not undo "
			"what follows\n", path, strerror(-r));
	return r;
}

/* ---- the command ------------------------------------------------------------------ */

static void print_change(const struct rs_change *c, enum rs_tense t)
{
	char line[LINE_MAX_LEN];

	puts(rs_change_describe(c, t, line, sizeof(line)));
}

static const char *error_hint(const struct rs_change *c, int err)
{
	if (c->kind == RS_MODULE && err == -ENOPKG)
		return "modprobe failed (is the module in this kernel?)";
	if (c->kind == RS_MODULE && err == -ENOENT)
		return "modprobe is not installed";
	return strerror(-err);
}

static void print_error(const struct rs_change *c, int err)
{
	char line[LINE_MAX_LEN];

	fprintf(stderr, "lbha: cannot %s: %s\n",
		rs_change_describe(c, RS_WOULD, line, sizeof(line)) + strlen("would "),
		error_hint(c, err));
}

/* Observe every want and plan; returns the number of changes or < 0. */
static int plan(struct rtnl *r, const struct rs_want *w, size_t n, struct rs_change *ret)
{
	struct rs_have *h = xcalloc(n ? n : 1, sizeof(*h));
	int err = 0;

	for (size_t i = 0; i < n && err == 0; i++) {
		err = observe_want(r, &w[i], &h[i]);
		if (err < 0)
			fprintf(stderr, "lbha: cannot read the state of %s: %s\n", w[i].name,
				strerror(-err));
	}
	size_t k = err < 0 ? 0 : rs_plan(w, h, n, ret);
	free(h);
	return err < 0 ? err : (int)k;
}

/* Apply changes[0..n) of the kinds `only` (or all when only < 0); stops at
 * the first failure.  Each change is written to the state file before it is
 * made (and taken out again if it fails), so that --undo knows it even if
 * lbha dies half way: undoing a change that was never made finds it
 * "already" undone. */
static int apply_all(struct rtnl *r, const struct rs_change *c, size_t n, int only,
		     const struct realserver_args *a, const char *path, struct rs_state *state)
{
	for (size_t i = 0; i < n; i++) {
		if (only >= 0 && c[i].kind != (enum rs_kind)only)
			continue;
		bool added = rs_state_add(state, &c[i]);
		if (added && state_save(a->runtime_dir, path, state) < 0)
			return -EIO;
		int err = apply(r, &c[i]);
		if (err < 0) {
			print_error(&c[i], err);
			if (added && --state->n == 0)
				unlink(path);
			else if (added)
				state_save(a->runtime_dir, path, state);
			return err;
		}
		print_change(&c[i], RS_DONE);
	}
	return 0;
}

static bool has_kind(const struct rs_change *c, size_t n, enum rs_kind kind)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].kind == kind)
			return true;
	return false;
}

static void print_nothing(enum rs_mode mode, char *const *vips, size_t n)
{
	printf("nothing to change: %s for", rs_mode_to_string(mode));
	for (size_t i = 0; i < n; i++)
		printf("%s %s", i ? "," : "", vips[i]);
	printf(" is in place\n");
}

static int do_setup(struct rtnl *r, const struct realserver_args *a, enum rs_mode mode,
		    const struct config_addr *vips, const char *path, struct rs_state *state)
{
	struct rs_want *w = NULL;
	size_t n = 0;
	int k, err;

	if (rs_wants(mode, vips, a->n_vips, &w, &n) < 0)
		return LBHA_EXIT_USAGE;
	struct rs_change *c = xcalloc(n ? n : 1, sizeof(*c));

	k = plan(r, w, n, c);
	if (k <= 0 || a->dry_run) {
		for (int i = 0; i < k; i++)
			print_change(&c[i], RS_WOULD);
		if (k == 0)
			print_nothing(mode, a->vips, a->n_vips);
		goto out;
	}
	/* Modules first, then look again: the device they create brings its
	 * own sysctls, whose values only now can be read. */
	bool modules = has_kind(c, (size_t)k, RS_MODULE);
	err = apply_all(r, c, (size_t)k, RS_MODULE, a, path, state);
	if (err == 0 && modules) {
		k = plan(r, w, n, c);
		if (k > 0 && has_kind(c, (size_t)k, RS_MODULE)) {
			for (int i = 0; i < k; i++)
				if (c[i].kind == RS_MODULE)
					fprintf(stderr, "lbha: module %s is loaded but its device "
						"did not appear in this network namespace "
						"(net.core.fb_tunnels_only_for_init_net?)\n",
						c[i].name);
			k = -ENODEV;
		}
		err = k < 0 ? k : 0;
	}
	if (err == 0)
		err = apply_all(r, c, (size_t)k, -1, a, path, state);
	k = err;
out:
	free(c);
	free(w);
	return k < 0 ? LBHA_EXIT_FAILURE : LBHA_EXIT_OK;
}

static int do_undo(struct rtnl *r, const struct realserver_args *a, const char *path,
		   struct rs_state *state)
{
	struct rs_state left = { 0 };
	char line[LINE_MAX_LEN];
	int code = LBHA_EXIT_OK;

	if (state->n == 0) {
		printf("nothing to undo: no change recorded in %s\n", path);
		return LBHA_EXIT_OK;
	}
	/* newest first: the VIP goes before the ARP sysctls come back */
	for (size_t i = state->n; i-- > 0;) {
		const struct rs_change *c = &state->v[i];
		struct rs_have now;
		int err = observe(r, c->kind, c->name, c, NULL, &now);
		if (err < 0) {
			fprintf(stderr, "lbha: cannot read the state of %s: %s\n", c->name,
				strerror(-err));
			rs_state_add(&left, c);
			code = LBHA_EXIT_FAILURE;
			continue;
		}
		enum rs_undo u = rs_undo_decide(c, &now);
		if (u == RS_UNDO_RESTORE && !a->dry_run && (err = revert(r, c)) < 0) {
			fprintf(stderr, "lbha: cannot undo '%s': %s\n",
				rs_change_describe(c, RS_DONE, line, sizeof(line)), strerror(-err));
			rs_state_add(&left, c);
			code = LBHA_EXIT_FAILURE;
			continue;
		}
		puts(rs_undo_describe(c, u, &now, a->dry_run ? RS_WOULD : RS_DONE, line,
				      sizeof(line)));
	}
	if (a->dry_run) {
		rs_state_done(&left);
		return code;
	}
	if (left.n == 0) {
		if (unlink(path) < 0 && errno != ENOENT) {
			fprintf(stderr, "lbha: cannot remove %s: %s\n", path, strerror(errno));
			code = LBHA_EXIT_FAILURE;
		}
	} else {
		/* keep what could not be undone, oldest first, for another try */
		struct rs_state keep = { 0 };
		for (size_t i = left.n; i-- > 0;)
			rs_state_add(&keep, &left.v[i]);
		state_save(a->runtime_dir, path, &keep);
		rs_state_done(&keep);
	}
	rs_state_done(&left);
	return code;
}

static int parse_args(const struct realserver_args *a, enum rs_mode *ret_mode,
		      struct config_addr **ret_vips)
{
	*ret_mode = a->mode ? rs_mode_from_string(a->mode) : _RS_MODE_INVALID;
	if (!a->undo && *ret_mode < 0) {
		fprintf(stderr, "lbha: realserver needs --mode dr or --mode tun\n");
		return -EINVAL;
	}
	if (!a->undo && a->n_vips == 0) {
		fprintf(stderr, "lbha: realserver needs at least one --vip ADDR\n");
		return -EINVAL;
	}
	struct config_addr *v = xcalloc(a->n_vips ? a->n_vips : 1, sizeof(*v));
	for (size_t i = 0; i < a->n_vips; i++) {
		struct config_prefix p;
		if (config_prefix_parse(a->vips[i], &p, NULL) < 0 ||
		    p.len != config_addr_max_prefix(p.addr.family)) {
			fprintf(stderr, "lbha: --vip '%s' is not an IPv4 or IPv6 address\n",
				a->vips[i]);
			free(v);
			return -EINVAL;
		}
		v[i] = p.addr;
	}
	*ret_vips = v;
	return 0;
}

int realserver_main(const struct realserver_args *a)
{
	struct rs_state state = { 0 };
	struct config_addr *vips = NULL;
	enum rs_mode mode;
	int code, err;

	if (parse_args(a, &mode, &vips) < 0)
		return LBHA_EXIT_USAGE;
	char *path = xasprintf("%s/%s", a->runtime_dir, STATE_FILE);
	struct rtnl *r = NULL;
	if (state_load(path, &state) < 0) {
		code = LBHA_EXIT_FAILURE;
		goto out;
	}
	r = rtnl_open(&err);
	if (!r) {
		fprintf(stderr, "lbha: cannot open rtnetlink: %s\n", strerror(-err));
		code = LBHA_EXIT_FAILURE;
		goto out;
	}
	if (a->undo)
		code = do_undo(r, a, path, &state);
	else
		code = do_setup(r, a, mode, vips, path, &state);
out:
	fflush(stdout);
	rtnl_close(r);
	rs_state_done(&state);
	free(path);
	free(vips);
	return code;
}
