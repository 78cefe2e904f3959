#!/usr/bin/env bash
# run-in-vm.sh - run a command as root in a throwaway VM that runs Debian's own kernel
#
# Usage:
#   tests/vm/run-in-vm.sh [OPTION...] [--] COMMAND [ARG...]
#   tests/vm/run-in-vm.sh --check      # can a VM run here? exit 0, or print why not, exit 77
#   tests/vm/run-in-vm.sh --setup      # install missing host tools, fetch the kernel, build
#                                      # the initramfs; later runs start right away
#   tests/vm/run-in-vm.sh --selftest   # boot one VM, check IPVS and netns there, print TAP
#
# Why: IPVS tests need a kernel with IPVS, and the host's may lack it. The guest boots the
# kernel Debian's linux-image-amd64 points to, fetched with `apt-get download` and unpacked
# into a cache (nothing goes to /boot). A small busybox initramfs (tests/vm/guest-init.sh)
# mounts the host's / read-only over virtio-9p under a tmpfs overlay, so COMMAND sees every
# host file and may write anywhere, but such writes are lost at power-off; --workdir and
# --rw directories are shared read-write. COMMAND runs as root in the current directory
# (or --workdir) with the caller's environment plus LBHA_IN_VM=1, and stdin /dev/null. The
# guest has no network card: only lo, plus whatever namespaces and veths COMMAND makes.
#
# Options:
#   --workdir DIR   share DIR read-write (same path in the guest) and run COMMAND there
#   --rw DIR        share one more directory read-write (repeatable)
#   --modules LIST  more kernel modules to load before COMMAND (comma or space separated)
#   --mem MB        guest memory in MiB (default 1024)
#   --cpus N        virtual CPUs (default: host cores, at most 4)
#   --timeout SEC   power the VM off after SEC seconds and exit 124 (default 600)
#   --console       copy the guest's console (kernel messages) to stderr
#   --keep          keep the per-run control directory (its path is printed)
#   --kvm, --no-kvm force or forbid KVM (default: KVM only if it is hardware VT-x/AMD-V)
#   -v, --verbose   print timestamped progress to stderr
#   -h, --help      print this text
# Environment:
#   LBHA_VM_CACHE       cache directory (default /var/cache/lbha-vm)
#   LBHA_VM_KERNEL_PKG  kernel package, e.g. linux-image-6.1.0-56-amd64 (default: the
#                       newest one in the cache, else what linux-image-amd64 depends on)
#   LBHA_VM_NO_FETCH=1  never call apt-get: use only what is installed and cached
#   LBHA_VM_SKIP=REASON --check fails with REASON (scripts/test-all sets it for
#                       make distcheck: the VM suites already ran twice)
#   LBHA_VM_APPEND      extra kernel command line arguments
#   LBHA_VM_VERBOSE=1   same as -v
# Exit status: COMMAND's; 124 on timeout; 125 if the VM could not start or stopped without
# reporting a status (the console log is printed); --check: 0 or 77.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUEST_INIT=$HERE/guest-init.sh
ORIG_ARGS=("$@")

# Modules the initramfs loads to reach the host, and the ones loaded before COMMAND. The
# crc32c ones stand in for the usermode modprobe calls libcrc32c (via nf_conntrack) would
# make, which cost ~0.5 s under TCG. Every other module is auto-loaded on demand.
BOOT_MODULES="virtio_mmio virtio_pci 9pnet_virtio 9p overlay"
DEFAULT_MODULES="crc32c_generic crc32c_intel ip_vs ip_vs_rr ip_vs_wrr ip_vs_wlc ip_vs_lc
ip_vs_sh veth dummy"
# Space the unpacked kernel (mostly modules), vmlinux and initramfs take.
CACHE_NEED_MB=600

