/* doc-keywords-list: print every keyword the config schema accepts, one per
 * line as "KIND SECTION KEYWORD" (KIND: supported or ignored; SECTION: the
 * block keyword, "top" for the top level of the file), for
 * tests/unit/doc-keywords.sh to compare with lbha.conf(5). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "daemon/config_keywords_list.h"

static void print_one(const char *section, const char *keyword, enum config_keyword_kind kind,
		      void *userdata)
{
	FILE *out = userdata;

	fprintf(out, "%s %s %s\n", config_keyword_kind_to_string(kind),
		section[0] ? section : "top", keyword);
}

int main(void)
{
	config_keywords_foreach(print_one, stdout);
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
