#!/usr/bin/env bash
# configure accepts every OpenSSL 3.x for each release built against the
# system's OpenSSL (crypto "system" in upstream-version), after its series:
# up to 9.7p1 a release's configure.ac refuses the 3.x versions newer than
# itself ("Unknown/unsupported OpenSSL version": Debian 13's OpenSSL 3.5),
# which the build fix NNNN-build-openssl-3x.patch lifts.  The version case
# of configure.ac, patched and pristine, is run with sh for OpenSSL
# versions as configure's test program prints them: 3.1 .. 3.6 must be
# accepted, and 1.1.1 and 3.0 (Debian 12) must give what the pristine
# release gives (accepted, the same CPPFLAGS).  No configure, no build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
top=$T_TOP
tmp=$(t_tmpdir)

# OpenSSL_version_num() as configure's program prints it (%08lx).
same=(1010117f 30000020 30000110)        # 1.1.1w, 3.0.2, 3.0.17 (Debian 12)
newer=(30100000 30200010 30500040 30600000) # 3.1.0, 3.2.1, 3.5.4 (Debian 13), 3.6.0

gitdir() {
	bash -c '. "$1/scripts/lib.sh"; ka_setup >/dev/null 2>&1; ka_git_tag openssh "$2" && echo "$KA_GITDIR"' \
		gitdir "$top" "$1"
}

# version_case CONFIGURE_AC: configure.ac's OpenSSL version case as sh, a
# refusal printing "refused".
version_case() {
	awk '
	!on && /^[\t ]*case "\$(ssl_library_ver|sslver)" in/ {
		on = 1; match($0, /^[\t ]*/); ind = substr($0, 1, RLENGTH)
	}
	on { print }
	on && $0 == ind "esac" { exit }
	' "$1" | sed -e 's/AC_MSG_ERROR(.*)/{ echo refused; exit 0; }/' \
		-e 's/\[\[/[/g' -e 's/\]\]/]/g'
}

# verdict CASE VERSION: "accepted CPPFLAGS" or "refused".
verdict() {
	sh -c 'sslver=$2 ssl_library_ver=$2 CPPFLAGS=
		eval "$1"
		echo "accepted $CPPFLAGS"' verdict "$1" "$2" 2>&1
}

while read -r rel tag commit crypto; do
	[ "$crypto" = system ] || continue
	if ! gd=$(gitdir "$tag" 2>"$tmp/git.err"); then
		t_no_source "openssl3/$rel" "no git source for tag $tag: $(tail -n 1 "$tmp/git.err")"
		continue
	fi
	tree=$tmp/$rel
	rm -rf "$tree"
	mkdir -p "$tree"
	mapfile -t names < <(sed 's/#.*//' "$top/patches/$rel/series" | awk 'NF { print $1 }')
	mapfile -t files < <(for p in "${names[@]}"; do
		sed -n 's|^--- a/\([^ ]*\).*|\1|p' "$top/patches/$rel/$p"
	done | sort -u)
	git -C "$gd" archive "$commit" -- configure.ac "${files[@]}" | tar -x -C "$tree"
	cp "$tree/configure.ac" "$tmp/pristine.ac"
	why=
	for p in "${names[@]}"; do
		patch -s -d "$tree" -p1 -F0 --batch --forward --no-backup-if-mismatch \
			-r - <"$top/patches/$rel/$p" >/dev/null 2>&1 || why="$p does not apply; "
	done
	new=$(version_case "$tree/configure.ac")
	old=$(version_case "$tmp/pristine.ac")
	if [ -z "$new" ]; then
		t_fail "openssl3/$rel" "${why}no OpenSSL version case in configure.ac"
		continue
	fi
	for v in "${newer[@]}"; do
		got=$(verdict "$new" "$v")
		[[ $got == accepted* ]] || why="$why$v $got; "
	done
	for v in "${same[@]}"; do
		got=$(verdict "$new" "$v")
		want=$(verdict "$old" "$v")
		[ "$got" = "$want" ] || why="$why$v: '$got', pristine '$want'; "
		[[ $got == accepted* ]] || why="$why$v $got; "
	done
	if [ -z "$why" ]; then t_pass "openssl3/$rel"; else t_fail "openssl3/$rel" "$why"; fi
	rm -rf "$tree"
done < <(awk '$1 == "openssh" { print $2, $5, $6, $7 }' "$top/upstream-version")
