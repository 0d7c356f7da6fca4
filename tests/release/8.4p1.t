#!/bin/bash
# OpenSSH 8.4p1 unpatched and patched, end to end: fetch (Debian bullseye),
# verify, build, curated regress on both; same results.  Skipped when no
# source can be had.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/release.sh"

release_test 8.4p1 "sha256 only"
