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
# E2E_RELEASES (default: every release) picks releases; E2E_UNPATCHED=0
# skips the unpatched side.  Results: WORK/results/e2e-RELEASE.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/lib.sh"

top=$T_TOP
trap 'e2e_end; rm -rf "$T_TMP"' EXIT
releases=${E2E_RELEASES:-$(awk '$1 == "openssh" { print $2 }' "$top/upstream-version")}
port=${E2E_PORT:-17100}

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
	ssh/*)
		if [ "$2" = unpatched ] && ! at_least "$rel" 3.8; then
			echo "no ServerAlive* before OpenSSH 3.8 (the series adds them)"
		fi ;;
	esac
}

# One scenario on both builds: run_scn NAME EXPECT FUNCTION [ARGS...]
# A scenario a build cannot run is skipped with the reason, "n/a" in the
# table.
run_scn() {
	local name=$1 want=$2 na
	shift 2
	got_patched=n/a
	na=$(na_reason "$name" patched)
	if [ -n "$na" ]; then
		t_skip "$rel/$name" "$na"
	else
		e2e_use "$patched" "$dir/patched" "$port"
		"$@" || true
		e2e_judge "$rel/$name" "$want"
		got_patched=$E2E_SECS
		[ "${E2E_OK:-1}" = 0 ] || got_patched="did not start"
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
for rel in $releases; do
	dir=$(t_tmpdir)/e2e-$rel
	mkdir -p "$dir"
	if ! patched=$(t_build "$rel" 2>"$dir/build.log"); then
		t_skip "$rel/e2e" "no patched build: $(tail -n 1 "$dir/build.log")"
		continue
	fi
	unpatched=
	if [ "${E2E_UNPATCHED:-1}" = 1 ] &&
		! unpatched=$(t_build "$rel" --unpatched 2>"$dir/build-u.log"); then
		t_skip "$rel/e2e" "no unpatched build: $(tail -n 1 "$dir/build-u.log")"
		continue
	fi
	report=$dir/report.md
	cfg_report=$dir/config.md
	{
		echo "## $rel: seconds from freezing the peer to giving it up"
		echo
		echo "Interval $E2E_I s, count $E2E_C unless stated; \"never\": not within $E2E_BOUND s."
		echo
		echo "| scenario | expected (patched) | patched | unpatched |"
		echo "| --- | --- | --- | --- |"
	} >"$report"
	full=$(((E2E_C + 1) * E2E_I))
	expected="(C+1)*I = $full s after the last reply"
	run_scn sshd/idle "$E2E_C" scn_sshd_idle
	run_scn sshd/printing "$E2E_C" scn_sshd_printing
	run_scn sshd/-N-forwarding "$E2E_C" scn_sshd_n_forward
	run_scn sshd/forward-traffic "$E2E_C" scn_sshd_forward_traffic
	run_scn ssh/idle "$E2E_C" scn_ssh_idle
	run_scn ssh/stdin-busy "$E2E_C" scn_ssh_stdin
	run_scn ssh/-N "$E2E_C" scn_ssh_n
	run_scn ssh/mux-master "$E2E_C" scn_ssh_mux
	run_scn ssh/rekey-1s "$E2E_C" scn_ssh_rekey
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
done
