#!/usr/bin/env bash
# Bad and odd keepalive configuration, patched against unpatched, for every
# release of t_releases ci (tests/lib.sh; BADCONFIG_RELEASES picks others)
# whose builds can be had: each value of each keyword, in the right
# and the wrong file, duplicated, on the command line (-o) and in Match /
# Host blocks.  For each case: the patched build never crashes; where the
# unpatched one accepts, the patched one accepts with the same effective
# value (sshd -T / ssh -G where the release has them), or clamps a value
# the release silently truncated, with a warning; where the unpatched one
# refuses, the patched one refuses with the same exit status and a
# message naming the line, the keyword and the value.
# Results: WORK/results/badconfig-RELEASE.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../e2e/lib.sh"
top=$T_TOP
releases=${BADCONFIG_RELEASES:-$(t_releases ci)}
t_ports "${BADCONFIG_PORT:-17900}" 10
port=$T_PORT

values=(-1 0 15 010 0x10 +5 1h30m 10ms 5x abc 1.5 0.5 1.5m 2147483647 2147483648
	4294967296 99999999999999999999 '')

# run_cfg VARIANT KIND TEXT [ARGS...]: sets st, msg, val for a config
# TEXT of KIND sshd or ssh (-T / -G output line of the keyword in $key).
run_cfg() {
	local tree=${trees[$1]} kind=$2 text=$3 out
	E2E_DIR=$dir/$1 E2E_SSH=$tree/ssh E2E_SSHD=$tree/sshd
	shift 3
	out=$E2E_DIR/cfg.out
	st=0
	if [ "$kind" = sshd ]; then
		printf 'HostKey %s\n%s\n' "$E2E_DIR/host_key" "$text" >"$E2E_DIR/c.conf"
		# -C (a connection for Match) goes with -T only.
		if [ "${1:-}" = -C ]; then
			"$E2E_SSHD" -t -f "$E2E_DIR/c.conf" >"$out" 2>&1 || st=$?
		else
			"$E2E_SSHD" -t -f "$E2E_DIR/c.conf" "$@" >"$out" 2>&1 || st=$?
		fi
		val=
		if [ $st = 0 ] && [ "$has_T" = 1 ]; then
			val=$("$E2E_SSHD" -T -f "$E2E_DIR/c.conf" "$@" 2>/dev/null |
				awk -v k="${key,,}" '$1 == k { print $2 }')
		fi
	else
		printf '%s\n' "$text" >"$E2E_DIR/c.conf"
		if [ "$has_G" = 1 ]; then
			"$E2E_SSH" -G -F "$E2E_DIR/c.conf" "$@" e2e >"$out.g" 2>"$out" || st=$?
			val=$(awk -v k="${key,,}" '$1 == k { print $2 }' "$out.g")
		else
			# No -G: the configuration was accepted when ssh went on
			# to connect, through a ProxyCommand that leaves a mark and
			# fails (a warning naming the line is no refusal).
			rm -f "$E2E_DIR/proxy.ran"
			printf 'Host *\n\tProxyCommand touch %s\n' "$E2E_DIR/proxy.ran" >>"$E2E_DIR/c.conf"
			"$E2E_SSH" -F "$E2E_DIR/c.conf" "$@" e2e true </dev/null >"$out" 2>&1 ||
				st=$?
			val=
			if [ -e "$E2E_DIR/proxy.ran" ]; then
				st=0
			elif [ $st = 0 ]; then
				st=1
			fi
		fi
	fi
	msg=$({ grep -v '^debug' "$out" || true; } |
		{ grep -v 'Pseudo-terminal will not\|ssh_exchange_identification\|Connection closed\|kex_exchange\|Connection timed out\|banner exchange' || true; } |
		head -n 2 | tr '\n' ' ' | sed "s|$E2E_DIR/||g; s/ *$//")
}

