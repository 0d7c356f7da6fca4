#!/bin/bash
# OpenSSH 10.0p1 unpatched and patched, end to end: fetch (Debian trixie),
# verify, build, curated regress on both; same results.  Skipped when no
# source can be had.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/release.sh"

t_selected 10.0p1 || exit 0
release_test 10.0p1 "good (7168B983815A5EEF59A4ADFD2A3F414E736060BA)"
