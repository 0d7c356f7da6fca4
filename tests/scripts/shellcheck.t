#!/bin/bash
# Lint (shellcheck, every severity) of the scripts, every test file and
# test library, and CI.  Not tests/regress/keepalive.sh: it is a test of
# OpenSSH's regress suite, in that suite's style (Bourne shell of old
# releases, sourced by test-exec.sh).
. "$(dirname "$0")/../lib.sh"

if ! command -v shellcheck >/dev/null; then
	t_skip shellcheck "shellcheck is not installed (apt-get install shellcheck)"
	exit 0
fi
cd "$T_TOP"
files=()
for f in scripts/* tests/run tests/lib.sh tests/*/*.t tests/*/*.sh .ci/run; do
	[ -f "$f" ] || continue
	case $f in
	*.subset | *.md | tests/regress/*) continue ;;
	esac
	# Shell files only: by name or by their first line.
	if [[ $f == *.sh || $f == *.t ]] || head -n 1 "$f" | grep 'bash' >/dev/null; then
		files+=("$f")
	fi
done
for f in "${files[@]}"; do
	t_check "shellcheck/$f" shellcheck -x "$f"
done
