#!/bin/bash
# scripts/export: the flattened diff of each release applies with
# patch -p1 -F0 to the pristine tree and gives the tree the series gives;
# build fixes only with --with-build-fixes, as the header says; the series
# tarball is byte-identical across two runs (other umask, other file times)
# and holds the series as it is; SHA256SUMS verifies.  Releases whose source
# cannot be had here are skipped with the reason.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

export_sh=$T_TOP/scripts/export
ver=$(sed -n 's/^#define[[:space:]]*KEEPALIVE_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' \
	"$T_TOP/module/keepalive.h")

if out=$("$export_sh" --help 2>&1) && grep -q '^Usage: export ' <<<"$out" &&
	grep -q -- '--with-build-fixes' <<<"$out" && grep -q -- '--work DIR' <<<"$out"; then
	t_pass export/help
else
	t_fail export/help "$(head -n 3 <<<"$out")"
fi
rc=0
out=$("$export_sh" --no-such-option 2>&1) || rc=$?
if [ $rc = 2 ] && grep -q "unknown option '--no-such-option'" <<<"$out"; then
	t_pass export/unknown-option
else
	t_fail export/unknown-option "exit $rc: $out"
fi

# Sources first, so that the runs below are not the ones that fetch.
releases=()
for rel in $(pk_releases); do
	rc=0
	pk_source "$rel" || rc=$?
	case $rc in
	0) releases+=("$rel") ;;
	3) t_skip "export/$rel" "$PK_WHY" ;;
	*) t_fail "export/$rel" "$PK_WHY" ;;
	esac
