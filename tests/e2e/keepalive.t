#!/usr/bin/env bash
# End-to-end dead-peer scenarios on 127.0.0.1: real patched and unpatched
# ssh and sshd of each release, side by side.  The patched build must give
# the frozen peer up after exactly ClientAliveCountMax (ServerAliveCountMax)
# probes and (C+1)*I s of silence, not earlier, within a generous bound; the
# unpatched figure is recorded next to it.
#
# A scenario a build cannot run (ControlMaster before 3.9, a time-based
# RekeyLimit before 6.3, ServerAlive* in unpatched builds before 3.8) is
# reported skipped with the reason and "n/a" in the table, never passed.
#
# E2E_RELEASES (default: t_releases ci, tests/lib.sh) picks releases; E2E_UNPATCHED=0
# skips the unpatched side.  Results: WORK/results/e2e-RELEASE.md.
# E2E_JOBS (default 2): releases run at the same time, each with its own
# block of ports and its own processes; a scenario spends most of its time
# waiting on keepalive timers, so two releases take little more than one.
# Their output comes in release order.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/lib.sh"

top=$T_TOP
pids=()	# the subshells of the releases running (E2E_JOBS)
trap 'kill "${pids[@]}" 2>/dev/null || true; wait; e2e_end; rm -rf "$T_TMP"' EXIT
releases=${E2E_RELEASES:-$(t_releases ci)}
t_ports "${E2E_PORT:-17100}" 10
port=$T_PORT

# at_least A B: is version A (8.4p1) at least B (8.2)?
at_least() {
	printf '%s\n%s\n' "$2" "${1%%p*}" | sort -V -C
}

