//! The fuzz harnesses, shared by `fuzz/fuzz_targets/*.rs` (libFuzzer, nightly)
//! and `tests/fuzz_replay.rs` (plain `cargo test`), so a crasher saved under
//! `fuzz/regressions/<target>/` replays through exactly the code the fuzzer ran.
//! Not part of the public interface.

use crate::{Blob, Evidence, Options, Policy};
use std::sync::{Arc, OnceLock};

/// Every fuzz target, by the name of its `fuzz/fuzz_targets/<name>.rs`.
pub const TARGETS: &[&str] = &["detect", "jws", "jwks", "x509", "ocsp", "cms", "pdf", "pades", "verify", "altinn"];

/// Runs the harness of fuzz target `target` over `data`. Panics on an unknown
/// target name (a typo must not replay nothing).
pub fn run(target: &str, data: &[u8]) {
    match target {
        "detect" => detect(data),
        "jws" => jws(data),
        "jwks" => jwks(data),
        "x509" => x509(data),
        "ocsp" => ocsp(data),
        "cms" => cms(data),
        "pdf" => pdf(data),
        "pades" => pades(data),
        "verify" => verify(data),
        "altinn" => altinn(data),
        other => panic!("unknown fuzz target '{other}'"),
    }
}

const JWKS: &[u8] = include_bytes!("../test-vectors/real/pp_jwks_2024.json");
const ROOT: &[u8] = include_bytes!("../test-vectors/scenarios/ocsp/good/trust/oces_root.pem");
const LEAF: &[u8] = include_bytes!("../test-vectors/scenarios/ocsp/good/openssl/leaf.pem");
const ISSUER: &[u8] = include_bytes!("../test-vectors/scenarios/ocsp/good/openssl/issuer.pem");

/// The policy of the PKI targets: the OCES test root, PP, at the OCSP scenario's time.
fn policy() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        let trust = vec![Blob::new("root.pem", ROOT)];
        let opts = Options { at: Some("2025-03-10T09:00:02Z".into()), env: Some("pp".into()), ..Default::default() };
        Policy::from_options(&opts, &[], &trust).expect("policy")
    })
}

/// The policy of the Altinn scenarios (test-vectors/scenarios/altinn/*/options.json).
fn altinn_policy() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        let opts = Options { at: Some("2025-03-11T00:00:00Z".into()), ..Default::default() };
        Policy::from_options(&opts, &[], &[]).expect("policy")
    })
}

fn cert(pem: &'static [u8]) -> Arc<crate::x509::Certificate> {
    crate::policy::load_certificates(&Blob::new("c.pem", pem)).expect("fixture certificate").remove(0)
}

fn leaf_and_issuer() -> &'static (Arc<crate::x509::Certificate>, Arc<crate::x509::Certificate>) {
    static C: OnceLock<(Arc<crate::x509::Certificate>, Arc<crate::x509::Certificate>)> = OnceLock::new();
    C.get_or_init(|| (cert(LEAF), cert(ISSUER)))
}

/// Splits fuzz input at 0xFF 0x00 0xFF separators into at most `max` parts, so
/// multi-file bundles (token + keys + OCSP + PDF) are explored too.
pub fn split(data: &[u8], max: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() + 1 < max {
        match rest.windows(3).position(|w| w == [0xff, 0x00, 0xff]) {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + 3..];
            }
            None => break,
        }
    }
    out.push(rest);
    out
}

/// Up to four blobs named `part0`, `part1`, … (the `verify` target).
pub fn blobs(data: &[u8]) -> Vec<Blob> {
    split(data, 4).into_iter().enumerate().map(|(i, p)| Blob::new(format!("part{i}"), p.to_vec())).collect()
}

/// Up to sixteen named files (the `altinn` target): a part that starts with a
/// line of at most 80 bytes holding no `{`, `[` or `"` is `<name>\n<content>`
/// (so data element files can carry their GUID names, as in an export folder);
/// any other part is `part<i>.json`.
pub fn named_blobs(data: &[u8]) -> Vec<Blob> {
    split(data, 16)
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let head = &p[..p.len().min(81)];
            if let Some(nl) = head.iter().position(|&b| b == b'\n') {
                if let Ok(name) = std::str::from_utf8(&p[..nl]) {
                    if !name.is_empty() && !name.contains(['{', '[', '"']) {
                        return Blob::new(name.to_string(), p[nl + 1..].to_vec());
                    }
                }
            }
            Blob::new(format!("part{i}.json"), p.to_vec())
        })
        .collect()
}

