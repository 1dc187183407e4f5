//! JSON Web Signature, compact serialisation (RFC 7515), verified strictly.
//!
//! The rules, each with its own check id: the length limit before splitting,
//! exactly three segments, strict base64url, UTF-8, no duplicate JSON members,
//! an asymmetric `alg` we verify (never `none` or HMAC, RFC 8725 §2.1), no
//! unknown `crit` entries, no unencoded payloads, a key whose type fits `alg`
//! and whose use is signing, and the signature itself.

pub mod alg;
pub mod compact;
pub mod header;
pub mod member_types;
pub mod shape;

pub use alg::JwsAlg;
pub use compact::{parse_compact, ParsedJws};
