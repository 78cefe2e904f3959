#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_socket.h"
#include "xalloc.h"

/* Datagrams read per wake-up: a flood cannot keep the loop from its timers
 * (the socket stays readable and the loop comes back after them). */
#define RX_BUDGET 64

static bool same_key(const struct vrrp_sock *s, const struct vrrp_instance *in, bool unicast)
{
	return s->family == in->family && s->ifindex == in->ifindex && s->unicast == unicast &&
	       (unicast || config_addr_equal(&s->group, &in->mcast_group));
}

static struct vrrp_instance *find_by_vrid(struct vrrp_ctx *ctx, const struct vrrp_sock *s,
					  uint8_t vrid)
{
	for (size_t i = 0; i < ctx->n_instances; i++) {
		struct vrrp_instance *in = ctx->instances[i];
		if (in->sock == s && in->cfg->vrid == vrid)
			return in;
	}
	return NULL;
}

static void drop_unknown(struct vrrp_ctx *ctx, enum vrrp_drop d, const struct vrrp_rx *rx)
{
	char addr[CONFIG_ADDR_STRLEN];

	ctx->drops[d]++;
	/* Published like an instance's drops: a master that hears only hostile
	 * packets has nothing else that would ever write them out. */
	vrrp_status_changed(ctx, false);
	/* Another VRID on a shared segment is normal, not worth a warning. */
	log_ratelimited(&ctx->drop_log, vrrp_now(ctx), d == VRRP_DROP_VRID ? LOG_DEBUG : LOG_WARNING,
			"VRRP packet from %s dropped: %s",
			config_addr_to_string(&rx->src, addr, sizeof(addr)), vrrp_drop_to_string(d));
}

static void handle_packet(struct vrrp_sock *s, const struct vrrp_rx *rx)
{
	struct vrrp_ctx *ctx = s->ctx;
	struct vrrp_advert *a = &ctx->rx_advert;
	/* Unicast adverts may cross routers: their TTL is judged against the
	 * peer's min_ttl/max_ttl by the instance, not against 255 here. */
	unsigned ttl = s->unicast ? VRRP_TTL : (unsigned)rx->ttl;

	enum vrrp_drop d = vrrp_decode(rx->payload, rx->len, s->family, ttl, &rx->src, &rx->dst, a,
				       NULL);
	if (d != VRRP_DROP_NONE) {
		drop_unknown(ctx, d, rx);
		return;
	}
	struct vrrp_instance *in = find_by_vrid(ctx, s, a->vrid);
	if (!in) {
		drop_unknown(ctx, VRRP_DROP_VRID, rx);
		return;
	}
	vrrp_instance_receive(in, a, &rx->src, rx->ttl);
}

static int on_readable(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct vrrp_sock *s = userdata;
	struct vrrp_rx rx;

	for (unsigned i = 0; i < RX_BUDGET; i++) {
		int r = vrrp_socket_recv(s->s, &rx);
		if (r == -EAGAIN)
			break;
		if (r == -EBADMSG) {
			s->ctx->rx_bad_header++;
			continue;
		}
		if (r < 0) {
			s->rx_errors++;
			break;
		}
		handle_packet(s, &rx);
	}
	return 0;
}

int vrrp_sock_get(struct vrrp_ctx *ctx, const struct vrrp_instance *in, struct vrrp_sock **ret)
{
	bool unicast = in->cfg->unicast_peers.n > 0;
	int r;

	for (size_t i = 0; i < ctx->n_socks; i++)
		if (same_key(ctx->socks[i], in, unicast)) {
			ctx->socks[i]->refs++;
			*ret = ctx->socks[i];
			return 0;
		}

	struct vrrp_socket_params p = {
		.family = in->family,
		.ifindex = in->ifindex,
		.ifname = in->ifname,
		.unicast = unicast,
		.group = in->mcast_group,
	};
	struct vrrp_socket *vs = vrrp_socket_open(&p, &r);
	if (!vs)
		return r;
	struct vrrp_sock *s = xnew(struct vrrp_sock);
	*s = (struct vrrp_sock){ .ctx = ctx, .family = in->family, .ifindex = in->ifindex,
				 .unicast = unicast, .group = in->mcast_group, .s = vs, .refs = 1 };
	r = sd_event_add_io(ctx->event, &s->src, vrrp_socket_fd(vs), EPOLLIN, on_readable, s);
	if (r < 0) {
		vrrp_socket_free(vs);
		free(s);
		return r;
	}
	sd_event_source_set_description(s->src, "vrrp-socket");
	/* Adverts in before housekeeping: a late advert is a spurious takeover. */
	sd_event_source_set_priority(s->src, SD_EVENT_PRIORITY_IMPORTANT);
	ctx->socks = xreallocarray(ctx->socks, ctx->n_socks + 1, sizeof(*ctx->socks));
	ctx->socks[ctx->n_socks++] = s;
	*ret = s;
	return 0;
}

void vrrp_sock_put(struct vrrp_sock *s)
{
	if (!s || --s->refs > 0)
		return;
	struct vrrp_ctx *ctx = s->ctx;
	for (size_t i = 0; i < ctx->n_socks; i++)
		if (ctx->socks[i] == s) {
			ctx->socks[i] = ctx->socks[--ctx->n_socks];
			break;
		}
	sd_event_source_disable_unref(s->src);
	vrrp_socket_free(s->s);
	free(s);
}
