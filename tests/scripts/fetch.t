#!/bin/bash
# scripts/fetch: verification (sha256, signatures), unknown releases, no
# source, interrupted downloads.  Synthetic releases; no network.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

out=$FX/out
cache=$KEEPALIVE_CACHE

# run NAME EXPECTED-STATUS ARGS...: fetch, output in $out.
run() {
	local rc=0 want=$1
	shift
	"$S/fetch" "$@" >"$out" 2>&1 || rc=$?
	[ "$rc" = "$want" ] && return 0
	echo "fetch $* exited $rc, expected $want: $(tail -n 5 "$out")"
	return 1
}

has() { grep -qF -- "$1" "$out"; }

# Keys: A is in our keyring, B is not.
fx_key A
fpr_a=$FX_FPR
fx_key B
GNUPGHOME=$FX/gnupg-A gpg --batch --armor --export 2>/dev/null >>"$KEEPALIVE_KEYS/openssh.asc"

# 1. Good signature from the mirror.
fx_release 1.0p1
fx_sign A "$FX/mirror/openssh-1.0p1.tar.gz"
if why=$(run 0 1.0p1); then
	if has "signature: good ($fpr_a)" && has "verified:  sha256 ok" &&
		has "from:      file://$FX/mirror/openssh-1.0p1.tar.gz"; then
		t_pass fetch/good-signature
	else
		t_fail fetch/good-signature "$(cat "$out")"
	fi
else
	t_fail fetch/good-signature "$why"
fi
# From the cache the second time, verified again.
if why=$(run 0 1.0p1) && has "from:      cache" && has "signature: good ($fpr_a)"; then
	t_pass fetch/cache-reverified
else
	t_fail fetch/cache-reverified "${why:-$(cat "$out")}"
fi

# 2. No signature: "sha256 only", never "good".
fx_release 1.1p1
if run 0 1.1p1 && has "signature: sha256 only" && ! has "signature: good"; then
	t_pass fetch/no-signature-reported
else
	t_fail fetch/no-signature-reported "$(cat "$out")"
fi

# 3. Signature by a key that is not in our keyring.
fx_release 1.2p1
fx_sign B "$FX/mirror/openssh-1.2p1.tar.gz"
if run 1 1.2p1 && has "not in keys/openssh.asc" &&
	[ ! -e "$cache/openssh-1.2p1.tar.gz" ] && [ ! -e "$cache/openssh-1.2p1.tar.gz.asc" ]; then
	t_pass fetch/unknown-key-rejected
else
	t_fail fetch/unknown-key-rejected "$(cat "$out")"
fi

# 4. One byte changed after signing: both the signature and the sum fail.
fx_release 1.3p1
fx_sign A "$FX/mirror/openssh-1.3p1.tar.gz"
printf 'X' | dd of="$FX/mirror/openssh-1.3p1.tar.gz" bs=1 seek=100 conv=notrunc status=none
if run 1 1.3p1 && has "BAD signature" && has "sha256 mismatch" &&
	[ ! -e "$cache/openssh-1.3p1.tar.gz" ]; then
	t_pass fetch/changed-byte-rejected
else
	t_fail fetch/changed-byte-rejected "$(cat "$out")"
fi

# 5. Wrong checksum of a tarball in the cache: rejected, named, removed.
fx_release 1.4p1
echo 'not the release' | gzip >"$cache/openssh-1.4p1.tar.gz"
actual=$(sha256sum "$cache/openssh-1.4p1.tar.gz" | cut -d' ' -f1)
expected=$(sha256sum "$FX/mirror/openssh-1.4p1.tar.gz" | cut -d' ' -f1)
if run 1 1.4p1 &&
	has "sha256 mismatch for $cache/openssh-1.4p1.tar.gz: expected $expected, got $actual" &&
	[ ! -e "$cache/openssh-1.4p1.tar.gz" ]; then
	t_pass fetch/wrong-checksum-removed
else
	t_fail fetch/wrong-checksum-removed "$(cat "$out")"
fi

# 6. Unknown release: the supported ones are listed.
if run 2 9.9p9 && has "unknown release '9.9p9'" && has "1.0p1 1.1p1"; then
	t_pass fetch/unknown-release-lists-supported
else
	t_fail fetch/unknown-release-lists-supported "$(cat "$out")"
fi

# 7. No source anywhere: exit 3, every source tried, how to supply one.
fx_record "openssh 1.5p1 openssh-1.5p1.tar.gz $expected V_1_5_P1 $(printf '%040d' 0) system - - -"
if run 3 1.5p1 && has "cache $cache: no openssh-1.5p1.tar.gz" &&
	has "file://$FX/mirror/openssh-1.5p1.tar.gz:" && has "Debian: no suite for openssh 1.5p1" &&
	has "git $OPENSSH_GIT" && has "--cache DIR" && has "--openssh-git" &&
	[ -s "$KEEPALIVE_WORK/1.5p1/source.unavailable" ]; then
	t_pass fetch/no-source-lists-tried
