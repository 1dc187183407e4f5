//! Resource limits, in one place, each with the reason for its value.
//!
//! Every input byte is attacker-controlled. These bounds keep the work for one
//! evidence bundle proportional to its size and small in absolute terms, so a
//! hostile file fails its own item with a clear message instead of exhausting
//! memory or time (in batch, other items go on).

/// Largest single file read into a bundle: 512 MiB. Real signed PDFs reach a few
/// hundred MB (scanned appendices); anything larger is not evidence we expect
/// and would not fit the browser's memory either.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Largest bundle (sum of files): 1 GiB, twice the largest file, so a large PDF
/// and its tokens still fit while memory stays bounded.
pub const MAX_BUNDLE_BYTES: u64 = 1024 * 1024 * 1024;

/// Most files in one bundle: 10,000. A workflow with every PDF, token and
/// certificate is a few dozen files; ten thousand is far beyond any real case.
pub const MAX_FILES: usize = 10_000;

/// Longest compact JWS accepted, checked *before* splitting: 512 KiB. Broker
/// id_tokens are about 1.5 KB, transaction tokens about 4 KB, and workflow tokens
/// grow by about 1 KB per signature; 512 KiB leaves room for hundreds of
/// signatures while bounding base64 and JSON work per token.
pub const MAX_JWS_BYTES: usize = 512 * 1024;

/// Deepest JSON nesting accepted: 64. Broker and Altinn documents nest fewer
/// than 8 levels; the bound keeps recursive parsing far from the stack limit
/// (serde_json's own limit is 128).
pub const MAX_JSON_DEPTH: usize = 64;

/// Most keys taken from one JWKS: 100. Real JWKS publish 2 to 5 keys.
pub const MAX_JWKS_KEYS: usize = 100;

/// Most candidate keys tried for a token whose header names no key (no kid,
/// x5t or x5c): 16. Trying every key of a large key set is a signature-
/// verification amplifier; with a kid, exactly the matching keys are tried.
pub const MAX_KEYS_TRIED: usize = 16;

/// Most PEM blocks read from one file: 256 (a CA bundle has about 150).
pub const MAX_PEM_BLOCKS: usize = 256;

/// Deepest ASN.1 nesting accepted: 48. CMS SignedData with a timestamp token
/// inside an unsigned attribute nests about 20 levels; 48 leaves room while
/// bounding recursion (each level of indefinite length is scanned once per
/// enclosing level, so work is O(depth x size)).
pub const MAX_ASN1_DEPTH: usize = 48;

/// Most ASN.1 elements read from one input: 2,000,000. A CMS with a chain,
/// CRLs of tens of thousands of entries and OCSP responses stays well below;
/// the bound caps the work a hostile blob of tiny elements can cause.
pub const MAX_ASN1_ELEMENTS: usize = 2_000_000;

/// Most certificates in one certification path: 8. Real paths have 2 to 4
/// (OCES3: leaf, issuing CA, root); 8 bounds path-building depth.
pub const MAX_PATH_CERTS: usize = 8;

/// Most certificate signatures verified while building one path: 64. Each
/// candidate issuer costs one verification; the budget stops a bundle of
/// thousands of same-named certificates from turning path building into a
/// signature-verification amplifier.
pub const MAX_PATH_SIGNATURES: usize = 64;
