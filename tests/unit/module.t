#!/usr/bin/env bash
# module/: unit tests (one result per case), strict C89 builds with gcc and
# clang, branch coverage above a floor, and a short libFuzzer run.
set -eu
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
out=$(t_tmpdir)/unit
# Branch coverage floor, in percent of branches taken.  The few branches
# left are the clock fallbacks for systems without CLOCK_BOOTTIME.
coverage_floor=97

if ! make -s -C "$here" O="$out" "$out/test_keepalive" >"$out.log" 2>&1; then
	t_fail unit/build "$(tail -n 20 "$out.log")"
	exit 0
fi
rc=0
"$out/test_keepalive" >"$out.cases" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$out.cases"; then
	t_fail unit/run "test_keepalive exited with status $rc: $(tail -n 3 "$out.cases")"
fi
# One line per case: verdict, name, then the "#" lines that explain a failure.
awk '/^#/ { why = why (why == "" ? "" : "; ") substr($0, 5); next }
    /^ok / { print "ok\t" $2 "\t"; why = ""; next }
    /^not ok / { print "fail\t" $3 "\t" why; why = "" }' "$out.cases" |
while IFS=$'\t' read -r verdict name why; do
	if [ "$verdict" = ok ]; then
		t_pass "unit/$name"
	else
		t_fail "unit/$name" "$why"
	fi
done

t_check unit/strict-c89 make -s -C "$here" O="$out" strict

if make -s -C "$here" O="$out" coverage >"$out.cov" 2>&1; then
	taken=$(sed -n 's/^Taken at least once:\([0-9.]*\)% of \([0-9]*\)$/\1/p' \
	    "$out.cov" | head -n 1)
	if [ -n "$taken" ] && awk -v t="$taken" -v f="$coverage_floor" \
	    'BEGIN { exit !(t >= f) }'; then
		echo "module/keepalive.c: $taken% of branches taken"
		t_pass unit/coverage
	else
		t_fail unit/coverage "branches taken: ${taken:-?}%, floor $coverage_floor%"
	fi
else
	t_fail unit/coverage "$(tail -n 20 "$out.cov")"
fi

if ! command -v clang >/dev/null 2>&1 ||
    ! clang -fsanitize=fuzzer -x c -o "$out/probe" - \
    <<<'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' \
    >/dev/null 2>&1; then
	t_skip unit/fuzz "clang with libFuzzer not installed (apt-get install clang libclang-rt-14-dev)"
elif make -s -C "$here" O="$out" fuzz FUZZ_TIME="${FUZZ_TIME:-20}" \
    >"$out.fuzz" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out.fuzz")
	echo "fuzz: ${runs:-?} executions in ${FUZZ_TIME:-20} s, no finding"
	t_pass unit/fuzz
else
	t_fail unit/fuzz "$(grep -E 'invariant|ERROR|SUMMARY|Test unit written' \
	    "$out.fuzz" | head -n 5)"
fi
