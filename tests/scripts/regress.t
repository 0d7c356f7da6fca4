#!/bin/bash
# scripts/regress: per-test results, the curated subset, --tests, the
# summary line and exit status, logs.  A synthetic release whose regress
# suite has a passing, a failing and a skipping test.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

out=$FX/out
fx_release 4.0p1
res=$KEEPALIVE_WORK/results/4.0p1-patched

# 1. --tests: only those, each reported, exit 0.
if "$S/regress" --tests "t1 good" 4.0p1 >"$out" 2>"$out.err" &&
	grep -q '^PASS t1 ' "$out" && grep -q '^PASS good ' "$out" &&
	[ "$(tail -n 1 "$out")" = "2 passed, 0 failed, 0 skipped" ] &&
	grep -q 'good on port' "$res/good.log"; then
	t_pass regress/selected-tests
else
	t_fail regress/selected-tests "$(tail -n 5 "$out" "$out.err")"
fi

# 2. The curated subset by default; a failure makes the exit status 1, a
# skip is counted, a curated test the tree lacks is skipped.
echo "4.0p1 t1 good bad skipper only-in-patched" >"$KEEPALIVE_SUBSET"
rc=0
"$S/regress" 4.0p1 >"$out" 2>"$out.err" || rc=$?
if [ $rc = 1 ] && grep -q '^FAIL bad .*FAILED on purpose' "$out" &&
	grep -q '^SKIP skipper .*SKIPPED: not on this system' "$out" &&
	grep -q '^SKIP only-in-patched .*not in this tree' "$out" &&
	[ "$(tail -n 1 "$out")" = "2 passed, 1 failed, 2 skipped" ] &&
	[ "$(wc -l <"$res/results.tsv")" = 5 ] && [ -s "$res/bad.log" ] &&
	grep -qx 'failed=1' "$res/summary"; then
	t_pass regress/curated-subset-counts
else
	t_fail regress/curated-subset-counts "rc=$rc $(tail -n 6 "$out" "$out.err")"
fi

# 3. A test name the release does not have, asked for by name: an error
# listing the tests it has.
rc=0
"$S/regress" --tests nonesuch 4.0p1 >"$out" 2>&1 || rc=$?
if [ $rc = 1 ] && grep -q "unknown test 'nonesuch'; this release has: t1 good bad skipper" "$out"; then
	t_pass regress/unknown-test-named
else
	t_fail regress/unknown-test-named "rc=$rc $(tail -n 3 "$out")"
fi

# 4. --full runs every test of the tree.
rc=0
"$S/regress" --full 4.0p1 >"$out" 2>&1 || rc=$?
if [ $rc = 1 ] && [ "$(tail -n 1 "$out")" = "2 passed, 1 failed, 1 skipped" ]; then
	t_pass regress/full
else
	t_fail regress/full "rc=$rc $(tail -n 3 "$out")"
fi
