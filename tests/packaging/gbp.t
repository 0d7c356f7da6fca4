#!/bin/bash
# git-buildpackage keeps the series' file names, as a Debian packager's
# workflow needs: the patches applied with git am on a patch-queue branch
# of a packaging repository (the pristine tarball and a debian/ directory)
# and written back with `gbp pq export` come out under the same names, in
# the same order (their Gbp-Pq: Name field); and
# `gbp pq import` of the series followed by an export gives the series
# back.  Releases: those of t_releases ci (tests/lib.sh) whose source can
# be had.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

if ! command -v gbp >/dev/null; then
	t_skip packaging/gbp "gbp not installed (apt-get install git-buildpackage)"
	exit 0
fi

# git and gbp with no user or system configuration, hooks or signing.
g() {
	GIT_CONFIG_NOSYSTEM=1 HOME=$T_TMP git -c user.name=keepalive-test \
		-c user.email=keepalive-test@invalid -c core.autocrlf=false \
		-c commit.gpgsign=false "$@"
}
gq() {
	GIT_CONFIG_NOSYSTEM=1 HOME=$T_TMP GIT_AUTHOR_NAME=keepalive-test \
		GIT_AUTHOR_EMAIL=keepalive-test@invalid \
		GIT_COMMITTER_NAME=keepalive-test \
		GIT_COMMITTER_EMAIL=keepalive-test@invalid gbp pq "$@"
}

# repo TARBALL DIR SERIES-DIR|"": a packaging repository of the tarball
# with debian/ (control, changelog and the series, or an empty one).
repo() {
	local tree
	tree=$(pk_unpack "$1" "$2") || return 1
	mkdir -p "$tree/debian/patches"
	printf 'Source: openssh\n\nPackage: openssh-client\nArchitecture: any\nDescription: test\n test\n' \
		>"$tree/debian/control"
	printf 'openssh (1:%s-1) unstable; urgency=medium\n\n  * test\n\n -- keepalive-test <keepalive-test@invalid>  Tue, 01 Dec 2026 00:00:00 +0000\n' \
		"$rel" >"$tree/debian/changelog"
	if [ -n "$3" ]; then
		cp "$3"/* "$tree/debian/patches/"
	else
		: >"$tree/debian/patches/series"
	fi
	(cd "$tree" && g init -q -b main && g add -A -f && g commit -q -m "import $rel") >&2 ||
		return 1
	printf '%s\n' "$tree"
}

# exported TREE: the names gbp pq export wrote, in series order, when the
# series and the files agree.
exported() {
	local f
	pk_series "$1/debian/patches"
	for f in "$1"/debian/patches/*.patch; do
		grep -qxF "${f##*/}" "$1/debian/patches/series" ||
			echo "(a file not in the series: ${f##*/})"
	done
}

# roundtrip NAME SERIES-DIR|"" CMD...: in a new packaging repository
# (repo), CMD must leave the series in debian/patches under its names.
roundtrip() {
	local name=$1 series=$2 tree out got
	shift 2
	if tree=$(repo "$PK_TARBALL" "$dir/$name" "$series" 2>"$dir.log") &&
		out=$(cd "$tree" && "$@" 2>&1); then
		got=$(exported "$tree")
		if [ "$got" = "$want" ]; then
			t_pass "packaging/$rel/$name"
		else
			t_fail "packaging/$rel/$name" "exported: ${got//$'\n'/ }"
		fi
	else
		t_fail "packaging/$rel/$name" "$(tail -n 3 "$dir.log") $(tail -n 3 <<<"${out:-}")"
	fi
}
export -f g gq

for rel in $(t_releases ci); do
	pdir=$T_TOP/patches/$rel
	[ -n "$(pk_series "$pdir")" ] || continue
	rc=0
	pk_source "$rel" || rc=$?
	if [ $rc != 0 ]; then
		if [ $rc = 3 ]; then
			t_no_source "packaging/$rel/gbp" "$PK_WHY"
		else
			t_fail "packaging/$rel/gbp" "$PK_WHY"
		fi
		continue
	fi
	mapfile -t names < <(pk_series "$pdir")
	want=$(printf '%s\n' "${names[@]}")

	dir=$T_TMP/$rel
	# git am on the patch-queue branch, then gbp pq export.
	roundtrip gbp-export-keeps-names "" bash -c \
		'g checkout -q -b patch-queue/main && g am -q "$@" &&
		g checkout -q main && gq export' bash "${names[@]/#/$pdir/}"
	# gbp pq import of the series, export again.
	roundtrip gbp-import-export "$pdir" bash -c \
		'gq import && g checkout -q main && g rm -q debian/patches/*.patch &&
		g commit -q -m drop && gq export'
done
