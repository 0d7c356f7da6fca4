# shellcheck shell=bash
# tests/lib.sh: helpers for tests/*/*.t, sourced.  A .t is a bash script
# that reports any number of results; tests/run collects them.
#
#   t_pass NAME            a passed check
#   t_fail NAME WHY        a failed check
#   t_skip NAME WHY        a check that could not run here
#   t_check NAME CMD...    run CMD: pass if it succeeds, else fail with the
#                          end of its output
#   t_ports BASE N         set T_PORT to the first of N consecutive TCP
#                          ports, from BASE up in steps of N, that nothing
#                          listens on and no other test holds (a lock under
#                          the cache, held until the test exits)
#   t_tmpdir               print this test's temporary directory (removed
#                          when the test exits)
#   t_path_without CMD...  print a directory to use as PATH: links to every
#                          command on PATH but the CMDs (hidden as if not
#                          installed)
#   t_fetch RELEASE NAME OUT   scripts/fetch RELEASE, output to OUT; when no
#                          source can be had NAME/fetch is reported by
#                          t_no_source, on another error it fails; 0 only
#                          when fetched
#   t_no_source NAME WHY   a release's source cannot be had: a skip, but a
#                          failure under CI (CI=true) with upstream's git
#                          at hand (OPENSSH_GIT a directory), where every
#                          release's source must be had
#   t_releases DEFAULT     the releases a test covers: T_RELEASES when set
#                          ("all": every release in upstream-version),
#                          else DEFAULT: "ci" (the fixed releases and this
#                          run's rotation slot, see t_rotation), "all", or
#                          a list of releases
#   t_rotation             the releases of this run's rotation slot
#   t_slot_table           the rotation's slots as README's table
#   t_turn N               this run's turn in a cycle of N (0 .. N-1), for
#                          what else rotates (the mutants' families)
#   t_selected RELEASE     is RELEASE among t_releases ci?
#   t_among_selected RELEASE...   those of RELEASE... among t_releases ci
#   t_built NAME LOG RELEASE [--unpatched]   t_build, output to LOG; when
#                          it fails, NAME is reported: no source is
#                          t_no_source, any other failure (a build that
#                          does not compile) a failure; 0 only when built
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

t_path_without() {
	local bin d f c n=0 dirs=() links=()
	local -A seen=()
	for c in "$@"; do seen[$c]=1; done
	while [ -e "$T_TMP/path-without.$n" ]; do n=$((n + 1)); done
	bin=$T_TMP/path-without.$n
	mkdir -p "$bin"
	IFS=: read -ra dirs <<<"$PATH"
	for d in "${dirs[@]}"; do
		for f in "$d"/*; do
			c=${f##*/}
			if [ -n "${seen[$c]:-}" ] || [ ! -x "$f" ] || [ -d "$f" ]; then
				continue
			fi
			seen[$c]=1
			links+=("$f")
		done
	done
	[ ${#links[@]} = 0 ] || ln -s -t "$bin" "${links[@]}"
	printf '%s\n' "$bin"
}

t_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		t_pass "$name"
	else
		t_fail "$name" "$(tail -n 5 <<<"$out")"
	fi
}

t_no_source() {
	if [ "${CI:-}" = true ] && [ -d "${OPENSSH_GIT:-}" ]; then
		t_fail "$1" "$2 (under CI with OPENSSH_GIT=$OPENSSH_GIT every source must be had)"
	else
		t_skip "$1" "$2"
	fi
}

# Which releases CI builds and tests, on top of what every run does for
# every release (apply-all.t, gen-patches --check): the fixed releases
# (T_FIXED: the templates of the families with a Debian package and the
# legacy releases), and one slot of the others, which rotate: the others,
# in upstream-version order, are dealt into T_SLOTS slots (release i into
# slot i mod T_SLOTS), and a run takes slot (commits on HEAD) mod T_SLOTS,
# or KEEPALIVE_SLOT when set.  T_SLOTS is as few slots as hold the others
# with at most T_SLOT_SIZE releases a slot (2: what a CI run of 90 minutes
# has room for with a margin, README "Which releases CI builds"), so each
# new release adds to the rotation, not to a run.  Every release is thus
# built and tested in every T_SLOTS consecutive commits of main.
T_FIXED=${T_FIXED:-"10.0p1 9.2p1 4.3p2 3.7.1p2"}
T_SLOT_SIZE=${T_SLOT_SIZE:-2}

