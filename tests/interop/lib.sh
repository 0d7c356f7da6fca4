# shellcheck shell=bash disable=SC2034 # results are read by the callers
# tests/interop/lib.sh: the keepalive of a built OpenSSH tree against
# independent SSH implementations on 127.0.0.1 (Dropbear, PuTTY's plink,
# paramiko), for tests/interop/peers.t.  Sourced after tests/e2e/lib.sh,
# whose helpers start sshd and ssh (e2e_use, e2e_sshd_start, e2e_ssh_bg),
# wait (e2e_wait_log, e2e_wait_exit), freeze and end (e2e_freeze, e2e_end).
# Every process is started here and ended by e2e_end, by PID.

IOP_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IOP_KEEP=${IOP_KEEP:-5}		# s an answering peer must be kept
IOP_FLOOD=${IOP_FLOOD:-50000}	# messages of the paramiko flood
IOP_RSS_KB=${IOP_RSS_KB:-4096}	# growth of the flooded session allowed
IOP_USER=$(id -un)
IOP_CMD="sleep 60"		# the remote command: ends even if orphaned

# --- which peers are here --------------------------------------------------

# iop_python: a python3 in PATH that has paramiko (IOP_PY when set: the
# caller may look once, as importing paramiko takes seconds on a busy host).
IOP_PY=${IOP_PY:-}
iop_python() {
	local p
	[ -z "$IOP_PY" ] || { echo "$IOP_PY"; return 0; }
	for p in $(type -ap python3); do
		"$p" -c 'import paramiko' 2>/dev/null && { echo "$p"; return 0; }
	done
	return 1
}

# iop_missing PEER: why PEER cannot run here ("" if it can).
iop_missing() {
	local c
	case $1 in
	dropbear)
		for c in dropbear dropbearkey; do
			command -v "$c" >/dev/null || { echo "no $c (apt-get install dropbear-bin)"; return; }
		done
		for c in unshare mount; do
			command -v "$c" >/dev/null || { echo "no $c (util-linux, mount)"; return; }
		done
		# Dropbear reads ~/.ssh/authorized_keys only: the test lends it
		# a home of its own in a private mount namespace.
		[ "$(id -u)" = 0 ] || { echo "needs root (a mount namespace for dropbear's home)"; return; }
		unshare -m --propagation private true 2>/dev/null ||
			echo "unshare -m does not work here (no mount namespace for dropbear's home)"
		;;
	dbclient)
		for c in dbclient dropbearkey; do
			command -v "$c" >/dev/null || { echo "no $c (apt-get install dropbear-bin)"; return; }
		done
		;;
	plink)
		for c in plink puttygen; do
			command -v "$c" >/dev/null || { echo "no $c (apt-get install putty-tools)"; return; }
		done
		;;
	paramiko)
		iop_python >/dev/null || echo "no python3 with paramiko (apt-get install python3-paramiko)"
		;;
	esac
}

# iop_version PEER: e.g. "Dropbear 2022.83".
iop_version() {
	case $1 in
	dropbear | dbclient) dbclient -V 2>&1 | sed -n 's/.*Dropbear.* v\([^ ]*\).*/Dropbear \1/p' | head -n 1 ;;
	plink) plink -V 2>&1 | sed -n 's/^plink: Release \(.*\)/PuTTY \1/p' ;;
	paramiko) "$(iop_python)" -c 'import paramiko; print("paramiko", paramiko.__version__)' ;;
	esac
}

# --- helpers --------------------------------------------------------------

# iop_gave_up WHO SECONDS: did the keepalive side WHO (ssh: the client
# E2E_SSH_PID exits; sshd: "Timeout, client" in sshd.log) give up its peer
# within SECONDS?
iop_gave_up() {
	case $1 in
	ssh) e2e_wait_exit "$E2E_SSH_PID" "$2" ;;
	sshd) e2e_wait_log "$E2E_DIR/sshd.log" "Timeout, client not responding" "$2" ;;
	esac
}

