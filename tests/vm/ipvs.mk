# tests/vm/ipvs.mk: the IPVS suites that need a real kernel, each booting ONE VM
# through tests/vm/run-in-vm.sh (see tests/vm/README.md); each SKIPs with the
# reason when not root, when no VM can run here, or when lbha is not built.
#   ipvs-table.sh  every protocol/family/scheduler/method from
#                  tests/configs/ipvs-table.conf vs hand-written ipvsadm rules;
#                  repairs, foreign services, reload, stop modes (~40 s under TCG)
#   ipvs-e2e.sh    client -> VIP -> two real servers in rr order, DR/NAT/TUN
#                  (~50 s under TCG; needs curl and python3 on the host)
# Shared guest helpers: ipvs_lab.sh; the real servers: http_name_server.py;
# the client looping on a VIP (checker-ipvs, reload, drill-checker):
# vip_client.py.
IPVS_VM_TESTS = \
	tests/vm/ipvs-table.sh \
	tests/vm/ipvs-e2e.sh

TESTS += $(IPVS_VM_TESTS)
dist_noinst_SCRIPTS += $(IPVS_VM_TESTS) \
	tests/vm/ipvs-table-guest.sh \
	tests/vm/ipvs-e2e-guest.sh \
	tests/vm/ipvs_lab.sh \
	tests/vm/http_name_server.py \
	tests/vm/vip_client.py
EXTRA_DIST += \
	tests/configs/ipvs-table.conf
