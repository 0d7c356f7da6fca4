#!/bin/bash
# OpenSSH 4.3p2 and 3.7.1p2 unpatched and patched, end to end, from
# upstream git (no tarball of theirs has a confirmed sha256) against the
# private OpenSSL 1.0.2: build, curated regress on both, same results;
# nothing in the build or configure's test programs that GCC 14 refuses.
# Their sources come from OPENSSH_GIT and OPENSSL_GIT (.ci/run points them
# at ../shared/upstream when it is there).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/release.sh"

for rel in 4.3p2 3.7.1p2; do
	t_selected "$rel" || continue
	release_test "$rel" "git commit only (tag $(awk -v r="$rel" '$1 == "openssh" && $2 == r { print $5 }' "$T_TOP/upstream-version") is not annotated)"
	# configure's K&R test programs compile under GCC 14 too (gnu89).
	for variant in unpatched patched; do
		[ ! -d "${KEEPALIVE_WORK:-$T_TOP/work}/$rel/$variant/src" ] ||
			release_configure_gcc14 "$rel" "$variant"
	done
done
