//! One signature record against the instance and the exported files
//! (altinn.md checks 1, 2, 4 and 6 for `signeeInfo`).

use super::identifiers::{org_number, person_number, strip_org_prefix};
use super::model::{Entry, Instance, SignDoc};
use super::Ctx;
use crate::checks::CheckId;
use crate::policy::ValidationTime;
use crate::report::{Check, Fact, Node, NodeKind};

/// A signature record, checked.
pub struct Outcome {
    pub input: usize,
    pub node: Node,
    /// Whether it counts as a signature of this instance: it parses, names this
    /// instance, is one of its data elements and marks at least one entry signed. Records that do not count are
    /// still checked and shown, but cover nothing and satisfy no signee.
    pub counts: bool,
    /// The signing task (the record element's GeneratedFrom reference).
    pub task: Option<String>,
}

/// `altinn.signee.identifier` for one identifier.
pub fn identifier_check(member: &str, value: &str, person: bool, whose: &str) -> Check {
    let result = if person { person_number(value) } else { org_number(value).map(|_| "organisasjonsnummer".to_string()) };
    match result {
        Ok(kind) => Check::pass(CheckId::AltinnSigneeIdentifier, format!("{whose}{member} {value} is a well-formed {kind} (control digits hold)")),
        Err(why) => Check::warn(
            CheckId::AltinnSigneeIdentifier,
            format!("{whose}{member} {value} is not a well-formed {}: {why}", if person { "fødselsnummer or D-number" } else { "organisasjonsnummer" }),
        )
        .with(Fact::text("value", value)),
    }
}

/// `altinn.signature.data_element_hash` and `altinn.signature.data_element_size` for one entry.
fn entry_checks(entry: &Entry, instance: Option<&Instance>, ctx: &Ctx<'_>, out: &mut Vec<Check>) {
    let Some(id) = &entry.id else {
        out.push(Check::fail(
            CheckId::AltinnSignatureDataElementHash,
            format!("dataElementId \"{}\" is not a GUID, so no data element can be compared", entry.data_element_id),
        ));
        return;
    };
    let recorded = match &entry.sha256 {
        Ok(d) => d,
        Err(why) => {
            out.push(Check::fail(CheckId::AltinnSignatureDataElementHash, format!("the sha256Hash recorded for data element {id} is unusable: {why}")));
            return;
        }
    };
    let element = instance.and_then(|i| i.element(id));
    let files = ctx.files_of(id);
    if instance.is_some() && element.is_none() {
        out.push(
            Check::fail(
                CheckId::AltinnSignatureDataElementHash,
                format!("the instance has no data element {id}: what this record covers was deleted after signing, or the record is not about this instance"),
            )
            .with(Fact::digest("recorded", "SHA-256", recorded)),
        );
        return;
    }
    let what = match element.and_then(|e| e.data_type.as_deref()) {
        Some(t) => format!("data element {id} ({t})"),
        None => format!("data element {id}"),
    };
    if files.is_empty() {
        out.push(
            Check::indeterminate(
                CheckId::AltinnSignatureDataElementHash,
                format!("{what} was not supplied (no file named {id} or {id}.<ext>): whether it is unchanged cannot be decided"),
            )
            .with(Fact::digest("recorded", "SHA-256", recorded)),
        );
        return;
    }
    for &f in files {
        let actual = &ctx.digests[f];
        if actual == recorded {
            out.push(
                Check::pass(CheckId::AltinnSignatureDataElementHash, format!("{what}: {} has the SHA-256 the record names", ctx.name(f)))
                    .with(Fact::digest("sha256", "SHA-256", recorded)),
            );
        } else {
            out.push(
                Check::fail(
                    CheckId::AltinnSignatureDataElementHash,
                    format!("{what}: {} does not have the SHA-256 the record names: these are not the bytes Altinn hashed at signing", ctx.name(f)),
                )
                .with(Fact::digest("recorded", "SHA-256", recorded))
                .with(Fact::digest("actual", "SHA-256", actual)),
            );
        }
        if let Some(size) = element.and_then(|e| e.size) {
            let len = ctx.blobs[f].bytes.len() as i64;
            out.push(if len == size {
                Check::pass(CheckId::AltinnSignatureDataElementSize, format!("{what}: {} is {len} bytes, as the instance metadata records", ctx.name(f)))
            } else {
                Check::fail(CheckId::AltinnSignatureDataElementSize, format!("{what}: {} is {len} bytes, the instance metadata records {size}", ctx.name(f)))
                    .with(Fact::int("file_size", len))
                    .with(Fact::int("recorded_size", size))
            });
        }
    }
}

