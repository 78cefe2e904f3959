/* config_validate: checks that need the whole file, run once after parsing.
 *
 * 1. VRRP instances take their global_defs defaults (version, garp_*,
 *    smtp_alert, strict_mode, accept, ...) and are checked against them
 *    (advert_int per version, IPv6 needs VRRPv3, strict mode rules).
 * 2. References are resolved: track_script -> vrrp_script, track_file ->
 *    track_file, sync group members -> instances (one group per instance),
 *    virtual_server group -> virtual_server_group, lvs_sync_daemon inst.
 * 3. Conflicts: duplicate names, one VRID twice on an interface and family,
 *    one VIP in two instances, duplicate virtual and real servers, address
 *    families that do not match.
 * Every message names the offending line; the first definition is named too. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/config_sections.h"
#include "xalloc.h"

#define I(f) offsetof(struct config_vrrp_instance, f)
#define G(f) offsetof(struct config_global, f)

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* ---- duplicates ----------------------------------------------------------------------- */

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

struct ranked {
	const void *item;
	size_t i;
};

struct order {
	int (*cmp)(const void *a, const void *b);
};

static int ranked_cmp(const void *x, const void *y, void *userdata)
{
	const struct ranked *a = x, *b = y;
	const struct order *o = userdata;
	int r = o->cmp(a->item, b->item);

	return r ? r : CMP(a->i, b->i);
}

/* first[i] is the index of the first item equal to item i under cmp (i
 * itself when none comes before it).  Sorting makes this n log n; comparing
 * every pair made 1,000 services (or 10,000 real servers of one service)
 * quadratic.  The caller frees the array. */
static size_t *first_equal(void *const *items, size_t n, int (*cmp)(const void *a, const void *b))
{
	size_t *first = xcalloc(n ? n : 1, sizeof(*first));
	struct ranked *r = xcalloc(n ? n : 1, sizeof(*r));
	struct order o = { cmp };

	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ items[i], i };
	if (n > 1) /* qsort(NULL, 0) is undefined */
		qsort_r(r, n, sizeof(*r), ranked_cmp, &o);
	/* in a run of equal items the first has the lowest index */
	for (size_t k = 0; k < n; k++)
		first[r[k].i] = k > 0 && cmp(r[k - 1].item, r[k].item) == 0 ? first[r[k - 1].i]
									    : r[k].i;
	free(r);
	return first;
}

/* ---- names -------------------------------------------------------------------------- */

struct named {
	struct config_obj obj;
	char *name;
};

static int name_cmp(const void *x, const void *y)
{
	const struct named *a = x, *b = y;

	if (!a->name || !b->name)
		return CMP(a->name != NULL, b->name != NULL);
	return strcmp(a->name, b->name);
}

static void check_unique_names(struct config_ctx *c, const struct config_list *l, const char *what)
{
	size_t *first = first_equal(l->items, l->n, name_cmp);

	for (size_t i = 0; i < l->n; i++) {
		const struct named *a = l->items[i], *b = l->items[first[i]];
		if (a->name && first[i] != i)
			diag_error(c->d, a->obj.file, a->obj.line,
				   "%s %s is defined twice (first at %s:%u)", what, a->name,
				   b->obj.file, b->obj.line);
	}
	free(first);
}

/* ---- VRRP instances --------------------------------------------------------------------- */

static void resolve_tracks(struct config_ctx *c, struct config_list *scripts,
			   struct config_list *files, const char *owner)
{
	config_list_foreach(struct config_track, t, scripts) {
		struct config_vrrp_script *s = config_find_vrrp_script(c->cfg, t->name);
		if (!s) {
			diag_error(c->d, t->obj.file, t->obj.line,
				   "track_script '%s' in %s names no vrrp_script", t->name, owner);
			continue;
		}
		t->target = s;
		if (!t->weight_set) {
			t->weight = s->weight;
			t->reverse = s->weight_reverse;
		}
	}
	config_list_foreach(struct config_track, t, files) {
		struct config_track_file *f = config_find_track_file(c->cfg, t->name);
		if (!f) {
			diag_error(c->d, t->obj.file, t->obj.line,
				   "track_file '%s' in %s names no track_file block", t->name, owner);
			continue;
		}
		t->target = f;
		if (!t->weight_set) {
			t->weight = f->weight < -254 ? -254 : f->weight > 254 ? 254 : f->weight;
			t->reverse = f->weight_reverse;
		}
	}
}

