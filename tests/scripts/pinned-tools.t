#!/bin/bash
# shellcheck disable=SC2016 # code for the inner shell, in single quotes
# pinned-tools: a command the host lacks runs from its pinned Debian package
# (scripts/lib.sh ka_tool): records checked, the sha256 enforced, the
# package unpacked with dpkg-deb or ar and relocated so that nothing
# installed stands in for it; and autoreconf2.64 run that way makes the
# configure the installed package makes, byte for byte.  Synthetic packages
# from a file:// mirror, then the real one (Debian's archive or the cache).
. "$(dirname "$0")/../lib.sh"

tmp=$(t_tmpdir)
out=$tmp/out
cache=${KEEPALIVE_CACHE:-}

# lib ARGS...: bash -c ARGS[0] with scripts/lib.sh sourced; output in $out.
lib() {
	local code=$1
	shift
	bash -c ". \"\$0/scripts/lib.sh\"; $code" "$T_TOP" "$@" >"$out" 2>&1
}
has() { grep -qF -- "$1" "$out"; }

# A package holding ka-fake-tool, which runs ka-fake-helper and reads its
# data by their absolute paths, as autoconf2.64's scripts do.
mkdeb() {
	local d=$tmp/deb
	rm -rf "$d"
	mkdir -p "$d/data/usr/bin" "$d/data/usr/share/ka-fake" "$d/control"
	printf '#!/bin/sh\nexec /usr/bin/ka-fake-helper "$(cat /usr/share/ka-fake/word)"\n' \
		>"$d/data/usr/bin/ka-fake-tool"
	printf '#!/bin/sh\necho "helper: $1 $(cat /usr/share/ka-fake/ka.cfg)"\n' \
		>"$d/data/usr/bin/ka-fake-helper"
	chmod 755 "$d/data/usr/bin/"*
	echo pinned >"$d/data/usr/share/ka-fake/word"
	echo 'cfg: /usr/share/ka-fake/word' >"$d/data/usr/share/ka-fake/ka.cfg"
	printf 'Package: ka-fake\nVersion: 1\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: test\n' \
		>"$d/control/control"
	echo 2.0 >"$d/debian-binary"
	tar -czf "$d/control.tar.gz" -C "$d/control" .
	tar -czf "$d/data.tar.gz" -C "$d/data" ./usr
	mkdir -p "$tmp/mirror/pool/main/k/ka-fake"
	rm -f "$tmp/mirror/pool/main/k/ka-fake/ka-fake_1_all.deb"
	(cd "$d" && ar rc "$tmp/mirror/pool/main/k/ka-fake/ka-fake_1_all.deb" \
		debian-binary control.tar.gz data.tar.gz)
	sha256sum "$tmp/mirror/pool/main/k/ka-fake/ka-fake_1_all.deb" | cut -d' ' -f1
}

export KEEPALIVE_PINNED_TOOLS=$tmp/pinned-tools
export KEEPALIVE_DEBIAN_MIRROR=file://$tmp/mirror
export KEEPALIVE_CACHE=$tmp/cache
deb=pool/main/k/ka-fake/ka-fake_1_all.deb

# 1. Records: each error names the file, the line and what was expected.
why=
for bad in "ka-fake-tool $deb" "ka-fake-tool ka-fake_1_all.deb $(printf '%064d' 0)" \
	"ka-fake-tool $deb 1234" "ka-fake-tool $deb $(printf '%064d' 0) extra"; do
	printf '# comment\n\n%s\n' "$bad" >"$KEEPALIVE_PINNED_TOOLS"
	if lib 'ka_pinned_record ka-fake-tool'; then
		why="$why accepted '$bad';"
	elif ! has "$KEEPALIVE_PINNED_TOOLS:3: " ||
		! grep -Eq 'expected 3 fields|must be a package file|must be a sha256' "$out"; then
		why="$why '$bad': $(cat "$out");"
	fi
done
if [ -z "$why" ]; then
	t_pass pinned-tools/bad-records-named
