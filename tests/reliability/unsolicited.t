#!/usr/bin/env bash
# Off means off for the replies the legacy series taught sshd to take
# (glue/F1 0015, glue/common/0015 for 3.8p1 .. 5.0p1): a reply to a request sshd never sent
# (CHANNEL_SUCCESS; on 3.7.1p2 also REQUEST_SUCCESS) is the protocol error
# the release took it for, logged as upstream logs it, when no probe of
# ours awaits a reply: with keepalive off, the patched sshd logs the same
# "dispatch_protocol_error: type N" lines as the unpatched one.  The
# client is paramiko (tests/reliability/unsolicited.py).  For 3.7.1p2 and
# 4.3p2 when among t_releases ci (tests/lib.sh; UNSOLICITED_RELEASES picks
# others).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../e2e/lib.sh"
. "$here/../interop/lib.sh"
trap 'e2e_end; rm -rf "$T_TMP"' EXIT
if ! py=$(iop_python); then
	t_skip unsolicited "no python3 with paramiko (apt-get install python3-paramiko)"
	exit 0
fi
releases=${UNSOLICITED_RELEASES:-$(t_among_selected 3.7.1p2 4.3p2)}
if [ -z "$releases" ]; then
	t_skip unsolicited "neither 3.7.1p2 nor 4.3p2 is among the selected releases (UNSOLICITED_RELEASES)"
	exit 0
fi
t_ports "${UNSOLICITED_PORT:-18500}" 4
port=$T_PORT
dir=$(t_tmpdir)/unsolicited
mkdir -p "$dir"

# errors VARIANT TREE: the protocol error lines of sshd for one session of
# the unsolicited client, keepalive off ("type N" each, sorted).
errors() {
	e2e_use "$2" "$dir/$1" "$port" >/dev/null
	e2e_sshd_start "LogLevel DEBUG1" >/dev/null 2>&1 || return 1
	timeout 30 "$py" "$here/unsolicited.py" "$port" "$E2E_DIR/id" \
		>"$E2E_DIR/client.out" 2>&1 || true
	e2e_end
	grep -q '^sent$' "$E2E_DIR/client.out" || {
		echo "client: $(tail -n 2 "$E2E_DIR/client.out")" >&2
		return 1
	}
	{ grep -o 'dispatch_protocol_error: type [0-9]*' "$E2E_DIR/sshd.log" || true; } |
		sed 's/.*: //' | sort | paste -sd ' ' -
}

for rel in $releases; do
	patched=$(t_built "$rel/unsolicited" "$dir/build-$rel.log" "$rel") || continue
	unpatched=$(t_built "$rel/unsolicited" "$dir/build-$rel-u.log" "$rel" --unpatched) || continue
	if ! u=$(errors unpatched "$unpatched" 2>"$dir/err"); then
		t_fail "$rel/unsolicited" "unpatched session failed: $(cat "$dir/err")"
		continue
	fi
	if ! p=$(errors patched "$patched" 2>"$dir/err"); then
		t_fail "$rel/unsolicited" "patched session failed: $(cat "$dir/err")"
		continue
	fi
	if [ -z "$u" ]; then
		t_fail "$rel/unsolicited" "the unpatched sshd logged no protocol error: the client did not reach it"
	elif [ "$p" = "$u" ]; then
		t_pass "$rel/unsolicited-off-as-upstream"
	else
		t_fail "$rel/unsolicited-off-as-upstream" "protocol errors logged: unpatched [$u], patched [$p]"
	fi
done
