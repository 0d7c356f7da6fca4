#!/bin/bash
# Every script has --help (exit 0) and rejects unknown options (exit 2).
. "$(dirname "$0")/../lib.sh"

for f in "$T_TOP"/scripts/*; do
	if [ ! -f "$f" ] || [ ! -x "$f" ]; then continue; fi
	s=${f##*/}
	if out=$("$T_TOP/scripts/$s" --help 2>&1) && grep -q "^Usage: $s " <<<"$out" &&
		grep -q -- '--work DIR' <<<"$out"; then
		t_pass "help/$s"
	else
		t_fail "help/$s" "$(head -n 3 <<<"$out")"
	fi
	rc=0
	out=$("$T_TOP/scripts/$s" --no-such-option 2>&1) || rc=$?
	if [ $rc = 2 ] && grep -q "unknown option '--no-such-option'" <<<"$out"; then
		t_pass "help/$s-unknown-option"
	else
		t_fail "help/$s-unknown-option" "exit $rc: $out"
	fi
done
t_check help/tests-run "$T_TOP/tests/run" --help

# --help lists exactly what the script accepts: every option of its help is
# taken (the option, with an argument when the help names one, then --help:
# exit 0), each listed once, and every common option (scripts/lib.sh
# ka_option) it does not list is refused (exit 2).
common="--work --cache --openssh-git --openssl-git --mirror --unpatched --sanitize --force --jobs"
arg_for() {
	case $1 in
	N | SECS | S) echo 1 ;;
	SIZE) echo 1M ;;
	LIST) echo probes ;;
	URL) echo file:///nonexistent ;;
	*) echo "$T_TMP" ;;
	esac
}
for f in "$T_TOP"/scripts/*; do
	if [ ! -f "$f" ] || [ ! -x "$f" ]; then continue; fi
	s=${f##*/}
	why=
	listed=$("$f" --help | sed -n 's/^  \(-[a-z], \)\{0,1\}\(--[a-z0-9-]*\)\( \([A-Z|][A-Z|]*\|"[^"]*"\)\)\{0,1\}.*/\2 \4/p')
	dup=$(awk '{ print $1 }' <<<"$listed" | sort | uniq -d | tr '\n' ' ')
	[ -z "$dup" ] || why="$why listed twice: $dup;"
	while read -r opt meta; do
		args=("$opt")
		[ -z "$meta" ] || args+=("$(arg_for "$meta")")
		rc=0
		"$f" "${args[@]}" --help >/dev/null 2>"$T_TMP/help.err" || rc=$?
		[ $rc = 0 ] || why="$why $opt listed but refused ($rc: $(head -n 1 "$T_TMP/help.err"));"
	done <<<"$listed"
	for opt in $common; do
		grep -q "^$opt " <<<"$listed" && continue
		rc=0
		"$f" "$opt" 1 --help >/dev/null 2>"$T_TMP/help.err" || rc=$?
		[ $rc = 2 ] || why="$why $opt not listed but taken (exit $rc);"
	done
	if [ -z "$why" ]; then t_pass "help/$s-lists-what-it-takes"; else t_fail "help/$s-lists-what-it-takes" "$why"; fi
done
