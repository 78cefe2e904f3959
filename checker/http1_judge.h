/* http1_judge: an HTTP/1 response, as it arrives, through http1_parse into
 * an http_verdict.  Pure; the plain HTTP client and the fuzzer share it. */
#ifndef LBHA_HTTP1_JUDGE_H
#define LBHA_HTTP1_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

struct http1_parser;
struct http_verdict;

/* Feed data[0..n) (eof: the stream ended after it) to the parser and its
 * events to the verdict.  True once the verdict is known (stop reading).
 * *used (when not NULL): the bytes the parser took; the rest follows the
 * point where the verdict became known. */
bool http1_judge(struct http1_parser *p, struct http_verdict *v, const char *data, size_t n,
		 bool eof, size_t *used);


#endif
