#!/usr/bin/env bash
# keepalive-explain (explain/): it builds warning-free, its --help lists
# exactly the options it takes, the seed cases of docs/admin.md say what
# they must, and its verdict on values and misplaced keywords is the one
# the real builds give (sshd -t / sshd -T, ssh) on the releases CI builds
# every run (4.3p2 and 3.7.1p2 patched and unpatched, 9.2p1 patched).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
top=$T_TOP
tmp=$(t_tmpdir)
X=$tmp/build/keepalive-explain

if ! make -s -C "$top/explain" O="$tmp/build" CFLAGS="-O2 -Werror" \
	>"$tmp/make.log" 2>&1; then
	t_fail explain/build "$(tail -n 5 "$tmp/make.log")"
	exit 0
fi
if [ -s "$tmp/make.log" ]; then
	t_fail explain/build "output while building: $(head -n 3 "$tmp/make.log")"
else
	t_pass explain/build
fi

# --help lists exactly the options of the parser (short and long).
src=$top/explain/keepalive-explain.c
parser=$(sed -n '/longopts\[\] = {/,/^	};/p' "$src" |
	sed -n 's/.*{ "\([a-z-]*\)",.*'"'"'\(.\)'"'"' }.*/-\2 --\1/p' | sort)
shorts=$(grep -o 'getopt_long(argc, argv, "[^"]*"' "$src" | sed 's/.*"\(.*\)"/\1/; s/://g' |
	fold -w 1 | sed 's/^/-/' | sort)
helped=$("$X" --help | sed -n 's/^  \(-.\), \(--[a-z-]*\).*/\1 \2/p' | sort)
if [ -n "$parser" ] && [ "$parser" = "$helped" ] &&
	[ "$shorts" = "$(cut -d ' ' -f 1 <<<"$helped" | sort)" ]; then
	t_pass explain/help-lists-what-it-takes
else
	t_fail explain/help-lists-what-it-takes "parser: ${parser//$'\n'/ } | help: ${helped//$'\n'/ } | getopt: ${shorts//$'\n'/ }"
fi
st=0
"$X" --bogus >/dev/null 2>&1 || st=$?
"$X" -r 9.2p1 extra >/dev/null 2>"$tmp/err" || st2=$?
"$X" -r 1.0p1 >/dev/null 2>"$tmp/err2" || st3=$?
if [ $st = 2 ] && [ "${st2:-0}" = 2 ] && [ "${st3:-0}" = 2 ] &&
	grep -q 'unknown release "1.0p1"' "$tmp/err2"; then
	t_pass explain/usage-errors
else
	t_fail explain/usage-errors "exit $st, ${st2:-0}, ${st3:-0}: $(cat "$tmp/err" "$tmp/err2")"
fi
if [ "$("$X" --list)" = "$(awk '$1 == "openssh" { print $2 }' "$top/upstream-version")" ]; then
	t_pass explain/list-is-upstream-version
else
	t_fail explain/list-is-upstream-version "$("$X" --list | tr '\n' ' ')"
fi

