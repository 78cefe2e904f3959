/* hex_digit: the value of one hexadecimal digit, for the parsers that read
 * hex (JSON's \uXXXX, HTTP/1 chunk sizes). */
#ifndef LBHA_HEX_DIGIT_H
#define LBHA_HEX_DIGIT_H

/* 0-15, or -1 when c is not a hex digit (either case). */
static inline int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
