//! Changes after signing (pades.md "Revisions and changes after signing";
//! ISO 32000-1 §12.8.2.2 DocMDP, §12.8.2.4 FieldMDP). Every object a later
//! revision adds or replaces is classified; changes to objects the signed pages
//! use are incremental-saving and shadow attacks (Mladenov et al. CCS 2019;
//! Mainka et al. NDSS 2021).
//!
//! What is trusted as harmless is narrow on purpose: the catalog is compared
//! with the signed revision's catalog before any other reading of it, the
//! page tree's objects are judged as pages, only the DSS's validation data
//! (its /Certs, /OCSPs, /CRLs and /VRI entries, never whatever else a DSS key
//! references) counts as LTV data, and the pages the latest revision lists
//! must be the signed ones. Form fields are named by their fully qualified
//! names (§12.7.3.2) through /Parent, so FieldMDP locks (§12.7.4.5 Table 233,
//! §12.8.2.4 Table 256) reach nested fields, widgets without /T and their
//! appearance streams; a field the signed revision did not have is not form
//! filling (§12.8.2.2 Table 254).
//!
//! Annotations are drawn over the page (§12.5), so they are part of what a
//! signed page shows: one added later is named (subtype, page, /Rect) and
//! warns whatever DocMDP allows, since it can cover or imitate signed content
//! (Mainka et al., IEEE S&P 2021); one the signed page showed whose
//! dictionary or appearance changes, or that is removed, changes the signed
//! content, which only /P 3 allows. Only objects that are nothing else
//! (no catalog, page, form or field) can be an appearance's streams and
//! resources, whatever an appearance dictionary references.

use super::Attestation;
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

/// What part of a change an object plays, so that a summary counts
/// annotations, fields and signatures, not every object that came with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// The annotation, field, signature value, ... itself.
    Itself,
    /// A page dictionary whose only change is its /Annots list (§12.5.2).
    AnnotationList,
    /// A stream an appearance (/AP, §12.5.5) draws.
    AppearanceStream,
    /// Another object an appearance uses (resources, fonts, an /AP subdictionary).
    AppearanceResource,
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
    /// A form field (not a signature field) or widget that did not exist in
    /// the signed revision: DocMDP /P 2 allows filling fields, not adding them.
    pub added_field: bool,
    /// A new signature field that holds no signature but paints a visible
    /// appearance: an overlay over the signed content (the "sneaky signature"
    /// attack, Mainka et al. 2021).
    pub overlay: bool,
    pub role: Role,
    /// For [`Role::AnnotationList`]: the page whose list this is (the page
    /// itself, or the page whose /Annots names this array), so that a page
    /// replaced together with its new indirect array counts as one list.
    pub list_of: Option<u32>,
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
    /// Annotations other than widgets that a later revision lists on a page
    /// and that are shown (not Hidden, not NoView): drawn over the signed
    /// content, they can hide or imitate it (the "evil annotation" attack,
    /// Mainka et al., IEEE S&P 2021). One description each.
    pub annotations_added: Vec<String>,
    /// Annotations the signed pages showed whose dictionary or appearance a
    /// later revision changed, or that it removed from the page: what the
    /// signer saw on the page is no longer shown.
    pub annotations_changed: Vec<String>,
    /// Annotations the signed pages showed whose dictionary a later revision
    /// changed only in keys that neither what is drawn nor what the
    /// annotation says depends on (/M, /P, /Popup: [`UNDRAWN_ANNOTATION_KEYS`]),
    /// as viewers do when someone replies to or reopens a note.
    pub annotations_touched: Vec<String>,
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

/// The page tree of revision `rev` (ISO 32000-1 §7.7.3): every node (the
/// /Pages root, intermediate nodes and pages) and the pages in order, and
/// whether [`MAX_PDF_REACHABLE`] stopped the walk.
fn page_tree(pdf: &Pdf<'_>, rev: usize) -> (BTreeSet<ObjId>, Vec<ObjId>, bool) {
    let mut nodes = BTreeSet::new();
    let mut pages = Vec::new();
    let Some(root) = pdf.catalog_as_of(rev).ok().and_then(|c| c.get(b"Pages").and_then(Object::as_ref)) else {
        return (nodes, pages, false);
    };
    // Depth first, kids in order: the pages come out in document order.
    let mut todo = vec![root];
    while let Some(id) = todo.pop() {
        if nodes.len() >= MAX_PDF_REACHABLE {
            return (nodes, pages, true);
        }
        if !nodes.insert(id) {
            continue; // a loop or a shared kid
        }
        let Ok(obj) = pdf.get_as_of(id, rev) else { continue };
        let Some(d) = dict_of(&obj) else { continue };
        match d.get(b"Kids").and_then(|k| pdf.resolve_as_of(k, rev).ok()) {
            Some(Object::Array(kids)) if !d.has_type(b"Page") => todo.extend(kids.iter().rev().filter_map(Object::as_ref)),
            _ => pages.push(id),
        }
    }
    (nodes, pages, false)
}

/// The objects of the Document Security Store as of revision `rev` (ETSI EN
/// 319 142-1 §5.4.2; ISO 32000-2 §12.8.4.3): the /DSS dictionary, the streams
/// in its /Certs, /OCSPs and /CRLs arrays, its /VRI dictionary and each VRI
/// entry with the streams of its /Cert, /OCSP, /CRL arrays and its /TS. Only
/// these places count, and only objects of the shape they hold there (data
/// streams with no /Type or /Subtype, dictionaries that are no page, page
/// tree or catalog); whatever else a DSS references (an extra key, a
/// dictionary posing as a VRI entry's array) is classified as what it is.
fn ltv_objects(pdf: &Pdf<'_>, rev: usize, dss: &Object, not_ltv: &BTreeSet<ObjId>) -> BTreeSet<ObjId> {
    fn plain_dict(o: &Object) -> bool {
        matches!(o, Object::Dict(d) if !(d.has_type(b"Page") || d.has_type(b"Pages") || d.has_type(b"Catalog")))
    }
    fn data_stream(o: &Object) -> bool {
        matches!(o, Object::Stream(s) if s.dict.get(b"Type").is_none() && s.dict.get(b"Subtype").is_none())
    }
    fn array(o: &Object) -> bool {
        matches!(o, Object::Array(_))
    }
    struct Walk<'p, 'a> {
        pdf: &'p Pdf<'a>,
        rev: usize,
        not_ltv: &'p BTreeSet<ObjId>,
        out: BTreeSet<ObjId>,
    }
    impl Walk<'_, '_> {
        /// A direct or indirect value of the wanted shape; the indirect object joins the set.
        fn take(&mut self, v: &Object, shape: fn(&Object) -> bool) -> Option<Object> {
            let o = self.pdf.resolve_as_of(v, self.rev).ok().filter(shape)?;
            if let Some(id) = v.as_ref() {
                if self.not_ltv.contains(&id) {
                    return None;
                }
                self.out.insert(id);
            }
            Some(o)
        }
        /// An array of data streams (certificates, OCSP responses, CRLs).
        fn streams(&mut self, arr: Option<&Object>) {
            if let Some(Object::Array(items)) = arr.and_then(|a| self.take(a, array)) {
                for item in &items {
                    self.take(item, data_stream);
                }
            }
        }
    }
    let mut w = Walk { pdf, rev, not_ltv, out: BTreeSet::new() };
    let Some(Object::Dict(d)) = w.take(dss, plain_dict) else { return w.out };
    for key in [&b"Certs"[..], b"OCSPs", b"CRLs"] {
        w.streams(d.get(key));
    }
    if let Some(Object::Dict(vri)) = d.get(b"VRI").and_then(|v| w.take(v, plain_dict)) {
        for (_, entry) in vri.entries() {
            if let Some(Object::Dict(e)) = w.take(entry, plain_dict) {
                for key in [&b"Cert"[..], b"OCSP", b"CRL"] {
                    w.streams(e.get(key));
                }
                if let Some(ts) = e.get(b"TS") {
                    w.take(ts, data_stream);
                }
            }
        }
    }
    w.out
}

