//! Altinn 3 signing records: an instance export checked against itself.
//!
//! An Altinn 3 "signature" is a JSON record Altinn Storage writes when an
//! authenticated, authorised caller invokes `sign`: who (`signeeInfo`), when
//! (`signedTime`) and the SHA-256 of each data element's bytes as Storage held
//! them then. Nothing is sealed: no key, certificate or timestamp authority
//! vouches for it, and its integrity rests on Altinn's servers and on the
//! export. So every check here is "consistent with Altinn's own record", never
//! "cryptographically signed", and the report says so on every instance
//! (`altinn.record`).
//!
//! Input (altinn.md): the files of an export folder, as named blobs:
//! `instance.json` (instance metadata), one file per data element named by its
//! id (`<dataGuid>` or `<dataGuid>.<ext>`), optionally `events.json` (Signed
//! events) and the signee-state element. Documents are recognised by content
//! ([`recognise`], hooked into detection); data element files by the GUID in
//! their file name alone, never by directory, so a folder given to the CLI, a
//! leaf folder in batch mode and the same files dropped in the browser are read
//! alike. [`verify`] runs after detection over the whole bundle and returns the
//! instance nodes and the files it consumed as data elements.
//!
//! Files: [`json`] (casing-tolerant members, GUIDs, file names), [`time`]
//! (RFC 3339 with 100 ns ticks), [`model`] (instance, signature record),
//! [`hashes`], [`identifiers`] (fødselsnummer, D-number, organisasjonsnummer),
//! [`signature`] (one record's checks), [`elements`] (coverage and changes),
//! [`signees`] (signee state and matching), [`events`] (Signed events),
//! [`instance`] (one instance assembled).

pub mod elements;
pub mod events;
pub mod hashes;
pub mod identifiers;
pub mod instance;
pub mod json;
pub mod model;
pub mod signature;
pub mod signees;
pub mod time;

use crate::checks::CheckId;
use crate::detect::Detected;
use crate::evidence::Blob;
use crate::policy::Policy;
use crate::report::{Check, Node};
use serde_json::Value;
use std::collections::BTreeMap;

/// An Altinn document recognised by its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AltinnDoc {
    Instance(model::Instance),
    Signature(model::SignDoc),
    SigneeState(signees::SigneeState),
    Events(events::Events),
}

impl AltinnDoc {
    /// The kind in words, for the input summary ("Altinn 3 …").
    pub fn describe(&self) -> String {
        match self {
            AltinnDoc::Instance(i) => format!("Altinn 3 instance metadata document ({} data elements)", i.data.len()),
            AltinnDoc::Signature(s) => format!("Altinn 3 signature record ({}, {} data elements)", s.casing, s.entries.len()),
            AltinnDoc::SigneeState(s) => format!("Altinn 3 signee-state document ({} signees)", s.contexts.len()),
            AltinnDoc::Events(e) => format!("Altinn 3 instance events document ({} events)", e.events.len()),
        }
    }
}

/// Recognises Altinn JSON: a signature record (`dataElementSignatures`, or
/// `signeeInfo` with `signedTime`, in either casing), signee state (`$values`,
/// or an array of contexts with `taskId` and `Signee`), instance events
/// (`instanceEvents`, or an array of objects with `eventType`) and instance
/// metadata (`appId` or `instanceOwner`, with `data` or `id`).
pub fn recognise(value: &Value) -> Option<AltinnDoc> {
    use json::has;
    match value {
        Value::Object(o) => {
            if o.get("$values").is_some_and(Value::is_array) {
                return Some(AltinnDoc::SigneeState(signees::parse(value)));
            }
            if has(o, "dataElementSignatures") || (has(o, "signeeInfo") && has(o, "signedTime")) {
                return Some(AltinnDoc::Signature(model::sign_doc(o)));
            }
            if o.get("instanceEvents").is_some_and(Value::is_array) {
                return Some(AltinnDoc::Events(events::parse(value)));
            }
            if (has(o, "appId") || has(o, "instanceOwner")) && (has(o, "data") || has(o, "id")) {
                return Some(AltinnDoc::Instance(model::instance(o)));
            }
            None
        }
        Value::Array(items) => {
            let first = items.first()?.as_object()?;
            if !items.iter().all(Value::is_object) {
                return None;
            }
            if has(first, "eventType") && has(first, "instanceId") {
                return Some(AltinnDoc::Events(events::parse(value)));
            }
            if has(first, "taskId") && has(first, "signee") {
                return Some(AltinnDoc::SigneeState(signees::parse(value)));
            }
            None
        }
        _ => None,
    }
}

