#include <config.h>

#include <string.h>

#include "json_out.h"

void json_write_string(FILE *f, const char *s)
{
	fputc('"', f);
	while (s && *s) {
		size_t plain = 0;
		while (s[plain] && s[plain] != '"' && s[plain] != '\\' &&
		       (unsigned char)s[plain] >= 0x20)
			plain++;
		fwrite(s, 1, plain, f);
		s += plain;
		if (!*s)
			break;
		unsigned char c = (unsigned char)*s++;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else
			fprintf(f, "\\u%04x", c);
	}
	fputc('"', f);
}
