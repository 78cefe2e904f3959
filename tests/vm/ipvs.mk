# tests/vm/ipvs.mk: (being written)