# check NAME KIND TEXT [ARGS...]: one case on both builds.  CHK_KEY and
# CHK_VAL: the keyword and value of the case, which a refusal must name.
# For a keyword the release lacks and the series adds (ServerAlive* on
# 3.7.1p2), the unpatched build of the reference release (the first that
# has it, BADCONFIG_REFERENCE) says what is valid.
check() {
	local name=$1 kind=$2 text=$3 pst pmsg pval ust umsg uval verdict=ok ref=unpatched
	shift 3
	run_cfg patched "$kind" "$text" "$@"
	pst=$st pmsg=$msg pval=$val
	if [ -n "${new_keyword:-}" ] && [ "$kind" = ssh ]; then
		ref=reference
	fi
	run_cfg "$ref" "$kind" "$text" "$@"
	ust=$st umsg=$msg uval=$val
	cases=$((cases + 1))
	if [ "$ust" = 0 ] && { [ "$kind" = ssh ] && [ "$has_G" = 1 ] ||
		{ [ "$kind" = sshd ] && [ "$has_T" = 1 ]; }; }; then
		compared=$((compared + 1))
	fi
	if { [ "$pst" -gt 128 ] && [ "$pst" -lt 255 ]; } || grep -qi 'segmentation\|core dumped\|assert' <<<"$pmsg"; then
		verdict="crash"
	elif [ "$ust" = 0 ] && [ "$pst" != 0 ]; then
		verdict="valid config refused"
	elif [ "$ust" != 0 ] && [ "$pst" = 0 ]; then
		verdict="invalid config accepted"
	elif [ "$ust" = 0 ] && [ "$pval" != "$uval" ]; then
		if grep -q 'too long, using\|too large, using' <<<"$pmsg"; then
			clearer=$((clearer + 1))
		else
			verdict="value $uval became $pval"
		fi
	elif [ "$ust" != 0 ] && [ "$pst" != "$ust" ]; then
		verdict="exit status $ust became $pst"
	elif [ "$pst" != 0 ]; then
		if ! grep -q "line [0-9]" <<<"$pmsg" && [ "$has_line" = 1 ]; then
			verdict="message names no line: $pmsg"
		elif [ -n "${CHK_KEY:-}" ] && ! grep -qiF -- "$CHK_KEY" <<<"$pmsg"; then
			verdict="message names no keyword $CHK_KEY: $pmsg"
		elif [ -n "${CHK_VAL:-}" ] && ! grep -qF -- "\"${CHK_VAL:0:40}" <<<"$pmsg"; then
			verdict="message names no value \"$CHK_VAL\": $pmsg"
		elif [ "$pmsg" != "$umsg" ]; then
			clearer=$((clearer + 1))
		fi
	elif [ "$pmsg" != "$umsg" ] && [ -n "$pmsg" ]; then
		clearer=$((clearer + 1))
	fi
	if [ "$verdict" = ok ]; then
		t_pass "$rel/$name"
	else
		t_fail "$rel/$name" "$verdict"
	fi
	# shellcheck disable=SC2016 # backquotes are Markdown
	printf '| %s | `%s` | %s %s %s | %s %s %s |\n' "$name" "${text//$'\n'/ ⏎ }" \
		"$pst" "${pval:+=$pval}" "$pmsg" "$ust" "${uval:+=$uval}" "$umsg" >>"$report"
}

