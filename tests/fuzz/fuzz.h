/* fuzz.h: what every fuzz target in tests/fuzz shares.
 *
 * Each fuzz-*.c defines LLVMFuzzerTestOneInput() and is linked twice: with
 * libFuzzer (clang -fsanitize=fuzzer, `make fuzz`) to search for crashes, and
 * with replay-main.c (the normal build, any compiler) to replay the corpus in
 * `make check`, so a fixed crash stays fixed where clang is missing. */
#ifndef LBHA_FUZZ_H
#define LBHA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* libFuzzer's entry points.  Returns 0 (or -1: do not add to the corpus). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional; called once before any input (libFuzzer and replay alike). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An oracle: a property every input must keep.  Aborts so libFuzzer saves
 * the input as a crash and the replay fails. */
#define FUZZ_CHECK(cond)                                                              \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                     \
			abort();                                                      \
		}                                                                     \
	} while (0)

#endif
