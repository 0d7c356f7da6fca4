# shellcheck shell=bash disable=SC2034 # results are read by the callers
# tests/e2e/lib.sh: dead-peer scenarios against real ssh and sshd binaries on
# 127.0.0.1, shared by tests/e2e/*.t and scripts/bench.  Sourced.
#
# A scenario starts a private sshd and an ssh client of one built tree
# (scripts/build, patched or unpatched), freezes one side with SIGSTOP and
# measures how long the other side takes to give it up.  Every process is
# started here and ended here, by PID.

E2E_I=${E2E_I:-1}		# ClientAlive/ServerAlive interval, s
E2E_C=${E2E_C:-2}		# count
E2E_BOUND=${E2E_BOUND:-10}	# s to wait for a give-up before "never"
E2E_PIDS=()			# everything started, for e2e_end
# sshd's give-up line; before 4.5: "Timeout, your session not responding"
E2E_SSHD_GAVEUP='Timeout, client not responding\|Timeout, your session not'
E2E_SSHD_EXTRA=()		# more sshd_config lines for a scenario

# e2e_use TREE DIR PORT: use the binaries of built tree TREE, scratch
# directory DIR (created) and TCP port PORT (PORT+1, PORT+2 for forwards).
e2e_use() {
	E2E_TREE=$1
	E2E_DIR=$2
	E2E_PORT=$3
	mkdir -p "$E2E_DIR"
	E2E_SSH=$E2E_TREE/ssh
	E2E_SSHD=$E2E_TREE/sshd
	E2E_LEGACY=0
	# Releases before 4.x: no IdentitiesOnly, no ed25519.
	if ! "$E2E_TREE/ssh-keygen" -t ed25519 -N '' -q -f "$E2E_DIR/probe" \
		</dev/null >/dev/null 2>&1; then
		E2E_LEGACY=1
	fi
	rm -f "$E2E_DIR/probe" "$E2E_DIR/probe.pub"
	e2e_keys
}