else
	t_fail fetch/no-source-lists-tried "$(cat "$out")"
fi

# 8. Interrupted download: a download that is killed half way leaves no
# tarball under its final name, and the next run succeeds.
fx_release 1.6p1
mkdir -p "$FX/bin"
cat >"$FX/bin/curl" <<EOF
#!/bin/sh
# A slow download: writes half the file, then hangs.
while [ \$# -gt 1 ]; do [ "\$1" = -o ] && out=\$2; shift; done
head -c 1000 "\${1#file://}" >"\$out"
touch "$FX/curl-started"
exec sleep 60
EOF
chmod +x "$FX/bin/curl"
PATH=$FX/bin:$PATH setsid "$S/fetch" 1.6p1 >"$out" 2>&1 &
pid=$!
for _ in $(seq 100); do
	[ -e "$FX/curl-started" ] && break
	sleep 0.1
done
kill -TERM -- "-$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [ -e "$FX/curl-started" ] && [ ! -e "$cache/openssh-1.6p1.tar.gz" ] &&
	run 0 1.6p1 && has "sha256 ok" &&
	[ -z "$(find "$cache" -name 'openssh-1.6p1.tar.gz.part.*')" ]; then
	t_pass fetch/interrupted-rerun
else
	t_fail fetch/interrupted-rerun "$(cat "$out")"
fi

# 9. What fetch records for the later stages.
if [ "$(sed -n 's/^openssh_signature=//p' "$KEEPALIVE_WORK/1.0p1/source")" = "good ($fpr_a)" ]; then
	t_pass fetch/source-recorded
else
	t_fail fetch/source-recorded "$(cat "$KEEPALIVE_WORK/1.0p1/source")"
fi

# 10. Git: the tag must resolve to the pinned commit; the archive is made
# from that commit; an unsigned tag is reported as such.
g=$FX/git-repo
fx_tree "$g"
git -C "$g" init -q
git -C "$g" -c user.name=T -c user.email=t@example.invalid add -A
git -C "$g" -c user.name=T -c user.email=t@example.invalid commit -q -m release
git -C "$g" -c user.name=T -c user.email=t@example.invalid tag -a -m v V_1_7_P1
commit=$(git -C "$g" rev-parse HEAD)
fx_record "openssh 1.7p1 openssh-1.7p1.tar.gz - V_1_7_P1 $commit system - - -"
fx_record "openssh 1.8p1 openssh-1.8p1.tar.gz - V_1_7_P1 $(printf '%040d' 1) system - - -"
if run 0 --openssh-git "$g" 1.7p1 && has "verified:  git commit $commit verified" &&
	has "signature: git commit only (tag V_1_7_P1 is not signed)" &&
	tar -tzf "$cache/openssh-1.7p1-git-${commit:0:12}.tar.gz" | grep -x 'openssh-1.7p1/configure' >/dev/null; then
	t_pass fetch/git-commit-verified
else
	t_fail fetch/git-commit-verified "$(cat "$out")"
fi
if run 1 --openssh-git "$g" 1.8p1 &&
	has "tag V_1_7_P1 is commit $commit, but upstream-version pins $(printf '%040d' 1)"; then
	t_pass fetch/git-wrong-commit-rejected
else
	t_fail fetch/git-wrong-commit-rejected "$(cat "$out")"
fi

# 11. A read-only copy of a repository that git cannot open as it stands
# (no refs/, as a copy that drops empty directories leaves it; shallow, as
# ../shared/upstream/openssl.git is): read through a shadow under the cache,
# the archive dated by the commit, the copy left as it was.
ro=$FX/ro.git
git clone -q --bare --depth 1 "file://$g" "$ro"
git -C "$ro" pack-refs --all
rm -rf "$ro/refs"
[ -f "$ro/shallow" ] || echo "no shallow file" >&2
chmod -R a-w "$ro"
before=$(cd "$ro" && find . -type f -exec sha256sum {} + | sort)
rm -rf "$cache"/openssh-1.7p1-git-*
if run 0 --openssh-git "$ro" 1.7p1 && has "verified:  git commit $commit verified" &&
	[[ $(tar -tvzf "$cache/openssh-1.7p1-git-${commit:0:12}.tar.gz") == *" $(date +%Y)-"* ]] &&
	[ "$before" = "$(cd "$ro" && find . -type f -exec sha256sum {} + | sort)" ]; then
	t_pass fetch/git-copy-without-refs-and-shallow
else
	t_fail fetch/git-copy-without-refs-and-shallow "$(tail -n 5 "$out"; tar -tvzf "$cache/openssh-1.7p1-git-${commit:0:12}.tar.gz" 2>&1 | head -n 1)"
fi
chmod -R u+w "$ro"