else
	t_fail pinned-tools/bad-records-named "$why"
fi

# 2. Fetched from the mirror, verified, unpacked, relocated: the tool runs
# its own helper and data, none of which is installed.
sha=$(mkdeb)
echo "ka-fake-tool $deb $sha" >"$KEEPALIVE_PINNED_TOOLS"
if lib 'ka_tool ka-fake-tool && "$KA_TOOL"' && has "helper: pinned cfg: $KEEPALIVE_CACHE/tools/ka-fake_1_all/usr/share/ka-fake/word" &&
	has "ka-fake-tool is not installed: running it from ka-fake_1_all.deb (sha256 $sha" &&
	[ -f "$KEEPALIVE_CACHE/ka-fake_1_all.deb" ]; then
	t_pass pinned-tools/fetched-verified-relocated
else
	t_fail pinned-tools/fetched-verified-relocated "$(tail -n 5 "$out")"
fi

# 3. Without dpkg-deb (ar and tar), from the cache: the same.
rm -rf "$KEEPALIVE_CACHE/tools" "$tmp/mirror/pool"
nodpkg=$(t_path_without dpkg-deb)
if ! command -v ar >/dev/null; then
	t_skip pinned-tools/unpacked-without-dpkg "no ar (binutils)"
elif PATH=$nodpkg lib 'ka_tool ka-fake-tool && "$KA_TOOL"' &&
	has "helper: pinned cfg: $KEEPALIVE_CACHE/tools/ka-fake_1_all/usr/share/ka-fake/word" &&
	! has downloading; then
	t_pass pinned-tools/unpacked-without-dpkg
else
	t_fail pinned-tools/unpacked-without-dpkg "$(tail -n 5 "$out")"
fi

# 4. A file that is not the pinned one is removed, named with both sums.
mkdir -p "$KEEPALIVE_CACHE"
echo 'not the package' >"$KEEPALIVE_CACHE/ka-fake_1_all.deb"
bad=$(sha256sum "$KEEPALIVE_CACHE/ka-fake_1_all.deb" | cut -d' ' -f1)
if ! lib 'ka_tool ka-fake-tool' &&
	has "sha256 mismatch for $KEEPALIVE_CACHE/ka-fake_1_all.deb: expected $sha (pinned-tools), got $bad; removed, not used" &&
	[ ! -e "$KEEPALIVE_CACHE/ka-fake_1_all.deb" ] && [ ! -e "$KEEPALIVE_CACHE/tools/ka-fake_1_all" ]; then
	t_pass pinned-tools/sha256-mismatch-removed
else
	t_fail pinned-tools/sha256-mismatch-removed "$(tail -n 5 "$out")"
fi

# 5. Not downloadable: said, with where to put the file instead.
if ! lib 'ka_tool ka-fake-tool' &&
	has "cannot download file://$tmp/mirror/$deb: " && has "(put ka-fake_1_all.deb in $KEEPALIVE_CACHE, or install ka-fake-tool)"; then
	t_pass pinned-tools/download-failure-named
else
	t_fail pinned-tools/download-failure-named "$(tail -n 5 "$out")"
fi

# 6. An installed command comes first.
mkdir -p "$tmp/bin"
printf '#!/bin/sh\necho installed\n' >"$tmp/bin/ka-fake-tool"
chmod 755 "$tmp/bin/ka-fake-tool"
if PATH=$tmp/bin:$PATH lib 'ka_tool ka-fake-tool && "$KA_TOOL"' && has installed &&
	! has 'not installed'; then
	t_pass pinned-tools/installed-first
else
	t_fail pinned-tools/installed-first "$(tail -n 5 "$out")"
fi

