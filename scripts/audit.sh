#!/usr/bin/env bash
# The dependency audit (.ci/run, via scripts/test.sh): cargo-deny over the whole
# dependency tree with deny.toml: licences (permissive only), bans (no wildcard
# versions), sources (crates.io only), and RustSec advisories.
#
# The advisory database is a git repository on github.com. When it cannot be
# fetched (these CI machines reach crates.io but not github.com), the advisory
# check is reported as NOT RUN, loudly, and the rest still gates the build;
# SIGAUDIT_REQUIRE_ADVISORIES=1 makes an unreachable database a failure.
set -euo pipefail
SCRIPT_NAME=audit
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
cd "$ROOT"

cargo deny --version >/dev/null 2>&1 || die "cargo-deny is not installed (scripts/setup.sh installs it)"
cargo deny --log-level error check licenses bans sources
log "licences, bans, sources: ok"

if timeout 120 cargo deny --log-level error fetch db >/dev/null 2>&1; then
    cargo deny --log-level error check advisories
    log "advisories: ok"
elif [ "${SIGAUDIT_REQUIRE_ADVISORIES:-0}" = 1 ]; then
    die "the RustSec advisory database cannot be fetched (github.com unreachable?)"
else
    log "advisories: NOT RUN: the RustSec advisory database (github.com/rustsec/advisory-db) cannot be fetched from this machine"
fi
