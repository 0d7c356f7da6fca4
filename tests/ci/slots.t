#!/bin/bash
# CI's rotation (tests/lib.sh t_rotation): every release not built on every
# run is in exactly one slot, no slot holds more than T_SLOT_SIZE releases
# (what a CI run of 90 minutes has room for), and README's table of slots
# is what tests/slots prints, so that it follows upstream-version.
. "$(dirname "$0")/../lib.sh"

tmp=$(t_tmpdir)
for ((slot = 0; slot < T_SLOTS; slot++)); do
	KEEPALIVE_SLOT=$slot t_rotation >"$tmp/slot.$slot"
done
cat "$tmp"/slot.* | sort >"$tmp/dealt"
t_rotating | sort >"$tmp/rotating"
if diff "$tmp/rotating" "$tmp/dealt" >"$tmp/diff"; then
	t_pass ci/slots-every-release-once
else
	t_fail ci/slots-every-release-once "$(grep '^[<>]' "$tmp/diff" | head -n 5)"
fi
big=$(for f in "$tmp"/slot.*; do
	[ "$(wc -l <"$f")" -le "$T_SLOT_SIZE" ] || echo "slot ${f##*.}: $(paste -s -d ' ' "$f")"
done)
if [ -z "$big" ]; then
	t_pass "ci/slots-at-most-$T_SLOT_SIZE"
else
	t_fail "ci/slots-at-most-$T_SLOT_SIZE" "$big"
fi

# README's table: from its header line to the first line that is not a
# table row.
awk '/^\| slot \| releases \|$/ { t = 1 } t && !/^\|/ { exit } t' \
	"$T_TOP/README.md" >"$tmp/readme"
"$T_TOP/tests/slots" >"$tmp/table"
if diff "$tmp/table" "$tmp/readme" >"$tmp/diff"; then
	t_pass ci/readme-slot-table
else
	t_fail ci/readme-slot-table "README.md's table of slots is not tests/slots' output (replace it): $(grep '^[<>]' "$tmp/diff" | head -n 4)"
fi
