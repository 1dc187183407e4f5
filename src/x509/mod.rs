//! X.509 certificates (RFC 5280): parsing into an owned summary, names, PEM.
//!
//! Parsing uses `x509-parser` (DER, keeps the raw TBS bytes); everything a check
//! needs is copied into [`Certificate`] once, so certificates can be cached and
//! shared across tokens and batch items.

mod cert;
pub mod crl;
mod extensions;
mod name;
pub mod name_constraints;
pub mod name_match;
pub mod pem;
mod serial;
pub mod sigalg;

pub use cert::{CertError, Certificate, Extensions};
pub use name::render_name;
pub use serial::{normalize_integer, serial_eq};