/// The fully qualified name of a field (ISO 32000-1 §12.7.3.2): the partial
/// names (/T) of the field and its ancestors through /Parent, joined with
/// periods. A widget without /T (the kid of a field, §12.7.3.1) takes its
/// parent's name. `None` when no dictionary on the way has a /T.
fn full_field_name(pdf: &Pdf<'_>, rev: usize, field: &Dict) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = field.clone();
    let mut seen = BTreeSet::new();
    for _ in 0..=super::find::MAX_FIELD_DEPTH {
        if let Some(t) = cur.get(b"T").and_then(|t| pdf.resolve_as_of(t, rev).ok()).and_then(|t| t.as_str().map(|s| super::find::text(&s.bytes))) {
            parts.push(t);
        }
        let Some(parent) = cur.get(b"Parent").and_then(Object::as_ref) else { break };
        if !seen.insert(parent) {
            break;
        }
        match pdf.get_as_of(parent, rev).ok().and_then(|p| p.as_dict().cloned()) {
            Some(p) => cur = p,
            None => break,
        }
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    Some(parts.join("."))
}

/// The field type (/FT) of a field or widget, inherited through /Parent (§12.7.3.1).
fn field_type(pdf: &Pdf<'_>, rev: usize, field: &Dict) -> Option<Vec<u8>> {
    let mut cur = field.clone();
    for _ in 0..=super::find::MAX_FIELD_DEPTH {
        if let Some(ft) = cur.get_name(b"FT") {
            return Some(ft.to_vec());
        }
        cur = cur.get(b"Parent").and_then(|p| pdf.resolve_as_of(p, rev).ok()).and_then(|p| p.as_dict().cloned())?;
    }
    None
}

/// A widget that paints something: an appearance (/AP) in a rectangle of
/// non-zero size, not flagged Hidden (bit 2) or NoView (bit 6) (§12.5.3, §12.5.5).
fn paints(pdf: &Pdf<'_>, rev: usize, w: &Dict) -> bool {
    let rect: Vec<f64> = w
        .get(b"Rect")
        .and_then(|r| pdf.resolve_as_of(r, rev).ok())
        .and_then(|r| r.as_array().map(|a| a.iter().filter_map(Object::as_number).collect()))
        .unwrap_or_default();
    let sized = rect.len() == 4 && (rect[2] - rect[0]).abs() > 0.0 && (rect[3] - rect[1]).abs() > 0.0;
    let flags = w.get_int(b"F").unwrap_or(0);
    w.get(b"AP").is_some() && sized && flags & (2 | 32) == 0
}

/// An annotation viewers draw: not flagged Hidden (bit 2) or NoView (bit 6)
/// (§12.5.3 Table 165). Without an appearance stream they draw one of their
/// own (a note's icon, a free-text annotation's /Contents, a link's border).
fn shown(a: &Dict) -> bool {
    a.get_int(b"F").unwrap_or(0) & (2 | 32) == 0
}

/// A number as a PDF writer would print it: integers without a fraction.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// "/Square annotation (object 12) on page 1 at [70 664 270 684]": what it
/// is, which page lists it and where its rectangle (/Rect, §12.5.2) lies.
fn describe_annotation(pdf: &Pdf<'_>, rev: usize, id: ObjId, a: Option<&Dict>, page: usize) -> String {
    let subtype = a.and_then(|a| a.get_name(b"Subtype")).map(|s| format!("/{}", String::from_utf8_lossy(s))).unwrap_or_else(|| "an".into());
    let rect: Vec<f64> = a
        .and_then(|a| a.get(b"Rect"))
        .and_then(|r| pdf.resolve_as_of(r, rev).ok())
        .and_then(|r| r.as_array().map(|v| v.iter().filter_map(Object::as_number).collect()))
        .unwrap_or_default();
    let at = if rect.len() == 4 { format!(" at [{}]", rect.iter().map(|x| number_text(*x)).collect::<Vec<_>>().join(" ")) } else { " (no /Rect)".to_string() };
    format!("{subtype} annotation (object {}) on page {page}{at}", id.num)
}

/// The objects a page's /Annots (a direct or indirect array, §12.5.2) lists as of revision `rev`.
fn annotation_refs(pdf: &Pdf<'_>, page: Option<&Dict>, rev: usize) -> BTreeSet<ObjId> {
    let mut ids = Vec::new();
    if let Some(a) = page.and_then(|p| p.get(b"Annots")).and_then(|a| pdf.resolve_as_of(a, rev).ok()) {
        refs_in(&a, &mut ids, &[]);
    }
    ids.into_iter().collect()
}

/// What a change to a page's annotation list is, from what it lists now
/// and what it listed in the signed revision: the widgets of new signature
/// fields are signing, those of other new fields form filling, anything
/// else added an annotation; removing an entry deletes what the page showed,
/// an annotation change (§12.8.2.2 Table 254, /P 3), whatever was added.
fn annotation_list_class(pdf: &Pdf<'_>, last: usize, now: &BTreeSet<ObjId>, before: &BTreeSet<ObjId>) -> Class {
    let class = now
        .difference(before)
        .map(|a| {
            let ad = pdf.get_as_of(*a, last).ok();
            match ad.as_ref().and_then(dict_of) {
                Some(w) if w.get_name(b"Subtype") == Some(b"Widget") => {
                    if field_type(pdf, last, w).as_deref() == Some(b"Sig") {
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
    if before.difference(now).next().is_some() {
        class.max(Class::Annotation)
    } else {
        class
    }
}

/// The annotations every page of `pages` lists in /Annots (a direct or
/// indirect array, §12.5.2) as of revision `rev`, in order, without repeats.
fn page_annotations(pdf: &Pdf<'_>, rev: usize, pages: &[ObjId]) -> BTreeMap<ObjId, Vec<ObjId>> {
    let mut out = BTreeMap::new();
    for page in pages {
        let mut ids = Vec::new();
        let page_dict = pdf.get_as_of(*page, rev).ok();
        if let Some(Object::Array(list)) = page_dict.as_ref().and_then(dict_of).and_then(|p| p.get(b"Annots")).and_then(|a| pdf.resolve_as_of(a, rev).ok()) {
            let mut seen = BTreeSet::new();
            ids.extend(list.iter().filter_map(Object::as_ref).filter(|id| seen.insert(*id)));
        }
        out.entry(*page).or_insert(ids);
    }
    out
}

/// Keys of an annotation dictionary (ISO 32000-1 §12.5.2 Table 164, §12.5.6.2
/// Table 170) that neither the annotation's appearance nor what it says
/// depends on, and that viewers rewrite when someone replies to or reopens a
/// note: /M, the date of the last modification (a text string, never drawn);
/// /P, the back-reference to the page, which is the page that lists the
/// annotation in /Annots whatever /P says; /Popup, the link to the popup
/// annotation that displays the note's /Contents, when it names one the page
/// lists (a popup new on the page is judged as an added annotation; one the
/// page does not list is not let pass). Everything else stays a change to what the
/// signed page showed: /Rect, /F, /AP, /AS, /Border, /C, /MK, /Contents (the
/// text shown), /OC, the markup keys (/T, /CA, /RC, /Subj, /IRT and /RT,
/// which group a reply under another annotation so viewers stop showing it on
/// its own, §12.5.6.2), the subtype-specific geometry and style (/QuadPoints,
/// /InkList, /Vertices, /L, /BS, /IC, /DA, /Open, ...), and /NM, the name that
/// identifies the annotation among the page's (no reply or reopen renames it).
const UNDRAWN_ANNOTATION_KEYS: &[&[u8]] = &[b"M", b"P", b"Popup"];

/// Keys of an annotation dictionary whose references are not the annotation's
/// own values: its appearance (/AP, walked on its own), its page (/P), its
/// field (/Parent), and other annotations (/Popup, /IRT).
const NOT_ANNOTATION_VALUES: &[&[u8]] = &[b"AP", b"P", b"Parent", b"Popup", b"IRT"];

/// What later revisions did to the annotations of the pages (ISO 32000-1
/// §12.5). DocMDP /P 3 allows creating, deleting and changing annotations
/// (§12.8.2.2 Table 254), and an approval signature restricts nothing; but
/// an annotation is drawn over the page, so one added later can cover or
/// imitate the signed content (Mainka et al., IEEE S&P 2021, "evil
/// annotation" attack), and one the signed page showed that is later
/// changed or removed changes what the signer saw.
struct AnnotationChanges {
    added: Vec<String>,
    changed: Vec<String>,
    /// Annotations the signed pages showed whose dictionary changed only in
    /// [`UNDRAWN_ANNOTATION_KEYS`].
    undrawn: Vec<String>,
    /// The objects the appearances of the signed pages' annotations (other
    /// than widgets, which form rules judge) use as of the signed revision,
    /// with a description of the annotation.
    appearance_owner: BTreeMap<ObjId, String>,
    /// The objects those annotations' other indirect values (/Contents, /Rect,
    /// /A ...) use as of the signed revision, with the same description.
    value_owner: BTreeMap<ObjId, String>,
    /// [`MAX_PDF_REACHABLE`] stopped the walk through the appearances.
    truncated: bool,
}

fn annotation_changes(
    pdf: &Pdf<'_>,
    signed: usize,
    last: usize,
    pages_signed: &[ObjId],
    pages_new: &[ObjId],
    touched: &BTreeMap<u32, (usize, Entry)>,
    used_nums: &BTreeSet<u32>,
) -> AnnotationChanges {
    let mut out = AnnotationChanges {
        added: Vec::new(),
        changed: Vec::new(),
        undrawn: Vec::new(),
        appearance_owner: BTreeMap::new(),
        value_owner: BTreeMap::new(),
        truncated: false,
    };
    let before = page_annotations(pdf, signed, pages_signed);
    let after = page_annotations(pdf, last, pages_new);
    let revision =
        |nums: &[u32]| nums.iter().find_map(|n| touched.get(n)).map(|(r, _)| format!("revision {}", r + 1)).unwrap_or_else(|| "a later revision".into());
    let is_widget = |d: &Dict| d.get_name(b"Subtype") == Some(b"Widget");
    let empty = Vec::new();
    for (i, page) in pages_new.iter().enumerate() {
        let had = before.get(page).unwrap_or(&empty);
        for a in after.get(page).unwrap_or(&empty).iter().filter(|a| !had.contains(a)) {
            let obj = pdf.get_as_of(*a, last).ok();
            let Some(d) = obj.as_ref().and_then(dict_of) else { continue };
            let desc = describe_annotation(pdf, last, *a, Some(d), i + 1);
            if is_widget(d) {
                // A widget new on a page is a new field. Signing adds signature
                // fields (an unsigned one that paints warns as an overlay); a
                // new field of another type that paints covers the page as
                // any annotation does.
                if field_type(pdf, last, d).as_deref() != Some(b"Sig") && paints(pdf, last, d) {
                    let name = full_field_name(pdf, last, d).map(|n| format!(", of the new form field {n}")).unwrap_or_default();
                    out.added.push(format!("{desc}{name} in {}", revision(&[a.num, page.num])));
                }
                continue;
            }
            if shown(d) {
                out.added.push(format!("{desc} in {}", revision(&[a.num, page.num])));
            }
        }
    }
    let mut seen: BTreeSet<ObjId> = BTreeSet::new();
    for (i, page) in pages_signed.iter().enumerate() {
        // A page no longer listed is a different page list: mod.shadow reports it.
        let Some(now) = after.get(page) else { continue };
        for a in before.get(page).unwrap_or(&empty) {
            let old_obj = pdf.get_as_of(*a, signed).ok();
            let Some(old) = old_obj.as_ref().and_then(dict_of) else { continue };
            let desc = describe_annotation(pdf, signed, *a, Some(old), i + 1);
            if !now.contains(a) {
                if shown(old) {
                    out.changed.push(format!("{desc} was removed from the page in {}", revision(&[page.num])));
                }
                continue;
            }
            let new_obj = pdf.get_as_of(*a, last).ok();
            let new = new_obj.as_ref().and_then(dict_of);
            // Widgets are fields: form filling changes their values and appearances.
            if is_widget(old) && new.is_some_and(is_widget) {
                continue;
            }
            if let Some(&(rev, _)) = touched.get(&a.num) {
                match new {
                    Some(n) => {
                        let keys = changed_keys(old, n);
                        if !keys.is_empty() && (shown(old) || shown(n)) {
                            let what = format!("{desc}: its {} changed in revision {}", key_list(&keys), rev + 1);
                            // A changed /Popup must name an annotation the page lists, which
                            // is then judged as added or changed itself; a popup the page does
                            // not list would escape those checks, so it is not let pass.
                            let popup_listed = !keys.contains(&b"Popup"[..])
                                || match n.get(b"Popup") {
                                    None => true,
                                    Some(p) => p.as_ref().is_some_and(|id| now.contains(&id)),
                                };
                            if popup_listed && keys.iter().all(|k| UNDRAWN_ANNOTATION_KEYS.contains(&k.as_slice())) {
                                out.undrawn.push(what);
                            } else {
                                out.changed.push(what);
                            }
                        }
                    }
                    None => out.changed.push(format!("{desc} is no dictionary after revision {}", rev + 1)),
                }
            }
            // Every object the signed appearance draws, each visited once for all annotations.
            let mut todo = Vec::new();
            if let Some(ap) = old.get(b"AP") {
                refs_in(ap, &mut todo, &[]);
            }
            let mut redefined = Vec::new();
            while let Some(id) = todo.pop() {
                if !seen.insert(id) {
                    continue;
                }
                if seen.len() >= MAX_PDF_REACHABLE {
                    out.truncated = true;
                    break;
                }
                out.appearance_owner.insert(id, desc.clone());
                let Ok(o) = pdf.get_as_of(id, signed) else { continue };
                // What the page's content uses too is reported as such (mod.shadow).
                if let Some(&(rev, _)) = touched.get(&id.num).filter(|_| !used_nums.contains(&id.num)) {
                    if !pdf.get_as_of(id, last).is_ok_and(|n| same_value(&o, &n)) {
                        redefined.push((id.num, rev));
                    }
                }
                refs_in(&o, &mut todo, &[b"Parent"]);
            }
            if !redefined.is_empty() && new.is_some_and(shown) {
                redefined.sort_unstable();
                let list: Vec<String> = redefined.iter().map(|(n, r)| format!("object {n} in revision {}", r + 1)).collect();
                out.changed.push(format!("{desc}: its appearance was redefined ({})", list.join(", ")));
            }
            // The annotation's indirect values (`/Contents 20 0 R`, /Rect, /BS, an
            // action /A): redefining one changes what it shows, says or does as surely
            // as editing its dictionary (ISO 32000-1 §7.3.10: an indirect reference
            // stands for the object). /AP is walked above; /P, /Parent, /Popup and
            // /IRT name other objects judged on their own, and a page or another
            // annotation a value names (a link's /Dest) is not this annotation's.
            let mut values: Vec<(Vec<u8>, ObjId)> = Vec::new();
            for (k, v) in old.entries().iter().filter(|(k, _)| !NOT_ANNOTATION_VALUES.contains(&k.as_slice())) {
                let mut refs = Vec::new();
                refs_in(v, &mut refs, &[]);
                values.extend(refs.into_iter().map(|id| (k.clone(), id)));
            }
            let mut redefined_values: Vec<(String, u32, usize, &str)> = Vec::new();
            while let Some((key, id)) = values.pop() {
                if !seen.insert(id) {
                    continue;
                }
                if seen.len() >= MAX_PDF_REACHABLE {
                    out.truncated = true;
                    break;
                }
                let Ok(o) = pdf.get_as_of(id, signed) else { continue };
                if dict_of(&o).is_some_and(|d| matches!(d.get_name(b"Type"), Some(b"Page" | b"Pages" | b"Annot" | b"Catalog"))) {
                    continue;
                }
                out.value_owner.insert(id, desc.clone());
                if let Some(&(rev, _)) = touched.get(&id.num).filter(|_| !used_nums.contains(&id.num)) {
                    if !pdf.get_as_of(id, last).is_ok_and(|n| same_value(&o, &n)) {
                        // An object undefined when signed was null then (§7.3.10): defining it changes the value too.
                        let was = if o.is_null() { ", undefined when signed" } else { "" };
                        redefined_values.push((String::from_utf8_lossy(&key).into_owned(), id.num, rev, was));
                    }
                }
                let mut inner = Vec::new();
                refs_in(&o, &mut inner, &[b"Parent", b"P"]);
                values.extend(inner.into_iter().map(|i| (key.clone(), i)));
            }
            if !redefined_values.is_empty() && new.is_some_and(shown) {
                redefined_values.sort();
                let list: Vec<String> = redefined_values.iter().map(|(k, n, r, was)| format!("/{k} (object {n}{was}) in revision {}", r + 1)).collect();
                out.changed.push(format!("{desc}: an indirect value of it was redefined: {}", list.join(", ")));
            }
        }
    }
    out
}

/// The objects the appearances (/AP) of every form field's widgets use as of
/// `rev`, with the field's fully qualified name: a redefined appearance stream
/// changes what a field shows even when its widget is untouched.
fn field_appearances(pdf: &Pdf<'_>, rev: usize, acroform: Option<&Object>) -> BTreeMap<ObjId, String> {
    let mut out = BTreeMap::new();
    let Some(fields) = acroform
        .and_then(|a| pdf.resolve_as_of(a, rev).ok())
        .and_then(|a| a.as_dict().and_then(|a| a.get(b"Fields")).cloned())
        .and_then(|f| pdf.resolve_as_of(&f, rev).ok())
    else {
        return out;
    };
    let mut todo: Vec<(Object, usize)> = fields.as_array().unwrap_or(&[]).iter().map(|f| (f.clone(), 0)).collect();
    let mut seen = BTreeSet::new();
    while let Some((f, depth)) = todo.pop() {
        if seen.len() >= MAX_PDF_REACHABLE || depth > super::find::MAX_FIELD_DEPTH {
            break;
        }
        if let Some(id) = f.as_ref() {
            if !seen.insert(id) {
                continue;
            }
        }
        let Some(d) = pdf.resolve_as_of(&f, rev).ok().and_then(|d| d.as_dict().cloned()) else { continue };
        if let (Some(ap), Some(name)) = (d.get(b"AP"), full_field_name(pdf, rev, &d)) {
            let mut roots = Vec::new();
            refs_in(ap, &mut roots, &[]);
            for r in reachable(pdf, rev, roots, &[b"Parent"]) {
                out.entry(r).or_insert_with(|| name.clone());
            }
        }
        if let Some(Object::Array(kids)) = d.get(b"Kids").and_then(|k| pdf.resolve_as_of(k, rev).ok()) {
            todo.extend(kids.into_iter().map(|k| (k, depth + 1)));
        }
    }
    out
}

/// What a later rewrite of object streams did to the objects they hold.
struct ObjStmMembers {
    /// Every object stream some xref entry of the final revision names.
    streams: BTreeSet<u32>,
    /// Objects whose xref entry still names an object stream that a revision
    /// after the signed one redefined, and whose value differs from the one
    /// the signed revision reads: the revision that redefined the stream,
    /// and the entry.
    changed: BTreeMap<u32, (usize, Entry)>,
}

/// Finds the objects stored compressed in an object stream that a revision
/// after `signed` redefined (ISO 32000-1 §7.5.7). Their own xref entries are
/// unchanged, so a later section never lists their numbers, but every reader
/// takes them from the newest copy of the stream: each is compared, as the
/// signed revision and as the final revision read it, by value. An object
/// the final revision cannot read, or reads as another value, is changed.
fn rewritten_objstm_members(pdf: &Pdf<'_>, signed: usize, touched: &BTreeMap<u32, (usize, Entry)>) -> ObjStmMembers {
    let last = pdf.revisions().len().saturating_sub(1);
    let nums: BTreeSet<u32> = pdf.revisions().iter().flat_map(|r| r.entries.keys().copied()).collect();
    let mut out = ObjStmMembers { streams: BTreeSet::new(), changed: BTreeMap::new() };
    for num in nums {
        let Some((_, entry @ Entry::Compressed { stream, .. })) = pdf.entry_as_of(num, last) else { continue };
        out.streams.insert(stream);
        if touched.contains_key(&num) {
            continue; // a later section lists it: judged as such
        }
        let Some(&(rev, Entry::InUse { .. })) = touched.get(&stream) else { continue };
        let id = ObjId { num, gen: 0 };
        let same = match (pdf.get_as_of(id, signed), pdf.get_as_of(id, last)) {
            (Ok(a), Ok(b)) => same_value(&a, &b),
            _ => false,
        };
        if !same {
            out.changed.insert(num, (rev, entry));
        }
    }
    out
}

/// The object numbers of the cross-reference streams the revisions' xref
/// sections are (§7.5.8), found by position: only the stream a revision's
/// `startxref`, `/Prev` or `/XRefStm` leads to is one, whatever /Type other
/// streams claim.
fn xref_stream_positions(pdf: &Pdf<'_>) -> BTreeSet<usize> {
    pdf.revisions().iter().flat_map(|r| r.sections.iter()).filter_map(|&at| pdf.object_at(at).ok()).map(|o| o.span.start).collect()
}

/// Every object the final revision's document references, from its
/// trailer's /Root, /Info and /Encrypt. A cross-reference or object stream
/// is reached only through xref entries, never through a reference; when
/// the walk stops at [`MAX_PDF_REACHABLE`], the objects not visited count as
/// referenced (the cautious reading): the set then holds [`WALK_TRUNCATED`].
/// Object 0 (never a real object, §7.5.4): marks a walk that stopped early.
const WALK_TRUNCATED: ObjId = ObjId { num: 0, gen: 0 };

fn document_references(pdf: &Pdf<'_>, last: usize) -> BTreeSet<ObjId> {
    let roots: Vec<ObjId> = [&b"Root"[..], b"Info", b"Encrypt"]
        .iter()
        .filter_map(|k| pdf.revisions()[..=last].iter().rev().find_map(|r| r.trailer.get(k)).and_then(Object::as_ref))
        .collect();
    let (mut seen, truncated) = reachable_bounded(pdf, last, roots, &[]);
    if truncated {
        seen.insert(WALK_TRUNCATED);
    }
    seen
}

/// Keys of a field, widget, annotation or page (ISO 32000-1 Tables 164,
/// 188, 220, 30): a dictionary with any of them is no document information
/// dictionary (§14.3.3 Table 317), whatever a trailer calls it.
const NOT_INFO_KEYS: &[&[u8]] =
    &[b"FT", b"T", b"V", b"Kids", b"Parent", b"Subtype", b"Rect", b"AP", b"Annots", b"Contents", b"Resources", b"MediaBox", b"Fields", b"P"];

/// An interactive form dictionary (ISO 32000-1 §12.7.2 Table 218) against
/// the signed revision's. Signing adds fields to /Fields and sets
/// /SigFlags: signature class. The variable-text defaults (/DR, /DA, /Q)
/// and /NeedAppearances change how field values are drawn: form class,
/// allowed where form filling is. Anything else (/XFA, which replaces the
/// form's rendering in XFA viewers, §12.7.8; /CO; fields removed from
/// /Fields) is an other change, as pyHanko's diff policy also judges.
fn acroform_change(pdf: &Pdf<'_>, signed: usize, last: usize, old: Option<&Dict>, new: Option<&Dict>) -> (Class, String) {
    let Some(new) = new else {
        return (Class::Other, "the form (AcroForm) is no dictionary".into());
    };
    let empty = Dict::default();
    let old = old.unwrap_or(&empty);
    let keys = changed_keys(old, new);
    let refs = |d: &Dict, rev: usize| -> BTreeSet<ObjId> {
        let mut ids = Vec::new();
        if let Some(f) = d.get(b"Fields").and_then(|f| pdf.resolve_as_of(f, rev).ok()) {
            refs_in(&f, &mut ids, &[]);
        }
        ids.into_iter().collect()
    };
    let mut class = Class::Structure;
    let mut other = BTreeSet::new();
    let mut form = BTreeSet::new();
    for k in &keys {
        match k.as_slice() {
            b"Fields" if refs(old, signed).is_subset(&refs(new, last)) => class = class.max(Class::Signature),
            b"SigFlags" => class = class.max(Class::Signature),
            b"DR" | b"DA" | b"Q" | b"NeedAppearances" => {
                form.insert(k.clone());
            }
            _ => {
                other.insert(k.clone());
            }
        }
    }
    if !other.is_empty() {
        (Class::Other, format!("the form (AcroForm): {} changed", key_list(&other)))
    } else if !form.is_empty() {
        (Class::FormField, format!("the form's defaults for drawing field values (AcroForm {})", key_list(&form)))
    } else {
        (class.max(Class::Signature), "the form's field list (AcroForm)".into())
    }
}

/// Collects and classifies the changes made after revision `signed`.
///
/// The order of the tests matters: the catalog is compared with the signed
/// revision's catalog before anything else, and the page tree's objects are
/// judged as pages, so no other reading (metadata, LTV data, a signature
/// value) can hide a change to what the document shows.
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
    // Objects kept in an object stream that a later revision redefines: their
    // xref entries stay as they were, but a reader takes them from the newest
    // copy of the stream (ISO 32000-1 §7.5.7), so each is compared by value.
    let members = rewritten_objstm_members(pdf, signed, &touched);
    let object_streams = members.streams;
    let member_nums: BTreeSet<u32> = members.changed.keys().copied().collect();
    touched.extend(members.changed);

    let catalog_id = revisions[last].trailer.get(b"Root").and_then(Object::as_ref);
    let latest = |id: ObjId| pdf.get_as_of(id, last).ok();
    let catalog_new = pdf.catalog_as_of(last).ok();
    let catalog_signed = pdf.catalog_as_of(signed).ok();
    // The page trees of both revisions: their objects are never LTV data, metadata or signatures.
    let (nodes_signed, pages_signed, trunc_signed) = page_tree(pdf, signed);
    let (nodes_new, pages_new, trunc_new) = page_tree(pdf, last);
    let mut not_ltv: BTreeSet<ObjId> = nodes_signed.union(&nodes_new).copied().collect();
    not_ltv.extend(catalog_id);
    let dss_set = catalog_new.as_ref().and_then(|c| c.get(b"DSS")).map(|d| ltv_objects(pdf, last, d, &not_ltv)).unwrap_or_default();
    let acroform_id = catalog_new.as_ref().and_then(|c| c.get(b"AcroForm")).and_then(Object::as_ref);
    // The document information dictionary is the one the signed revision's
    // trailer names (§14.3.3); a later trailer can name any object /Info, so
    // its choice counts only for an object the signed revision did not have.
    let info_of = |rev: usize| revisions[..=rev].iter().rev().find_map(|r| r.trailer.get(b"Info")).and_then(Object::as_ref);
    let (info_signed, info_new) = (info_of(signed), info_of(last));
    let xmp_id = catalog_new.as_ref().and_then(|c| c.get(b"Metadata")).and_then(Object::as_ref);
    let acroform_signed =
        catalog_signed.as_ref().and_then(|c| c.get(b"AcroForm")).and_then(|a| pdf.resolve_as_of(a, signed).ok()).and_then(|a| a.as_dict().cloned());
    // An AcroForm whose /Fields is an indirect array: that array grows when a
    // field is added, as a direct /Fields does (§12.7.2 Table 218).
    let fields_array_id = catalog_new
        .as_ref()
        .and_then(|c| c.get(b"AcroForm"))
        .and_then(|a| pdf.resolve_as_of(a, last).ok())
        .and_then(|a| a.as_dict().and_then(|a| a.get(b"Fields")).and_then(Object::as_ref));
    let fields_signed: BTreeSet<ObjId> = {
        let mut ids = Vec::new();
        if let Some(f) = acroform_signed.as_ref().and_then(|a| a.get(b"Fields")).and_then(|f| pdf.resolve_as_of(f, signed).ok()) {
            refs_in(&f, &mut ids, &[]);
        }
        ids.into_iter().collect()
    };
    // What the signed pages use (content, resources, fonts, XObjects, page
    // tree, optional content), their annotations aside.
    let (used, used_truncated) = match &catalog_signed {
        Some(signed_catalog) => {
            let mut roots = Vec::new();
            for key in [&b"Pages"[..], b"OCProperties"] {
                if let Some(v) = signed_catalog.get(key) {
                    refs_in(v, &mut roots, &[]);
                }
            }
            reachable_bounded(pdf, signed, roots, &[b"Parent", b"Annots", b"P", b"Dest", b"A"])
        }
        None => (BTreeSet::new(), false),
    };
    // By number as well: a later revision may redefine an object with another generation.
    let used_nums: BTreeSet<u32> = used.iter().map(|u| u.num).collect();
    let annotations = annotation_changes(pdf, signed, last, &pages_signed, &pages_new, &touched, &used_nums);
    out.shadow_truncated |= annotations.truncated;

    // Pages whose /Annots is an indirect array (§12.5.2, §7.3.10): the array
    // object, not the page, changes when an annotation is added.
    let annots_arrays: BTreeMap<ObjId, ObjId> = pages_new
        .iter()
        .filter_map(|p| {
            let page = pdf.get_as_of(*p, last).ok()?;
            dict_of(&page)?.get(b"Annots")?.as_ref().map(|a| (a, *p))
        })
        .collect();
    // First pass: classify annotations, fields and signatures; remember their appearances.
    let mut classes: BTreeMap<u32, (Class, String, Option<String>)> = BTreeMap::new();
    let mut appearance_of: BTreeMap<ObjId, (Class, Option<String>)> = BTreeMap::new();
    let mut annots_only: BTreeSet<u32> = BTreeSet::new();
    // The page each annotation list (a page, or its indirect /Annots array) belongs to.
    let mut list_page: BTreeMap<u32, u32> = BTreeMap::new();
    let mut added_fields: BTreeSet<u32> = BTreeSet::new();
    let mut overlays: BTreeSet<u32> = BTreeSet::new();
    let mut streams: BTreeSet<u32> = BTreeSet::new();
    // Objects that are nothing in particular (no catalog, page, form, field,
    // annotation, signature, metadata or validation data): only these can be
    // an appearance's streams and resources, whatever an appearance references.
    let mut generic: BTreeSet<u32> = BTreeSet::new();
    let mut catalog_shadow: Vec<String> = Vec::new();
    let xref_streams = xref_stream_positions(pdf);
    let mut referenced: Option<BTreeSet<ObjId>> = None;
    for (&num, (rev, entry)) in &touched {
        let id = id_of(num, entry);
        if num == 0 {
            continue; // the head of the free list, in every xref table
        }
        if let Entry::Free { .. } = entry {
            classes.insert(num, (Class::Other, format!("object {num} deleted in revision {}", rev + 1), None));
            continue;
        }
        let Some(obj) = latest(id) else {
            if member_nums.contains(&num) {
                // Its object stream was rewritten and no longer holds it readably.
                classes.insert(num, (Class::Other, format!("object {num}, unreadable from its rewritten object stream"), None));
            }
            continue;
        };
        let old = pdf.get_as_of(id, signed).ok().filter(|o| !o.is_null());
        if matches!(obj, Object::Stream(_)) {
            streams.insert(num);
        }
        let d = dict_of(&obj);
        let ty = d.and_then(|d| d.get_name(b"Type"));
        let subtype = d.and_then(|d| d.get_name(b"Subtype"));
        let in_page_tree = nodes_new.contains(&id) || nodes_signed.contains(&id);
        // Plumbing only when it is what it says (§7.5.7, §7.5.8): the xref
        // stream a revision's section is, or an object stream xref entries
        // name, and no object of the document references it (a form
        // XObject labelled /Type /XRef is still drawn as an appearance).
        let plumbing = matches!(obj, Object::Stream(_))
            && !in_page_tree
            && match ty {
                Some(b"XRef") => pdf.object_span(id, last).is_some_and(|sp| xref_streams.contains(&sp.start)),
                Some(b"ObjStm") => object_streams.contains(&num),
                _ => false,
            }
            && referenced.get_or_insert_with(|| document_references(pdf, last)).is_disjoint(&[id, WALK_TRUNCATED].into());
        let (class, what, field) = if plumbing {
            let what = if ty == Some(b"ObjStm") { "object stream (the objects it holds are compared one by one)" } else { "cross-reference stream" };
            (Class::Structure, what.to_string(), None)
        } else if Some(id) == catalog_id {
            // Against the signed revision's catalog, whatever object number each has (§7.7.2).
            let old_cat = catalog_signed.clone().unwrap_or_default();
            let keys = d.map(|d| changed_keys(&old_cat, d)).unwrap_or_default();
            // Version bumps, developer extensions (ESIC) and XMP metadata come with any incremental save.
            let harmless_ltv: BTreeSet<Vec<u8>> = [b"DSS".to_vec(), b"Extensions".to_vec(), b"Version".to_vec(), b"Metadata".to_vec()].into();
            let mut harmless_sig = harmless_ltv.clone();
            harmless_sig.extend([b"AcroForm".to_vec(), b"Perms".to_vec()]);
            let visible: BTreeSet<Vec<u8>> = [b"Pages".to_vec(), b"OCProperties".to_vec()].into();
            if keys.intersection(&visible).next().is_some() {
                catalog_shadow.push(format!("the catalog's {} in revision {}", key_list(&keys.intersection(&visible).cloned().collect()), rev + 1));
            }
            // A direct AcroForm dictionary is judged key by key, as an indirect one is.
            let direct_form = d.and_then(|d| d.get(b"AcroForm")).and_then(Object::as_dict).filter(|_| keys.contains(&b"AcroForm"[..]));
            let form = direct_form.map(|f| acroform_change(pdf, signed, last, acroform_signed.as_ref(), Some(f)));
            if let Some((class, what)) = form.filter(|(c, _)| *c > Class::Signature && keys.is_subset(&harmless_sig)) {
                (class, format!("catalog ({}): {what}", key_list(&keys)), None)
            } else if keys.is_subset(&harmless_ltv) {
                (Class::Ltv, format!("catalog ({})", key_list(&keys)), None)
            } else if keys.is_subset(&harmless_sig) {
                (Class::Signature, format!("catalog ({})", key_list(&keys)), None)
            } else {
                (Class::Other, format!("catalog entries {} changed", key_list(&keys)), None)
            }
        } else if in_page_tree && ty != Some(b"Page") {
            (Class::Other, "a page tree node".into(), None)
        } else if ty == Some(b"Page") || in_page_tree {
            let old_page = old.as_ref().and_then(dict_of).cloned().unwrap_or_default();
            let keys = d.map(|d| changed_keys(&old_page, d)).unwrap_or_default();
            if !keys.is_empty() && keys.iter().all(|k| k == b"Annots") {
                annots_only.insert(num);
                list_page.insert(num, num);
                // The list grew: by widgets of new fields (signing, form fill) or by annotations.
                let (now, before) = (annotation_refs(pdf, d, last), annotation_refs(pdf, Some(&old_page), signed));
                let class = annotation_list_class(pdf, last, &now, &before);
                (class, "a page's annotation list".into(), None)
            } else {
                (Class::Other, format!("page dictionary ({} changed)", key_list(&keys)), None)
            }
        } else if (Some(id) == info_signed || Some(id) == info_new && old.is_none())
            && matches!(obj, Object::Dict(_))
            && ty.is_none()
            && d.is_some_and(|d| !NOT_INFO_KEYS.iter().any(|k| d.get(k).is_some()))
        {
            (Class::Metadata, "document information dictionary".into(), None)
        } else if Some(id) == xmp_id && matches!(obj, Object::Stream(_)) && ty == Some(b"Metadata") {
            (Class::Metadata, "XMP metadata".into(), None)
        } else if dss_set.contains(&id) {
            (Class::Ltv, "DSS / validation data".into(), None)
        } else if matches!(ty, Some(b"Sig") | Some(b"DocTimeStamp")) || d.is_some_and(|d| d.get(b"ByteRange").is_some()) {
            let class = if ty == Some(b"DocTimeStamp") { Class::Ltv } else { Class::Signature };
            (class, "signature value".into(), None)
        } else if Some(id) == acroform_id {
            let (class, what) = acroform_change(pdf, signed, last, acroform_signed.as_ref(), d);
            (class, what, None)
        } else if let Some(dd) = d.filter(|dd| {
            dd.get(b"FT").is_some() || dd.get(b"T").is_some() && (dd.get(b"Parent").is_some() || dd.get(b"Kids").is_some()) || subtype == Some(b"Widget")
        }) {
            let ft = field_type(pdf, last, dd);
            let name = full_field_name(pdf, last, dd);
            let label = name.as_deref().unwrap_or("(unnamed widget)");
            let is_sig = ft.as_deref() == Some(b"Sig");
            if old.is_none() {
                // A field or widget that did not exist when the document was signed.
                let signed_value = dd.get(b"V").and_then(|v| pdf.resolve_as_of(v, last).ok()).is_some_and(|v| !v.is_null());
                if is_sig && !signed_value && paints(pdf, last, dd) {
                    overlays.insert(num);
                }
                if !is_sig {
                    added_fields.insert(num);
                }
            }
            let class = if is_sig { Class::Signature } else { Class::FormField };
            let verb = if old.is_none() { "new " } else { "" };
            (class, format!("{verb}{} {label}", if is_sig { "signature field" } else { "form field" }), name)
        } else if ty == Some(b"Annot") || subtype.is_some_and(|s| ANNOTATION_SUBTYPES.contains(&s)) {
            (Class::Annotation, format!("/{} annotation", String::from_utf8_lossy(subtype.unwrap_or(b"Annot"))), None)
        } else if Some(id) == fields_array_id && matches!(obj, Object::Array(_)) {
            let mut now = Vec::new();
            refs_in(&obj, &mut now, &[]);
            let now: BTreeSet<ObjId> = now.into_iter().collect();
            if fields_signed.is_subset(&now) {
                (Class::Signature, "the form's field list (the AcroForm's /Fields array)".into(), None)
            } else {
                (Class::Other, "the form's field list (the AcroForm's /Fields array), with fields removed".into(), None)
            }
        } else if let Some(page) = annots_arrays.get(&id).filter(|_| matches!(obj, Object::Array(_)) && !used_nums.contains(&num)) {
            // A page's indirect /Annots array: it grows when an annotation is
            // added, as a direct /Annots on a replaced page dictionary does.
            annots_only.insert(num);
            list_page.insert(num, page.num);
            let mut now = Vec::new();
            refs_in(&obj, &mut now, &[]);
            let old_page = pdf.get_as_of(*page, signed).ok();
            let before = annotation_refs(pdf, old_page.as_ref().and_then(dict_of), signed);
            let class = annotation_list_class(pdf, last, &now.into_iter().collect(), &before);
            (class, "a page's annotation list (its indirect /Annots array)".into(), None)
        } else if let (Some(Object::Array(_)), Some(Object::Array(_))) = (Some(&obj), old.as_ref()) {
            generic.insert(num);
            (Class::Other, "an array".into(), None)
        } else {
            generic.insert(num);
            (Class::Other, format!("{} {}", if old.is_some() { "replaced" } else { "added" }, obj.type_name()), None)
        };
        if matches!(class, Class::Annotation | Class::FormField | Class::Signature) {
            if let Some(ap) = d.and_then(|d| d.get(b"AP")) {
                let mut roots = Vec::new();
                refs_in(ap, &mut roots, &[]);
                for r in reachable(pdf, last, roots, &[b"Parent"]) {
                    appearance_of.insert(r, (class, field.clone()));
                }
            }
        }
        let what = match entry {
            Entry::Compressed { stream, .. } if member_nums.contains(&num) => {
                format!("{what}, held in object stream {stream} rewritten in revision {}", rev + 1)
            }
            _ => what,
        };
        classes.insert(num, (class, what, field));
    }
    // Second pass: an "other" object that only a changed annotation's or field's
    // appearance uses belongs to that annotation or field (a new appearance stream).
    // One that an unchanged field's appearance uses stays "other" but names the
    // field, so FieldMDP locks see it (a redefined appearance changes what the field shows).
    // An object the appearance of an annotation the signed pages showed uses
    // is that annotation's (unless the pages' content uses it too).
    let mut field_aps: Option<BTreeMap<ObjId, String>> = None;
    let mut appearances: BTreeSet<u32> = BTreeSet::new();
    for (&num, (rev, entry)) in &touched {
        let id = id_of(num, entry);
        let reclassify = |c: &Class| matches!(c, Class::Structure | Class::Metadata) || *c == Class::Other && generic.contains(&num);
        if let Some((_, what, field)) = classes.get(&num).cloned().filter(|(c, _, _)| reclassify(c)) {
            if let Some((c, f)) = appearance_of.get(&id) {
                classes.insert(num, (*c, format!("appearance ({what})"), f.clone().or(field)));
                appearances.insert(num);
            } else if field.is_none() {
                let aps = field_aps.get_or_insert_with(|| field_appearances(pdf, last, catalog_new.as_ref().and_then(|c| c.get(b"AcroForm"))));
                if let Some(name) = aps.get(&id) {
                    classes.insert(num, (Class::Other, format!("appearance of form field {name} ({what})"), Some(name.clone())));
                } else if let Some(annot) = annotations.appearance_owner.get(&id).filter(|_| !used_nums.contains(&num)) {
                    classes.insert(num, (Class::Annotation, format!("appearance of the {annot} ({what})"), None));
                    appearances.insert(num);
                } else if let Some(annot) = annotations.value_owner.get(&id).filter(|_| !used_nums.contains(&num)) {
                    classes.insert(num, (Class::Annotation, format!("a value of the {annot} ({what})"), None));
                }
            }
        }
        if let Some((class, what, field)) = classes.get(&num).cloned() {
            out.list.push(Change {
                num,
                revision: *rev,
                class,
                what,
                field,
                annots_only: annots_only.contains(&num),
                added_field: added_fields.contains(&num),
                overlay: overlays.contains(&num),
                role: if annots_only.contains(&num) {
                    Role::AnnotationList
                } else if appearances.contains(&num) && streams.contains(&num) {
                    Role::AppearanceStream
                } else if appearances.contains(&num) {
                    Role::AppearanceResource
                } else {
                    Role::Itself
                },
                list_of: list_page.get(&num).copied(),
            });
        }
    }

    // Shadow: objects the signed revision's pages and optional content use.
    out.shadow.extend(catalog_shadow);
    // The pages shown now must be the pages signed (§7.7.3): a new page tree, or
    // pages added, removed or reordered, show another document even when no
    // object the signed pages use was redefined.
    if pages_new != pages_signed && !trunc_new && !trunc_signed {
        out.shadow.push(format!(
            "the page tree lists other pages than revision {} ({} page(s), {} then{})",
            signed + 1,
            pages_new.len(),
            pages_signed.len(),
            if pages_new.iter().any(|p| !pages_signed.contains(p)) { ", some of them new objects" } else { "" }
        ));
    }
    out.shadow_truncated |= trunc_new || trunc_signed || used_truncated;
    for c in &out.list {
        if touched.contains_key(&c.num) && used_nums.contains(&c.num) && !c.annots_only {
            out.shadow.push(format!("object {} ({}) in revision {}", c.num, c.what, c.revision + 1));
        }
    }
    out.annotations_added = annotations.added;
    out.annotations_changed = annotations.changed;
    out.annotations_touched = annotations.undrawn;
    out
}

/// `mod.changes`: what changed after the signature or document timestamp `by`.
///
/// The summary counts annotations, fields, signatures and the other
/// objects by what they are; a page whose /Annots list grew and the
/// streams and resources of an appearance are counted as such. It warns
/// for changes outside forms, annotations and validation data, for
/// annotations added to the pages or changed on them (drawn over the page,
/// an annotation can cover or imitate signed content, whatever DocMDP
/// allows), for signature fields that hold no signature but paint, and for
/// bytes outside any revision. An annotation the signed pages showed whose
/// dictionary changed only in keys nothing drawn or said depends on (/M, /P,
/// /Popup) passes, named with those keys: the pages show what was signed.
pub fn changes_check(ch: &Changes, by: Attestation) -> Check {
    let id = CheckId::ModChanges;
    let mut by_class: BTreeMap<Class, usize> = BTreeMap::new();
    let mut by_role: BTreeMap<Role, usize> = BTreeMap::new();
    // A page and the new indirect /Annots array it names are one list.
    let mut lists: BTreeSet<u32> = BTreeSet::new();
    for c in &ch.list {
        match c.role {
            Role::Itself => *by_class.entry(c.class).or_default() += 1,
            Role::AnnotationList if !lists.insert(c.list_of.unwrap_or(c.num)) => {}
            role => *by_role.entry(role).or_default() += 1,
        }
    }
    let mut summary: Vec<String> = by_class.iter().filter(|(c, _)| **c != Class::Structure).map(|(c, n)| format!("{n} {}", c.name())).collect();
    for (role, n) in &by_role {
        let what = match role {
            Role::Itself => continue,
            Role::AnnotationList => "page annotation list(s)",
            Role::AppearanceStream => "appearance stream(s)",
            Role::AppearanceResource => "appearance resource(s)",
        };
        summary.push(format!("{n} {what}"));
    }
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
    let overlays: Vec<String> = ch.list.iter().filter(|c| c.overlay).map(|c| format!("object {} ({}) in revision {}", c.num, c.what, c.revision + 1)).collect();
    if !overlays.is_empty() {
        facts.push(Fact::list("unsigned_signature_fields", overlays.clone()));
    }
    if !ch.annotations_changed.is_empty() {
        facts.push(Fact::list("changed_annotations", ch.annotations_changed.clone()));
    }
    if !ch.annotations_added.is_empty() {
        facts.push(Fact::list("added_annotations", ch.annotations_added.clone()));
    }
    if !ch.annotations_touched.is_empty() {
        facts.push(Fact::list("annotations_changed_undrawn_keys", ch.annotations_touched.clone()));
    }
    let (after, done) = (by.after(), by.done());
    let mut warnings = Vec::new();
    if !others.is_empty() {
        warnings.push(format!("{} object(s) outside forms, annotations and validation data were added or replaced", others.len()));
    }
    if !ch.annotations_changed.is_empty() {
        warnings.push(format!(
            "{} annotation(s) the {done} pages showed were changed or removed, so the pages no longer show what was {done}: {}",
            ch.annotations_changed.len(),
            ch.annotations_changed.join("; ")
        ));
    }
    if !ch.annotations_added.is_empty() {
        // ISO 32000-1 §12.5: an annotation is drawn over the page. The
        // "evil annotation" attack (Mainka et al., IEEE S&P 2021) paints
        // new content over certified content with one.
        warnings.push(format!(
            "{} annotation(s) were added to the pages; drawn over the page, they may hide or imitate {done} content: {}",
            ch.annotations_added.len(),
            ch.annotations_added.join("; ")
        ));
    }
    if !overlays.is_empty() {
        // Mainka et al. 2021 ("sneaky signature"): an empty signature field is
        // legitimate preparation for the next signer, but a visible one can
        // paint over what was signed.
        warnings.push(format!(
            "{} signature field(s) that hold no signature but paint a visible appearance were added: they can cover what was {done}",
            overlays.len()
        ));
    }
    if !warnings.is_empty() {
        return Check::warn(id, format!("{after}, {}", warnings.join("; "))).with_all(facts);
    }
    if ch.trailing_bytes > 0 {
        return Check::warn(
            id,
            format!("{} bytes follow the last %%EOF outside any revision: content appended without a cross-reference section", ch.trailing_bytes),
        )
        .with_all(facts);
    }
    if ch.later_revisions == 0 {
        return Check::pass(id, format!("nothing was changed {after}")).with_all(facts);
    }
    if summary.is_empty() {
        return Check::pass(id, format!("{after} only cross-reference data was added")).with_all(facts);
    }
    // ISO 32000-1 §12.5.2 Table 164, §12.5.6.2 Table 170: no appearance and no
    // text of the annotation depends on these keys; named, not warned about.
    let touched = if ch.annotations_touched.is_empty() {
        String::new()
    } else {
        format!(
            "; {} annotation(s) the {done} pages showed changed only in keys that neither what is drawn nor what they say depends on: {}",
            ch.annotations_touched.len(),
            ch.annotations_touched.join("; ")
        )
    };
    Check::pass(id, format!("{after} only {} were added or replaced{touched}", summary.join(", "))).with_all(facts)
}

/// `mod.changes` for a signature whose signed bytes end at no revision of
/// the document (coverage CONTIGUOUS_BLOCK_FROM_START): the revisions are
/// those the cross-reference chain from the last `startxref` through /Prev
/// reaches (ISO 32000-1 §7.5.5, §7.5.6), and the signed bytes are none of
/// them. What the signer signed is then not a revision of what readers show
/// (an update whose /Prev skips the signed revision makes them show an
/// earlier state, and hides the signature itself), so the changes after
/// signing cannot be judged at all: that fails, as a redefined page would.
pub fn unrelated_revision_check(pdf: &Pdf<'_>, signed_end: usize, by: Attestation) -> Check {
    let data = pdf.data();
    let eof_here = signed_end >= 5 && data[..signed_end].trim_ascii_end().ends_with(b"%%EOF");
    let why = if eof_here {
        "they end at an %%EOF, but the final cross-reference chain (startxref and /Prev) skips that revision"
    } else {
        "they end at no %%EOF the final cross-reference chain (startxref and /Prev) reaches"
    };
    Check::fail(
        CheckId::ModChanges,
        format!(
            "the {} covers bytes 0 to {signed_end}, and {why}: the {done} revision is not part of the document readers show, so what they show cannot be related to what was {done}",
            by.noun(),
            done = by.done()
        ),
    )
    .with(Fact::int("signed_end", signed_end as i64))
}

/// `mod.shadow`: whether what the signed pages show can differ from what was signed.
///
/// The annotations the signed pages showed are part of what was signed:
/// one changed or removed later fails, unless the signature is a
/// certification with DocMDP /P 3, which allows changing and deleting
/// annotations (ISO 32000-1 §12.8.2.2 Table 254); `mod.changes` still warns then.
pub fn shadow_check(ch: &Changes, docmdp: Option<i64>, by: Attestation) -> Check {
    let (after, done) = (by.after(), by.done());
    let annotations_allowed = docmdp == Some(3);
    let mut redefined = ch.shadow.clone();
    if !annotations_allowed {
        redefined.extend(ch.annotations_changed.iter().map(|a| format!("the {a}")));
    }
    if ch.shadow_truncated && redefined.is_empty() {
        return Check::fail(
            CheckId::ModShadow,
            format!("the {done} pages use more than {MAX_PDF_REACHABLE} objects; the rest were not checked for redefinition {after}"),
        );
    }
    if redefined.is_empty() {
        let message = if ch.annotations_changed.is_empty() {
            format!("no object the {done} pages use was redefined {after}")
        } else {
            format!(
                "no object the {done} pages' content uses was redefined {after}; {} of their annotations changed, which DocMDP /P 3 allows (see mod.changes)",
                ch.annotations_changed.len()
            )
        };
        Check::pass(CheckId::ModShadow, message)
    } else {
        let what = if redefined.len() > ch.shadow.len() {
            format!("what the {done} pages show (objects they use, or annotations they showed) was changed {after}")
        } else {
            format!("objects the {done} pages use were redefined {after}")
        };
        Check::fail(CheckId::ModShadow, format!("{what}, so the document shown may differ from the one {done}: {}", redefined.join("; ")))
            .with(Fact::list("redefined", redefined))
    }
}

/// A FieldMDP lock (ISO 32000-1 §12.8.2.4 Table 256, §12.7.4.5 Table 233),
/// with the fully qualified field names (§12.7.3.2) of its /Fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldLock {
    /// /Action /All: every field.
    All,
    /// /Action /Include: the fields named.
    Include(Vec<String>),
    /// /Action /Exclude: every field except those named.
    Exclude(Vec<String>),
}

/// `name` is the field `listed` or one of its descendants: locking a
/// non-terminal field locks the values its kids hold.
fn names_field(listed: &str, name: &str) -> bool {
    name.strip_prefix(listed).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

impl FieldLock {
    /// Whether this lock covers the field `name` (`None`: a widget with no
    /// name anywhere on its /Parent chain, which only /All and /Exclude can be
    /// said to cover).
    pub fn locks(&self, name: Option<&str>) -> bool {
        match (self, name) {
            (FieldLock::All, _) => true,
            (FieldLock::Include(list), Some(n)) => list.iter().any(|l| names_field(l, n)),
            (FieldLock::Include(_), None) => false,
            (FieldLock::Exclude(list), Some(n)) => !list.iter().any(|l| names_field(l, n)),
            (FieldLock::Exclude(_), None) => true,
        }
    }
}

/// `mod.docmdp`: changes after a certification signature against its /P
/// (ISO 32000-1 §12.8.2.2 Table 254) and after any signature against its
/// FieldMDP locks (§12.8.2.4).
///
/// /P 1 allows only validation data and document timestamps (ETSI EN 319
/// 142-1 §5.4); /P 2 filling in the fields the signed revision has and
/// signing (new signature fields with their values); /P 3 also annotations,
/// which here includes new form fields (a widget is an annotation). A lock
/// covers the changes to a field's dictionary, its widgets and their
/// appearances, matched by fully qualified name.
pub fn docmdp_check(ch: &Changes, p: Option<i64>, locks: &[FieldLock]) -> Option<Check> {
    if p.is_none() && locks.is_empty() {
        return None;
    }
    let id = CheckId::ModDocMdp;
    let mut violations = Vec::new();
    if let Some(p) = p {
        for c in &ch.list {
            let allowed = match c.class {
                Class::Structure | Class::Ltv | Class::Metadata => true,
                Class::FormField if c.added_field => p >= 3,
                Class::Signature | Class::FormField => p >= 2,
                Class::Annotation => p >= 3,
                Class::Other => false,
            };
            if !allowed {
                let why = if c.added_field && c.class == Class::FormField { ", a field the signed revision did not have" } else { "" };
                violations.push(format!("{} ({}{why}) in revision {}", c.what, c.class.name(), c.revision + 1));
            }
        }
    }
    for c in ch.list.iter().filter(|c| c.class == Class::FormField || c.field.is_some() && c.class != Class::Signature) {
        if locks.iter().any(|l| l.locks(c.field.as_deref())) {
            violations.push(format!("{} is locked by FieldMDP", c.what));
        }
    }
    let rule = match p {
        Some(1) => "DocMDP /P 1: no changes except validation data and document timestamps".to_string(),
        Some(2) => "DocMDP /P 2: filling in existing form fields and signing only".to_string(),
        Some(3) => "DocMDP /P 3: form filling, signing and annotations".to_string(),
        Some(other) => format!("DocMDP /P {other}"),
        None => "FieldMDP locks".to_string(),
    };
    let rule = if p.is_some() && !locks.is_empty() { format!("{rule} and FieldMDP locks") } else { rule };
    Some(if violations.is_empty() {
        Check::pass(id, format!("the changes after signing respect {rule}"))
    } else {
        Check::fail(id, format!("changes after signing break {rule}: {}", violations.join("; "))).with(Fact::list("violations", violations))
    })
}
