# Hitless reload of the VRRP side (issue 6): lbha as both directors of the
# namespace lab; 100 unchanged reloads and 20 VRRP-neutral ones without a
# transition or an address event, a priority change advertised, one VIP
# added and one removed alone, an instance removed on the master resigning
# with a priority-0 advert (tshark).  ~40 s.  Root only: SKIPs without
# root, python3, tshark or lbha.
TESTS += tests/integration/reload.sh
EXTRA_DIST += tests/integration/reload.sh
