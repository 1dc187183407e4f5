//! Files made by other writers (reportlab, qpdf, pyHanko; see
//! `../testdata/README.md`), checked against pyHanko's reading of them
//! (`../testdata/summary.json`).

use crate::pdf::*;
use serde_json::Value;
use std::collections::BTreeSet;

const FILES: &[(&str, &[u8])] = &[
    ("signed-linearized.pdf", include_bytes!("../testdata/signed-linearized.pdf")),
    ("signed-twice-tables.pdf", include_bytes!("../testdata/signed-twice-tables.pdf")),
    ("signed-xref-streams.pdf", include_bytes!("../testdata/signed-xref-streams.pdf")),
];

fn summary() -> Value {
    serde_json::from_str(include_str!("../testdata/summary.json")).unwrap()
}

/// (num, gen) of the in-use and compressed entries of a revision.
fn in_use(rev: &Revision) -> BTreeSet<(u64, u64)> {
    rev.entries
        .iter()
        .filter_map(|(n, e)| match e {
            Entry::InUse { gen, .. } => Some((u64::from(*n), u64::from(*gen))),
            Entry::Compressed { .. } => Some((u64::from(*n), 0)),
            Entry::Free { .. } => None,
        })
        .collect()
}

#[test]
fn revisions_match_pyhanko() {
    let summary = summary();
    for (name, data) in FILES {
        let expected = &summary[name];
        assert_eq!(expected["size"].as_u64(), Some(data.len() as u64), "{name}: summary.json is stale");
        let pdf = Pdf::parse(data).unwrap();
        assert!(pdf.problems().is_empty(), "{name}: {:?}", pdf.problems());
        assert_eq!(pdf.bytes_after_last_eof(), 0);
        // pyHanko counts a linearized file's two sections as two revisions;
        // we join them. Each of our revisions must hold exactly the sections
        // (and so the objects) of one or more consecutive pyHanko revisions.
        let theirs = expected["revisions"].as_array().unwrap();
        let mut used = 0;
        for rev in pdf.revisions() {
            let mut objects = BTreeSet::new();
            for t in theirs.iter().filter(|t| rev.sections.contains(&(t["xref"].as_u64().unwrap() as usize))) {
                used += 1;
                for pair in t["in_use"].as_array().unwrap() {
                    objects.insert((pair[0].as_u64().unwrap(), pair[1].as_u64().unwrap()));
                }
            }
            assert_eq!(in_use(rev), objects, "{name}: revision at {}", rev.xref_offset);
        }
        assert_eq!(used, theirs.len(), "{name}");
        // Every signature covers exactly one revision: its ByteRange ends
        // where that revision's %%EOF line ends.
        for sig in expected["signatures"].as_array().unwrap() {
            let br: Vec<u64> = sig["byte_range"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            let covered = (br[2] + br[3]) as usize;
            assert!(pdf.revisions().iter().any(|r| r.end == covered), "{name}: {sig} ends at {covered}");
        }
        // Every object of every revision reads, every stream decodes.
        for (i, rev) in pdf.revisions().iter().enumerate() {
            for (num, entry) in &rev.entries {
                let gen = match entry {
                    Entry::InUse { gen, .. } => *gen,
                    Entry::Compressed { .. } => 0,
                    Entry::Free { .. } => continue,
                };
                let obj = pdf.get_as_of(ObjId::new(*num, gen), i).unwrap();
                assert!(!obj.is_null(), "{name}: {num} {gen} R in revision {i}");
                if let Object::Stream(s) = &obj {
                    pdf.decode_stream(s).unwrap();
                }
                assert!(pdf.object_span(ObjId::new(*num, gen), i).is_some());
            }
        }
        assert!(pdf.problems().is_empty(), "{name}: {:?}", pdf.problems());
    }
}

#[test]
fn signature_contents_span_the_byte_range_gap() {
    for (name, data) in FILES {
        let pdf = Pdf::parse(data).unwrap();
        let catalog = pdf.catalog().unwrap();
        let acroform = pdf.resolve(catalog.get(b"AcroForm").unwrap()).unwrap();
        let fields = pdf.resolve(acroform.as_dict().unwrap().get(b"Fields").unwrap()).unwrap();
        let mut seen = 0;
        for f in fields.as_array().unwrap() {
            let field = pdf.resolve(f).unwrap();
            let Some(v) = field.as_dict().unwrap().get(b"V") else { continue };
            let sig = pdf.resolve(v).unwrap();
            let sig = sig.as_dict().unwrap();
            let br: Vec<usize> = sig.get(b"ByteRange").unwrap().as_array().unwrap().iter().map(|o| o.as_int().unwrap() as usize).collect();
            let contents = sig.get(b"Contents").unwrap().as_str().unwrap();
            assert!(contents.hex);
            assert_eq!(contents.span, br[1]..br[2], "{name}");
            seen += 1;
        }
        assert!(seen >= 1, "{name}");
        // The scan finds the signature dictionaries too.
        let sigs = pdf.scan_objects().filter_map(|(_, off)| pdf.object_at(off).ok()).filter(|o| o.object.as_dict().is_some_and(|d| d.has_type(b"Sig"))).count();
        assert_eq!(sigs, seen, "{name}");
    }
}

/// Prints the newest cross-reference entries of the files named in
/// `SIGAUDIT_PDF` (separated by `:`) as `qpdf --show-xref` does, then the
/// revisions and problems; compare with `diff <(qpdf --show-xref f.pdf) ...`.
#[test]
#[ignore = "a tool: reads files named in SIGAUDIT_PDF"]
fn dump() {
    let Ok(paths) = std::env::var("SIGAUDIT_PDF") else { return };
    for path in paths.split(':') {
        let data = std::fs::read(path).unwrap();
        let t = std::time::Instant::now();
        let pdf = match Pdf::parse(&data) {
            Ok(p) => p,
            Err(e) => {
                println!("== {path}: {e}");
                continue;
            }
        };
        let opened = t.elapsed();
        println!("== {path}: opened in {opened:?}");
        let last = pdf.revisions().len() - 1;
        let mut nums = BTreeSet::new();
        for r in pdf.revisions() {
            nums.extend(r.entries.keys().copied());
        }
        for num in nums {
            match pdf.entry_as_of(num, last) {
                Some((_, Entry::InUse { offset, gen })) => println!("{num}/{gen}: uncompressed; offset = {offset}"),
                Some((_, Entry::Compressed { stream, index })) => {
                    println!("{num}/0: compressed; stream = {stream}, index = {index}")
                }
                _ => {}
            }
        }
        let mut errors = 0;
        for (i, rev) in pdf.revisions().iter().enumerate() {
            println!("# revision {i}: {:?} at {} (sections {:?}), {} entries, ends at {}", rev.kind, rev.xref_offset, rev.sections, rev.entries.len(), rev.end);
            for (num, entry) in &rev.entries {
                let gen = match entry {
                    Entry::InUse { gen, .. } => *gen,
                    Entry::Compressed { .. } => 0,
                    Entry::Free { .. } => continue,
                };
                match pdf.get_as_of(ObjId::new(*num, gen), i) {
                    Ok(Object::Stream(s)) => {
                        if let Err(e) = pdf.decode_stream(&s) {
                            if !matches!(e, PdfError::UnsupportedFilter { .. }) {
                                println!("# {num} {gen} R: {e}");
                                errors += 1;
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        println!("# {num} {gen} R: {e}");
                        errors += 1;
                    }
                }
            }
        }
        println!("# {errors} errors, after last %%EOF {} bytes", pdf.bytes_after_last_eof());
        for p in pdf.problems() {
            println!("# problem: {p}");
        }
    }
}
