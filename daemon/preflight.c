#include <config.h>

#include <net/if.h>

#include "daemon/lbha_config.h"
#include "daemon/preflight.h"
#include "diag.h"

static void check_interface(const char *ifname, const char *file, unsigned line, void *userdata)
{
	struct diag *d = userdata;

	if (if_nametoindex(ifname) == 0)
		diag_warn(d, file, line, "interface '%s' does not exist (yet)", ifname);
}

void preflight_interfaces(const struct lbha_config *cfg, struct diag *d)
{
	config_foreach_interface(cfg, check_interface, d);
}
