#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checker/probe_result.h"

static const char *const reason_names[_PROBE_REASON_MAX] = {
	[PROBE_OK] = "ok",
	[PROBE_TIMEOUT] = "timeout",
	[PROBE_REFUSED] = "refused",
	[PROBE_UNREACHABLE] = "unreachable",
	[PROBE_CONNECT_ERROR] = "connect-error",
	[PROBE_TLS_ERROR] = "tls-error",
	[PROBE_HTTP_ERROR] = "http-error",
	[PROBE_HTTP_STATUS] = "http-status",
	[PROBE_DIGEST_MISMATCH] = "digest-mismatch",
	[PROBE_REGEX_NO_MATCH] = "regex-no-match",
	[PROBE_REGEX_MATCH] = "regex-unexpected-match",
	[PROBE_BODY_TOO_LARGE] = "body-too-large",
	[PROBE_SCRIPT_EXIT] = "script-exit",
	[PROBE_SCRIPT_SIGNAL] = "script-signal",
	[PROBE_SCRIPT_TIMEOUT] = "script-timeout",
	[PROBE_SCRIPT_ERROR] = "script-error",
	[PROBE_INTERNAL_ERROR] = "internal-error",
};

const char *probe_reason_to_string(enum probe_reason r)
{
	return r >= 0 && r < _PROBE_REASON_MAX ? reason_names[r] : NULL;
}

static const struct {
	int err;
	enum probe_reason reason;
} errno_reasons[] = {
	{ 0, PROBE_OK },
	{ ECONNREFUSED, PROBE_REFUSED },
	{ EHOSTUNREACH, PROBE_UNREACHABLE },
	{ ENETUNREACH, PROBE_UNREACHABLE },
	{ EHOSTDOWN, PROBE_UNREACHABLE },
	{ ENETDOWN, PROBE_UNREACHABLE },
	{ ETIMEDOUT, PROBE_TIMEOUT },
};

enum probe_reason probe_reason_from_errno(int err)
{
	for (size_t i = 0; i < sizeof(errno_reasons) / sizeof(errno_reasons[0]); i++)
		if (errno_reasons[i].err == err)
			return errno_reasons[i].reason;
	return PROBE_CONNECT_ERROR;
}

struct probe_result *probe_result_set(struct probe_result *r, enum probe_reason reason,
				      int code, const char *fmt, ...)
{
	va_list ap;

	r->reason = reason;
	r->code = code;
	r->detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
		va_end(ap);
	}
	return r;
}

const char *probe_result_format(const struct probe_result *r, char *buf, size_t size)
{
	const char *name = probe_reason_to_string(r->reason);
	char code[16] = "";

	if (r->code && r->reason != PROBE_OK)
		snprintf(code, sizeof(code), " %d", r->code);
	if (r->detail[0])
		snprintf(buf, size, "%s%s (%s)", name ? name : "?", code, r->detail);
	else
		snprintf(buf, size, "%s%s", name ? name : "?", code);
	return buf;
}
