#!/usr/bin/env bash
# A probe goes only to a channel with a remote id (glue/F1 0011, the
# channels.c hunk): 3.7.1p2's channel_find_open() also returns LARVAL and
# AUTH_SOCKET channels, which have none, so the patched sshd could send
# keepalive@openssh.com to recipient -1, and an unpatched 3.7.1p2 ssh
# then dereferences NULL in client_input_channel_req() (clientloop.c).
# The scenario: the patched sshd (ClientAliveInterval 1,
# ClientAliveCountMax 3, LogLevel DEBUG2) and the UNPATCHED ssh of the
# release, with agent forwarding (-A, its own ssh-agent) and an -L
# forwarding to an echo server; a connection through the forwarding
# stays open and idle while the remote command ends, so the session
# channel is gone and sshd's first channel is the agent's listener.
# After several intervals ssh must still run, the forwarded connection
# still echo, and sshd must have probed, never the agent's channel.
# For 3.7.1p2 when among t_releases ci (tests/lib.sh; AGENT_PROBE_RELEASES
# picks others).  AGENT_PROBE_SSHD=DIR runs the sshd of another built
# tree of the release instead of the patched one (e.g. one with the
# channels.c hunk reverted: this test then fails, the client crashed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../e2e/lib.sh"
trap 'e2e_end; rm -rf "$T_TMP"' EXIT
if ! py=$(command -v python3); then
	t_skip agent-probe "no python3 (the echo server)"
	exit 0
fi
releases=${AGENT_PROBE_RELEASES:-$(t_among_selected 3.7.1p2)}
if [ -z "$releases" ]; then
	t_skip agent-probe "3.7.1p2 is not among the selected releases (AGENT_PROBE_RELEASES)"
	exit 0
fi
t_ports "${AGENT_PROBE_PORT:-19400}" 4
port=$T_PORT fwd=$((T_PORT + 1)) target=$((T_PORT + 2))
dir=$(t_tmpdir)/agent-probe
mkdir -p "$dir"
wait_s=5	# intervals after the session channel closed

# An echo server on 127.0.0.1:PORT, one connection.
echo_py='
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
while True:
    d = c.recv(4096)
    if not d:
        break
    c.sendall(d)
'

# echo_ok FD WORD: WORD sent through FD comes back.
echo_ok() {
	local line=
	{ printf '%s\n' "$2" >&"$1"; } 2>/dev/null || return 1
	read -r -t 5 -u "$1" line 2>/dev/null || return 1
	[ "$line" = "$2" ]
}

# scenario SSHD-TREE SSH-TREE: sets OUT to "ok", "setup WHY" (the
# scenario did not come about) or "fail WHY".
scenario() {
	local sdir=$dir/$rel n=0 fd=-1 rc=0 agent_ch probes mark
	OUT=
	e2e_use "$2" "$sdir" "$port" >/dev/null
	E2E_SSHD=$1/sshd E2E_SSHD_LOGLEVEL=DEBUG2
	rm -f "$sdir/end" "$sdir/agent"
	"$py" -c "$echo_py" "$target" >"$sdir/echo.log" 2>&1 &
	E2E_PIDS+=("$!")
	e2e_listening "$target" 5 || { OUT="setup no echo server: $(cat "$sdir/echo.log")"; return; }
	"$2/ssh-agent" -d -a "$sdir/agent" >"$sdir/agent.log" 2>&1 &
	E2E_PIDS+=("$!")
	while [ ! -S "$sdir/agent" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -S "$sdir/agent" ] || { OUT="setup no ssh-agent: $(tail -n 2 "$sdir/agent.log")"; return; }
	e2e_sshd_start "ClientAliveInterval 1" "ClientAliveCountMax 3" \
		2>"$sdir/err" ||
		{ OUT="setup $(cat "$sdir/err")"; return; }
	# The remote command ends when the test creates the file "end".
	SSH_AUTH_SOCK=$sdir/agent e2e_ssh_bg "$sdir/ssh.log" -v -n -A \
		-L "$fwd:127.0.0.1:$target" e2e \
		"while [ ! -e '$sdir/end' ]; do sleep 0.1; done"
	e2e_wait_log "$sdir/sshd.log" "Accepted publickey" 30 ||
		{ OUT="setup no session: $(tail -n 2 "$sdir/sshd.log")"; return; }
	e2e_listening "$fwd" 10 || { OUT="setup ssh does not listen on $fwd"; return; }
	e2e_wait_log "$sdir/sshd.log" "new \[auth socket\]" 10 ||
		{ OUT="setup sshd made no agent socket: no agent forwarding"; return; }
	exec {fd}<>"/dev/tcp/127.0.0.1/$fwd" ||
		{ OUT="setup no connection to the forwarded port"; return; }
	if ! echo_ok "$fd" before; then
		exec {fd}>&-
		OUT="setup no echo through the forwarding"
		return
	fi
	touch "$sdir/end"
	if ! e2e_wait_log "$sdir/sshd.log" "session_close: session" 10; then
		exec {fd}>&-
		OUT="setup the remote command did not end"
		return
	fi
	mark=$(wc -l <"$sdir/sshd.log")
	sleep "$wait_s"
	agent_ch=$(sed -n 's/.*debug1: channel \([0-9]*\): new \[auth socket\].*/\1/p' "$sdir/sshd.log" | head -n 1)
	probes=$(tail -n +"$((mark + 1))" "$sdir/sshd.log" |
		sed -n 's/.*channel \([0-9]*\): request keepalive@openssh.com.*/\1/p' | sort | uniq -c |
		awk '{ printf "%s%s on channel %s", sep, $1, $2; sep = ", " }')
	if ! kill -0 "$E2E_SSH_PID" 2>/dev/null; then
		wait "$E2E_SSH_PID" 2>/dev/null || rc=$?
		OUT="fail the unpatched ssh died (exit status $rc$([ $rc != 139 ] || echo ', SIGSEGV')) after probes [$probes]: $(grep -v '^debug' "$sdir/ssh.log" | tail -n 2 | tr '\n' ' ')"
	elif ! echo_ok "$fd" after; then
		OUT="fail the forwarded connection no longer echoes (probes: $probes)"
	elif [ -z "$probes" ]; then
		OUT="setup sshd sent no channel probe in $wait_s s after the session closed: the scenario proves nothing"
	elif grep -q "on channel $agent_ch\$\|on channel $agent_ch," <<<"$probes"; then
		OUT="fail sshd probed the agent's channel $agent_ch (no remote id): $probes"
	else
		OUT="ok"
	fi
	exec {fd}>&-
}

for rel in $releases; do
	name=$rel/agent-probe
	patched=$(t_built "$name" "$dir/build-$rel.log" "$rel") || continue
	unpatched=$(t_built "$name" "$dir/build-$rel-u.log" "$rel" --unpatched) || continue
	scenario "${AGENT_PROBE_SSHD:-$patched}" "$unpatched"
	e2e_end
	case $OUT in
	ok) t_pass "$name" ;;
	"fail "*) t_fail "$name" "${OUT#fail }" ;;
	*) t_fail "$name" "the scenario did not come about: ${OUT#setup }" ;;
	esac
done