/// What the checks share: the files, their digests, data element files by id, the policy.
pub struct Ctx<'a> {
    pub blobs: &'a [Blob],
    pub digests: &'a [[u8; 32]],
    pub policy: &'a Policy,
    /// Input indices by the data element id their file name carries.
    files: BTreeMap<String, Vec<usize>>,
}

impl Ctx<'_> {
    /// How messages name input `i`.
    pub fn name(&self, i: usize) -> String {
        format!("'{}'", self.blobs[i].name)
    }
    /// The files named for data element `id` (lower-case GUID).
    pub fn files_of(&self, id: &str) -> &[usize] {
        self.files.get(id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// A file that is a data element: what it is, and whether a counted record covers it.
pub struct Claim {
    pub input: usize,
    pub what: String,
    pub covered: bool,
    /// The instance lists it as content (not a signature record or signee
    /// state, and not app-generated JSON of a task), and the signature types
    /// are known from a record the instance lists, so it cannot be an
    /// unrecognised broken record.
    pub content: bool,
}

impl Claim {
    /// Whether broken JSON in this file is excused: it is content a counted
    /// record covers, or content the instance lists while the signature types
    /// are known (so it is not a record that failed to parse).
    pub fn excused(&self) -> bool {
        self.covered || self.content
    }
}

/// The Altinn part of a report.
#[derive(Default)]
pub struct Outcome {
    /// Instance nodes, each with the input it is ordered by.
    pub nodes: Vec<(usize, Node)>,
    /// Files that are data elements (content, compared by hash), with what they are.
    claimed: BTreeMap<usize, Claim>,
}

impl Outcome {
    /// True when input `i` is an Altinn data element (a signed one or not):
    /// its instance records it, so it is accounted for by the Altinn checks.
    pub fn is_data_element(&self, i: usize) -> bool {
        self.claimed.contains_key(&i)
    }

    /// For the inputs section: a file that detection did not recognise (or
    /// found to be broken JSON) but that is an Altinn data element is content,
    /// compared by hash, not unrecognised evidence. Returns whether it was
    /// settled here (then `checks` has its `input.recognised` line).
    ///
    /// Broken JSON is excused only when it is content ([`Claim::excused`]):
    /// data elements are compared by hash and their JSON is not evidence. A
    /// broken file that may be a broken signature record or signee state keeps
    /// its `input.json` failure.
    pub fn settle_input(&self, i: usize, name: &str, detected: Option<&Detected>, checks: &mut Vec<Check>) -> bool {
        let Some(claim) = self.claimed.get(&i) else { return false };
        let what = &claim.what;
        match detected {
            Some(Detected::Unrecognised(_)) => {
                checks.push(Check::pass(CheckId::InputRecognised, format!("'{name}' is {what}")));
                true
            }
            Some(Detected::Malformed { json: true, .. }) if claim.excused() => {
                checks.retain(|c| c.id != CheckId::InputJson);
                checks
                    .push(Check::pass(CheckId::InputRecognised, format!("'{name}' is {what} (compared by hash; its JSON is not evidence and is not parsed)")));
                true
            }
            _ => false,
        }
    }
}

impl Outcome {
    /// The input summary's kind for data element files detection did not recognise.
    pub fn relabel(&self, summaries: &mut [crate::report::InputSummary], detected: &[Option<&Detected>]) {
        for (&i, c) in &self.claimed {
            let settled = match detected.get(i) {
                Some(Some(Detected::Unrecognised(_))) => true,
                Some(Some(Detected::Malformed { json: true, .. })) => c.excused(),
                _ => false,
            };
            if settled {
                if let Some(s) = summaries.get_mut(i) {
                    s.kind = "Altinn 3 data element (compared by hash)".into();
                }
            }
        }
    }
}

/// Checks every Altinn instance in the bundle. `detected[i]` is what detection
/// made of input `i` (None when it was not read), `digests[i]` its SHA-256.
pub fn verify(blobs: &[Blob], detected: &[Option<&Detected>], digests: &[[u8; 32]], policy: &Policy) -> Outcome {
    let docs: Vec<(usize, &AltinnDoc)> = detected
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match d {
            Some(Detected::Altinn(doc)) => Some((i, doc)),
            _ => None,
        })
        .collect();
    if docs.is_empty() {
        return Outcome::default();
    }
    let mut files: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, b) in blobs.iter().enumerate() {
        if let Some(g) = json::file_guid(&b.name) {
            files.entry(g).or_default().push(i);
        }
    }
    let ctx = Ctx { blobs, digests, policy, files };
    let groups = instance::group(&docs, &ctx);
    let mut out = Outcome::default();
    for g in groups {
        let (input, node, claimed) = instance::verify(&g, &ctx);
        out.nodes.push((input, node));
        for c in claimed {
            out.claimed.entry(c.input).or_insert(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
