# tests/configs: `lbha -t` against a corpus of bad and good configs, and
# against the samples Debian's keepalived package ships (read in place).
# Both runners print TAP (LOG_DRIVER is set globally) and SKIP every test
# while there is no lbha binary.
CONFIG_CORPUS_TESTS = \
	tests/configs/run-bad-configs.sh \
	tests/configs/run-keepalived-samples.sh

TESTS += $(CONFIG_CORPUS_TESTS)
dist_noinst_SCRIPTS += $(CONFIG_CORPUS_TESTS)
EXTRA_DIST += \
	tests/configs/README.md \
	tests/configs/bad \
	tests/configs/good
