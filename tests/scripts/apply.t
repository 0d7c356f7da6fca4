#!/bin/bash
# scripts/apply: series in order, zero fuzz, a failing patch leaves the tree
# as it was and names the hunk, missing series, --unpatched.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

out=$FX/out
rel=2.0p1
fx_release $rel
p=$FX/patches/$rel
tree=$KEEPALIVE_WORK/$rel/patched/src/openssh-$rel

# Content of a tree, to compare before and after.
snapshot() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }

# 1. No series: allowed, the tree is upstream's.
if "$S/apply" $rel >"$out" 2>&1 && grep -qx 'line two' "$tree/file.txt"; then
	t_pass apply/missing-series
else
	t_fail apply/missing-series "$(tail -n 5 "$out")"
fi

# 2. A series of two patches, applied in order (the second needs the first).
fx_patch "$p/0001-build-fix.patch" 'line two' 'line 2'
fx_patch "$p/0010-feature.patch" 'line 2' 'line II'
printf '# quilt series\n0001-build-fix.patch\n\n0010-feature.patch # comment\n' >"$p/series"
if "$S/apply" $rel >"$out" 2>&1 && grep -qx 'line II' "$tree/file.txt"; then
	t_pass apply/series-in-order
else
	t_fail apply/series-in-order "$(tail -n 5 "$out")"
fi

# 3. Up to date: left alone.
if "$S/apply" $rel >"$out" 2>&1 && grep -q 'tree up to date' "$out"; then
	t_pass apply/up-to-date-skipped
else
	t_fail apply/up-to-date-skipped "$(tail -n 5 "$out")"
fi

# 4. --unpatched: only the build fixes.
if "$S/apply" --unpatched $rel >"$out" 2>&1 &&
	grep -qx 'line 2' "$KEEPALIVE_WORK/$rel/unpatched/src/openssh-$rel/file.txt"; then
	t_pass apply/unpatched-build-fixes-only
else
	t_fail apply/unpatched-build-fixes-only "$(tail -n 5 "$out")"
fi

# 5. A patch that does not apply: named with its hunk, exit 1, the previous
# tree unchanged, no scratch tree left.
before=$(snapshot "$tree")
fx_patch "$p/0020-broken.patch" 'line that is not there' 'x'
echo 0020-broken.patch >>"$p/series"
rc=0
"$S/apply" $rel >"$out" 2>&1 || rc=$?
after=$(snapshot "$tree")
if [ $rc = 1 ] && grep -q "Hunk #1 FAILED" "$out" &&
	grep -q "$p/0020-broken.patch does not apply" "$out" &&
	[ "$before" = "$after" ] &&
	[ -z "$(find "$KEEPALIVE_WORK/$rel/patched" -maxdepth 1 -name 'src.*')" ]; then
	t_pass apply/failing-patch-tree-untouched
else
	t_fail apply/failing-patch-tree-untouched "rc=$rc $(tail -n 8 "$out")"
fi

# 6. A series entry without its file is an error naming the series line.
echo 0030-missing.patch >>"$p/series"
rc=0
"$S/apply" $rel >"$out" 2>&1 || rc=$?
if [ $rc = 1 ] && grep -q "series:6: 0030-missing.patch is listed but" "$out"; then
	t_pass apply/missing-patch-file-named
else
	t_fail apply/missing-patch-file-named "rc=$rc $(tail -n 3 "$out")"
fi

# 7. Zero fuzz: a patch whose context is off by a line is refused.
printf '0001-build-fix.patch\n0040-fuzzy.patch\n' >"$p/series"
cat >"$p/0040-fuzzy.patch" <<'EOF'
--- a/file.txt
+++ b/file.txt
@@ -1,3 +1,3 @@
 line zero
-line 2
+line two again
 line three
EOF
rc=0
"$S/apply" $rel >"$out" 2>&1 || rc=$?
if [ $rc = 1 ] && grep -q 'FAILED' "$out"; then
	t_pass apply/zero-fuzz
else
	t_fail apply/zero-fuzz "rc=$rc $(tail -n 5 "$out")"
fi
