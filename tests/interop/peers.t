#!/usr/bin/env bash
# Interoperability of the keepalive with independent SSH implementations
# (issue 7), end to end on 127.0.0.1: the patched ssh and sshd against
# Dropbear (server and dbclient), PuTTY's plink and paramiko
# (tests/interop/server.py, flood.py).  With interval I = 1 s and count
# C = 1, a peer that answers (success, failure, or any packet) is kept, a
# frozen or silent one is given up after C probes and (C+1)*I s of silence;
# a server that answers no probe but sends data more often than (C+1)*I is
# kept; a flood of requests and unsolicited replies leaves sshd serving,
# with flat memory, and another session unaffected.  Only the patched build
# is judged; the unpatched build of the same release is run the same way
# and recorded next to it.  A peer that is not installed is skipped, with
# the reason.
#
# Needs the Debian packages dropbear-bin, putty-tools and python3-paramiko;
# the Dropbear server also root and unshare(1), for a mount namespace in
# which it reads authorized_keys from a scratch home.
#
# Run it alone with "tests/run interop/" ("interop" also selects
# tests/e2e/legacy-interop.t).  IOP_RELEASES (default: the newest of
# t_releases ci, tests/lib.sh;
# about 3 to 4 minutes with both variants once built) picks the releases,
# e.g. "8.4p1 9.2p1 10.0p1" (before 6.5: skipped); IOP_C the count (1 or
# more); IOP_PORT (default 25100) is below the TCP ports used, one more per
# run (16 a release); E2E_UNPATCHED=0 skips the unpatched side.  Results:
# WORK/results/interop-RELEASE.md; docs/interop.md tells more.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../e2e/lib.sh"
. "$here/lib.sh"

top=$T_TOP
trap 'e2e_end; rm -rf "$T_TMP"' EXIT
trap 'exit 130' INT TERM HUP
releases=${IOP_RELEASES:-$(t_releases ci | sort -V | tail -n 1)}
t_ports "${IOP_PORT:-25100}" 100
port=$T_PORT
E2E_I=1
E2E_C=${IOP_C:-1}
IOP_PERIOD=1.5			# s between a data server's packets
full=$(((E2E_C + 1) * E2E_I))
dir=$(t_tmpdir)/interop
results=${KEEPALIVE_WORK:-$top/work}/results
mkdir -p "$dir" "$results"

# --- judging the patched results -----------------------------------------

started() {
	[ "$P_OK" = 0 ] && return 0
	t_fail "$1" "scenario did not start: $(tail -n 2 "$P_DIR"/*.log 2>/dev/null | tr '\n' ' ')"
	return 1
}

judge_kept() {
	started "$1" || return 0
	if [ "$P_KEPT" = kept ]; then
		t_pass "$1"
	else
		t_fail "$1" "not kept for $IOP_KEEP s: $P_KEPT"
	fi
}

# judge_kept_probes NAME WHAT: kept for IOP_KEEP s, with at least two
# probes that WHAT (P_NOTE starts with their number): fewer prove nothing.
judge_kept_probes() {
	local probes
	started "$1" || return 0
	probes=${P_NOTE%% *}
	if [ "$P_SECS" != kept ]; then
		t_fail "$1" "not kept for $IOP_KEEP s: $P_SECS s: $P_WHY"
	elif [ "$probes" -lt 2 ]; then
		t_fail "$1" "kept, but only $probes probes $2: the case proves nothing"
	else
		t_pass "$1"
	fi
}

# judge_giveup NAME: given up after C probes, (C+1)*I after the peer's
# last message on the wire (tests/e2e/lib.sh e2e_gap), not earlier and less
# than E2E_LATE later, with a report that says so.
judge_giveup() {
	local high
	high=$(awk -v f="$full" -v l="$E2E_LATE" 'BEGIN { print f + l }')
	started "$1" || return 0
	if [ "$P_SECS" = never ]; then
		t_fail "$1" "not given up within $E2E_BOUND s: $P_WHY ($P_KEPT)"
	elif [ -z "$P_GAP" ]; then
		t_fail "$1" "no give-up on the wire: $P_WHY ($P_KEPT)"
	elif ! e2e_in_window "$P_GAP" "$(awk -v f="$full" 'BEGIN { print f - 0.05 }')" "$high"; then
		t_fail "$1" "given up $P_GAP s after the peer's last message on the wire, expected $full..$high s: $P_WHY ($P_KEPT)"
	elif ! e2e_reason_ok "$P_WHY" "$E2E_C" "$full" "$high"; then
		t_fail "$1" "wrong give-up report: $P_WHY"
	else
		t_pass "$1"
	fi
}