/// Input detection over arbitrary bytes.
fn detect(data: &[u8]) {
    let d = crate::detect::detect(&Blob::new("x", data));
    let _ = d.describe();
}

/// JWS/JWT parsing and verification against the real PP key set.
fn jws(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::jws::parse_compact(text);
    }
    let ev = Evidence::new(vec![Blob::new("t.jwt", data), Blob::new("jwks.json", JWKS)]);
    let _ = crate::verify(&ev, policy()).to_json();
}

/// JWKS and single-JWK parsing.
fn jwks(data: &[u8]) {
    if let Ok(v) = crate::json::parse(data) {
        let _ = crate::keys::parse_jwks(&v, "f", false);
        let _ = crate::keys::parse_jwk(&v, "f");
    }
}

/// X.509 parsing and path building with the fuzzed certificate as target and as intermediate.
fn x509(data: &[u8]) {
    use crate::pki::{validate_path, PathInput, Usage};
    let Ok(cert) = crate::x509::Certificate::from_der(data) else { return };
    let cert = Arc::new(cert);
    let p = policy();
    let (leaf, issuer) = leaf_and_issuer();
    let at = crate::time::UnixTime(1_741_597_202);
    for (target, inter) in [(&cert, vec![issuer.clone()]), (leaf, vec![cert.clone()])] {
        let _ =
            validate_path(&PathInput { target, intermediates: &inter, anchors: &p.anchors, validation_time: at, signing_time: Some(at), usage: Usage::Signer });
    }
}

/// OCSP parsing and every OCSP rule for the test leaf.
fn ocsp(data: &[u8]) {
    use crate::ocsp::verify::{check_ocsp, OcspContext};
    let _ = crate::ocsp::parse(data);
    let (leaf, issuer) = leaf_and_issuer();
    let ctx = OcspContext {
        cert: leaf,
        issuer: Some(issuer),
        above: std::slice::from_ref(issuer),
        pool: &[],
        anchors: &policy().anchors,
        path_anchor: policy().anchors.first(),
        signing_time: Some(crate::time::UnixTime(1_741_597_200)),
        validation_time: crate::time::UnixTime(1_741_597_202),
        expected_nonce: Some(vec![1, 2, 3]),
        skew: 300,
        archival: data.first().is_some_and(|b| b & 1 == 1),
    };
    let _ = check_ocsp(data, "fuzz", &ctx);
}

/// CMS (BER and DER): parsing, attributes, signer lookup and signature verification.
fn cms(data: &[u8]) {
    use crate::cms::{attributes, signer};
    let Ok(sd) = crate::cms::parse(data) else { return };
    for si in &sd.signer_infos {
        let _ = signer::consistency_problems(&sd, si);
        let _ = attributes::message_digest(si);
        let _ = attributes::signing_certificate(si);
        let _ = attributes::revocation_info_archival(si);
        let _ = attributes::signing_time(si);
        if let Some(cert) = signer::find_signer_certificate(&sd, si, &[]) {
            let _ = signer::verify_signature(si, &cert, sd.econtent.as_deref());
        }
    }
    if let Some(c) = &sd.econtent {
        let _ = crate::cms::tst::parse_tst_info(c);
    }
}

/// The PDF reader: xref, objects, streams, revisions, object streams.
fn pdf(data: &[u8]) {
    use crate::pdf::{ObjId, Pdf};
    let Ok(pdf) = Pdf::parse(data) else { return };
    let _ = pdf.catalog();
    for (i, rev) in pdf.revisions().iter().enumerate().take(8) {
        for (&num, _) in rev.entries.iter().take(64) {
            if let Ok(obj) = pdf.get_as_of(ObjId { num, gen: 0 }, i) {
                let _ = pdf.resolve(&obj);
                if let Some(s) = obj.as_stream() {
                    let _ = pdf.decode_stream(s);
                }
            }
        }
    }
    for (id, off) in pdf.scan_objects().take(256) {
        let _ = pdf.object_at(off);
        let _ = pdf.get(id);
    }
}

