#!/usr/bin/env bash
# The dependency audit (.ci/run, via scripts/test.sh): cargo-deny over the whole
# dependency tree with deny.toml: licences (permissive only), bans (no wildcard
# versions), sources (crates.io only), and RustSec advisories.
#
# The advisory database is a git repository on github.com. When it cannot be
# fetched (these CI machines reach crates.io but not github.com), the advisory
# check is reported as NOT RUN, loudly, and the rest still gates the build;
# SIGAUDIT_REQUIRE_ADVISORIES=1 makes an unreachable database a failure.
#
# Either way, every crates.io package in Cargo.lock and fuzz/Cargo.lock is
# checked against the crates.io sparse index (scripts/yanked.py): a locked
# version its authors yanked fails the build. The check is first shown to
# catch a known yanked version (serde 1.0.95), so it cannot pass vacuously.
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

# Yanked versions (crates.io index, reachable where github.com is not).
probe="$(mktemp)"
trap 'rm -f "$probe"' EXIT
printf '[[package]]\nname = "serde"\nversion = "1.0.95"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n' >"$probe"
set +e
python3 scripts/yanked.py "$probe" 2>/dev/null
probe_rc=$?
set -e
case "$probe_rc" in
    1)
        python3 scripts/yanked.py Cargo.lock fuzz/Cargo.lock || die "a locked dependency is yanked (see above)"
        log "yanked versions: none"
        ;;
    2)
        [ "${SIGAUDIT_REQUIRE_ADVISORIES:-0}" = 1 ] && die "the crates.io index cannot be reached"
        log "yanked versions: NOT RUN: the crates.io index cannot be reached"
        ;;
    *)
        die "scripts/yanked.py did not flag serde 1.0.95, a version known to be yanked (exit $probe_rc)"
        ;;
esac
