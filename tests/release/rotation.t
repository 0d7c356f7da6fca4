#!/bin/bash
# The releases of this run's rotation slot (tests/lib.sh t_rotation: every
# release not built on every run, dealt into T_SLOTS slots), unpatched and
# patched, end to end: fetch (Debian's source package where one still
# carries the release, else upstream git) and verify, build, curated
# regress on both, same results.  T_RELEASES picks releases instead.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/release.sh"

if [ -n "${T_RELEASES:-}" ]; then
	releases=$(t_releases ci | grep -vxF -f <(tr ' ' '\n' <<<"$T_FIXED") || true)
else
	releases=$(t_rotation)
	echo "rotation slot $(t_slot) of $T_SLOTS: $(tr '\n' ' ' <<<"$releases")"
fi
for rel in $releases; do
	release_test "$rel"
done
