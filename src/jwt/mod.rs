//! JWT claims (RFC 7519) and the broker's claim rules (broker.md §2-§4).

pub mod at_hash;
pub mod azp;
pub mod expect;
pub mod numeric;
pub mod role;
pub mod times;

pub use role::TokenRole;
