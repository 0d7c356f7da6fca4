#!/bin/bash
# scripts/regress as root in a chroot like a root made by mmdebstrap or
# debootstrap: its "/" is no mount point (unshare --mount-proc cannot make
# it private there) and it has no /etc/hosts (the name localhost does not
# resolve).  Each test must still run in its own network and PID
# namespace, and see localhost resolve.  A synthetic release whose test
# reports what it sees; the chroot is this host's /usr, a copy of /etc
# without hosts, and the test's directories at their own paths, all in a
# mount namespace of the test's own.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

name=regress/chroot-isolated
if [ "$(id -u)" != 0 ]; then
	t_skip "$name" "needs root (chroot, mount namespaces)"
	exit 0
fi
for cmd in unshare chroot ip getent ps; do
	if ! command -v "$cmd" >/dev/null; then
		t_skip "$name" "no $cmd"
		exit 0
	fi
done

fx_release 4.0p1
"$S/build" 4.0p1 >/dev/null 2>&1 || t_fail "$name" "the synthetic release does not build"
cat >"$KEEPALIVE_WORK/4.0p1/patched/src/openssh-4.0p1/regress/good.sh" <<'EOF'
echo "links: $(ip -o link show | awk -F': ' '{ printf "%s ", $2 }')"
echo "processes: $(ps -e -o pid= | wc -l)"
echo "localhost: $(getent hosts localhost | awk '{ print $1 }' | head -n 1)"
EOF

root=$FX/root rc=0 hosts=$FX/root/etc/hosts adds=1
if unshare --mount --propagation private true 2>/dev/null; then
	mkdir -p "$root"/{usr,etc,proc,dev,tmp,run,root}
	chmod 1777 "$root/tmp"
	for l in bin sbin lib lib32 lib64 libx32; do
		[ ! -L "/$l" ] || ln -s "$(readlink "/$l")" "$root/$l"
	done
	cp -a /etc/. "$root/etc/"
	rm -f "$root/etc/hosts"
	# The project and the test's files at their own paths.
	mkdir -p "$root$T_TOP" "$root$FX"
	# shellcheck disable=SC2016 # expanded by the inner bash
	unshare --mount --propagation private -- bash -c '
		root=$1 top=$2 fx=$3
		shift 3
		mount --rbind /usr "$root/usr"
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		mount --bind "$top" "$root$top"
		mount --bind "$fx" "$root$fx"
		exec chroot "$root" "$@"
	' chroot "$root" "$T_TOP" "$FX" \
		env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$S/regress" --tests good 4.0p1 \
		>"$FX/out" 2>&1 || rc=$?
	isolated='own network and PID namespace'
else
	# The test runs in such a root itself (a Debian 13 root entered with
	# chroot): unshare cannot make its "/" private, so the mounts of a
	# chroot of the test's own would reach the outer root's.  The case is
	# here already: scripts/regress runs in it as it is.
	hosts=/etc/hosts
	! grep -q '^127\.0\.0\.1[[:space:]]localhost$' "$hosts" 2>/dev/null || adds=0
	"$S/regress" --tests good 4.0p1 >"$FX/out" 2>&1 || rc=$?
	isolated='own network and PID namespace (in a chroot: /proc made private)'
fi
log=$KEEPALIVE_WORK/results/4.0p1-patched/good.log
# No log when regress failed early: a failure to report with its output,
# not an exit (sed's status 2 under set -e).
nets=$(sed -n 's/^links: //p' "$log" 2>/dev/null || true)
procs=$(sed -n 's/^processes: //p' "$log" 2>/dev/null || true)
lh=$(sed -n 's/^localhost: //p' "$log" 2>/dev/null || true)
if [ $rc = 0 ] && [ "$nets" = "lo " ] && [ -n "$procs" ] && [ "$procs" -lt 20 ] &&
	{ [ "$lh" = 127.0.0.1 ] || [ "$lh" = ::1 ]; } && grep -qF "$isolated" "$FX/out" &&
	{ [ $adds = 0 ] || grep -q 'adding localhost to /etc/hosts' "$FX/out"; } &&
	grep -q '^127\.0\.0\.1[[:space:]]localhost$' "$hosts"; then
	t_pass "$name"
else
	t_fail "$name" "rc=$rc links '$nets' processes '$procs' localhost '$lh': $(tail -n 6 "$FX/out")"
fi
