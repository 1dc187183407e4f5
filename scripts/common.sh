# Shared helpers for scripts/*.sh (sourced, not run).
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# cargo install puts wasm-bindgen here; added when missing, else PATH order is kept.
case ":$PATH:" in
    *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;;
    *) export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;;
esac

log() { printf '%s: %s\n' "${SCRIPT_NAME:-sigaudit}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The version of a package in Cargo.lock (first match), e.g. lock_version wasm-bindgen.
lock_version() {
    awk -v want="$1" '
        $1 == "name" && $3 == "\"" want "\"" { found = 1; next }
        found && $1 == "version" { gsub(/"/, "", $3); print $3; exit }
        $1 == "[[package]]" { found = 0 }
    ' "$ROOT/Cargo.lock"
}

# The crate version from Cargo.toml's [package] table.
crate_version() {
    awk '
        /^\[/ { in_pkg = ($0 == "[package]") }
        in_pkg && $1 == "version" { gsub(/"/, "", $3); print $3; exit }
    ' "$ROOT/Cargo.toml"
}

# True when rustup's active toolchain has the wasm32-unknown-unknown std.
rustup_has_wasm32() {
    command -v rustup >/dev/null 2>&1 || return 1
    (cd "$ROOT" && rustup target list --installed 2>/dev/null) | grep -qx 'wasm32-unknown-unknown'
}

# True when Debian's rustc-web with its sources can build std for wasm32.
debian_build_std_ready() {
    [ -x /usr/bin/rustc ] && [ -d "$(/usr/bin/rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library" ]
}

# "rustup" or "build-std": how to build for wasm32 here. SIGAUDIT_WASM_ROUTE forces one.
wasm_route() {
    case "${SIGAUDIT_WASM_ROUTE:-auto}" in
        rustup|build-std) echo "$SIGAUDIT_WASM_ROUTE"; return ;;
        auto) ;;
        *) die "SIGAUDIT_WASM_ROUTE must be auto, rustup or build-std" ;;
    esac
    if rustup_has_wasm32; then echo rustup
    elif debian_build_std_ready; then echo build-std
    else echo none
    fi
}

# The installed wasm-bindgen CLI's version, or nothing.
wasm_bindgen_cli_version() {
    command -v wasm-bindgen >/dev/null 2>&1 || return 0
    wasm-bindgen --version 2>/dev/null | awk '{ print $2 }'
}

# Seconds since an epoch timestamp, for step timings.
elapsed() { echo $(( $(date +%s) - $1 )); }