# iop_keep WHO PEER-PID: the session must live IOP_KEEP s while PEER-PID
# runs.  IOP_KEPT: "kept", or what happened instead (then status 1).
iop_keep() {
	local t0
	iop_log "$1"
	t0=$(e2e_now_ms)
	if iop_gave_up "$1" "$IOP_KEEP"; then
		e2e_result "$t0" "$(e2e_now_ms)" "$IOP_LOG" "$IOP_PATTERN"
		IOP_KEPT="given up after $E2E_SECS s: ${E2E_WHY:-$(tail -n 1 "$IOP_LOG")}"
		E2E_SECS=n/a
		return 1
	fi
	if ! kill -0 "$2" 2>/dev/null; then
		IOP_KEPT="peer exited: $(tail -n 1 "$E2E_DIR/peer.log")"
		return 1
	fi
	IOP_KEPT=kept
}

# iop_freeze WHO PID...: freeze PID... and measure how long WHO takes to
# give them up (E2E_SECS, E2E_WHY: e2e_result).
iop_freeze() {
	local who=$1 t0 t1=''
	shift
	iop_log "$who"
	t0=$(e2e_now_ms)
	e2e_freeze "$@"
	iop_gave_up "$who" "$E2E_BOUND" && t1=$(e2e_now_ms)
	e2e_result "$t0" "$t1" "$IOP_LOG" "$IOP_PATTERN"
}

# iop_log WHO: the log and the give-up line of WHO.
iop_log() {
	if [ "$1" = sshd ]; then
		IOP_LOG=$E2E_DIR/sshd.log IOP_PATTERN="Timeout, client"
	else
		IOP_LOG=$E2E_DIR/ssh.log IOP_PATTERN="Timeout, server"
	fi
}

# iop_rss PID...: their resident memory, kB, summed.
iop_rss() {
	local p sum=0 kb
	for p in "$@"; do
		kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$p/status" 2>/dev/null) || return 1
		[ -n "$kb" ] || return 1
		sum=$((sum + kb))
	done
	echo "$sum"
}

# iop_sessions: the sshd-session (sshd before 9.8) processes below sshd.
iop_sessions() {
	local p
	for p in $(e2e_descendants "$E2E_SSHD_PID"); do
		case $(cat "/proc/$p/comm" 2>/dev/null) in
		sshd*) echo "$p" ;;
		esac
	done
}

# iop_adopt PID: end PID's present descendants with the scenario (e2e_end),
# such as the remote command, which outlives an sshd that gave up.
iop_adopt() {
	mapfile -t -O "${#E2E_PIDS[@]}" E2E_PIDS < <(e2e_descendants "$1")
}

# iop_adopt_cmd PID: once the remote command (a sleep) runs below PID, or
# after 10 s, adopt PID's descendants (iop_adopt): the command is then
# ended by PID even if its server dies or gives the session up first.
iop_adopt_cmd() {
	local n p
	for n in $(seq 100); do
		for p in $(e2e_descendants "$1"); do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" != sleep ] || break 2
		done
		sleep 0.1
	done
	iop_adopt "$1"
}

# iop_count N WORD: "1 probe", "2 probes".
iop_count() {
	if [ "$1" = 1 ]; then echo "1 $2"; else echo "$1 $2s"; fi
}

iop_reset() {
	e2e_begin
	IOP_KEPT=n/a IOP_NOTE=''
}

# --- 1. ssh (ServerAlive) against a Dropbear server ------------------------

