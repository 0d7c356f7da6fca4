#!/bin/bash
# OpenSSH 4.3p2 and 3.7.1p2 unpatched and patched, end to end, from
# upstream git (no tarball of theirs has a confirmed sha256) against the
# private OpenSSL 1.0.2: build, curated regress on both, same results.
# Runs only when OPENSSH_GIT and OPENSSL_GIT name local clones, and builds
# only once patches/RELEASE/series lists the build fixes (NNNN-build-*).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/release.sh"

for rel in 4.3p2 3.7.1p2; do
	if [ ! -d "${OPENSSH_GIT:-}" ] || [ ! -d "${OPENSSL_GIT:-}" ]; then
		t_skip "$rel" "set OPENSSH_GIT and OPENSSL_GIT to local clones of openssh-portable and openssl"
	elif ! grep -qs '^[0-9]*-build-.*\.patch' "$T_TOP/patches/$rel/series"; then
		t_skip "$rel" "patches/$rel/series lists no build fixes (NNNN-build-*.patch) yet"
	else
		release_test "$rel" "git commit only (tag $(awk -v r="$rel" '$1 == "openssh" && $2 == r { print $5 }' "$T_TOP/upstream-version") is not annotated)"
	fi
done