# na_reason NAME VARIANT: why the release's VARIANT build cannot run
# scenario NAME at all; nothing when it can.
na_reason() {
	case $1 in
	ssh/mux-master)
		at_least "$rel" 3.9 || echo "no ControlMaster before OpenSSH 3.9" ;;
	ssh/rekey-1s)
		at_least "$rel" 6.3 || echo "no time-based RekeyLimit before OpenSSH 6.3" ;;
	ssh/* | sshd/*-both-probe | both/*)
		if [ "$2" = unpatched ] && ! at_least "$rel" 3.8; then
			echo "no ServerAlive* before OpenSSH 3.8 (the series adds them)"
		fi ;;
	esac
}

# E2E_SCENARIOS (default: all): the scenarios to run, by name
# (sshd/idle, ssh/-N, config/sshd-bad-interval, ...).
selected_scn() {
	[ -z "${E2E_SCENARIOS:-}" ] || [[ " $E2E_SCENARIOS " == *" $1 "* ]]
}

# judge_exchanges NAME: both sides probing an idle session at the same
# interval (scn_both_idle): sshd probed every interval (all but one or two
# of them; over a link with a delay an interval and a round trip), ssh
# never did: one exchange per interval, by the rule of keepalive_yield(),
# whatever the scheduling.
judge_exchanges() {
	local n
	n=$(awk -v s="$E2E_BOTH_SECS" -v i="$E2E_I" -v d="${E2E_DELAY:-0}" \
		'BEGIN { print int(s / (i + 2 * d)) }')
	if [ "${E2E_OK:-1}" != 0 ]; then
		t_fail "$1" "set-up failed: ${E2E_SETUP:-?}"
	elif [ "${E2E_CPROBES:-x}" != 0 ]; then
		t_fail "$1" "ssh probed ${E2E_CPROBES:-?} times, sshd ${E2E_SPROBES:-?}: both sides probed"
	elif [ "${E2E_SPROBES:-0}" -lt $((n > 3 ? n - 2 : 1)) ] || [ "$E2E_SPROBES" -gt $((n + 1)) ]; then
		t_fail "$1" "sshd probed $E2E_SPROBES times in $E2E_BOTH_SECS s, expected about $n"
	else
		t_pass "$1"
	fi
}

# logline NAME SIDE: the give-up line of the patched SIDE (sshd or ssh), in
# the scenario just run, is the release's own, byte for byte (log
# watchers such as fail2ban and logwatch match it), and the next line says
# why: "ClientAlive: N probes unanswered, S s of silence" (ServerAlive for
# ssh).
logline() {
	local name=$1 side=$2 log want line next
	if [ "$side" = sshd ]; then
		log=$E2E_DIR/sshd.log
		if at_least "$rel" 7.7; then
			want='Timeout, client not responding from user [^ ]* 127\.0\.0\.1 port [0-9]*$'
		elif at_least "$rel" 4.5; then
			want='^Timeout, client not responding\.$'
		else
			want='Disconnecting: Timeout, your session not responding\.$'
		fi
	else
		log=$E2E_DIR/ssh.log
		if at_least "$rel" 5.7; then
			want='Timeout, server 127\.0\.0\.1 not responding\.$'
		elif at_least "$rel" 4.5; then
			want='^Timeout, server not responding\.$'
		else
			want='Disconnecting: Timeout, server not responding\.$'
		fi
	fi
	# (Logging to stderr, OpenSSH ends its lines with CR LF.)
	line=$(grep -n 'Timeout, ' "$log" | head -n 1 | tr -d '\r')
	next=$(sed -n "$((${line%%:*} + 1))p" "$log" 2>/dev/null | tr -d '\r')
	if [ -z "$line" ]; then
		t_fail "$name" "no give-up line in $side's log"
	elif ! grep -q "$want" <<<"${line#*:}"; then
		t_fail "$name" "not the release's line (want /$want/): ${line#*:}"
	elif ! grep -q "^\(.*: \)\{0,1\}$([ "$side" = sshd ] && echo Client || echo Server)Alive: [0-9]* probes\{0,1\} unanswered, [0-9.]* s of silence$" <<<"$next"; then
		t_fail "$name" "the line after it does not say why: $next"
	else
		t_pass "$name"
	fi
}

# One scenario on both builds: run_scn NAME EXPECT FUNCTION [ARGS...]
# A scenario a build cannot run is skipped with the reason, "n/a" in the
# table.
run_scn() {
	local name=$1 want=$2 na
	shift 2
	selected_scn "$name" || return 0
	got_patched=n/a
	na=$(na_reason "$name" patched)
	if [ -n "$na" ]; then
		t_skip "$rel/$name" "$na"
	else
		e2e_use "$patched" "$dir/patched" "$port"
		"$@" || true
		if [ "$want" = exchanges ]; then
			judge_exchanges "$rel/$name"
		else
			e2e_judge "$rel/$name" "$want"
		fi
		case $name in sshd/idle | ssh/idle) logline "$rel/$name/log-line" "${name%%/*}" ;; esac
		got_patched=$E2E_SECS
		[ "$want" != exchanges ] ||
			got_patched="sshd ${E2E_SPROBES:-?} probes, ssh ${E2E_CPROBES:-?} in $E2E_BOTH_SECS s"
		[ -z "$E2E_GAP" ] || got_patched="$got_patched ($E2E_GAP after the peer's last message)"
		[ "${E2E_OK:-1}" = 0 ] || got_patched="set-up failed: $E2E_SETUP"
	fi
	got_unpatched=-
	if [ "${E2E_UNPATCHED:-1}" = 1 ]; then
		got_unpatched=n/a
		if [ -n "$na" ]; then
			:
		elif na=$(na_reason "$name" unpatched) && [ -n "$na" ]; then
			t_skip "$rel/$name/unpatched" "$na"
		else
			e2e_use "$unpatched" "$dir/unpatched" "$port"
			"$@" || true
			got_unpatched=$E2E_SECS
			[ "$want" != exchanges ] ||
				got_unpatched="sshd ${E2E_SPROBES:-?} probes, ssh ${E2E_CPROBES:-?} in $E2E_BOTH_SECS s"
			# Only a figure, but never "never" for a scenario that
			# did not run.
			if [ "${E2E_OK:-1}" != 0 ]; then
				got_unpatched="did not start"
				t_fail "$rel/$name/unpatched" "scenario did not start: $(tail -n 3 "$E2E_DIR/sshd.log" "$E2E_DIR/ssh.log" 2>/dev/null)"
			fi
		fi
	fi
	printf '| %s | %s | %s | %s |\n' "$name" "$expected" "$got_patched" \
		"$got_unpatched" >>"$report"
}

# A configuration error on both builds: cfg_case NAME FUNC LINE NEEDLE...
cfg_case() {
	local name=$1 fn=$2 line=$3 n ok=1 pm pu ps us
	shift 3
	selected_scn "config/$name" || return 0
	e2e_use "$patched" "$dir/patched" "$port"
	"$fn" "$line"
	pm=$E2E_CFG_MSG ps=$E2E_CFG_STATUS
	for n in "$@"; do
		grep -qF -- "$n" <<<"$pm" || ok=0
	done
	if [ "$ps" = 0 ] || [ "$ok" = 0 ]; then
		t_fail "$rel/config/$name" "status $ps, message: $pm"
	else
		t_pass "$rel/config/$name"
	fi
	pu=- us=-
	if [ "${E2E_UNPATCHED:-1}" = 1 ]; then
		e2e_use "$unpatched" "$dir/unpatched" "$port"
		"$fn" "$line"
		pu=$E2E_CFG_MSG us=$E2E_CFG_STATUS
	fi
	# shellcheck disable=SC2016 # backquotes are Markdown
	printf '| `%s` | %s: %s | %s: %s |\n' "$line" "$ps" "$pm" "$us" "$pu" >>"$cfg_report"
}

results=${KEEPALIVE_WORK:-$top/work}/results
mkdir -p "$results"

# e2e_release RELEASE: build RELEASE (both ways) and run every scenario on
# it, port block $port.
e2e_release() {
	rel=$1
	dir=$(t_tmpdir)/e2e-$rel
	mkdir -p "$dir"
	if [ -n "${E2E_PATCHED_TREE:-}" ]; then
		patched=$E2E_PATCHED_TREE	# a tree of the caller's (mutants)
	elif ! patched=$(t_built "$rel/e2e" "$dir/build.log" "$rel"); then
		return 0
	fi
	unpatched=
	if [ "${E2E_UNPATCHED:-1}" = 1 ] &&
		! unpatched=$(t_built "$rel/e2e" "$dir/build-u.log" "$rel" --unpatched); then
		return 0
	fi
	report=$dir/report.md
	cfg_report=$dir/config.md
	{
		echo "## $rel: seconds from freezing the peer to giving it up"
		echo
		echo "Interval $E2E_I s, count $E2E_C unless stated; \"never\": not within $E2E_BOUND s;"
		echo "in brackets, from the peer's last message to the give-up on the wire"
		echo "(packet capture), which the patched build is judged by: not earlier"
		echo "than expected and less than $E2E_LATE s later."
		echo
		echo "| scenario | expected (patched) | patched | unpatched |"
		echo "| --- | --- | --- | --- |"
	} >"$report"
	full=$(((E2E_C + 1) * E2E_I))
	expected="(C+1)*I = $full s after the peer's last message"
	run_scn sshd/idle "$E2E_C" scn_sshd_idle
	run_scn sshd/printing "$E2E_C" scn_sshd_printing
	run_scn sshd/-N-forwarding "$E2E_C" scn_sshd_n_forward
	run_scn sshd/forward-traffic "$E2E_C" scn_sshd_forward_traffic
	run_scn ssh/idle "$E2E_C" scn_ssh_idle
	run_scn ssh/stdin-busy "$E2E_C" scn_ssh_stdin
	run_scn ssh/-N "$E2E_C" scn_ssh_n
	run_scn ssh/mux-master "$E2E_C" scn_ssh_mux
	run_scn ssh/rekey-1s "$E2E_C" scn_ssh_rekey
	# Both sides configured: the give-up times hold (ssh lets sshd probe
	# first, which moves none of them) ...
	E2E_SSHD_EXTRA=("ClientAliveInterval $E2E_I" "ClientAliveCountMax $E2E_C")
	run_scn ssh/idle-both-probe "$E2E_C" scn_ssh_idle
	run_scn ssh/stdin-busy-both-probe "$E2E_C" scn_ssh_stdin
	E2E_SSHD_EXTRA=()
	E2E_SSH_EXTRA=(-o "ServerAliveInterval $E2E_I" -o "ServerAliveCountMax $E2E_C")
	run_scn sshd/idle-both-probe "$E2E_C" scn_sshd_idle
	E2E_SSH_EXTRA=()
	# ... and an idle session costs one probe exchange per interval.
	expected="sshd probes every I, ssh never: one exchange per interval"
	run_scn both/one-exchange-per-interval exchanges scn_both_idle
	# ... on a link with a delay too (40 ms each way), where ssh hears
	# each probe before sshd hears the reply: ssh still lets sshd go first.
	expected="over a 40 ms link, sshd probes every I, ssh never"
	run_scn both/one-exchange-per-interval-40ms-link exchanges scn_both_idle 0.04
	# ... and while the round trip (or sshd's lateness in waking up, which
	# counts the same) takes up to I/2: 1.5 s at I = 4 s, 0.5 s from
	# either edge (ssh yielding a quarter of I probed first every time).
	# Patched only: the unpatched figure adds nothing to the 40 ms row.
	expected="over a 750 ms link at I = 4 s, sshd probes every I + 1.5 s, ssh never"
	E2E_I=4 E2E_C=2 E2E_BOTH_SECS=20 E2E_UP_SECS=40 E2E_UNPATCHED=0 \
		run_scn both/one-exchange-per-interval-slow-link exchanges scn_both_idle 0.75
	expected="one probe, 2*I = $((2 * E2E_I)) s"
	run_scn sshd/count-1 1 scn_count sshd 1
	run_scn ssh/count-1 1 scn_count ssh 1
	# Count 0 keeps each release's meaning: sshd from 8.2 probes and
	# never gives up; ssh, and sshd before 8.2, give a silent peer up
	# (alive or not) after I, without a probe: an idle limit.
	if at_least "$rel" 8.2; then
		expected="probes only, never"
		run_scn sshd/count-0 never scn_count sshd 0
	else
		expected="idle limit: I = $E2E_I s after login"
		run_scn sshd/count-0 0 scn_idle_limit sshd
	fi
	expected="idle limit: I = $E2E_I s after login"
	run_scn ssh/count-0 0 scn_idle_limit ssh

	{
		echo
		echo "## $rel: configuration errors (exit status: message)"
		echo
		echo "| line | patched | unpatched |"
		echo "| --- | --- | --- |"
	} >"$cfg_report"
	cfg_case sshd-bad-interval cfg_sshd "ClientAliveInterval 5x" \
		"line 2: ClientAliveInterval: invalid time value \"5x\""
	cfg_case sshd-serveralive cfg_sshd "ServerAliveInterval 15" \
		"line 2" "ServerAliveInterval" "sshd uses ClientAliveInterval"
	cfg_case ssh-bad-interval cfg_ssh "ServerAliveInterval 5x" \
		"line 1" "\"5x\""
	cfg_case ssh-clientalive cfg_ssh "ClientAliveCountMax 3" \
		"line 1" "ssh uses ServerAliveCountMax"
	cat "$report" "$cfg_report" >"$results/e2e-$rel.md"
	cat "$results/e2e-$rel.md"
}

jobs=${E2E_JOBS:-2}
if ! [[ $jobs =~ ^[1-9][0-9]?$ ]]; then
	t_fail e2e/jobs "E2E_JOBS: a number from 1 to 99 expected, not '$jobs'"
	exit 0
fi
if [ "$jobs" = 1 ]; then
	for rel in $releases; do
		e2e_release "$rel"
	done
	exit 0
fi
# Each release in a subshell of its own: its processes (E2E_PIDS, ended
# by its own trap), its block of ports, its output in out.N.
n=0
for rel in $releases; do
	if [ ${#pids[@]} -ge "$jobs" ]; then
		wait -n "${pids[@]}" || true
		live=()
		for p in "${pids[@]}"; do
			! kill -0 "$p" 2>/dev/null || live+=("$p")
		done
		pids=("${live[@]}")
	fi
	n=$((n + 1))
	(
		trap 'e2e_end' EXIT
		E2E_PIDS=()
		if ! t_ports "$((port + 10))" 10; then
			t_fail "$rel/e2e" "no free block of ports"
			exit 0
		fi
		port=$T_PORT
		echo "== e2e $rel: started $(date -u +%T), ports $port.."
		e2e_release "$rel"
		echo "== e2e $rel: ended $(date -u +%T)"
	) >"$T_TMP/out.$n" 2>&1 &
	pids+=("$!")
done
wait
for ((i = 1; i <= n; i++)); do
	cat "$T_TMP/out.$i"
done
