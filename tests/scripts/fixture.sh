# shellcheck shell=bash disable=SC2034,SC2016 # globals for the .t files; make syntax in quotes
# tests/scripts/fixture.sh: synthetic releases for the tests of scripts/,
# sourced after tests/lib.sh.  Everything lives in the test's temporary
# directory: work dir, cache, upstream-version, patches, keys and a file://
# mirror, so no network is needed and nothing real is touched.
#
#   fx_release VERSION [KEEP]  make openssh-VERSION.tar.gz in the mirror
#                        and a record for it (KEEP=keep: tarball only)
#   fx_record LINE       add a line to the synthetic upstream-version
#   fx_key NAME          make a throwaway signing key; FX_FPR is its
#                        fingerprint, FX_GNUPG its GNUPGHOME
#   fx_sign NAME FILE    detached armored signature FILE.asc with key NAME

FX=$T_TMP
export KEEPALIVE_WORK=$FX/work
export KEEPALIVE_CACHE=$FX/cache
export KEEPALIVE_UPSTREAM_VERSION=$FX/upstream-version
export KEEPALIVE_PATCHES=$FX/patches
export KEEPALIVE_KEYS=$FX/keys
export KEEPALIVE_SUBSET=$FX/regress.subset
export OPENSSH_MIRROR=file://$FX/mirror
export OPENSSH_GIT=$FX/no-such-git
export OPENSSL_GIT=$FX/no-such-git
export KEEPALIVE_CONNECT_TIMEOUT=2
unset KEEPALIVE_JOBS KEEPALIVE_QUIET
S=$T_TOP/scripts
mkdir -p "$FX/mirror" "$FX/cache" "$FX/patches" "$FX/keys" "$FX/src"
echo '# synthetic releases for tests' >"$KEEPALIVE_UPSTREAM_VERSION"
: >"$KEEPALIVE_SUBSET"
# Keys of a real upstream must not verify anything here.
cp "$T_TOP/keys/openssh.asc" "$FX/keys/openssh.asc"

fx_record() { echo "$*" >>"$KEEPALIVE_UPSTREAM_VERSION"; }

# A tree that looks like an OpenSSH release to the scripts: configure,
# make (FX_MAKE_SLEEP seconds long), a regress suite with a passing, a
# failing and a skipping test.
fx_tree() {
	local d=$1
	mkdir -p "$d/regress"
	cat >"$d/configure" <<'EOF'
#!/bin/sh
echo "$@" >configure.args
echo configured >config.status
EOF
	chmod +x "$d/configure"
	printf '%s\n' 'all:' \
		'	sleep $${FX_MAKE_SLEEP:-0}' \
		'	echo built >built.txt' \
		't-exec file-tests:' \
		'	$(MAKE) -C regress $@' >"$d/Makefile"
	printf '%s\n' 'REGRESS_TARGETS=	t1' \
		'LTESTS=	good bad skipper' \
		'file-tests: $(REGRESS_TARGETS)' \
		't1:' \
		'	@echo t1 ok' \
		't-exec:' \
		'	@for t in $(LTESTS); do sh ./$$t.sh || exit 1; done' \
		>"$d/regress/Makefile"
	echo '# PORT=4242, unless TEST_SSH_PORT is set' >"$d/regress/test-exec.sh"
	echo 'echo "good on port $TEST_SSH_PORT"' >"$d/regress/good.sh"
	printf '%s\n' 'echo "bad: FAILED on purpose"' 'exit 1' >"$d/regress/bad.sh"
	echo 'echo "SKIPPED: not on this system"' >"$d/regress/skipper.sh"
	printf 'line one\nline two\nline three\n' >"$d/file.txt"
}

fx_release() {
	local ver=$1 keep=${2:-} sha
	rm -rf "$FX/src/openssh-$ver"
	fx_tree "$FX/src/openssh-$ver"
	tar -czf "$FX/mirror/openssh-$ver.tar.gz" -C "$FX/src" "openssh-$ver"
	sha=$(sha256sum "$FX/mirror/openssh-$ver.tar.gz" | cut -d' ' -f1)
	[ "$keep" = keep ] ||
		fx_record "openssh $ver openssh-$ver.tar.gz $sha - - system - - -"
	mkdir -p "$FX/patches/$ver"
}

# A patch against fx_tree's file.txt: fx_patch FILE OLD NEW
fx_patch() {
	local f=$1 old=$2 new=$3
	cat >"$f" <<EOF
From: Test <test@example.invalid>
Subject: change $old

---
diff --git a/file.txt b/file.txt
--- a/file.txt
+++ b/file.txt
@@ -1,3 +1,3 @@
 line one
-$old
+$new
 line three
EOF
}

fx_key() {
	FX_GNUPG=$FX/gnupg-$1
	mkdir -p "$FX_GNUPG"
	chmod 700 "$FX_GNUPG"
	GNUPGHOME=$FX_GNUPG gpg --batch --quiet --pinentry-mode loopback \
		--passphrase '' --quick-gen-key "Test $1 <$1@example.invalid>" \
		ed25519 sign 1d 2>/dev/null
	FX_FPR=$(GNUPGHOME=$FX_GNUPG gpg --batch --with-colons --list-keys 2>/dev/null |
		awk -F: '$1 == "fpr" { print $10; exit }')
}

fx_sign() {
	GNUPGHOME=$FX/gnupg-$1 gpg --batch --quiet --pinentry-mode loopback \
		--passphrase '' --armor --detach-sign -o "$2.asc" "$2"
}

fx_cleanup() {
	local g
	for g in "$FX"/gnupg-*; do
		[ -d "$g" ] && gpgconf --homedir "$g" --kill all 2>/dev/null
	done
	return 0
}
trap 'fx_cleanup; rm -rf "$T_TMP"' EXIT
