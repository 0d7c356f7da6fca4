#!/usr/bin/env bash
# Every release's series applies, in order, with zero fuzz (patch -p1 -F0,
# as scripts/apply and quilt's default), to the release's pristine files:
# those the series touches, taken from upstream git at the commit
# upstream-version pins.  Fast (no build, no configure), so every release
# is checked on every run; gen-patches --check (lint.t) then says the
# series are what the glue gives.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
top=$T_TOP
tmp=$(t_tmpdir)

# git: upstream's repository through the scripts' own access (a local
# copy git cannot open as it stands is read through a shadow).
gitdir() {
	bash -c '. "$1/scripts/lib.sh"; ka_setup >/dev/null 2>&1; ka_git_tag openssh "$2" && echo "$KA_GITDIR"' \
		gitdir "$top" "$1"
}

while read -r rel tag commit; do
	series=$top/patches/$rel/series
	if [ ! -f "$series" ]; then
		t_fail "apply-all/$rel" "no patches/$rel/series"
		continue
	fi
	if ! gd=$(gitdir "$tag" 2>"$tmp/git.err"); then
		t_no_source "apply-all/$rel" "no git source for tag $tag: $(tail -n 1 "$tmp/git.err")"
		continue
	fi
	tree=$tmp/$rel
	mkdir -p "$tree"
	mapfile -t names < <(sed 's/#.*//' "$series" | awk 'NF { print $1 }')
	mapfile -t files < <(for p in "${names[@]}"; do
		sed -n 's|^--- a/\([^ ]*\).*|\1|p' "$top/patches/$rel/$p"
	done | sort -u)
	if [ "$(git -C "$gd" rev-parse "refs/tags/$tag^{commit}")" != "$commit" ]; then
		t_fail "apply-all/$rel" "tag $tag is not the pinned commit $commit"
		continue
	fi
	[ ${#files[@]} = 0 ] || git -C "$gd" archive "$commit" -- "${files[@]}" | tar -x -C "$tree"
	why=
	for p in "${names[@]}"; do
		if ! out=$(patch -d "$tree" -p1 -F0 --batch --forward \
			--no-backup-if-mismatch -r - <"$top/patches/$rel/$p" 2>&1); then
			why="$p: $(grep -m 2 -i 'fail\|malformed\|reversed' <<<"$out" | tr '\n' ' ')"
			break
		elif grep -qi 'fuzz' <<<"$out"; then
			why="$p applied with fuzz: $(grep -m 1 -i fuzz <<<"$out")"
			break
		fi
	done
	if [ -z "$why" ]; then
		t_pass "apply-all/$rel"
	else
		t_fail "apply-all/$rel" "$why"
	fi
	rm -rf "$tree"
done < <(awk '$1 == "openssh" { print $2, $5, $6 }' "$top/upstream-version")
