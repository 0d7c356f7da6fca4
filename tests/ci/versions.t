#!/bin/bash
# The versions NEWS names: each released version's heading names the
# commit of that version ("1.1 (2026-12-01, commit SHA)"), whose
# module/keepalive.h says that KEEPALIVE_VERSION; a tag vMAJOR.MINOR, where
# this clone has one, is on that commit; NEWS's recipe makes the tags in a
# clone without them; and the version in the making ("Unreleased (to be
# X.Y)") is newer than every released one, with KEEPALIVE_VERSION either
# the last released or it.
. "$(dirname "$0")/../lib.sh"

news=$T_TOP/NEWS
if ! git -C "$T_TOP" rev-parse --git-dir >/dev/null 2>&1; then
	t_skip ci/versions "$T_TOP is not a git checkout: no commits to check"
	exit 0
fi
current=$(sed -n 's/^#define KEEPALIVE_VERSION[[:space:]]*"\([^"]*\)"$/\1/p' "$T_TOP/module/keepalive.h")

# same NAME EXPECTED GOT WHAT: pass when GOT is EXPECTED.
same() {
	if [ "$3" = "$2" ]; then
		t_pass "$1"
	else
		t_fail "$1" "$4 '${3:-nothing}', expected '$2'"
	fi
}

# newer A B: is A newer than B (MAJOR.MINOR)?
newer() {
	awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, "."); split(b, y, ".")
		exit !(x[1] > y[1] || (x[1] == y[1] && x[2] > y[2])) }'
}

released=() making=
while IFS=: read -r line text; do
	if [[ $text =~ ^([0-9]+\.[0-9]+)\ \([0-9]{4}-[0-9]{2}-[0-9]{2},\ commit\ ([0-9a-f]{40})\)$ ]]; then
		v=${BASH_REMATCH[1]} c=${BASH_REMATCH[2]}
		released+=("$v")
		if ! git -C "$T_TOP" cat-file -e "$c^{commit}" 2>/dev/null; then
			t_skip "ci/versions/$v-commit" "commit $c (NEWS line $line) is not in this clone's history (shallow?)"
			continue
		fi
		got=$(git -C "$T_TOP" show "$c:module/keepalive.h" 2>/dev/null |
			sed -n 's/^#define KEEPALIVE_VERSION[[:space:]]*"\([^"]*\)"$/\1/p')
		same "ci/versions/$v-commit" "$v" "$got" \
			"NEWS line $line: module/keepalive.h at commit $c says KEEPALIVE_VERSION"
		if tag=$(git -C "$T_TOP" rev-parse -q --verify "refs/tags/v$v^{commit}"); then
			same "ci/versions/v$v-tag" "$c" "$tag" "tag v$v is on"
		fi
	elif [[ $text =~ ^Unreleased\ \(to\ be\ ([0-9]+\.[0-9]+)\)$ ]]; then
		making=${BASH_REMATCH[1]}
	elif [[ $text =~ ^[0-9]+\.[0-9] ]] || [[ $text =~ ^Unreleased ]]; then
		t_fail "ci/versions/heading-$line" "NEWS line $line: '$text': expected 'MAJOR.MINOR (YYYY-MM-DD, commit SHA1 of 40 hex digits)' or 'Unreleased (to be MAJOR.MINOR)'"
	fi
done < <(grep -n '' "$news")

if [ ${#released[@]} = 0 ]; then
	t_fail ci/versions/released "NEWS names no released version"
	exit 0
fi
last=${released[0]}
if [ -n "$making" ]; then
	if newer "$making" "$last" && { [ "$current" = "$last" ] || [ "$current" = "$making" ]; }; then
		t_pass ci/versions/in-the-making
	else
		t_fail ci/versions/in-the-making "NEWS: to be $making after $last; module/keepalive.h: $current"
	fi
else
	same ci/versions/current "$last" "$current" "module/keepalive.h's KEEPALIVE_VERSION, with no Unreleased section in NEWS, is the last released"
fi

# NEWS's recipe, run in a clone without tags, makes every tag on its commit.
clone=$(t_tmpdir)/clone
if git clone -q --no-checkout "$T_TOP" "$clone" 2>/dev/null &&
	git -C "$clone" tag -l | xargs -r git -C "$clone" tag -d >/dev/null; then
	recipe=$(sed -n '/^    sed -n .*NEWS |$/,/done$/s/^    //p' "$news")
	if [ -z "$recipe" ]; then
		t_fail ci/versions/recipe "NEWS has no tag recipe (an indented 'sed -n ... NEWS |' ... 'done')"
	elif ! out=$(cd "$clone" && cp "$news" NEWS && bash -euc "$recipe" 2>&1); then
		t_fail ci/versions/recipe "the recipe failed: $out"
	else
		bad=
		for v in "${released[@]}"; do
			c=$(sed -n "s/^$v (.*, commit \([0-9a-f]*\))\$/\1/p" "$news")
			git -C "$clone" cat-file -e "$c^{commit}" 2>/dev/null || continue
			[ "$(git -C "$clone" rev-parse -q --verify "refs/tags/v$v^{commit}")" = "$c" ] ||
				bad="$bad v$v"
		done
		if [ -z "$bad" ]; then
			t_pass ci/versions/recipe
		else
			t_fail ci/versions/recipe "tags not made on their commits:$bad"
		fi
	fi
else
	t_skip ci/versions/recipe "cannot clone $T_TOP"
fi