# The dropbear server of this scenario, in a mount namespace where the
# user's home is E2E_DIR/home (dropbear takes authorized_keys from there).
iop_dropbear_start() {
	local home
	home=$(getent passwd "$IOP_USER" | cut -d: -f6)
	mkdir -p "$E2E_DIR/home/.ssh"
	chmod 755 "$E2E_DIR/home"
	chmod 700 "$E2E_DIR/home/.ssh"
	cp "$E2E_DIR/id.pub" "$E2E_DIR/home/.ssh/authorized_keys"
	rm -f "$E2E_DIR/dropbear_host_key" "$E2E_DIR/dropbear.pid"
	dropbearkey -t ed25519 -f "$E2E_DIR/dropbear_host_key" >/dev/null 2>&1
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
		sh "$E2E_DIR/home" "$home" \
		dropbear -F -E -s -r "$E2E_DIR/dropbear_host_key" \
		-P "$E2E_DIR/dropbear.pid" -p "127.0.0.1:$E2E_PORT" \
		>"$E2E_DIR/peer.log" 2>&1 &
	IOP_SERVER_PID=$!
	E2E_PIDS+=("$IOP_SERVER_PID")
	e2e_wait_pidfile "$IOP_SERVER_PID" "$E2E_DIR/dropbear.pid" "$E2E_DIR/peer.log" dropbear
}

scn_dropbear_server() {
	local frozen
	iop_reset
	iop_dropbear_start || { E2E_OK=1; return 1; }
	e2e_capture_start || { e2e_setup_failed "no capture: $(cat "$E2E_DIR/cap.err")"; return 1; }
	e2e_ssh_bg "$E2E_DIR/ssh.log" -o "ServerAliveInterval $E2E_I" \
		-o "ServerAliveCountMax $E2E_C" e2e "$IOP_CMD" </dev/null
	e2e_wait_log "$E2E_DIR/peer.log" "auth succeeded" 15 ||
		{ E2E_OK=1; e2e_end; return 1; }
	iop_adopt_cmd "$IOP_SERVER_PID"
	if iop_keep ssh "$IOP_SERVER_PID"; then
		# The connection's processes: dropbear's child and the command.
		mapfile -t frozen < <(e2e_descendants "$IOP_SERVER_PID")
		[ "${#frozen[@]}" -gt 0 ] || { E2E_OK=1; e2e_end; return 1; }
		iop_freeze ssh "${frozen[@]}"
	fi
	e2e_capture_end client
	e2e_end
}

# --- 2. dbclient and plink against sshd (ClientAlive) ------------------------

