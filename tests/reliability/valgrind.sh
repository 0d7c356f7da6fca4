#!/usr/bin/env bash
# tests/reliability/valgrind.sh TREE: run by hand (docs/reliability.md), not
# by tests/run.  The dead-peer scenarios of tests/e2e/lib.sh with sshd, then
# ssh, of built tree TREE under valgrind memcheck (upstream's options:
# --track-origins=yes --trace-children=yes, so sshd-session and sshd-auth
# too), with a longer interval than CI uses: under memcheck a session takes
# seconds to come up.  TREE must be configured as upstream's valgrind CI
# does (--without-sandbox --without-hardening, -D_FORTIFY_SOURCE=0): the
# rlimit sandbox's setrlimit(RLIMIT_NOFILE, 0) fails under valgrind.
#
# Prints each scenario's give-up and the number of valgrind logs with and
# without errors; exit status 1 when a peer was not given up or valgrind
# reported an error.  Logs: WORK/results/valgrind/.  VALGRIND_PORT
# (default 26470): the first of three TCP ports.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../e2e/lib.sh"
trap 'e2e_end; rm -rf "$T_TMP"' EXIT

if [ $# != 1 ] || [ ! -x "$1/sshd" ]; then
	echo "usage: $0 TREE (a built OpenSSH tree, see docs/reliability.md)" >&2
	exit 2
fi
tree=$(cd "$1" && pwd)
out=${KEEPALIVE_WORK:-$T_TOP/work}/results/valgrind
rm -rf "$out"
mkdir -p "$out/logs"
failed=0

# A wrapper per program: its valgrind logs go to logs/PROGRAM.PID.
for p in sshd ssh; do
	printf '#!/bin/sh\nexec valgrind --track-origins=yes --trace-children=yes --trace-children-skip=/bin/*,/usr/* --log-file=%s/logs/%s.%%p %s/%s "$@"\n' \
		"$out" "$p" "$tree" "$p" >"$out/$p-valgrind"
	chmod +x "$out/$p-valgrind"
done

# shellcheck disable=SC2034 # read by tests/e2e/lib.sh
E2E_I=2 E2E_C=2 E2E_BOUND=40
e2e_use "$tree" "$out/e2e" "${VALGRIND_PORT:-26470}"

# report SIDE SCENARIO: one line; a peer not given up is a failure.
report() {
	echo "$1 under valgrind, $2: ${E2E_SECS} s: ${E2E_WHY:-not given up}"
	if [ "$E2E_OK" != 0 ] || [ "$E2E_SECS" = never ]; then
		failed=1
	fi
}

E2E_SSHD=$out/sshd-valgrind
for s in scn_sshd_idle scn_sshd_printing scn_sshd_n_forward scn_sshd_forward_traffic; do
	"$s" || true
	report sshd "$s"
done
# ssh under valgrind needs longer for its key exchange, which upstream
# limits to ServerAliveInterval * ServerAliveCountMax.
E2E_SSHD=$tree/sshd E2E_SSH=$out/ssh-valgrind E2E_I=3
for s in scn_ssh_idle scn_ssh_stdin scn_ssh_n; do
	"$s" || true
	report ssh "$s"
done

mapfile -t logs < <(grep -l 'ERROR SUMMARY' "$out"/logs/* || true)
bad=0
for f in "${logs[@]}"; do
	if ! grep -q 'ERROR SUMMARY: 0 errors' "$f"; then
		bad=$((bad + 1))
		failed=1
		echo "---- $f"
		cat "$f"
	fi
done
echo "valgrind: ${#logs[@]} process logs, $bad with errors (logs: $out/logs)"
grep -h '^==[0-9]*== Command:' "$out"/logs/* | awk '{ n = split($3, a, "/"); print a[n] }' |
	sort | uniq -c
exit $failed
