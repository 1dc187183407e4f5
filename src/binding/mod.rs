//! Links between pieces of evidence: the documents tokens commit to by hash,
//! and the agreement of a workflow's token, results, status and signers.

pub mod claims;
pub mod documents;
pub mod workflow;

pub use claims::{extract_document_claims, ClaimKind, DocClaim};
pub use documents::{bind_documents, Document};
