#!/bin/bash
# Debian: bookworm's openssh source package (9.2p1 and Debian's patch stack)
# with our series appended to debian/patches/series (scripts/debian-source:
# the Debian variants of patches/debian/9.2p1/ where Debian's patches clash),
# built by dpkg-buildpackage; then, on the built binaries, Debian's keepalive
# keywords and defaults (ProtocolKeepAlives, SetupTimeOut, ServerAliveInterval
# 300 in BatchMode) with ssh -G and sshd -T, and the end-to-end dead-peer
# scenarios of tests/e2e/lib.sh.  As root (apt-get build-dep, sshd's
# privilege separation); skipped otherwise, or when Debian's archive cannot
# be reached.  Times and results: WORK/results/debian-9.2p1.md.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
. "$T_TOP/tests/e2e/lib.sh"

rel=9.2p1
profiles=noudeb,pkg.openssh.nognome	# no installer udebs, no GTK askpass
t_ports "${DEBIAN_E2E_PORT:-20100}" 10
port=$T_PORT		# and the two after it
work=${KEEPALIVE_WORK:-$T_TOP/work}
made_privsep_dir=
cleanup() {
	e2e_end
	[ -z "$made_privsep_dir" ] || rmdir "$made_privsep_dir" 2>/dev/null || true
	rm -rf "$T_TMP"
}
trap cleanup EXIT

if out=$("$T_TOP/scripts/debian-source" --help 2>&1) &&
	grep -q '^Usage: debian-source ' <<<"$out" && grep -q -- '--work DIR' <<<"$out"; then
	t_pass debian/help
else
	t_fail debian/help "$(head -n 3 <<<"$out")"
fi

if [ "$(id -u)" != 0 ]; then
	t_skip "debian/$rel" "needs root (apt-get build-dep; sshd privilege separation)"
	exit 0
fi
for c in dpkg-source dpkg-buildpackage dpkg-deb apt-get; do
	if ! command -v "$c" >/dev/null; then
		t_skip "debian/$rel" "$c not found (apt-get install dpkg-dev)"
		exit 0
	fi
done

start=$SECONDS
timing=()
step_time() { timing+=("$1: $((SECONDS - $2)) s"); }

# 1. Debian's source package with our series after Debian's patches.
t0=$SECONDS
rc=0
tree=$("$T_TOP/scripts/debian-source" "$rel" 2>"$T_TMP/source.log") || rc=$?
if [ $rc = 3 ]; then
	t_skip "debian/$rel" "Debian's source package cannot be had: $(grep error: "$T_TMP/source.log" | tail -n 1)"
	exit 0
elif [ $rc != 0 ]; then
	t_fail "debian/$rel/series-applies" "$(tail -n 6 "$T_TMP/source.log")"
	exit 0
