dnl tests/fuzz/fuzz.m4 (m4_include'd by configure.ac): a C compiler that
dnl links libFuzzer with ASan and UBSan, for `make fuzz` and tests/fuzz/run.sh.
dnl Sets FUZZ_CC, FUZZ_SKIP_REASON (empty when fuzzing works: otherwise why
dnl not, naming the Debian package) and the conditional HAVE_LIBFUZZER.
AC_ARG_VAR([FUZZ_CC], [C compiler with libFuzzer for make fuzz (default: clang)])
AC_CHECK_PROGS([FUZZ_CC], [clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14])
FUZZ_SKIP_REASON=
AS_IF([test -z "$FUZZ_CC"],
  [FUZZ_SKIP_REASON="no clang found (Debian packages clang and libclang-rt-dev)"],
  [AC_MSG_CHECKING([whether $FUZZ_CC links -fsanitize=fuzzer,address,undefined])
   lbha_save_CC=$CC lbha_save_CFLAGS=$CFLAGS lbha_save_LDFLAGS=$LDFLAGS lbha_save_LIBS=$LIBS
   CC=$FUZZ_CC CFLAGS="-fsanitize=fuzzer,address,undefined" LDFLAGS= LIBS=
   AC_LINK_IFELSE([AC_LANG_SOURCE([[
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return data && size > 9999; }
]])],
     [AC_MSG_RESULT([yes])],
     [AC_MSG_RESULT([no])
      FUZZ_SKIP_REASON="$FUZZ_CC cannot link -fsanitize=fuzzer (Debian package libclang-rt-dev)"])
   CC=$lbha_save_CC CFLAGS=$lbha_save_CFLAGS LDFLAGS=$lbha_save_LDFLAGS LIBS=$lbha_save_LIBS])
AS_IF([test -n "$FUZZ_SKIP_REASON"], [AC_MSG_WARN([fuzz targets disabled: $FUZZ_SKIP_REASON])])
AC_SUBST([FUZZ_SKIP_REASON])
AM_CONDITIONAL([HAVE_LIBFUZZER], [test -z "$FUZZ_SKIP_REASON"])