#define DEFAULT_FROM_GLOBAL(ifield, gfield)                \
	do {                                               \
		if (!config_obj_isset(vi, I(ifield)))      \
			vi->ifield = g->gfield;            \
	} while (0)

static void resolve_instance(struct config_ctx *c, struct config_vrrp_instance *vi)
{
	const struct config_global *g = &c->cfg->global;
	const char *f = vi->obj.file, *name = vi->name ? vi->name : "";
	char owner[256];

	DEFAULT_FROM_GLOBAL(garp_master_delay_us, vrrp_garp_master_delay_us);
	DEFAULT_FROM_GLOBAL(garp_master_repeat, vrrp_garp_master_repeat);
	DEFAULT_FROM_GLOBAL(garp_lower_prio_delay_us, vrrp_garp_lower_prio_delay_us);
	DEFAULT_FROM_GLOBAL(garp_lower_prio_repeat, vrrp_garp_lower_prio_repeat);
	DEFAULT_FROM_GLOBAL(garp_master_refresh_us, vrrp_garp_master_refresh_us);
	DEFAULT_FROM_GLOBAL(garp_master_refresh_repeat, vrrp_garp_master_refresh_repeat);
	DEFAULT_FROM_GLOBAL(down_timer_adverts, vrrp_down_timer_adverts);
	DEFAULT_FROM_GLOBAL(strict, vrrp_strict);
	DEFAULT_FROM_GLOBAL(lower_prio_no_advert, vrrp_lower_prio_no_advert);
	DEFAULT_FROM_GLOBAL(higher_prio_send_advert, vrrp_higher_prio_send_advert);
	DEFAULT_FROM_GLOBAL(skip_check_adv_addr, vrrp_skip_check_adv_addr);
	if (g->vrrp_check_unicast_src)
		vi->check_unicast_src = true;
	if (!config_obj_isset(vi, I(smtp_alert)))
		vi->smtp_alert = config_obj_isset(g, G(smtp_alert_vrrp)) ? g->smtp_alert_vrrp :
				 config_obj_isset(g, G(smtp_alert))      ? g->smtp_alert :
									   false;
	if (vi->accept < 0) /* RFC 5798 6.1: accept mode is off by default in strict mode */
		vi->accept = vi->strict ? vi->priority == 255 : 1;

	/* version: IPv6 is VRRPv3 only (RFC 5798); v2 carries whole seconds */
	if (!config_obj_isset(vi, I(version)))
		vi->version = vi->family == AF_INET6 ? 3 : g->vrrp_version;
	else if (vi->version == 2 && vi->family == AF_INET6)
		diag_error(c->d, f, config_obj_line(vi, I(version)),
			   "vrrp_instance %s has IPv6 virtual addresses, which need version 3", name);
	if (vi->version == 2 && vi->advert_int_us % CONFIG_SEC(1) != 0) {
		char buf[32];
		config_format_duration(vi->advert_int_us, buf, sizeof(buf));
		diag_error(c->d, f, config_obj_line(vi, I(advert_int_us)),
			   "advert_int %s is not allowed with VRRP version 2 (whole seconds 1-255)",
			   buf);
	} else if (vi->version == 3 &&
		   (vi->advert_int_us % 10000 != 0 || vi->advert_int_us > 4095 * 10000)) {
		char buf[32];
		config_format_duration(vi->advert_int_us, buf, sizeof(buf));
		diag_error(c->d, f, config_obj_line(vi, I(advert_int_us)),
			   "advert_int %s is not allowed with VRRP version 3 (0.01-40.95 in steps of "
			   "0.01)", buf);
	}

	if (vi->strict) {
		if (vi->auth.type != CONFIG_AUTH_NONE)
			diag_error(c->d, vi->auth.obj.file, vi->auth.obj.line,
				   "vrrp_instance %s: authentication is not allowed in strict mode", name);
		if (vi->unicast_peers.n > 0)
			diag_error(c->d, f, config_obj_line(vi, I(unicast_peers)),
				   "vrrp_instance %s: unicast_peer is not allowed in strict mode", name);
		if (vi->vips.n == 0)
			diag_error(c->d, f, vi->obj.line,
				   "vrrp_instance %s: strict mode needs a virtual_ipaddress", name);
	}
	if (vi->auth.type != CONFIG_AUTH_NONE && vi->version == 3)
		diag_warn(c->d, vi->auth.obj.file, vi->auth.obj.line,
			  "vrrp_instance %s: VRRP version 3 has no authentication; it is ignored", name);

	/* families of the addresses that go in or on adverts */
	config_list_foreach(struct config_unicast_peer, p, &vi->unicast_peers)
		if (p->addr.family != vi->family)
			diag_error(c->d, p->obj.file, p->obj.line,
				   "unicast_peer %s address in %s vrrp_instance %s",
				   fam_name(p->addr.family), fam_name(vi->family), name);
	if (config_addr_is_set(&vi->unicast_src_ip) && vi->unicast_src_ip.family != vi->family)
		diag_error(c->d, f, config_obj_line(vi, I(unicast_src_ip)),
			   "unicast_src_ip is %s but vrrp_instance %s is %s",
			   fam_name(vi->unicast_src_ip.family), name, fam_name(vi->family));
	if (config_addr_is_set(&vi->mcast_src_ip) && vi->mcast_src_ip.family != vi->family)
		diag_error(c->d, f, config_obj_line(vi, I(mcast_src_ip)),
			   "mcast_src_ip is %s but vrrp_instance %s is %s",
			   fam_name(vi->mcast_src_ip.family), name, fam_name(vi->family));
	if (config_addr_is_set(&vi->mcast_dst_ip) &&
	    (vi->mcast_dst_ip.family != vi->family || !config_addr_is_multicast(&vi->mcast_dst_ip)))
		diag_error(c->d, f, config_obj_line(vi, I(mcast_dst_ip)),
			   "mcast_dst_ip must be a %s multicast address", fam_name(vi->family));

	/* VIPs without dev go on the instance's interface */
	const char *dev = vi->interface ? vi->interface : g->default_interface;
	struct config_list *lists[] = { &vi->vips, &vi->evips };
	for (size_t k = 0; k < 2; k++)
		config_list_foreach(struct config_vip, v, lists[k])
			if (!v->dev && dev)
				v->dev = xstrdup(dev);

	snprintf(owner, sizeof(owner), "vrrp_instance %s", name);
	resolve_tracks(c, &vi->track_scripts, &vi->track_files, owner);
}