# expect NAME STATUS PATTERN... -- ARGS: exit status and output lines.
expect() {
	local name=$1 want=$2 st=0 p missing='' out
	shift 2
	local pats=()
	while [ "$1" != -- ]; do
		pats+=("$1")
		shift
	done
	shift
	out=$tmp/${name//\//_}.out
	"$X" "$@" >"$out" 2>&1 || st=$?
	for p in "${pats[@]}"; do
		grep -qF -- "$p" "$out" || missing+="[$p] "
	done
	if [ "$st" = "$want" ] && [ -z "$missing" ]; then
		t_pass "explain/$name"
	else
		t_fail "explain/$name" "exit $st (want $want); missing: ${missing:-none}; output: $(head -c 600 "$out")"
	fi
}

cd "$tmp"
# Seed 1: ServerAliveInterval in sshd_config on 4.3p2.
printf 'Port 22\nServerAliveInterval 30\n' >sshd-wrong.conf
expect seed/4.3p2-serveralive-in-sshd_config 1 \
	'sshd-wrong.conf line 2: Bad configuration option: ServerAliveInterval (ServerAliveInterval is an ssh_config option; sshd uses ClientAliveInterval)' \
	'sshd refuses to start' -- -r 4.3p2 -s sshd-wrong.conf
expect seed/4.3p2-serveralive-in-sshd_config-unpatched 1 \
	'sshd-wrong.conf line 2: Bad configuration option: ServerAliveInterval' \
	'sshd refuses to start' -- -r 4.3p2 -u -s sshd-wrong.conf

# Seed 2: ServerAliveInterval in ssh_config on 3.7.1p2, unpatched and patched.
printf 'Host *\n\tServerAliveInterval 30\n' >ssh-30.conf
expect seed/3.7.1p2-serveralive-unpatched 1 \
	'ssh-30.conf line 2: Bad configuration option: ServerAliveInterval' \
	'ssh refuses to start' 'it never probes the server' -- -r 3.7.1p2 -u -c ssh-30.conf
expect seed/3.7.1p2-serveralive-patched 0 \
	'in force: ServerAliveInterval 30 (ssh-30.conf line 2), ServerAliveCountMax 3 (default)' \
	'gets probes 30, 60, 90 s after its last packet and is given up 2 min (120 s) after it' \
	'"ServerAlive: 3 probes unanswered, 120.0 s of silence"' \
	'ssh -v shows: debug1: keepalive 1.1: a probe after each 30 s of silence, at most 3, peer given up after 120 s of silence' \
	-- -r 3.7.1p2 -c ssh-30.conf

# Seed 3: ClientAliveCountMax 3 with an sshfs client (its -o options).
printf 'ClientAliveInterval 15\nClientAliveCountMax 3\n' >sshd-15.conf
expect seed/sshfs-both-sides 0 \
	'a client that stops answering gets probes 15, 30, 45 s after its last packet and is disconnected 60 s after it' \
	'a server that stops answering gets probes 15, 30, 45 s after its last packet and is given up 60 s after it' \
	'one probe exchange every 15 s of silence: sshd probes and ssh only answers' \
	-- -r 9.2p1 -s sshd-15.conf -o ServerAliveInterval=15 -o ServerAliveCountMax=3
expect seed/sshfs-no-serveralive 0 \
	'a client that stops answering gets probes 15, 30, 45 s' \
	'ssh never probes the server: a dead server or a forgotten NAT mapping leaves ssh (and sshfs' \
	-- -r 9.2p1 -s sshd-15.conf
expect seed/sshfs-unpatched-printing 0 \
	'unpatched 9.2p1 sshd does not notice a dead client while the remote program keeps printing' \
	'each on its own timer' -- -r 9.2p1 -u -s sshd-15.conf -o ServerAliveInterval=15

# Seed 4: a hoster that drops sessions idle for 3 minutes.
printf 'Host *\n  ServerAliveInterval 60\n' >ssh-60.conf
printf 'ServerAliveInterval 170\n' >ssh-170.conf
expect seed/hoster-3min-nothing-set 1 'NOT kept: no side probes' -- -r 10.0p1 -i 180
expect seed/hoster-3min-client-60 0 'kept: an idle session sends a packet at least every 60 s' \
	-- -r 10.0p1 -i 180 -c ssh-60.conf
expect seed/hoster-3min-client-170 0 'kept, with little margin' -- -r 10.0p1 -i 180 -c ssh-170.conf
expect seed/hoster-3min-server-200 1 'NOT kept: an idle session sends a packet only every 200 s' \
	-- -r 10.0p1 -i 180 -O ClientAliveInterval=200

# Count 0, by release: an idle timeout before 8.2p1, probes only after.
printf 'ClientAliveInterval 60\nClientAliveCountMax 0\n' >sshd-zero.conf
expect count0/4.3p2 0 'gets no probe and is disconnected 60 s after its last packet' \
	'sshd ends every session idle for 60 s' -- -r 4.3p2 -s sshd-zero.conf
expect count0/8.4p1 0 'gets a probe every 60 s and is never given up' -- -r 8.4p1 -s sshd-zero.conf
# Parse rules that change with the release.
printf 'ClientAliveInterval 1.5\n' >sshd-dec.conf
expect parse/decimal-10.3p1 0 'in force: ClientAliveInterval 1 (sshd-dec.conf line 1)' -- -r 10.3p1 -s sshd-dec.conf
expect parse/decimal-10.2p1 1 'invalid time value "1.5"' -- -r 10.2p1 -s sshd-dec.conf
expect parse/first-value-wins 0 'ClientAliveInterval 30 is ignored: the first value read' \
	'in force: ClientAliveInterval 15 (command-line line 0)' \
	-- -r 9.6p1 -O ClientAliveInterval=15 -O ClientAliveInterval=30
printf 'Match User bob\n\tClientAliveInterval 5\n' >sshd-match.conf
expect parse/match-not-counted 0 'inside a Host or Match block: not counted' \
	'in force: ClientAliveInterval 0 (default)' -- -r 9.6p1 -s sshd-match.conf
printf 'clientaliveinterval 120\nclientalivecountmax 2\ntcpkeepalive yes\n' >sshd-T.out
expect parse/sshd-T-output 0 'disconnected 6 min (360 s) after it' -- -r 10.5p1 -s sshd-T.out

# The verdict of the real builds.  tree_of NAME RELEASE [--unpatched]
tree_of() {
	local name=$1
	shift
	tree=
	tree=$(t_built "explain/real/$name" "$tmp/build-$name.log" "$@") || return 1
}
# sshd_verdict TREE VALUE...: "refused" or the -T value of each
# ClientAliveInterval VALUE, one line each.
sshd_verdict() {
	local tree=$1 v
	shift
	[ -f "$tmp/hk-${tree//\//_}" ] ||
		"$tree/ssh-keygen" -t rsa -b 2048 -N '' -q -f "$tmp/hk-${tree//\//_}" </dev/null
	for v in "$@"; do
		printf 'HostKey %s\nClientAliveInterval %s\n' "$tmp/hk-${tree//\//_}" "$v" >"$tmp/real.conf"
		if ! "$tree/sshd" -t -f "$tmp/real.conf" >/dev/null 2>&1; then
			echo refused
		elif [ "$has_T" = 1 ]; then
			"$tree/sshd" -T -f "$tmp/real.conf" 2>/dev/null |
				awk '$1 == "clientaliveinterval" { print $2 }'
		else
			echo accepted
		fi
	done
}
explain_verdict() {
	local rel=$1 v line
	shift
	for v in "$@"; do
		printf 'ClientAliveInterval %s\n' "$v" >"$tmp/x.conf"
		if ! "$X" -r "$rel" -s "$tmp/x.conf" >"$tmp/x.out" 2>&1; then
			echo refused
		elif [ "$has_T" = 1 ]; then
			line=$(grep -m 1 'in force: ClientAliveInterval' "$tmp/x.out")
			line=${line#*ClientAliveInterval }
			echo "${line%% *}"
		else
			echo accepted
		fi
	done
}
values=(15 010 +5 1h30m 5x 1.5 0 -1 2147483647 2147483648 99999999999999999999 '')
# compare_values RELEASE: sshd's verdict on each value against ours.
compare_values() {
	real=$(sshd_verdict "$tree" "${values[@]}" | tr '\n' ' ')
	ours=$(explain_verdict "$1" "${values[@]}" | tr '\n' ' ')
	if [ "$real" = "$ours" ]; then
		t_pass "explain/real/$1-values"
	else
		t_fail "explain/real/$1-values" "values: ${values[*]} | sshd: $real| explain: $ours"
	fi
}
if t_selected 9.2p1 && tree_of 9.2p1 9.2p1; then
	has_T=1
	compare_values 9.2p1
fi
if t_selected 4.3p2 && tree_of 4.3p2 4.3p2; then
	has_T=0
	compare_values 4.3p2
	# The misplaced keyword: the real sshd refuses it, with the same words.
	printf 'HostKey %s\nServerAliveInterval 30\n' "$tmp/hk-${tree//\//_}" >"$tmp/real.conf"
	st=0
	"$tree/sshd" -t -f "$tmp/real.conf" >"$tmp/real.out" 2>&1 || st=$?
	if [ $st != 0 ] && grep -qF 'Bad configuration option: ServerAliveInterval (ServerAliveInterval is an ssh_config option; sshd uses ClientAliveInterval)' "$tmp/real.out"; then
		t_pass explain/real/4.3p2-serveralive-in-sshd_config
	else
		t_fail explain/real/4.3p2-serveralive-in-sshd_config "sshd -t exit $st: $(head -c 300 "$tmp/real.out")"
	fi
fi
# ssh 3.7.1p2: refused unpatched, accepted patched (ssh goes on to connect,
# through a ProxyCommand that fails).
if t_selected 3.7.1p2; then
	for variant in unpatched patched; do
		flag=
		[ $variant = patched ] || flag=--unpatched
		tree_of "3.7.1p2-$variant" 3.7.1p2 $flag || continue
		st=0
		HOME=$tmp "$tree/ssh" -F "$tmp/ssh-30.conf" -o 'ProxyCommand false' \
			-o BatchMode=yes e2e true </dev/null >"$tmp/ssh.out" 2>&1 || st=$?
		refused=no
		grep -q 'Bad configuration option: ServerAliveInterval' "$tmp/ssh.out" && refused=yes
		want=yes
		[ $variant = patched ] && want=no
		ours=no
		"$X" -r 3.7.1p2 ${flag:+-u} -c "$tmp/ssh-30.conf" >/dev/null 2>&1 || ours=yes
		if [ "$refused" = "$want" ] && [ "$ours" = "$want" ]; then
			t_pass "explain/real/3.7.1p2-$variant-serveralive"
		else
			t_fail "explain/real/3.7.1p2-$variant-serveralive" "ssh refused: $refused, explain refused: $ours, want $want (ssh exit $st: $(head -c 300 "$tmp/ssh.out"))"
		fi
	done
fi
