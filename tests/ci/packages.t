#!/bin/bash
# The Debian packages the scripts and the test suite need
# (scripts/lib.sh KA_BUILD_PACKAGES, KA_TEST_PACKAGES, and those of
# KA_IF_AVAILABLE_PACKAGES this host's archive has) are installed: .ci/run
# installs them, and one that could not be installed fails here, named,
# rather than turning the tests that need it into skips.  The lists hold no
# fixed LLVM version.  Without dpkg the dependency check goes by command,
# header and file (KA_PACKAGE_CHECKS): every package has a row, each row's
# check agrees with dpkg here, and with dpkg-query hidden the check names
# what is missing, not every package.
. "$(dirname "$0")/../lib.sh"
shopt -s extglob

# lib CODE ARGS...: bash -c CODE with scripts/lib.sh sourced.
lib() {
	local code=$1
	shift
	bash -c ". \"\$0/scripts/lib.sh\"; $code" "$T_TOP" "$@"
}

# shellcheck disable=SC2016 # code for lib's shell
all=$(lib 'printf "%s\n" "${KA_BUILD_PACKAGES[@]}" "${KA_TEST_PACKAGES[@]}" "${KA_IF_AVAILABLE_PACKAGES[@]}"')
# What .ci/run installs here: the lists, and the optional ones this
# host's archive has.
# shellcheck disable=SC2016 # code for lib's shell
mapfile -t pkgs < <(lib 'printf "%s\n" "${KA_BUILD_PACKAGES[@]}" "${KA_TEST_PACKAGES[@]}"
	ka_available_packages "${KA_IF_AVAILABLE_PACKAGES[@]}"')

# No package named after one LLVM release (libclang-rt-14-dev is not in
# Debian 13, llvm-toolchain-19 not in Debian 12).
pinned=$(grep -E -- '-[0-9]+(\.[0-9]+)?-dev$|^(clang|llvm|lld)-[0-9]+$' <<<"$all" | tr '\n' ' ' || true)
if [ -z "$pinned" ]; then
	t_pass ci/packages-no-llvm-version
else
	t_fail ci/packages-no-llvm-version "versioned LLVM packages: $pinned(use the llvm-defaults ones: clang, libclang-rt-dev)"
fi

# Every package has a row of checks, every check is of a known kind.
why=
while read -r p; do
	# shellcheck disable=SC2016 # code for lib's shell
	if ! row=$(lib 'ka_package_row "$1" && printf "%s\n" "$KA_PKG_CHECK"' "$p"); then
		why="$why $p: no row in KA_PACKAGE_CHECKS;"
		continue
	fi
	for c in $(tr ',|' '  ' <<<"$row"); do
		[[ $c == @(cmd|file|header|python):?* || $c == m32 || $c == fuzzer ]] ||
			why="$why $p: unknown check '$c';"
	done
done <<<"$all"
if [ -z "$why" ]; then
	t_pass ci/packages-checks-complete
else
	t_fail ci/packages-checks-complete "$why"
fi

# The commands fetch, apply, build and regress run themselves are given by
# KA_BUILD_PACKAGES (which scripts/matrix installs): gpg (ka_keyring) and
# gpgv (ka_verify_sig) check signatures, flock the locks, unshare and ip
# the regress namespaces (and mount their /proc in a chroot), useradd
# sshd's user, ps the keepalive regress test (tests/regress/keepalive.sh),
# nroff the legacy man pages.
# shellcheck disable=SC2016 # code for lib's shell
build=$(lib 'for p in "${KA_BUILD_PACKAGES[@]}"; do ka_package_row "$p" && echo "$KA_PKG_CHECK"; done' |
	sed 's/[,|]/\n/g')
why=
for c in autoreconf curl flock gcc git gpg gpgv ip m4 make mount nroff patch perl ps tar unshare useradd; do
	grep -qx "cmd:$c" <<<"$build" || why="$why $c;"
done
if [ -z "$why" ]; then
	t_pass ci/packages-build-commands
else
	t_fail ci/packages-build-commands "no package of KA_BUILD_PACKAGES gives:$why"
fi

if ! command -v dpkg-query >/dev/null; then
	t_skip ci/packages "no dpkg-query: not a Debian system (README.md lists what the tests need)"
	t_skip ci/packages-checks-agree-with-dpkg "no dpkg-query to agree with"
else
	# shellcheck disable=SC2016 # code for lib's shell
	missing=$(lib 'ka_missing_packages "$@"' "${pkgs[@]}" | tr '\n' ' ')
	if [ -z "$missing" ]; then
		t_pass ci/packages
	else
		t_fail ci/packages "not installed: $missing(apt-get install --no-install-recommends $missing)"
	fi
	# What dpkg says is installed, the checks find (a check naming the
	# wrong command or header would call it missing on hosts without dpkg).
	why=
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || continue
		# shellcheck disable=SC2016 # code for lib's shell
		out=$(lib 'ka_package_check "$1" || { echo "$KA_PKG_MISSING"; exit 1; }' "$p") ||
			why="$why $p is installed but its check finds no $out;"
	done
	if [ -z "$why" ]; then
		t_pass ci/packages-checks-agree-with-dpkg
	else
		t_fail ci/packages-checks-agree-with-dpkg "$why"
	fi
fi

# Without dpkg: the check of scripts/matrix with dpkg-query, patch and quilt
# hidden and a compiler that finds no header names those (by command and
# header, with the Debian and Fedora/RHEL packages), not the others.
path=$(t_path_without dpkg-query patch quilt)
out=$(t_tmpdir)/nodpkg.out
rc=0
# shellcheck disable=SC2016 # code for lib's shell
PATH=$path CC="cc -nostdinc" lib 'ka_install_packages "${KA_BUILD_PACKAGES[@]}" quilt' \
	>"$out" 2>&1 || rc=$?
why=
[ $rc = 1 ] || why="exit $rc, expected 1;"
for want in 'command patch (Debian: patch; Fedora/RHEL: patch)' \
	'header zlib.h (Debian: zlib1g-dev; Fedora/RHEL: zlib-devel)' \
	'header openssl/evp.h (Debian: libssl-dev; Fedora/RHEL: openssl-devel)' \
	'command quilt (Debian: quilt; Fedora/RHEL: quilt)' \
	'dnf install glibc-devel openssl-devel patch zlib-devel quilt'; do
	grep -qF -- "$want" "$out" || why="$why no line '$want';"
done
for p in git make curl gcc tar perl apt-get; do
	! grep -qw -- "$p" "$out" || why="$why names $p, which is here;"
done
if [ -z "$why" ]; then
	t_pass ci/packages-without-dpkg-named
else
	t_fail ci/packages-without-dpkg-named "$why $(tr '\n' ' ' <"$out")"
fi
