#!/usr/bin/env bash
# The dependency audit (.ci/run, via scripts/test.sh): cargo-deny over the whole
# dependency tree with deny.toml: licences (permissive only), bans (no wildcard
# versions), sources (crates.io only), and RustSec advisories.
#
# The advisory database is a git repository on github.com. `cargo deny check
# advisories` against the live database runs first whenever it can be fetched.
# When it cannot (these CI machines reach crates.io but not github.com), the
# locked versions are checked offline against a dated, recorded snapshot of the
# RustSec advisories for every locked crate (audit/advisories.toml, by
# scripts/advisories_offline.py, whose --self-test runs first to show it flags
# an affected version and an unchecked crate). That check fails the build on
# an affected version (vulnerability or unsound) or on a locked crate the
# snapshot does not cover; unmaintained/notice advisories are warnings. The
# log says it was the snapshot, and of which date: it is not a live feed.
#
# SIGAUDIT_REQUIRE_ADVISORIES=1 (for release gates) requires the live
# database: an unreachable one is then a failure, the snapshot is not accepted
# in its place (it cannot know advisories published after its date); it also
# makes an unreachable crates.io index a failure for the yanked check.
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
    die "the live RustSec advisory database cannot be fetched (github.com unreachable?); SIGAUDIT_REQUIRE_ADVISORIES=1 does not accept the recorded snapshot"
else
    python3 scripts/advisories_offline.py --self-test >/dev/null ||
        die "scripts/advisories_offline.py --self-test failed: the offline advisory check cannot be trusted"
    offline_out="$(python3 scripts/advisories_offline.py)" || {
        printf '%s\n' "$offline_out" >&2
        die "a locked dependency is affected by a RustSec advisory, or is not covered by audit/advisories.toml (see above)"
    }
    printf '%s\n' "$offline_out" | grep -v '^RustSec snapshot of ' >&2 || true
    summary="$(printf '%s\n' "$offline_out" | sed -n 's/^RustSec snapshot of \([0-9-]*\) .*: \([0-9]* advisories for [0-9]* crates\),.*/\1 (\2)/p')"
    [ -n "$summary" ] || die "scripts/advisories_offline.py printed no summary"
    log "advisories: live RustSec database unreachable; checked against the recorded snapshot of $summary"
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
