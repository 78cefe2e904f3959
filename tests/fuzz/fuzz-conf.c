#include <config.h>

/* fuzz-conf: the config language, end to end: lexer and parser
 * (lib/conf_lexer.c, conf_macro.c, conf_parse.c), then the schema and
 * validation (daemon/config_*.c) through config_load_string().
 *
 * Input: config text.  A line "!--" splits it: what follows is the content
 * of every file the config includes (no split: included files are empty).
 *
 * The parser reads files for `include` and the schema opens SSL files.  A
 * fuzzer must not open what it names (as root, `include /dev/watchdog` would
 * arm a watchdog), so this target is linked with -Wl,--wrap for open, glob
 * and realpath: while an input runs, every open() gets a memfd holding the
 * included text, glob() matches nothing, realpath() returns the path
 * itself (so include loops are still found), and at most MAX_OPENS files
 * open per input (an include tree cannot grow without bound).
 *
 * Properties beyond "no crash": a config that loads, dumped (canonical and
 * written-only), loads again to an equal config. */

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf_lexer.h"
#include "daemon/lbha_config.h"
#include "diag.h"
#include "tests/fuzz/fuzz.h"

#define MAX_OPENS 64

/* The virtual file system of the running input (NULL text: not running). */
static struct {
	const char *text;
	size_t len;
	unsigned opens;
} vfs;

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_glob(const char *pattern, int flags, int (*errfunc)(const char *, int),
		glob_t *pglob);
int __wrap_glob(const char *pattern, int flags, int (*errfunc)(const char *, int),
		glob_t *pglob);
char *__real_realpath(const char *path, char *resolved);
char *__wrap_realpath(const char *path, char *resolved);

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (!vfs.text)
		return __real_open(path, flags, mode);
	if (++vfs.opens > MAX_OPENS) {
		errno = EMFILE;
		return -1;
	}
	int fd = memfd_create("fuzz-include", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if ((vfs.len && write(fd, vfs.text, vfs.len) != (ssize_t)vfs.len) ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		errno = EIO;
		return -1;
	}
	return fd;
}

int __wrap_glob(const char *pattern, int flags, int (*errfunc)(const char *, int),
		glob_t *pglob)
{
	if (!vfs.text)
		return __real_glob(pattern, flags, errfunc, pglob);
	pglob->gl_pathc = 0;
	pglob->gl_pathv = NULL;
	return GLOB_NOMATCH;
}

char *__wrap_realpath(const char *path, char *resolved)
{
	if (!vfs.text)
		return __real_realpath(path, resolved);
	if (!resolved)
		return strdup(path);
	snprintf(resolved, PATH_MAX, "%s", path);
	return resolved;
}

static struct lbha_config *load(const char *text, size_t len, struct diag *d)
{
	const struct config_load_options opt = { .config_id = "fuzz" };
	struct lbha_config *cfg = NULL;
	int r = config_load_string("fuzz.conf", text, len, &opt, d, &cfg);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	FUZZ_CHECK((r == 0) == (cfg != NULL));
	if (r < 0)
		FUZZ_CHECK(d->n_errors > 0);
	return cfg;
}

/* The dump loads again to an equal config. */
static void check_dump(const struct lbha_config *cfg, char *dump)
{
	struct diag d;

	diag_init(&d);
	struct lbha_config *again = load(dump, strlen(dump), &d);
	if (!again) {
		diag_print(&d, stderr);
		fprintf(stderr, "--- the dump that does not load:\n%s", dump);
	}
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK(config_equal(cfg, again));
	config_free(again);
	diag_done(&d);
	free(dump);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* config_load_string wants text; a NUL inside is an error it reports */
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	size_t main_len = size;
	const char *split = memmem(text, size, "\n!--\n", 5);
	vfs.text = "";
	vfs.len = 0;
	vfs.opens = 0;
	if (split) {
		main_len = (size_t)(split - text) + 1;
		vfs.text = split + 5;
		vfs.len = size - main_len - 4;
	}

	/* the lexer alone, on the whole input as one line */
	struct conf_token_list toks = { 0 };
	size_t cut = conf_lex_comment_start(text, size);
	FUZZ_CHECK(cut <= size);
	int r = conf_lex_line(text, cut, &toks);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	conf_token_list_done(&toks);

	struct diag d;
	diag_init(&d);
	struct lbha_config *cfg = load(text, main_len, &d);
	if (cfg) {
		check_dump(cfg, config_dump_string(cfg));
		check_dump(cfg, config_dump_written_string(cfg));
		struct config_summary sum;
		config_summarize(cfg, &sum);
	}
	config_free(cfg);
	diag_done(&d);
	vfs.text = NULL;
	free(text);
	return 0;
}