static bool peers_overlap(const struct config_vrrp_instance *a,
			  const struct config_vrrp_instance *b)
{
	config_list_foreach(struct config_unicast_peer, p, &a->unicast_peers)
		config_list_foreach(struct config_unicast_peer, q, &b->unicast_peers)
			if (config_addr_equal(&p->addr, &q->addr))
				return true;
	return false;
}

/* RFC 5798 5.2.3: the VRID identifies the router on the link, per family. */
static void check_vrids(struct config_ctx *c)
{
	const struct config_list *l = &c->cfg->vrrp_instances;

	for (size_t i = 0; i < l->n; i++) {
		const struct config_vrrp_instance *a = l->items[i];
		for (size_t j = 0; j < i; j++) {
			const struct config_vrrp_instance *b = l->items[j];
			if (a->vrid != b->vrid || a->family != b->family ||
			    !config_str_equal(a->interface, b->interface) || !a->interface)
				continue;
			/* keepalived allows it with disjoint unicast peers or other groups */
			if (a->unicast_peers.n && b->unicast_peers.n && !peers_overlap(a, b))
				continue;
			if (!config_addr_equal(&a->mcast_dst_ip, &b->mcast_dst_ip))
				continue;
			diag_error(c->d, a->obj.file, config_obj_line(a, I(vrid)),
				   "virtual_router_id %" PRIu32 " is used twice on %s (%s): vrrp_instance "
				   "%s and %s (%s:%u)", a->vrid, a->interface, fam_name(a->family),
				   b->name, a->name, b->obj.file, b->obj.line);
			break;
		}
	}
}

