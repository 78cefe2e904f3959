/* test-inet-util: address literals for cmocka tests (a bad literal fails
 * the test, not the program). */
#ifndef LBHA_TEST_INET_UTIL_H
#define LBHA_TEST_INET_UTIL_H

#include <arpa/inet.h>

static inline struct in_addr ip4(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static inline struct in6_addr ip6(const char *s)
{
	struct in6_addr a;
	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

#endif
