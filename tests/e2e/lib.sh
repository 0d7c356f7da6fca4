# shellcheck shell=bash disable=SC2034 # results are read by the callers
# tests/e2e/lib.sh: dead-peer scenarios against real ssh and sshd binaries on
# 127.0.0.1, shared by tests/e2e/*.t and scripts/bench.  Sourced.
#
# A scenario starts a private sshd and an ssh client of one built tree
# (scripts/build, patched or unpatched), freezes one side with SIGSTOP and
# measures how long the other side takes to give it up.  Every process is
# started here and ended here, by PID.

E2E_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)	# this directory
E2E_I=${E2E_I:-1}		# ClientAlive/ServerAlive interval, s
E2E_C=${E2E_C:-2}		# count
E2E_BOUND=${E2E_BOUND:-10}	# s to wait for a give-up before "never"
E2E_LATE=${E2E_LATE:-0.5}	# s a give-up may come late (less than I)
E2E_PIDS=()			# everything started, for e2e_end
# sshd's give-up line; before 4.5: "Timeout, your session not responding"
E2E_SSHD_GAVEUP='Timeout, client not responding\|Timeout, your session not'
E2E_SSHD_EXTRA=()		# more sshd_config lines for a scenario
E2E_SSHD_LOGLEVEL=${E2E_SSHD_LOGLEVEL:-VERBOSE}	# sshd takes the first LogLevel
E2E_SSH_EXTRA=()		# more ssh options for a scenario

