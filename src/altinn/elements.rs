//! The instance's data elements: which are covered by signature records, and
//! which changed after signing (altinn.md check 3).
//!
//! A data element is of a *signed type* when some counted record covers an
//! element of its `dataType` (the app signs every element of the types in
//! `dataTypesToSign`, which the export does not include). For each element of a
//! signed type:
//! - fail: the supplied bytes differ from what a covering record hashed;
//! - warn: no record covers it, or `lastChanged` is after a covering record's
//!   `signedTime` while the bytes are still those hashed (only metadata changed,
//!   or the same bytes were written again) or are not supplied;
//! - pass: covered, bytes as hashed (when supplied), not changed after signing.
//!
//! Storage writes one entry per data element whose type is in the task's
//! `dataTypesToSign` (altinn.md, "What is stored when someone signs"). So per
//! signing task (the record element's GeneratedFrom Task reference; records
//! without one form a group of their own) the task's signed types are the types
//! its counted records cover, and a counted record of that task that leaves out
//! an element of one of those types which existed when it was signed (created
//! before its signedTime by more than the leeway) fails on that element: the
//! record or the metadata is not as Storage wrote it. Elements created after a
//! record's signedTime are not flagged, and records of different tasks are not
//! compared (each task signs its own types).

use super::model::{DataElement, Instance, SignDoc};
use super::{Claim, Ctx};
use crate::checks::CheckId;
use crate::report::{Check, Fact, Node, NodeKind};
use std::collections::{BTreeMap, BTreeSet};

/// A counted signature record: the document and how to name it.
pub struct Record<'a> {
    pub doc: &'a SignDoc,
    pub name: String,
    /// The signing task (the record element's GeneratedFrom Task reference).
    pub task: Option<String>,
}

