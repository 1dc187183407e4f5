//! Changes after signing (pades.md "Revisions and changes after signing";
//! ISO 32000-1 §12.8.2.2 DocMDP, §12.8.2.4 FieldMDP). Every object a later
//! revision adds or replaces is classified; changes to objects the signed pages
//! use are incremental-saving and shadow attacks (Mladenov et al. CCS 2019;
//! Mainka et al. NDSS 2021).

use crate::checks::CheckId;
use crate::limits::MAX_PDF_REACHABLE;
use crate::pdf::{Dict, Entry, ObjId, Object, Pdf};
use crate::report::{Check, Fact};
use std::collections::{BTreeMap, BTreeSet};

/// What a changed object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Cross-reference streams and object streams: the file's plumbing.
    Structure,
    /// DSS, VRI, validation data, document timestamps.
    Ltv,
    /// Signature fields, their widgets and signature values.
    Signature,
    /// Other form fields' values and appearances.
    FormField,
    /// Annotations (and a page's /Annots list).
    Annotation,
    /// The document information dictionary and XMP metadata: not displayed content.
    Metadata,
    /// Anything else: page content, resources, fonts, catalog entries, ...
    Other,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Structure => "cross-reference data",
            Class::Ltv => "long-term validation data",
            Class::Signature => "signature fields and values",
            Class::FormField => "form field values",
            Class::Annotation => "annotations",
            Class::Metadata => "document metadata",
            Class::Other => "other objects",
        }
    }
}

/// One changed object.
#[derive(Clone, Debug)]
pub struct Change {
    pub num: u32,
    pub revision: usize,
    pub class: Class,
    pub what: String,
    /// Field name, for FieldMDP.
    pub field: Option<String>,
    /// A page dictionary whose only change is its /Annots list.
    pub annots_only: bool,
}

/// The changes after one revision.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub list: Vec<Change>,
    /// Objects the signed pages use that a later revision redefines.
    pub shadow: Vec<String>,
    pub trailing_bytes: usize,
    pub later_revisions: usize,
    /// The signed pages use more than [`MAX_PDF_REACHABLE`] objects: the
    /// rest were not checked for redefinition.
    pub shadow_truncated: bool,
}

const ANNOTATION_SUBTYPES: &[&[u8]] = &[
    b"Text",
    b"Link",
    b"FreeText",
    b"Line",
    b"Square",
    b"Circle",
    b"Polygon",
    b"PolyLine",
    b"Highlight",
    b"Underline",
    b"Squiggly",
    b"StrikeOut",
    b"Stamp",
    b"Caret",
    b"Ink",
    b"Popup",
    b"FileAttachment",
    b"Sound",
    b"Movie",
    b"Screen",
    b"PrinterMark",
    b"TrapNet",
    b"Watermark",
    b"3D",
    b"Redact",
    b"Projection",
    b"RichMedia",
];

fn refs_in(obj: &Object, out: &mut Vec<ObjId>, skip: &[&[u8]]) {
    match obj {
        Object::Ref(id) => out.push(*id),
        Object::Array(a) => a.iter().for_each(|o| refs_in(o, out, skip)),
        Object::Dict(d) => d.entries().iter().filter(|(k, _)| !skip.contains(&k.as_slice())).for_each(|(_, v)| refs_in(v, out, skip)),
        Object::Stream(s) => s.dict.entries().iter().filter(|(k, _)| !skip.contains(&k.as_slice())).for_each(|(_, v)| refs_in(v, out, skip)),
        _ => {}
    }
}

/// Objects reachable from `roots` as of revision `rev`, not following `skip`
/// keys, and whether [`MAX_PDF_REACHABLE`] stopped the walk.
fn reachable_bounded(pdf: &Pdf<'_>, rev: usize, roots: Vec<ObjId>, skip: &[&[u8]]) -> (BTreeSet<ObjId>, bool) {
    let mut seen = BTreeSet::new();
    let mut todo = roots;
    let mut truncated = false;
    while let Some(id) = todo.pop() {
        if seen.contains(&id) {
            continue;
        }
        if seen.len() >= MAX_PDF_REACHABLE {
            truncated = true;
            break;
        }
        seen.insert(id);
        if let Ok(obj) = pdf.get_as_of(id, rev) {
            refs_in(&obj, &mut todo, skip);
        }
    }
    (seen, truncated)
}

