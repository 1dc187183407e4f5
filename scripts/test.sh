#!/usr/bin/env bash
# Runs every test: the one command for developers and CI (.ci/run).
#   1. scripts/setup.sh          toolchain for wasm32 + wasm-bindgen-cli (idempotent)
#   2. cargo fmt --check, clippy -D warnings (native, wasm32), scripts/audit.sh (cargo-deny, yanked crates)
#      cargo test --all-targets  unit tests, test vectors through library and CLI,
#                                hostile inputs, limits, fuzz replay, batch
#   3. scripts/build-wasm.sh     pkg/ (the npm package), with its size budget
#   4. cargo build               the CLI binary the Node tests compare against
#   5. tests/node/parity.mjs     every scenario: wasm JSON == CLI JSON, byte for byte
#   6. tests/node/*.test.mjs     the JS API (init, options, errors)
#   7. tests/browser/            the page in headless Chromium (playwright-core)
#   8. tests/peer/pyhanko_agree  PAdES verdicts against pyHanko
# A failing step does not stop the later ones (so one run shows every failure);
# the exit status is non-zero when any failed. SIGAUDIT_FAIL_FAST=1 stops at the
# first failure. A failing setup always stops.
set -euo pipefail
SCRIPT_NAME=test
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
cd "$ROOT"

timings=()
failed=()
step() {
    local name="$1"
    shift
    log "== $name"
    local t status=0
    t=$(date +%s)
    "$@" || status=$?
    local result=ok
    if [ "$status" -ne 0 ]; then
        result="FAILED (exit $status)"
        failed+=("$name")
        log "== $name: $result"
    fi
    timings+=("$(printf '%-28s %4d s  %s' "$name" "$(elapsed "$t")" "$result")")
    if [ "$status" -ne 0 ] && [ "${SIGAUDIT_FAIL_FAST:-0}" = 1 ]; then
        summary
    fi
}

summary() {
    for t in "${timings[@]}"; do log "   $t"; done
    if [ ${#failed[@]} -gt 0 ]; then
        log "== FAILED: ${failed[*]} ($(elapsed "$start") s)"
        exit 1
    fi
    log "== all tests passed in $(elapsed "$start") s"
    exit 0
}

start=$(date +%s)
log "== setup"
scripts/setup.sh || { log "== setup FAILED: nothing else can run"; exit 1; }
step "cargo fmt --check" cargo fmt --check
step "clippy (native)" cargo clippy --all-targets --locked -- -D warnings
step "clippy (wasm32 core)" bash -c 'if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then cargo clippy --lib --no-default-features --target wasm32-unknown-unknown --locked -- -D warnings; else echo "wasm32 clippy: no rustup wasm32 target (build-std route); the wasm build below still compiles the core" >&2; fi'
step "dependency audit" scripts/audit.sh
step "cargo test" cargo test --all-targets
# The hostile-input sweep truncates every small vector at every byte: optimised.
step "hostile inputs (release)" cargo test --release --test hostile
step "build wasm (pkg/)" scripts/build-wasm.sh
step "cargo build (CLI)" cargo build
step "node parity" node tests/node/parity.mjs
step "node API tests" node --test tests/node/api.test.mjs

# ---------------------------------------------------------------------------
# The offline page in real Chromium (tests/browser/): verdicts, no request
# leaving localhost, JSON identical to the CLI, screenshots in target/browser/.
step "browser tests" bash -c 'cd tests/browser && node --test page.test.mjs'
# PAdES: integrity, coverage and "modified after signing" agree with pyHanko.
step "pyHanko agreement" python3 tests/peer/pyhanko_agree.py

summary
