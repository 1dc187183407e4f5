#!/usr/bin/env bash
# Builds the npm package into pkg/ (build output, gitignored):
#   the library for wasm32-unknown-unknown (release, --no-default-features: the
#   `cli` feature holds clap), wasm-bindgen --target web, then the package
#   template from wasm/ (package.json with the crate's version, index.js,
#   index.d.ts, README.md). Fails when the module grows past the size budget.
#
# Route: rustup's wasm32-unknown-unknown target when installed (the normal route
# on a developer machine), else Debian's rustc-web building std from source
# (-Zbuild-std). scripts/setup.sh installs what either needs.
#
# Environment:
#   SIGAUDIT_WASM_ROUTE=auto|rustup|build-std   force a route (default auto)
#   SIGAUDIT_WASM_KEEP_NAMES=1                  keep the wasm `name` section (readable stack traces)
#   SIGAUDIT_WASM_OPT=1                         run wasm-opt (only one >= 116 already on PATH; never installed)
set -euo pipefail
SCRIPT_NAME=build-wasm
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
cd "$ROOT"

# Size budget for the .wasm as shipped (decimal units).
MAX_RAW_BYTES=1500000   # 1.5 MB
MAX_GZ_BYTES=600000     # 600 KB, gzip -9

TARGET=wasm32-unknown-unknown
TARGET_DIR="$ROOT/target/wasm"   # apart from the native build: no lock fights, no rebuilds
OUT="$ROOT/pkg"
GLUE_NAME=sigaudit_wasm          # pkg/sigaudit_wasm.js + pkg/sigaudit_wasm_bg.wasm; pkg/index.js wraps them

# The release profile, size-tuned for the module only (the native CLI keeps
# Cargo.toml's): opt-level "s", whole-program LTO in one codegen unit. Measured
# on this code (168 vectors): opt-level 3 gives 1.46 MB / 552 KB gz,
# "s" 1.27 MB / 454 KB gz, "z" 1.12 MB / 398 KB gz; an RS256 token bundle
# verifies in about 1.6 / 2.0 / 2.7 ms, PAdES the same at all three. Override
# with CARGO_PROFILE_RELEASE_OPT_LEVEL=3 (etc.) as usual for Cargo.
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-s}"
export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-fat}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}"

start_all=$(date +%s)
route="$(wasm_route)"
cargo_args=(build --release --target "$TARGET" --no-default-features --lib --target-dir "$TARGET_DIR")
# sigaudit's own code (most of the module: parsers, checks, sentences) for
# size, opt-level "z"; the hot loops (SHA-256 and RSA in ring, inflate) are in
# dependencies, which keep the profile's level. SIGAUDIT_WASM_CRATE_OPT overrides.
cargo_args+=(--config "profile.release.package.sigaudit.opt-level=\"${SIGAUDIT_WASM_CRATE_OPT:-z}\"")
case "$route" in
    rustup)
        log "building with rustup's $TARGET target ($(rustc --version))"
        cargo "${cargo_args[@]}"
        ;;
    build-std)
        debian_build_std_ready || die "the build-std route needs Debian's rustc-web and rust-web-src (run scripts/setup.sh)"
        log "building std from source with Debian's $(/usr/bin/rustc --version)"
        # RUSTC_BOOTSTRAP lets a stable cargo take -Z; panic_abort is required
        # (E0463 without it). Do not set panic = "abort" in a profile (E0152).
        RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 cargo "${cargo_args[@]}" -Zbuild-std=std,panic_abort
        ;;
    *)
        die "no way to build for $TARGET: run scripts/setup.sh (rustup target add $TARGET, or Debian's rustc-web)"
        ;;
esac
build_secs=$(elapsed "$start_all")
input="$TARGET_DIR/$TARGET/release/sigaudit.wasm"
[ -f "$input" ] || die "cargo did not produce $input"

