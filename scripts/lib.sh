# shellcheck shell=bash disable=SC2034 # globals used by the scripts
# lib.sh: shell shared by the openssh-keepalive scripts (fetch, apply, build,
# regress, matrix).  Sourced, never run.  Everything two scripts need lives
# here: option parsing, progress lines, upstream-version records, the work
# directory layout, stamps, locks, downloads and verification.

set -eu -o pipefail
shopt -s extglob

KA_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KA_PROG=${0##*/}

# Defaults of the common options; the environment may override them.
KA_WORK=${KEEPALIVE_WORK:-$KA_TOP/work}
KA_CACHE=${KEEPALIVE_CACHE:-${XDG_CACHE_HOME:-${HOME:-.}/.cache}/openssh-keepalive}
KA_OPENSSH_GIT=${OPENSSH_GIT:-https://github.com/openssh/openssh-portable.git}
KA_OPENSSL_GIT=${OPENSSL_GIT:-https://github.com/openssl/openssl.git}
KA_MIRROR=${OPENSSH_MIRROR:-}
KA_JOBS=${KEEPALIVE_JOBS:-}
KA_QUIET=${KEEPALIVE_QUIET:-0}
KA_UNPATCHED=0
KA_SANITIZE=0
KA_FORCE=0
KA_ARGS=()
# Data files; tests point these at synthetic ones.
KA_UPSTREAM_VERSION=${KEEPALIVE_UPSTREAM_VERSION:-$KA_TOP/upstream-version}
KA_PATCHES=${KEEPALIVE_PATCHES:-$KA_TOP/patches}
KA_GLUE=${KEEPALIVE_GLUE:-$KA_TOP/glue}
KA_KEYS=${KEEPALIVE_KEYS:-$KA_TOP/keys}
KA_SUBSET=${KEEPALIVE_SUBSET:-$KA_TOP/scripts/regress.subset}
KA_PINNED_TOOLS=${KEEPALIVE_PINNED_TOOLS:-$KA_TOP/pinned-tools}
# Debian's archive, for the packages of pinned-tools.
KA_DEBIAN_MIRROR=${KEEPALIVE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Short timeouts: unreachable hosts must fail fast.
KA_CONNECT_TIMEOUT=${KEEPALIVE_CONNECT_TIMEOUT:-10}
KA_LOCK_TIMEOUT=${KEEPALIVE_LOCK_TIMEOUT:-7200}

# Official mirrors, tried in order when --mirror is not given.  %F is the
# OpenSSL family (1.0.2), %T the release's git tag.
KA_OPENSSH_MIRRORS=(
	https://cdn.openbsd.org/pub/OpenBSD/OpenSSH/portable
	https://ftp.openbsd.org/pub/OpenBSD/OpenSSH/portable
)
KA_OPENSSL_MIRRORS=(
	https://www.openssl.org/source/old/%F
	https://www.openssl.org/source
	https://github.com/openssl/openssl/releases/download/%T
)

# Debian packages the scripts need (scripts/matrix installs the missing
# ones) and those the test suite needs on top (.ci/run installs both); the
# same lists on Debian 12 and 13.  m4 and perl also run the pinned
# autoconf2.64 (pinned-tools); gnupg's gpg reads keys/*.asc for gpgv;
# the keepalive regress test finds sshd's children with procps' ps; the
# legacy releases' make formats their man pages with groff-base's nroff.
KA_BUILD_PACKAGES=(
	autoconf autoconf2.69 automake ca-certificates curl gcc git gnupg gpgv
	groff-base iproute2 libc6-dev libssl-dev m4 make mount passwd patch
	perl procps tar util-linux zlib1g-dev
)
# libclang-rt-dev: the sanitizer and libFuzzer runtime of the host's
# default clang (tests/unit/module.t fuzzes the module), whichever LLVM
# that is (Debian 12: 14, Debian 13: 19).
KA_TEST_PACKAGES=(
	chromium clang debian-archive-keyring dpkg-dev dropbear-bin gcc-multilib
	git-buildpackage libclang-rt-dev netcat-openbsd nodejs putty-tools
	python3-paramiko
	qemu-user quilt tcpdump
	rpm shellcheck xz-utils
)
# Installed where the host's archive has them, done without elsewhere:
# autoconf2.64 (Debian 12 has it, Debian 13 not: the scripts then run
# Debian 12's own package, pinned in pinned-tools).
KA_IF_AVAILABLE_PACKAGES=(autoconf2.64)

# What each package gives, for hosts without dpkg (ka_missing_packages):
# the Debian package, what is checked, the Fedora/RHEL package (- none).
# Checks, all of a comma-separated list must hold, any of a |-separated
# one: cmd:NAME (on PATH), header:FILE (the C compiler finds it),
# file:PATH, python:MODULE (a python3 on PATH imports it), m32 (cc -m32 links),
# fuzzer (clang -fsanitize=fuzzer links).
KA_PACKAGE_CHECKS='
autoconf               cmd:autoreconf                       autoconf
autoconf2.64           cmd:autoreconf2.64                   -
autoconf2.69           cmd:autoreconf2.69                   -
automake               cmd:automake                         automake
ca-certificates        file:/etc/ssl/certs/ca-certificates.crt|file:/etc/pki/tls/certs/ca-bundle.crt ca-certificates
chromium               cmd:chromium|cmd:chromium-browser    chromium
clang                  cmd:clang                            clang
curl                   cmd:curl                             curl
debian-archive-keyring file:/usr/share/keyrings/debian-archive-keyring.gpg -
dpkg-dev               cmd:dpkg-source,cmd:dpkg-buildpackage dpkg-dev
dropbear-bin           cmd:dropbear,cmd:dbclient            dropbear
gcc                    cmd:gcc                              gcc
gcc-multilib           m32                                  glibc-devel.i686
git                    cmd:git                              git
git-buildpackage       cmd:gbp                              git-buildpackage
gnupg                  cmd:gpg                              gnupg2
gpgv                   cmd:gpgv                             gnupg2
groff-base             cmd:nroff                            groff-base
iproute2               cmd:ip                               iproute
libc6-dev              header:stdio.h                       glibc-devel
libclang-rt-dev        fuzzer                               compiler-rt
libssl-dev             header:openssl/evp.h                 openssl-devel
m4                     cmd:m4                               m4
make                   cmd:make                             make
mount                  cmd:mount                            util-linux
netcat-openbsd         cmd:nc                               netcat
nodejs                 cmd:node                             nodejs
passwd                 cmd:useradd                          shadow-utils
patch                  cmd:patch                            patch
perl                   cmd:perl                             perl
procps                 cmd:ps                               procps-ng
putty-tools            cmd:plink,cmd:puttygen               putty
python3-paramiko       python:paramiko                      python3-paramiko
qemu-user              cmd:qemu-i386                        qemu-user
quilt                  cmd:quilt                            quilt
rpm                    cmd:rpmbuild                         rpm-build
shellcheck             cmd:shellcheck                       ShellCheck
tar                    cmd:tar                              tar
tcpdump                cmd:tcpdump                          tcpdump
util-linux             cmd:unshare,cmd:flock                util-linux
xz-utils               cmd:xz                               xz
zlib1g-dev             header:zlib.h                        zlib-devel
'

# ---------------------------------------------------------------------------
# Messages.  Progress goes to stderr as "<script> <release>: <text>".

KA_REL=
ka_log() {
	[ "$KA_QUIET" = 1 ] && return 0
	printf '%s%s: %s\n' "$KA_PROG" "${KA_REL:+ $KA_REL}" "$*" >&2
}
ka_warn() {
	printf '%s%s: warning: %s\n' "$KA_PROG" "${KA_REL:+ $KA_REL}" "$*" >&2
}
ka_error() {
	printf '%s%s: error: %s\n' "$KA_PROG" "${KA_REL:+ $KA_REL}" "$*" >&2
}
ka_die() {
	ka_error "$@"
	exit 1
}
ka_usage_error() {
	printf '%s: %s (try %s --help)\n' "$KA_PROG" "$*" "$KA_PROG" >&2
	exit 2
}

# Show the tail of a log file after a failed step, and where it is.
ka_show_log() {
	local log=$1 lines=${2:-25}
	printf '%s\n' "---- last $lines lines of $log" >&2
	tail -n "$lines" "$log" >&2 || true
	printf '%s\n' "----" >&2
}

# Run a long step with its output in a log file: ka_step LOG WHAT CMD...
# A heartbeat line every KEEPALIVE_HEARTBEAT seconds (default 60) while the
# step runs ("build 9.2p1: make -j2 running 2m30s"), so that a long step
# never sits silent; none with -q.
ka_step() {
	local log=$1 what=$2 start hb='' rc=0
	shift 2
	ka_log "$what (log: $log)"
	start=$SECONDS
	if [ "$KA_QUIET" != 1 ]; then
		ka_heartbeat "$what" "$start" &
		hb=$!
	fi
	"$@" >"$log" 2>&1 || rc=$?
	if [ -n "$hb" ]; then
		kill "$hb" 2>/dev/null || true
		wait "$hb" 2>/dev/null || true
	fi
	if [ $rc != 0 ]; then
		ka_show_log "$log"
		ka_die "$what failed; full log: $log"
	fi
	ka_log "$what done ($((SECONDS - start))s)"
}

# ka_heartbeat WHAT START: ka_step's heartbeat, in the background; it ends
# when killed (with its sleep) or when this script is gone.
ka_heartbeat() {
	local what=$1 start=$2 parent=$$ every=${KEEPALIVE_HEARTBEAT:-60} s='' e
	trap - EXIT INT
	trap '[ -z "$s" ] || kill "$s" 2>/dev/null; exit 0' TERM
	while :; do
		sleep "$every" &
		s=$!
		wait "$s" || true
		s=''
		kill -0 "$parent" 2>/dev/null || exit 0
		e=$((SECONDS - start))
		ka_log "$what running $((e / 60))m$((e % 60))s"
	done
}

# ---------------------------------------------------------------------------
# Options.  Each script loops over its arguments, handles its own options
# and hands everything else to ka_option, which sets KA_SHIFT.

# The common options a script takes, set by the script before it parses
# its arguments: ka_common_help lists exactly these (and -q, -h), ka_option
# refuses the others.  KA_OPTS_SOURCE: where sources come from, what every
# script that fetches (itself or through another script) takes.
KA_OPTS_SOURCE="work cache openssh-git openssl-git mirror"
KA_OPTS="$KA_OPTS_SOURCE unpatched sanitize force jobs"

# ka_common_help: the common options of KA_OPTS but those of KA_HELP_OWN
# (which the script's own help documents).
ka_common_help() {
	ka_common_help_all | awk -v keep=" $KA_OPTS quiet help " -v drop=" ${KA_HELP_OWN:-} " '
		/^  -/ {
			o = $1; sub(/,$/, "", o); sub(/^--/, "", o)
			if (o == "-q") o = "quiet"
			if (o == "-h") o = "help"
			show = index(keep, " " o " ") > 0 && index(drop, " " o " ") == 0
		}
		/^[^ ]/ { show = 1 }
		show'
}
ka_common_help_all() {
	cat <<EOF
Common options (environment variable in brackets):
  --work DIR           work directory [KEEPALIVE_WORK]
                       (default: work/ at the repository top)
  --cache DIR          download cache [KEEPALIVE_CACHE]
                       (default: \${XDG_CACHE_HOME:-\$HOME/.cache}/openssh-keepalive)
  --openssh-git URL|DIR  openssh-portable git repository [OPENSSH_GIT]
                       (default: https://github.com/openssh/openssh-portable.git)
  --openssl-git URL|DIR  OpenSSL git repository [OPENSSL_GIT]
                       (default: https://github.com/openssl/openssl.git)
  --mirror URL         directory URL holding release tarballs, tried instead
                       of the official mirrors; http(s):// or file://
                       [OPENSSH_MIRROR; several URLs separated by spaces]
  --unpatched          the upstream release without the keepalive patches
                       (build fixes NNNN-build-*.patch of the series still apply)
  --sanitize           the variant built with AddressSanitizer and
                       UndefinedBehaviorSanitizer (see build --help), in
                       WORK/RELEASE/VARIANT-sanitize
  --force              redo apply and build even if up to date
  --jobs N             parallel jobs (default: number of CPUs) [KEEPALIVE_JOBS]
  -q, --quiet          no progress lines [KEEPALIVE_QUIET=1]
  -h, --help           this help
Other environment: KEEPALIVE_UPSTREAM_VERSION, KEEPALIVE_PATCHES,
KEEPALIVE_GLUE, KEEPALIVE_KEYS, KEEPALIVE_SUBSET, KEEPALIVE_PINNED_TOOLS
(data files, for tests), KEEPALIVE_DEBIAN_MIRROR (Debian's archive, for
pinned-tools; default http://deb.debian.org/debian),
KEEPALIVE_CONNECT_TIMEOUT (seconds, default 10).
EOF
}

# ka_option "$@": consume one common option or operand.
ka_option() {
	local opt=$1 val=
	KA_SHIFT=1
	case $opt in
	--*=*)
		val=${opt#*=}
		opt=${opt%%=*}
		;;
	--work | --cache | --openssh-git | --openssl-git | --mirror | --jobs)
		[ $# -ge 2 ] || ka_usage_error "option $opt needs an argument"
		val=$2
		KA_SHIFT=2
		;;
	esac
	case $opt in
	--work | --cache | --openssh-git | --openssl-git | --mirror | --jobs | \
		--unpatched | --sanitize | --force)
		[[ " $KA_OPTS " == *" ${opt#--} "* ]] ||
			ka_usage_error "$KA_PROG takes no $opt"
		;;
	esac
	case $opt in
	--work) KA_WORK=$val ;;
	--cache) KA_CACHE=$val ;;
	--openssh-git) KA_OPENSSH_GIT=$val ;;
	--openssl-git) KA_OPENSSL_GIT=$val ;;
	--mirror) KA_MIRROR=$val ;;
	--jobs)
		[[ $val == +([0-9]) && $val -gt 0 ]] ||
			ka_usage_error "--jobs needs a positive number, not '$val'"
		KA_JOBS=$val
		;;
	--unpatched) KA_UNPATCHED=1 ;;
	--sanitize) KA_SANITIZE=1 ;;
	--force) KA_FORCE=1 ;;
	-q | --quiet) KA_QUIET=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	--)
		shift
		KA_ARGS+=("$@")
		KA_SHIFT=$(($# + 1))
		;;
	-*) ka_usage_error "unknown option '$opt'" ;;
	*) KA_ARGS+=("$opt") ;;
	esac
}

