#	openssh-keepalive: regress/keepalive.sh
#	Placed in the Public Domain.
#
# ClientAlive* and ServerAlive* as openssh-keepalive defines them: with
# interval I and count C the peer is given up after (C+1)*I s of silence,
# whatever the local side does, and never earlier.  Runs unchanged in the
# regress suite of every release the series patches (3.7.1p2 onwards), so
# it uses only what the oldest test-exec.sh offers.

tid="keepalive"

KA_I=1		# interval, s
KA_C=2		# count
KA_MAX=15	# bound, s, for anything that should take (C+1)*I = 3 s
KA_LATE=5	# tenths of a second a give-up may come late: less than I
KA_SLOW=3	# tenths a reply may take on a loaded machine: less than I
# ssh itself, not test-exec.sh's wrapper that logs to a file (-E): our
# checks read its messages.  REAL_SSH from 7.3p1; before, the binary the
# Makefile names (the wrapper of 6.x .. 7.2p2 would hide them).
KA_SSH=${REAL_SSH:-${TEST_SSH_SSH:-$SSH}}
ka_sshd=""
ka_pids=""

# The processes below PID $1, recursively (this is what freezes a server).
ka_descendants()
{
	for c in `ps -e -o pid= -o ppid= | awk -v p=$1 '$2 == p { print $1 }'`
	do
		echo $c
		ka_descendants $c
	done
}

# Everything this test started, sshd's children included: frozen
# processes are thawed, then all are ended.
ka_cleanup()
{
	test -z "$ka_sshd" || ka_pids="$ka_pids `ka_descendants $ka_sshd`"
	for p in $ka_pids $ka_sshd; do
		kill -CONT $p >/dev/null 2>&1
		kill $p >/dev/null 2>&1
	done
	test -z "$ka_sshd" || wait $ka_sshd >/dev/null 2>&1
	test -z "$ka_sshd" || rm -f $PIDFILE
	ka_pids=""
	ka_sshd=""
}
trap ka_cleanup EXIT

# Start sshd in the foreground with extra configuration lines in "$@".
# Its LogLevel is ours: sshd keeps the first one (QUIET in old suites).
ka_start_sshd()
{
	grep -v LogLevel $OBJ/sshd_config > $OBJ/sshd_config.ka
	for l in "$@"; do
		echo "$l" >> $OBJ/sshd_config.ka
	done
	echo "LogLevel VERBOSE" >> $OBJ/sshd_config.ka
	rm -f $OBJ/sshd.ka.log $PIDFILE
	$SUDO $SSHD -f $OBJ/sshd_config.ka -D -e >$OBJ/sshd.ka.log 2>&1 &
	ka_sshd=$!
	n=0
	while [ ! -f $PIDFILE -a $n -lt 200 ]; do
		n=`expr $n + 1`
		sleep 0.1
	done
	test -f $PIDFILE || fatal "sshd did not start: `tail -3 $OBJ/sshd.ka.log`"
}

# Now in tenths of a second (GNU date), or in whole seconds as tenths.
ka_tenths()
{
	t=`date +%s%N 2>/dev/null`
	case "$t" in
	*N|"")	expr \( `date +%s` \) \* 10 ;;
	*)	expr $t / 100000000 ;;
	esac
}

# Wait up to KA_MAX s for "probes unanswered" in log $1; ka_waited is the
# time it took from ka_t0 (tenths of a second).
ka_wait_giveup()
{
	ka_waited=0
	while [ $ka_waited -lt `expr $KA_MAX \* 10` ]; do
		grep "probes* unanswered" $1 >/dev/null 2>&1 && return 0
		sleep 0.1
		ka_waited=`expr \`ka_tenths\` - $ka_t0`
	done
	return 1
}