die() {
	echo "run-in-vm: $*" >&2
	exit 125
}
log() {
	if [ -n "$VERBOSE" ]; then echo "run-in-vm: [$(date +%T.%3N)] $*" >&2; fi
}
# POSIX single-quoting, for the files the guest's sh sources.
shq() {
	local s=${1//\'/\'\\\'\'}
	printf "'%s'" "$s"
}

# ------------------------------------------------------------------------ options
CPUS=$(nproc)
[ "$CPUS" -le 4 ] || CPUS=4
WORKDIR="" MEM=1024 TIMEOUT=600 USE_KVM=auto CONSOLE="" KEEP="" EXTRA_MODULES=""
MODE=run VERBOSE=${LBHA_VM_VERBOSE:-}
[ "$VERBOSE" != 0 ] || VERBOSE=""
RW_DIRS=()
need_arg() {
	[ "$2" -ge 2 ] || die "option $1 needs an argument (see --help)"
}
while [ $# -gt 0 ]; do
	case $1 in
	--workdir)
		need_arg "$1" $#
		WORKDIR=$(realpath -e -- "$2") || die "no such directory: $2"
		shift 2
		;;
	--rw)
		need_arg "$1" $#
		d=$(realpath -e -- "$2") || die "no such directory: $2"
		RW_DIRS+=("$d")
		shift 2
		;;
	--modules) need_arg "$1" $# && EXTRA_MODULES+=" ${2//,/ }" && shift 2 ;;
	--mem) need_arg "$1" $# && MEM=$2 && shift 2 ;;
	--cpus) need_arg "$1" $# && CPUS=$2 && shift 2 ;;
	--timeout) need_arg "$1" $# && TIMEOUT=$2 && shift 2 ;;
	--console) CONSOLE=1 && shift ;;
	--keep) KEEP=1 && shift ;;
	--kvm) USE_KVM=yes && shift ;;
	--no-kvm) USE_KVM=no && shift ;;
	-v | --verbose) VERBOSE=1 && shift ;;
	--check) MODE=check && shift ;;
	--setup) MODE=setup && shift ;;
	--selftest) MODE=selftest && shift ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	--) shift && break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
