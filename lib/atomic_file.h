/* atomic_file: replace a file's content so readers see old or new, never half.
 *
 * Writes "<path>.tmp.<pid>" next to the target, fsync is skipped on purpose
 * (the files are run-time state under /run, lost at reboot anyway), then
 * renames it over `path`. */
#ifndef LBHA_ATOMIC_FILE_H
#define LBHA_ATOMIC_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Returns 0 or a negative errno (the temporary file is removed on failure). */
int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode);

/* Read a whole small file (at most max bytes) into a NUL-terminated buffer the
 * caller frees.  Returns 0, -EFBIG when larger than max, or a negative errno. */
int atomic_file_read(const char *path, size_t max, char **ret, size_t *ret_len);

#endif