e2e_keys() {
	local type=ed25519
	[ "$E2E_LEGACY" = 0 ] || type=rsa
	rm -f "$E2E_DIR/host_key" "$E2E_DIR/id" "$E2E_DIR"/*.pub
	"$E2E_TREE/ssh-keygen" -t "$type" -N '' -q -f "$E2E_DIR/host_key" </dev/null
	"$E2E_TREE/ssh-keygen" -t "$type" -N '' -q -f "$E2E_DIR/id" </dev/null
	cp "$E2E_DIR/id.pub" "$E2E_DIR/authorized_keys"
	chmod 600 "$E2E_DIR/host_key" "$E2E_DIR/id"
	cat >"$E2E_DIR/ssh_config" <<EOF
Host e2e
	HostName 127.0.0.1
	Port $E2E_PORT
	User $(id -un)
	IdentityFile $E2E_DIR/id
	UserKnownHostsFile /dev/null
	StrictHostKeyChecking no
	BatchMode yes
	LogLevel VERBOSE
EOF
}

e2e_now_ms() { date +%s%3N; }

# e2e_sshd_start [LINE...]: sshd in the foreground, logging to sshd.log,
# with LINE... added to its configuration.
e2e_sshd_start() {
	local l
	{
		echo "Port $E2E_PORT"
		echo "ListenAddress 127.0.0.1"
		echo "HostKey $E2E_DIR/host_key"
		echo "AuthorizedKeysFile $E2E_DIR/authorized_keys"
		echo "PidFile $E2E_DIR/sshd.pid"
		echo "StrictModes no"
		echo "LogLevel VERBOSE"
		if [ -x "$E2E_TREE/sshd-session" ]; then
			echo "SshdSessionPath $E2E_TREE/sshd-session"
		fi
		if [ -x "$E2E_TREE/sshd-auth" ]; then
			echo "SshdAuthPath $E2E_TREE/sshd-auth"
		fi
		for l in "$@"; do
			echo "$l"
		done
	} >"$E2E_DIR/sshd_config"
	rm -f "$E2E_DIR/sshd.pid"
	"$E2E_SSHD" -f "$E2E_DIR/sshd_config" -D -e >"$E2E_DIR/sshd.log" 2>&1 &
	E2E_SSHD_PID=$!
	E2E_PIDS+=("$E2E_SSHD_PID")
	e2e_wait_pidfile "$E2E_SSHD_PID" "$E2E_DIR/sshd.pid" "$E2E_DIR/sshd.log" sshd
}

# e2e_wait_pidfile PID PIDFILE LOG NAME: wait up to 10 s for server PID
# (NAME, logging to LOG) to write PIDFILE, its sign of listening; otherwise
# say so with LOG's tail and fail.
e2e_wait_pidfile() {
	local n=0
	while [ ! -s "$2" ] && [ $n -lt 100 ]; do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
		n=$((n + 1))
	done
	[ -s "$2" ] || {
		echo "$4 did not start: $(tail -n 5 "$3")" >&2
		return 1
	}
}

# The processes below PID $1, recursively.
e2e_descendants() {
	local c
	for c in $(ps -e -o pid= -o ppid= | awk -v p="$1" '$2 == p { print $1 }'); do
		echo "$c"
		e2e_descendants "$c"
	done
}

# e2e_end: thaw and end everything started, sshd's children included.
e2e_end() {
	local p all=()
	for p in "${E2E_PIDS[@]}"; do
		all+=("$p")
		mapfile -t -O "${#all[@]}" all < <(e2e_descendants "$p")
	done
	for p in "${all[@]}"; do
		kill -CONT "$p" 2>/dev/null || true
		kill "$p" 2>/dev/null || true
	done
	for p in "${E2E_PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	E2E_PIDS=()
}

# e2e_ssh_bg LOG ARGS...: ssh in the background (PID in E2E_SSH_PID).
e2e_ssh_bg() {
	local log=$1
	shift
	"$E2E_SSH" -F "$E2E_DIR/ssh_config" "$@" >/dev/null 2>"$log" &
	E2E_SSH_PID=$!
	E2E_PIDS+=("$E2E_SSH_PID")
}

# e2e_wait_log FILE PATTERN SECONDS: until PATTERN appears in FILE.
e2e_wait_log() {
	local end=$(($(e2e_now_ms) + $3 * 1000))
	while [ "$(e2e_now_ms)" -lt "$end" ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# e2e_wait_exit PID SECONDS: until PID has exited.
e2e_wait_exit() {
	local end=$(($(e2e_now_ms) + $2 * 1000))
	while [ "$(e2e_now_ms)" -lt "$end" ]; do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# e2e_freeze PID...: stop the processes (thawed by e2e_end).
e2e_freeze() {
	local p
	for p in "$@"; do
		kill -STOP "$p" 2>/dev/null || true
	done
}

# e2e_session_up: sshd accepted the client; a few probes are answered.
e2e_session_up() {
	e2e_wait_log "$E2E_DIR/sshd.log" "Accepted publickey" 15 || return 1
	sleep "$((E2E_I * 2)).5"
}

# Results of a scenario: E2E_SECS (seconds from the freeze to the give-up,
# with a decimal, or "never" when not within E2E_BOUND), E2E_WHY (the
# give-up line), E2E_OK (0 if the scenario could run: sshd started, the
# session came up; E2E_SECS means nothing otherwise).
e2e_result() {
	local t0=$1 t1=$2 log=$3 pattern=$4
	if [ -z "$t1" ]; then
		E2E_SECS=never
	else
		E2E_SECS=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1000 }')
	fi
	E2E_WHY=$(grep -- "$pattern" "$log" 2>/dev/null | head -n 1 | sed 's/^.*Timeout, //')
}

# --- sshd gives up a frozen client ---------------------------------------

# scn_client_frozen LABEL SSH-ARGS...: the client runs SSH-ARGS, is frozen,
# and sshd (ClientAliveInterval E2E_I, ClientAliveCountMax E2E_C) should
# log "Timeout, client not responding".
scn_client_frozen() {
	local t0 t1=''
	shift
	E2E_OK=0 E2E_SECS=never E2E_WHY=
	e2e_sshd_start "ClientAliveInterval $E2E_I" \
		"ClientAliveCountMax $E2E_C" "${E2E_SSHD_EXTRA[@]}" ||
		{ E2E_OK=1; e2e_end; return 1; }
	e2e_ssh_bg "$E2E_DIR/ssh.log" "$@"
	e2e_session_up || { E2E_OK=1; e2e_end; return 1; }
	[ -z "${E2E_BEFORE_FREEZE:-}" ] || $E2E_BEFORE_FREEZE
	t0=$(e2e_now_ms)
	e2e_freeze "$E2E_SSH_PID"
	if e2e_wait_log "$E2E_DIR/sshd.log" "$E2E_SSHD_GAVEUP" "$E2E_BOUND"; then
		t1=$(e2e_now_ms)
	fi
	e2e_result "$t0" "$t1" "$E2E_DIR/sshd.log" "$E2E_SSHD_GAVEUP"
	e2e_end
}

scn_sshd_idle() { scn_client_frozen idle e2e sleep 600; }
scn_sshd_printing() {
	scn_client_frozen printing e2e 'while :; do echo x; sleep 0.1; done'
}
# Forwardings in the three-field form: no bind address before OpenSSH 4.0.
scn_sshd_n_forward() {
	scn_client_frozen -N e2e -N -L "$((E2E_PORT + 1)):127.0.0.1:$E2E_PORT"
}

# A remote forwarding carrying traffic: a slow writer on the server side
# keeps sshd busy sending to the frozen client.
e2e_pump_start() {
	e2e_wait_log "$E2E_DIR/sshd.log" "Starting session\|forwarding\|Accepted" 5 || true
	(
		exec 3<>"/dev/tcp/127.0.0.1/$((E2E_PORT + 1))" || exit 0
		while :; do
			echo pump >&3 || exit 0
			sleep 0.1
		done
	) &
	E2E_PIDS+=("$!")
	sleep 0.5
}
scn_sshd_forward_traffic() {
	E2E_BEFORE_FREEZE=e2e_pump_start
	scn_client_frozen forward-traffic e2e -N \
		-R "$((E2E_PORT + 1)):127.0.0.1:$E2E_PORT"
	E2E_BEFORE_FREEZE=
}

# --- ssh gives up a frozen server ------------------------------------------

# scn_server_frozen LABEL STDIN SSH-ARGS...: ssh (ServerAliveInterval
# E2E_I, ServerAliveCountMax E2E_C) runs SSH-ARGS with stdin STDIN ("busy"
# or "null"); the server's processes for the connection are frozen; ssh
# should exit with "Timeout, server ... not responding".
scn_server_frozen() {
	local stdin=$2 t0 t1='' frozen
	shift 2
	E2E_OK=0 E2E_SECS=never E2E_WHY=
	e2e_sshd_start "${E2E_SSHD_EXTRA[@]}" || { E2E_OK=1; e2e_end; return 1; }
	if [ "$stdin" = busy ]; then
		# shellcheck disable=SC2016 # expanded by the inner shell
		bash -c 'while :; do echo x; sleep 0.05; done' |
			"$E2E_SSH" -F "$E2E_DIR/ssh_config" -o "ServerAliveInterval $E2E_I" \
				-o "ServerAliveCountMax $E2E_C" "$@" >/dev/null 2>"$E2E_DIR/ssh.log" &
		E2E_SSH_PID=$!
		E2E_PIDS+=("$E2E_SSH_PID")
	else
		e2e_ssh_bg "$E2E_DIR/ssh.log" -o "ServerAliveInterval $E2E_I" \
			-o "ServerAliveCountMax $E2E_C" "$@" </dev/null
	fi
	e2e_session_up || { E2E_OK=1; e2e_end; return 1; }
	[ -z "${E2E_BEFORE_FREEZE:-}" ] || $E2E_BEFORE_FREEZE
	mapfile -t frozen < <(e2e_descendants "$E2E_SSHD_PID")
	[ "${#frozen[@]}" -gt 0 ] || { E2E_OK=1; e2e_end; return 1; }
	t0=$(e2e_now_ms)
	e2e_freeze "${frozen[@]}"
	if e2e_wait_exit "$E2E_SSH_PID" "$E2E_BOUND"; then
		t1=$(e2e_now_ms)
	fi
	e2e_result "$t0" "$t1" "$E2E_DIR/ssh.log" "Timeout, server"
	[ -n "$E2E_WHY" ] || [ -z "$t1" ] || E2E_WHY="exited: $(tail -n 1 "$E2E_DIR/ssh.log")"
	e2e_end
}

scn_ssh_idle() { scn_server_frozen idle null e2e sleep 600; }
scn_ssh_stdin() { scn_server_frozen stdin busy e2e 'cat >/dev/null'; }
scn_ssh_n() { scn_server_frozen -N null -N e2e; }

# A ControlMaster with a session of a second ssh through it: the master
# gives up the server.
e2e_mux_client() {
	"$E2E_SSH" -F "$E2E_DIR/ssh_config" -S "$E2E_DIR/ctl" e2e sleep 600 \
		</dev/null >/dev/null 2>&1 &
	E2E_PIDS+=("$!")
	sleep 1
}
scn_ssh_mux() {
	E2E_BEFORE_FREEZE=e2e_mux_client
	scn_server_frozen mux null -M -S "$E2E_DIR/ctl" -N e2e
	E2E_BEFORE_FREEZE=
}

# Time-based rekeying every second while the server is frozen (bz2252,
# bz2757): the give-up is not postponed.
scn_ssh_rekey() { scn_server_frozen rekey null -o "RekeyLimit default 1" e2e sleep 600; }

# --- counts -------------------------------------------------------------

# scn_count SIDE COUNT: the give-up time with ClientAliveCountMax (sshd) or
# ServerAliveCountMax (ssh) COUNT, and the number of probes it reports.
scn_count() {
	local side=$1 saved=$E2E_C
	E2E_C=$2
	if [ "$side" = sshd ]; then
		scn_sshd_idle
	else
		scn_ssh_idle
	fi
	E2E_C=$saved
}

# scn_idle_limit SIDE: with a count of 0 where it means an idle limit (ssh;
# sshd before 8.2), a live but silent peer is given up I s after it last
# spoke, without a probe: seconds from authentication to the give-up.
scn_idle_limit() {
	local t0 t1=''
	E2E_OK=0 E2E_SECS=never E2E_WHY=
	if [ "$1" = sshd ]; then
		e2e_sshd_start "ClientAliveInterval $E2E_I" "ClientAliveCountMax 0" ||
			{ E2E_OK=1; e2e_end; return 1; }
		e2e_ssh_bg "$E2E_DIR/ssh.log" e2e sleep 600
	else
		e2e_sshd_start || { E2E_OK=1; e2e_end; return 1; }
		e2e_ssh_bg "$E2E_DIR/ssh.log" -o "ServerAliveInterval $E2E_I" \
			-o "ServerAliveCountMax 0" e2e sleep 600 </dev/null
	fi
	e2e_wait_log "$E2E_DIR/sshd.log" "Accepted publickey" 15 ||
		{ E2E_OK=1; e2e_end; return 1; }
	t0=$(e2e_now_ms)
	if [ "$1" = sshd ]; then
		e2e_wait_log "$E2E_DIR/sshd.log" "$E2E_SSHD_GAVEUP" \
			"$E2E_BOUND" && t1=$(e2e_now_ms)
		e2e_result "$t0" "$t1" "$E2E_DIR/sshd.log" "$E2E_SSHD_GAVEUP"
	else
		e2e_wait_exit "$E2E_SSH_PID" "$E2E_BOUND" && t1=$(e2e_now_ms)
		e2e_result "$t0" "$t1" "$E2E_DIR/ssh.log" "Timeout, server"
	fi
	e2e_end
}

# --- judging a scenario ---------------------------------------------------

# e2e_in_window SECS LOW HIGH: is SECS a number within LOW..HIGH (not
# "never" or another word)?
e2e_in_window() {
	[[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v s="$1" -v l="$2" -v h="$3" \
		'BEGIN { exit !(s >= l && s <= h) }'
}

# e2e_reason_ok WHY N S: the give-up line WHY reports N probes and at
# least S s of silence.
e2e_reason_ok() {
	local why=$1 probes=$2 silence=$3 n s
	n=$(sed -n 's/.*: \([0-9]*\) probes* unanswered.*/\1/p' <<<"$why")
	s=$(sed -n 's/.*unanswered, \([0-9.]*\) s of silence.*/\1/p' <<<"$why")
	[ "$n" = "$probes" ] && [ -n "$s" ] &&
		awk -v s="$s" -v m="$silence" 'BEGIN { exit !(s >= m) }'
}