/// Like [`reachable_bounded`], where a truncated set only makes the
/// classification more cautious (LTV data and appearances).
fn reachable(pdf: &Pdf<'_>, rev: usize, roots: Vec<ObjId>, skip: &[&[u8]]) -> BTreeSet<ObjId> {
    reachable_bounded(pdf, rev, roots, skip).0
}

fn dict_of(obj: &Object) -> Option<&Dict> {
    match obj {
        Object::Dict(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// Equal as PDF values: byte positions (spans) do not matter, content does.
fn same_value(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Str(x), Object::Str(y)) => x.bytes == y.bytes,
        (Object::Array(x), Object::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q)),
        (Object::Dict(x), Object::Dict(y)) => changed_keys(x, y).is_empty(),
        (Object::Stream(_), Object::Stream(_)) => false,
        (Object::Real(x), Object::Real(y)) => x == y,
        (Object::Int(x), Object::Real(y)) | (Object::Real(y), Object::Int(x)) => (*x as f64) == *y,
        _ => a == b,
    }
}

/// Keys whose values differ between two dictionaries (added, removed or changed).
fn changed_keys(old: &Dict, new: &Dict) -> BTreeSet<Vec<u8>> {
    let mut keys: BTreeSet<Vec<u8>> = BTreeSet::new();
    for (k, v) in new.entries() {
        if !old.get(k).is_some_and(|o| same_value(o, v)) {
            keys.insert(k.clone());
        }
    }
    for (k, _) in old.entries() {
        if new.get(k).is_none() {
            keys.insert(k.clone());
        }
    }
    keys
}

fn key_list(keys: &BTreeSet<Vec<u8>>) -> String {
    keys.iter().map(|k| format!("/{}", String::from_utf8_lossy(k))).collect::<Vec<_>>().join(", ")
}

