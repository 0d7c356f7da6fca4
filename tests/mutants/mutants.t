#!/usr/bin/env bash
# Mutants the suite must kill (tests/mutants/mutants): each plausible bug
# of the glue is made in a copy of a built, patched release (one per family
# of the glue: MUTANT_RELEASES), rebuilt (make, incrementally), and the
# tests named for it run on it; it must make one of them fail.  Reports,
# per release and mutant, which test caught it; a mutant that survives, or
# whose edit no longer matches the glue, is a failure.  CI tries the
# families in turn, one per run (tests/lib.sh t_turn), all with
# T_RELEASES=all.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
top=$T_TOP
tmp=$(t_tmpdir)
t_ports "${MUTANT_PORT:-17500}" 10

# One release per family of the glue: the distribution releases where
# there is one (7.4p1: RHEL 7; 8.0p1: RHEL 8; 8.7p1: RHEL 9; 8.9p1:
# Ubuntu 22.04), else the template.
all="8.0p1 8.7p1 8.9p1 10.0p1 4.3p2 3.7.1p2 7.4p1"
if [ -n "${MUTANT_RELEASES:-}" ]; then
	releases=$MUTANT_RELEASES
elif [ "${T_RELEASES:-}" = all ]; then
	releases=$all
else
	read -r -a a <<<"$all"
	releases=${a[$(t_turn "${#a[@]}")]}
fi

# The mutants, in file order, and their lines.
mapfile -t lines < <(grep -v '^#' "$here/mutants" | grep -v '^[[:space:]]*$')
names=$(for l in "${lines[@]}"; do echo "${l%% |*}"; done | awk '!seen[$0]++')

field() { awk -F' [|] ' -v n="$2" '{ print $n }' <<<"$1"; }

# run_tests NAME TREE REL TESTS...: run the tests; KILLED lists those that
# failed (what caught the mutant).
run_tests() {
	local name=$1 tree=$2 rel=$3 t res scn=()
	shift 3
	KILLED=
	for t in "$@"; do
		case $t in e2e:*) scn+=("${t#e2e:}") ;; esac
	done
	if [ ${#scn[@]} -gt 0 ]; then
		res=$tmp/$rel-$name-e2e.tsv
		: >"$res"
		T_RESULTS=$res E2E_PATCHED_TREE=$tree E2E_RELEASES=$rel E2E_UNPATCHED=0 \
			E2E_SCENARIOS="${scn[*]}" E2E_PORT=$T_PORT \
			"$top/tests/e2e/keepalive.t" >"$tmp/$rel-$name-e2e.log" 2>&1 || true
		KILLED+=$(awk -F'\t' '$1 == "FAIL" { printf " %s", $2 }' "$res")
		grep -q '^PASS\|^FAIL' "$res" ||
			KILLED+=" (tests/e2e/keepalive.t ran nothing: $(tail -n 1 "$tmp/$rel-$name-e2e.log"))"
	fi
	for t in "$@"; do
		[ "$t" = off ] || continue
		res=$tmp/$rel-$name-off.tsv
		: >"$res"
		T_RESULTS=$res OFF_PATCHED_TREE=$tree OFF_RELEASES=$rel OFF_PORT=$((T_PORT + 5)) \
			"$top/tests/reliability/off.t" >"$tmp/$rel-$name-off.log" 2>&1 || true
		KILLED+=$(awk -F'\t' '$1 == "FAIL" { printf " %s", $2 }' "$res")
	done
	for t in "$@"; do
		[ "$t" = badconfig ] || continue
		res=$tmp/$rel-$name-badconfig.tsv
		: >"$res"
		T_RESULTS=$res BADCONFIG_PATCHED_TREE=$tree BADCONFIG_RELEASES=$rel \
			BADCONFIG_PORT=$((T_PORT + 5)) \
			"$top/tests/reliability/badconfig.t" >"$tmp/$rel-$name-badconfig.log" 2>&1 || true
		KILLED+=$(awk -F'\t' '$1 == "FAIL" { printf " %s", $2 }' "$res" | cut -c1-300)
	done
}

# in_range RELEASE RANGE: is RELEASE in RANGE (A.., ..B, A..B, or - for
# every release)?
in_range() {
	local lo=${2%%..*} hi=${2##*..}
	[ "$2" = - ] && return 0
	{ [ -z "$lo" ] || [ "$(printf '%s\n%s\n' "$lo" "$1" | sort -V | head -n 1)" = "$lo" ]; } &&
		{ [ -z "$hi" ] || [ "$(printf '%s\n%s\n' "$1" "$hi" | sort -V | head -n 1)" = "$1" ]; }
}

for rel in $releases; do
	patched=$(t_built "$rel/mutants" "$tmp/build-$rel.log" "$rel") || continue
	t_built "$rel/mutants" "$tmp/build-$rel-u.log" "$rel" --unpatched >/dev/null || continue
	for name in $names; do
		mt=$tmp/mutant
		rm -rf "$mt"
		tests=() why=
		for l in "${lines[@]}"; do
			[ "${l%% |*}" = "$name" ] || continue
			if ! in_range "$rel" "$(field "$l" 5)"; then
				t_skip "$rel/mutant/$name" "not a bug on $rel: $rel itself reads or does so"
				continue 2
			fi
		done
		cp -a "$patched" "$mt"
		for l in "${lines[@]}"; do
			[ "${l%% |*}" = "$name" ] || continue
			f=$(field "$l" 2)
			cp "$mt/$f" "$mt/$f.orig"
			perl -0pi -e "$(field "$l" 3)" "$mt/$f"
			cmp -s "$mt/$f" "$mt/$f.orig" && why="$why the edit of $f does not match the glue;"
			read -r -a t <<<"$(field "$l" 4)"
			tests+=("${t[@]}")
		done
		if [ -n "$why" ]; then
			t_fail "$rel/mutant/$name" "$why"
			continue
		fi
		targets=(ssh sshd)
		[ ! -f "$mt/sshd-session.c" ] || targets+=(sshd-session)
		if ! make -C "$mt" -j2 "${targets[@]}" >"$tmp/make.log" 2>&1; then
			t_fail "$rel/mutant/$name" "the mutant does not build: $(grep -m 3 error "$tmp/make.log")"
			continue
		fi
		run_tests "$name" "$mt" "$rel" "${tests[@]}"
		if [ -n "$KILLED" ]; then
			echo "$rel: mutant $name killed by:$KILLED"
			t_pass "$rel/mutant/$name"
		else
			t_fail "$rel/mutant/$name" "survived ${tests[*]}: $(grep -h '^| ' "$tmp/$rel-$name"-*.log 2>/dev/null | grep -v -- '---' | head -n 4 | tr '\n' ' ')"
		fi
	done
	rm -rf "$tmp/mutant"
done