struct vip_ref {
	const struct config_vip *vip;
	const struct config_vrrp_instance *vi;
	size_t order;
};

static int vip_ref_cmp(const void *x, const void *y)
{
	const struct vip_ref *a = x, *b = y;
	int r = config_addr_cmp(&a->vip->addr.addr, &b->vip->addr.addr);

	if (r)
		return r;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* A VIP owned by two instances would flap between them. */
static void check_vips(struct config_ctx *c)
{
	struct vip_ref *refs = NULL;
	size_t n = 0;
	char buf[CONFIG_ADDR_STRLEN];

	config_list_foreach(struct config_vrrp_instance, vi, &c->cfg->vrrp_instances) {
		const struct config_list *lists[] = { &vi->vips, &vi->evips };
		for (size_t k = 0; k < 2; k++)
			config_list_foreach(const struct config_vip, v, lists[k]) {
				refs = xreallocarray(refs, n + 1, sizeof(*refs));
				refs[n] = (struct vip_ref){ v, vi, n };
				n++;
			}
	}
	if (n > 1) /* qsort(NULL, 0) is undefined: a config may have no VIP */
		qsort(refs, n, sizeof(*refs), vip_ref_cmp);
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		/* the first entry of a run of equal addresses is the reference */
		while (j > 0 && config_addr_equal(&refs[j - 1].vip->addr.addr, &refs[i].vip->addr.addr))
			j--;
		if (j == i)
			continue;
		const struct vip_ref *first = &refs[j], *dup = &refs[i];
		config_addr_to_string(&dup->vip->addr.addr, buf, sizeof(buf));
		if (first->vi == dup->vi)
			diag_warn(c->d, dup->vip->obj.file, dup->vip->obj.line,
				  "virtual address %s is listed twice in vrrp_instance %s (first at %s:%u)",
				  buf, dup->vi->name, first->vip->obj.file, first->vip->obj.line);
		else
			diag_error(c->d, dup->vip->obj.file, dup->vip->obj.line,
				   "virtual address %s is in vrrp_instance %s and already in %s (%s:%u)",
				   buf, dup->vi->name, first->vi->name, first->vip->obj.file,
				   first->vip->obj.line);
	}
	free(refs);
}