t_all_releases() {
	awk '$1 == "openssh" { print $2 }' "$T_TOP/upstream-version"
}

# t_rotating: the releases that rotate, in upstream-version order.
t_rotating() {
	local rel
	for rel in $(t_all_releases); do
		[[ " $T_FIXED " == *" $rel "* ]] || echo "$rel"
	done
}

T_SLOTS=${T_SLOTS:-$((($(t_rotating | wc -l) + T_SLOT_SIZE - 1) / T_SLOT_SIZE))}
[ "$T_SLOTS" -gt 0 ] || T_SLOTS=1

t_turn() {
	local n
	if [ -n "${KEEPALIVE_SLOT:-}" ]; then
		n=$KEEPALIVE_SLOT
	elif ! n=$(git -C "$T_TOP" rev-list --count HEAD 2>/dev/null); then
		n=0
	fi
	echo $((n % $1))
}

t_slot() { t_turn "$T_SLOTS"; }

t_rotation() {
	local slot i=0 rel
	slot=$(t_slot)
	for rel in $(t_rotating); do
		[ $((i % T_SLOTS)) = "$slot" ] && echo "$rel"
		i=$((i + 1))
	done
}

t_slot_table() {
	local slot
	echo "| slot | releases |"
	echo "| --- | --- |"
	for ((slot = 0; slot < T_SLOTS; slot++)); do
		echo "| $slot | $(KEEPALIVE_SLOT=$slot t_rotation | paste -s -d ' ') |"
	done
}

# t_selected RELEASE: is RELEASE among t_releases ci?  (No pipe into
# grep -q: under pipefail, the writer's SIGPIPE once grep has its match
# made the answer "no" at random.)
t_selected() {
	[[ $'\n'$(t_releases ci)$'\n' == *$'\n'"$1"$'\n'* ]]
}

# t_among_selected RELEASE...: those of RELEASE... that t_selected takes.
t_among_selected() {
	local rel
	for rel in "$@"; do
		if t_selected "$rel"; then echo "$rel"; fi
	done
}

# shellcheck disable=SC2086 # lists of releases, split on purpose
t_releases() {
	local want=${T_RELEASES:-$1}
	case $want in
	all) t_all_releases ;;
	ci)
		printf '%s\n' $T_FIXED
		t_rotation
		;;
	*) printf '%s\n' $want ;;
	esac
}

t_fetch() {
	local rel=$1 name=$2 out=$3 rc=0
	"$T_TOP/scripts/fetch" "$rel" >"$out" 2>&1 || rc=$?
	if [ $rc = 3 ]; then
		t_no_source "$name/fetch" "no source reachable: $(head -n 1 "${KEEPALIVE_WORK:-$T_TOP/work}/$rel/source.unavailable")"
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
	"$T_TOP/scripts/build" "$@" "$rel" >&2 || return $?
	# As root, sshd needs its privilege separation user.
	t_privsep_user >&2 || return 1
	local d
	for d in "${KEEPALIVE_WORK:-$T_TOP/work}/$rel/$variant"/src/*/; do
		[ -d "$d" ] && printf '%s\n' "${d%/}" && return 0
	done
	return 1
}

t_built() {
	local name=$1 log=$2 rc=0
	shift 2
	t_build "$@" 2>"$log" || rc=$?
	[ $rc != 0 ] || return 0
	if [ $rc = 3 ]; then
		t_no_source "$name" "no source for $1: $(grep -m 1 'error' "$log" || tail -n 1 "$log")"
	else
		t_fail "$name" "$1 ${2:-patched} does not build: $(grep -E 'error|failed' "$log" | tail -n 3)"
	fi
	return 1
}

t_ports() {
	local base=$1 n=$2 p i fd busy dir=${KEEPALIVE_CACHE:-${XDG_CACHE_HOME:-${HOME:-.}/.cache}/openssh-keepalive}/.locks
	mkdir -p "$dir"
	for ((p = base; p < base + 100 * n; p += n)); do
		exec {fd}>>"$dir/port-$p.lock"
		if flock -n "$fd"; then
			busy=
			for ((i = p; i < p + n; i++)); do
				[ -z "$(ss -Hltn "sport = :$i" 2>/dev/null)" ] || { busy=1; break; }
			done
			if [ -z "$busy" ]; then
				# shellcheck disable=SC2034 # for the caller
				T_PORT=$p
				return 0
			fi
		fi
		exec {fd}>&-
	done
	echo "t_ports: no free block of $n ports from $base" >&2
	return 1
}