done
[ ${#releases[@]} -gt 0 ] || exit 0

# Run 1 as it is; run 2 with a copy of patches/ whose files have other
# times and modes, under another umask.
a=$T_TMP/a b=$T_TMP/b
copy=$T_TMP/patches
cp -r "$T_TOP/patches" "$copy"
find "$copy" -type f -exec touch -d '2001-02-03 04:05:06' {} + -exec chmod 600 {} +
if ! "$export_sh" --out "$a" "${releases[@]}" >"$T_TMP/a.out" 2>"$T_TMP/a.err"; then
	t_fail export/run "$(tail -n 5 "$T_TMP/a.err")"
	exit 0
fi
if ! (umask 077 && KEEPALIVE_PATCHES=$copy "$export_sh" -q --out "$b" "${releases[@]}") \
	>"$T_TMP/b.out" 2>"$T_TMP/b.err"; then
	t_fail export/run-again "$(tail -n 5 "$T_TMP/b.err")"
	exit 0
fi
t_pass export/run

if (cd "$a" && sha256sum --quiet -c SHA256SUMS) >"$T_TMP/sums.log" 2>&1 &&
	[ "$(wc -l <"$a/SHA256SUMS")" = $((2 * ${#releases[@]})) ]; then
	t_pass export/sha256sums
else
	t_fail export/sha256sums "$(tail -n 3 "$T_TMP/sums.log") ($(wc -l <"$a/SHA256SUMS") lines)"
fi

# What counts as configure's input: scripts/lib.sh's own list.
autoconf_in=$(bash -c '. "$1/scripts/lib.sh" && printf %s "$KA_AUTOCONF_INPUTS"' autoconf "$T_TOP")
for rel in "${releases[@]}"; do
	pk_source "$rel"
	base=openssh-$rel-keepalive-$ver
	pdir=$T_TOP/patches/$rel
	mapfile -t names < <(pk_series "$pdir")
	# keep: what the flattened diff holds without --with-build-fixes: the
	# keepalive patches and, when they change configure's input, the build
	# fixes that change it too (the regeneration the header asks for needs
	# them: 4.3p2's AIX quoting fix).
	keep=() all=() fixes=() regen=0
	for n in "${names[@]}"; do
		[[ $n == [0-9]*-build-*.patch ]] || ! grep -Eq "$autoconf_in" "$pdir/$n" || regen=1
	done
	for n in "${names[@]}"; do
		all+=("$pdir/$n")
		if [[ $n != [0-9]*-build-*.patch ]]; then
			keep+=("$pdir/$n")
		elif [ $regen = 1 ] && grep -Eq "$autoconf_in" "$pdir/$n"; then
			keep+=("$pdir/$n")
			fixes+=("$n")
		fi
	done
	dir=$T_TMP/$rel
	mkdir -p "$dir"

	# The flattened diff against the series (build fixes left out).
	want=$(pk_unpack "$PK_TARBALL" "$dir/series")
	got=$(pk_unpack "$PK_TARBALL" "$dir/flat")
	if why=$(pk_patch "$want" "${keep[@]}") &&
		why=$(pk_patch "$got" "$a/$base.patch") && why=$(pk_same "$want" "$got"); then
		t_pass "export/$rel/flat-diff-equals-series"
	else
		t_fail "export/$rel/flat-diff-equals-series" "$why"
	fi
	if [[ " ${names[*]} " != *" "[0-9]*-build-*.patch" "* ]]; then
		if grep -qx 'Build fixes: none in this series.' "$a/$base.patch"; then
			t_pass "export/$rel/header-build-fixes"
		else
			t_fail "export/$rel/header-build-fixes" "no line 'Build fixes: none in this series.'"
		fi
	else
		# Legacy: left out and said so, but those configure's regeneration
		# needs; with the option, all included.
		listed=$(sed -n '/^Patches, in order:/,/^Build fixes/p' "$a/$base.patch")
		why=
		if [ ${#fixes[@]} -gt 0 ]; then
			grep -q '^Build fixes: included, as configure must be regenerated' "$a/$base.patch" ||
				why="no line 'Build fixes: included, as configure must be regenerated';"
		else
			grep -q '^Build fixes: not included:' "$a/$base.patch" ||
				why="no line 'Build fixes: not included:';"
		fi
		[ "$(grep '^  [0-9]*-build-.*\.patch$' <<<"$listed" | sed 's/^  //')" = "$(printf '%s\n' "${fixes[@]}" | sed '/^$/d')" ] ||
			why="$why build fixes listed: $(grep '^  [0-9]*-build-' <<<"$listed" | tr -d '\n'), expected: ${fixes[*]};"
		if [ -z "$why" ]; then
			t_pass "export/$rel/header-build-fixes"
		else
			t_fail "export/$rel/header-build-fixes" "$why $(grep -A3 '^Build fixes' "$a/$base.patch")"
		fi
		# The header's regeneration step works on the flattened tree.
		cmd=$(sed -n '1,/^---$/s/^directory, as scripts\/apply does: //p' "$a/$base.patch")
		# Where the command is not installed (autoreconf2.64 on Debian
		# 13), the pinned package scripts/apply runs (pinned-tools).
		tool=$cmd
		if [ -n "$cmd" ] && ! command -v "$cmd" >/dev/null; then
			# shellcheck disable=SC2016 # code for the inner shell
			tool=$(bash -c '. "$0/scripts/lib.sh"; ka_tool "$1" && echo "$KA_TOOL"' \
				"$T_TOP" "$cmd" 2>"$dir/regen.log") || tool=$cmd
		fi
		if [ -z "$cmd" ]; then
			t_pass "export/$rel/header-regeneration-works"
		elif (cd "$got" && $tool) >>"$dir/regen.log" 2>&1 && bash -n "$got/configure" 2>>"$dir/regen.log"; then
			t_pass "export/$rel/header-regeneration-works"
		else
			t_fail "export/$rel/header-regeneration-works" "$cmd on the flattened tree: $(tail -n 3 "$dir/regen.log")"
		fi
		rm -rf "$dir/full" "$dir/flatfull"
		want=$(pk_unpack "$PK_TARBALL" "$dir/full")
		got=$(pk_unpack "$PK_TARBALL" "$dir/flatfull")
		if "$export_sh" -q --with-build-fixes --out "$dir/out" "$rel" >/dev/null 2>"$dir/err" &&
			grep -q '^Build fixes: included' "$dir/out/$base.patch" &&
			why=$(pk_patch "$want" "${all[@]}") &&
			why=$(pk_patch "$got" "$dir/out/$base.patch") && why=$(pk_same "$want" "$got"); then
			t_pass "export/$rel/with-build-fixes"
		else
			t_fail "export/$rel/with-build-fixes" "${why:-$(tail -n 3 "$dir/err")}"
		fi
	fi

	# Reproducible tarballs and diffs.
	for f in "$base-series.tar.gz" "$base.patch"; do
		if cmp -s "$a/$f" "$b/$f"; then
			t_pass "export/$rel/reproducible/$f"
		else
			t_fail "export/$rel/reproducible/$f" "differs between two runs"
		fi
	done
	# The tarball holds the series as it is (and the Debian variants).
	mkdir -p "$dir/tar"
	tar -xzf "$a/$base-series.tar.gz" -C "$dir/tar"
	why=
	for n in series "${names[@]}"; do
		cmp -s "$pdir/$n" "$dir/tar/$base/$n" || why="$why $n"
	done
	if [ -d "$T_TOP/patches/debian/$rel" ]; then
		diff -r "$T_TOP/patches/debian/$rel" "$dir/tar/$base/debian" >/dev/null 2>&1 ||
			why="$why debian/"
	fi
	listing=$(tar -tvzf "$a/$base-series.tar.gz" | awk '$2 != "0/0" || ($1 != "-rw-r--r--" && $1 != "drwxr-xr-x")')
	if [ -z "$why" ] && [ -z "$listing" ]; then
		t_pass "export/$rel/series-tarball"
	else
		t_fail "export/$rel/series-tarball" "differs:${why:- none}; entries not 0/0 644/755: $listing"
	fi
	rm -rf "$dir"
done

# A patch that does not apply: nothing written, the patch named.
rel=${releases[0]}
bad=$T_TMP/bad-patches
cp -r "$T_TOP/patches" "$bad"
victim=$(pk_series "$bad/$rel" | grep -v -- '-build-' | tail -n 1)
# Change the first context line of the first hunk.
awk '!done && hunk && /^ / { $0 = " X" substr($0, 2); done = 1 } /^@@ / { hunk = 1 } { print }' \
	"$T_TOP/patches/$rel/$victim" >"$bad/$rel/$victim"
rc=0
KEEPALIVE_PATCHES=$bad "$export_sh" -q --out "$T_TMP/bad" "$rel" >"$T_TMP/bad.out" 2>&1 || rc=$?
if [ $rc = 1 ] && grep -q "$victim does not apply" "$T_TMP/bad.out" &&
	[ -z "$(find "$T_TMP/bad" -name 'openssh-*' 2>/dev/null)" ]; then
	t_pass export/bad-patch-named
else
	t_fail export/bad-patch-named "exit $rc: $(tail -n 2 "$T_TMP/bad.out")"
fi