# e2e_use TREE DIR PORT: use the binaries of built tree TREE, scratch
# directory DIR (created) and TCP port PORT (PORT+1, PORT+2 for forwards).
e2e_use() {
	local out
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
	# ExitOnForwardFailure (4.4 on): a port that is taken fails the
	# scenario instead of turning it into a plain -N.
	E2E_EXIT_ON_FWD=
	out=$("$E2E_SSH" -o ExitOnForwardFailure=yes -o ProxyCommand=false x true \
		</dev/null 2>&1) || true
	grep -qi 'bad configuration option' <<<"$out" ||
		E2E_EXIT_ON_FWD="-o ExitOnForwardFailure=yes"
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

# --- the wire: a packet capture of the ssh connection ---------------------
# The time a side gave its peer up is judged against what went over the
# wire, not against the side's own word: tcpdump on the loopback interface
# records every segment of the connection to port E2E_PORT with the
# kernel's time (the same wall clock as e2e_now_ms); the peer's last
# message is its last segment carrying data, the give-up is the surviving
# side's FIN or RST.

# e2e_capture_start: start capturing (E2E_DIR/cap.txt); 1 without tcpdump.
e2e_capture_start() {
	E2E_CAP=$E2E_DIR/cap.txt
	rm -f "$E2E_CAP" "$E2E_DIR/cap.err"
	command -v tcpdump >/dev/null || {
		echo "no tcpdump (apt-get install tcpdump)" >"$E2E_DIR/cap.err"
		return 1
	}
	tcpdump -i lo -nn -tt -l -U "tcp port $E2E_PORT" >"$E2E_CAP" \
		2>"$E2E_DIR/cap.err" &
	E2E_CAP_PID=$!
	E2E_PIDS+=("$E2E_CAP_PID")
	e2e_wait_log "$E2E_DIR/cap.err" "listening on" 10
}

# e2e_capture_stop: stop the capture, its file complete.
e2e_capture_stop() {
	[ -n "${E2E_CAP_PID:-}" ] || return 0
	kill -INT "$E2E_CAP_PID" 2>/dev/null || true
	wait "$E2E_CAP_PID" 2>/dev/null || true
	E2E_CAP_PID=
}

# e2e_wire FROM WHAT [AFTER [BEFORE]]: from the capture, the time (s.us)
# of the last segment carrying data (WHAT=data), of the first FIN or RST
# (WHAT=end), or the number of segments carrying data (WHAT=count) sent by
# FROM (server: from port E2E_PORT, client: to it), between the times
# AFTER and BEFORE when given; empty when there is none.
e2e_wire() {
	awk -v port="$E2E_PORT" -v from="$1" -v what="$2" -v after="${3:-0}" \
		-v before="${4:-99999999999}" '
	$2 != "IP" || $1 + 0 < after + 0 || $1 + 0 > before + 0 { next }
	{
		src = $3; sub(/.*\./, "", src)
		if ((from == "server") != (src == port)) next
		len = $0; sub(/.*length /, "", len); len += 0
	}
	len > 0 { t = $1; n++ }
	what == "end" && /Flags \[[^]]*[FR]/ { print $1; exit }
	END {
		if (what == "data" && t != "") print t
		if (what == "count") print n + 0
	}' "$E2E_CAP" 2>/dev/null
}

# e2e_gap SURVIVOR: E2E_GAP, the seconds from the peer's last message to
# SURVIVOR's give-up (server or client) on the wire, or "" when the
# capture has no give-up.
e2e_gap() {
	local peer=server end last
	[ "$1" = server ] && peer=client
	E2E_GAP=
	end=$(e2e_wire "$1" end)
	[ -n "$end" ] || return 0
	last=$(e2e_wire "$peer" data 0 "$end")
	[ -n "$last" ] || return 0
	E2E_GAP=$(awk -v e="$end" -v l="$last" 'BEGIN { printf "%.2f", e - l }')
}

# e2e_capture_end SURVIVOR: wait (up to 3 s) for SURVIVOR's FIN or RST on
# the wire, stop the capture, and set E2E_GAP.
e2e_capture_end() {
	local n=0
	while [ -z "$(e2e_wire "$1" end)" ] && [ $n -lt 60 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	e2e_capture_stop
	e2e_gap "$1"
}

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
		echo "LogLevel ${E2E_SSHD_LOGLEVEL:-VERBOSE}"
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
	# One snapshot of the process table (a ps per process made a wait
	# for a hundred sessions take minutes), walked depth first.
	ps -e -o pid= -o ppid= | awk -v root="$1" '
		{ kids[$2] = kids[$2] " " $1 }
		function walk(p,   n, a, i) {
			n = split(kids[p], a, " ")
			for (i = 1; i <= n; i++) {
				print a[i]
				walk(a[i])
			}
		}
		END { walk(root) }'
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
# E2E_UP_SECS (default 15): how long the login may take (longer over a
# slow link).
e2e_session_up() {
	e2e_wait_log "$E2E_DIR/sshd.log" "Accepted publickey" "${E2E_UP_SECS:-15}" || return 1
	sleep "$((E2E_I * 2)).5"
}

# Results of a scenario: E2E_SECS (seconds from the freeze to the give-up,
# with a decimal, or "never" when not within E2E_BOUND), E2E_WHY (the
# give-up line), E2E_OK (0 if the scenario could run: sshd started, the
# session came up; E2E_SECS means nothing otherwise).
e2e_result() {
	local t0=$1 t1=$2 log=$3 pattern=$4 why
	if [ -z "$t1" ]; then
		E2E_SECS=never
	else
		E2E_SECS=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1000 }')
	fi
	E2E_WHY=$(grep -- "$pattern" "$log" 2>/dev/null | head -n 1 | sed 's/^.*Timeout, //')
	# The number of probes and the silence: on the next line from 1.1.
	why=$(grep -- "probes\{0,1\} unanswered" "$log" 2>/dev/null | head -n 1 |
		sed 's/^.*: \([0-9]* probes\{0,1\} unanswered\)/: \1/')
	[ -z "$why" ] || [[ $E2E_WHY == *"$why"* ]] || E2E_WHY="$E2E_WHY$why"
}

# e2e_begin: a scenario starts: nothing measured, nothing failed yet.
e2e_begin() {
	E2E_OK=0 E2E_SECS=never E2E_WHY='' E2E_GAP='' E2E_SETUP='' E2E_PROBES=''
	E2E_ALIVE=
}

# e2e_setup_failed WHY: the scenario could not set up what it is about
# (E2E_OK=1, E2E_SETUP says why); everything started is ended.
e2e_setup_failed() {
	E2E_OK=1
	E2E_SETUP=${E2E_SETUP:-$1}
	e2e_end
}

# --- sshd gives up a frozen client ---------------------------------------

# scn_client_frozen LABEL SSH-ARGS...: the client runs SSH-ARGS, is frozen,
# and sshd (ClientAliveInterval E2E_I, ClientAliveCountMax E2E_C) should
# log "Timeout, client not responding".
scn_client_frozen() {
	local t0 t1=''
	shift
	e2e_begin
	e2e_sshd_start "ClientAliveInterval $E2E_I" \
		"ClientAliveCountMax $E2E_C" "${E2E_SSHD_EXTRA[@]}" ||
		{ e2e_setup_failed "sshd did not start"; return 1; }
	e2e_capture_start || { e2e_setup_failed "no capture: $(cat "$E2E_DIR/cap.err")"; return 1; }
	e2e_ssh_bg "$E2E_DIR/ssh.log" "${E2E_SSH_EXTRA[@]}" "$@"
	e2e_session_up || { e2e_setup_failed "no session"; return 1; }
	[ -z "${E2E_BEFORE_FREEZE:-}" ] || $E2E_BEFORE_FREEZE ||
		{ e2e_setup_failed "$E2E_SETUP"; return 1; }
	if ! kill -0 "$E2E_SSH_PID" 2>/dev/null ||
		grep -q "$E2E_SSHD_GAVEUP" "$E2E_DIR/sshd.log"; then
		e2e_setup_failed "the client was gone before the freeze: $(tail -n 2 "$E2E_DIR/sshd.log" | tr '\n' ' ')"
		return 1
	fi
	t0=$(e2e_now_ms)
	e2e_freeze "$E2E_SSH_PID"
	if e2e_wait_log "$E2E_DIR/sshd.log" "$E2E_SSHD_GAVEUP" "$E2E_BOUND"; then
		t1=$(e2e_now_ms)
	fi
	e2e_result "$t0" "$t1" "$E2E_DIR/sshd.log" "$E2E_SSHD_GAVEUP"
	[ -z "${E2E_DURING_FREEZE:-}" ] || $E2E_DURING_FREEZE "$t0" || E2E_OK=1
	# Not given up: was the session alive, sshd probing the frozen client?
	if [ -z "$t1" ]; then
		E2E_PROBES=$(e2e_wire server count "$(awk -v t="$t0" 'BEGIN { printf "%.3f", t / 1000 }')")
		E2E_ALIVE=0
		[ -z "$(e2e_wire server end)" ] && kill -0 "$E2E_SSHD_PID" 2>/dev/null &&
			E2E_ALIVE=1
	fi
	e2e_capture_end server
	e2e_end
}

scn_sshd_idle() { scn_client_frozen idle e2e sleep 600; }
scn_sshd_printing() {
	scn_client_frozen printing e2e 'while :; do echo x; sleep 0.1; done'
}
# Forwardings in the three-field form: no bind address before OpenSSH 4.0.
scn_sshd_n_forward() {
	E2E_BEFORE_FREEZE=e2e_forward_listens
	# shellcheck disable=SC2086 # an option or nothing
	scn_client_frozen -N e2e -N $E2E_EXIT_ON_FWD \
		-L "$((E2E_PORT + 1)):127.0.0.1:$E2E_PORT"
	E2E_BEFORE_FREEZE=
}
# The -L forwarding is there: ssh listens on PORT+1.
e2e_forward_listens() {
	e2e_listening "$((E2E_PORT + 1))" 5 && return 0
	E2E_SETUP="ssh does not listen on the forwarded port $((E2E_PORT + 1))"
	return 1
}

# e2e_listening PORT SECONDS: until something listens on 127.0.0.1:PORT.
e2e_listening() {
	local end=$(($(e2e_now_ms) + $2 * 1000))
	while [ "$(e2e_now_ms)" -lt "$end" ]; do
		[ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ] || return 0
		sleep 0.05
	done
	return 1
}

# A remote forwarding carrying traffic: a writer on the server side sends
# through the tunnel (-R PORT+1) to a sink beside the client (PORT+2).
# Before the freeze, bytes must have reached the sink; during it, sshd
# must go on sending to the frozen client (segments on the wire), or the
# scenario proves nothing and fails.
e2e_pump_start() {
	local n=0 sink=$((E2E_PORT + 2))
	nc -l 127.0.0.1 "$sink" >"$E2E_DIR/sink" 2>"$E2E_DIR/sink.err" &
	E2E_PIDS+=("$!")
	e2e_listening "$sink" 5 || { E2E_SETUP="no sink on port $sink: $(cat "$E2E_DIR/sink.err")"; return 1; }
	e2e_listening "$((E2E_PORT + 1))" 10 ||
		{ E2E_SETUP="sshd does not listen on the forwarded port $((E2E_PORT + 1))"; return 1; }
	(
		exec 3<>"/dev/tcp/127.0.0.1/$((E2E_PORT + 1))" || exit 1
		while printf '%1023s\n' pump >&3; do
			sleep 0.05
		done
	) 2>/dev/null &
	E2E_PIDS+=("$!")
	while [ "$(stat -c %s "$E2E_DIR/sink" 2>/dev/null || echo 0)" -lt 4096 ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || { E2E_SETUP="no bytes through the forwarding in 5 s"; return 1; }
		sleep 0.05
	done
}

# During the freeze: segments with data from sshd to the frozen client.
e2e_pump_went_on() {
	local n
	n=$(e2e_wire server count "$(awk -v t="$1" 'BEGIN { printf "%.3f", t / 1000 }')")
	[ "${n:-0}" -ge 3 ] && return 0
	E2E_SETUP="sshd sent ${n:-0} segments to the frozen client: no traffic during the freeze"
	return 1
}

scn_sshd_forward_traffic() {
	E2E_BEFORE_FREEZE=e2e_pump_start
	E2E_DURING_FREEZE=e2e_pump_went_on
	# shellcheck disable=SC2086 # an option or nothing
	scn_client_frozen forward-traffic e2e -N $E2E_EXIT_ON_FWD \
		-R "$((E2E_PORT + 1)):127.0.0.1:$((E2E_PORT + 2))"
	E2E_BEFORE_FREEZE='' E2E_DURING_FREEZE=''
}

# --- ssh gives up a frozen server ------------------------------------------

# scn_server_frozen LABEL STDIN SSH-ARGS...: ssh (ServerAliveInterval
# E2E_I, ServerAliveCountMax E2E_C) runs SSH-ARGS with stdin STDIN ("busy"
# or "null"); the server's processes for the connection are frozen; ssh
# should exit with "Timeout, server ... not responding".
scn_server_frozen() {
	local stdin=$2 t0 t1='' frozen
	shift 2
	e2e_begin
	e2e_sshd_start "${E2E_SSHD_EXTRA[@]}" || { e2e_setup_failed "sshd did not start"; return 1; }
	e2e_capture_start || { e2e_setup_failed "no capture: $(cat "$E2E_DIR/cap.err")"; return 1; }
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
	e2e_session_up || { e2e_setup_failed "no session"; return 1; }
	[ -z "${E2E_BEFORE_FREEZE:-}" ] || $E2E_BEFORE_FREEZE ||
		{ e2e_setup_failed "$E2E_SETUP"; return 1; }
	kill -0 "$E2E_SSH_PID" 2>/dev/null ||
		{ e2e_setup_failed "ssh exited before the freeze: $(tail -n 2 "$E2E_DIR/ssh.log" | tr '\n' ' ')"; return 1; }
	mapfile -t frozen < <(e2e_descendants "$E2E_SSHD_PID")
	[ "${#frozen[@]}" -gt 0 ] || { e2e_setup_failed "no server process to freeze"; return 1; }
	t0=$(e2e_now_ms)
	e2e_freeze "${frozen[@]}"
	if e2e_wait_exit "$E2E_SSH_PID" "$E2E_BOUND"; then
		t1=$(e2e_now_ms)
	fi
	e2e_result "$t0" "$t1" "$E2E_DIR/ssh.log" "Timeout, server"
	[ -n "$E2E_WHY" ] || [ -z "$t1" ] || E2E_WHY="exited: $(tail -n 1 "$E2E_DIR/ssh.log")"
	e2e_capture_end client
	e2e_end
}

scn_ssh_idle() { scn_server_frozen idle null e2e sleep 600; }
scn_ssh_stdin() { scn_server_frozen stdin busy e2e 'cat >/dev/null'; }
scn_ssh_n() { scn_server_frozen -N null -N e2e; }

# A ControlMaster with a session of a second ssh through it: the master
# gives up the server.
e2e_mux_client() {
	local n=0
	# The master listens once it has its session; before that, a second
	# ssh finds no socket and logs in by itself.
	while [ ! -S "$E2E_DIR/ctl" ]; do
		n=$((n + 1))
		[ $n -lt 200 ] || { E2E_SETUP="the master made no control socket: $(tail -n 2 "$E2E_DIR/ssh.log")"; return 1; }
		sleep 0.05
	done
	"$E2E_SSH" -F "$E2E_DIR/ssh_config" -S "$E2E_DIR/ctl" e2e \
		'echo through-the-master; exec sleep 600' \
		</dev/null >"$E2E_DIR/mux.out" 2>"$E2E_DIR/mux.log" &
	E2E_PIDS+=("$!")
	# The second session ran its command, over the master's connection
	# (no second login in sshd's log).
	e2e_wait_log "$E2E_DIR/mux.out" through-the-master 10 ||
		{ E2E_SETUP="the second ssh did not get a session through the master: $(tail -n 2 "$E2E_DIR/mux.log")"; return 1; }
	# One login, counted by the client's port: 4.3p2's sshd logs its
	# "Accepted publickey" line twice for one login.
	if [ "$(sed -n 's/.*Accepted publickey .* port \([0-9]*\) .*/\1/p' "$E2E_DIR/sshd.log" | sort -u | wc -l)" != 1 ]; then
		E2E_SETUP="the second ssh logged in by itself, not through the master: $(grep 'Accepted publickey' "$E2E_DIR/sshd.log" | tr -d '\r' | tr '\n' ' ')"
		return 1
	fi
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
	local t0 t1='' survivor=client
	e2e_begin
	if [ "$1" = sshd ]; then
		survivor=server
		e2e_sshd_start "ClientAliveInterval $E2E_I" "ClientAliveCountMax 0" ||
			{ e2e_setup_failed "sshd did not start"; return 1; }
		e2e_capture_start || { e2e_setup_failed "no capture: $(cat "$E2E_DIR/cap.err")"; return 1; }
		e2e_ssh_bg "$E2E_DIR/ssh.log" e2e sleep 600
	else
		e2e_sshd_start || { e2e_setup_failed "sshd did not start"; return 1; }
		e2e_capture_start || { e2e_setup_failed "no capture: $(cat "$E2E_DIR/cap.err")"; return 1; }
		e2e_ssh_bg "$E2E_DIR/ssh.log" -o "ServerAliveInterval $E2E_I" \
			-o "ServerAliveCountMax 0" e2e sleep 600 </dev/null
	fi
	e2e_wait_log "$E2E_DIR/sshd.log" "Accepted publickey" 15 ||
		{ e2e_setup_failed "no session"; return 1; }
	t0=$(e2e_now_ms)
	if [ "$1" = sshd ]; then
		e2e_wait_log "$E2E_DIR/sshd.log" "$E2E_SSHD_GAVEUP" \
			"$E2E_BOUND" && t1=$(e2e_now_ms)
		e2e_result "$t0" "$t1" "$E2E_DIR/sshd.log" "$E2E_SSHD_GAVEUP"
	else
		e2e_wait_exit "$E2E_SSH_PID" "$E2E_BOUND" && t1=$(e2e_now_ms)
		e2e_result "$t0" "$t1" "$E2E_DIR/ssh.log" "Timeout, server"
	fi
	e2e_capture_end "$survivor"
	e2e_end
}

# --- both sides probing ----------------------------------------------------

# e2e_exchanges AFTER BEFORE: "SERVER CLIENT", the probes each side sent
# between the times AFTER and BEFORE (s), from the capture of an idle
# session: a segment with data that does not answer one from the other
# side (none from it in the 0.2 s before) opens an exchange; its sender
# probed.  The capture is taken at sshd's end, so over a link with a delay
# (E2E_LINKLOG, the log of tests/e2e/delay.py) ssh's probes are counted
# at ssh's end, from the times the link log gives: ssh probed when it sent
# a message with nothing from the server in the 0.2 s before.
e2e_exchanges() {
	local counts
	counts=$(awk -v port="$E2E_PORT" -v after="$1" -v before="$2" '
	$2 != "IP" || $1 + 0 < after + 0 || $1 + 0 > before + 0 { next }
	{
		src = $3; sub(/.*\./, "", src)
		len = $0; sub(/.*length /, "", len)
		if (len + 0 == 0) next
		side = src == port ? "s" : "c"
		other = side == "s" ? "c" : "s"
		if (!(other in last) || $1 - last[other] > 0.2) n[side]++
		last[side] = $1
	}
	END { print n["s"] + 0, n["c"] + 0 }' "$E2E_CAP")
	if [ -n "${E2E_LINKLOG:-}" ]; then
		counts="${counts%% *} $(awk -v after="$1" -v before="$2" '
		$2 == "s" { got = 1; last = $1; next }
		$2 != "c" || $1 + 0 < after + 0 || $1 + 0 > before + 0 { next }
		!got || $1 - last > 0.2 { n++ }
		END { print n + 0 }' "$E2E_LINKLOG")"
	fi
	echo "$counts"
}

# scn_both_idle [DELAY]: sshd (ClientAliveInterval E2E_I) and ssh
# (ServerAliveInterval E2E_I) both probing an idle session for
# E2E_BOTH_SECS s: E2E_SPROBES and E2E_CPROBES, the probes of each side.
# With DELAY (s), ssh reaches sshd through tests/e2e/delay.py, a link
# that delivers every message DELAY late each way: ssh then hears each
# probe of sshd's before sshd hears the reply, so ssh's own deadline falls
# first, by DELAY, unless ssh lets sshd go first (keepalive_yield()).
# A round trip stands for any lateness of sshd's probe (a loaded machine
# that wakes sshd late) too: ssh's yield must cover both.
E2E_BOTH_SECS=${E2E_BOTH_SECS:-10}
scn_both_idle() {
	local t0 proxy=()
	E2E_DELAY=${1:-0} E2E_LINKLOG=''
	if [ -n "${1:-}" ]; then
		E2E_LINKLOG=$E2E_DIR/link.log
		rm -f "$E2E_LINKLOG"
		proxy=(-o "ProxyCommand=$(command -v python3) $E2E_LIB/delay.py 127.0.0.1 $E2E_PORT $1 $E2E_LINKLOG")
	fi
	e2e_begin
	E2E_SPROBES='' E2E_CPROBES=''
	e2e_sshd_start "ClientAliveInterval $E2E_I" "ClientAliveCountMax $E2E_C" ||
		{ e2e_setup_failed "sshd did not start"; return 1; }
	e2e_capture_start || { e2e_setup_failed "no capture: $(cat "$E2E_DIR/cap.err")"; return 1; }
	e2e_ssh_bg "$E2E_DIR/ssh.log" -o "ServerAliveInterval $E2E_I" \
		-o "ServerAliveCountMax $E2E_C" "${proxy[@]}" e2e sleep 600 </dev/null
	e2e_session_up || { e2e_setup_failed "no session"; return 1; }
	t0=$(($(e2e_now_ms) / 1000))
	sleep "$E2E_BOTH_SECS"
	kill -0 "$E2E_SSH_PID" 2>/dev/null ||
		{ e2e_setup_failed "the session ended: $(tail -n 2 "$E2E_DIR/ssh.log" | tr '\n' ' ')"; return 1; }
	e2e_capture_stop
	read -r E2E_SPROBES E2E_CPROBES < <(e2e_exchanges "$t0" "$((t0 + E2E_BOTH_SECS))")
	e2e_end
}

# --- judging a scenario ---------------------------------------------------

# e2e_in_window SECS LOW HIGH: is SECS a number within LOW..HIGH (not
# "never" or another word)?
e2e_in_window() {
	[[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v s="$1" -v l="$2" -v h="$3" \
		'BEGIN { exit !(s >= l && s <= h) }'
}

# e2e_reason_ok WHY N LOW HIGH: the give-up report WHY says N probes and
# LOW..HIGH s of silence (the product's own word, bounded both ways).
e2e_reason_ok() {
	local why=$1 probes=$2 n s
	n=$(sed -n 's/.*: \([0-9]*\) probes* unanswered.*/\1/p' <<<"$why")
	s=$(sed -n 's/.*unanswered, \([0-9.]*\) s of silence.*/\1/p' <<<"$why")
	[ "$n" = "$probes" ] && e2e_in_window "$s" "$3" "$4"
}

# e2e_judge NAME PROBES: judge the scenario just run.  PROBES a number: a
# give-up after PROBES probes, (PROBES+1)*I after the peer's last message
# on the wire (E2E_GAP), not earlier and less than E2E_LATE later, with a
# report that says so.  PROBES "never": not given up within the bound,
# the session alive all along and sshd probing.  A scenario whose setup
# did not happen (E2E_OK, E2E_SETUP) fails.  Reports NAME.
e2e_judge() {
	local name=$1 probes=$2 full high
	if [ "${E2E_OK:-1}" != 0 ]; then
		t_fail "$name" "set-up failed: ${E2E_SETUP:-?}: $(tail -n 2 "$E2E_DIR/sshd.log" "$E2E_DIR/ssh.log" 2>/dev/null | tr '\n' ' ')"
	elif [ "$probes" = never ]; then
		if [ "$E2E_SECS" != never ]; then
			t_fail "$name" "given up after $E2E_SECS s: $E2E_WHY"
		elif [ "${E2E_ALIVE:-0}" != 1 ]; then
			t_fail "$name" "the session did not last: the connection closed or sshd went away"
		elif [ "${E2E_PROBES:-0}" -lt 2 ]; then
			t_fail "$name" "sshd sent ${E2E_PROBES:-0} messages to the frozen client in $E2E_BOUND s: no probing"
		else
			t_pass "$name"
		fi
	else
		full=$(((probes + 1) * E2E_I))
		high=$(awk -v f="$full" -v l="$E2E_LATE" 'BEGIN { print f + l }')
		if [ "$E2E_SECS" = never ]; then
			t_fail "$name" "not given up within $E2E_BOUND s of the freeze"
		elif [ -z "$E2E_GAP" ]; then
			t_fail "$name" "no give-up on the wire (no FIN or RST after the peer's last message): $E2E_WHY"
		elif ! e2e_in_window "$E2E_GAP" "$(awk -v f="$full" 'BEGIN { print f - 0.05 }')" "$high"; then
			t_fail "$name" "given up $E2E_GAP s after the peer's last message on the wire, expected $full..$high s: $E2E_WHY"
		elif ! e2e_reason_ok "$E2E_WHY" "$probes" "$full" "$high"; then
			t_fail "$name" "wrong give-up report (want $probes probes, $full..$high s of silence): $E2E_WHY"
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
