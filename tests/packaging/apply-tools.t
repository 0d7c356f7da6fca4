#!/bin/bash
# Every series applies to its pristine release, with the same result, by the
# three tools packagers use: patch -p1 -F0 in series order, quilt push -a
# (zero fuzz) and git am on a git import of the tarball.  The three trees
# must hold the same files with the same contents and modes.  Releases whose
# source cannot be had here are skipped with the reason (scripts/fetch).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

tools_missing=
for c in quilt git patch; do
	command -v "$c" >/dev/null || tools_missing="$tools_missing $c"
done
if [ -n "$tools_missing" ]; then
	t_skip packaging/apply-tools "not installed:$tools_missing (apt-get install quilt git patch)"
	exit 0
fi

# git with no user or system configuration, hooks or signing.
g() {
	GIT_CONFIG_NOSYSTEM=1 HOME=$T_TMP git -c user.name=keepalive-test \
		-c user.email=keepalive-test@invalid -c core.autocrlf=false \
		-c commit.gpgsign=false -c am.threeWay=false "$@"
}

for rel in $(pk_releases); do
	dir=$T_TMP/$rel
	mkdir -p "$dir"
	rc=0
	pk_source "$rel" || rc=$?
	if [ $rc != 0 ]; then
		if [ $rc = 3 ]; then
			t_skip "packaging/$rel/apply-tools" "$PK_WHY"
		else
			t_fail "packaging/$rel/apply-tools" "$PK_WHY"
		fi
		continue
	fi
	tarball=$PK_TARBALL
	pdir=$T_TOP/patches/$rel
	mapfile -t names < <(pk_series "$pdir")
	patches=("${names[@]/#/$pdir/}")

	# patch(1), as scripts/apply and rpm's %autosetup do.
	tp=$(pk_unpack "$tarball" "$dir/patch")
	if why=$(pk_patch "$tp" "${patches[@]}"); then
		t_pass "packaging/$rel/patch"
	else
		t_fail "packaging/$rel/patch" "$why"
		continue
	fi

	# quilt, with the series read where it lies (no copy).
	tq=$(pk_unpack "$tarball" "$dir/quilt")
	if out=$(cd "$tq" && QUILT_PATCHES=$pdir QUILT_PC=.pc \
		quilt --quiltrc /dev/null push -a --fuzz=0 2>&1) &&
		[ "$(cat "$tq/.pc/applied-patches")" = "$(printf '%s\n' "${names[@]}")" ]; then
		t_pass "packaging/$rel/quilt"
	else
		t_fail "packaging/$rel/quilt" "$(tail -n 4 <<<"$out")"
	fi

	# git am on a git import of the tarball; -f: the tarball's .gitignore
	# files must not keep files out of the import.
	tg=$(pk_unpack "$tarball" "$dir/git")
	if out=$(cd "$tg" && g init -q && g add -A -f &&
		g commit -q -m "import ${tarball##*/}" && g am -q "${patches[@]}" 2>&1) &&
		[ "$(cd "$tg" && g rev-list --count HEAD)" = $((${#names[@]} + 1)) ] &&
		[ -z "$(cd "$tg" && g status --porcelain --ignored=no)" ]; then
		t_pass "packaging/$rel/git-am"
	else
		t_fail "packaging/$rel/git-am" "$(tail -n 4 <<<"$out")"
	fi

	for pair in "quilt $tq" "git-am $tg"; do
		if why=$(pk_same "$tp" "${pair#* }"); then
			t_pass "packaging/$rel/same-tree/patch-vs-${pair%% *}"
		else
			t_fail "packaging/$rel/same-tree/patch-vs-${pair%% *}" "$why"
		fi
	done
	rm -rf "$dir"
done
