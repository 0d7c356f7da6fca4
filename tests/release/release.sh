# shellcheck shell=bash
# tests/release/release.sh: the slow end-to-end test of one release,
# sourced by tests/release/*.t after tests/lib.sh.
#
# release_test RELEASE [SIGNATURE]: fetch (the release's Debian suite or
# whatever source is configured), check how it was verified (SIGNATURE:
# the expected "signature:" value; without it, any good signature or none,
# never a bad one), build the release unpatched and
# patched (release_gcc14: nothing in the build that GCC >= 14 refuses;
# release_configure_strict: configure runs through under GCC 14's errors),
# run the curated regress tests on both, and check that every
# test the unpatched release passes also passes patched (the series with
# keepalive options unset changes nothing upstream's tests see), and that
# our keepalive test passes patched.  The shared work directory
# (KEEPALIVE_WORK, as t_build) and download cache are used, so the other
# tests reuse the builds.

# release_gcc14 RELEASE VARIANT: the build's make.log has none of the
# warnings GCC >= 14 (Debian 13) makes errors: whichever GCC built it, the
# release builds on Debian 13 too (the build fixes see to it).
RELEASE_GCC14='\[-W(error=)?(implicit-function-declaration|implicit-int|int-conversion|incompatible-pointer-types|return-mismatch|declaration-missing-parameter-type)\]'
release_gcc14() {
	gcc14_log "$1/$2/build-gcc14" "${KEEPALIVE_WORK:-$T_TOP/work}/$1/$2/logs/make.log"
}

# In C89 (-std=gnu89, -std=c89) implicit declarations and implicit int are
# C, and GCC 14 leaves them warnings there.
RELEASE_GCC14_C89='\[-W(error=)?(int-conversion|incompatible-pointer-types|return-mismatch|declaration-missing-parameter-type)\]'

# release_configure_gcc14 RELEASE VARIANT: the same for configure's
# config.log, whose test programs GCC >= 14 must compile as GCC 12 does (a
# refused one turns a "yes" into a silent "no"), in the C dialect configure
# chose: the legacy releases, whose dialect upstream-version gives
# (ac_cv_prog_cc_c89=-std=gnu89).
release_configure_gcc14() {
	local log re=$RELEASE_GCC14
	log=$(release_config_log "$1" "$2")
	if [ -n "$log" ] && release_c89 "$log"; then
		re=$RELEASE_GCC14_C89
	fi
	gcc14_log "$1/$2/configure-gcc14" "${log:-$1/$2/src/*/config.log}" "$re"
}

# release_config_log RELEASE VARIANT: the path of the build's config.log
# (nothing when there is none).
release_config_log() {
	find "${KEEPALIVE_WORK:-$T_TOP/work}/$1/$2/src" -mindepth 2 -maxdepth 2 \
		-name config.log 2>/dev/null | head -n 1
}

# release_c89 LOG: configure, whose config.log LOG is, chose C89 (gnu89).
release_c89() { grep -Eq '^ac_cv_prog_cc_c89=.?-std=(gnu|c)89' "$1"; }

# release_configure_strict RELEASE VARIANT: configure, run again in a copy
# of the built tree with the arguments the build gave it, and with GCC 12
# turning into errors what GCC >= 14 (Debian 13) refuses, runs to its end:
# a test program GCC >= 14 refuses makes configure stop at its first check
# ("compiler and flags for sanity") on releases up to 8.3p1 without the
# build fix.  Every check of the release's own configure.ac runs again;
# only the answers of autoconf's own generic checks (a function, header,
# library, type, member or size exists: programs autoconf writes, with
# their declarations, which GCC 14 compiles as GCC 12 does) are taken
# from the build's cache, which makes the run about three times cheaper
# (README, "Which releases CI builds").  The releases configured as C89
# (gnu89: implicit declarations stay warnings there) are left to
# release_configure_gcc14.
RELEASE_GCC14_ERRORS='-Werror=implicit-function-declaration -Werror=implicit-int -Werror=int-conversion -Werror=incompatible-pointer-types'
RELEASE_GENERIC_CHECKS='^ac_cv_(func|header|lib|search|type|member|sizeof)_'
release_configure_strict() {
	local name=$1/$2/configure-gcc14-errors src log args cache tmp rc=0
	log=$(release_config_log "$1" "$2")
	if [ -z "$log" ]; then
		t_fail "$name" "no config.log in $1/$2/src/*"
		return 0
	fi
	! release_c89 "$log" || return 0
	src=${log%/config.log}
	# The invocation line: "  $ ./configure ARGS" (the build's arguments
	# are paths and NAME=VALUE words without spaces).
	args=$(sed -n 's/^  \$ \.\/configure //p' "$log" | head -n 1 | tr ' ' '\n')
	cache=$(sed -n 's/^--cache-file=//p' <<<"$args")
	args=$(grep -v '^--cache-file=' <<<"$args" | tr '\n' ' ')
	tmp=$T_TMP/$1-$2-strict
	rm -rf "$tmp"
	cp -a "$src" "$tmp"
	rm -f "$tmp/config.cache"
	grep -E "$RELEASE_GENERIC_CHECKS" "${cache:-/dev/null}" >"$tmp.cache" 2>/dev/null || :
	# shellcheck disable=SC2086 # ARGS are words
	(cd "$tmp" && ./configure --cache-file="$tmp.cache" $args \
		CC="${CC:-gcc} $RELEASE_GCC14_ERRORS") >"$tmp.log" 2>&1 || rc=$?
	if [ $rc = 0 ]; then
		t_pass "$name"
	else
		t_fail "$name" "configure exit $rc with $RELEASE_GCC14_ERRORS: $(grep -E '^(checking|configure: error)' "$tmp.log" | tail -n 2 | tr '\n' ' ')"
	fi
	rm -rf "$tmp" "$tmp.log" "$tmp.cache"
}

