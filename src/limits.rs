//! Resource limits, in one place, each with the reason for its value.
//!
//! Every input byte is attacker-controlled. These bounds keep the work for one
//! evidence bundle proportional to its size and small in absolute terms, so a
//! hostile file fails its own item with a clear message instead of exhausting
//! memory or time (in batch, other items go on).
//!
//! Tested in tests/limits.rs: each limit crossed, and the failure it produces.

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

/// Bytes at the start of a PDF searched for the `%PDF-` header: 1024.
/// ISO 32000-1 Annex H.3 (implementation note on §7.5.2): Acrobat accepts the
/// header anywhere in the first 1024 bytes; files with a mail or BOM prefix
/// exist.
pub const PDF_HEADER_WINDOW: usize = 1024;

/// Bytes at the end of a PDF searched backwards for `startxref`: 1 MiB.
/// ISO 32000-1 §7.5.5 puts it in the last lines, and Annex H.3 says Acrobat
/// wants `%%EOF` within the last 1024 bytes; looking further lets us report garbage appended after the last
/// `%%EOF` instead of failing, and a 1 MiB reverse search costs about a
/// millisecond, so opening stays independent of the file's size.
pub const PDF_STARTXREF_WINDOW: usize = 1024 * 1024;

/// Most cross-reference entries in one PDF (all sections together) and most
/// object headers taken from a scan of the file: 2,000,000. ISO 32000-1
/// Annex C gives 8,388,607 indirect objects as Acrobat's limit, but real
/// documents of tens of thousands of pages hold a few hundred thousand. Each
/// entry costs about 40 bytes of index, and an xref stream row can be one
/// byte decoded from a thousandth of a byte compressed, so this bound keeps
/// the index under 100 MB whatever the file declares.
pub const MAX_PDF_OBJECTS: usize = 2_000_000;

/// Most cross-reference sections followed through `/Prev` (so, about, most
/// revisions): 1,000. A document signed by a dozen people, each signature
/// followed by a DSS update and a document timestamp, has a few dozen
/// revisions; the bound stops a hostile chain while leaving wide room.
pub const MAX_PDF_XREF_SECTIONS: usize = 1_000;

/// Deepest nesting of arrays and dictionaries in one object: 64. Real files
/// nest fewer than 10 levels (deep structures such as page trees go through
/// indirect references); the bound keeps recursive parsing far from the stack
/// limit, which is 1 MiB in the browser.
pub const MAX_PDF_DEPTH: usize = 64;

/// Longest string or name, decoded: 32 MiB. A signature's `/Contents` is 8 to
/// 64 KiB, a few MiB with embedded revocation data; larger strings are not
/// evidence we expect. Strings never decode longer than their bytes in the
/// file, so this bounds a single allocation, not an amplification.
pub const MAX_PDF_STRING_BYTES: usize = 32 * 1024 * 1024;

/// Most elements in one array or dictionary: 1,000,000. Flat `/Kids` or
/// `/Fields` arrays of real documents hold thousands; an element costs about
/// 90 bytes of memory for 2 bytes of file, so the bound caps that
/// amplification at about 90 MB per array.
pub const MAX_PDF_ARRAY_LEN: usize = 1_000_000;

/// Most indirect references followed to resolve one value (`1 0 R` pointing
/// to `2 0 R` ...): 32. Conforming files never chain references; one level
/// occurs in the wild. The bound, with cycle detection, stops hostile chains.
pub const MAX_PDF_REF_CHAIN: usize = 32;

/// Largest decoded stream: 256 MiB. Scanned pages reach tens of MiB decoded,
/// embedded files (appendices) a few hundred MiB at most; half the largest
/// file we read keeps one decode within the browser's memory.
pub const MAX_PDF_STREAM_BYTES: usize = 256 * 1024 * 1024;

/// Largest decoding ratio, beyond [`PDF_INFLATE_RATIO_FLOOR`]: a stream may
/// decode to at most 1,100 times its raw size. Deflate itself cannot exceed
/// 1032:1 (a 258-byte match in about 2 bits), so one FlateDecode always
/// passes, even a blank image mask that reaches that ratio; what is stopped
/// is filters chained to multiply it (a deflate bomb of FlateDecode over
/// FlateDecode reaches 1,000,000:1).
pub const MAX_PDF_INFLATE_RATIO: usize = 1_100;

/// Decoded size every stream may reach whatever its ratio: 1 MiB, so tiny
/// streams (a few bytes of an empty page) never trip the ratio check.
pub const PDF_INFLATE_RATIO_FLOOR: usize = 1024 * 1024;

/// Decoded object streams kept in memory for later lookups: 64 MiB. Object
/// streams of real files are 10 to 500 KiB decoded; the cache avoids
/// inflating one stream once per object it holds, and the bound keeps a file
/// of many huge object streams from holding them all.
pub const MAX_PDF_OBJSTM_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Most tolerated problems recorded for one PDF: 1,000. A damaged file can
/// repeat the same kind of fault for every object; a thousand is more than a
/// person reads and keeps the list bounded.
pub const MAX_PDF_PROBLEMS: usize = 1_000;

/// Most filters chained on one stream: 8. Real files use one or two
/// (`[/ASCII85Decode /FlateDecode]`); each stage costs a pass over data of
/// up to [`MAX_PDF_STREAM_BYTES`], so a long chain would multiply the work.
pub const MAX_PDF_FILTERS: usize = 8;

/// Most signatures (fields and document timestamps) verified in one PDF: 100.
/// Real documents carry one to a dozen; each costs a CMS parse, a digest over
/// the signed bytes and a path validation, so the bound caps hostile files.
pub const MAX_PDF_SIGNATURES: usize = 100;

/// Most form fields visited when looking for signature fields: 10,000.
pub const MAX_PDF_FIELDS: usize = 10_000;

/// Most embedded files listed and hashed in one PDF: 1,000.
pub const MAX_PDF_EMBEDDED_FILES: usize = 1_000;

/// Most objects visited when computing what a signed revision's pages use
/// (page tree, contents, resources, fonts, XObjects): 1,000,000.
pub const MAX_PDF_REACHABLE: usize = 1_000_000;
