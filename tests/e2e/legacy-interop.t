#!/usr/bin/env bash
# Interoperability of the patched legacy releases (3.7.1p2, 4.3p2) with the
# newest patched release, on 127.0.0.1: legacy ssh against the new sshd and
# the new ssh against legacy sshd, with the legacy algorithms the new side
# still offers enabled explicitly (RSA keys, ssh-rsa signatures, SHA-1
# Diffie-Hellman, aes128-cbc).  For each pair: keepalive probes are answered
# both ways (a session with interval 1 s and count 1 on both sides lives
# 5 s), and each side gives a frozen peer up after (C+1)*I s.
#
# IL_LEGACY (default: 3.7.1p2 4.3p2, those of them in E2E_RELEASES when that
# is set) and IL_NEW (default: the newest release in upstream-version) pick
# the builds; a build that cannot be had is a skip with the reason.  IL_PORT
# (default 17200): its TCP port and the two after it.
# Results: WORK/results/interop-legacy.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/lib.sh"

top=$T_TOP
trap 'e2e_end; rm -rf "$T_TMP"' EXIT
legacy=${IL_LEGACY:-}
if [ -z "$legacy" ]; then
	for rel in 3.7.1p2 4.3p2; do
		case " ${E2E_RELEASES:-$rel} " in *" $rel "*) legacy="$legacy $rel" ;; esac
	done
fi
if [ -z "$legacy" ]; then
	t_skip "interop-legacy" "E2E_RELEASES ($E2E_RELEASES) selects no legacy release"
	exit 0
fi
new=${IL_NEW:-$(awk '$1 == "openssh" { print $2 }' "$top/upstream-version" | sort -V | tail -n 1)}
t_ports "${IL_PORT:-17200}" 10
port=$T_PORT
E2E_I=1
E2E_C=1

# What the new side must enable to talk to a legacy peer, as configuration
# lines (ssh_config and sshd_config take the same keywords).
il_algorithms() {
	echo "KexAlgorithms +diffie-hellman-group14-sha1,diffie-hellman-group1-sha1"
	echo "HostKeyAlgorithms +ssh-rsa"
	echo "PubkeyAcceptedAlgorithms +ssh-rsa"
	echo "Ciphers +aes128-cbc"
}

# il_use CLIENT-TREE SERVER-TREE DIR NEW-SIDE: ssh of CLIENT-TREE against
# sshd of SERVER-TREE; each side's RSA key is made by its own ssh-keygen
# (a legacy ssh cannot read the new private key format).  NEW-SIDE (ssh or
# sshd) gets il_algorithms.
il_use() {
	local client=$1 server=$2 l
	E2E_TREE=$server
	E2E_DIR=$3
	E2E_PORT=$port
	E2E_SSH=$client/ssh
	E2E_SSHD=$server/sshd
	mkdir -p "$E2E_DIR"
	rm -f "$E2E_DIR/host_key" "$E2E_DIR/id" "$E2E_DIR"/*.pub
	"$server/ssh-keygen" -t rsa -b 2048 -N '' -q -f "$E2E_DIR/host_key" </dev/null
	"$client/ssh-keygen" -t rsa -b 2048 -N '' -q -f "$E2E_DIR/id" </dev/null
	cp "$E2E_DIR/id.pub" "$E2E_DIR/authorized_keys"
	chmod 600 "$E2E_DIR/host_key" "$E2E_DIR/id"
	E2E_SSHD_EXTRA=()
	{
		echo "Host e2e"
		echo "	HostName 127.0.0.1"
		echo "	Port $E2E_PORT"
		echo "	User $(id -un)"
		echo "	IdentityFile $E2E_DIR/id"
		echo "	UserKnownHostsFile /dev/null"
		echo "	StrictHostKeyChecking no"
		echo "	BatchMode yes"
		echo "	LogLevel VERBOSE"
		if [ "$4" = ssh ]; then
			il_algorithms | sed 's/^/	/'
		fi
	} >"$E2E_DIR/ssh_config"
	if [ "$4" = sshd ]; then
		while IFS= read -r l; do
			E2E_SSHD_EXTRA+=("$l")
		done < <(il_algorithms)
	fi
}

# A session with probes both ways (I = C = 1) that must live 5 s, and
# neither side may see a reply to its probes as a protocol error.
il_live() {
	local name=$1 st=0 out
	e2e_sshd_start "ClientAliveInterval $E2E_I" "ClientAliveCountMax $E2E_C" \
		"${E2E_SSHD_EXTRA[@]}" || { t_fail "$name" "sshd did not start"; return 0; }
	out=$(timeout 30 "$E2E_SSH" -F "$E2E_DIR/ssh_config" \
		-o "ServerAliveInterval $E2E_I" -o "ServerAliveCountMax $E2E_C" \
		e2e 'sleep 5; echo done' </dev/null 2>"$E2E_DIR/ssh.log") || st=$?
	e2e_end
	if [ "$st" = 0 ] && [ "$out" = "done" ] &&
		! grep -q "Timeout, \|protocol_error\|protocol error" \
			"$E2E_DIR/ssh.log" "$E2E_DIR/sshd.log"; then
		t_pass "$name"
		live_result=lived
	else
		t_fail "$name" "status $st, output '$out': $(tail -n 3 "$E2E_DIR/ssh.log" "$E2E_DIR/sshd.log")"
		live_result="lost ($st)"
	fi
}

# il_frozen NAME FUNCTION: a give-up after C probes, (C+1)*I s after the
# last reply (e2e_judge).
il_frozen() {
	local name=$1
	shift
	"$@" || true
	e2e_judge "$name" "$E2E_C"
	frozen_result=$E2E_SECS
	[ "${E2E_OK:-1}" = 0 ] || frozen_result="did not start"
}

results=${KEEPALIVE_WORK:-$top/work}/results
mkdir -p "$results"
report=$results/interop-legacy.md
{
	echo "## Patched legacy releases against patched $new"
	echo
	echo "Interval $E2E_I s, count $E2E_C on both sides; seconds from freezing the peer to giving it up, expected (C+1)*I = $(((E2E_C + 1) * E2E_I)) s after the last reply."
	echo
	echo "| ssh | sshd | probes answered, 5 s session | sshd gives up frozen ssh | ssh gives up frozen sshd |"
	echo "| --- | --- | --- | --- | --- |"
} >"$report"

dir=$(t_tmpdir)/interop
mkdir -p "$dir"
newtree=$(t_built "interop-legacy" "$dir/build-$new.log" "$new") || exit 0
for rel in $legacy; do
	oldtree=$(t_built "interop-legacy/$rel" "$dir/build-$rel.log" "$rel") || continue
	for pair in "$rel:$new" "$new:$rel"; do
		if [ "${pair%%:*}" = "$rel" ]; then
			client=$oldtree server=$newtree side=sshd
		else
			client=$newtree server=$oldtree side=ssh
		fi
		name="interop-legacy/ssh-${pair%%:*}/sshd-${pair#*:}"
		il_use "$client" "$server" "$dir/$rel-$side" "$side"
		il_live "$name/probes-answered"
		il_frozen "$name/sshd-gives-up-frozen-ssh" scn_sshd_idle
		sshd_result=$frozen_result
		il_frozen "$name/ssh-gives-up-frozen-sshd" scn_ssh_idle
		printf '| %s | %s | %s | %s | %s |\n' "${pair%%:*}" "${pair#*:}" \
			"$live_result" "$sshd_result" "$frozen_result" >>"$report"
	done
done
cat "$report"