/// `altinn.signature.signed`: Storage writes `"signed": true` on each entry
/// (altinn.md, "What is stored when someone signs"); an entry marked
/// `"signed": false` says that element was hashed but not signed, so it covers
/// nothing (elements.rs leaves it out of coverage) and warns. A record with no
/// entry marked signed signs nothing: it fails and is not counted, so it
/// satisfies no signee. Returns whether the record signs anything. (A missing
/// `signed` is read as signed, as coverage reads it; an empty list already
/// fails `altinn.signature.parse`.)
fn signed_check(doc: &SignDoc, node: &mut Node) -> bool {
    if doc.entries.is_empty() {
        return false;
    }
    let unsigned: Vec<&Entry> = doc.entries.iter().filter(|e| e.signed == Some(false)).collect();
    if unsigned.len() == doc.entries.len() {
        node.check(
            Check::fail(
                CheckId::AltinnSignatureSigned,
                format!(
                    "every dataElementSignatures entry ({}) is marked \"signed\": false: the record signs nothing, so it is not counted as a signature",
                    unsigned.len()
                ),
            )
            .with(Fact::list("unsigned", unsigned.iter().map(|e| e.data_element_id.clone()).collect())),
        );
        return false;
    }
    if unsigned.is_empty() {
        node.check(Check::pass(CheckId::AltinnSignatureSigned, format!("every dataElementSignatures entry ({}) is marked signed", doc.entries.len())));
    }
    for e in unsigned {
        node.check(Check::warn(
            CheckId::AltinnSignatureSigned,
            format!(
                "the entry for data element {} is marked \"signed\": false: the record says that element was not signed, so it covers nothing",
                e.data_element_id
            ),
        ));
    }
    true
}