fi
step_time "source package + dpkg-source --before-build" "$t0"
mapfile -t ours < <(pk_series "$T_TOP/patches/debian/$rel")
mapfile -t applied < <(grep -v '^#' "$tree/.pc/applied-patches")
debian_count=$(($(grep -cv '^#' "$tree/debian/patches/series") - ${#ours[@]}))
if [ "${applied[*]: -${#ours[@]}}" = "${ours[*]}" ] &&
	[ ${#applied[@]} = $((debian_count + ${#ours[@]})) ] && [ "$debian_count" -gt 0 ]; then
	t_pass "debian/$rel/series-applies"
else
	t_fail "debian/$rel/series-applies" "applied: ${applied[*]: -8}"
fi

# 2. Build dependencies: only what is missing.
t0=$SECONDS
if ! (cd "$tree" && dpkg-checkbuilddeps -P"$profiles") >/dev/null 2>&1; then
	if ! DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q -P "$profiles" \
		"$tree" >"$T_TMP/build-dep.log" 2>&1; then
		t_fail "debian/$rel/build-dep" "$(tail -n 4 "$T_TMP/build-dep.log")"
		exit 0
	fi
fi
step_time "apt-get build-dep ($profiles)" "$t0"

# 3. Binary packages.
t0=$SECONDS
log=$work/debian/$rel/dpkg-buildpackage.log
rm -f "$tree"/../*.deb "$tree"/../*.ddeb "$tree"/../*.changes "$tree"/../*.buildinfo
if (cd "$tree" && DEB_BUILD_OPTIONS="nocheck noddebs parallel=$(nproc)" \
	dpkg-buildpackage -us -uc -b -P"$profiles") >"$log" 2>&1; then
	t_pass "debian/$rel/dpkg-buildpackage"
else
	t_fail "debian/$rel/dpkg-buildpackage" "$(tail -n 6 "$log")"
	exit 0
fi
step_time "dpkg-buildpackage -b" "$t0"

# 4. The built ssh and sshd, unpacked (not installed).
root=$T_TMP/root
bin=$T_TMP/bin
mkdir -p "$root" "$bin"
for deb in "$tree"/../openssh-client_*.deb "$tree"/../openssh-server_*.deb; do
	dpkg-deb -x "$deb" "$root"
done
ln -s "$root/usr/bin/ssh" "$root/usr/bin/ssh-keygen" "$root/usr/sbin/sshd" "$bin/"
version=$("$bin/ssh" -V 2>&1)
if [[ $version == OpenSSH_9.2p1\ Debian-* ]]; then
	t_pass "debian/$rel/built-ssh-is-debian"
else
	t_fail "debian/$rel/built-ssh-is-debian" "ssh -V: $version"
fi
# Debian's sshd chroots its unprivileged child into /run/sshd as user sshd.
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd
	made_privsep_dir=/run/sshd
fi
t_privsep_user

# 5. Debian's keywords and defaults, through our parser.
e2e_use "$bin" "$T_TMP/e2e" "$port"
# expect_g NAME "KEY VALUE" ssh|sshd ARGS...: the dumped configuration has
# the line KEY VALUE.
expect_g() {
	local name=$1 want=$2 prog=$3 out
	shift 3
	if [ "$prog" = ssh ]; then
		out=$("$bin/ssh" -G "$@" e2e 2>&1) || true
	else
		printf 'HostKey %s\n' "$E2E_DIR/host_key" >"$T_TMP/sshd_config.g"
		printf '%s\n' "$@" >>"$T_TMP/sshd_config.g"
		out=$("$bin/sshd" -T -f "$T_TMP/sshd_config.g" 2>&1) || true
	fi
	if grep -qxF "$want" <<<"$out"; then
		t_pass "debian/$rel/config/$name"
	else
		t_fail "debian/$rel/config/$name" "expected '$want', got: $(grep "^${want%% *} " <<<"$out" || tail -n 2 <<<"$out")"
	fi
}
# expect_err NAME "A|B" ssh|sshd ARGS...: a configuration error whose message
# has A and B (any case: ssh lowercases keywords in its messages).
expect_err() {
	local name=$1 prog=$3 out rc=0 n
	local -a needles
	IFS='|' read -r -a needles <<<"$2"
	shift 3
	if [ "$prog" = ssh ]; then
		out=$("$bin/ssh" -G "$@" e2e 2>&1) || rc=$?
	else
		printf 'HostKey %s\n' "$E2E_DIR/host_key" >"$T_TMP/sshd_config.g"
		printf '%s\n' "$@" >>"$T_TMP/sshd_config.g"
		out=$("$bin/sshd" -T -f "$T_TMP/sshd_config.g" 2>&1) || rc=$?
	fi
	for n in "${needles[@]}"; do
		if [ $rc = 0 ] || ! grep -qiF -- "$n" <<<"$out"; then
			t_fail "debian/$rel/config/$name" "status $rc: $(head -n 2 <<<"$out")"
			return 0
		fi
	done
	t_pass "debian/$rel/config/$name"
}
printf 'Host *\n\tProtocolKeepAlives 5m\n' >"$T_TMP/ssh_config.alias"
expect_g ssh-default-interval "serveraliveinterval 0" ssh -F /dev/null
expect_g ssh-default-count "serveralivecountmax 3" ssh -F /dev/null
expect_g ssh-batchmode-300 "serveraliveinterval 300" ssh -F /dev/null -o BatchMode=yes
expect_g ssh-batchmode-explicit "serveraliveinterval 15" ssh -F /dev/null \
	-o BatchMode=yes -o ServerAliveInterval=15
expect_g ssh-protocolkeepalives "serveraliveinterval 42" ssh -F /dev/null \
	-o ProtocolKeepAlives=42
expect_g ssh-setuptimeout-units "serveraliveinterval 90" ssh -F /dev/null \
	-o SetupTimeOut=1m30s
expect_g ssh-alias-over-batchmode "serveraliveinterval 10" ssh -F /dev/null \
	-o BatchMode=yes -o SetupTimeOut=10
expect_g ssh-alias-in-file "serveraliveinterval 300" ssh -F "$T_TMP/ssh_config.alias"
expect_err ssh-alias-bad-value 'ProtocolKeepAlives|"5x"' ssh -F /dev/null \
	-o ProtocolKeepAlives=5x
expect_g sshd-default-interval "clientaliveinterval 0" sshd
expect_g sshd-default-count "clientalivecountmax 3" sshd
expect_g sshd-interval-units "clientaliveinterval 60" sshd "ClientAliveInterval 1m"
expect_g sshd-keepalive-alias "tcpkeepalive no" sshd "KeepAlive no"
expect_err sshd-serveralive-hint 'line 2|ServerAliveInterval|ClientAliveInterval' \
	sshd "ServerAliveInterval 15"

# 6. Dead peers, on the Debian-built ssh and sshd.
# expect_scn NAME: given up after E2E_C probes, (C+1)*I s after the last
# reply, and said so (e2e_judge).
table=()
expect_scn() {
	table+=("| $1 | $E2E_SECS | $E2E_WHY |")
	e2e_judge "debian/$rel/e2e/$1" "$E2E_C"
}
t0=$SECONDS
for scn in sshd_idle sshd_printing ssh_idle ssh_stdin; do
	"scn_$scn" || true
	expect_scn "${scn/_//}"
done
step_time "e2e scenarios" "$t0"
step_time total "$start"

mkdir -p "$work/results"
{
	echo "## Debian $(sed -n '1s/.*(\(.*\)).*/\1/p' "$tree/debian/changelog") + openssh-keepalive: dpkg-buildpackage and dead peers"
	echo
	printf -- '- %s\n' "${timing[@]}"
	echo
	echo "Interval $E2E_I s, count $E2E_C: seconds from freezing the peer to giving it up."
	echo
	echo "| scenario | seconds | give-up line |"
	echo "| --- | --- | --- |"
	printf '%s\n' "${table[@]}"
} >"$work/results/debian-$rel.md"
cat "$work/results/debian-$rel.md"
