#!/usr/bin/env bash
# A reply to the peer does not stall the legacy loops (glue/F1 0017, glue/common/0017 for 3.8p1 .. 5.0p1):
# sshd answers the client's global probes, ssh the server's global
# requests, with a blocking write in 3.7.1p2 and 4.3p2.  With its send
# queue full (a peer alive but not reading), the side stalled in that
# write, missed every keepalive deadline, and never gave up a peer that
# then went away.  Each scenario (tests/reliability/stall.sh: a flood, a
# relay that stops reading the side under test while the peer's messages
# still reach it, then stops reading both) runs in a network namespace of
# its own, so as root; the side must give its peer up about (C+1)*I = 3 s
# after it last heard from it.  For 3.7.1p2 and 4.3p2 when among
# t_releases ci (tests/lib.sh; STALL_RELEASES picks others).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../e2e/lib.sh"
. "$here/../interop/lib.sh"
trap 'rm -rf "$T_TMP"' EXIT
if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
	t_skip stall "needs root for a network namespace (unshare -n)"
	exit 0
fi
if ! py=$(iop_python); then
	t_skip stall "no python3 with paramiko (apt-get install python3-paramiko)"
	exit 0
fi
releases=${STALL_RELEASES:-$(t_among_selected 3.7.1p2 4.3p2)}
if [ -z "$releases" ]; then
	t_skip stall "neither 3.7.1p2 nor 4.3p2 is among the selected releases (STALL_RELEASES)"
	exit 0
fi
dir=$(t_tmpdir)/stall
mkdir -p "$dir"

# The peer last spoke at most 1 s before the freeze (its probes or
# requests come every 0.5 to 1 s), so the give-up falls 2 to 3 s after
# it; the bounds are generous on both sides.
early=1.5 late=4.5
for rel in $releases; do
	tree=$(t_built "$rel/stall" "$dir/build-$rel.log" "$rel") || continue
	for side in sshd ssh; do
		name=$rel/stall-$side
		out=$(unshare -n bash "$here/stall.sh" "$side" "$tree" "$dir/$rel-$side" "$py" 2>&1 | tail -n 1) || true
		case $out in
		"gaveup "*)
			secs=${out#gaveup }
			if awk -v s="$secs" -v a="$early" -v b="$late" 'BEGIN { exit !(s >= a && s <= b) }'; then
				t_pass "$name"
			else
				t_fail "$name" "gave the peer up $secs s after the freeze, expected $early to $late s"
			fi
			;;
		never)
			t_fail "$name" "did not give the frozen peer up within 12 s: stuck writing a reply? ($(cat "$dir/$rel-$side/before-freeze" 2>/dev/null))"
			;;
		*)
			t_fail "$name" "the scenario did not come about: $out"
			;;
		esac
	done
done