/// Collects and classifies the changes made after revision `signed`.
pub fn changes_after(pdf: &Pdf<'_>, signed: usize) -> Changes {
    let revisions = pdf.revisions();
    let last = revisions.len().saturating_sub(1);
    let mut out = Changes { trailing_bytes: pdf.bytes_after_last_eof(), later_revisions: last.saturating_sub(signed), ..Changes::default() };
    if signed >= last {
        return out;
    }
    // The newest revision that touches each object after the signed one.
    let mut touched: BTreeMap<u32, (usize, Entry)> = BTreeMap::new();
    for (k, r) in revisions.iter().enumerate().skip(signed + 1) {
        for (num, e) in &r.entries {
            touched.insert(*num, (k, *e));
        }
    }
    let id_of = |num: u32, e: &Entry| ObjId { num, gen: if let Entry::InUse { gen, .. } = e { *gen } else { 0 } };

    let catalog_id = revisions[last].trailer.get(b"Root").and_then(Object::as_ref);
    let latest = |id: ObjId| pdf.get_as_of(id, last).ok();
    // What LTV data and appearances reach, as of the latest revision.
    let catalog_new = pdf.catalog_as_of(last).ok();
    let dss_set = catalog_new
        .as_ref()
        .and_then(|c| c.get(b"DSS"))
        .map(|d| {
            let mut roots = Vec::new();
            refs_in(d, &mut roots, &[]);
            reachable(pdf, last, roots, &[])
        })
        .unwrap_or_default();
    let acroform_id = catalog_new.as_ref().and_then(|c| c.get(b"AcroForm")).and_then(Object::as_ref);
    let metadata_ids: BTreeSet<ObjId> = revisions
        .iter()
        .filter_map(|r| r.trailer.get(b"Info").and_then(Object::as_ref))
        .chain(catalog_new.as_ref().and_then(|c| c.get(b"Metadata")).and_then(Object::as_ref))
        .collect();

    // First pass: classify annotations, fields and signatures; remember their appearances.
    let mut classes: BTreeMap<u32, (Class, String, Option<String>)> = BTreeMap::new();
    let mut appearance_of: BTreeMap<ObjId, Class> = BTreeMap::new();
    let mut annots_only: BTreeSet<u32> = BTreeSet::new();
    let mut catalog_shadow: Vec<String> = Vec::new();
    for (&num, (rev, entry)) in &touched {
        let id = id_of(num, entry);
        if num == 0 {
            continue; // the head of the free list, in every xref table
        }
        if let Entry::Free { .. } = entry {
            classes.insert(num, (Class::Other, format!("object {num} deleted in revision {}", rev + 1), None));
            continue;
        }
        let Some(obj) = latest(id) else { continue };
        let old = pdf.get_as_of(id, signed).ok().filter(|o| !o.is_null());
        let d = dict_of(&obj);
        let ty = d.and_then(|d| d.get_name(b"Type"));
        let subtype = d.and_then(|d| d.get_name(b"Subtype"));
        let (class, what, field) = if matches!(ty, Some(b"XRef") | Some(b"ObjStm")) {
            (Class::Structure, "cross-reference or object stream".to_string(), None)
        } else if metadata_ids.contains(&id) {
            (Class::Metadata, "document information / XMP metadata".into(), None)
        } else if dss_set.contains(&id) {
            (Class::Ltv, "DSS / validation data".into(), None)
        } else if matches!(ty, Some(b"Sig") | Some(b"DocTimeStamp")) || d.is_some_and(|d| d.get(b"ByteRange").is_some()) {
            let class = if ty == Some(b"DocTimeStamp") { Class::Ltv } else { Class::Signature };
            (class, "signature value".into(), None)
        } else if Some(id) == catalog_id {
            let old_cat = old.as_ref().and_then(dict_of).cloned().unwrap_or_default();
            let keys = d.map(|d| changed_keys(&old_cat, d)).unwrap_or_default();
            // Version bumps, developer extensions (ESIC) and XMP metadata come with any incremental save.
            let harmless_ltv: BTreeSet<Vec<u8>> = [b"DSS".to_vec(), b"Extensions".to_vec(), b"Version".to_vec(), b"Metadata".to_vec()].into();
            let mut harmless_sig = harmless_ltv.clone();
            harmless_sig.extend([b"AcroForm".to_vec(), b"Perms".to_vec()]);
            if keys.is_subset(&harmless_ltv) {
                (Class::Ltv, format!("catalog ({})", key_list(&keys)), None)
            } else if keys.is_subset(&harmless_sig) {
                (Class::Signature, format!("catalog ({})", key_list(&keys)), None)
            } else {
                let visible: BTreeSet<Vec<u8>> = [b"Pages".to_vec(), b"OCProperties".to_vec()].into();
                if keys.intersection(&visible).next().is_some() {
                    catalog_shadow.push(format!("the catalog's {} in revision {}", key_list(&keys.intersection(&visible).cloned().collect()), rev + 1));
                }
                (Class::Other, format!("catalog entries {} changed", key_list(&keys)), None)
            }
        } else if Some(id) == acroform_id {
            (Class::Signature, "the form's field list (AcroForm)".into(), None)
        } else if let Some(dd) = d.filter(|dd| dd.get(b"FT").is_some() || dd.get(b"Parent").is_some() && dd.get(b"T").is_some() || subtype == Some(b"Widget")) {
            let ft = dd.get_name(b"FT").map(<[u8]>::to_vec).or_else(|| {
                dd.get(b"Parent").and_then(|p| pdf.resolve_as_of(p, last).ok()).and_then(|p| p.as_dict().and_then(|p| p.get_name(b"FT")).map(<[u8]>::to_vec))
            });
            let name = super::find::text_of(pdf, dd, b"T");
            let class = if ft.as_deref() == Some(b"Sig") { Class::Signature } else { Class::FormField };
            (class, format!("form field {}", name.as_deref().unwrap_or("(widget)")), name)
        } else if ty == Some(b"Annot") || subtype.is_some_and(|s| ANNOTATION_SUBTYPES.contains(&s)) {
            (Class::Annotation, format!("/{} annotation", String::from_utf8_lossy(subtype.unwrap_or(b"Annot"))), None)
        } else if ty == Some(b"Page") {
            let old_page = old.as_ref().and_then(dict_of).cloned().unwrap_or_default();
            let keys = d.map(|d| changed_keys(&old_page, d)).unwrap_or_default();
            if !keys.is_empty() && keys.iter().all(|k| k == b"Annots") {
                annots_only.insert(num);
                // The list grew: by widgets of new fields (signing, form fill) or by annotations.
                let list = |page: Option<&Dict>, rev: usize| -> BTreeSet<ObjId> {
                    let mut ids = Vec::new();
                    if let Some(a) = page.and_then(|p| p.get(b"Annots")).and_then(|a| pdf.resolve_as_of(a, rev).ok()) {
                        refs_in(&a, &mut ids, &[]);
                    }
                    ids.into_iter().collect()
                };
                let added: Vec<ObjId> = list(d, last).difference(&list(Some(&old_page), signed)).copied().collect();
                let class = added
                    .iter()
                    .map(|a| {
                        let ad = latest(*a);
                        let ad = ad.as_ref().and_then(dict_of);
                        match ad.and_then(|x| x.get_name(b"Subtype")) {
                            Some(b"Widget") => {
                                let ft = ad.and_then(|x| x.get_name(b"FT")).map(<[u8]>::to_vec).or_else(|| {
                                    ad.and_then(|x| x.get(b"Parent"))
                                        .and_then(|p| pdf.resolve_as_of(p, last).ok())
                                        .and_then(|p| p.as_dict().and_then(|p| p.get_name(b"FT")).map(<[u8]>::to_vec))
                                });
                                if ft.as_deref() == Some(b"Sig") {
                                    Class::Signature
                                } else {
                                    Class::FormField
                                }
                            }
                            _ => Class::Annotation,
                        }
                    })
                    .max()
                    .unwrap_or(Class::Annotation);
                (class, "a page's annotation list".into(), None)
            } else {
                (Class::Other, format!("page dictionary ({} changed)", key_list(&keys)), None)
            }
        } else if let (Some(Object::Array(_)), Some(Object::Array(_))) = (Some(&obj), old.as_ref()) {
            (Class::Other, "an array".into(), None)
        } else {
            (Class::Other, format!("{} {}", if old.is_some() { "replaced" } else { "added" }, obj.type_name()), None)
        };
        if matches!(class, Class::Annotation | Class::FormField | Class::Signature) {
            if let Some(ap) = d.and_then(|d| d.get(b"AP")) {
                let mut roots = Vec::new();
                refs_in(ap, &mut roots, &[]);
                for r in reachable(pdf, last, roots, &[b"Parent"]) {
                    appearance_of.insert(r, class);
                }
            }
        }
        classes.insert(num, (class, what, field));
    }
    // Second pass: an "other" object that only a changed annotation's or field's
    // appearance uses belongs to that annotation or field (a new appearance stream).
    for (&num, (rev, entry)) in &touched {
        let id = id_of(num, entry);
        if let Some((Class::Other, what, field)) = classes.get(&num).cloned() {
            if let Some(c) = appearance_of.get(&id) {
                classes.insert(num, (*c, format!("appearance ({what})"), field));
            }
        }
        if let Some((class, what, field)) = classes.get(&num).cloned() {
            out.list.push(Change { num, revision: *rev, class, what, field, annots_only: annots_only.contains(&num) });
        }
    }

    // Shadow: objects the signed revision's pages and optional content use.
    out.shadow.extend(catalog_shadow);
    if let Ok(signed_catalog) = pdf.catalog_as_of(signed) {
        let mut roots = Vec::new();
        for key in [&b"Pages"[..], b"OCProperties"] {
            if let Some(v) = signed_catalog.get(key) {
                refs_in(v, &mut roots, &[]);
            }
        }
        let (used, truncated) = reachable_bounded(pdf, signed, roots, &[b"Parent", b"Annots", b"P", b"Dest", b"A"]);
        out.shadow_truncated = truncated;
        for c in &out.list {
            let Some((_, entry)) = touched.get(&c.num) else { continue };
            let id = id_of(c.num, entry);
            let same_number = used.iter().any(|u| u.num == c.num);
            if (used.contains(&id) || same_number) && !c.annots_only {
                out.shadow.push(format!("object {} ({}) in revision {}", c.num, c.what, c.revision + 1));
            }
        }
    }
    out
}

