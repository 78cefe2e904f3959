#include <config.h>

#include "checker/http1_judge.h"
#include "checker/http1_parse.h"
#include "checker/http_verdict.h"

bool http1_judge(struct http1_parser *p, struct http_verdict *v, const char *data, size_t n,
		 bool eof, size_t *used)
{
	struct http1_out o;
	size_t taken = 0;

	while (!http_verdict_done(v)) {
		size_t step = http1_parse(p, data, n, &o);
		data = step ? data + step : data;
		n -= step;
		taken += step;
		if (o.event == HTTP1_STATUS) {
			http_verdict_status(v, o.status);
		} else if (o.event == HTTP1_BODY) {
			http_verdict_body(v, o.data, o.len);
		} else if (o.event == HTTP1_END) {
			http_verdict_end(v);
		} else if (o.event == HTTP1_ERROR) {
			http_verdict_fail(v, PROBE_HTTP_ERROR, 0, o.error);
		} else if (eof) {
			http1_parse_eof(p, &o);
			if (o.event == HTTP1_END)
				http_verdict_end(v);
			else
				http_verdict_fail(v, PROBE_HTTP_ERROR, 0, o.error);
		} else {
			break;
		}
	}
	if (used)
		*used = taken;
	return http_verdict_done(v);
}
