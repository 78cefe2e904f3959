#!/bin/sh
# guest-init.sh - PID 1 of the lbha test VM (runs under busybox sh in the initramfs).
#
# tests/vm/run-in-vm.sh copies this file into the initramfs as /init. It mounts the
# host's root (9p, read-only) under a tmpfs overlay, the module tree and the read-write
# shares, chroots into the result to run the command the host wrote to the control
# share, stores the command's exit status there, and powers the VM off.
#
# The initramfs holds: /bin/busybox (static), the modules needed to reach the host
# under /lib/modules/<kver>/, and /boot-modules (their paths, dependencies first).
# The control share (9p tag "ctl") holds: config (sourced below), cmd (run by the
# root's /bin/sh), and receives stdout, stderr, rc and init-error.
# shellcheck shell=sh

/bin/busybox --install -s /bin
export PATH=/bin HOME=/
mkdir -p /proc /sys /dev /sbin /ctl /lower /upper /newroot
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# The kernel runs /sbin/modprobe (in PID 1's root, i.e. here) to auto-load modules,
# e.g. an IPVS scheduler on first use: busybox's modprobe reads the shared modules.dep.
ln -sf /bin/busybox /sbin/modprobe

msg() { echo "vm-init[$(cut -d' ' -f1 /proc/uptime)]: $*" >/dev/console; }
# A failure leaves init-error on the host (if the control share is up) and powers
# off at once: the host then reports exit status 125 with the console log.
fail() {
	msg "FATAL: $*"
	echo "$*" >/ctl/init-error 2>/dev/null
	poweroff -f
	reboot -f
}

KV=$(uname -r)
while read -r m; do
	insmod "/lib/modules/$KV/$m" || fail "insmod $m failed"
done </boot-modules

# 9p: msize 512000 cuts round trips; the root may be cached (loose) since it is
# read-only, the read-write shares must not be (mmap keeps shared mmap working).
O9="trans=virtio,version=9p2000.L,msize=512000"
mount -t 9p -o "$O9,cache=none" ctl /ctl || fail "cannot mount the control share"
# config sets VERBOSE, LOAD_MODULES, NRW and RW0..RW<NRW-1> (absolute paths).
# shellcheck disable=SC1091
. /ctl/config || fail "cannot read /ctl/config"
mount -t 9p -o "$O9,cache=loose,ro" hostroot /lower || fail "cannot mount the host root"
mkdir -p "/lib/modules/$KV"
mount -t 9p -o "$O9,cache=loose,ro" modules "/lib/modules/$KV" ||
	fail "cannot mount the module tree"
# Not fatal: e.g. crc32c-intel refuses a CPU without SSE4.2, and crc32c-generic
# stands in for it. The command finds out if something it needs is missing.
for m in $LOAD_MODULES; do
	insmod "/lib/modules/$KV/$m" 2>/dev/null || msg "insmod $m failed"
done
[ "$VERBOSE" = 1 ] && msg "modules loaded"

R=/newroot
if ! mount -t tmpfs -o mode=755 upper /upper || ! mkdir -p /upper/u /upper/w ||
	! mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w overlay $R; then
	fail "cannot mount the overlay root"
fi
mkdir -p $R/proc $R/sys $R/dev $R/run $R/tmp
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup 2>/dev/null
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 shm $R/dev/shm
mount -t tmpfs -o mode=755 run $R/run
# /tmp is the overlay's: it starts with whatever the host has there (harmless), and
# writes to it stay in guest memory.
mkdir -p $R/run/lock $R/run/vm-ctl "$R/lib/modules/$KV"
mount --bind /ctl $R/run/vm-ctl
mount --bind "/lib/modules/$KV" "$R/lib/modules/$KV"
i=0 p=""
while [ "$i" -lt "$NRW" ]; do
	eval "p=\$RW$i"
	mkdir -p "$R$p"
	mount -t 9p -o "$O9,cache=mmap" "rw$i" "$R$p" || fail "cannot mount the share $p"
	i=$((i + 1))
done
ip link set lo up
hostname vm

[ "$VERBOSE" = 1 ] && msg "starting the command"
chroot $R /bin/sh /run/vm-ctl/cmd </dev/null >>/ctl/stdout 2>>/ctl/stderr
echo $? >/ctl/rc
[ "$VERBOSE" = 1 ] && msg "the command exited"
sync
poweroff -f
reboot -f