# 7. The real one: 3.7.1p2's configure and config.h.in made by
# autoreconf2.64 from the pinned package with every autoconf 2.64 command
# hidden (as root also its files, in a mount namespace of its own), and by
# the installed package when there is one.  Both must be the files Debian
# 12's package makes (sums below, made with it).
unset KEEPALIVE_PINNED_TOOLS KEEPALIVE_DEBIAN_MIRROR KEEPALIVE_CACHE
[ -z "$cache" ] || export KEEPALIVE_CACHE=$cache
want="df62c048411c9cb1ddcb013f693b9b3542a09954c0116bac6b238d63b21963af  configure
41270565cca3fd202547c5170b4ce88014be4a4cb8bac74c617c34f4c3ec9052  config.h.in"
hide=(autoconf2.64 autoheader2.64 autom4te2.64 autoreconf2.64 autoscan2.64
	autoupdate2.64 ifnames2.64)
if t_fetch 3.7.1p2 pinned-tools/autoreconf2.64 "$tmp/fetch.log"; then
	archive=$(sed -n 's/^openssh_path=//p' "${KEEPALIVE_WORK:-$T_TOP/work}/3.7.1p2/source")
	for how in pinned installed; do
		rm -rf "${tmp:?}/$how"
		mkdir -p "$tmp/$how"
		tar -xzf "$archive" -C "$tmp/$how"
		tree=$(find "$tmp/$how" -mindepth 1 -maxdepth 1 -type d)
		rm -f "$tree/configure" "$tree/config.h.in"
	done
	code='ka_regen "$1" autoreconf2.64 "$2" && (cd "$1" && sha256sum configure config.h.in)'
	path=$(t_path_without "${hide[@]}")
	rc=0
	if [ "$(id -u)" = 0 ] && [ -d /usr/share/autoconf2.64 ] && command -v unshare >/dev/null; then
		# shellcheck disable=SC2016 # expanded by the inner shell
		PATH=$path unshare -m --propagation private bash -c '
			mount -t tmpfs none /usr/share/autoconf2.64 || exit 1
			for f in /usr/bin/*2.64; do mount --bind /dev/null "$f" || exit 1; done
			code=$1; shift
			bash -c ". \"\$0/scripts/lib.sh\"; $code" "$@"' \
			hide "$code" "$T_TOP" "$(find "$tmp/pinned" -mindepth 1 -maxdepth 1 -type d)" \
			"$tmp/pinned.log" >"$out" 2>&1 || rc=$?
	else
		PATH=$path lib "$code" "$(find "$tmp/pinned" -mindepth 1 -maxdepth 1 -type d)" \
			"$tmp/pinned.log" || rc=$?
	fi
	got=$(grep -E '^[0-9a-f]{64}  ' "$out" || true)
	if [ $rc = 0 ] && has "autoreconf2.64 is not installed: running it from autoconf2.64_2.64+dfsg-1.1_all.deb" &&
		[ "$got" = "$want" ]; then
		t_pass pinned-tools/autoreconf2.64-pinned-makes-debian12s-configure
	elif [ $rc != 0 ] && grep -q 'cannot download' "$out"; then
		t_no_source pinned-tools/autoreconf2.64-pinned-makes-debian12s-configure "$(grep 'cannot download' "$out")"
	else
		t_fail pinned-tools/autoreconf2.64-pinned-makes-debian12s-configure \
			"exit $rc; got: ${got:-no sums}; expected: $want; $(grep -v '^[0-9a-f]\{64\}  ' "$out" | tail -n 4)"
	fi
	if ! command -v autoreconf2.64 >/dev/null; then
		t_skip pinned-tools/autoreconf2.64-installed-same "autoconf2.64 is not installed (Debian 13 has no package): nothing to compare with"
	elif lib "$code" "$(find "$tmp/installed" -mindepth 1 -maxdepth 1 -type d)" "$tmp/installed.log" &&
		! has 'not installed' && [ "$(grep -E '^[0-9a-f]{64}  ' "$out")" = "$want" ] &&
		diff -r "$tmp/installed" "$tmp/pinned" >"$tmp/diff" 2>&1; then
		t_pass pinned-tools/autoreconf2.64-installed-same
	else
		t_fail pinned-tools/autoreconf2.64-installed-same "$(tail -n 3 "$out") $(head -n 5 "$tmp/diff" 2>/dev/null)"
	fi
fi
