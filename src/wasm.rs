//! The WebAssembly binding (wasm32-unknown-unknown only), used by the npm
//! package's `index.js` (see `wasm/`). It is deliberately thin: files go in as
//! named byte arrays, options as the JSON text of a [`crate::Options`] object,
//! and the report comes out as exactly [`Report::to_json`](crate::Report::to_json),
//! the same bytes the CLI prints with `--format json`.
//!
//! The JS wrapper owns everything that is not pure: it reads the clock for a
//! missing `at`, and it turns the options' `jwks` / `trust` file lists into
//! [`Job::add_jwks`] / [`Job::add_trust`] calls. Nothing here reads a clock.
//!
//! Errors are thrown as JS `Error`s whose message is the [`PolicyError`]'s (or a
//! sentence naming the bad option). Bad *evidence* never throws: it is reported.

use crate::{verify, Blob, Evidence, Options, Policy};
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The message of the last panic, for the wrapper to show after a trap.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs once when the module is instantiated: records panic messages, since
/// wasm32-unknown-unknown aborts (traps) on panic and the message would be lost.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info.to_string();
        // try_with: never panic inside the panic hook.
        let _ = LAST_PANIC.try_with(|p| {
            if let Ok(mut slot) = p.try_borrow_mut() {
                *slot = Some(msg);
            }
        });
    }));
}

/// The message of the panic that trapped the module, if any (a bug in sigaudit:
/// please report it with the input). After a trap the instance must not be used.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.try_with(|p| p.try_borrow().ok().and_then(|s| s.clone())).ok().flatten()
}

/// The crate version, as printed in reports (`"sigaudit"` member).
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// The option names the JS API accepts: [`Options`]' fields in camelCase, plus
/// the file lists the wrapper handles itself.
const FILE_LIST_OPTIONS: &[&str] = &["jwks", "trust"];

/// serde_json's message without its " at line 1 column 9" suffix, which means
/// nothing to a caller who passed a JS object.
fn plain(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) if e.line() > 0 => text[..i].to_string(),
        _ => text,
    }
}

/// Reads the options object (JSON text), naming the option at fault on error.
fn parse_options(json: &str) -> Result<Options, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| format!("options: not valid JSON: {}", plain(&e)))?;
    let Value::Object(map) = &value else {
        return Err("options must be an object".into());
    };
    // One member at a time first, so an error names its option: serde's own
    // messages for a wrong type do not say which field they are about.
    for (name, v) in map {
        let mut one = serde_json::Map::new();
        one.insert(name.clone(), v.clone());
        if let Err(e) = serde_json::from_value::<Options>(Value::Object(one)) {
            let msg = plain(&e);
            if msg.starts_with("unknown field") {
                // "unknown field `x`, expected one of `at`, `env`, ..."
                let expected = msg.split_once("expected one of ").map(|(_, rest)| rest.replace('`', "")).unwrap_or_default();
                let mut known = expected;
                for extra in FILE_LIST_OPTIONS {
                    if !known.is_empty() {
                        known.push_str(", ");
                    }
                    known.push_str(extra);
                }
                return Err(format!("unknown option '{name}' (known options: {known})"));
            }
            return Err(format!("option '{name}': {msg}"));
        }
    }
    serde_json::from_value::<Options>(value).map_err(|e| format!("options: {}", plain(&e)))
}

/// One verification: add the files, then [`Job::run`]. The files move into
/// WebAssembly memory once (`Vec<u8>` arguments are copied there by the glue and
/// owned by Rust from then on).
#[wasm_bindgen]
#[derive(Default)]
pub struct Job {
    inputs: Vec<Blob>,
    jwks: Vec<Blob>,
    trust: Vec<Blob>,
}

#[wasm_bindgen]
impl Job {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Job {
        Job::default()
    }

    /// An evidence file, in the order given (the report lists inputs in this order).
    #[wasm_bindgen(js_name = addInput)]
    pub fn add_input(&mut self, name: String, bytes: Vec<u8>) {
        self.inputs.push(Blob::new(name, bytes));
    }

    /// A key file (`--jwks`): JWKS, JWK or certificates.
    #[wasm_bindgen(js_name = addJwks)]
    pub fn add_jwks(&mut self, name: String, bytes: Vec<u8>) {
        self.jwks.push(Blob::new(name, bytes));
    }

    /// A trust-anchor file (`--trust`): PEM bundle or DER certificate.
    #[wasm_bindgen(js_name = addTrust)]
    pub fn add_trust(&mut self, name: String, bytes: Vec<u8>) {
        self.trust.push(Blob::new(name, bytes));
    }

    /// Checks the options (JSON text of an [`Options`] object, without `jwks` /
    /// `trust`) and verifies; returns [`Report::to_json`](crate::Report::to_json).
    /// Throws an `Error` when the options cannot be used. The files are moved out
    /// (not copied: a bundle may be hundreds of MB), so a job runs once.
    pub fn run(&mut self, options_json: &str) -> Result<String, JsError> {
        let options = parse_options(options_json).map_err(|m| JsError::new(&m))?;
        let policy = Policy::from_options(&options, &self.jwks, &self.trust).map_err(|e| JsError::new(&e.to_string()))?;
        let evidence = Evidence::new(std::mem::take(&mut self.inputs));
        self.jwks.clear();
        self.trust.clear();
        Ok(verify(&evidence, &policy).to_json())
    }
}

/// The files embedded in one PDF (ISO 32000-1 §7.11.4 name tree and PDF 2.0
/// `/AF`), for the page to offer as downloads: the same files `sigaudit verify
/// --extract` writes. Bytes that are not a readable PDF give an empty list
/// (the report says why); nothing here verifies anything.
#[wasm_bindgen]
pub struct EmbeddedFiles {
    files: Vec<crate::pades::EmbeddedFile>,
}

#[wasm_bindgen]
impl EmbeddedFiles {
    #[wasm_bindgen(constructor)]
    pub fn new(pdf: &[u8]) -> EmbeddedFiles {
        EmbeddedFiles { files: crate::pades::extract_embedded(pdf).0 }
    }

    pub fn count(&self) -> usize {
        self.files.len()
    }

    /// The file's name (`/UF`, else `/F`, else its name-tree key).
    pub fn name(&self, i: usize) -> Option<String> {
        self.files.get(i).map(|f| f.name.clone())
    }

    /// The declared media type (`/Subtype`), when there is one.
    pub fn mime(&self, i: usize) -> Option<String> {
        self.files.get(i).and_then(|f| f.mime.clone())
    }

    /// The file's decoded bytes.
    pub fn bytes(&self, i: usize) -> Option<Vec<u8>> {
        self.files.get(i).map(|f| f.bytes.clone())
    }
}
