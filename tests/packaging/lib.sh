# shellcheck shell=bash disable=SC2034 # PK_* are read by the callers
# tests/packaging/lib.sh: helpers of tests/packaging/*.t, sourced after
# tests/lib.sh.  Trees are compared as a packager's tools leave them.
#
#   pk_releases                the releases to check: with a non-empty
#                              series, and of T_RELEASES (default: those
#                              CI builds, t_releases ci, and each family's
#                              template release; all: every release)
#   pk_series DIR              the patch names of DIR/series, in order
#   pk_source RELEASE          fetch RELEASE with scripts/fetch: the
#                              pristine tarball in $PK_TARBALL, or return 3
#                              (no source: the reason in $PK_WHY) or 1
#                              (error, ditto)
#   pk_unpack TARBALL DIR      unpack TARBALL into DIR; print the tree
#   pk_patch TREE PATCH...     patch -p1 -F0 each PATCH in order
#   pk_same A B                A and B hold the same files, contents, types
#                              and executable bits (what git keeps of a
#                              mode), quilt's .pc and git's .git aside;
#                              otherwise print the differences

# Every release's series is applied and checked against its family's glue
# on every run (tests/patches/); what the packaging tests check is the form
# of the series, which one generator gives every release of a family: its
# template stands for it, and the rotation brings every other release in
# turn, as it does for the builds.
pk_releases() {
	local rel want
	if [ -n "${T_RELEASES:-}" ]; then
		want=$(t_releases ci)	# T_RELEASES: a list, or all
	else
		want="$(t_releases ci)
$(awk '!/^#/ && NF >= 4 { print $4 }' "$T_TOP/glue/families")"
	fi
	while read -r rel; do
		grep -qxF -- "$rel" <<<"$want" || continue
		[ -z "$(pk_series "$T_TOP/patches/$rel")" ] || echo "$rel"
	done < <(t_all_releases)
}

pk_series() {
	[ -f "$1/series" ] || return 0
	sed 's/#.*//' "$1/series" | awk 'NF { print $1 }'
}

PK_WHY='' PK_TARBALL=''
pk_source() {
	local rel=$1 log rc=0 work=${KEEPALIVE_WORK:-$T_TOP/work}
	log=$T_TMP/fetch-$rel.log
	"$T_TOP/scripts/fetch" "$rel" >"$log" 2>&1 || rc=$?
	if [ $rc = 3 ]; then
		PK_WHY="$(paste -sd ';' "$work/$rel/source.unavailable" 2>/dev/null ||
			echo "no source for $rel")"
		return 3
	elif [ $rc != 0 ]; then
		PK_WHY="scripts/fetch $rel failed: $(tail -n 3 "$log")"
		return 1
	fi
	PK_TARBALL=$(sed -n 's/^openssh_path=//p' "$work/$rel/source")
	[ -f "$PK_TARBALL" ] || { PK_WHY="$work/$rel/source names no tarball"; return 1; }
}

pk_unpack() {
	local dir=$2 tree
	mkdir -p "$dir"
	tar --no-same-owner -xzf "$1" -C "$dir"
	tree=$(find "$dir" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	[ -n "$tree" ] || { echo "$1 holds no directory" >&2; return 1; }
	printf '%s\n' "$tree"
}

pk_patch() {
	local tree=$1 p
	shift
	for p in "$@"; do
		patch -d "$tree" -p1 -F0 --forward --batch --no-backup-if-mismatch \
			-r - <"$p" >/dev/null || { echo "$p does not apply with patch -p1 -F0"; return 1; }
	done
}

# Names of files a tool adds beside the sources.
PK_EXCLUDE=(.pc .git)

pk_listing() {
	local ex=() n
	for n in "${PK_EXCLUDE[@]}"; do
		ex+=(-name "$n" -prune -o)
	done
	(cd "$1" && find . -mindepth 1 "${ex[@]}" -printf '%y %m %P\n' |
		awk '{ $2 = ($2 ~ /[1357]/) ? "x" : "-"; print }' | LC_ALL=C sort -k3)
}

pk_same() {
	local a=$1 b=$2 ex=() n out
	for n in "${PK_EXCLUDE[@]}"; do
		ex+=(-x "$n")
	done
	if ! out=$(diff -rq --no-dereference "${ex[@]}" "$a" "$b" 2>&1); then
		printf '%s\n' "$out" | head -n 5
		return 1
	fi
	if ! out=$(diff <(pk_listing "$a") <(pk_listing "$b")); then
		printf 'file types or executable bits differ: %s\n' "$(head -n 4 <<<"$out" | paste -sd ' ' -)"
		return 1
	fi
}