# gcc14_log NAME LOG [RE]: pass NAME when LOG has no warning of RE
# (default RELEASE_GCC14).
gcc14_log() {
	local name=$1 log=$2 re=${3:-$RELEASE_GCC14} found
	if [ ! -f "$log" ]; then
		t_fail "$name" "no $log"
	elif found=$(grep -E "$re" "$log"); then
		t_fail "$name" "$(wc -l <<<"$found") warnings GCC >= 14 makes errors, in $log: $(head -n 2 <<<"$found" | cut -c1-200)"
	else
		t_pass "$name"
	fi
}

release_test() {
	local rel=$1 sig=${2:-} s=$T_TOP/scripts out rc variant flag line status
	local name why
	out=$T_TMP/$rel
	t_fetch "$rel" "$rel" "$out.fetch" || return 0
	if { if [ -n "$sig" ]; then grep -qxF "  signature: $sig" "$out.fetch"
		else grep -Eq '^  signature: (.*: )?(good \(|sha256 only|git commit only)' "$out.fetch"; fi; } &&
		grep -Eq '^  verified:  (sha256 ok|git commit [0-9a-f]{40} verified)$' "$out.fetch"; then
		t_pass "$rel/fetch"
	else
		t_fail "$rel/fetch" "expected signature: $sig; got: $(grep -E 'verified|signature' "$out.fetch")"
	fi
	for variant in unpatched patched; do
		flag=
		[ $variant = patched ] || flag=--unpatched
		if ! "$s/build" $flag "$rel" >"$out.build-$variant" 2>&1; then
			t_fail "$rel/$variant/build" "$(tail -n 8 "$out.build-$variant")"
			return 0
		fi
		t_pass "$rel/$variant/build"
		release_gcc14 "$rel" "$variant"
		[ $variant = unpatched ] || release_configure_strict "$rel" "$variant"
		rc=0
		"$s/regress" $flag "$rel" >"$out.regress-$variant" 2>&1 || rc=$?
		while IFS= read -r line; do
			status=${line%% *}
			name=${line#* }
			name=${name%% *}
			why=
			[[ $line != *'): '* ]] || why=${line#*): }
			case $status in
			PASS) t_pass "$rel/$variant/regress/$name" ;;
			SKIP) t_skip "$rel/$variant/regress/$name" "$why" ;;
			FAIL) t_fail "$rel/$variant/regress/$name" "$why" ;;
			esac
		done <"$out.regress-$variant"
		if [ $rc != 0 ] && ! grep -q '^FAIL ' "$out.regress-$variant"; then
			t_fail "$rel/$variant/regress" "$(tail -n 5 "$out.regress-$variant")"
		fi
	done
	# Same results: a test passed unpatched passes patched.
	why=$(awk '$1 == "PASS" { print $2 }' "$out.regress-unpatched" |
		while read -r name; do
			grep -q "^PASS $name " "$out.regress-patched" ||
				printf '%s ' "$name"
		done)
	if [ -z "$why" ] && grep -q '^PASS keepalive ' "$out.regress-patched"; then
		t_pass "$rel/regress-same-as-unpatched"
	else
		t_fail "$rel/regress-same-as-unpatched" "passed unpatched, not patched: ${why:-none}; keepalive: $(grep '^[A-Z]* keepalive ' "$out.regress-patched" || echo 'not run')"
	fi
}