# --- running a scenario on both builds -----------------------------------

# both FUNCTION [ARGS...]: the scenario on the patched build (results in
# P_*), then on the unpatched one (U_*, or n/a).  Each run has a port and a
# scratch directory of its own.
n=0
run_on() {
	n=$((n + 1))
	e2e_use "$1" "$dir/$n" "$((port + n))"
	shift
	"$@" || true
	e2e_end
}
both() {
	run_on "$patched" "$@"
	P_OK=$E2E_OK P_SECS=$E2E_SECS P_WHY=$E2E_WHY P_KEPT=$IOP_KEPT P_NOTE=$IOP_NOTE
	P_GAP=$E2E_GAP
	P_DIR=$E2E_DIR
	U_OK=2 U_SECS=n/a U_KEPT=n/a U_NOTE=
	[ -n "$unpatched" ] || return 0
	run_on "$unpatched" "$@"
	U_OK=$E2E_OK U_SECS=$E2E_SECS U_KEPT=$IOP_KEPT U_NOTE=$IOP_NOTE
}

# Table cells: kept / seconds / never / n/a, with a short note.  OK: 0 the
# scenario ran, 1 it did not start, 2 it was not run (no unpatched build).
cell_na() {
	if [ "$1" = 2 ]; then echo "not run"; else echo "n/a (did not start)"; fi
}
cell_kept() {
	local r
	[ "$1" = 0 ] || { cell_na "$1"; return; }
	case $2 in
	kept) echo kept ;;
	"given up after "*)
		r=${2#given up after }
		echo "given up after ${r%%:*}"
		;;
	*) echo "$2" | cut -c1-60 ;;
	esac
}
# cell_secs OK SECS [WHY]: "1.9 s (1 probe, 2.0 s of silence)"
cell_secs() {
	local how
	[ "$1" = 0 ] || { cell_na "$1"; return; }
	case $2 in
	never | n/a | kept) echo "$2" ;;
	*)
		how=$(sed -n 's/.*: \([0-9]* probes*\) unanswered, \([0-9.]* s of silence\).*/\1, \2/p' <<<"${3:-}")
		echo "$2 s${how:+ ($how)}"
		;;
	esac
}
row() { printf '| %s | %s | %s | %s | %s |\n' "$@" >>"$report"; }
skip_rows() {
	local peer=$1 why=$2 name
	shift 2
	for name in "$@"; do
		t_skip "$rel/interop/$peer/$name" "$why"
		row "$peer" "$name" - "n/a: $why" "n/a: $why"
	done
}

# --- 1. patched ssh against a Dropbear server --------------------------------

peer_dropbear_server() {
	local peer="dropbear server" why
	why=$(iop_missing dropbear)
	if [ -n "$why" ]; then
		skip_rows dropbear-server "$why" ssh-idle-kept ssh-server-frozen
		return 0
	fi
	peer="$(iop_version dropbear) server"
	both scn_dropbear_server
	judge_kept "$rel/interop/dropbear-server/ssh-idle-kept"
	row "$peer" "ssh ServerAlive: idle session" kept "$(cell_kept "$P_OK" "$P_KEPT")" \
		"$(cell_kept "$U_OK" "$U_KEPT")"
	judge_giveup "$rel/interop/dropbear-server/ssh-server-frozen"
	row "$peer" "ssh ServerAlive: server frozen" "$giveup" \
		"$(cell_secs "$P_OK" "$P_SECS" "$P_WHY")" "$(cell_secs "$U_OK" "$U_SECS")"
}

# --- 2. dbclient and plink against patched sshd ------------------------------

