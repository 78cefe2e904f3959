/* json_out: writing JSON by hand into a FILE (status files, lbha status). */
#ifndef LBHA_JSON_OUT_H
#define LBHA_JSON_OUT_H

#include <stdio.h>

/* s as a JSON string, quotes included; NULL as "".  Runs of plain bytes go
 * out in one fwrite: a checker.json of 10,000 servers is mostly strings. */
void json_write_string(FILE *f, const char *s);

#endif
