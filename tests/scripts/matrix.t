#!/bin/bash
# scripts/matrix: a release without source is SKIPPED (not passed, not a
# failure), a failing test fails the run, the table and its TSV/Markdown.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

out=$FX/out
fx_release 5.0p1
fx_release 5.2p1
fx_record "openssh 5.1p1 openssh-5.1p1.tar.gz $(printf '%064d' 0) - - system - - -"
printf '%s\n' '5.0p1 t1 good' '5.1p1 t1' '5.2p1 t1 bad' >"$KEEPALIVE_SUBSET"
res=$KEEPALIVE_WORK/results

# 1. Release 5.0p1 passes, 5.1p1 has no source: SKIPPED with the reason,
# exit status 0.
rc=0
"$S/matrix" --jobs 2 5.0p1 5.1p1 >"$out" 2>"$out.err" || rc=$?
row() { awk -F'\t' -v r="$1" '$1 == r' "$res/matrix.tsv"; }
if [ $rc = 0 ] &&
	[ "$(row 5.0p1 | cut -f3,4,6,7,8,9)" = "$(printf 'ok\tsha256 only\tok\tok\t2-0-0\tPASS')" ] &&
	[ "$(row 5.1p1 | cut -f3,9)" = "$(printf 'SKIPPED\tSKIPPED')" ] &&
	grep -q '^5.1p1 patched SKIPPED: no source for openssh 5.1p1' "$out" &&
	grep -q '^| 5.0p1 | patched | ok | sha256 only |' "$res/matrix.md" &&
	[ -s "$res/logs/5.0p1-patched.log" ]; then
	t_pass matrix/pass-and-skip
else
	t_fail matrix/pass-and-skip "rc=$rc $(cat "$out") $(tail -n 5 "$out.err")"
fi

# 2. A failing test: FAILED, exit status 1; --both runs both variants.
rc=0
"$S/matrix" --both 5.2p1 >"$out" 2>"$out.err" || rc=$?
if [ $rc = 1 ] && [ "$(row 5.2p1 | head -n 1 | cut -f2,8,9)" = "$(printf 'patched\t1-1-0\tFAILED')" ] &&
	[ "$(row 5.2p1 | wc -l)" = 2 ] && grep -q '^5.2p1 unpatched FAILED: see ' "$out"; then
	t_pass matrix/failure-and-both-variants
else
	t_fail matrix/failure-and-both-variants "rc=$rc $(cat "$out")"
fi