# After parsing: make paths absolute and export the settings, so that the
# scripts one script runs (build runs apply, apply runs fetch) see them.
ka_setup() {
	[ -n "$KA_JOBS" ] || KA_JOBS=$(nproc 2>/dev/null || echo 1)
	local d what err
	for what in work cache; do
		if [ $what = work ]; then d=$KA_WORK; else d=$KA_CACHE; fi
		if [ -e "$d" ] && [ ! -d "$d" ]; then
			ka_usage_error "the $what directory $d is not a directory (choose another with --$what)"
		fi
		# Written to before anything is done: a read-only one is named
		# with the reason, nothing half done.
		if ! err=$({ mkdir -p "$d" && : >"$d/.ka-write-test.$$" &&
			rm -f "$d/.ka-write-test.$$"; } 2>&1); then
			ka_die "cannot write the $what directory $d: ${err##*: } (choose another with --$what)"
		fi
	done
	KA_WORK=$(cd "$KA_WORK" && pwd)
	KA_CACHE=$(cd "$KA_CACHE" && pwd)
	if [ -d "$KA_OPENSSH_GIT" ]; then
		KA_OPENSSH_GIT=$(cd "$KA_OPENSSH_GIT" && pwd)
	fi
	if [ -d "$KA_OPENSSL_GIT" ]; then
		KA_OPENSSL_GIT=$(cd "$KA_OPENSSL_GIT" && pwd)
	fi
	export KEEPALIVE_WORK=$KA_WORK KEEPALIVE_CACHE=$KA_CACHE
	export OPENSSH_GIT=$KA_OPENSSH_GIT OPENSSL_GIT=$KA_OPENSSL_GIT
	export OPENSSH_MIRROR=$KA_MIRROR KEEPALIVE_QUIET=$KA_QUIET
	export KEEPALIVE_JOBS=$KA_JOBS
	export KEEPALIVE_UPSTREAM_VERSION=$KA_UPSTREAM_VERSION
	export KEEPALIVE_PATCHES=$KA_PATCHES KEEPALIVE_KEYS=$KA_KEYS
	export KEEPALIVE_GLUE=$KA_GLUE
	export KEEPALIVE_SUBSET=$KA_SUBSET
	export KEEPALIVE_PINNED_TOOLS=$KA_PINNED_TOOLS
	export KEEPALIVE_DEBIAN_MIRROR=$KA_DEBIAN_MIRROR
	ka_records_load
}

