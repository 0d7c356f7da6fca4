#!/usr/bin/env bash
# module/: unit tests (one result per case), strict C89 builds with gcc and
# clang, branch coverage above a floor, and a short libFuzzer run.
set -eu
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
out=$(t_tmpdir)/unit
# Branch coverage floor, in percent of branches taken.  The few branches
# left are CLOCK_MONOTONIC where CLOCK_BOOTTIME works, and 32-bit only ones.
coverage_floor=98

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

# No monotonic clock (clock_gettime() failing, noclock.so): the wall
# clock, said in the line that describes the keepalive.
if make -s -C "$here" O="$out" "$out/noclock.so" >"$out.nc" 2>&1 &&
	KEEPALIVE_TEST_NO_CLOCK=1 LD_PRELOAD=$out/noclock.so "$out/test_keepalive" no_clock \
	>"$out.nc" 2>&1 && grep -qx 'ok no_clock' "$out.nc"; then
	t_pass unit/no-monotonic-clock
else
	t_fail unit/no-monotonic-clock "$(grep '^#' "$out.nc" | head -n 3)"
fi

t_check unit/strict-c89 make -s -C "$here" O="$out" strict

# ILP32 (i386, armhf): long is 32 bits there, which the interval parser
# must know (8.4's convtime() refused from LONG_MAX on).  Run natively when
# the kernel runs 32-bit programs, else under qemu-i386.
if ! make -s -C "$here" O="$out" "$out/test_keepalive32" "$out/replay32" >"$out.32" 2>&1; then
	t_fail unit/check32 "build -m32 (gcc-multilib): $(tail -n 5 "$out.32")"
elif "$out/test_keepalive32" ok >/dev/null 2>&1; then
	t_check unit/check32 make -s -C "$here" O="$out" check32
elif command -v qemu-i386 >/dev/null; then
	t_check unit/check32 make -s -C "$here" O="$out" check32 RUN32="qemu-i386 -L /"
else
	t_fail unit/check32 "this kernel runs no 32-bit programs and there is no qemu-i386 (apt-get install qemu-user)"
fi

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
	t_skip unit/fuzz "clang with libFuzzer not installed (apt-get install clang libclang-rt-dev)"
elif make -s -C "$here" O="$out" fuzz FUZZ_TIME="${FUZZ_TIME:-20}" \
    >"$out.fuzz" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out.fuzz")
	echo "fuzz: ${runs:-?} executions in ${FUZZ_TIME:-20} s, no finding"
	t_pass unit/fuzz
else
	t_fail unit/fuzz "$(grep -E 'invariant|ERROR|SUMMARY|Test unit written' \
	    "$out.fuzz" | head -n 5)"
fi
