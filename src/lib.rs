//! sigaudit: offline verification and audit of Nordic e-signing evidence.
//!
//! One pure core: [`verify`] takes an [`Evidence`] bundle (named byte blobs)
//! and a [`Policy`] (validation time, expectations, trusted keys, anchors,
//! environment) and returns a [`Report`]: a tree of checks, each with a stable
//! id ([`checks::CheckId`]), a status, a sentence and evidence. The core reads
//! no clock, no network and no file system, so it runs the same natively and
//! in the browser (wasm32), and its JSON is byte-identical in both.
//!
//! ```
//! use sigaudit::{verify, Blob, Evidence, Options, Policy};
//! let opts = Options { at: Some("2024-05-07T13:10:55Z".into()), env: Some("pp".into()), ..Default::default() };
//! let policy = Policy::from_options(&opts, &[], &[]).unwrap();
//! let report = verify(&Evidence::new(vec![Blob::new("token.jwt", "not a token")]), &policy);
//! assert_eq!(report.verdict(), sigaudit::Status::Indeterminate);
//! ```

#![forbid(unsafe_code)]

pub mod altinn;
pub mod asn1;
pub mod binding;
pub mod cache;
pub mod checks;
pub mod cms;
pub mod crypto;
pub mod detect;
pub mod encoding;
pub mod env;
pub mod evidence;
#[doc(hidden)]
pub mod fuzzing;
pub mod json;
pub mod jws;
pub mod jwt;
pub mod keys;
pub mod limits;
pub mod ocsp;
pub mod pades;
pub mod pdf;
pub mod pki;
pub mod policy;
pub mod report;
pub mod signservice;
pub mod time;
pub mod verify;
pub mod x509;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod wasm;

pub use checks::CheckId;
pub use evidence::{Blob, Evidence};
pub use policy::{Options, Policy, PolicyError, ValidationTime};
pub use report::{Report, Status};
pub use verify::verify;

/// The crate version, as printed in reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