# The give-up in log $1 must say C probes and (C+1)*I s of silence, and
# come neither early nor as late as one more interval: the reported
# silence (tenths) within (C+1)*I .. (C+1)*I + KA_LATE, the time from the
# freeze (ka_waited) within C*I - KA_SLOW .. (C+1)*I + KA_LATE (the peer
# was last heard up to I, plus the time its last reply took, before the
# freeze).
ka_check_giveup()
{
	line=`grep "probes* unanswered" $1 | head -1`
	trace "$2: $line (given up $ka_waited tenths of a second after the freeze)"
	probes=`echo "$line" | sed -n 's/.*: \([0-9]*\) probes* unanswered.*/\1/p'`
	silence=`echo "$line" |
	    sed -n 's/.*unanswered, \([0-9]*\)\.\([0-9]\) s of silence.*/\1\2/p'`
	full=`expr \( $KA_C + 1 \) \* $KA_I \* 10`
	if [ "x$probes" != "x$KA_C" ]; then
		fail "$2: gave up after '$probes' probes, not $KA_C: $line"
	elif [ -z "$silence" ] || [ $silence -lt $full ]; then
		fail "$2: gave up early: $line"
	elif [ $silence -gt `expr $full + $KA_LATE` ]; then
		fail "$2: gave up late: $line"
	elif [ $ka_waited -lt `expr $KA_C \* $KA_I \* 10 - $KA_SLOW` ] ||
	    [ $ka_waited -gt `expr $full + $KA_LATE + 2` ]; then
		fail "$2: gave up $ka_waited tenths of a second after the freeze, expected $KA_C*$KA_I s - $KA_SLOW tenths to $full tenths + $KA_LATE"
	fi
}

# The session of the client just started is up: sshd logged the login
# (up to 10 s), then two intervals pass so that probes were answered.
ka_session_up()
{
	n=0
	while ! grep "Accepted " $OBJ/sshd.ka.log >/dev/null 2>&1; do
		n=`expr $n + 1`
		test $n -lt 100 || fatal "$1: no login in 10 s: `tail -3 $OBJ/sshd.ka.log`"
		sleep 0.1
	done
	sleep `expr 2 \* $KA_I`
}

# sshd side: the client is frozen; sshd gives it up.  $2: remote command.
ka_client_frozen()
{
	verbose "$tid: sshd gives up a frozen client: $1"
	ka_start_sshd "ClientAliveInterval $KA_I" "ClientAliveCountMax $KA_C"
	$KA_SSH -F $OBJ/ssh_config $3 somehost "$2" >/dev/null 2>&1 &
	client=$!
	ka_pids="$ka_pids $client"
	ka_session_up "$1"
	grep "probes* unanswered" $OBJ/sshd.ka.log >/dev/null &&
	    fail "$1: live client given up: `tail -3 $OBJ/sshd.ka.log`"
	ka_t0=`ka_tenths`
	kill -STOP $client
	if ka_wait_giveup $OBJ/sshd.ka.log; then
		ka_check_giveup $OBJ/sshd.ka.log "$1"
	else
		fail "$1: frozen client not given up in $KA_MAX s"
	fi
	ka_cleanup
}

# ssh side: the server's processes for this connection are frozen.
ka_server_frozen()
{
	verbose "$tid: ssh gives up a frozen server: $1"
	ka_start_sshd
	rm -f $OBJ/ssh.ka.log
	if [ "x$3" = "xstdin" ]; then
		yes | $KA_SSH -F $OBJ/ssh_config -o "ServerAliveInterval $KA_I" \
		    -o "ServerAliveCountMax $KA_C" somehost "$2" \
		    >/dev/null 2>$OBJ/ssh.ka.log &
	else
		$KA_SSH -F $OBJ/ssh_config -o "ServerAliveInterval $KA_I" \
		    -o "ServerAliveCountMax $KA_C" $3 somehost "$2" \
		    </dev/null >/dev/null 2>$OBJ/ssh.ka.log &
	fi
	client=$!
	ka_pids="$ka_pids $client"
	ka_session_up "$1"
	kill -0 $client 2>/dev/null ||
	    fail "$1: ssh exited early: `tail -3 $OBJ/ssh.ka.log`"
	frozen=`ka_descendants $ka_sshd`
	test -z "$frozen" && fail "$1: no server process to freeze"
	ka_t0=`ka_tenths`
	for p in $frozen; do
		kill -STOP $p
		ka_pids="$ka_pids $p"
	done
	if ka_wait_giveup $OBJ/ssh.ka.log; then
		ka_check_giveup $OBJ/ssh.ka.log "$1"
	else
		fail "$1: frozen server not given up in $KA_MAX s"
	fi
	ka_cleanup
}

