#!/usr/bin/env bash
# The tests' sessions do not wait on the account's shell startup files.
# sshd runs a session's command with the account's shell, and Debian's bash
# reads ~/.bashrc for it; a startup file that blocks (a version manager
# waiting 60 s on a lock that a session frozen by a test left behind) made
# every login of a run wait, timing checks fail and CI run out of time.
# tests/run, as root, runs the suite in a mount namespace of its own in
# which those files read as empty (scripts/lib.sh ka_mask_startup_files).
#
# Checks, with the newest fixed release (T_FIXED) built:
#   startup-files/masked-by-run   under tests/run as root, each startup
#                                 file in the account's home reads empty;
#   startup-files/slow-read       sanity: in a namespace of this test's
#                                 own, with a scratch home whose startup
#                                 files sleep 5 s, a command over ssh takes
#                                 5 s more (sessions do read them);
#   startup-files/masked-fast     masked there, it takes less than 5 s.
# Needs root and unshare(1); otherwise skipped with the reason.
# STARTUP_PORT (default 26600): the TCP port used.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "${STARTUP_T_NS:-}" != 1 ] && [ "$(id -u)" = 0 ] &&
	unshare --mount --propagation private true 2>/dev/null; then
	export STARTUP_T_NS=1
	exec unshare --mount --propagation private "$0" "$@"
fi
. "$here/../lib.sh"
. "$here/lib.sh"
# shellcheck source=../../scripts/lib.sh
. "$T_TOP/scripts/lib.sh"
home_mounted=
trap 'e2e_end; [ -z "$home_mounted" ] || umount -R "$home_mounted"; rm -rf "$T_TMP"' EXIT

if [ "${STARTUP_T_NS:-}" != 1 ]; then
	why="needs root and a private mount namespace (unshare -m)"
	for c in masked-by-run slow-read masked-fast; do
		t_skip "startup-files/$c" "$why"
	done
	exit 0
fi

home=$(ka_account 6)
if [ "${KA_STARTUP_FILES_MASKED:-}" != yes ] && [ "$T_RESULTS" = /dev/null ]; then
	t_skip startup-files/masked-by-run "not run by tests/run"
elif [ "${KA_STARTUP_FILES_MASKED:-}" != yes ]; then
	t_fail startup-files/masked-by-run "tests/run, as root with a private mount namespace at hand, left the startup files as they are (KA_STARTUP_FILES_MASKED=${KA_STARTUP_FILES_MASKED:-unset})"
else
	unmasked=
	for f in "${KA_STARTUP_FILES[@]}"; do
		[ ! -s "$home/$f" ] || unmasked="$unmasked $home/$f"
	done
	if [ -z "$unmasked" ]; then
		t_pass startup-files/masked-by-run
	else
		t_fail startup-files/masked-by-run "not empty:$unmasked"
	fi
fi

rel=$(tr ' ' '\n' <<<"$T_FIXED" | sort -V | tail -n 1)
t_ports "${STARTUP_PORT:-26600}" 1
tree=$(t_built startup-files "$T_TMP/build-$rel.log" "$rel") || exit 0
e2e_use "$tree" "$T_TMP/e2e" "$T_PORT"

# A scratch home over the account's, in this namespace only: startup files
# that sleep.  The test's keys and configuration are outside it.
mkdir -p "$T_TMP/home"
for f in "${KA_STARTUP_FILES[@]}"; do
	echo 'sleep 5' >"$T_TMP/home/$f"
done
mount --bind "$T_TMP/home" "$home"
home_mounted=$home

# session_secs: seconds a command over ssh takes, or "failed: ...".
session_secs() {
	local t0 t1 out
	t0=$(e2e_now_ms)
	out=$(timeout 30 "$E2E_SSH" -F "$E2E_DIR/ssh_config" e2e 'echo session-ran' \
		</dev/null 2>"$E2E_DIR/ssh.log") || true
	t1=$(e2e_now_ms)
	if [ "$out" != session-ran ]; then
		echo "failed: $(tail -n 2 "$E2E_DIR/ssh.log" "$E2E_DIR/sshd.log" | tr '\n' ' ')"
		return
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }'
}

# timed NAME CONDITION OTHERWISE WHY: a command over ssh, timed; NAME
# passes when its seconds (s) meet CONDITION (awk), else OTHERWISE (t_skip,
# t_fail) says WHY, with @ the seconds.
timed() {
	local secs
	secs=$(session_secs)
	case $secs in
	failed*) t_fail "$1" "$secs" ;;
	*)
		if awk -v s="$secs" "BEGIN { exit !($2) }"; then
			t_pass "$1"
		else
			"$3" "$1" "${4//@/$secs}"
		fi
		;;
	esac
}

e2e_sshd_start || { t_fail startup-files/slow-read "sshd did not start"; exit 0; }
timed startup-files/slow-read "s >= 5" t_skip \
	"the account's shell ($(ka_account 7)) read no startup file for a command over ssh (@ s)"
ka_mask_startup_files >/dev/null
timed startup-files/masked-fast "s < 5" t_fail \
	"a command over ssh took @ s with the startup files masked"
e2e_end