/// PAdES: signature finding, the ByteRange and coverage analysis
/// (`pades::byterange::{check_byte_range, check_contents_gap, check_coverage}`,
/// reached through `hashing::planned_ranges` and `inspect`), the CMS, changes
/// after signing and embedded files.
fn pades(data: &[u8]) {
    let p = policy();
    let ctx = crate::pades::Context { policy: p, pool: &[], anchors: &p.anchors, dss_certs: &[] };
    let ranges = crate::pades::hashing::planned_ranges(data);
    let (_, pre) = crate::pades::hashing::hash_file(data, &ranges);
    let _ = crate::pades::inspect(data, &pre, &ctx);
    let _ = crate::pades::extract_embedded(data);
}

/// The whole entry point over bundles of up to four fuzzed files.
fn verify(data: &[u8]) {
    let report = crate::verify(&Evidence::new(blobs(data)), policy());
    let _ = report.to_json();
    let _ = crate::report::text::render(&report, true);
}

/// Altinn 3 JSON: instance metadata, signature records (camelCase and
/// PascalCase), signee state (`$id`/`$values`), events; each part on its own
/// through recognition and the parsers, then the named files as one export
/// bundle through `verify` (detection, grouping, coverage, signee and event matching).
fn altinn(data: &[u8]) {
    use crate::altinn::{self, AltinnDoc};
    let files = named_blobs(data);
    for f in &files {
        let _ = altinn::json::file_guid(&f.name);
        let Ok(v) = crate::json::parse(&f.bytes) else { continue };
        if let Some(doc) = altinn::recognise(&v) {
            let _ = doc.describe();
            match &doc {
                AltinnDoc::Signature(s) => {
                    let _ = (s.guid(), s.instance(), s.signee.describe());
                }
                AltinnDoc::SigneeState(s) => {
                    for sg in s.contexts.iter().filter_map(|c| c.signee.as_ref()) {
                        let _ = (sg.describe(), sg.identifiers());
                    }
                }
                _ => {}
            }
        }
        let _ = altinn::signees::parse(&v);
        let _ = altinn::events::parse(&v);
        if let Some(o) = v.as_object() {
            let _ = altinn::model::instance(o);
            let _ = altinn::model::sign_doc(o);
        }
    }
    let report = crate::verify(&Evidence::new(files), altinn_policy());
    let _ = report.to_json();
    let _ = crate::report::text::render(&report, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_caps_the_number_of_parts() {
        let sep = [0xff, 0x00, 0xff];
        let data = [&b"a"[..], &sep, b"b", &sep, b"c"].concat();
        assert_eq!(split(&data, 4), vec![&b"a"[..], b"b", b"c"]);
        assert_eq!(split(&data, 2), vec![&b"a"[..], &[&b"b"[..], &sep, b"c"].concat()[..]]);
        assert_eq!(split(b"", 4), vec![&b""[..]]);
    }

    #[test]
    fn named_blobs_take_a_name_line_only_when_it_is_one() {
        let data = [&b"instance.json\n{\"a\":1}"[..], &[0xff, 0x00, 0xff], b"{\"b\":\n2}"].concat();
        let b = named_blobs(&data);
        assert_eq!((b[0].name.as_str(), &b[0].bytes[..]), ("instance.json", &b"{\"a\":1}"[..]));
        assert_eq!((b[1].name.as_str(), &b[1].bytes[..]), ("part1.json", &b"{\"b\":\n2}"[..]));
    }

    /// An export folder packed as the `altinn` target reads it (fuzz/seed.sh)
    /// reaches the Altinn instance checks, not just detection.
    #[test]
    fn an_altinn_bundle_reaches_the_instance_checks() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios/altinn/all-signed-intact/input");
        let mut parts = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let mut part = format!("{}\n", p.file_name().unwrap().to_string_lossy()).into_bytes();
            part.extend(std::fs::read(&p).unwrap());
            parts.push(part);
        }
        let data = parts.join(&[0xff, 0x00, 0xff][..]);
        let report = crate::verify(&Evidence::new(named_blobs(&data)), altinn_policy());
        // The scenario's expected verdict: every hash matched a file found by its GUID name.
        assert_eq!(report.verdict(), crate::Status::Pass, "{}", report.to_json());
        assert!(report.to_json().contains("\"altinn.signature.data_element_hash\""));
        run("altinn", &data);
    }

    #[test]
    #[should_panic(expected = "unknown fuzz target")]
    fn an_unknown_target_is_an_error() {
        run("no-such-target", b"");
    }
}