static void resolve_sync_groups(struct config_ctx *c)
{
	config_list_foreach(struct config_vrrp_sync_group, sg, &c->cfg->sync_groups) {
		char owner[256];
		config_list_foreach(struct config_track, m, &sg->members) {
			struct config_vrrp_instance *vi = config_find_instance(c->cfg, m->name);
			if (!vi) {
				diag_error(c->d, m->obj.file, m->obj.line,
					   "vrrp_sync_group %s names no vrrp_instance '%s'", sg->name,
					   m->name);
				continue;
			}
			if (vi->sync_group && vi->sync_group != sg) {
				diag_error(c->d, m->obj.file, m->obj.line,
					   "vrrp_instance %s is already in vrrp_sync_group %s (%s:%u)",
					   vi->name, vi->sync_group->name, vi->sync_group->obj.file,
					   vi->sync_group->obj.line);
				continue;
			}
			m->target = vi;
			vi->sync_group = sg;
			/* keepalived: members' own tracking weights would make their
			 * priorities differ, so they count as 0 */
			struct config_list *tl[] = { &vi->track_scripts, &vi->track_files };
			for (size_t k = 0; k < 2; k++)
				config_list_foreach(struct config_track, t, tl[k])
					if (t->weight) {
						diag_warn(c->d, t->obj.file, t->obj.line,
							  "weight of '%s' is ignored: vrrp_instance %s is "
							  "in vrrp_sync_group %s", t->name, vi->name,
							  sg->name);
						t->weight = 0;
						t->weight_set = true;
					}
		}
		if (sg->members.n < 2)
			diag_warn(c->d, sg->obj.file, sg->obj.line,
				  "vrrp_sync_group %s has %zu member(s); a sync group needs two or more",
				  sg->name, sg->members.n);
		snprintf(owner, sizeof(owner), "vrrp_sync_group %s", sg->name);
		resolve_tracks(c, &sg->track_scripts, &sg->track_files, owner);
		if (!config_obj_isset(sg, offsetof(struct config_vrrp_sync_group, smtp_alert))) {
			const struct config_global *g = &c->cfg->global;
			sg->smtp_alert = config_obj_isset(g, G(smtp_alert_vrrp)) ? g->smtp_alert_vrrp :
					 config_obj_isset(g, G(smtp_alert)) ? g->smtp_alert : false;
		}
	}
}

/* ---- LVS -------------------------------------------------------------------------------- */

static int vs_family(struct config_virtual_server *vs)
{
	if (vs->kind == CONFIG_VS_ADDR)
		return vs->addr.family;
	if (vs->ip_family != AF_UNSPEC)
		return vs->ip_family;
	if (vs->group)
		config_list_foreach(struct config_vsg_entry, e, &vs->group->entries)
			if (e->family != AF_UNSPEC)
				return e->family;
	if (vs->real_servers.n > 0)
		return ((struct config_real_server *)vs->real_servers.items[0])->addr.family;
	return AF_INET;
}

/* Orders services by identity: 0 for the same service. */
static int vs_cmp(const void *x, const void *y)
{
	const struct config_virtual_server *a = x, *b = y;
	int r;

	if (a->kind != b->kind)
		return CMP(a->kind, b->kind);
	switch (a->kind) {
	case CONFIG_VS_ADDR:
		if ((r = config_addr_cmp(&a->addr, &b->addr)) != 0)
			return r;
		return a->port != b->port ? CMP(a->port, b->port) : CMP(a->protocol, b->protocol);
	case CONFIG_VS_FWMARK:
		return a->fwmark != b->fwmark ? CMP(a->fwmark, b->fwmark) : CMP(a->family, b->family);
	default:
		if (!a->group_name || !b->group_name)
			r = CMP(a->group_name != NULL, b->group_name != NULL);
		else
			r = strcmp(a->group_name, b->group_name);
		if (r)
			return r;
		return a->protocol != b->protocol ? CMP(a->protocol, b->protocol)
						  : CMP(a->family, b->family);
	}
}

/* Orders a service's real servers by identity (address, port). */
static int rs_cmp(const void *x, const void *y)
{
	const struct config_real_server *a = x, *b = y;
	int r = config_addr_cmp(&a->addr, &b->addr);

	return r ? r : CMP(a->port, b->port);
}