peer_clients() {
	local client peer why
	for client in dbclient plink; do
		why=$(iop_missing "$client")
		case $client/$rel in
		dbclient/7.2p[12] | dbclient/7.3p1)
			# Not keepalive's: 7.2p1 .. 7.3p1 send server-sig-algs
			# "rsa-sha2-256,rsa-sha2-512" only, and Dropbear's
			# client, which heeds it, offers no ed25519 key.
			why="sshd of 7.2p1 .. 7.3p1 lists only rsa-sha2-* in server-sig-algs: Dropbear's client offers it no ed25519 key (upstream listed every algorithm from 7.4p1, 130f5df4f)" ;;
		esac
		if [ -n "$why" ]; then
			skip_rows "$client" "$why" sshd-idle-kept sshd-client-frozen
			continue
		fi
		peer="$(iop_version "$client") $client"
		both scn_client_peer "$client"
		judge_kept "$rel/interop/$client/sshd-idle-kept"
		row "$peer" "sshd ClientAlive: idle session" kept \
			"$(cell_kept "$P_OK" "$P_KEPT")" "$(cell_kept "$U_OK" "$U_KEPT")"
		judge_giveup "$rel/interop/$client/sshd-client-frozen"
		row "$peer" "sshd ClientAlive: client frozen" "$giveup" \
			"$(cell_secs "$P_OK" "$P_SECS" "$P_WHY")" "$(cell_secs "$U_OK" "$U_SECS")"
	done
}

# --- 3. patched ssh against scripted paramiko servers ------------------------

peer_paramiko_servers() {
	local peer name saved
	peer="$(iop_version paramiko) server"

	# Each probe answered with SSH2_MSG_REQUEST_FAILURE: kept.
	both scn_paramiko_server failure
	name=$rel/interop/paramiko/answers-failure-kept
	judge_kept_probes "$name" answered
	row "$peer" "ssh: answers each probe with failure" kept \
		"$(cell_secs "$P_OK" "$P_SECS")${P_NOTE:+ ($P_NOTE)}" \
		"$(cell_secs "$U_OK" "$U_SECS")${U_NOTE:+ ($U_NOTE)}"

	# No probe answered, but channel data every IOP_PERIOD s, more than I
	# (so probes go out and stay unanswered) and less than (C'+1)*I with
	# C' = C+1 (a margin for a loaded host): kept.
	both scn_paramiko_server data "$E2E_I" "$((E2E_C + 1))" "$IOP_PERIOD"
	name=$rel/interop/paramiko/sends-data-kept
	judge_kept_probes "$name" "went unanswered"
	row "$peer" "ssh (count $((E2E_C + 1))): answers no probe, sends data every $IOP_PERIOD s" \
		kept "$(cell_secs "$P_OK" "$P_SECS" "$P_WHY")${P_NOTE:+ ($P_NOTE)}" \
		"$(cell_secs "$U_OK" "$U_SECS")${U_NOTE:+ ($U_NOTE)}"

	# Reads and ignores everything: given up (C+1)*I after its last packet.
	both scn_paramiko_server silent
	judge_giveup "$rel/interop/paramiko/silent-given-up"
	row "$peer" "ssh: reads and ignores everything" "$(iop_count "$E2E_C" probe), $full s after its last packet" \
		"$(cell_secs "$P_OK" "$P_SECS" "$P_WHY")${P_NOTE:+ ($P_NOTE)}" \
		"$(cell_secs "$U_OK" "$U_SECS")${U_NOTE:+ ($U_NOTE)}"

	# Control: the silent server stays connected when ssh has no
	# keepalive, so the give-up above is the keepalive's doing.
	saved=$E2E_BOUND
	E2E_BOUND=$((full + 3))
	both scn_paramiko_server silent 0
	E2E_BOUND=$saved
	name=$rel/interop/paramiko/silent-keepalive-off-control
	if started "$name"; then
		if [ "$P_SECS" = never ]; then
			t_pass "$name"
		else
			t_fail "$name" "ssh without keepalive left after $P_SECS s: $P_WHY"
		fi
	fi
	row "$peer" "ssh, ServerAliveInterval 0 (control): silent server" \
		"never (within $((full + 3)) s)" "$(cell_secs "$P_OK" "$P_SECS")" \
		"$(cell_secs "$U_OK" "$U_SECS")"
}

# --- 4. a paramiko client floods patched sshd ---------------------------------

