#!/bin/bash
# tests/run itself, on a copy with dummy test files: a .t that is not
# executable, that exits 0 having reported nothing, or that exits non-zero
# without a failure, each counts as a failure; skips are listed with their
# reasons; the last line counts everything and the exit status is 1.
. "$(dirname "$0")/../lib.sh"

d=$(t_tmpdir)/tests
mkdir -p "$d/x" "$d/../scripts"
cp "$T_TOP/tests/run" "$T_TOP/tests/lib.sh" "$d/"
cp "$T_TOP/scripts/lib.sh" "$d/../scripts/"
# shellcheck disable=SC2016 # the dummy test's own expansions
dummy() {
	printf '#!/bin/bash\n. "$(dirname "$0")/../lib.sh"\n%s\n' "$2" >"$d/x/$1.t"
	chmod +x "$d/x/$1.t"
}
dummy good 't_pass good/one'
dummy skipper 't_skip skipper/one "no frobnicator here"'
dummy silent 'true'
dummy crash 't_pass crash/before; exit 3'
dummy lazy 't_pass lazy/one'
chmod -x "$d/x/lazy.t"
rc=0
"$d/run" >"$d.out" 2>&1 || rc=$?
why=
[ $rc = 1 ] || why="$why exit status $rc;"
grep -q '^FAIL x/lazy.t: not executable' "$d.out" || why="$why non-executable not failed;"
grep -q '^FAIL x/silent.t: reported no result' "$d.out" || why="$why silent not failed;"
grep -q '^FAIL x/crash.t: exited with status 3' "$d.out" || why="$why crash not failed;"
grep -q '^  skipper/one: no frobnicator here$' "$d.out" || why="$why skip reason not listed;"
tail -n 1 "$d.out" | grep -qx '2 passed, 3 failed, 1 skipped' || why="$why last line: $(tail -n 1 "$d.out");"
if [ -z "$why" ]; then t_pass run/failures-cannot-hide; else t_fail run/failures-cannot-hide "$why"; fi

# t_selected: every fixed release and every release of the rotation slot is
# selected, every time (it once piped t_releases into grep -q, and under
# pipefail the writer's SIGPIPE said "not selected" at random: release
# files then reported nothing).
why=
for i in $(seq 1 20); do
	for rel in $(t_releases ci); do
		t_selected "$rel" || why="$why $rel not selected (try $i);"
	done
	! t_selected 0.0p0 || why="$why 0.0p0 selected;"
done
if [ -z "$why" ]; then t_pass run/selected-always; else t_fail run/selected-always "$why"; fi
