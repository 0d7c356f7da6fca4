#!/bin/bash
# scripts/build: configure arguments, stamps, an interrupted build run
# again, concurrent runs of different releases and of the same release.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

out=$FX/out
fx_release 3.0p1
fx_release 3.1p1
fx_release 3.2p1
vdir=$KEEPALIVE_WORK/3.0p1/patched
tree=$vdir/src/openssh-3.0p1

# 1. A build: private prefix, sysconfdir and privsep directory; stamped.
if "$S/build" --jobs 1 3.0p1 >"$out" 2>&1 && [ -f "$tree/built.txt" ] &&
	[ -f "$vdir/stamp.build" ] &&
	grep -q -- "--prefix=$vdir/prefix --sysconfdir=$vdir/prefix/etc --with-privsep-path=$vdir/empty" "$tree/configure.args" &&
	[ "$(stat -c %a "$vdir/empty")" = 755 ]; then
	t_pass build/configure-and-make
else
	t_fail build/configure-and-make "$(tail -n 5 "$out")"
fi

# 2. Done work is skipped.
if "$S/build" 3.0p1 >"$out" 2>&1 && grep -q 'build up to date' "$out"; then
	t_pass build/up-to-date-skipped
else
	t_fail build/up-to-date-skipped "$(tail -n 5 "$out")"
fi

# 2b. Changed inputs (the release's configure arguments): configure runs
# again in a fresh tree, not over the objects of the earlier build, which
# make would keep (a stale object stands for them here).
echo stale >"$tree/stale.o"
cp "$KEEPALIVE_UPSTREAM_VERSION" "$FX/uv.saved"
sed -i 's/^\(openssh 3\.0p1 .*\) -$/\1 ac_cv_fx=changed/' "$KEEPALIVE_UPSTREAM_VERSION"
if "$S/build" 3.0p1 >"$out" 2>&1 &&
	grep -q "inputs changed: starting from a fresh tree" "$out" &&
	[ ! -e "$tree/stale.o" ] && [ -f "$tree/built.txt" ] &&
	grep -q 'ac_cv_fx=changed' "$tree/configure.args"; then
	t_pass build/changed-inputs-fresh-tree
else
	t_fail build/changed-inputs-fresh-tree "stale.o: $([ -e "$tree/stale.o" ] && echo kept || echo gone); $(tail -n 5 "$out")"
fi
cp "$FX/uv.saved" "$KEEPALIVE_UPSTREAM_VERSION"

# 3. Killed half way through make: the next run starts from a fresh tree
# and succeeds.
FX_MAKE_SLEEP=60 setsid "$S/build" --force 3.0p1 >"$out" 2>&1 &
pid=$!
for _ in $(seq 300); do
	grep -q 'make -j' "$out" 2>/dev/null && [ -f "$tree/config.status" ] && break
	sleep 0.1
done
sleep 0.5
kill -TERM -- "-$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [ ! -f "$vdir/stamp.build" ] && [ ! -f "$tree/built.txt" ] &&
	"$S/build" 3.0p1 >"$out" 2>&1 &&
	grep -q 'did not finish: starting from a fresh tree' "$out" &&
	[ -f "$tree/built.txt" ] && [ -f "$vdir/stamp.build" ]; then
	t_pass build/interrupted-rerun
else
	t_fail build/interrupted-rerun "$(tail -n 5 "$out")"
fi

# 4. Two releases at once, and the same release twice at once: each run
# succeeds, each tree is its own.
FX_MAKE_SLEEP=2 "$S/build" 3.1p1 >"$out.a" 2>&1 &
a=$!
FX_MAKE_SLEEP=2 "$S/build" 3.2p1 >"$out.b" 2>&1 &
b=$!
FX_MAKE_SLEEP=2 "$S/build" 3.2p1 >"$out.c" 2>&1 &
c=$!
ra=0 rb=0 rc=0
wait $a || ra=$?
wait $b || rb=$?
wait $c || rc=$?
t1=$KEEPALIVE_WORK/3.1p1/patched/src/openssh-3.1p1
t2=$KEEPALIVE_WORK/3.2p1/patched/src/openssh-3.2p1
if [ $ra = 0 ] && [ $rb = 0 ] && [ -f "$t1/built.txt" ] && [ -f "$t2/built.txt" ] &&
	grep -q "prefix=$KEEPALIVE_WORK/3.1p1/" "$t1/configure.args" &&
	grep -q "prefix=$KEEPALIVE_WORK/3.2p1/" "$t2/configure.args"; then
	t_pass build/concurrent-releases
else
	t_fail build/concurrent-releases "$ra $rb: $(tail -n 3 "$out.a" "$out.b")"
fi
if [ $rc = 0 ] && [ "$(grep -ho 'make -j[0-9]* done' "$out.b" "$out.c" | wc -l)" = 1 ]; then
	t_pass build/concurrent-same-release-locked
else
	t_fail build/concurrent-same-release-locked "$rb $rc: $(tail -n 3 "$out.b" "$out.c")"
fi

# 5. A failing step shows the end of its log and where it is.
printf '%s\n' 'all:' '	@echo "compiler says no"; exit 1' >"$tree/Makefile"
rm "$vdir/stamp.build"
rm "$tree/config.status"
rc=0
"$S/build" 3.0p1 >"$out" 2>&1 || rc=$?
if [ $rc = 1 ] && grep -q 'compiler says no' "$out" &&
	grep -q "make -j[0-9]* failed; full log: $vdir/logs/make.log" "$out"; then
	t_pass build/failure-shows-log
else
	t_fail build/failure-shows-log "rc=$rc $(tail -n 5 "$out")"
fi

# A step longer than the heartbeat (KEEPALIVE_HEARTBEAT, 1 s here) says it
# is still running, once per beat; with -q nothing.
hb() {
	bash -c '. "$1/scripts/lib.sh"; KA_PROG=build KA_REL=x KA_QUIET=$3
		KEEPALIVE_HEARTBEAT=1 ka_step "$2" "make" sleep 3.5' hb "$T_TOP" "$FX/hb.log" "$1" 2>&1
}
loud=$(hb 0)
quiet=$(hb 1)
if [ "$(grep -c '^build x: make running 0m[0-9]s$' <<<"$loud")" -ge 2 ] &&
	grep -q '^build x: make done' <<<"$loud" && [ -z "$quiet" ]; then
	t_pass build/heartbeat
else
	t_fail build/heartbeat "with a beat of 1 s: $(tr '\n' ' ' <<<"$loud"); with -q: $quiet"
fi
