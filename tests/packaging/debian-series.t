#!/bin/bash
# Debian's source packages, as the archive has them today (security updates
# included): for each release with Debian variants (patches/debian/RELEASE/),
# scripts/debian-source adds our series after Debian's patches and
# dpkg-source applies it with zero fuzz; the series without the variants
# does not apply there (else the variants would be needless).  Fast: no
# build (tests/packaging/debian.t builds bookworm's).  Skipped when
# Debian's archive cannot be reached.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

if ! command -v dpkg-source >/dev/null; then
	t_skip debian-series "dpkg-source not found (apt-get install dpkg-dev)"
	exit 0
fi
for dir in "$T_TOP"/patches/debian/*/; do
	[ -d "$dir" ] || continue
	rel=$(basename "$dir")
	rc=0
	tree=$("$T_TOP/scripts/debian-source" --out "$T_TMP/$rel" "$rel" \
		2>"$T_TMP/$rel.log") || rc=$?
	if [ $rc = 3 ]; then
		t_skip "debian-series/$rel" "Debian's source package cannot be had: $(grep error: "$T_TMP/$rel.log" | tail -n 1)"
		continue
	elif [ $rc != 0 ]; then
		t_fail "debian-series/$rel/applies" "$(grep -E 'error|FAILED' "$T_TMP/$rel.log" | tail -n 3)"
		continue
	fi
	echo "Debian's openssh $(sed -n '1s/.*(\(.*\)).*/\1/p' "$tree/debian/changelog")"
	t_pass "debian-series/$rel/applies"

	# Each variant is needed: the release's patch of that name does not
	# apply at its place in Debian's stack.
	for v in "$dir"/*.patch; do
		name=$(basename "$v")
		(cd "$tree" && QUILT_PATCHES=debian/patches quilt --quiltrc /dev/null \
			pop -q "$name" >/dev/null 2>&1 && QUILT_PATCHES=debian/patches \
			quilt --quiltrc /dev/null pop -q >/dev/null 2>&1) || true
		if [ "$(tail -n 1 "$tree/.pc/applied-patches" 2>/dev/null)" != "$(grep -B1 -xF "$name" "$tree/debian/patches/series" | head -n 1)" ]; then
			t_fail "debian-series/$rel/$name-needed" "could not unapply down to $name (quilt): the check cannot run"
			continue
		fi
		# Needed: the release's patch has a hunk that does not apply
		# there (any other error of patch proves nothing).
		rc=0
		out=$(patch -d "$tree" -p1 -F0 --dry-run --batch --forward \
			<"$T_TOP/patches/$rel/$name" 2>&1) || rc=$?
		if [ $rc = 0 ]; then
			t_fail "debian-series/$rel/$name-needed" "patches/$rel/$name applies on Debian's stack as it is; the variant is not needed"
		elif [ $rc = 1 ] && grep -q '^Hunk #[0-9]* FAILED' <<<"$out"; then
			t_pass "debian-series/$rel/$name-needed"
		else
			t_fail "debian-series/$rel/$name-needed" "patch did not run as expected (exit $rc): $(tail -n 2 <<<"$out")"
		fi
		(cd "$tree" && QUILT_PATCHES=debian/patches quilt --quiltrc /dev/null \
			push -q -a --fuzz=0 >/dev/null 2>&1) || true
	done
	rm -rf "${tree:?}"
done
