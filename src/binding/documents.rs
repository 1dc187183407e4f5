//! Matching document hash claims to supplied documents (broker.md §3 rule 4, §4).
//!
//! A claim whose document was not supplied is indeterminate ("original not
//! supplied": the evidence is incomplete, not forged). A supplied document that
//! the claim's title names, or the only candidates left, with another hash is a
//! failure. Matching is by hash first, then by title. A file matched by hash
//! whose file name is the title of another of the token's claims warns: file
//! names are weak evidence, but a swap is worth an auditor's look.

use super::claims::DocClaim;
use crate::report::{Check, Fact, Status};

/// A document supplied in the evidence (a PDF file, a PDF inside a workflow
/// create request, or another file that may be the signed text).
#[derive(Clone, Debug)]
pub struct Document {
    /// How to name it: "'Lease.pdf'" or "'create.json' pdfList[0]".
    pub name: String,
    /// A title given with it (the create request's `title`).
    pub title: Option<String>,
    pub sha256: [u8; 32],
    pub size: u64,
    pub is_pdf: bool,
}

impl Document {
    /// The bare file name (no directories, no quotes).
    fn file_name(&self) -> &str {
        let n = self.name.trim_matches('\'');
        n.rsplit(['/', '\\']).next().unwrap_or(n)
    }

    /// True when `title` names this document: its given title, or its file name
    /// with or without the extension.
    pub fn has_title(&self, title: &str) -> bool {
        if let Some(t) = &self.title {
            return t == title;
        }
        let file = self.file_name();
        let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
        file == title || stem == title || title.strip_suffix(".pdf").is_some_and(|t| t == stem)
    }
}

/// The outcome for one claim.
pub struct ClaimBinding {
    pub check: Check,
    /// Indices of the documents it matched by hash.
    pub matched: Vec<usize>,
}

/// Binds every claim of every token to the documents. `claims[t]` are token t's
/// claims; the result has one binding per claim, in the same shape.
pub fn bind_documents(claims: &[Vec<DocClaim>], docs: &[Document]) -> Vec<Vec<ClaimBinding>> {
    // Documents some claim matches by hash are accounted for.
    let used: Vec<bool> = docs.iter().map(|d| claims.iter().flatten().any(|c| c.sha256 == d.sha256)).collect();
    claims.iter().map(|token_claims| token_claims.iter().map(|c| bind_one(c, token_claims, docs, &used)).collect()).collect()
}

fn doc_facts(doc: &Document) -> Vec<Fact> {
    vec![Fact::text("document", doc.name.clone()), Fact::sha256("actual_sha256", &doc.sha256), Fact::int("size", doc.size as i64)]
}

/// The title of another of the token's claims that `doc`'s file name gives,
/// when its own claim's title is not: a swapped or mislabelled file. A file
/// name is weak evidence (anyone can rename a file), so this only warns.
fn other_claims_title<'c>(claim: &DocClaim, siblings: &'c [DocClaim], doc: &Document) -> Option<&'c DocClaim> {
    let own = claim.title.as_deref()?;
    if doc.title.is_some() || doc.has_title(own) {
        return None;
    }
    siblings.iter().find(|o| o.title.as_deref().is_some_and(|t| t != own && doc.has_title(t)))
}

fn bind_one(claim: &DocClaim, siblings: &[DocClaim], docs: &[Document], used: &[bool]) -> ClaimBinding {
    let id = claim.check_id();
    let titled = claim.title.as_ref().map(|t| format!(" (title \"{t}\")")).unwrap_or_default();
    let expected = Fact::sha256("expected_sha256", &claim.sha256);
    let by_hash: Vec<usize> = (0..docs.len()).filter(|&i| docs[i].sha256 == claim.sha256).collect();
    if let Some(&first) = by_hash.first() {
        let doc = &docs[first];
        let names: Vec<String> = by_hash.iter().map(|&i| docs[i].name.clone()).collect();
        let title_differs = match (&claim.title, &doc.title) {
            (Some(ct), Some(dt)) => ct != dt,
            _ => false,
        };
        let check = if let Some(other) = other_claims_title(claim, siblings, doc) {
            Check::warn(
                id,
                format!(
                    "{} has the SHA-256 that {}{titled} commits to, but its file name is the title of {} (\"{}\"): the files are swapped or mislabelled",
                    doc.name,
                    claim.claim,
                    other.claim,
                    other.title.clone().unwrap_or_default()
                ),
            )
        } else if title_differs {
            Check::warn(
                id,
                format!(
                    "{} has the SHA-256 that {}{titled} commits to, but was supplied under the title \"{}\"",
                    doc.name,
                    claim.claim,
                    doc.title.clone().unwrap_or_default()
                ),
            )
        } else {
            Check::pass(id, format!("{} has the SHA-256 that {}{titled} commits to", names.join(", "), claim.claim))
        };
        return ClaimBinding { check: check.with(expected).with_all(doc_facts(doc)), matched: by_hash };
    }
    if let Some(title) = &claim.title {
        if let Some(doc) = docs.iter().find(|d| d.has_title(title)) {
            return ClaimBinding {
                check: Check::fail(
                    id,
                    format!("{} is titled \"{title}\" but its SHA-256 differs from what {} commits to: it is not the signed document", doc.name, claim.claim),
                )
                .with(expected)
                .with_all(doc_facts(doc)),
                matched: Vec::new(),
            };
        }
    }
    let spare: Vec<&Document> = docs.iter().zip(used).filter(|(d, used)| !**used && (d.is_pdf || !claim.expects_pdf())).map(|(d, _)| d).collect();
    if spare.is_empty() {
        return ClaimBinding {
            check: Check::new(
                id,
                Status::Indeterminate,
                format!("{}{titled} commits to a document that was not supplied: original not supplied, so the binding cannot be checked", claim.claim),
            )
            .with(expected),
            matched: Vec::new(),
        };
    }
    let names: Vec<String> = spare.iter().map(|d| format!("{} (SHA-256 {})", d.name, hex::encode(d.sha256))).collect();
    ClaimBinding {
        check: Check::fail(id, format!("no supplied document has the SHA-256 that {}{titled} commits to; the supplied candidates differ", claim.claim))
            .with(expected)
            .with(Fact::list("candidates", names)),
        matched: Vec::new(),
    }
}
