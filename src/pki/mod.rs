//! Public-key infrastructure: certification paths (RFC 5280 §6).

pub mod path;

pub use path::{validate_path, PathInput, PathResult, Usage};