/// `mod.changes`: what changed after the signature.
pub fn changes_check(ch: &Changes) -> Check {
    let id = CheckId::ModChanges;
    let mut by_class: BTreeMap<Class, usize> = BTreeMap::new();
    for c in &ch.list {
        *by_class.entry(c.class).or_default() += 1;
    }
    let summary: Vec<String> = by_class.iter().filter(|(c, _)| **c != Class::Structure).map(|(c, n)| format!("{n} {}", c.name())).collect();
    let others: Vec<String> =
        ch.list.iter().filter(|c| c.class == Class::Other).map(|c| format!("object {} ({}) in revision {}", c.num, c.what, c.revision + 1)).collect();
    let mut facts = vec![Fact::int("later_revisions", ch.later_revisions as i64)];
    if !summary.is_empty() {
        facts.push(Fact::list("changed", summary.clone()));
    }
    if !others.is_empty() {
        facts.push(Fact::list("other_changes", others.clone()));
    }
    if ch.trailing_bytes > 0 {
        facts.push(Fact::int("unindexed_trailing_bytes", ch.trailing_bytes as i64));
    }
    if !others.is_empty() {
        return Check::warn(id, format!("after signing, {} object(s) outside forms, annotations and validation data were added or replaced", others.len()))
            .with_all(facts);
    }
    if ch.trailing_bytes > 0 {
        return Check::warn(
            id,
            format!("{} bytes follow the last %%EOF outside any revision: content appended without a cross-reference section", ch.trailing_bytes),
        )
        .with_all(facts);
    }
    if ch.later_revisions == 0 {
        return Check::pass(id, "nothing was changed after signing").with_all(facts);
    }
    Check::pass(id, format!("after signing only {} were added", summary.join(", "))).with_all(facts)
}