/// One node per data element that is content (not a signature record or the
/// signee state), and the files that are data elements, with a description.
pub fn nodes(instance: &Instance, records: &[Record<'_>], skip: &BTreeSet<String>, ctx: &Ctx<'_>) -> (Vec<Node>, Vec<Claim>) {
    let instance_name = instance.id.clone().unwrap_or_else(|| "(no id)".into());
    let skip_types: BTreeSet<&str> =
        instance.data.iter().filter(|e| e.id.as_ref().is_some_and(|i| skip.contains(i))).filter_map(|e| e.data_type.as_deref()).collect();
    let covers = |doc: &SignDoc, id: &str| doc.entries.iter().filter(move |en| en.id.as_deref() == Some(id) && en.signed != Some(false)).count() > 0;
    let signed_types: BTreeSet<&str> = instance
        .data
        .iter()
        .filter(|e| e.id.as_ref().is_some_and(|id| records.iter().any(|r| covers(r.doc, id))))
        .filter_map(|e| e.data_type.as_deref())
        .filter(|t| !skip_types.contains(t))
        .collect();
    // Per signing task: its counted records and the types they cover.
    let mut tasks: BTreeMap<Option<&str>, (Vec<&Record<'_>>, BTreeSet<&str>)> = BTreeMap::new();
    for r in records {
        let (rs, types) = tasks.entry(r.task.as_deref()).or_default();
        rs.push(r);
        types.extend(
            instance
                .data
                .iter()
                .filter(|e| e.id.as_ref().is_some_and(|id| covers(r.doc, id)))
                .filter_map(|e| e.data_type.as_deref())
                .filter(|t| !skip_types.contains(t)),
        );
    }
    let mut nodes = Vec::new();
    let mut claimed = Vec::new();
    for e in &instance.data {
        let Some(id) = &e.id else { continue };
        if skip.contains(id) {
            continue;
        }
        let files = ctx.files_of(id);
        let typ = e.data_type.clone().unwrap_or_else(|| "no dataType".into());
        let covered = records.iter().any(|r| covers(r.doc, id));
        for &f in files {
            // Content the instance lists; not app-generated JSON of a task (signee state carries a GeneratedFrom reference).
            let content = e.generated_from_task.is_none();
            claimed.push(Claim { input: f, what: format!("data element {id} ({typ}) of Altinn instance {instance_name}"), covered, content });
        }
        let shown = if files.is_empty() { "not supplied".to_string() } else { files.iter().map(|&f| ctx.name(f)).collect::<Vec<_>>().join(", ") };
        let mut node = Node::new(NodeKind::AltinnDataElement, format!("Altinn data element {id} ({typ}): {shown}"));
        for (k, v) in [
            ("data_type", &e.data_type),
            ("content_type", &e.content_type),
            ("filename", &e.filename),
            ("created_by", &e.created_by),
            ("last_changed_by", &e.last_changed_by),
        ] {
            if let Some(v) = v {
                node.fact(Fact::text(k, v.clone()));
            }
        }
        if let Some(s) = e.size {
            node.fact(Fact::int("size", s));
        }
        if let Some(t) = e.created.at {
            node.fact(Fact::time("created", t.secs));
        }
        if let Some(t) = e.last_changed.at {
            node.fact(Fact::time("last_changed", t.secs));
        }
        if let Some(&f) = files.first() {
            node.fact(Fact::sha256("sha256", &ctx.digests[f]));
        }
        let covering: Vec<&Record<'_>> = records.iter().filter(|r| covers(r.doc, id)).collect();
        node.fact(Fact::list("signed_by", covering.iter().map(|r| r.name.clone()).collect()));
        let Some(t) = e.data_type.as_deref() else {
            nodes.push(node);
            continue;
        };
        if !signed_types.contains(t) {
            node.fact(Fact::text("signing", format!("'{t}' is not a data type any signature record covers")));
            // Unsigned content may change, but the metadata changes with it: a
            // file of another size is not the element Storage describes.
            if let Some(check) = unsigned_size(id, t, e.size, files, ctx) {
                node.check(check);
            }
            nodes.push(node);
            continue;
        }
        node.check(coverage(e, id, records, &covering, files, ctx));
        for (records, types) in tasks.values() {
            if types.contains(t) {
                node.checks.extend(records.iter().filter(|r| !covers(r.doc, id)).filter_map(|r| omitted(e, id, t, r, ctx)));
            }
        }
        nodes.push(node);
    }
    (nodes, claimed)
}

/// A counted record of a task that signs type `t` but does not cover data
/// element `id` of that type (no entry, or one marked `"signed": false`): a failure when the element existed when the
/// record was signed (created before signedTime by more than the leeway), since
/// Storage records every element of the task's signed types; nothing when it
/// was created later (or a time is unknown).
fn omitted(e: &DataElement, id: &str, t: &str, r: &Record<'_>, ctx: &Ctx<'_>) -> Option<Check> {
    let (created, signed) = (e.created.at?, r.doc.signed_time.at?);
    if created.total_ticks() + i128::from(ctx.policy.leeway) * 10_000_000 >= signed.total_ticks() {
        return None;
    }
    let task = r.task.as_deref().map(|t| format!("task {t}")).unwrap_or_else(|| "its task".into());
    let entry =
        if r.doc.entries.iter().any(|en| en.id.as_deref() == Some(id)) { "its entry for it is marked \"signed\": false" } else { "it has no entry for it" };
    Some(
        Check::fail(
            CheckId::AltinnDataElementUnsignedOrChanged,
            format!(
                "data element {id} ('{t}', created {}) existed when {} was signed at {}, but {entry} although {task} signs '{t}': \
                 Storage records every element of a task's signed types, so the record or the instance metadata is not as Storage wrote it",
                created.text(),
                r.name,
                signed.text()
            ),
        )
        .with(Fact::text("record", r.name.clone()))
        .with(Fact::text("signed_time", signed.text()))
        .with(Fact::text("created", created.text())),
    )
}

/// An unsigned data element's supplied file against the metadata's `size`:
/// a difference warns (an inconsistent export, or a file emptied or cut short),
/// it is not a signature failure since no record covers the element.
fn unsigned_size(id: &str, t: &str, size: Option<i64>, files: &[usize], ctx: &Ctx<'_>) -> Option<Check> {
    let size = size?;
    let &f = files.iter().find(|&&f| ctx.blobs[f].bytes.len() as i64 != size)?;
    Some(
        Check::warn(
            CheckId::AltinnDataElementUnsignedOrChanged,
            format!(
                "data element {id} ('{t}', which no signature record covers): {} is {} bytes, but the instance metadata records {size}: it is not the element Altinn describes",
                ctx.name(f),
                ctx.blobs[f].bytes.len()
            ),
        )
        .with(Fact::int("recorded_size", size))
        .with(Fact::int("actual_size", ctx.blobs[f].bytes.len() as i64)),
    )
}

fn coverage(e: &DataElement, id: &str, all: &[Record<'_>], covering: &[&Record<'_>], files: &[usize], ctx: &Ctx<'_>) -> Check {
    let t = e.data_type.as_deref().unwrap_or_default();
    if covering.is_empty() {
        let last = all.iter().filter_map(|r| r.doc.signed_time.at).max();
        let when = match (e.created.at, last) {
            (Some(c), Some(l)) if c > l => format!(" (created {}, after the last signing at {})", c.text(), l.text()),
            (Some(c), _) => format!(" (created {})", c.text()),
            _ => String::new(),
        };
        return Check::warn(
            CheckId::AltinnDataElementUnsignedOrChanged,
            format!("data element {id} is of signed type '{t}'{when}, but no signature record covers it: nobody signed it"),
        );
    }
    // Per covering record: recorded digest, signedTime.
    let mut differ = Vec::new();
    let mut later = Vec::new();
    for r in covering {
        let recorded: Vec<[u8; 32]> = r.doc.entries.iter().filter(|en| en.id.as_deref() == Some(id)).filter_map(|en| en.sha256.clone().ok()).collect();
        if files.iter().any(|&f| recorded.iter().any(|d| *d != ctx.digests[f])) {
            differ.push(r.name.clone());
        }
        if let (Some(changed), Some(signed)) = (e.last_changed.at, r.doc.signed_time.at) {
            if changed > signed {
                later.push(format!("{} (signed {})", r.name, signed.text()));
            }
        }
    }
    let changed = e.last_changed.at.map(|c| c.text()).unwrap_or_default();
    if !differ.is_empty() {
        let how = if later.is_empty() {
            "although lastChanged is not after signing: the file is not what Altinn hashed".to_string()
        } else {
            format!("and lastChanged {changed} is after signing: it was changed after signing")
        };
        return Check::fail(
            CheckId::AltinnDataElementUnsignedOrChanged,
            format!("data element {id} ({t}): the supplied bytes differ from what {} signature record(s) recorded, {how}", differ.len()),
        )
        .with(Fact::list("records", differ));
    }
    if !later.is_empty() {
        let bytes = if files.is_empty() {
            "its bytes were not supplied, so whether the content changed cannot be told"
        } else {
            "the supplied bytes are still those hashed: only metadata changed, or the same bytes were written again"
        };
        return Check::warn(
            CheckId::AltinnDataElementUnsignedOrChanged,
            format!("data element {id} ({t}): lastChanged {changed} is after the signing by {}; {bytes}", later.join(", ")),
        )
        .with(Fact::text("last_changed", changed));
    }
    let bytes = if files.is_empty() { "bytes not supplied" } else { "bytes as hashed" };
    Check::pass(
        CheckId::AltinnDataElementUnsignedOrChanged,
        format!("data element {id} ({t}) is covered by {} signature record(s), {bytes}, not changed after signing (lastChanged {changed})", covering.len()),
    )
}