for v in "$MEM" "$CPUS" "$TIMEOUT"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || die "--mem, --cpus and --timeout take a positive number, not '$v'"
done
[ -z "$WORKDIR" ] || RW_DIRS=("$WORKDIR" ${RW_DIRS[@]+"${RW_DIRS[@]}"})
if [ "$MODE" = run ] && [ $# -eq 0 ]; then die "no command given (see --help)"; fi

CACHE=${LBHA_VM_CACHE:-/var/cache/lbha-vm}
NO_FETCH=${LBHA_VM_NO_FETCH:-}
[ "$NO_FETCH" = 1 ] || NO_FETCH=""

# ------------------------------------------------------------------------ host tools
BUSYBOX=""
# The initramfs needs a statically linked busybox (package busybox-static): the
# dynamically linked one of package busybox would find no libc there.
find_busybox() {
	local b
	for b in /usr/bin/busybox /bin/busybox "$(command -v busybox || true)"; do
		if [ -n "$b" ] && [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then
			BUSYBOX=$b
			return 0
		fi
	done
	return 1
}
# Prints the host packages whose tool is missing, of the ones the runner needs:
# qemu-system-x86 busybox-static cpio xz-utils (scripts/install-deps has them too).
# kmod is optional: busybox's depmod stands in for its depmod.
missing_host_pkgs() {
	local miss=""
	command -v qemu-system-x86_64 >/dev/null || miss+=" qemu-system-x86"
	find_busybox || miss+=" busybox-static"
	command -v cpio >/dev/null || miss+=" cpio"
	command -v xz >/dev/null || miss+=" xz-utils"
	echo "${miss# }"
}
install_host_pkgs() {
	local miss
	miss=$(missing_host_pkgs)
	[ -n "$miss" ] || return 0
	[ -z "$NO_FETCH" ] || die "missing packages: $miss (and LBHA_VM_NO_FETCH=1)"
	echo "run-in-vm: apt-get install $miss" >&2
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086 # a list of package names
	apt-get install -y -q --no-install-recommends $miss >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $miss >&2; } ||
		die "apt-get install $miss failed"
	find_busybox || die "no static busybox after installing busybox-static"
}

# ------------------------------------------------------------------------ kernel
# $CACHE/<kver>/ is the unpacked .deb (boot/vmlinuz-<kver>, lib/modules/<kver>/) plus
# boot/vmlinux-<kver>, the ELF image inside the bzImage: qemu boots it through its PVH
# entry point, which skips the xz decompression (about 8 s under TCG). .complete marks
# a finished unpack.
KVER="" KDIR="" KPKG=""
newest_cached_kernel() {
	local f
	for f in "$CACHE"/*/.complete; do
		[ ! -e "$f" ] || echo "${f%/.complete}"
	done | sort -V | tail -n 1
}
resolve_kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}
# Sets KPKG, KVER and KDIR, or KERR (why no kernel can be named) and returns 1. With
# $1 = noupdate it never runs apt-get update.
KERR=""
pick_kernel() {
	KPKG=${LBHA_VM_KERNEL_PKG:-}
	if [ -z "$KPKG" ]; then
		KDIR=$(newest_cached_kernel)
		if [ -n "$KDIR" ]; then
			KVER=${KDIR##*/}
			KPKG=linux-image-$KVER
			return 0
		fi
		if [ -n "$NO_FETCH" ]; then
			KERR="no kernel in $CACHE and LBHA_VM_NO_FETCH=1"
			return 1
		fi
		if ! command -v apt-get >/dev/null; then
			KERR="no kernel in $CACHE and no apt-get to fetch one"
			return 1
		fi
		KPKG=$(resolve_kernel_pkg)
		if [ -z "$KPKG" ] && [ "${1:-}" != noupdate ]; then
			apt-get update -q >&2 || true
			KPKG=$(resolve_kernel_pkg)
		fi
		if [ -z "$KPKG" ]; then
			KERR="apt cannot resolve linux-image-amd64 to a kernel package (apt-get update?)"
			return 1
		fi
	fi
	KVER=${KPKG#linux-image-}
	KVER=${KVER%-unsigned}
	KDIR=$CACHE/$KVER
}
# bzImage -> ELF vmlinux, the way the kernel's scripts/extract-vmlinux does it.
extract_vmlinux() {
	local bz=$1 out=$2 off
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$bz" | head -n 1 | cut -d: -f1) || true
	[ -n "$off" ] || return 1
	# xz complains about the data after the stream; the image is complete anyway.
	tail -c +$((off + 1)) "$bz" | xz -dc >"$out.tmp" 2>/dev/null || true
	[ "$(head -c 4 "$out.tmp" | od -An -c | tr -d ' ')" = '177ELF' ] || {
		rm -f "$out.tmp"
		return 1
	}
	mv "$out.tmp" "$out"
}
fetch_kernel() {
	[ ! -e "$KDIR/.complete" ] || return 0
	[ -z "$NO_FETCH" ] || die "kernel $KPKG is not in $CACHE (and LBHA_VM_NO_FETCH=1)"
	echo "run-in-vm: fetching $KPKG with apt-get download" >&2
	local tmp
	tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
	# apt's download sandbox user must be able to write there
	chmod 755 "$tmp"
	if id _apt >/dev/null 2>&1; then chown _apt "$tmp" 2>/dev/null || true; fi
	(cd "$tmp" && apt-get download -q "$KPKG" >&2) ||
		{ apt-get update -q >&2 && (cd "$tmp" && apt-get download -q "$KPKG" >&2); } ||
		{
			rm -rf "$tmp"
			die "apt-get download $KPKG failed"
		}
	rm -rf "$KDIR"
	mkdir -p "$KDIR"
	log "unpacking $KPKG"
	dpkg-deb -x "$tmp"/*.deb "$KDIR" || die "cannot unpack $KPKG"
	rm -rf "$tmp"
	[ -f "$KDIR/boot/vmlinuz-$KVER" ] || die "no boot/vmlinuz-$KVER in $KPKG"
	extract_vmlinux "$KDIR/boot/vmlinuz-$KVER" "$KDIR/boot/vmlinux-$KVER" ||
		echo "run-in-vm: warning: no vmlinux in the bzImage, booting the bzImage (slower)" >&2
	# The package's postinst makes modules.dep; nothing of it ran, so make it here.
	log "depmod $KVER"
	if command -v depmod >/dev/null && depmod -b "$KDIR" "$KVER" 2>/dev/null; then :; else
		"$BUSYBOX" depmod -b "$KDIR" "$KVER" || die "depmod failed"
	fi
	[ -s "$KDIR/lib/modules/$KVER/modules.dep" ] || die "depmod made no modules.dep"
	touch "$KDIR/.complete"
}

# ------------------------------------------------------------------------ initramfs
# mod_closure MODDIR NAME... prints the module files (relative to MODDIR) that NAMEs
# need, dependencies first. Built-in modules are skipped; an unknown name fails.
mod_closure() {
	local md=$1
	shift
	awk -v want="$*" '
	function norm(s) { gsub(/-/, "_", s); return s }
	function base(p,  b) {
		b = p; sub(/.*\//, "", b); sub(/\.ko(\.[gx]z|\.zst)?$/, "", b); return norm(b)
	}
	FILENAME ~ /modules\.builtin$/ { B[base($1)] = 1; next }
	{
		path = $1; sub(/:$/, "", path); n = base(path); P[n] = path; D[n] = ""
		for (i = 2; i <= NF; i++) D[n] = D[n] " " base($i)
	}
	function visit(n,  a, k, c) {
		if (n in seen) return
		seen[n] = 1
		if (n in B) return
		if (!(n in P)) { print "run-in-vm: no module " n > "/dev/stderr"; bad = 1; return }
		c = split(D[n], a, " ")
		for (k = c; k >= 1; k--) visit(a[k])
		print P[n]
	}
	END { c = split(want, w, " "); for (i = 1; i <= c; i++) visit(norm(w[i])); exit bad }' \
		"$md/modules.builtin" "$md/modules.dep"
}
INITRD=""
# The initramfs holds the static busybox, /init and the boot modules (about 1.5 MB). Its
# name carries a hash of what goes in, so a changed guest-init.sh makes a new one.
ensure_initrd() {
	local md=$KDIR/lib/modules/$KVER list h st p
	[ -r "$GUEST_INIT" ] || die "missing $GUEST_INIT"
	# shellcheck disable=SC2086 # a list of module names
	list=$(mod_closure "$md" $BOOT_MODULES) || die "cannot resolve the boot modules"
	h=$({
		echo "$KVER"
		sha256sum <"$BUSYBOX"
		echo "$list"
		cat "$GUEST_INIT"
		declare -f ensure_initrd
	} | sha256sum | cut -c1-16)
	INITRD=$CACHE/initrd-$KVER-$h.cpio.gz
	[ ! -s "$INITRD" ] || return 0
	log "building $INITRD"
	st=$(mktemp -d "$CACHE/initrd.XXXXXX")
	mkdir -p "$st/bin" "$st/lib/modules/$KVER"
	cp "$BUSYBOX" "$st/bin/busybox"
	ln -s busybox "$st/bin/sh"
	cp "$GUEST_INIT" "$st/init"
	chmod 755 "$st/init"
	for p in $list; do
		mkdir -p "$st/lib/modules/$KVER/${p%/*}"
		cp "$md/$p" "$st/lib/modules/$KVER/$p"
	done
	echo "$list" >"$st/boot-modules"
	(cd "$st" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
	rm -rf "$st"
	# initramfs images of older guest-init.sh versions
	find "$CACHE" -maxdepth 1 -name "initrd-$KVER-*.cpio.gz" ! -newer "$INITRD" \
		! -path "$INITRD" -mmin +60 -delete 2>/dev/null || true
}

# Everything a boot needs, made once and cached. The lock makes concurrent first runs
# (make -j check) wait for one download instead of racing.
prepare() {
	[ "$(id -u)" = 0 ] || die "must run as root (the 9p shares keep exact owners and modes)"
	local miss
	if [ "$MODE" = setup ]; then install_host_pkgs; fi
	miss=$(missing_host_pkgs)
	[ -z "$miss" ] || die "missing packages: $miss (run scripts/install-deps or $0 --setup)"
	find_busybox || die "no static busybox"
	mkdir -p "$CACHE"
	exec 9>>"$CACHE/.lock"
	flock 9
	# what an interrupted run left behind (only the lock holder makes these)
	rm -rf "$CACHE"/dl.* "$CACHE"/initrd.*/
	pick_kernel || die "$KERR"
	fetch_kernel
	ensure_initrd
	exec 9>&-
	log "kernel $KVER, initramfs $INITRD"
}

# ------------------------------------------------------------------------ --check
# Prints why no VM can run here and returns 1, or returns 0. It changes nothing: no
# install, no download, no apt-get update.
check() {
	local reasons=() miss free dir
	[ -z "${LBHA_VM_SKIP:-}" ] || reasons+=("$LBHA_VM_SKIP")
	[ "$(id -u)" = 0 ] || reasons+=("not root (the VM needs root)")
	[ "$(uname -m)" = x86_64 ] ||
		reasons+=("the host is $(uname -m); the guest runs the host's x86_64 binaries")
	miss=$(missing_host_pkgs)
	[ -z "$miss" ] || reasons+=("missing packages: $miss (run scripts/install-deps)")
	if command -v qemu-system-x86_64 >/dev/null &&
		! qemu-system-x86_64 -machine help 2>/dev/null | grep -q '^microvm '; then
		reasons+=("qemu-system-x86_64 has no microvm machine")
	fi
	if ! pick_kernel noupdate; then
		reasons+=("$KERR")
	elif [ ! -e "$KDIR/.complete" ]; then
		if [ -n "$NO_FETCH" ]; then
			reasons+=("kernel $KPKG is not in $CACHE and LBHA_VM_NO_FETCH=1")
		elif ! (cd /tmp && apt-get download --print-uris "$KPKG") >/dev/null 2>&1; then
			reasons+=("apt cannot fetch $KPKG")
		else
			dir=$CACHE
			while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
			free=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
			[ "${free:-0}" -ge "$CACHE_NEED_MB" ] ||
				reasons+=("only ${free:-0} MB free in $dir; the kernel needs $CACHE_NEED_MB MB")
		fi
	fi
	if [ ${#reasons[@]} -gt 0 ]; then
		local r out=""
		for r in "${reasons[@]}"; do out+="${out:+; }$r"; done
		echo "$out"
		return 1
	fi
	local how="TCG"
	if kvm_usable; then how="KVM"; fi
	if [ -e "$KDIR/.complete" ]; then
		echo "ok: kernel $KVER is cached in $CACHE; the VM will use $how"
	else
		echo "ok: the first run fetches $KPKG (about 70 MB) into $CACHE; the VM will use $how"
	fi
}

# ------------------------------------------------------------------------ run
# Hardware-assisted KVM only: a KVM that emulates (kvm_pvm, nested PVM) cannot run a
# stock kernel usefully - it hangs or is 20-50 times slower than TCG.
kvm_usable() {
	[ "$USE_KVM" != no ] || return 1
	[ -e /dev/kvm ] && (exec 8<>/dev/kvm) 2>/dev/null || return 1
	[ "$USE_KVM" = yes ] && return 0
	grep -qwE 'vmx|svm' /proc/cpuinfo && [ ! -d /sys/module/kvm_pvm ]
}

CTL="" QPID="" TAILS=""
cleanup() {
	local p
	if [ -n "$QPID" ]; then
		# timeout(1) passes the signal on to qemu
		kill "$QPID" 2>/dev/null || true
		wait "$QPID" 2>/dev/null || true
	fi
	for p in $TAILS; do kill "$p" 2>/dev/null || true; done
	if [ -n "$CTL" ]; then
		if [ -n "$KEEP" ]; then echo "run-in-vm: kept $CTL" >&2; else rm -rf "$CTL"; fi
	fi
}

# Writes the control share: config for guest-init.sh, cmd for the chroot's /bin/sh.
write_ctl() {
	local md=$KDIR/lib/modules/$KVER boot load i d kv name cwd=${WORKDIR:-$PWD}
	# shellcheck disable=SC2086 # lists of module names
	{
		boot=$(mod_closure "$md" $BOOT_MODULES) &&
			load=$(mod_closure "$md" $DEFAULT_MODULES $EXTRA_MODULES)
	} || die "cannot resolve the modules to load"
	# the boot modules are in already
	load=$(grep -vxF -f <(echo "$boot") <<<"$load" || true)
	{
		echo "VERBOSE=${VERBOSE:-0}"
		echo "LOAD_MODULES=$(shq "${load//$'\n'/ }")"
		echo "NRW=${#RW_DIRS[@]}"
		i=0
		for d in ${RW_DIRS[@]+"${RW_DIRS[@]}"}; do
			echo "RW$i=$(shq "$d")"
			i=$((i + 1))
		done
	} >"$CTL/config"
	{
		while IFS= read -r -d '' kv; do
			name=${kv%%=*}
			[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
			case $name in PWD | OLDPWD | SHLVL | _) continue ;; esac
			echo "export $name=$(shq "${kv#*=}")"
		done < <(env -0)
		echo "export LBHA_IN_VM=1"
		echo "cd $(shq "$cwd") || exit 125"
		printf 'exec'
		for d in "$@"; do printf ' %s' "$(shq "$d")"; done
		echo
	} >"$CTL/cmd"
}

run_vm() {
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	CTL=$(mktemp -d "${TMPDIR:-/tmp}/lbha-vm.XXXXXX")
	write_ctl "$@"
	: >"$CTL/stdout"
	: >"$CTL/stderr"
	: >"$CTL/console.log"

	local accel cpu khz kernel dev=virtio-9p-device
	local append="console=ttyS0 quiet panic=-1 oops=panic rdinit=/init cryptomgr.notests=1"
	append+=" rodata=off mitigations=off"
	if kvm_usable; then
		accel=kvm cpu=host
	else
		accel=tcg,thread=multi cpu=max
		# microvm has no PIT or HPET to calibrate the TSC against. TCG's TSC ticks at the
		# host's rate, which Linux shows as bogomips = tsc_khz / 500.
		khz=$(awk -F': *' '/^bogomips/ { printf "%d", $2 * 500; exit }' /proc/cpuinfo)
		if [ -n "$khz" ] && [ "$khz" -ge 100000 ]; then append+=" tsc_early_khz=$khz"; fi
		# MTTCG vCPUs fail the TSC sync check; every other clocksource is worse
		append+=" tsc=reliable"
	fi
	kernel=$KDIR/boot/vmlinux-$KVER
	[ -f "$kernel" ] || kernel=$KDIR/boot/vmlinuz-$KVER
	# multidevs=remap: / spans several filesystems, whose inode numbers may collide
	local args=(
		-nodefaults -no-user-config -nographic -no-reboot -monitor none
		-machine microvm -accel "$accel" -cpu "$cpu" -smp "$CPUS" -m "$MEM"
		-kernel "$kernel" -initrd "$INITRD" -append "$append ${LBHA_VM_APPEND:-}"
		-serial "file:$CTL/console.log"
		-fsdev "local,id=fs0,path=/,security_model=passthrough,readonly=on,multidevs=remap"
		-device "$dev,fsdev=fs0,mount_tag=hostroot"
		-fsdev "local,id=fs1,path=$CTL,security_model=passthrough"
		-device "$dev,fsdev=fs1,mount_tag=ctl"
		-fsdev "local,id=fs2,path=$KDIR/lib/modules/$KVER,security_model=passthrough,readonly=on"
		-device "$dev,fsdev=fs2,mount_tag=modules"
	)
	local i=0 d
	for d in ${RW_DIRS[@]+"${RW_DIRS[@]}"}; do
		args+=(-fsdev "local,id=fsrw$i,path=$d,security_model=passthrough,multidevs=remap"
			-device "$dev,fsdev=fsrw$i,mount_tag=rw$i")
		i=$((i + 1))
	done
	log "qemu-system-x86_64 ${args[*]}"
	timeout -k 5 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" </dev/null >"$CTL/qemu.log" 2>&1 &
	QPID=$!
	tail -q -s 0.1 -n +1 -f --pid=$QPID "$CTL/stdout" &
	TAILS=$!
	tail -q -s 0.1 -n +1 -f --pid=$QPID "$CTL/stderr" >&2 &
	TAILS+=" $!"
	if [ -n "$CONSOLE" ]; then
		tail -q -s 0.1 -n +1 -f --pid=$QPID "$CTL/console.log" >&2 &
		TAILS+=" $!"
	fi
	local qrc=0
	wait "$QPID" || qrc=$?
	QPID=""
	# shellcheck disable=SC2086 # a list of pids
	wait $TAILS 2>/dev/null || true
	TAILS=""
	log "the VM is off (qemu status $qrc)"
	if [ -s "$CTL/rc" ]; then exit "$(cat "$CTL/rc")"; fi
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "run-in-vm: timed out after ${TIMEOUT}s" >&2
		exit 124
	fi
	echo "run-in-vm: the VM stopped without reporting an exit status (qemu status $qrc)" >&2
	if [ -s "$CTL/init-error" ]; then echo "--- guest init: $(cat "$CTL/init-error")" >&2; fi
	echo "--- qemu:" >&2
	tail -n 20 "$CTL/qemu.log" >&2
	echo "--- console:" >&2
	tail -n 40 "$CTL/console.log" >&2
	exit 125
}

case $MODE in
check)
	if check; then exit 0; else exit 77; fi
	;;
setup)
	prepare
	echo "run-in-vm: ready: kernel $KVER, $INITRD" >&2
	;;
selftest)
	# selftest.sh calls this script back for --check and for the boot; pass our
	# options (but not --selftest) on to it.
	args=()
	for a in ${ORIG_ARGS[@]+"${ORIG_ARGS[@]}"}; do
		[ "$a" = --selftest ] || args+=("$a")
	done
	exec sh "$HERE/selftest.sh" ${args[@]+"${args[@]}"}
	;;
run)
	prepare
	# One VM at a time on this host: under TCG each one wants every core, and
	# make -j check would otherwise start several beside the timing-sensitive
	# namespace suites.
	exec 7>>"$CACHE/.run-lock"
	flock 7
	run_vm "$@"
	;;
esac