# The arguments a script passes on to the stage scripts it runs.
ka_variant_args() {
	if [ "$KA_UNPATCHED" = 1 ]; then
		echo --unpatched
	fi
	if [ "$KA_SANITIZE" = 1 ]; then
		echo --sanitize
	fi
}
ka_variant() {
	local v=patched
	[ "$KA_UNPATCHED" = 0 ] || v=unpatched
	[ "$KA_SANITIZE" = 0 ] || v=$v-sanitize
	echo "$v"
}

# Run another stage script with the same settings: ka_stage NAME ARGS...
ka_stage() {
	local name=$1
	shift
	"$KA_TOP/scripts/$name" "$@"
}

# ---------------------------------------------------------------------------
# Temporary files: one directory per process, removed on exit.

# Call ka_tmp (not in a subshell), then use $KA_TMP.
KA_TMP=
ka_tmp() {
	if [ -z "$KA_TMP" ]; then
		KA_TMP=$(mktemp -d "${TMPDIR:-/tmp}/keepalive.XXXXXX")
		trap 'ka_cleanup' EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
	fi
}
ka_cleanup() {
	if [ -n "$KA_CHILD" ]; then
		kill "$KA_CHILD" 2>/dev/null || true
	fi
	if [ -n "$KA_TMP" ]; then
		rm -rf "$KA_TMP"
	fi
}

# ---------------------------------------------------------------------------
# upstream-version: records "name version" -> the remaining fields.

declare -A KA_RECORD=()
KA_RECORD_ORDER=()

ka_records_load() {
	local f=$KA_UPSTREAM_VERSION n=0 line name ver tarball sha tag commit
	local crypto regen suite conf extra
	[ -r "$f" ] || ka_die "cannot read $f"
	KA_RECORD=()
	KA_RECORD_ORDER=()
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		[ -n "${line//[[:space:]]/}" ] || continue
		extra=
		read -r name ver tarball sha tag commit crypto regen suite conf \
			extra <<<"$line"
		if [ -z "$conf" ] || [ -n "$extra" ]; then
			ka_die "$f:$n: expected 10 fields (see the header), got: $line"
		fi
		case $name in
		openssh | openssl) ;;
		*) ka_die "$f:$n: field 1 must be openssh or openssl, not '$name'" ;;
		esac
		[[ $sha == - || $sha =~ ^[0-9a-f]{64}$ ]] ||
			ka_die "$f:$n: field 4 must be a sha256 (64 hex digits) or -, not '$sha'"
		[[ $commit == - || $commit =~ ^[0-9a-f]{40}$ ]] ||
			ka_die "$f:$n: field 6 must be a commit id (40 hex digits) or -, not '$commit'"
		[ -z "${KA_RECORD[$name $ver]:-}" ] ||
			ka_die "$f:$n: $name $ver listed twice"
		KA_RECORD[$name $ver]="$tarball $sha $tag $commit $crypto $regen $suite $conf"
		KA_RECORD_ORDER+=("$name $ver")
	done <"$f"
}

# ka_record NAME VERSION: set R_* from the record.
ka_record() {
	local rec=${KA_RECORD[$1 $2]:-}
	[ -n "$rec" ] || ka_die "no record '$1 $2' in $KA_UPSTREAM_VERSION"
	R_NAME=$1
	R_VERSION=$2
	read -r R_TARBALL R_SHA256 R_TAG R_COMMIT R_CRYPTO R_REGEN R_SUITE \
		R_CONFIGURE <<<"$rec"
}

