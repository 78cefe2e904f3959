# tests/fuzz/local.mk: (being written)