# Configuration: values, units, errors and hints.
verbose "$tid: configuration"
for v in 0 15 30s 5m 1h30m; do
	cp $OBJ/sshd_config $OBJ/sshd_config.ka
	echo "ClientAliveInterval $v" >> $OBJ/sshd_config.ka
	$SUDO $SSHD -t -f $OBJ/sshd_config.ka >$OBJ/ka.out 2>&1 ||
	    fail "ClientAliveInterval $v refused: `tail -3 $OBJ/ka.out`"
	$KA_SSH -F $OBJ/ssh_config -o "ServerAliveInterval $v" \
	    -o "ProxyCommand exit 1" somehost true >$OBJ/ka.out 2>&1
	# ssh names the keyword as written or in lower case.
	grep -i "ServerAliveInterval" $OBJ/ka.out >/dev/null &&
	    fail "ServerAliveInterval $v refused: `tail -3 $OBJ/ka.out`"
done
for kv in "ClientAliveInterval 5x" "ClientAliveCountMax 3x"; do
	cp $OBJ/sshd_config $OBJ/sshd_config.ka
	echo "$kv" >> $OBJ/sshd_config.ka
	k=`echo $kv | cut -d' ' -f1`
	v=`echo $kv | cut -d' ' -f2`
	$SUDO $SSHD -t -f $OBJ/sshd_config.ka >$OBJ/ka.out 2>&1
	r=$?
	if grep "line [0-9]*: $k: .*\"$v\"" $OBJ/ka.out >/dev/null; then
		:
	elif grep "read as" $OBJ/ka.out >/dev/null && [ $r -eq 0 ]; then
		trace "$kv: accepted with a warning, as this release reads it"
	else
		fail "$kv: no message naming it (status $r): `tail -3 $OBJ/ka.out`"
	fi
done
cp $OBJ/sshd_config $OBJ/sshd_config.ka
echo "ServerAliveInterval 15" >> $OBJ/sshd_config.ka
$SUDO $SSHD -t -f $OBJ/sshd_config.ka >$OBJ/ka.out 2>&1 &&
    fail "sshd accepted ServerAliveInterval"
grep "sshd uses ClientAliveInterval" $OBJ/ka.out >/dev/null ||
    fail "no hint for ServerAliveInterval in sshd_config: `tail -3 $OBJ/ka.out`"
cp $OBJ/ssh_config $OBJ/ssh_config.ka
echo "ClientAliveCountMax 3" >> $OBJ/ssh_config.ka
$KA_SSH -F $OBJ/ssh_config.ka somehost true >$OBJ/ka.out 2>&1 &&
    fail "ssh accepted ClientAliveCountMax"
grep "ssh uses ServerAliveCountMax" $OBJ/ka.out >/dev/null ||
    fail "no hint for ClientAliveCountMax in ssh_config: `tail -3 $OBJ/ka.out`"
$KA_SSH -F $OBJ/ssh_config -o "ServerAliveInterval 5x" somehost true \
    >$OBJ/ka.out 2>&1 && fail "ssh accepted ServerAliveInterval 5x"
grep "ServerAliveInterval: .*\"5x\"" $OBJ/ka.out >/dev/null ||
    grep "serveraliveinterval: .*\"5x\"" $OBJ/ka.out >/dev/null ||
    fail "no message naming ServerAliveInterval 5x: `tail -3 $OBJ/ka.out`"

# A live peer that answers probes (with failure, as OpenSSH does) is kept.
verbose "$tid: live peers are kept"
ka_start_sshd "ClientAliveInterval $KA_I" "ClientAliveCountMax 1"
$KA_SSH -F $OBJ/ssh_config -o "ServerAliveInterval $KA_I" \
    -o "ServerAliveCountMax 1" somehost "sleep 6; echo done" \
    >$OBJ/ka.out 2>$OBJ/ssh.ka.log
test "x`tail -3 $OBJ/ka.out`" = "xdone" ||
    fail "live session lost: `tail -3 $OBJ/ssh.ka.log`; sshd: `tail -3 $OBJ/sshd.ka.log`"
ka_cleanup

ka_client_frozen "idle session" "sleep 60"
ka_client_frozen "remote program printing" \
    "while :; do echo x; sleep 0.1; done"
ka_client_frozen "ssh -N with a forwarding" "" \
    "-N -L `expr $PORT + 10`:127.0.0.1:$PORT"
ka_server_frozen "idle session" "sleep 60"
ka_server_frozen "stdin busy" "cat >/dev/null" stdin
ka_server_frozen "ssh -N" "" "-N"