# Versions of all records of one name, in file order.
ka_versions() {
	local key
	for key in "${KA_RECORD_ORDER[@]}"; do
		if [ "${key%% *}" = "$1" ]; then
			printf '%s\n' "${key#* }"
		fi
	done
}

ka_check_release() {
	if [ -z "${KA_RECORD[openssh $1]:-}" ]; then
		ka_error "unknown release '$1'; supported releases:" \
			"$(ka_versions openssh | tr '\n' ' ')"
		exit 2
	fi
}

# The releases named on the command line, or all of them.
ka_releases_or_all() {
	local rel
	if [ ${#KA_ARGS[@]} -eq 0 ]; then
		mapfile -t KA_ARGS < <(ka_versions openssh)
	fi
	for rel in "${KA_ARGS[@]}"; do
		ka_check_release "$rel"
	done
}

# OpenSSL candidates of a family ("openssl-1.0.2"), in preference order.
ka_openssl_candidates() {
	local v
	while read -r v; do
		if [ "openssl-${v%%[a-z]*}" = "$1" ]; then
			printf '%s\n' "$v"
		fi
	done < <(ka_versions openssl)
}

# Comma-separated field -> words on stdout, one per line.
ka_split_commas() {
	[ "$1" = - ] || tr ',' '\n' <<<"$1"
}

# ---------------------------------------------------------------------------
# Work directory layout.
#   $WORK/<release>/source            what fetch found (key=value)
#   $WORK/<release>/<variant>/src/<name>-<version>/   unpacked, patched tree
#   $WORK/<release>/<variant>/{prefix,empty,logs}/
#   $WORK/<release>/<variant>/stamp.{apply,build}     completed stages
#   $WORK/openssl/<version>/          private OpenSSL prefix
#   $WORK/results/                    regress and matrix results

ka_vdir() { printf '%s/%s/%s\n' "$KA_WORK" "$1" "$2"; }
ka_tree() {
	local d
	for d in "$(ka_vdir "$1" "$2")"/src/*/; do
		[ -d "$d" ] && printf '%s\n' "${d%/}" && return 0
	done
	return 1
}

# key=value files, written whole or not at all.
ka_kv_get() {
	local file=$1 key=$2
	[ -f "$file" ] || return 1
	sed -n "s/^$key=//p" "$file" | tail -n 1
}
ka_write_file() {
	local file=$1 tmp
	tmp=$file.tmp.$$
	cat >"$tmp"
	mv -f "$tmp" "$file"
}

# Stamps: a stage is done when its stamp holds the key of its inputs.
ka_stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
ka_stamp_write() { printf '%s\n' "$2" | ka_write_file "$1"; }

ka_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# ---------------------------------------------------------------------------
# Locks (flock): one per cache file and per $WORK/<release>/<variant>.
# The descriptor stays open until ka_unlock or exit.

declare -A KA_LOCKS=()
ka_lock() {
	local path=$1 fd err
	# A directory that cannot hold the lock (read-only, full) is named.
	if ! err=$({ mkdir -p "${path%/*}" && : >>"$path"; } 2>&1); then
		ka_die "cannot create lock file $path: ${err##*: } (--cache and --work must be writable)"
	fi
	exec {fd}>>"$path"
	if ! flock -n "$fd"; then
		ka_log "waiting for lock $path"
		flock -w "$KA_LOCK_TIMEOUT" "$fd" ||
			ka_die "gave up after ${KA_LOCK_TIMEOUT}s waiting for lock $path"
	fi
	KA_LOCKS[$path]=$fd
}
ka_unlock() {
	local fd=${KA_LOCKS[$1]:-}
	if [ -n "$fd" ]; then
		exec {fd}>&-
		unset "KA_LOCKS[$1]"
	fi
}
# Run a command without our lock descriptors, so that a daemon it leaves
# behind cannot hold our locks.  ka_exec_unlocked replaces the shell it
# runs in: call it in a subshell.
ka_exec_unlocked() {
	local fd
	for fd in "${KA_LOCKS[@]}"; do
		exec {fd}>&-
	done
	exec "$@"
}
ka_run_unlocked() {
	(ka_exec_unlocked "$@")
}

# ka_run_wait CMD...: ka_run_unlocked CMD in the background, waiting for
# it.  Bash holds a trapped INT or TERM until a foreground child ends, and
# a child such as timeout(1) runs in a process group of its own, so an
# interrupted script would leave it running; this way the trap runs at once
# and ka_cleanup ends the child (its PID in KA_CHILD: the background
# subshell has become CMD).
KA_CHILD=
ka_run_wait() {
	local rc=0
	ka_tmp
	ka_exec_unlocked "$@" &
	KA_CHILD=$!
	wait "$KA_CHILD" || rc=$?
	KA_CHILD=
	return $rc
}
ka_cache_lock() { ka_lock "$KA_CACHE/.locks/$1.lock"; }
ka_cache_unlock() { ka_unlock "$KA_CACHE/.locks/$1.lock"; }

# ---------------------------------------------------------------------------
# Downloads.  ka_download URL DEST: 0 on success; otherwise 1 with the
# reason in KA_ERR.  DEST appears only when complete.

ka_download() {
	local url=$1 dest=$2 part out
	part=$dest.part.$$
	rm -f "$part"
	KA_ERR=
	if command -v curl >/dev/null; then
		if ! out=$(curl -fsSL --connect-timeout "$KA_CONNECT_TIMEOUT" \
			--max-time 1800 -o "$part" "$url" 2>&1); then
			KA_ERR=${out##*curl: }
			KA_ERR=${KA_ERR:-download failed}
			rm -f "$part"
			return 1
		fi
	elif ! out=$(/usr/lib/apt/apt-helper \
		-o Acquire::http::Timeout="$KA_CONNECT_TIMEOUT" \
		-o Acquire::https::Timeout="$KA_CONNECT_TIMEOUT" \
		download-file "$url" "$part" 2>&1); then
		KA_ERR=$(grep -E '^(E|Err)' <<<"$out" | tail -n 1)
		KA_ERR=${KA_ERR:-download failed}
		rm -f "$part"
		return 1
	fi
	mv -f "$part" "$dest"
}

# ---------------------------------------------------------------------------
# Git sources.  ka_git_tag NAME TAG: a git directory holding tag TAG of
# NAME's repository (openssh: --openssh-git, openssl: --openssl-git), in
# KA_GITDIR; 1 with the reason in KA_ERR when it cannot be had.
#
# A local repository (a directory) is read through a shadow repository
# under the cache that borrows its objects (objects/info/alternates) and
# copies its tag refs (and its list of shallow commits, for a clone made
# with --depth): git then opens it whoever owns it, and whatever it
# lacks that git needs to open a repository as it stands (a read-only copy
# without refs/), and it is never written to.  A URL is fetched tag by tag
# (depth 1) into a bare repository under the cache.

ka_git_tag() {
	local name=$1 tag=$2 spec src gd out
	if [ "$name" = openssh ]; then spec=$KA_OPENSSH_GIT; else spec=$KA_OPENSSL_GIT; fi
	KA_ERR=
	if [ -d "$spec" ]; then
		src=$spec
		[ ! -d "$spec/.git" ] || src=$spec/.git
		if [ ! -d "$src/objects" ]; then
			KA_ERR="$spec is not a git repository (no objects/ in it)"
			return 1
		fi
		src=$(cd "$src" && pwd)
		gd=$KA_CACHE/git/local-$name-$(printf '%s' "$src" | sha256sum | cut -c1-12).git
		ka_cache_lock "git-$name"
		# Called as a condition: errexit is off, each step is checked.
		# Readers use the shadow without the lock (concurrent fetches, and
		# gen-patches --check beside them): each file is replaced by a
		# rename, never removed or truncated under a reader.
		if ! out=$({ [ -f "$gd/HEAD" ] || { rm -rf "$gd" &&
			git init -q --bare "$gd"; }; } 2>&1 &&
			printf '%s\n' "$src/objects" >"$gd/objects/info/alternates.$$" &&
			mv -f "$gd/objects/info/alternates.$$" "$gd/objects/info/alternates" &&
			mkdir -p "$gd/refs/tags" &&
			{ [ ! -f "$src/packed-refs" ] || { cp "$src/packed-refs" "$gd/packed-refs.$$" &&
				mv -f "$gd/packed-refs.$$" "$gd/packed-refs"; }; } &&
			if [ -f "$src/shallow" ]; then
				cp "$src/shallow" "$gd/shallow.$$" && mv -f "$gd/shallow.$$" "$gd/shallow"
			else
				rm -f "$gd/shallow"
			fi &&
			{ [ ! -d "$src/refs/tags" ] || cp -R "$src/refs/tags/." "$gd/refs/tags/"; }); then
			ka_cache_unlock "git-$name"
			KA_ERR="cannot read $spec through $gd: ${out:-see above}"
			return 1
		fi
		ka_cache_unlock "git-$name"
	else
		gd=$KA_CACHE/git/$name.git
		ka_cache_lock "git-$name"
		[ -d "$gd" ] || git init -q --bare "$gd"
		if ! git -C "$gd" rev-parse -q --verify "refs/tags/$tag^{commit}" >/dev/null &&
			! out=$(GIT_TERMINAL_PROMPT=0 timeout 900 git -C "$gd" \
				-c http.lowSpeedLimit=1000 -c http.lowSpeedTime=60 \
				fetch -q --depth 1 --no-tags "$spec" \
				"+refs/tags/$tag:refs/tags/$tag" 2>&1); then
			ka_cache_unlock "git-$name"
			# git's first "fatal:" line says why; what follows is advice.
			KA_ERR="git $spec: $(grep -m 1 '^fatal: ' <<<"$out" || tail -n 1 <<<"$out")"
			return 1
		fi
		ka_cache_unlock "git-$name"
	fi
	if ! git -C "$gd" rev-parse -q --verify "refs/tags/$tag^{commit}" >/dev/null; then
		KA_ERR="git $spec: no tag $tag"
		return 1
	fi
	KA_GITDIR=$gd
}

# ---------------------------------------------------------------------------
# Keys and signatures (keys/README).

# ka_keyring NAME: a private GNUPGHOME holding only keys/NAME.asc, and a
# keyring file for gpgv; sets KA_GNUPGHOME and KA_KEYRING.
ka_keyring() {
	local name=$1 asc=$KA_KEYS/$1.asc
	[ -r "$asc" ] || ka_die "no keys for $name: $asc is missing"
	ka_tmp
	KA_GNUPGHOME=$KA_TMP/gnupg-$name
	KA_KEYRING=$KA_TMP/$name.gpg
	if [ ! -s "$KA_KEYRING" ]; then
		mkdir -p "$KA_GNUPGHOME"
		chmod 700 "$KA_GNUPGHOME"
		GNUPGHOME=$KA_GNUPGHOME gpg --batch --quiet --import "$asc" \
			>/dev/null 2>&1 || ka_die "cannot import $asc"
		GNUPGHOME=$KA_GNUPGHOME gpg --batch --export >"$KA_KEYRING"
	fi
}

# ka_verify_sig NAME FILE ASC: 0 and KA_SIG_FPR when ASC is a good
# signature of FILE by a key of keys/NAME.asc; 1 and KA_ERR otherwise.
ka_verify_sig() {
	local name=$1 file=$2 asc=$3 status
	ka_keyring "$name"
	KA_SIG_FPR=
	if status=$(gpgv --status-fd 1 --keyring "$KA_KEYRING" "$asc" "$file" \
		2>/dev/null); then
		KA_SIG_FPR=$(awk '$2 == "VALIDSIG" { print $NF; exit }' <<<"$status")
		[ -n "$KA_SIG_FPR" ] && return 0
	fi
	if grep -q ' BADSIG ' <<<"$status"; then
		KA_ERR="BAD signature in ${asc##*/} (key $(awk '$2 == "BADSIG" { print $3 }' <<<"$status"))"
	elif grep -q ' NO_PUBKEY \| ERRSIG ' <<<"$status"; then
		KA_ERR="${asc##*/} is signed by key $(awk '$2 == "ERRSIG" { print $3; exit }' <<<"$status"), which is not in keys/$name.asc"
	else
		KA_ERR="${asc##*/} is not a valid signature of ${file##*/}"
	fi
	return 1
}

# ka_verify_tarball NAME FILE SHA256: check FILE and, when FILE.asc exists,
# its signature.  Sets KA_VERIFIED and KA_SIGNATURE.  On any failure both
# files are removed and the script stops.
ka_verify_tarball() {
	local name=$1 file=$2 want=$3 got errors=() what=$2
	KA_SIGNATURE="sha256 only"
	if [ -f "$file.asc" ]; then
		what="$file and $file.asc"
		if ka_verify_sig "$name" "$file" "$file.asc"; then
			KA_SIGNATURE="good ($KA_SIG_FPR)"
		else
			errors+=("signature: $KA_ERR")
		fi
	fi
	got=$(ka_sha256 "$file")
	if [ "$got" != "$want" ]; then
		errors+=("sha256 mismatch for $file: expected $want, got $got")
	fi
	if [ ${#errors[@]} -gt 0 ]; then
		rm -f "$file" "$file.asc"
		for got in "${errors[@]}"; do
			ka_error "$got"
		done
		ka_die "removed $what; not used"
	fi
	KA_VERIFIED="sha256 ok"
}

# KEEPALIVE_VERSION of module/keepalive.h.
# ka_project_commit: this checkout's commit, marked when the files that make
# the results (patches, glue, module, scripts) have uncommitted changes.
ka_project_commit() {
	local c
	c=$(git -C "$KA_TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
	[ -z "$(git -C "$KA_TOP" status --porcelain -- patches glue module scripts 2>/dev/null)" ] ||
		c="$c (with uncommitted changes)"
	printf '%s\n' "$c"
}

ka_keepalive_version() {
	local h=$KA_TOP/module/keepalive.h v
	v=$(sed -n 's/^#define[[:space:]]*KEEPALIVE_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' "$h")
	[ -n "$v" ] || ka_die "$h: expected a line '#define KEEPALIVE_VERSION \"X.Y\"'; none found"
	printf '%s\n' "$v"
}

# ---------------------------------------------------------------------------
# Series files (quilt format: one patch name per line, optional -p1,
# comments after #).

# ka_series_names SERIES DIR...: the names of SERIES in order; each must
# exist in one of the DIRs.
ka_series_names() {
	local series=$1 line n=0 name rest d found
	shift
	[ -f "$series" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		read -r name rest <<<"$line" || true
		[ -n "$name" ] || continue
		case $rest in
		'' | -p1) ;;
		*) ka_die "$series:$n: only -p1 patches are supported, not '$rest'" ;;
		esac
		found=
		for d in "$@"; do
			[ -f "$d/$name" ] && found=1 && break
		done
		[ -n "$found" ] ||
			ka_die "$series:$n: $name is listed but $1/$name does not exist"
		printf '%s\n' "$name"
	done <"$series"
}

# A build fix (NNNN-build-*.patch) applies to the unpatched variant too.
ka_is_build_fix() { [[ ${1##*/} == [0-9]*-build-*.patch ]]; }

# Private apt configuration under the cache: deb-src lines for every suite
# named in upstream-version; the system's apt configuration is not touched.
# Used by fetch (orig tarballs) and debian-source (whole source packages);
# 0, or 1 with the reason in KA_ERR.
KA_APT_OPTS=()
ka_apt_setup() {
	local d=$KA_CACHE/apt suite list stale
	KA_APT_OPTS=(-o "Dir::Etc::SourceList=$d/sources.list"
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$d/lists"
		-o "Dir::Cache=$d/cache" -o Debug::NoLocking=1
		-o Acquire::Retries=1
		-o Acquire::http::Timeout="$KA_CONNECT_TIMEOUT")
	if [ "$(id -u)" = 0 ]; then
		KA_APT_OPTS+=(-o APT::Sandbox::User=root)
	fi
	list=$(for key in "${KA_RECORD_ORDER[@]}"; do
		read -r _ _ _ _ _ _ suite _ <<<"${KA_RECORD[$key]}"
		if [ "$suite" != - ]; then
			echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main"
		fi
	done | sort -u)
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	stale=$(find "$d/lists" -maxdepth 1 -name '*Sources*' -mmin -1440 -print -quit)
	if [ "$list" != "$(cat "$d/sources.list" 2>/dev/null)" ] || [ -z "$stale" ]; then
		printf '%s\n' "$list" >"$d/sources.list"
		ka_log "updating the private apt lists ($d)"
		if ! timeout 600 apt-get "${KA_APT_OPTS[@]}" -q update \
			>"$d/update.log" 2>&1; then
			KA_ERR="apt-get update failed: $(grep -E '^(E|W):' "$d/update.log" | tail -n 1)"
			return 1
		fi
	fi
}

# ---------------------------------------------------------------------------
# Autotools.  ka_regen DIR CMD LOG: regenerate configure in DIR with CMD
# (ka_tool: the installed command, or its pinned package).

ka_regen() {
	local dir=$1 cmd=$2 log=$3
	ka_tool "$cmd"
	ka_step "$log" "regenerating configure with $KA_TOOL_WHAT" \
		env -C "$dir" "$KA_TOOL"
	# What autoreconf leaves beside: its cache, autoheader's config.h.in~
	# and the configure~ of autoconf >= 2.70 (a copy of the old configure,
	# which no build uses and no packager's %prep makes).
	rm -rf "$dir/autom4te.cache" "$dir/config.h.in~" "$dir/configure~"
}
ka_regen_package() {
	case $1 in
	autoreconf) echo autoconf ;;
	autoreconf*) echo "autoconf${1#autoreconf}" ;;
	*) echo "$1" ;;
	esac
}

# ---------------------------------------------------------------------------
# Pinned tools (pinned-tools): a command the host may lack, run from a
# Debian package pinned by file name and sha256.

# ka_pinned_record CMD: P_FILE and P_SHA256 of CMD's record, after checking
# every record of the file; 1 when CMD has none.
ka_pinned_record() {
	local f=$KA_PINNED_TOOLS n=0 line cmd file sha extra found=1
	[ -r "$f" ] || ka_die "cannot read $f"
	P_FILE=
	P_SHA256=
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		[ -n "${line//[[:space:]]/}" ] || continue
		file=
		sha=
		extra=
		read -r cmd file sha extra <<<"$line"
		if [ -z "$sha" ] || [ -n "$extra" ]; then
			ka_die "$f:$n: expected 3 fields (command, package file, sha256), got: $line"
		fi
		[[ $file =~ ^pool/[A-Za-z0-9_.+/-]+/[A-Za-z0-9_.+-]+\.deb$ ]] ||
			ka_die "$f:$n: field 2 must be a package file of the archive (pool/.../NAME_VERSION_ARCH.deb), not '$file'"
		[[ $sha =~ ^[0-9a-f]{64}$ ]] ||
			ka_die "$f:$n: field 3 must be a sha256 (64 hex digits), not '$sha'"
		if [ "$cmd" = "$1" ] && [ $found = 1 ]; then
			P_FILE=$file
			P_SHA256=$sha
			found=0
		fi
	done <"$f"
	return $found
}

# ka_tool CMD: KA_TOOL, the command to run for CMD, and KA_TOOL_WHAT, what
# it is for progress lines.  CMD itself when installed; otherwise the copy
# of its pinned package under the download cache, fetched, verified and
# unpacked the first time, verified every time, said in a progress line.
ka_tool() {
	local cmd=$1 deb dir got url
	if KA_TOOL=$(command -v "$cmd"); then
		KA_TOOL_WHAT=$cmd
		return 0
	fi
	ka_pinned_record "$cmd" ||
		ka_die "$cmd not found; install it: apt-get install $(ka_regen_package "$cmd")"
	deb=$KA_CACHE/${P_FILE##*/}
	dir=$KA_CACHE/tools/${P_FILE##*/}
	dir=${dir%.deb}
	[[ $dir =~ ^[A-Za-z0-9_./+-]+$ ]] ||
		ka_die "cannot run $cmd from the cache: its path $dir has characters other than A-Z a-z 0-9 _ . / + - (choose another with --cache)"
	ka_cache_lock "${P_FILE##*/}"
	if [ ! -f "$deb" ]; then
		url=$KA_DEBIAN_MIRROR/$P_FILE
		ka_log "$cmd is not installed: downloading the pinned package $url"
		ka_download "$url" "$deb" ||
			ka_die "cannot download $url: $KA_ERR (put ${P_FILE##*/} in $KA_CACHE, or install $cmd)"
	fi
	got=$(ka_sha256 "$deb") || ka_die "cannot read $deb"
	if [ "$got" != "$P_SHA256" ]; then
		rm -f "$deb"
		rm -rf "$dir"
		ka_die "sha256 mismatch for $deb: expected $P_SHA256 (${KA_PINNED_TOOLS##*/}), got $got; removed, not used"
	fi
	if [ "$(cat "$dir/.sha256" 2>/dev/null)" != "$P_SHA256" ]; then
		ka_unpack_deb "$deb" "$dir"
		printf '%s\n' "$P_SHA256" >"$dir/.sha256" || ka_die "cannot write $dir/.sha256"
	fi
	ka_cache_unlock "${P_FILE##*/}"
	KA_TOOL=$dir/usr/bin/$cmd
	[ -x "$KA_TOOL" ] || ka_die "${deb##*/} has no usr/bin/$cmd"
	KA_TOOL_WHAT="$cmd of the pinned ${deb##*/}"
	ka_log "$cmd is not installed: running it from ${deb##*/} (sha256 $P_SHA256 as ${KA_PINNED_TOOLS##*/} pins), unpacked in $dir"
}

# ka_unpack_deb DEB DIR: DEB's files in DIR (replaced whole), with the
# absolute paths to its own commands (/usr/bin/X) and data directories
# (/usr/share/D) in its scripts and .cfg files rewritten to DIR's copies,
# so that nothing installed on the host is used in their place.
ka_unpack_deb() {
	local deb=$1 dir=$2 tmp data f b exprs=() files=()
	tmp=$dir.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp/root" || ka_die "cannot create $tmp"
	if command -v dpkg-deb >/dev/null; then
		dpkg-deb -x "$deb" "$tmp/root" || ka_die "dpkg-deb -x $deb failed"
	elif command -v ar >/dev/null; then
		(cd "$tmp" && ar x "$deb") || ka_die "ar x $deb failed"
		data=$(find "$tmp" -maxdepth 1 -name 'data.tar*' -print -quit)
		[ -n "$data" ] || ka_die "$deb holds no data.tar.*"
		tar -xf "$data" -C "$tmp/root" || ka_die "cannot unpack ${data##*/} of $deb"
	else
		ka_die "cannot unpack $deb: neither dpkg-deb nor ar (binutils) is installed"
	fi
	for f in "$tmp/root/usr/bin/"*; do
		[ -f "$f" ] || continue
		b=${f##*/}
		exprs+=(-e "s|/usr/bin/${b//./\\.}\\b|$dir/usr/bin/$b|g")
		files+=("$f")
	done
	for f in "$tmp/root/usr/share/"*; do
		b=${f##*/}
		case $b in doc | man | info | lintian | doc-base) continue ;; esac
		exprs+=(-e "s|/usr/share/${b//./\\.}\\b|$dir/usr/share/$b|g")
	done
	mapfile -t -O ${#files[@]} files < <(find "$tmp/root/usr/share" -name '*.cfg' -type f)
	if [ ${#exprs[@]} -gt 0 ] && [ ${#files[@]} -gt 0 ]; then
		sed -i "${exprs[@]}" "${files[@]}" || ka_die "cannot rewrite the paths of $tmp"
	fi
	rm -rf "$dir"
	mv "$tmp/root" "$dir" || ka_die "cannot move $tmp/root to $dir"
	rm -rf "$tmp"
}

# Files whose change makes configure stale.
KA_AUTOCONF_INPUTS='^\+\+\+ [^/]+/(configure\.(ac|in)|aclocal\.m4|acinclude\.m4|acconfig\.h|m4/)'

# ---------------------------------------------------------------------------
# sshd's privilege separation user.  sshd run as root needs the system user
# "sshd" (as Debian's openssh-server creates it); ka_privsep_user creates it
# when missing, as root, and says so.

ka_privsep_user() {
	[ "$(id -u)" = 0 ] || return 0
	getent passwd sshd >/dev/null && return 0
	ka_log "creating the system user sshd (sshd's privilege separation needs it)"
	useradd --system --no-create-home --home-dir /run/sshd \
		--shell /usr/sbin/nologin sshd
}

# ka_localhost: the name localhost resolves, as regress tests need (stdio
# forwarding connects to localhost:PORT).  A root made by mmdebstrap or
# debootstrap has no /etc/hosts: as root, the lines Debian's installer
# writes are added (announced); otherwise a warning says what to add.
ka_localhost() {
	getent hosts localhost >/dev/null && return 0
	if [ "$(id -u)" = 0 ]; then
		ka_log "adding localhost to /etc/hosts (the name does not resolve; regress tests connect to it)"
		printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >>/etc/hosts
	else
		ka_warn "the name localhost does not resolve (no /etc/hosts?): regress tests that connect to it fail; add '127.0.0.1 localhost' to /etc/hosts"
	fi
}

# The account's shell startup files.  sshd runs a session's command with
# the account's shell, and Debian's bash reads ~/.bashrc for a command over
# ssh (zsh: ~/.zshenv): a startup file that is slow, or that blocks (a
# version manager waiting up to 60 s on a lock that a session frozen by a
# test left behind), delays every login of the tests' servers.
KA_STARTUP_FILES=(.bashrc .bash_profile .bash_login .profile .zshenv
	.zprofile .zshrc .zlogin .cshrc .tcshrc .login .kshrc .mkshrc)

# ka_account FIELD: field FIELD of the account's passwd entry (6: home,
# 7: shell).
ka_account() { getent passwd "$(id -un)" | cut -d: -f"$1"; }

# ka_startup_files_private SCRIPT ARG...: run by a script that starts test
# servers (tests/run, scripts/regress, scripts/matrix) after parsing its
# options.  As root, where unshare(1) can make a private mount namespace,
# runs SCRIPT ARG... again in one of its own, in which the account's
# startup files read as empty (ka_mask_startup_files, announced); once,
# however the scripts call each other (KA_STARTUP_FILES_MASKED: pending,
# yes, or no where this cannot be done).
ka_startup_files_private() {
	local masked
	case ${KA_STARTUP_FILES_MASKED:-} in
	'')
		if [ "$(id -u)" = 0 ] &&
			unshare --mount --propagation private true 2>/dev/null; then
			export KA_STARTUP_FILES_MASKED=pending
			exec unshare --mount --propagation private "$@"
		fi
		export KA_STARTUP_FILES_MASKED=no
		;;
	pending)
		masked=$(ka_mask_startup_files | paste -s -d ' ') ||
			ka_die "cannot mask the account's startup files (mount --bind /dev/null failed)"
		export KA_STARTUP_FILES_MASKED=yes
		ka_log "the account's startup files read as empty to the sessions of test servers: ${masked:-none in its home}"
		;;
	esac
}

# ka_mask_startup_files: as root, in a mount namespace of the caller's own
# (unshare --mount --propagation private), bind /dev/null over each of
# KA_STARTUP_FILES in the account's home that exists, so that sessions
# read them as empty; prints each file masked.  Nothing outside the
# namespace changes.
ka_mask_startup_files() {
	local home f
	home=$(ka_account 6)
	[ -n "$home" ] && [ -d "$home" ] || return 0
	for f in "${KA_STARTUP_FILES[@]}"; do
		[ -f "$home/$f" ] || continue
		mount --bind /dev/null "$home/$f" || return 1
		printf '%s\n' "$home/$f"
	done
}

# ---------------------------------------------------------------------------
# Packages.

# ka_missing_packages PKG...: those not installed, by dpkg; on a host
# without dpkg, those whose check (KA_PACKAGE_CHECKS) fails.
ka_missing_packages() {
	local p
	for p in "$@"; do
		if command -v dpkg-query >/dev/null; then
			dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
				grep -q 'install ok installed' || printf '%s\n' "$p"
		else
			ka_package_check "$p" || printf '%s\n' "$p"
		fi
	done
}

# ka_package_row PKG: KA_PKG_CHECK and KA_PKG_FEDORA of PKG's row of
# KA_PACKAGE_CHECKS; 1 when it has none.
ka_package_row() {
	local deb check fedora
	while read -r deb check fedora; do
		if [ "$deb" = "$1" ]; then
			KA_PKG_CHECK=$check
			KA_PKG_FEDORA=$fedora
			return 0
		fi
	done <<<"$KA_PACKAGE_CHECKS"
	return 1
}

# ka_package_check PKG: 0 when what PKG gives is there; otherwise 1 and
# KA_PKG_MISSING, what is not (a package without a row: itself).
ka_package_check() {
	local all any c ok alts=()
	KA_PKG_MISSING=
	if ! ka_package_row "$1"; then
		KA_PKG_MISSING="package $1"
		return 1
	fi
	IFS=, read -ra all <<<"$KA_PKG_CHECK"
	for any in "${all[@]}"; do
		IFS='|' read -ra alts <<<"$any"
		ok=1
		for c in "${alts[@]}"; do
			if ka_check_one "$c"; then
				ok=0
				break
			fi
		done
		if [ $ok != 0 ]; then
			KA_PKG_MISSING="${KA_PKG_MISSING:+$KA_PKG_MISSING, }$(ka_check_name "${alts[@]}")"
		fi
	done
	[ -z "$KA_PKG_MISSING" ]
}
ka_check_one() {
	local probe
	case $1 in
	cmd:*) command -v "${1#cmd:}" >/dev/null ;;
	file:*) [ -e "${1#file:}" ] ;;
	header:*)
		# shellcheck disable=SC2086 # CC may hold flags
		printf '#include <%s>\n' "${1#header:}" |
			${CC:-cc} -E -x c - >/dev/null 2>&1
		;;
	python:*)
		# Any python3 on PATH (the tests look for one with the module).
		for probe in $(type -ap python3); do
			"$probe" -c "import ${1#python:}" >/dev/null 2>&1 && return 0
		done
		return 1
		;;
	m32 | fuzzer)
		ka_tmp
		probe=$KA_TMP/probe-$1
		if [ "$1" = m32 ]; then
			# shellcheck disable=SC2086 # CC may hold flags
			${CC:-cc} -m32 -x c -o "$probe" - <<<'int main(void) { return 0; }' \
				>/dev/null 2>&1
		else
			clang -fsanitize=fuzzer -x c -o "$probe" - \
				<<<'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' \
				>/dev/null 2>&1
		fi
		;;
	*) return 1 ;;
	esac
}
ka_check_name() {
	local c name names=
	for c in "$@"; do
		case $c in
		cmd:*) name="command ${c#cmd:}" ;;
		file:*) name="file ${c#file:}" ;;
		header:*) name="header ${c#header:}" ;;
		python:*) name="python module ${c#python:}" ;;
		m32) name="32-bit C library (cc -m32)" ;;
		fuzzer) name="libFuzzer runtime (clang -fsanitize=fuzzer)" ;;
		*) name="check '$c'" ;;
		esac
		names="${names:+$names or }$name"
	done
	printf '%s\n' "$names"
}

