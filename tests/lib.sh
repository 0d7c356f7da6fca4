# shellcheck shell=bash
# tests/lib.sh: helpers for tests/*/*.t, sourced.  A .t is a bash script
# that reports any number of results; tests/run collects them.
#
#   t_pass NAME            a passed check
#   t_fail NAME WHY        a failed check
#   t_skip NAME WHY        a check that could not run here
#   t_check NAME CMD...    run CMD: pass if it succeeds, else fail with the
#                          end of its output
#   t_tmpdir               print this test's temporary directory (removed
#                          when the test exits)
#   t_fetch RELEASE NAME OUT   scripts/fetch RELEASE, output to OUT; when no
#                          source can be had NAME/fetch is skipped, on
#                          another error it fails; 0 only when fetched
#   t_build RELEASE [--unpatched]   build a release with scripts/build in the
#                          shared work directory (and, as root, make sure
#                          sshd's user "sshd" exists); print the built tree
#
# Results are appended to $T_RESULTS as "STATUS<TAB>NAME<TAB>WHY".

set -eu -o pipefail

T_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T_RESULTS=${T_RESULTS:-/dev/null}
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/keepalive-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

t_result() {
	local status=$1 name=$2 why=${3:-}
	why=${why//$'\n'/ | }
	printf '%s\t%s\t%s\n' "$status" "$name" "$why" >>"$T_RESULTS"
	printf '%s %s%s\n' "$status" "$name" "${why:+: $why}"
}
t_pass() { t_result PASS "$1"; }
t_fail() { t_result FAIL "$1" "${2:-}"; }
t_skip() { t_result SKIP "$1" "${2:-}"; }

t_tmpdir() { printf '%s\n' "$T_TMP"; }

t_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		t_pass "$name"
	else
		t_fail "$name" "$(tail -n 5 <<<"$out")"
	fi
}

t_fetch() {
	local rel=$1 name=$2 out=$3 rc=0
	"$T_TOP/scripts/fetch" "$rel" >"$out" 2>&1 || rc=$?
	if [ $rc = 3 ]; then
		t_skip "$name/fetch" "no source reachable: $(head -n 1 "${KEEPALIVE_WORK:-$T_TOP/work}/$rel/source.unavailable")"
		return 1
	elif [ $rc != 0 ]; then
		t_fail "$name/fetch" "$(tail -n 5 "$out")"
		return 1
	fi
}

# As root, make sure sshd's privilege separation user exists
# (scripts/lib.sh ka_privsep_user).
t_privsep_user() {
	bash -c '. "$1/scripts/lib.sh" && ka_privsep_user' t_privsep_user "$T_TOP"
}

t_build() {
	local rel=$1 variant=patched
	shift
	case " $* " in *" --unpatched "*) variant=unpatched ;; esac
	"$T_TOP/scripts/build" "$@" "$rel" >&2 || return 1
	# As root, sshd needs its privilege separation user.
	t_privsep_user >&2 || return 1
	local d
	for d in "${KEEPALIVE_WORK:-$T_TOP/work}/$rel/$variant"/src/*/; do
		[ -d "$d" ] && printf '%s\n' "${d%/}" && return 0
	done
	return 1
}