/// `mod.shadow`: whether what the signed pages show can differ from what was signed.
pub fn shadow_check(ch: &Changes) -> Check {
    if ch.shadow_truncated && ch.shadow.is_empty() {
        return Check::fail(
            CheckId::ModShadow,
            format!("the signed pages use more than {MAX_PDF_REACHABLE} objects; the rest were not checked for redefinition after signing"),
        );
    }
    if ch.shadow.is_empty() {
        Check::pass(CheckId::ModShadow, "no object the signed pages use was redefined after signing")
    } else {
        Check::fail(
            CheckId::ModShadow,
            format!(
                "objects the signed pages use were redefined after signing, so the document shown may differ from the one signed: {}",
                ch.shadow.join("; ")
            ),
        )
        .with(Fact::list("redefined", ch.shadow.clone()))
    }
}

/// `mod.docmdp`: changes after a certification signature against its /P and locks.
pub fn docmdp_check(ch: &Changes, p: Option<i64>, locked: &Option<Option<Vec<String>>>) -> Option<Check> {
    if p.is_none() && locked.is_none() {
        return None;
    }
    let id = CheckId::ModDocMdp;
    let mut violations = Vec::new();
    if let Some(p) = p {
        for c in &ch.list {
            let allowed = match c.class {
                Class::Structure | Class::Ltv | Class::Metadata => true,
                Class::Signature | Class::FormField => p >= 2,
                Class::Annotation => p >= 3,
                Class::Other => false,
            };
            if !allowed {
                violations.push(format!("{} ({}) in revision {}", c.what, c.class.name(), c.revision + 1));
            }
        }
    }
    if let Some(lock) = locked {
        for c in ch.list.iter().filter(|c| c.class == Class::FormField) {
            let hit = match (lock, &c.field) {
                (None, _) => true,
                (Some(names), Some(f)) => names.iter().any(|n| n == f),
                (Some(_), None) => false,
            };
            if hit {
                violations.push(format!("{} is locked by FieldMDP", c.what));
            }
        }
    }
    let rule = match p {
        Some(1) => "DocMDP /P 1: no changes except validation data and document timestamps".to_string(),
        Some(2) => "DocMDP /P 2: form filling and signing only".to_string(),
        Some(3) => "DocMDP /P 3: form filling, signing and annotations".to_string(),
        Some(other) => format!("DocMDP /P {other}"),
        None => "FieldMDP locks".to_string(),
    };
    Some(if violations.is_empty() {
        Check::pass(id, format!("the changes after signing respect {rule}"))
    } else {
        Check::fail(id, format!("changes after signing break {rule}: {}", violations.join("; "))).with(Fact::list("violations", violations))
    })
}