static void resolve_vs(struct config_ctx *c, struct config_virtual_server *vs)
{
	const struct config_global *g = &c->cfg->global;
	/* names are formatted only for a message: most services have none */
	char name[CONFIG_SERVICE_STRLEN], rsn[CONFIG_SERVICE_STRLEN];
#define VS_NAME config_vs_to_string(vs, name, sizeof(name))
#define RS_NAME config_rs_to_string(rs, rsn, sizeof(rsn))

	if (vs->kind == CONFIG_VS_GROUP) {
		vs->group = config_find_vs_group(c->cfg, vs->group_name);
		if (!vs->group)
			diag_error(c->d, vs->obj.file, vs->obj.line,
				   "virtual_server group %s names no virtual_server_group", vs->group_name);
	}
	vs->family = vs_family(vs);
	if (!config_obj_isset(vs, offsetof(struct config_virtual_server, smtp_alert)))
		vs->smtp_alert = config_obj_isset(g, G(smtp_alert_checker)) ? g->smtp_alert_checker :
				 config_obj_isset(g, G(smtp_alert)) ? g->smtp_alert : false;
	if (config_addr_is_set(&vs->sorry_addr) && vs->sorry_fwd.method != CONFIG_LVS_TUN &&
	    vs->sorry_addr.family != vs->family)
		diag_error(c->d, vs->obj.file,
			   config_obj_line(vs, offsetof(struct config_virtual_server, sorry_addr)),
			   "sorry_server is %s but virtual_server %s is %s",
			   fam_name(vs->sorry_addr.family), VS_NAME, fam_name(vs->family));

	size_t *first = first_equal(vs->real_servers.items, vs->real_servers.n, rs_cmp);
	for (size_t i = 0; i < vs->real_servers.n; i++) {
		struct config_real_server *rs = vs->real_servers.items[i];
		if (!config_obj_isset(rs, offsetof(struct config_real_server, smtp_alert)))
			/* keepalived's exception: real servers alert by default */
			rs->smtp_alert = config_obj_isset(g, G(smtp_alert_checker)) ? g->smtp_alert_checker :
					 config_obj_isset(g, G(smtp_alert)) ? g->smtp_alert : true;
		if (rs->fwd.method != CONFIG_LVS_TUN && rs->addr.family != vs->family)
			diag_error(c->d, rs->obj.file, rs->obj.line,
				   "real_server %s is %s but virtual_server %s is %s (only TUN may mix)",
				   RS_NAME, fam_name(rs->addr.family), VS_NAME, fam_name(vs->family));
		if (first[i] != i) {
			const struct config_real_server *o = vs->real_servers.items[first[i]];
			diag_error(c->d, rs->obj.file, rs->obj.line,
				   "real_server %s is listed twice in virtual_server %s "
				   "(first at %s:%u)", RS_NAME, VS_NAME, o->obj.file, o->obj.line);
		}
	}
	free(first);
#undef VS_NAME
#undef RS_NAME
}

static void check_lvs(struct config_ctx *c)
{
	const struct config_list *l = &c->cfg->virtual_servers;
	char name[CONFIG_SERVICE_STRLEN];

	config_list_foreach(struct config_virtual_server, vs, l)
		resolve_vs(c, vs);
	size_t *first = first_equal(l->items, l->n, vs_cmp);
	for (size_t i = 0; i < l->n; i++) {
		const struct config_virtual_server *a = l->items[i], *b = l->items[first[i]];
		if (first[i] != i)
			diag_error(c->d, a->obj.file, a->obj.line,
				   "virtual_server %s is defined twice (first at %s:%u)",
				   config_vs_to_string(a, name, sizeof(name)), b->obj.file, b->obj.line);
	}
	free(first);
}

void config_validate(struct config_ctx *c)
{
	struct lbha_config *cfg = c->cfg;
	const struct config_global *g = &cfg->global;

	check_unique_names(c, &cfg->vrrp_scripts, "vrrp_script");
	check_unique_names(c, &cfg->track_files, "track_file");
	check_unique_names(c, &cfg->vrrp_instances, "vrrp_instance");
	check_unique_names(c, &cfg->sync_groups, "vrrp_sync_group");
	check_unique_names(c, &cfg->vs_groups, "virtual_server_group");

	config_list_foreach(struct config_vrrp_instance, vi, &cfg->vrrp_instances)
		resolve_instance(c, vi);
	resolve_sync_groups(c);
	check_vrids(c);
	check_vips(c);
	check_lvs(c);

	if (g->lvs_sync_daemon.instance && !config_find_instance(cfg, g->lvs_sync_daemon.instance))
		diag_error(c->d, g->obj.file,
			   config_obj_line(g, G(lvs_sync_daemon)),
			   "lvs_sync_daemon names no vrrp_instance '%s'", g->lvs_sync_daemon.instance);
}