results=${KEEPALIVE_WORK:-$top/work}/results
mkdir -p "$results"
for rel in $releases; do
	dir=$(t_tmpdir)/bad-$rel
	mkdir -p "$dir"
	if [ -n "${BADCONFIG_PATCHED_TREE:-}" ]; then
		patched=$BADCONFIG_PATCHED_TREE	# a tree of the caller's (mutants)
	elif ! patched=$(t_built "$rel/badconfig" "$dir/build.log" "$rel"); then
		continue
	fi
	unpatched=$(t_built "$rel/badconfig" "$dir/build-u.log" "$rel" --unpatched) || continue
	declare -A trees=([patched]=$patched [unpatched]=$unpatched)
	e2e_use "$unpatched" "$dir/unpatched" "$port" >/dev/null 2>&1
	e2e_use "$patched" "$dir/patched" "$port" >/dev/null 2>&1
	has_T=0 has_G=0 has_line=1
	printf 'HostKey %s\n' "$E2E_DIR/host_key" >"$dir/t.conf"
	"$patched/sshd" -T -f "$dir/t.conf" >/dev/null 2>&1 && has_T=1
	"$patched/ssh" -G -F /dev/null e2e >/dev/null 2>&1 && has_G=1
	cases=0 clearer=0 compared=0
	report=$dir/report.md
	{
		echo "## $rel: keepalive configuration, patched against unpatched"
		echo
		echo "Each cell: exit status, =effective value where sshd -T / ssh -G show it, message."
		echo
		echo "| case | configuration | patched | unpatched |"
		echo "| --- | --- | --- | --- |"
	} >"$report"
	for key in ClientAliveInterval ClientAliveCountMax; do
		for v in "${values[@]}"; do
			CHK_KEY=$key CHK_VAL=$v
			check "sshd/$key=$v" sshd "$key $v"
		done
		CHK_VAL=''
		check "sshd/$key/duplicate" sshd "$key 5"$'\n'"$key 7"
		CHK_VAL=7x
		check "sshd/$key/-o" sshd "" -o "$key=7x"
		CHK_VAL=''
		check "sshd/$key/-o-good" sshd "" -o "$key=7"
		if [ "$has_T" = 1 ]; then
			check "sshd/$key/match" sshd "$key 5"$'\n'"Match User nobody"$'\n'"	$key 9" \
				-C user=nobody,host=x,addr=127.0.0.1
		fi
	done
	new_keyword=
	# ServerAlive* first appeared in 3.8: on older releases the patched
	# ssh is judged against the unpatched build of the first release that
	# has them (its unpatched build calls them a bad option).  (The output
	# is taken whole first: ssh fails here, and under pipefail a pipe
	# from it would fail whatever grep found.)
	out=$("$unpatched/ssh" -F /dev/null -o ServerAliveInterval=1 -o ProxyCommand=false \
		e2e true </dev/null 2>&1) || true
	if grep -qi 'bad configuration option' <<<"$out"; then
		new_keyword=1
		ref=${BADCONFIG_REFERENCE:-4.3p2}
		trees[reference]=$(t_built "$rel/badconfig" "$dir/build-ref.log" "$ref" --unpatched) ||
			continue
		e2e_use "${trees[reference]}" "$dir/reference" "$port" >/dev/null 2>&1
		e2e_use "$patched" "$dir/patched" "$port" >/dev/null 2>&1
		echo "ServerAlive* are new in $rel: judged against $ref unpatched" >>"$report"
	fi
	for key in ServerAliveInterval ServerAliveCountMax; do
		for v in "${values[@]}"; do
			CHK_KEY=$key CHK_VAL=$v
			check "ssh/$key=$v" ssh "$key $v"
		done
		CHK_VAL=''
		check "ssh/$key/duplicate" ssh "$key 5"$'\n'"$key 7"
		CHK_VAL=7x
		check "ssh/$key/-o" ssh "" -o "$key=7x"
		CHK_VAL=''
		check "ssh/$key/host-block" ssh "Host other"$'\n'"	$key 9"$'\n'"Host *"$'\n'"	$key 5"
	done
	new_keyword=
	CHK_KEY='' CHK_VAL=''
	check "sshd/ServerAliveInterval-in-sshd_config" sshd "ServerAliveInterval 15"
	check "sshd/ServerAliveCountMax-in-sshd_config" sshd "ServerAliveCountMax 3"
	check "ssh/ClientAliveInterval-in-ssh_config" ssh "ClientAliveInterval 15"
	check "ssh/ClientAliveCountMax-in-ssh_config" ssh "ClientAliveCountMax 3"
	echo >>"$report"
	echo "$cases cases; $clearer with a clearer message (or a clamped value) than unpatched;" \
		"the effective value compared in $compared (sshd -T: $has_T, ssh -G: $has_G; without them" \
		"only acceptance, exit status and message are compared)." >>"$report"
	cp "$report" "$results/badconfig-$rel.md"
	echo "$rel: $cases cases, $clearer clearer than unpatched"
done
