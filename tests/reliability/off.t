#!/usr/bin/env bash
# Off means off: with ClientAliveInterval and ServerAliveInterval unset, the
# patched sshd and ssh do what the unpatched ones do in their main loops:
# no clock read added to a pass.  Counted, per process, with an LD_PRELOAD
# library (tests/reliability/count.c) while the remote program prints for
# two seconds (each line wakes both loops): clock_gettime() calls per
# poll-family call, of ssh and of the sshd process that runs the session,
# patched against unpatched.  For every release of t_releases ci
# (tests/lib.sh; OFF_RELEASES picks others).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../e2e/lib.sh"
trap 'e2e_end; rm -rf "$T_TMP"' EXIT
releases=${OFF_RELEASES:-$(t_releases ci)}
t_ports "${OFF_PORT:-18300}" 10
port=$T_PORT
dir=$(t_tmpdir)/off
mkdir -p "$dir"
if ! cc -Wall -shared -fPIC -o "$dir/count.so" "$here/count.c" -ldl >"$dir/cc.log" 2>&1; then
	t_fail off/count.so "$(tail -n 3 "$dir/cc.log")"
	exit 0
fi

# run VARIANT TREE: one session with keepalive unset, counted; prints
# "SSH-RATIO SSHD-RATIO SSH-POLLS SSHD-POLLS" (clock calls per poll call).
run() {
	local f=$dir/$1.count
	rm -f "$f"
	e2e_use "$2" "$dir/$1" "$port" >/dev/null
	KA_COUNT_FILE=$f LD_PRELOAD=$dir/count.so e2e_sshd_start >/dev/null 2>&1 || return 1
	# shellcheck disable=SC2016 # the remote shell expands it
	KA_COUNT_FILE=$f LD_PRELOAD=$dir/count.so "$E2E_SSH" -F "$E2E_DIR/ssh_config" e2e \
		'i=0; while [ $i -lt 20 ]; do echo x; sleep 0.1; i=$((i + 1)); done' \
		</dev/null >"$E2E_DIR/out" 2>"$E2E_DIR/ssh.log" &
	local ssh=$!
	E2E_PIDS+=("$ssh")
	e2e_wait_exit "$ssh" 30 || return 1
	[ "$(wc -l <"$E2E_DIR/out")" = 20 ] || return 1
	e2e_end
	# ssh: its own PID; sshd: the process of the others with the most
	# poll calls (the one running the session loop).
	awk -v ssh="$ssh" '
	{ n[$1, $2]++; pids[$1] = 1 }
	END {
		for (p in pids) if (p != ssh && n[p, "p"] > best) { best = n[p, "p"]; s = p }
		if (n[ssh, "p"] == 0 || best == 0) exit 1
		printf "%.2f %.2f %d %d\n", n[ssh, "c"] / n[ssh, "p"], n[s, "c"] / best, n[ssh, "p"], best
	}' "$f"
}

for rel in $releases; do
	if [ -n "${OFF_PATCHED_TREE:-}" ]; then
		patched=$OFF_PATCHED_TREE	# a tree of the caller's (mutants)
	else
		patched=$(t_built "$rel/off" "$dir/build-$rel.log" "$rel") || continue
	fi
	unpatched=$(t_built "$rel/off" "$dir/build-$rel-u.log" "$rel" --unpatched) || continue
	if ! p=$(run patched "$patched") || ! u=$(run unpatched "$unpatched"); then
		t_fail "$rel/off/clock-reads" "the counted session did not run: $(tail -n 3 "$E2E_DIR/ssh.log" "$E2E_DIR/sshd.log" 2>/dev/null | tr '\n' ' ')"
		continue
	fi
	read -r pssh psshd ppoll1 ppoll2 <<<"$p"
	read -r ussh usshd upoll1 upoll2 <<<"$u"
	echo "$rel: clock reads per loop pass, patched/unpatched: ssh $pssh/$ussh ($ppoll1/$upoll1 passes), sshd $psshd/$usshd ($ppoll2/$upoll2 passes)"
	if awk -v a="$pssh" -v b="$ussh" -v c="$psshd" -v d="$usshd" \
		'BEGIN { exit !(a <= b + 0.1 && c <= d + 0.1) }'; then
		t_pass "$rel/off/clock-reads"
	else
		t_fail "$rel/off/clock-reads" "clock reads per pass with keepalive unset: ssh $pssh patched, $ussh unpatched; sshd $psshd patched, $usshd unpatched"
	fi
done
