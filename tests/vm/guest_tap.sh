# guest_tap.sh: TAP helpers for the scripts that run inside the VM (sourced,
# POSIX sh).  They print test lines but no plan: the host-side script adds its
# own tests and the plan.  `failed` counts the failures for the exit status.
n=0
failed=0

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}
skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}
diag() {
	sed 's/^/# /'
}
# check DESCRIPTION COMMAND... : one test; the command's output is shown on failure
check() {
	desc=$1
	shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc"
		printf '%s\n' "$out" | diag
	fi
}
