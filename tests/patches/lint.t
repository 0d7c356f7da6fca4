#!/usr/bin/env bash
# The patch series themselves: generated parts up to date with module/ and
# tests/regress/keepalive.sh, and every patch in the form Debian's openssh
# packaging uses (git format-patch, DEP-3 fields, -p1, LF, no timestamps,
# no Index: lines, no generated, backup or reject files), every series
# complete; the Debian variants (patches/debian/) make the same changes as
# the patches they replace.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
top=$T_TOP
tmp=$(t_tmpdir)

# Every series is what the glue gives (glue/, scripts/gen-patches), for
# every release whose pristine source can be had.
rc=0
"$top/scripts/gen-patches" --check -q >"$tmp/check.out" 2>&1 || rc=$?
case $rc in
0) t_pass patches/generated-current ;;
3)
	if grep -q 'is stale' "$tmp/check.out"; then
		t_fail patches/generated-current "$(grep 'error' "$tmp/check.out" | head -n 5)"
	fi
	t_no_source patches/generated-current "$(grep 'skipped (no source)' "$tmp/check.out")"
	;;
*) t_fail patches/generated-current "$(grep -v '^[-+@ ]' "$tmp/check.out" | tail -n 8)" ;;
esac

# ... and the check does catch a stale one: a changed module, a changed
# hunk of glue output.
stale=$tmp/patches
cp -r "$top/patches" "$stale"
module=$(ls "$stale"/10.0p1/*-keepalive-module.patch)
sed -i '0,/^+#define KEEPALIVE_VERSION/s//+#define KEEPALIVE_VERSION_STALE/' "$module"
sed -i '0,/^+#include "keepalive.h"$/s//+#include "keepalive-stale.h"/' "$stale"/9.2p1/*-keepalive-sshd.patch
rc=0
KEEPALIVE_PATCHES=$stale "$top/scripts/gen-patches" --check -q 10.0p1 9.2p1 \
	>"$tmp/stale.out" 2>&1 || rc=$?
if [ $rc = 3 ]; then
	t_no_source patches/generated-stale-detected "$(grep 'skipped' "$tmp/stale.out" | tail -n 1)"
elif [ $rc = 1 ] && grep -q "patches/10.0p1 is stale" "$tmp/stale.out" &&
	grep -q "patches/9.2p1 is stale" "$tmp/stale.out"; then
	t_pass patches/generated-stale-detected
else
	t_fail patches/generated-stale-detected "exit $rc: $(tail -n 3 "$tmp/stale.out")"
fi

# The patch set's version, as scripts/lib.sh reads it.
version=$(bash -c '. "$1/scripts/lib.sh" && ka_keepalive_version' lint "$top")
# dep3 FILE: the DEP-3 fields packagers rely on.  gbp pq keeps the file's
# name (Gbp-Pq: Name); the keepalive patches change upstream behaviour and
# were not sent upstream (Forwarded: no, Origin naming the patch set, its
# version and the glue file); backports and build fixes for old releases
# are not needed upstream (Forwarded: not-needed).
dep3() {
	local f=$1 name head origin
	name=${f##*/}
	head=$(sed -n '1,/^---$/p' "$f")
	grep -qx "Gbp-Pq: Name $name" <<<"$head" || echo "no 'Gbp-Pq: Name $name' field"
	origin=$(sed -n 's/^Origin: //p' <<<"$head")
	if [[ $name == [0-9]*-build-*.patch ]] || [[ $origin == backport,* ]]; then
		grep -qx 'Forwarded: not-needed' <<<"$head" || echo "a build fix or backport without 'Forwarded: not-needed'"
	else
		grep -qx 'Forwarded: no' <<<"$head" || echo "no 'Forwarded: no' (the change is not upstream's)"
		if [[ $origin != "other, openssh-keepalive $version, glue/"* ]] ||
			[ ! -f "$top/${origin##*, }" ]; then
			echo "Origin is not 'other, openssh-keepalive $version, glue/FILE' naming an existing glue file: $origin"
		fi
	fi
}

