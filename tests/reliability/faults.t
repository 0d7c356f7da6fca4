#!/bin/bash
# Tooling faults on the real scripts, with synthetic releases (no network,
# tests/scripts/fixture.sh): a tarball cut short, a tarball replaced under
# its name, a read-only cache, a series whose third patch does not apply on
# a fresh tree, the disk full while unpacking, and matrix runs at once on
# one cache.  Each: a message naming the file and what was expected, the
# work directory left consistent, and a rerun that succeeds.  Faults that
# tests/scripts/*.t already cover (a killed build, a killed download, a
# failing patch on an existing tree, ...) are listed in docs/reliability.md,
# not repeated here.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../scripts/fixture.sh"

out=$FX/out
cache=$KEEPALIVE_CACHE
work=$KEEPALIVE_WORK

# run WANT SCRIPT ARGS...: run a script, output in $out; its exit status
# must be WANT.
run() {
	local want=$1 script=$2 rc=0
	shift 2
	"$S/$script" "$@" >"$out" 2>&1 || rc=$?
	[ "$rc" = "$want" ] && return 0
	echo "$script $* exited $rc, expected $want: $(tail -n 5 "$out")"
	return 1
}
has() { grep -qF -- "$1" "$out"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# consistent RELEASE: no scratch trees, no half-written files, and a tree
# exactly when its stamp says so.
consistent() {
	local rel=$1 vdir=$work/$1/patched stray
	stray=$(find "$work/$rel" "$cache" \( -name 'src.new.*' -o -name 'src.old.*' \
		-o -name '*.part.*' -o -name '*.tmp.*' \) -print 2>/dev/null)
	if [ -n "$stray" ]; then
		echo "left behind: $stray"
		return 1
	fi
	if [ -f "$vdir/stamp.apply" ] && ! [ -d "$vdir/src/openssh-$rel" ]; then
		echo "$vdir/stamp.apply without a tree"
		return 1
	fi
	if [ -f "$vdir/stamp.build" ] && ! [ -f "$vdir/src/openssh-$rel/built.txt" ]; then
		echo "$vdir/stamp.build without a build"
		return 1
	fi
}

# verdict NAME WHY: pass when WHY, what the checks of a case printed (each
# prints why it failed), is empty.
verdict() {
	if [ -z "$2" ]; then t_pass "$1"; else t_fail "$1" "$2"; fi
}

# 1. A tarball cut short under its final name in the cache (a copy that was
# interrupted): refused by sha256 naming the file and the expected sum,
# removed; the rerun gets it from the mirror and applies.
fx_release 6.0p1
good=$(sha "$FX/mirror/openssh-6.0p1.tar.gz")
head -c 300 "$FX/mirror/openssh-6.0p1.tar.gz" >"$cache/openssh-6.0p1.tar.gz"
why=$(
	run 1 apply 6.0p1 || exit 0
	has "sha256 mismatch for $cache/openssh-6.0p1.tar.gz: expected $good, got " ||
		echo "no sha256 message: $(tail -n 3 "$out")"
	[ ! -e "$cache/openssh-6.0p1.tar.gz" ] || echo "the short tarball was kept"
	[ ! -e "$work/6.0p1/patched/src" ] || echo "a tree was made"
	consistent 6.0p1
	run 0 apply 6.0p1 || exit 0
	[ "$(sha "$cache/openssh-6.0p1.tar.gz")" = "$good" ] || echo "rerun: wrong tarball"
	consistent 6.0p1
) || true
verdict faults/truncated-tarball "$why"

# 2. The same for a tarball fetch made from git (no pinned sum: the sum
# recorded when it was made is checked): cut short after it was applied,
# the next apply notices, makes it again from git, and applies.
g=$FX/git-repo
fx_tree "$g"
git -C "$g" init -q
git -C "$g" -c user.name=T -c user.email=t@example.invalid add -A
git -C "$g" -c user.name=T -c user.email=t@example.invalid commit -q -m release
git -C "$g" tag V_6_1_P1
commit=$(git -C "$g" rev-parse HEAD)
fx_record "openssh 6.1p1 openssh-6.1p1.tar.gz - V_6_1_P1 $commit system - - -"
mkdir -p "$FX/patches/6.1p1"
archive=$cache/openssh-6.1p1-git-${commit:0:12}.tar.gz
why=$(
	run 0 apply --openssh-git "$g" 6.1p1 || exit 0
	good=$(sha "$archive")
	head -c 200 "$archive" >"$archive.short"
	mv "$archive.short" "$archive"
	run 0 apply --force --openssh-git "$g" 6.1p1 || exit 0
	has "$archive: sha256 " && has "expected $good" && has "made again from git" ||
		echo "no message naming the archive: $(tail -n 5 "$out")"
	[ "$(sha "$archive")" = "$good" ] || echo "the archive made again differs"
	grep -qx 'line two' "$work/6.1p1/patched/src/openssh-6.1p1/file.txt" ||
		echo "no tree"
	consistent 6.1p1
) || true
verdict faults/truncated-git-archive "$why"

# 3. Right name, wrong content: after a good fetch and apply, the cached
# tarball is replaced by another release's.  The next apply must not unpack
# it: refused by sha256 and removed; the rerun gets the right one.
fx_release 6.2p1
fx_release 6.3p1
why=$(
	run 0 apply 6.2p1 || exit 0
	cp "$FX/mirror/openssh-6.3p1.tar.gz" "$cache/openssh-6.2p1.tar.gz"
	run 1 apply --force 6.2p1 || exit 0
	has "sha256 mismatch for $cache/openssh-6.2p1.tar.gz: expected $(sha "$FX/mirror/openssh-6.2p1.tar.gz"), got $(sha "$FX/mirror/openssh-6.3p1.tar.gz")" ||
		echo "no sha256 message: $(tail -n 3 "$out")"
	[ -d "$work/6.2p1/patched/src/openssh-6.2p1" ] ||
		echo "the previous tree is gone: $(ls "$work/6.2p1/patched/src")"
	consistent 6.2p1
	run 0 apply --force 6.2p1 || exit 0
	[ -d "$work/6.2p1/patched/src/openssh-6.2p1" ] || echo "rerun: wrong tree"
	consistent 6.2p1
) || true
verdict faults/wrong-content "$why"

# 4. A read-only cache (a read-only bind mount in a private mount namespace
# as root, where modes do not stop writes; chmod otherwise): fetch stops
# before any work, naming the cache directory and the reason; nothing is
# recorded; the rerun with
# a writable cache succeeds.
fx_release 6.4p1
ro=$FX/ro-cache
mkdir -p "$ro"
cp "$FX/mirror/openssh-6.4p1.tar.gz" "$ro/"
rc=0
if [ "$(id -u)" = 0 ]; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	KEEPALIVE_CACHE=$ro unshare -m bash -c \
		'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "${@:2}"' \
		ro "$ro" "$S/fetch" 6.4p1 >"$out" 2>&1 || rc=$?
else
	chmod a-w "$ro"
	KEEPALIVE_CACHE=$ro "$S/fetch" 6.4p1 >"$out" 2>&1 || rc=$?
	chmod u+w "$ro"
fi
if [ $rc != 1 ] && grep -q 'unshare\|mount' "$out"; then
	t_skip faults/read-only-cache "cannot make a read-only mount here: $(tail -n 1 "$out")"
else
	why=$(
		[ $rc = 1 ] || echo "fetch exited $rc, expected 1"
		has "cannot write the cache directory $ro: " &&
			{ has "Read-only file system" || has "Permission denied"; } ||
			echo "no message naming the cache directory and why: $(tail -n 3 "$out")"
		[ ! -e "$work/6.4p1/source" ] || echo "a source was recorded"
		KEEPALIVE_CACHE=$ro run 0 apply 6.4p1 || exit 0
		consistent 6.4p1
	) || true
	verdict faults/read-only-cache "$why"
fi

# 5. A series whose third patch does not apply, on a fresh release through
# build: the patch and its hunk are named, no tree, no stamp; once the patch
# is fixed the same command succeeds.
fx_release 6.5p1
p=$FX/patches/6.5p1
fx_patch "$p/0001-one.patch" 'line two' 'line 2'
fx_patch "$p/0002-two.patch" 'line 2' 'line II'
fx_patch "$p/0003-three.patch" 'line 2' 'line III'
printf '%s\n' 0001-one.patch 0002-two.patch 0003-three.patch >"$p/series"
why=$(
	run 1 build 6.5p1 || exit 0
	has "$p/0003-three.patch does not apply to 6.5p1" && has "Hunk #1 FAILED" ||
		echo "patch not named: $(tail -n 5 "$out")"
	[ ! -e "$work/6.5p1/patched/src" ] && [ ! -e "$work/6.5p1/patched/stamp.apply" ] ||
		echo "a tree or stamp was left: $(ls "$work/6.5p1/patched")"
	consistent 6.5p1
	fx_patch "$p/0003-three.patch" 'line II' 'line III'
	run 0 build 6.5p1 || exit 0
	grep -qx 'line III' "$work/6.5p1/patched/src/openssh-6.5p1/file.txt" ||
		echo "rerun: series not applied"
	consistent 6.5p1
) || true
verdict faults/third-patch-fails-fresh "$why"

# 6. The disk full while unpacking: the work directory on a 1 MiB tmpfs,
# mounted (and unmounted) in a private mount namespace, a release with a
# 4 MiB file.  apply names the tarball, the free space and tar's error,
# leaves no scratch tree (the space is given back); after the tmpfs grows
# the rerun succeeds.
fx_release 6.6p1
dd if=/dev/zero of="$FX/src/openssh-6.6p1/big" bs=1M count=4 status=none
tar -czf "$FX/mirror/openssh-6.6p1.tar.gz" -C "$FX/src" openssh-6.6p1
sed -i "s/^openssh 6.6p1 [^ ]* [^ ]*/openssh 6.6p1 openssh-6.6p1.tar.gz $(sha "$FX/mirror/openssh-6.6p1.tar.gz")/" \
	"$KEEPALIVE_UPSTREAM_VERSION"
full=$FX/full
mkdir -p "$full"
if [ "$(id -u)" != 0 ]; then
	t_skip faults/disk-full-unpack "needs root to mount a tmpfs"
elif ! unshare -m mount -t tmpfs -o size=1m ka-test "$full" 2>"$out"; then
	t_skip faults/disk-full-unpack "cannot mount a tmpfs here: $(tail -n 1 "$out")"
else
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m bash -c '
		full=$1 S=$2 out=$3
		mount -t tmpfs -o size=1m ka-test "$full" || exit 1
		rc=0
		KEEPALIVE_WORK=$full/w "$S/apply" 6.6p1 >"$out.1" 2>&1 || rc=$?
		echo "$rc" >"$out.rc1"
		find "$full/w" -printf "%P\n" >"$out.ls1"
		mount -o remount,size=16m "$full"
		rc=0
		KEEPALIVE_WORK=$full/w "$S/apply" 6.6p1 >"$out.2" 2>&1 || rc=$?
		echo "$rc" >"$out.rc2"
		find "$full/w" -printf "%P\n" >"$out.ls2"
		umount "$full"
	' full "$full" "$S" "$out" || true
	why=$(
		[ "$(cat "$out.rc1" 2>/dev/null)" = 1 ] ||
			echo "apply on a full disk exited $(cat "$out.rc1" 2>/dev/null), expected 1: $(tail -n 3 "$out.1" 2>/dev/null)"
		grep -q "cannot unpack $cache/openssh-6.6p1.tar.gz into $full/w/6.6p1/patched ([0-9]* KiB free there): tar: .*big" "$out.1" ||
			echo "no message naming the tarball: $(tail -n 3 "$out.1")"
		! grep -q 'src' "$out.ls1" || echo "left on the full disk: $(grep src "$out.ls1" | head -n 3)"
		[ "$(cat "$out.rc2")" = 0 ] || echo "rerun exited $(cat "$out.rc2"): $(tail -n 3 "$out.2")"
		grep -q '^6.6p1/patched/src/openssh-6.6p1/big$' "$out.ls2" || echo "rerun: no tree"
		! grep -q 'src\.new\|src\.old' "$out.ls2" || echo "rerun: scratch tree left"
		! mountpoint -q "$full" || echo "tmpfs still mounted"
	) || true
	verdict faults/disk-full-unpack "$why"
fi

# 7. Matrix runs at once: two on one work directory and one cache, a third
# on another work directory and the same cache.  The second on the same
# work directory waits for the first (a lock), the tarball is downloaded
# once, every run passes with a clean table, nothing is half-written.
fx_release 6.7p1
echo '6.7p1 t1' >"$KEEPALIVE_SUBSET"
"$S/matrix" 6.7p1 >"$out.a" 2>&1 &
a=$!
"$S/matrix" 6.7p1 >"$out.b" 2>&1 &
b=$!
KEEPALIVE_WORK=$FX/work2 "$S/matrix" 6.7p1 >"$out.c" 2>&1 &
c=$!
ra=0 rb=0 rc=0
wait $a || ra=$?
wait $b || rb=$?
wait $c || rc=$?
why=$(
	[ "$ra $rb $rc" = "0 0 0" ] || echo "exit statuses $ra $rb $rc: $(tail -n 3 "$out.a" "$out.b" "$out.c")"
	[ "$(cat "$out.a" "$out.b" | grep -c "waiting for lock $work/results/matrix.lock")" = 1 ] ||
		echo "the runs on one work directory did not take turns"
	[ "$(cat "$out.a" "$out.b" "$out.c" | grep -c 'trying file://')" = 1 ] ||
		echo "downloaded $(cat "$out.a" "$out.b" "$out.c" | grep -c 'trying file://') times"
	[ "$(sha "$cache/openssh-6.7p1.tar.gz")" = "$(sha "$FX/mirror/openssh-6.7p1.tar.gz")" ] ||
		echo "the cached tarball differs"
	for w in "$work" "$FX/work2"; do
		[ "$(grep -c '^release=' "$w/results/6.7p1-patched.status")" = 1 ] ||
			echo "$w: status file written by two runs"
		[ "$(awk -F'\t' '$1 == "6.7p1" { print $8, $9 }' "$w/results/matrix.tsv")" = "1-0-0 PASS" ] ||
			echo "$w: table: $(cat "$w/results/matrix.tsv")"
	done
	consistent 6.7p1
) || true
verdict faults/concurrent-matrix "$why"
