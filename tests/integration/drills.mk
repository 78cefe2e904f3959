# Fault drills of issue 7 in network namespaces (root only; each suite SKIPs
# with the reason without root, python3 or the lbha binary):
#   drill-vrrp.sh     master SIGSTOP/SIGCONT, partition between the directors,
#                     100 kill -9 / restart cycles of the master
#   drill-hostile.sh  hostile adverts and a 10,000/s flood from a third
#                     namespace (vrrp_hostile.py builds and sends them)
#   drill-reload.sh   200 SIGHUPs in 10 s over two valid configs and a broken one
#   drill-scripts.sh  hanging, forking, script_user, enable_script_security
# The drills that need IPVS run in the VM: tests/vm/drills.mk.
TESTS += \
	tests/integration/drill-vrrp.sh \
	tests/integration/drill-hostile.sh \
	tests/integration/drill-reload.sh \
	tests/integration/drill-scripts.sh
EXTRA_DIST += \
	tests/integration/drill-vrrp.sh \
	tests/integration/drill-hostile.sh \
	tests/integration/drill-reload.sh \
	tests/integration/drill-scripts.sh \
	tests/integration/vrrp_hostile.py
