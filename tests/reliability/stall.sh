#!/usr/bin/env bash
# tests/reliability/stall.sh SIDE TREE DIR PYTHON: one scenario of
# tests/reliability/stall.t, run by it in a network namespace of its own
# (unshare -n, as root: loopback only, fixed ports, small TCP buffers).
#
# SIDE sshd: the client (ssh of TREE, ServerAliveInterval 1) runs a
# program that floods its output, through a relay (stall.py) that then
# stops reading sshd: sshd's send queue is full, while the client's
# probes (global requests) still reach it and want replies.  Then the
# relay stops reading the client too, as a peer that has gone.  sshd
# (ClientAliveInterval 1, ClientAliveCountMax 2) must give the client up
# about 3 s after it last heard from it.
#
# SIDE ssh: the same for ssh (ServerAliveInterval 1, ServerAliveCountMax 2)
# flooding its input to a paramiko server that sends it global requests
# every 0.5 s (stall.py).
#
# Prints "gaveup SECONDS" (from the freeze), "never" (not within 12 s:
# the side was stuck), or "setup WHY" (the scenario did not come about).
set -eu
side=$1 tree=$2 dir=$3 py=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/lib.sh"
trap e2e_end EXIT
port=2222 relay=2223 bound=12

ip link set lo up
# Small buffers everywhere in this namespace: the stalled side's queue
# fills with a few kilobytes (the flood has a channel window of more).
sysctl -q -w net.ipv4.tcp_wmem="4096 4096 4096" \
	net.ipv4.tcp_rmem="4096 4096 4096" >/dev/null 2>&1 || true

setup() {
	echo "setup $1"
	exit 0
}

e2e_use "$tree" "$dir" "$port" >/dev/null
if [ "$side" = sshd ]; then
	stalled=target
	e2e_sshd_start "ClientAliveInterval 1" "ClientAliveCountMax 2" ||
		setup "sshd did not start"
	"$py" "$here/stall.py" "$relay" "$port" target >"$dir/relay.out" 2>&1 &
	E2E_PIDS+=("$!")
	relay_pid=$!
	e2e_wait_log "$dir/relay.out" listening 20 || setup "no relay: $(tail -n 2 "$dir/relay.out")"
	"$E2E_SSH" -F "$dir/ssh_config" -p "$relay" -o "ServerAliveInterval 1" \
		-o "ServerAliveCountMax 1000" e2e 'exec cat /dev/zero' \
		</dev/null >/dev/null 2>"$dir/ssh.log" &
	E2E_PIDS+=("$!")
	e2e_session_up || setup "no session: $(tail -n 2 "$dir/sshd.log" "$dir/ssh.log")"
	queue="sport = :$port"
else
	stalled=client
	"$py" "$here/stall.py" "$relay" 0 client "$dir/host_key" \
		>"$dir/relay.out" 2>&1 &
	E2E_PIDS+=("$!")
	relay_pid=$!
	e2e_wait_log "$dir/relay.out" listening 20 || setup "no relay: $(tail -n 2 "$dir/relay.out")"
	"$E2E_SSH" -F "$dir/ssh_config" -p "$relay" -o "ServerAliveInterval 1" \
		-o "ServerAliveCountMax 2" e2e cat </dev/zero >/dev/null 2>"$dir/ssh.log" &
	ssh_pid=$!
	E2E_PIDS+=("$ssh_pid")
	e2e_wait_log "$dir/relay.out" connected 20 || setup "ssh did not connect"
	sleep 3
	kill -0 "$ssh_pid" 2>/dev/null || setup "ssh exited: $(tail -n 2 "$dir/ssh.log")"
	queue="dport = :$relay"
fi

# Stop reading the side under test; the peer's messages still reach it.
kill -USR1 "$relay_pid"
sleep 3
ss -tnpi >"$dir/ss-paused.txt" 2>&1 || true
sendq=$(ss -Htn state established "( $queue )" | awk '{ print $2; exit }')
[ "${sendq:-0}" -gt 0 ] || setup "the $side side's send queue is empty (${sendq:-no socket})"
relayed=$(sed -n 's/.* relayed-after-pause //p' "$dir/relay.out" | tail -n 1)
[ "${relayed:-0}" -gt 0 ] || setup "nothing of the peer reached the stalled $stalled while paused"
if [ "$side" = sshd ]; then
	! grep -q "$E2E_SSHD_GAVEUP" "$dir/sshd.log" ||
		setup "sshd gave the client up before the freeze"
else
	kill -0 "$ssh_pid" 2>/dev/null || setup "ssh exited before the freeze: $(tail -n 2 "$dir/ssh.log")"
fi
echo "sendq $sendq relayed $relayed" >"$dir/before-freeze"

# The peer is gone: nothing of it is read any more.
t0=$(e2e_now_ms)
kill -USR2 "$relay_pid"
t1=
if [ "$side" = sshd ]; then
	e2e_wait_log "$dir/sshd.log" "$E2E_SSHD_GAVEUP" "$bound" && t1=$(e2e_now_ms)
else
	e2e_wait_exit "$ssh_pid" "$bound" && t1=$(e2e_now_ms)
	grep -q 'Timeout, server' "$dir/ssh.log" ||
		{ [ -z "$t1" ] || setup "ssh exited otherwise: $(tail -n 2 "$dir/ssh.log")"; }
fi
if [ -n "$t1" ]; then
	awk -v d=$((t1 - t0)) 'BEGIN { printf "gaveup %.1f\n", d / 1000 }'
else
	echo never
fi
