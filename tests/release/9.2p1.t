#!/bin/bash
# OpenSSH 9.2p1 unpatched and patched, end to end: fetch (Debian bookworm),
# verify, build, curated regress on both; same results.  Skipped when no
# source can be had.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/release.sh"

t_selected 9.2p1 || exit 0
release_test 9.2p1 "good (7168B983815A5EEF59A4ADFD2A3F414E736060BA)"