# ka_install_packages PKG...: as root install the missing ones (announced),
# otherwise print the command and stop.  On a host without dpkg, what is
# missing is named by command, header or file, with the Debian and the
# Fedora/RHEL package that give it, and the script stops.
ka_install_packages() {
	local missing p fedora=()
	mapfile -t missing < <(ka_missing_packages "$@")
	[ ${#missing[@]} -gt 0 ] || return 0
	if ! command -v dpkg-query >/dev/null; then
		ka_error "missing (no dpkg here; checked by command, header and file):"
		for p in "${missing[@]}"; do
			ka_package_check "$p" || true
			ka_package_row "$p" || KA_PKG_FEDORA=-
			if [ "$KA_PKG_FEDORA" = - ]; then
				printf '  %s (Debian: %s; no Fedora/RHEL package)\n' "$KA_PKG_MISSING" "$p" >&2
			else
				printf '  %s (Debian: %s; Fedora/RHEL: %s)\n' "$KA_PKG_MISSING" "$p" "$KA_PKG_FEDORA" >&2
				[[ " ${fedora[*]} " == *" $KA_PKG_FEDORA "* ]] || fedora+=("$KA_PKG_FEDORA")
			fi
		done
		if [ ${#fedora[@]} -gt 0 ]; then
			printf 'On Fedora/RHEL, as root: dnf install %s\n' "${fedora[*]}" >&2
		fi
		exit 1
	fi
	if [ "$(id -u)" != 0 ]; then
		ka_error "missing Debian packages; as root run:"
		printf '  apt-get install --no-install-recommends %s\n' "${missing[*]}" >&2
		exit 1
	fi
	ka_log "installing missing packages: ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >&2; then
		apt-get update -q >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "${missing[@]}" >&2
	fi
}

# ka_available_packages PKG...: those the host's apt knows (for
# KA_IF_AVAILABLE_PACKAGES); none without apt.
ka_available_packages() {
	local p
	command -v apt-cache >/dev/null || return 0
	for p in "$@"; do
		if apt-cache show "$p" >/dev/null 2>&1; then
			printf '%s\n' "$p"
		fi
	done
}
