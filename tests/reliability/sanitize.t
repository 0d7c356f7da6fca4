#!/usr/bin/env bash
# The patched newest release under AddressSanitizer and
# UndefinedBehaviorSanitizer (scripts/build --sanitize, upstream CI's
# sanitizer configuration): our regress test (keepalive), dead-peer
# scenarios of tests/e2e/lib.sh (judged on the wire, as tests/e2e) and bad
# keepalive values in sshd -t and
# ssh -G run on the sanitized ssh and sshd, and any sanitizer report fails.
# Reports go to files (ASAN_OPTIONS and UBSAN_OPTIONS log_path), one
# directory per phase, and the first lines of each are shown.  Skipped when
# the release's source cannot be had.
#
# SANITIZE_RELEASE (default 10.0p1) picks the release; SANITIZE_PORT
# (default 26400) the first of three TCP ports for the scenarios.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../e2e/lib.sh"
trap 'e2e_end; rm -rf "$T_TMP"' EXIT

rel=${SANITIZE_RELEASE:-10.0p1}
t_ports "${SANITIZE_PORT:-26400}" 10
port=$T_PORT
work=${KEEPALIVE_WORK:-$T_TOP/work}
s=$T_TOP/scripts
dir=$(t_tmpdir)/sanitize
logs=$dir/logs
mkdir -p "$logs"

# sanitizers PHASE: send the reports of what runs next to logs/PHASE/.
sanitizers() {
	mkdir -p "$logs/$1"
	# Every process may write there, whatever user it runs as.
	chmod 1777 "$logs/$1"
	export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:log_exe_name=1:log_path=$logs/$1/asan"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_exe_name=1:log_path=$logs/$1/ubsan"
}

# reports NAME PHASE: fail NAME with the reports of PHASE, if any.
reports() {
	local f first=() n
	mapfile -t first < <(find "$logs/$2" -type f -size +0 | sort)
	n=${#first[@]}
	if [ "$n" = 0 ]; then
		t_pass "$1"
		return 0
	fi
	f=${first[0]}
	t_fail "$1" "$n sanitizer report(s) in $logs/$2, first ${f##*/}: $(grep -E 'ERROR|runtime error|SUMMARY|^    #[0-3] ' "$f" | head -n 8)"
	# Keep them for the log of the test run.
	for f in "${first[@]}"; do
		echo "---- $f"
		cat "$f"
	done
}

# The source: skip when it cannot be had, as tests/release/ does.
t_fetch "$rel" "sanitize/$rel" "$dir/fetch.log" || exit 0

start=$SECONDS
if ! "$s/build" --sanitize "$rel" >"$dir/build.log" 2>&1; then
	t_fail "sanitize/$rel/build" "$(tail -n 8 "$dir/build.log")"
	exit 0
fi
tree=$(find "$work/$rel/patched-sanitize/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
echo "sanitized build: $tree ($((SECONDS - start)) s)"
syms=$(nm "$tree/sshd" 2>/dev/null || true; nm -D "$tree/sshd" 2>/dev/null || true)
if [[ $syms == *__asan_init* && $syms == *__ubsan_handle* ]]; then
	t_pass "sanitize/$rel/build"
else
	t_fail "sanitize/$rel/build" "$tree/sshd is not built with the sanitizers"
	exit 0
fi

# The reports land where we look: a program with a known out-of-bounds
# read, built with the same flags, must leave an ASan report in logs/canary.
sanitizers canary
printf '%s\n' '#include <stdlib.h>' \
	'int main(int argc, char **argv) { int *a = malloc(2 * sizeof(int));' \
	'(void)argv; a[0] = a[1] = 0; return a[argc + 1]; }' >"$dir/canary.c"
if ${CC:-cc} -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-o "$dir/canary" "$dir/canary.c" 2>"$dir/canary.log"; then
	"$dir/canary" >/dev/null 2>&1 || true
	if grep -qs 'heap-buffer-overflow' "$logs/canary"/asan.*; then
		t_pass "sanitize/$rel/canary"
	else
		t_fail "sanitize/$rel/canary" "no ASan report in $logs/canary: the checks below would see nothing"
	fi
else
	t_fail "sanitize/$rel/canary" "$(tail -n 3 "$dir/canary.log")"
fi

# Our regress test, through scripts/regress as CI runs it.
sanitizers regress
rc=0
"$s/regress" --sanitize --tests keepalive "$rel" >"$dir/regress.log" 2>&1 || rc=$?
if [ $rc = 0 ] && grep -q '^PASS keepalive ' "$dir/regress.log"; then
	t_pass "sanitize/$rel/regress/keepalive"
else
	t_fail "sanitize/$rel/regress/keepalive" "$(grep -E '^(PASS|FAIL|SKIP) ' "$dir/regress.log" || tail -n 5 "$dir/regress.log")"
fi
reports "sanitize/$rel/regress/no-reports" regress

# Dead-peer scenarios, judged as tests/e2e judges them: given up after
# exactly C probes, (C+1)*I after the peer's last message on the wire and
# less than E2E_LATE later, the sanitizers' cost included.
sanitizers e2e
# shellcheck disable=SC2034 # read by tests/e2e/lib.sh
E2E_BOUND=20
e2e_use "$tree" "$dir/e2e" "$port"
scn() {
	local name=$1 probes=$2
	shift 2
	"$@" || true
	e2e_judge "sanitize/$rel/e2e/$name" "$probes"
}
scn sshd/idle "$E2E_C" scn_sshd_idle
scn sshd/forward-traffic "$E2E_C" scn_sshd_forward_traffic
scn sshd/count-1 1 scn_count sshd 1
scn ssh/idle "$E2E_C" scn_ssh_idle
scn ssh/stdin-busy "$E2E_C" scn_ssh_stdin
scn ssh/mux-master "$E2E_C" scn_ssh_mux
scn ssh/rekey-1s "$E2E_C" scn_ssh_rekey
reports "sanitize/$rel/e2e/no-reports" e2e

# The configuration parsers with hostile values: no crash, no report.
sanitizers config
crashed=()
n=0
for key in ClientAliveInterval ClientAliveCountMax ServerAliveInterval ServerAliveCountMax; do
	for v in -1 0 010 0x10 +5 1h30m 10ms 5x abc 2147483647 2147483648 \
		4294967296 99999999999999999999 '' "$(head -c 300 /dev/zero | tr '\0' 9)"; do
		for fn in cfg_sshd cfg_ssh; do
			"$fn" "$key $v" || true
			n=$((n + 1))
			# 255 is OpenSSH's own error exit; above 128 a signal.
			if [ "$E2E_CFG_STATUS" -gt 128 ] && [ "$E2E_CFG_STATUS" -lt 255 ]; then
				crashed+=("$fn '$key $v': status $E2E_CFG_STATUS")
			fi
		done
	done
done
if [ ${#crashed[@]} = 0 ]; then
	t_pass "sanitize/$rel/config/no-crash"
else
	t_fail "sanitize/$rel/config/no-crash" "${crashed[*]}"
fi
echo "config: $n sshd -t and ssh runs with bad keepalive values"
reports "sanitize/$rel/config/no-reports" config
echo "sanitize: $((SECONDS - start)) s after the build started"
