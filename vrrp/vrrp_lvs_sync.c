#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp/vrrp_lvs_sync.h"
#include "xalloc.h"

struct vrrp_lvs_sync {
	struct ipvs *ipvs;
	bool ipvs_missing_logged;
	struct vrrp_lvs_sync_want running;   /* what we last started successfully */
	struct vrrp_lvs_sync_counters counters;
};

static void addr_to_ipvs(const struct config_addr *a, uint16_t *af, union ipvs_addr *ret)
{
	memset(ret, 0, sizeof(*ret));
	*af = (uint16_t)a->family;
	if (a->family == AF_INET)
		ret->in = a->u.v4;
	else if (a->family == AF_INET6)
		ret->in6 = a->u.v6;
	else
		*af = 0;
}

void vrrp_lvs_sync_wanted(const struct config_lvs_sync_daemon *cfg, uint8_t vrid,
			  enum vrrp_state st, bool stopping, struct vrrp_lvs_sync_want *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (!cfg->interface || stopping || st == VRRP_STATE_STOP)
		return;
	struct ipvs_daemon *d = &ret->daemon;
	ret->run = true;
	d->state = st == VRRP_STATE_MASTER ? IPVS_DAEMON_MASTER : IPVS_DAEMON_BACKUP;
	snprintf(d->mcast_ifn, sizeof(d->mcast_ifn), "%s", cfg->interface);
	d->syncid = cfg->syncid == CONFIG_SYNCID_VRID ? vrid : cfg->syncid;
	d->sync_maxlen = (uint16_t)cfg->maxlen;
	d->mcast_port = cfg->port;
	d->mcast_ttl = cfg->ttl;
	addr_to_ipvs(&cfg->group, &d->mcast_af, &d->mcast_group);
}

struct vrrp_lvs_sync *vrrp_lvs_sync_new(void)
{
	return xnew(struct vrrp_lvs_sync);
}

static const char *daemon_name(enum ipvs_daemon_state st)
{
	return st == IPVS_DAEMON_MASTER ? "master" : "backup";
}

static int ensure_open(struct vrrp_lvs_sync *s, const char *instance)
{
	if (s->ipvs)
		return 0;
	int r = ipvs_open(&s->ipvs);
	if (r < 0 && !s->ipvs_missing_logged) {
		log_errno(LOG_ERR, r,
			  "%s: cannot run the IPVS sync daemon: no IPVS in this kernel (modprobe ip_vs)",
			  instance);
		s->ipvs_missing_logged = true;
	}
	if (r < 0)
		s->counters.errors++;
	return r;
}

static int send_one(struct vrrp_lvs_sync *s, const char *instance, enum ipvs_op_type type,
		    const struct ipvs_daemon *d)
{
	struct ipvs_batch b = { 0 };
	ipvs_batch_add(&b, type)->daemon = *d;
	int r = ipvs_batch_send(s->ipvs, &b);
	int err = r < 0 ? r : b.ops[0].error;
	bool start = type == IPVS_OP_START_DAEMON;

	ipvs_batch_clear(&b);
	/* Stopping a daemon that is not running is what we wanted anyway. */
	if (!start && err == -ESRCH)
		err = 0;
	if (err < 0) {
		s->counters.errors++;
		log_errno(LOG_ERR, err, "%s: cannot %s the IPVS %s sync daemon on %s (syncid %u)",
			  instance, start ? "start" : "stop", daemon_name(d->state), d->mcast_ifn,
			  d->syncid);
		return err;
	}
	if (start)
		s->counters.starts++;
	else
		s->counters.stops++;
	log_info("%s: IPVS %s sync daemon %s on %s (syncid %u)", instance, daemon_name(d->state),
		 start ? "started" : "stopped", d->mcast_ifn, d->syncid);
	return 0;
}

int vrrp_lvs_sync_follow(struct vrrp_lvs_sync *s, const char *instance,
			 const struct vrrp_lvs_sync_want *want)
{
	bool same = want->run == s->running.run &&
		    (!want->run || memcmp(&want->daemon, &s->running.daemon, sizeof(want->daemon)) == 0);
	if (same)
		return 0;
	int r = ensure_open(s, instance);
	if (r < 0)
		return r;
	if (s->running.run) {
		r = send_one(s, instance, IPVS_OP_STOP_DAEMON, &s->running.daemon);
		if (r < 0)
			return r;
		s->running.run = false;
	}
	if (!want->run)
		return 0;
	r = send_one(s, instance, IPVS_OP_START_DAEMON, &want->daemon);
	if (r < 0)
		return r;
	s->running = *want;
	return 0;
}

struct vrrp_lvs_sync *vrrp_lvs_sync_free(struct vrrp_lvs_sync *s)
{
	if (!s)
		return NULL;
	ipvs_close(s->ipvs);
	free(s);
	return NULL;
}

const struct vrrp_lvs_sync_counters *vrrp_lvs_sync_counters(const struct vrrp_lvs_sync *s)
{
	return &s->counters;
}

const char *vrrp_lvs_sync_running(const struct vrrp_lvs_sync *s)
{
	return s->running.run ? daemon_name(s->running.daemon.state) : "none";
}