# e2e_judge NAME PROBES: judge the scenario just run (E2E_OK, E2E_SECS,
# E2E_WHY): a give-up after PROBES probes, at (PROBES+1)*I of silence; or
# PROBES "never": not given up within the bound.  Reports NAME.
e2e_judge() {
	local name=$1 probes=$2 low high
	if [ "${E2E_OK:-1}" != 0 ]; then
		t_fail "$name" "scenario did not start: $(tail -n 3 "$E2E_DIR/sshd.log" "$E2E_DIR/ssh.log" 2>/dev/null)"
	elif [ "$probes" = never ]; then
		if [ "$E2E_SECS" = never ]; then
			t_pass "$name"
		else
			t_fail "$name" "given up after $E2E_SECS s: $E2E_WHY"
		fi
	else
		# From the freeze, the last reply was at most I earlier.
		low=$(awk -v c="$probes" -v i="$E2E_I" 'BEGIN { print c * i - 0.3 }')
		high=$(awk -v c="$probes" -v i="$E2E_I" 'BEGIN { print (c + 1) * i + 2 }')
		if ! e2e_in_window "$E2E_SECS" "$low" "$high"; then
			t_fail "$name" "given up after $E2E_SECS s, expected $low..$high s: $E2E_WHY"
		elif ! e2e_reason_ok "$E2E_WHY" "$probes" "$(((probes + 1) * E2E_I))"; then
			t_fail "$name" "wrong give-up report: $E2E_WHY"
		else
			t_pass "$name"
		fi
	fi
}

