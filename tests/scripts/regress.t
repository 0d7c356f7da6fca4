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

# 2b. "*" lines count for every release; a release no line names stops
# with an error instead of running nothing.
printf '%s\n' '* t1' '4.0p1 good' >"$KEEPALIVE_SUBSET"
if "$S/regress" 4.0p1 >"$out" 2>"$out.err" && grep -q '^PASS t1 ' "$out" &&
	grep -q '^PASS good ' "$out" && [ "$(tail -n 1 "$out")" = "2 passed, 0 failed, 0 skipped" ]; then
	t_pass regress/subset-every-release
else
	t_fail regress/subset-every-release "$(tail -n 5 "$out" "$out.err")"
fi
echo '3.0p1 t1' >"$KEEPALIVE_SUBSET"
rc=0
"$S/regress" 4.0p1 >"$out" 2>"$out.err" || rc=$?
if [ $rc = 1 ] && grep -q 'no curated tests for 4.0p1' "$out.err" && ! grep -q 'running 0 tests' "$out.err"; then
	t_pass regress/no-subset-is-an-error
else
	t_fail regress/no-subset-is-an-error "rc=$rc $(tail -n 3 "$out" "$out.err")"
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

# 5. An interrupted run ends its test within seconds: TERM to
# scripts/regress while a test runs leaves no process of that test behind
# (timeout(1) runs it in a process group of its own, out of reach of a
# group kill; in a PID namespace, unshare(1) ignores TERM and goes at the
# KILL that timeout -k 10 sends).
tag="sleep 97.$$$RANDOM"
cp "$KEEPALIVE_WORK/4.0p1/patched/src/openssh-4.0p1/regress/good.sh" "$FX/good.sh.orig"
echo "$tag" >"$KEEPALIVE_WORK/4.0p1/patched/src/openssh-4.0p1/regress/good.sh"
"$S/regress" --tests good 4.0p1 >"$out" 2>&1 &
rpid=$!
running=
for _ in $(seq 1 60); do
	running=$(pgrep -f "$tag" | tr '\n' ' ' || true)
	[ -z "$running" ] || break
	sleep 0.5
done
kill -TERM "$rpid"
rc=0
wait "$rpid" || rc=$?
left=
for _ in $(seq 1 60); do
	left=$(pgrep -f "$tag" | tr '\n' ' ' || true)
	[ -n "$left" ] || break
	sleep 0.5
done
if [ -n "$running" ] && [ -z "$left" ] && [ $rc != 0 ]; then
	t_pass regress/interrupt-ends-test
else
	t_fail regress/interrupt-ends-test "test running: '$running', left after TERM: '$left', rc=$rc"
	for p in $left; do kill "$p" 2>/dev/null || true; done
fi
cp "$FX/good.sh.orig" "$KEEPALIVE_WORK/4.0p1/patched/src/openssh-4.0p1/regress/good.sh"

# 7.x .. 8.0p1: a top-level t-exec target but no file-tests yet ("tests
# interop-tests t-exec unit:"); file tests go through "tests" there.
tree=$KEEPALIVE_WORK/4.0p1/patched/src/openssh-4.0p1
cp "$tree/Makefile" "$FX/Makefile.orig"
cp "$tree/regress/Makefile" "$FX/regress-Makefile.orig"
# shellcheck disable=SC2016 # make expands these, not the shell
printf '%s\n' 'all:' 'tests t-exec:' '	$(MAKE) -C regress $@' >"$tree/Makefile"
# shellcheck disable=SC2016
printf '%s\n' 'tests: $(REGRESS_TARGETS)' >>"$tree/regress/Makefile"
if "$S/regress" --tests "t1 good" 4.0p1 >"$out" 2>&1 &&
	grep -q '^PASS t1 ' "$out" && grep -q '^PASS good ' "$out"; then
	t_pass regress/t-exec-without-file-tests
else
	t_fail regress/t-exec-without-file-tests "$(tail -n 4 "$out")"
fi
cp "$FX/Makefile.orig" "$tree/Makefile"
cp "$FX/regress-Makefile.orig" "$tree/regress/Makefile"
