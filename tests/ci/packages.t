#!/bin/bash
# The Debian packages the scripts and the test suite need
# (scripts/lib.sh KA_BUILD_PACKAGES, KA_TEST_PACKAGES) are installed:
# .ci/run installs them, and one that could not be installed fails here,
# named, rather than turning the tests that need it into skips.
. "$(dirname "$0")/../lib.sh"

if ! command -v dpkg-query >/dev/null; then
	t_skip ci/packages "no dpkg-query: not a Debian system (README.md lists what the tests need)"
	exit 0
fi
missing=$(bash -c '. "$1/scripts/lib.sh" && ka_missing_packages "${KA_BUILD_PACKAGES[@]}" "${KA_TEST_PACKAGES[@]}"' \
	packages "$T_TOP" | tr '\n' ' ')
if [ -z "$missing" ]; then
	t_pass ci/packages
else
	t_fail ci/packages "not installed: $missing(apt-get install --no-install-recommends $missing)"
fi
