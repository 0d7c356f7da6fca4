#!/bin/bash
# RPM: rpmbuild -bp on a minimal spec, generated from each release's series
# (Source0 the pristine tarball, PatchN the series' patches with N the
# patch's number, 0010-... -> Patch10), prepares the tree scripts/apply
# makes.  Three %prep forms, as docs/packaging.md gives them:
#   autosetup   %autosetup -p1                 (rpm >= 4.11)
#   patch-P     %setup -q + %patch -P N -p1    (any rpm; the form rpm >= 4.20 needs)
#   patchN      %setup -q + %patchN -p1        (old rpm; gone in rpm 4.20)
# Zero fuzz (_default_patch_fuzz 0).  Releases whose source cannot be had
# are skipped with the reason.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

if ! command -v rpmbuild >/dev/null; then
	t_skip packaging/rpm "rpmbuild not installed (apt-get install rpm)"
	exit 0
fi
rpm_version=$(rpmbuild --version | awk '{ print $NF }')
# scripts/apply's tree is made in a work directory of this test's own: the
# shared one's tree may hold a build (objects, Makefile) of another test.
work=$T_TMP/work

# spec FORM RELEASE TARBALL TOPDIR PATCH...: the spec on stdout.
spec() {
	local form=$1 rel=$2 tarball=$3 top=$4 p n
	shift 4
	cat <<EOF
# rpmbuild -bp test of openssh-keepalive's series for OpenSSH $rel ($form)
%global _default_patch_fuzz 0
Name:		openssh-keepalive-test
Version:	${rel//-/_}
Release:	1
Summary:	OpenSSH $rel with openssh-keepalive (prep only)
License:	BSD
Source0:	${tarball##*/}
EOF
	for p in "$@"; do
		n=${p##*/}
		printf 'Patch%d:\t%s\n' "$((10#${n%%-*}))" "$n"
	done
	printf '\n%%description\nTest of %%prep only.\n\n%%prep\n'
	case $form in
	autosetup)
		echo "%autosetup -p1 -n $top"
		;;
	patch-P)
		echo "%setup -q -n $top"
		for p in "$@"; do
			n=${p##*/}
			echo "%patch -P $((10#${n%%-*})) -p1"
		done
		;;
	patchN)
		echo "%setup -q -n $top"
		for p in "$@"; do
			n=${p##*/}
			echo "%patch$((10#${n%%-*})) -p1"
		done
		;;
	esac
}

for rel in $(pk_releases); do
	rc=0
	pk_source "$rel" || rc=$?
	if [ $rc = 3 ]; then
		t_skip "packaging/$rel/rpm" "$PK_WHY"
		continue
	elif [ $rc != 0 ]; then
		t_fail "packaging/$rel/rpm" "$PK_WHY"
		continue
	fi
	pdir=$T_TOP/patches/$rel
	mapfile -t names < <(pk_series "$pdir")
	patches=("${names[@]/#/$pdir/}")
	# Patch numbers: the names' numbers, rising in series order.
	last=-1 why=
	for n in "${names[@]}"; do
		if [[ $n != [0-9][0-9][0-9][0-9]-* ]]; then
			why="$n has no NNNN- number"
		elif [ $((10#${n%%-*})) -le $last ]; then
			why="$n: numbers do not rise in series order"
		else
			last=$((10#${n%%-*}))
		fi
	done
	if [ -n "$why" ]; then
		t_fail "packaging/$rel/rpm/patch-numbers" "$why"
		continue
	fi

	# The tree scripts/apply makes; what it regenerates (configure,
	# config.h.in, and aclocal.m4, which autoreconf's aclocal rewrites
	# with its own version in the header) aside, as a spec regenerates
	# them in %build.  Nothing else may differ: no leftover of
	# autoreconf (configure~, config.h.in~) in scripts/apply's tree.
	if ! KEEPALIVE_WORK=$work "$T_TOP/scripts/apply" "$rel" >"$T_TMP/apply-$rel.log" 2>&1; then
		t_fail "packaging/$rel/rpm" "scripts/apply $rel: $(tail -n 3 "$T_TMP/apply-$rel.log")"
		continue
	fi
	want=$(find "$work/$rel/patched/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	top=${want##*/}
	saved=("${PK_EXCLUDE[@]}")
	if grep -Eq '^\+\+\+ b/(configure\.(ac|in)|aclocal\.m4|acinclude\.m4|acconfig\.h|m4/)' \
		"${patches[@]}"; then
		PK_EXCLUDE+=(configure config.h.in aclocal.m4)
	fi

	for form in autosetup patch-P patchN; do
		r=$T_TMP/rpm-$rel-$form
		mkdir -p "$r/SOURCES" "$r/SPECS" "$r/BUILD" "$r/tmp"
		ln -s "$PK_TARBALL" "$r/SOURCES/"
		ln -s "${patches[@]}" "$r/SOURCES/"
		spec "$form" "$rel" "$PK_TARBALL" "$top" "${patches[@]}" >"$r/SPECS/test.spec"
		if ! rpmbuild -bp --nodeps --define "_topdir $r" --define "_tmppath $r/tmp" \
			"$r/SPECS/test.spec" >"$r/rpmbuild.log" 2>&1; then
			t_fail "packaging/$rel/rpm/$form" "rpmbuild $rpm_version -bp: $(tail -n 4 "$r/rpmbuild.log")"
		elif ! why=$(pk_same "$want" "$r/BUILD/$top"); then
			t_fail "packaging/$rel/rpm/$form" "differs from scripts/apply: $why"
		else
			t_pass "packaging/$rel/rpm/$form"
		fi
		rm -rf "$r"
	done
	rm -rf "${work:?}/$rel"
	PK_EXCLUDE=("${saved[@]}")
done
