# tests/vm/ipvs-client.mk: the IPVS client (lib/ipvs) against a real kernel.
# ipvs-client.sh boots one VM (tests/vm/run-in-vm.sh) and runs
# ipvs-client-guest.sh there, which drives lib/ipvs through ipvs-tool and
# checks the result with Debian's ipvsadm.  SKIPs with the reason when no VM
# can run here.
check_PROGRAMS += tests/vm/ipvs-tool
tests_vm_ipvs_tool_SOURCES = tests/vm/ipvs_client_tool.c
tests_vm_ipvs_tool_LDADD = lib/liblbha.a $(LIBNL_GENL_LIBS) $(LIBNL_LIBS)
TESTS += tests/vm/ipvs-client.sh
dist_noinst_SCRIPTS += tests/vm/ipvs-client.sh tests/vm/ipvs-client-guest.sh
