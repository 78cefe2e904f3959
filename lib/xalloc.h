/* xalloc: allocation that cannot fail from the caller's point of view.
 *
 * lbha's configs and state are small; running out of memory is not a state we
 * can recover from sensibly, so these abort with a message instead of making
 * every caller carry an error path it can never test. */
#ifndef LBHA_XALLOC_H
#define LBHA_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xzalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#define xnew(type) ((type *)xzalloc(sizeof(type)))

#endif
