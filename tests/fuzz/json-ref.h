/* json-ref: a second, plain reading of JSON, the oracle of fuzz-json.
 *
 * RFC 8259 with lib/json_parse.c's documented refusals (the escape \u0000,
 * numbers beyond a double), and nothing of its code: fuzz-json checks that
 * json_parse() takes what this takes (within the limits), refuses the rest,
 * and builds the same document, compared through a hash of its content. */
#ifndef LBHA_FUZZ_JSON_REF_H
#define LBHA_FUZZ_JSON_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a document holds, as both readings count it. */
struct json_ref_usage {
	size_t values;         /* every value, containers included */
	unsigned depth;        /* containers open at once, empty ones included */
	uint64_t content;      /* json_ref_fold() of the values in document order */
};

/* Is data[0..size) one JSON document (with JSON whitespace around it)?
 * *ret gets its usage (meaningful when true).  A document nested deeper than
 * 200 is refused here (the parser's limit is lower). */
bool json_ref_read(const uint8_t *data, size_t size, struct json_ref_usage *ret);

/* The content hash, FNV-1a from 0.  Each value folds in as a tag: 'n', 't',
 * 'f'; 'u' + the uint64_t or 'd' + the double (exact_uint or not); 's', or
 * 'k' for an object key, + the decoded bytes + a NUL; '[' items ']';
 * '{' key value ... '}'.  Two readings that agree on it agree on the
 * document. */
void json_ref_fold(uint64_t *h, const void *p, size_t n);
void json_ref_fold_byte(uint64_t *h, unsigned char c);
void json_ref_fold_string(uint64_t *h, char tag, const char *s, size_t n);

/* Valid UTF-8 (no overlong forms, surrogates, code points above U+10FFFF)
 * without NUL, decoded by hand, apart from the parser's own check. */
bool json_ref_utf8_valid(const unsigned char *s, size_t n);

#endif