/// Checks one signature record from input `input`.
pub fn check(doc: &SignDoc, input: usize, instance: Option<&Instance>, ctx: &Ctx<'_>) -> Outcome {
    let name = ctx.name(input);
    let mut node = Node::new(NodeKind::AltinnSignature, format!("Altinn signature record {name} by {}", doc.signee.describe()));
    let own = doc.guid().and_then(|g| instance.and_then(|i| i.element(&g)));

    // Facts: what the record says.
    node.fact(Fact::text("record", "kept by Altinn Storage; not a cryptographic signature"));
    if let Some(id) = &doc.id {
        node.fact(Fact::text("id", id.clone()));
    }
    if let Some(g) = &doc.instance_guid {
        node.fact(Fact::text("instance_guid", g.clone()));
    }
    if let Some(t) = doc.signed_time.at {
        node.fact(Fact::time("signed_time", t.secs));
        node.fact(Fact::text("signed_time_exact", t.text()));
    }
    for (k, v) in [
        ("user_id", &doc.signee.user_id),
        ("system_user_id", &doc.signee.system_user_id),
        ("person_number", &doc.signee.person_number),
        ("organisation_number", &doc.signee.organisation_number),
    ] {
        if let Some(v) = v {
            node.fact(Fact::text(k, v.clone()));
        }
    }
    node.fact(Fact::text("casing", doc.casing));
    let task = own.and_then(|e| e.generated_from_task.clone());
    if let Some(t) = &task {
        node.fact(Fact::text("task", t.clone()));
    }
    node.fact(Fact::list("data_elements", doc.entries.iter().map(|e| e.data_element_id.clone()).collect()));

    // 1. Parses.
    node.check(if doc.problems.is_empty() {
        Check::pass(CheckId::AltinnSignatureParse, format!("{name} is a complete signature record ({}, {} data elements)", doc.casing, doc.entries.len()))
    } else {
        Check::fail(CheckId::AltinnSignatureParse, format!("{name} is not a complete signature record: {}", doc.problems.join("; ")))
    });

    // 1. Its id is its data element's id, and the instance lists it.
    let mut listed = instance.is_none();
    if let Some(g) = doc.guid() {
        let file_id = super::json::file_guid(&ctx.blobs[input].name);
        let mut problems = Vec::new();
        if let Some(f) = &file_id {
            if *f != g {
                problems.push(format!("the file is named for data element {f}, the record's id is {g}"));
            }
        }
        if instance.is_some() {
            match own {
                None => problems.push(format!("the instance lists no data element {g}")),
                Some(e) => {
                    listed = true;
                    if let Some(size) = e.size {
                        let len = ctx.blobs[input].bytes.len() as i64;
                        if len != size {
                            problems.push(format!("the file is {len} bytes, the instance metadata records {size} for it"));
                        }
                    }
                }
            }
        }
        node.check(if problems.is_empty() {
            let how = match (own, &file_id) {
                (Some(e), _) => format!("it is data element {g} ({}) of the instance", e.data_type.as_deref().unwrap_or("no dataType")),
                (None, Some(_)) => format!("it is stored under its own id {g} (no instance metadata to compare)"),
                (None, None) => format!("id {g} (no instance metadata and no file name to compare)"),
            };
            Check::pass(CheckId::AltinnSignatureId, how)
        } else {
            listed = false;
            Check::fail(CheckId::AltinnSignatureId, format!("{name}: {}", problems.join("; ")))
        });
    }

    // 1. Its instanceGuid is the instance's.
    let guid_ok = match (instance.and_then(|i| i.guid.as_ref()), doc.instance()) {
        (Some(want), Some(got)) if *want == got => {
            node.check(Check::pass(CheckId::AltinnSignatureInstanceGuid, format!("instanceGuid {got} is this instance's")));
            true
        }
        (Some(want), Some(got)) => {
            node.check(
                Check::fail(
                    CheckId::AltinnSignatureInstanceGuid,
                    format!("instanceGuid {got} is not this instance's ({want}): the record belongs to another instance"),
                )
                .with(Fact::text("instance_guid", got))
                .with(Fact::text("expected", want.clone())),
            );
            false
        }
        (None, Some(got)) => {
            node.check(Check::indeterminate(
                CheckId::AltinnSignatureInstanceGuid,
                format!("no instance metadata (instance.json) was supplied to compare instanceGuid {got} with"),
            ));
            instance.is_none()
        }
        (_, None) => false,
    };

    // Times: signedTime against the record element's created, the covered elements' created, and the validation time.
    if let Some(at) = doc.signed_time.at {
        let leeway = ctx.policy.leeway;
        let mut problems = Vec::new();
        if let Some(c) = own.and_then(|e| e.created.at) {
            if !c.within(at, leeway) {
                problems.push(format!(
                    "the record's data element was created at {}, {} s from signedTime (Storage creates it at signedTime)",
                    c.text(),
                    c.seconds_since(at)
                ));
            }
        }
        for e in &doc.entries {
            let created = e.id.as_ref().and_then(|id| instance.and_then(|i| i.element(id))).and_then(|el| el.created.at);
            if let Some(c) = created {
                if c > at {
                    problems.push(format!("it covers data element {} created at {}, after signing", e.data_element_id, c.text()));
                }
            }
        }
        if let ValidationTime::At(t) = ctx.policy.time {
            if at.secs.0 > t.0 + leeway as i64 {
                problems.push(format!("signedTime is after the validation time {t}"));
            }
        }
        node.check(if problems.is_empty() {
            Check::pass(CheckId::AltinnSignatureTime, format!("signedTime {} is consistent with the instance metadata and the validation time", at.text()))
        } else {
            Check::fail(CheckId::AltinnSignatureTime, format!("signedTime {}: {}", at.text(), problems.join("; ")))
        });
    }

    // 2. Each covered data element: present, same SHA-256, same size.
    let mut entry_results = Vec::new();
    for e in &doc.entries {
        entry_checks(e, instance, ctx, &mut entry_results);
    }
    node.checks.extend(entry_results);

    // 2. What the record signs: the entries marked signed.
    let signs = signed_check(doc, &mut node);

    // 4. signeeInfo against the element's createdBy (Storage: the caller's userId, or a system user's owner org number).
    if let Some(created_by) = own.map(|e| e.created_by.clone()) {
        let (expected, what) = match (&doc.signee.user_id, &doc.signee.organisation_number) {
            (Some(u), _) => (Some(u.clone()), format!("the signee's userId {u}")),
            (None, Some(o)) if doc.signee.system_user_id.is_some() => {
                (Some(strip_org_prefix(o).to_string()), format!("the organisation {o} that owns the signing system user"))
            }
            _ => (None, String::new()),
        };
        node.check(match (created_by, expected) {
            (Some(c), Some(e)) if strip_org_prefix(&c) == e => {
                Check::pass(CheckId::AltinnSigneeUser, format!("the record's data element was created by {c}, {what}"))
            }
            (Some(c), Some(_)) => Check::fail(
                CheckId::AltinnSigneeUser,
                format!("the record's data element was created by {c}, but the record names {what}: someone other than the signee stored it"),
            ),
            (None, _) => Check::indeterminate(CheckId::AltinnSigneeUser, "the instance metadata gives no createdBy for the record's data element"),
            (Some(c), None) => {
                Check::fail(CheckId::AltinnSigneeUser, format!("the record's data element was created by {c}, and the record names no userId or system user"))
            }
        });
    }

    // 6. Identifiers.
    if let Some(p) = &doc.signee.person_number {
        node.check(identifier_check("personNumber", p, true, "signeeInfo."));
    }
    if let Some(o) = &doc.signee.organisation_number {
        node.check(identifier_check("organisationNumber", o, false, "signeeInfo."));
    }

    let counts = doc.problems.is_empty() && guid_ok && listed && signs;
    if !counts {
        node.fact(Fact::text("counted", "no: this record is not counted as a signature of the instance (see the failed checks)"));
    }
    Outcome { input, node, counts, task }
}
