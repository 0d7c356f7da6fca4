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