# wasm-bindgen: the CLI must be the crate's exact version.
want="$(lock_version wasm-bindgen)"
have="$(wasm_bindgen_cli_version)"
[ "$have" = "$want" ] || die "wasm-bindgen CLI is '${have:-missing}', Cargo.lock has wasm-bindgen $want: run scripts/setup.sh"

rm -rf "$OUT"
mkdir -p "$OUT"
bindgen_args=(--target web --out-dir "$OUT" --out-name "$GLUE_NAME" --remove-producers-section)
[ "${SIGAUDIT_WASM_KEEP_NAMES:-0}" = 1 ] || bindgen_args+=(--remove-name-section)
wasm-bindgen "${bindgen_args[@]}" "$input"
wasm="$OUT/${GLUE_NAME}_bg.wasm"

# Optional wasm-opt, off by default: only a version >= 116 (Debian's 108 writes
# modules that fail to load). Measured with 116 on the opt-level "s" module:
# raw 1.28 MB -> 1.19 MB (-Os), but gzip -9 455 KB -> 482 KB (every level
# -O2..-Oz grows the compressed size about 6%), and gzip is what is served.
if [ "${SIGAUDIT_WASM_OPT:-0}" = 1 ]; then
    command -v wasm-opt >/dev/null 2>&1 || die "SIGAUDIT_WASM_OPT=1 but no wasm-opt on PATH (cargo install wasm-opt --version 0.116.1)"
    v="$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -n1 || true)"
    if [ -n "$v" ] && [ "$v" -ge 116 ]; then
        log "wasm-opt version $v: optimising"
        before=$(stat -c %s "$wasm")
        case "$CARGO_PROFILE_RELEASE_OPT_LEVEL" in s|z) level="-O$CARGO_PROFILE_RELEASE_OPT_LEVEL" ;; *) level=-O3 ;; esac
        wasm-opt "$level" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
            --enable-mutable-globals --enable-reference-types --enable-multivalue \
            "$wasm" -o "$wasm.opt"
        mv "$wasm.opt" "$wasm"
        log "wasm-opt: $before -> $(stat -c %s "$wasm") bytes"
    else
        log "wasm-opt on PATH is version '${v:-unknown}' (< 116): not used"
    fi
fi

# The package template.
version="$(crate_version)"
[ -n "$version" ] || die "no version in Cargo.toml"
cp wasm/index.js wasm/index.d.ts wasm/README.md "$OUT/"
sed -i "s/__SIGAUDIT_VERSION__/$version/g" "$OUT/index.js"
node -e '
    const fs = require("fs");
    const [tpl, out, version] = process.argv.slice(1);
    const pkg = JSON.parse(fs.readFileSync(tpl, "utf8"));
    pkg.version = version;
    fs.writeFileSync(out, JSON.stringify(pkg, null, 2) + "\n");
' wasm/package.json "$OUT/package.json" "$version"
# Every file the package lists must exist.
node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const missing = pkg.files.filter((f) => !fs.existsSync(path.join(dir, f)));
    if (missing.length) { console.error("package.json lists missing files: " + missing.join(", ")); process.exit(1); }
' "$OUT"
rm -f "$OUT/.gitignore"   # wasm-bindgen writes one; pkg/ is ignored at the root instead, and npm pack must not skip files

raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
log "pkg/ for sigaudit $version (route $route, opt-level $CARGO_PROFILE_RELEASE_OPT_LEVEL): built in ${build_secs} s, total $(elapsed "$start_all") s"
log "$(basename "$wasm"): ${raw} bytes raw ($(( raw / 1024 )) KiB), ${gz} bytes gzip -9 ($(( gz / 1024 )) KiB)"
fail=0
if [ "$raw" -gt "$MAX_RAW_BYTES" ]; then log "error: over the raw size budget of $MAX_RAW_BYTES bytes"; fail=1; fi
if [ "$gz" -gt "$MAX_GZ_BYTES" ]; then log "error: over the gzip size budget of $MAX_GZ_BYTES bytes"; fail=1; fi
exit $fail