# lint FILE: why FILE is not a clean patch, or nothing.
lint() {
	local f=$1 field
	head -n 1 "$f" | grep '^From [0-9a-f]\{40\} ' >/dev/null || echo "no 'From <sha>' first line"
	for field in From: Date: Subject:; do
		grep -q "^$field " "$f" || echo "no $field header"
	done
	# git format-patch -k: the subject is the commit's, without "[PATCH]".
	! grep -q '^Subject: \[PATCH' "$f" || echo "'[PATCH]' in the Subject (use format-patch -k)"
	for field in Description Author Origin Forwarded Last-Update; do
		sed -n '1,/^---$/p' "$f" | grep "^$field: " >/dev/null || echo "no DEP-3 $field field"
	done
	grep -q '^---$' "$f" || echo "no '---' separator"
	dep3 "$f"
	! grep -q $'\r' "$f" || echo "CR line endings"
	! grep -q '^Index: ' "$f" || echo "Index: lines"
	! grep -qE '^(---|\+\+\+) .*[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+' "$f" ||
		echo "timestamps on ---/+++ lines"
	# (OpenSSH's aclocal.m4 is a source file, not aclocal's output.)
	! grep -qE '^diff --git a/(configure|config\.h\.in) ' "$f" ||
		echo "a generated file (configure, config.h.in)"
	! grep -qE '^diff --git a/[^ ]*(\.orig|\.rej|~) ' "$f" ||
		echo "a backup or reject file (.orig, .rej, ~)"
	grep '^diff --git ' "$f" | grep -v '^diff --git a/[^ ]* b/[^ ]*$' >/dev/null &&
		echo "a diff line that is not -p1 a/ b/"
	grep -q '^diff --git ' "$f" || echo "no diff"
}

for dir in "$top"/patches/*/; do
	rel=$(basename "$dir")
	[ "$rel" != debian ] || continue	# variants, below
	[ -f "$dir/series" ] || { t_fail "patches/$rel/series" "missing"; continue; }
	listed=$(sed 's/#.*//' "$dir/series" | awk 'NF { print $1 }')
	why=
	for p in $listed; do
		[ -f "$dir/$p" ] || why="$why $p listed but missing;"
	done
	for f in "$dir"/*.patch; do
		[ -e "$f" ] || continue
		grep -qxF "$(basename "$f")" <<<"$listed" ||
			why="$why $(basename "$f") not in series;"
		[[ $(basename "$f") == [0-9][0-9][0-9][0-9]-@(keepalive|build)-*.patch ]] ||
			why="$why $(basename "$f") not named NNNN-keepalive-*.patch or NNNN-build-*.patch;"
	done
	if [ -z "$why" ]; then t_pass "patches/$rel/series"; else t_fail "patches/$rel/series" "$why"; fi
	for p in $listed; do
		[ -f "$dir/$p" ] || continue
		why=$(lint "$dir/$p" | paste -sd ';' -)
		if [ -z "$why" ]; then t_pass "patches/$rel/$p"; else t_fail "patches/$rel/$p" "$why"; fi
	done
done

# changed_lines PATCH: the lines a patch removes and adds, file by file,
# without their context or line numbers.
changed_lines() {
	awk '
	/^diff --git / { file = $3; hunk = 0; next }
	/^@@ / { hunk = 1; next }
	hunk && /^[-+]/ { print file "\t" $0 }
	' "$1"
}

# Debian variants (patches/debian/RELEASE/, for Debian's openssh package):
# the series is the release's, and each variant makes the same changes as
# the release's patch of that name, in other context.
for dir in "$top"/patches/debian/*/; do
	[ -d "$dir" ] || continue
	rel=$(basename "$dir")
	base=$top/patches/$rel
	why=
	if [ ! -f "$dir/series" ]; then
		why="no series;"
	elif [ "$(sed 's/#.*//' "$dir/series" | awk 'NF { print $1 }')" != \
		"$(sed 's/#.*//' "$base/series" | awk 'NF { print $1 }')" ]; then
		why="series does not list the patches of patches/$rel/series in their order;"
	fi
	for f in "$dir"/*.patch; do
		[ -e "$f" ] || continue
		[ -f "$base/$(basename "$f")" ] ||
			why="$why $(basename "$f") replaces no patch of patches/$rel;"
	done
	if [ -z "$why" ]; then t_pass "patches/debian/$rel/series"; else t_fail "patches/debian/$rel/series" "$why"; fi
	for f in "$dir"/*.patch; do
		if [ ! -e "$f" ] || [ ! -f "$base/$(basename "$f")" ]; then
			continue
		fi
		why=$(lint "$f" | paste -sd ';' -)
		if ! diff <(changed_lines "$base/$(basename "$f")") <(changed_lines "$f") >/dev/null; then
			why="${why:+$why; }does not make the same changes as patches/$rel/$(basename "$f")"
		fi
		if [ -z "$why" ]; then t_pass "patches/debian/$rel/$(basename "$f")"; else t_fail "patches/debian/$rel/$(basename "$f")" "$why"; fi
	done
done