# iop_client_start PEER: dbclient or plink runs IOP_CMD on the sshd of
# this scenario, with a key of its own kind; PID in IOP_PEER_PID.  HOME is
# the scratch directory: nothing lands in the user's own.
iop_client_start() {
	local fp
	case $1 in
	dbclient)
		rm -f "$E2E_DIR/db_id"
		dropbearkey -t ed25519 -f "$E2E_DIR/db_id" 2>/dev/null |
			grep '^ssh-' >>"$E2E_DIR/authorized_keys"
		HOME=$E2E_DIR dbclient -y -i "$E2E_DIR/db_id" -p "$E2E_PORT" \
			"$IOP_USER@127.0.0.1" "$IOP_CMD" \
			</dev/null >/dev/null 2>"$E2E_DIR/peer.log" &
		;;
	plink)
		rm -f "$E2E_DIR/id.ppk"
		: >"$E2E_DIR/empty"
		HOME=$E2E_DIR puttygen -t ed25519 -q -o "$E2E_DIR/id.ppk" \
			--new-passphrase "$E2E_DIR/empty" </dev/null
		HOME=$E2E_DIR puttygen -L "$E2E_DIR/id.ppk" >>"$E2E_DIR/authorized_keys"
		# The host key's SHA256 fingerprint, as ssh-keygen -l -E
		# sha256 prints it (a release before 6.8 has no -E).
		fp=$(python3 -c 'import base64, hashlib, sys
blob = base64.b64decode(open(sys.argv[1]).read().split()[1])
print("SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("="))' \
			"$E2E_DIR/host_key.pub")
		HOME=$E2E_DIR plink -ssh -batch -noagent -P "$E2E_PORT" \
			-l "$IOP_USER" -i "$E2E_DIR/id.ppk" -hostkey "$fp" \
			127.0.0.1 "$IOP_CMD" \
			</dev/null >/dev/null 2>"$E2E_DIR/peer.log" &
		;;
	esac
	IOP_PEER_PID=$!
	E2E_PIDS+=("$IOP_PEER_PID")
}

# scn_client_peer PEER: sshd keeps PEER while it answers, gives it up frozen.
scn_client_peer() {
	iop_reset
	cp "$E2E_DIR/id.pub" "$E2E_DIR/authorized_keys"
	e2e_sshd_start "ClientAliveInterval $E2E_I" "ClientAliveCountMax $E2E_C" ||
		{ E2E_OK=1; return 1; }
	e2e_capture_start || { e2e_setup_failed "no capture: $(cat "$E2E_DIR/cap.err")"; return 1; }
	iop_client_start "$1"
	e2e_wait_log "$E2E_DIR/sshd.log" "Accepted publickey" 15 ||
		{ E2E_OK=1; e2e_end; return 1; }
	iop_adopt_cmd "$E2E_SSHD_PID"
	if iop_keep sshd "$IOP_PEER_PID"; then
		iop_freeze sshd "$IOP_PEER_PID"
	fi
	e2e_capture_end server
	e2e_end
}

# --- 3. ssh against scripted paramiko servers -------------------------------

# scn_paramiko_server MODE [INTERVAL [COUNT [PERIOD]]]: ssh
# (ServerAliveInterval INTERVAL, default E2E_I; ServerAliveCountMax COUNT,
# default E2E_C) against tests/interop/server.py MODE (data every PERIOD s).
# E2E_SECS counts from the server's last packet before the session settles
# (its answer to exec); an answering server (failure, data) is watched for
# IOP_KEEP s, a silent one for E2E_BOUND s.  IOP_NOTE: what the server saw
# and did.
scn_paramiko_server() {
	local mode=$1 interval=${2:-$E2E_I} count=${3:-$E2E_C} t0 t1=''
	local wait=$IOP_KEEP py
	iop_reset
	py=$(iop_python) || { E2E_OK=1; return 1; }
	[ "$mode" != silent ] || wait=$E2E_BOUND
	"$py" "$IOP_HERE/server.py" "$mode" "$E2E_PORT" "$E2E_DIR/host_key" \
		"$E2E_DIR/id.pub" ${4:+"$4"} >"$E2E_DIR/peer.log" 2>&1 &
	E2E_PIDS+=("$!")
	e2e_wait_log "$E2E_DIR/peer.log" " listening" 30 ||
		{ E2E_OK=1; e2e_end; return 1; }
	e2e_capture_start || { e2e_setup_failed "no capture: $(cat "$E2E_DIR/cap.err")"; return 1; }
	e2e_ssh_bg "$E2E_DIR/ssh.log" -o "ServerAliveInterval $interval" \
		-o "ServerAliveCountMax $count" e2e "$IOP_CMD" </dev/null
	e2e_wait_log "$E2E_DIR/peer.log" " exec " 30 ||
		{ E2E_OK=1; e2e_end; return 1; }
	t0=$(awk '$2 == "exec" { print $1; exit }' "$E2E_DIR/peer.log")
	e2e_wait_exit "$E2E_SSH_PID" "$wait" && t1=$(e2e_now_ms)
	e2e_result "$t0" "$t1" "$E2E_DIR/ssh.log" "Timeout, server"
	[ -n "$E2E_WHY" ] || [ -z "$t1" ] || E2E_WHY="exited: $(tail -n 1 "$E2E_DIR/ssh.log")"
	if [ "$mode" != silent ] && [ -z "$t1" ]; then
		E2E_SECS=kept
	fi
	IOP_NOTE="$(iop_count "$(grep -c ' request keepalive@openssh.com want-reply 1' \
		"$E2E_DIR/peer.log" || true)" probe) seen"
	[ "$mode" != data ] || IOP_NOTE="$IOP_NOTE, $(iop_count \
		"$(grep -c ' data ' "$E2E_DIR/peer.log" || true)" "data packet") sent"
	e2e_capture_end client
	e2e_end
}

# --- 4. a paramiko client floods sshd ---------------------------------------

# scn_flood: tests/interop/flood.py sends IOP_FLOOD global requests and
# unsolicited replies in a session of sshd (ClientAlive on) while a normal
# ssh session runs a command.  Results: IOP_FLOOD_UP (sshd and the
# flooded session still serve), IOP_RSS_BEFORE/AFTER (kB, the session's
# sshd-session processes after a warm-up and after the flood), IOP_OTHER
# (the other session's output), IOP_NOTE (the flood's own report).
scn_flood() {
	local py pids other flood p
	iop_reset
	IOP_FLOOD_UP=no IOP_RSS_BEFORE='' IOP_RSS_AFTER='' IOP_OTHER=''
	py=$(iop_python) || { E2E_OK=1; return 1; }
	e2e_sshd_start "ClientAliveInterval $E2E_I" "ClientAliveCountMax $E2E_C" ||
		{ E2E_OK=1; return 1; }
	rm -f "$E2E_DIR/go"
	"$py" "$IOP_HERE/flood.py" "$E2E_PORT" "$IOP_USER" "$E2E_DIR/id" \
		"$E2E_DIR/go" "$IOP_FLOOD" >"$E2E_DIR/flood.log" 2>&1 &
	flood=$!
	E2E_PIDS+=("$flood")
	e2e_wait_log "$E2E_DIR/flood.log" "^warm" 60 ||
		{ E2E_OK=1; IOP_NOTE=$(tail -n 1 "$E2E_DIR/flood.log"); e2e_end; return 1; }
	iop_adopt_cmd "$E2E_SSHD_PID"
	sleep 1
	mapfile -t pids < <(iop_sessions)
	if [ "${#pids[@]}" = 0 ] || ! IOP_RSS_BEFORE=$(iop_rss "${pids[@]}"); then
		E2E_OK=1 IOP_NOTE="no session process"
		e2e_end
		return 1
	fi
	# The other session logs in, then the flood starts under its command.
	"$E2E_SSH" -F "$E2E_DIR/ssh_config" e2e 'sleep 2; echo other ok' \
		</dev/null >"$E2E_DIR/other.out" 2>"$E2E_DIR/other.log" &
	other=$!
	E2E_PIDS+=("$other")
	for p in $(seq 100); do
		[ "$(grep -c 'Accepted publickey' "$E2E_DIR/sshd.log")" -lt 2 ] || break
		sleep 0.1
	done
	touch "$E2E_DIR/go"
	e2e_wait_log "$E2E_DIR/flood.log" "^alive\|^dead" 120 || true
	e2e_wait_exit "$other" 30 || true
	IOP_OTHER=$(cat "$E2E_DIR/other.out")
	sleep 1
	IOP_RSS_AFTER=$(iop_rss "${pids[@]}") || IOP_RSS_AFTER=gone
	IOP_NOTE=$(grep '^flooded\|^dead' "$E2E_DIR/flood.log" | paste -sd ' ')
	if kill -0 "$E2E_SSHD_PID" 2>/dev/null && grep -q '^alive' "$E2E_DIR/flood.log"; then
		IOP_FLOOD_UP=yes
	fi
	# The client leaves first, so that sshd ends the session itself; its
	# command is ended by e2e_end.
	iop_adopt "$E2E_SSHD_PID"
	kill "$flood" 2>/dev/null || true
	for p in "${pids[@]}"; do
		e2e_wait_exit "$p" 10 || break
	done
	e2e_end
}
