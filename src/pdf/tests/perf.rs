//! Opening a large file costs the same as a small one: a 100 MB PDF of 1,000
//! pages is built in memory and opened (xref, trailer, catalog, AcroForm,
//! signature dictionary). Ignored by default (it allocates 100 MB); run with
//! `cargo test --release --lib pdf::tests::perf -- --ignored --nocapture`.

use super::builder::Builder;
use crate::pdf::*;
use std::time::Instant;

const PAGES: u32 = 1_000;
const CONTENT_BYTES: usize = 100_000;

/// The document: catalog 1, page tree 2 (ten intermediate nodes of 100
/// pages), AcroForm 3 with one signature field 4 and signature 5, pages and
/// their uncompressed content streams from object 100 on; then an
/// incremental update adding a second signature field. With `xref_stream`,
/// both sections are cross-reference streams and the small dictionaries sit
/// in an object stream.
fn big_pdf(xref_stream: bool) -> Vec<u8> {
    let mut b = Builder::new();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut content = vec![0u8; CONTENT_BYTES];
    let contents_hex = "0".repeat(16_384);
    let mut small = vec![
        (1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>".to_string()),
        (3, "<< /Fields [4 0 R] /SigFlags 3 >>".to_string()),
        (4, "<< /FT /Sig /T (Signature1) /V 5 0 R /Type /Annot /Subtype /Widget /P 100 0 R >>".to_string()),
    ];
    let node = |k: u32| 10 + k;
    let kids: Vec<String> = (0..10).map(|k| format!("{} 0 R", node(k))).collect();
    small.push((2, format!("<< /Type /Pages /Kids [{}] /Count {PAGES} >>", kids.join(" "))));
    for k in 0..10 {
        let pages: Vec<String> = (0..100).map(|i| format!("{} 0 R", 100 + 2 * (k * 100 + i))).collect();
        small.push((node(k), format!("<< /Type /Pages /Parent 2 0 R /Kids [{}] /Count 100 >>", pages.join(" "))));
    }
    b.obj(5, &format!("<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 0 0 0] /Contents <{contents_hex}> >>"));
    for p in 0..PAGES {
        let page = 100 + 2 * p;
        b.obj(page, &format!("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Contents {} 0 R >>", node(p / 100), page + 1));
        for chunk in content.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
        }
        b.stream(page + 1, "", &content);
    }
    if xref_stream {
        let refs: Vec<(u32, &str)> = small.iter().map(|(n, s)| (*n, s.as_str())).collect();
        b.objstm(50, &refs);
        b.xref_stream(51, "/Root 1 0 R", true);
        b.obj(3, "<< /Fields [4 0 R 6 0 R] /SigFlags 3 >>");
        b.obj(6, "<< /FT /Sig /T (Signature2) >>");
        b.xref_stream(52, "/Root 1 0 R", true);
    } else {
        for (n, s) in &small {
            b.obj(*n, s);
        }
        b.xref_table("/Root 1 0 R");
        b.obj(3, "<< /Fields [4 0 R 6 0 R] /SigFlags 3 >>");
        b.obj(6, "<< /FT /Sig /T (Signature2) >>");
        b.xref_table("/Root 1 0 R");
    }
    b.finish()
}

/// Opens the file and reads what a signature check needs first; returns
/// the signature's /Contents length.
fn open_and_read_signature(data: &[u8]) -> usize {
    let pdf = Pdf::parse(data).unwrap();
    assert_eq!(pdf.revisions().len(), 2);
    let catalog = pdf.catalog().unwrap();
    let acroform = pdf.resolve(catalog.get(b"AcroForm").unwrap()).unwrap();
    let fields = acroform.as_dict().unwrap().get(b"Fields").unwrap().as_array().unwrap().to_vec();
    assert_eq!(fields.len(), 2);
    let field = pdf.resolve(&fields[0]).unwrap();
    let sig = pdf.resolve(field.as_dict().unwrap().get(b"V").unwrap()).unwrap();
    let contents = sig.as_dict().unwrap().get(b"Contents").unwrap().as_str().unwrap().clone();
    assert!(pdf.problems().is_empty());
    contents.bytes.len()
}

#[test]
#[ignore = "builds a 100 MB file; run with --ignored --nocapture to see timings"]
fn opening_a_100_mb_file_is_fast() {
    for xref_stream in [false, true] {
        let t = Instant::now();
        let data = big_pdf(xref_stream);
        let built = t.elapsed();
        assert!(data.len() > 100_000_000);
        // Warm up once, then time several runs and keep the best.
        assert_eq!(open_and_read_signature(&data), 8192);
        let mut best = std::time::Duration::MAX;
        for _ in 0..20 {
            let t = Instant::now();
            open_and_read_signature(&data);
            best = best.min(t.elapsed());
        }
        let pdf = Pdf::parse(&data).unwrap();
        let t = Instant::now();
        let pages = (0..PAGES).filter(|p| pdf.get(ObjId::new(100 + 2 * p, 0)).is_ok()).count();
        let all_pages = t.elapsed();
        let t = Instant::now();
        let headers = pdf.scan_objects().count();
        let scan = t.elapsed();
        println!(
            "{} MB, {}: built in {built:?}; open + catalog + AcroForm + signature: {best:?}; \
             all {pages} page dictionaries: {all_pages:?}; full scan ({headers} headers): {scan:?}",
            data.len() / 1_000_000,
            if xref_stream { "xref streams + object stream" } else { "xref tables" },
        );
        assert!(best.as_millis() < 50, "opening took {best:?}");
    }
}