flood_cell() {
	[ "$E2E_OK" = 0 ] || { echo "n/a (did not start: $IOP_NOTE)"; return; }
	printf 'sshd %s, RSS %s -> %s kB, other session: %s; %s' \
		"$([ "$IOP_FLOOD_UP" = yes ] && echo serving || echo "NOT serving")" \
		"$IOP_RSS_BEFORE" "$IOP_RSS_AFTER" "${IOP_OTHER:-no output}" "$IOP_NOTE"
}

peer_paramiko_flood() {
	local peer name pcell ucell="not run"
	peer="$(iop_version paramiko) client"
	run_on "$patched" scn_flood
	name=$rel/interop/paramiko/flood
	P_OK=$E2E_OK P_DIR=$E2E_DIR
	pcell=$(flood_cell)
	if started "$name"; then
		if [ "$IOP_FLOOD_UP" != yes ]; then
			t_fail "$name" "sshd or the flooded session stopped serving: $IOP_NOTE $(tail -n 2 "$E2E_DIR/sshd.log")"
		elif [ "$IOP_RSS_AFTER" = gone ] ||
			[ $((IOP_RSS_AFTER - IOP_RSS_BEFORE)) -gt "$IOP_RSS_KB" ]; then
			t_fail "$name" "session memory grew: $IOP_RSS_BEFORE -> $IOP_RSS_AFTER kB (bound +$IOP_RSS_KB kB)"
		elif [ "$IOP_OTHER" != "other ok" ]; then
			t_fail "$name" "concurrent session failed: ${IOP_OTHER:-no output} $(tail -n 2 "$E2E_DIR/other.log")"
		else
			t_pass "$name"
		fi
	fi
	if [ -n "$unpatched" ]; then
		run_on "$unpatched" scn_flood
		ucell=$(flood_cell)
	fi
	row "$peer" "sshd: $IOP_FLOOD global requests and unsolicited replies" \
		"serving, RSS +<= $IOP_RSS_KB kB, other session ok" "$pcell" "$ucell"
}

# --- one release ----------------------------------------------------------------

interop_release() {
	local why
	rel=$1
	if [ "$(printf '%s\n' 6.5 "${rel%%p*}" | sort -V | head -n 1)" != 6.5 ]; then
		# No ed25519 before 6.5, and the peers of today do not take
		# these releases' RSA and DSA signatures (SHA-1) by default
		# (tests/e2e/legacy-interop.t tests them).
		t_skip "$rel/interop" "releases before 6.5 are not tested against these peers"
		return 0
	fi
	patched=$(t_built "$rel/interop" "$dir/build-$rel.log" "$rel") || return 0
	unpatched=
	if [ "${E2E_UNPATCHED:-1}" = 1 ] &&
		! unpatched=$(t_build "$rel" --unpatched 2>"$dir/build-$rel-u.log"); then
		unpatched=
		echo "no unpatched build, unpatched results are n/a: $(tail -n 1 "$dir/build-$rel-u.log")"
	fi
	report=$dir/interop-$rel.md
	{
		echo "## $rel: keepalive against independent SSH implementations"
		echo
		echo "Interval I = $E2E_I s, count C = $E2E_C; \"kept\": still connected after $IOP_KEEP s;"
		echo "seconds: from freezing the peer (or from a silent server's last packet) to"
		echo "the give-up; \"never\": not within $E2E_BOUND s.  Probes: as the give-up"
		echo "line reports them, or as the paramiko server counted them."
		echo
		echo "| peer | case | expected (patched) | patched | unpatched |"
		echo "| --- | --- | --- | --- | --- |"
	} >"$report"
	peer_dropbear_server
	peer_clients
	why=$(iop_missing paramiko)
	if [ -n "$why" ]; then
		skip_rows "paramiko" "$why" answers-failure-kept sends-data-kept \
			silent-given-up silent-keepalive-off-control flood
	else
		peer_paramiko_servers
		peer_paramiko_flood
	fi
	cp "$report" "$results/interop-$rel.md"
	cat "$report"
}

giveup="$(iop_count "$E2E_C" probe), $full s of silence: $full..$full+$E2E_LATE s after the peer's last message on the wire"
IOP_PY=$(iop_python) || IOP_PY=
for rel in $releases; do
	interop_release "$rel"
done