# --- configuration errors -------------------------------------------------

# cfg_sshd LINE: status and message of sshd -t with LINE in its config.
cfg_sshd() {
	local st=0
	printf '%s\n' "HostKey $E2E_DIR/host_key" "$1" >"$E2E_DIR/sshd_config.t"
	"$E2E_SSHD" -t -f "$E2E_DIR/sshd_config.t" >"$E2E_DIR/cfg.out" 2>&1 || st=$?
	E2E_CFG_STATUS=$st
	E2E_CFG_MSG=$(grep -v '^debug' "$E2E_DIR/cfg.out" | head -n 2 | tr '\n' ' ' |
		sed "s|$E2E_DIR/||g; s/ *$//")
}

# cfg_ssh LINE: status and message of ssh with LINE in its config (the
# connection itself is never made: ProxyCommand exits at once).
cfg_ssh() {
	local st=0
	printf '%s\n' "$1" "Host *" "ProxyCommand false" >"$E2E_DIR/ssh_config.t"
	"$E2E_SSH" -F "$E2E_DIR/ssh_config.t" e2e true </dev/null >"$E2E_DIR/cfg.out" 2>&1 ||
		st=$?
	E2E_CFG_STATUS=$st
	E2E_CFG_MSG=$(grep -v '^debug' "$E2E_DIR/cfg.out" | head -n 2 | tr '\n' ' ' |
		sed "s|$E2E_DIR/||g; s/ *$//")
}
