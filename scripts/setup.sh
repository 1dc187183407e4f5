#!/usr/bin/env bash
# Installs what building and testing sigaudit's WebAssembly package needs, and
# nothing that is already there (safe to run again; CI runs it on every job).
#
#   1. a wasm32-unknown-unknown standard library:
#      rustup's target if installed or installable (a short timeout), else
#      Debian's rustc-web + Rust sources to build std (see scripts/build-wasm.sh);
#   2. clang (ring compiles a little C for wasm32);
#   3. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in
#      Cargo.lock (the CLI and the crate must match to the patch level);
#   4. Chromium and playwright-core for the page test;
#   5. OpenSSL and pyHanko, the peers of the agreement tests;
#   6. clippy, rustfmt and cargo-deny for the lint and audit steps.
#
# Never installs Debian's binaryen: its wasm-opt (108) writes modules that fail
# to load. build-wasm.sh runs wasm-opt only when asked (SIGAUDIT_WASM_OPT=1) and
# only a version >= 116 already on PATH; it does not pay off in gzip size here.
#
# Environment: SIGAUDIT_WASM_ROUTE=auto|rustup|build-std (default auto).
set -euo pipefail
SCRIPT_NAME=setup
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
cd "$ROOT"

APT_UPDATED=
apt_install() {
    # Installs the named Debian packages that are missing.
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "need the Debian packages ${missing[*]} but apt-get is missing"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install ${missing[*]}"
        sudo=(sudo)
    fi
    log "apt-get install ${missing[*]}"
    if [ -z "$APT_UPDATED" ]; then
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

command -v cargo >/dev/null 2>&1 || apt_install cargo-web rustc-web
command -v node >/dev/null 2>&1 || log "warning: node is not on PATH; the Node tests need Node 18+"

# 1. The wasm32 standard library.
route="${SIGAUDIT_WASM_ROUTE:-auto}"
if [ "$route" = auto ] || [ "$route" = rustup ]; then
    if rustup_has_wasm32; then
        log "wasm32: rustup target wasm32-unknown-unknown is installed"
        route=rustup
    elif command -v rustup >/dev/null 2>&1 && timeout 90 rustup target add wasm32-unknown-unknown >&2 && rustup_has_wasm32; then
        log "wasm32: installed rustup target wasm32-unknown-unknown"
        route=rustup
    elif [ "$route" = rustup ]; then
        die "SIGAUDIT_WASM_ROUTE=rustup but rustup cannot provide wasm32-unknown-unknown"
    else
        log "wasm32: rustup cannot provide wasm32-unknown-unknown; using Debian's rustc-web and building std"
        route=build-std
    fi
fi
if [ "$route" = build-std ]; then
    # rust-web-llvm provides /usr/bin/rust-lld -> lld-22; clang is for ring's C code.
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 clang
    debian_build_std_ready || die "rustc-web is installed but its library sources are not (rust-web-src)"
    log "wasm32: Debian rustc-web $(/usr/bin/rustc --version | awk '{print $2}') with sources, build-std route"
fi

# 2. clang: ring's C code for wasm32 is compiled with clang on either route.
command -v clang >/dev/null 2>&1 || apt_install clang

# 3. wasm-bindgen-cli, the version of the crate in Cargo.lock.
want="$(lock_version wasm-bindgen)"
[ -n "$want" ] || die "no wasm-bindgen in Cargo.lock (is the wasm32 dependency section of Cargo.toml intact?)"
have="$(wasm_bindgen_cli_version)"
if [ "$have" = "$want" ]; then
    log "wasm-bindgen-cli $have is installed"
else
    log "installing wasm-bindgen-cli $want (installed: ${have:-none}); this takes a few minutes"
    start=$(date +%s)
    if ! cargo install --locked --force wasm-bindgen-cli --version "$want" >&2; then
        # Seen on this project's machines: the CLI's own Cargo.lock can pin a
        # dependency version the registry (mirror) does not serve; resolve afresh.
        log "cargo install --locked failed; retrying without --locked"
        cargo install --force wasm-bindgen-cli --version "$want" >&2
    fi
    have="$(wasm_bindgen_cli_version)"
    [ "$have" = "$want" ] || die "wasm-bindgen --version says '${have:-nothing}', expected $want (is ${CARGO_HOME:-$HOME/.cargo}/bin first on PATH?)"
    log "installed wasm-bindgen-cli $have in $(elapsed "$start") s"
fi

# Optional: a wasm-opt that is new enough. Never installed here.
if command -v wasm-opt >/dev/null 2>&1; then
    log "wasm-opt: $(wasm-opt --version 2>/dev/null | head -n1) (build-wasm.sh uses it with SIGAUDIT_WASM_OPT=1, version >= 116 only)"
fi
# 4. The page test (tests/browser/): Debian's Chromium and the pinned playwright-core.
[ -x /usr/bin/chromium ] || apt_install chromium fonts-liberation
(cd "$ROOT/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)

# 5. Peers the agreement tests compare with: OpenSSL (OCSP, chains) and pyHanko (PAdES).
command -v openssl >/dev/null 2>&1 || apt_install openssl
if ! python3 -c "import pyhanko, pyhanko_certvalidator, asn1crypto" >/dev/null 2>&1; then
    log "installing pyHanko for the PAdES agreement test"
    python3 -m pip install --quiet --disable-pip-version-check \
        "$(grep -E '^pyhanko==' "$ROOT/test-vectors/generate/requirements.txt")" \
        "$(grep -E '^pyhanko-certvalidator==' "$ROOT/test-vectors/generate/requirements.txt")" \
        "$(grep -E '^asn1crypto==' "$ROOT/test-vectors/generate/requirements.txt")" >&2 \
        || python3 -m pip install --quiet --break-system-packages \
        "$(grep -E '^pyhanko==' "$ROOT/test-vectors/generate/requirements.txt")" >&2
fi
# 6. Lint and audit tools for scripts/test.sh: clippy, rustfmt, cargo-deny (pinned).
for comp in clippy rustfmt; do
    if ! cargo "${comp/rustfmt/fmt}" --version >/dev/null 2>&1; then
        log "adding rustup component $comp"
        rustup component add "$comp" >&2
    fi
done
DENY_VERSION=0.20.2
if [ "$(cargo deny --version 2>/dev/null | awk '{print $2}')" != "$DENY_VERSION" ]; then
    log "installing cargo-deny $DENY_VERSION (a few minutes, once)"
    cargo install --locked --force cargo-deny --version "$DENY_VERSION" >&2
fi
log "ok (route: $route)"
