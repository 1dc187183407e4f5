//! Every limit of `src/limits.rs`, crossed: an input just over the limit (and,
//! where cheap, one just under it) and the clear failure it produces. A limit
//! hit is a failed (or, where documented, indeterminate) check with the
//! expected id, whose message names the limit or problem and which is located
//! at the file (in its message or in the subject of the node holding it);
//! never a panic, and in bounded time. Inputs are built here, in memory.

use serde_json::Value;
use sigaudit::limits::*;
use sigaudit::pdf::{ObjId, Pdf};
use sigaudit::{verify, Blob, Evidence, Options, Policy};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const AT: &str = "2025-03-10T09:00:02Z";

/// A bound against hangs (debug builds included), not a performance target.
const PER_CALL: Duration = Duration::from_secs(30);

fn policy() -> Policy {
    Policy::from_options(&Options { at: Some(AT.into()), ..Default::default() }, &[], &[]).unwrap()
}

/// Verifies the blobs and returns the report as JSON.
fn run(blobs: Vec<Blob>) -> Value {
    let start = Instant::now();
    let report = verify(&Evidence::new(blobs), &policy());
    assert!(start.elapsed() < PER_CALL, "took {:?}", start.elapsed());
    serde_json::from_str(&report.to_json()).unwrap()
}

/// Every check with the subjects of the nodes above it (outermost first).
fn all_checks(report: &Value) -> Vec<(String, Value)> {
    fn walk(node: &Value, path: &str, out: &mut Vec<(String, Value)>) {
        let path = format!("{path} / {}", node["subject"].as_str().unwrap_or(""));
        for c in node["checks"].as_array().into_iter().flatten() {
            out.push((path.clone(), c.clone()));
        }
        for child in node["children"].as_array().into_iter().flatten() {
            walk(child, &path, out);
        }
    }
    let mut out = Vec::new();
    for n in report["nodes"].as_array().into_iter().flatten() {
        walk(n, "", &mut out);
    }
    out
}

/// Asserts a check `id` with `status` whose message contains `needle` and
/// which names `file` (in its message or its node's subject); returns its message.
fn expect(report: &Value, id: &str, status: &str, file: &str, needle: &str) -> String {
    let checks = all_checks(report);
    let hit = checks.iter().find(|(path, c)| {
        let msg = c["message"].as_str().unwrap_or("");
        c["id"] == id && c["status"] == status && msg.contains(needle) && (msg.contains(file) || path.contains(file))
    });
    match hit {
        Some((_, c)) => c["message"].as_str().unwrap().to_string(),
        None => panic!(
            "no {status} {id} naming '{file}' and saying '{needle}'; checks:\n{}",
            checks.iter().map(|(p, c)| format!("{p}: {} {} {}", c["id"], c["status"], c["message"])).collect::<Vec<_>>().join("\n")
        ),
    }
}

/// Asserts no check of the report mentions `needle`, and no `id` check has `status`.
fn no_limit_hit(report: &Value, id: &str, status: &str, needle: &str) {
    for (path, c) in all_checks(report) {
        let msg = c["message"].as_str().unwrap_or("");
        assert!(!msg.contains(needle), "{path}: {} {} {msg}", c["id"], c["status"]);
        assert!(!(c["id"] == id && c["status"] == status), "{path}: {} {} {msg}", c["id"], c["status"]);
    }
}

// ---------------------------------------------------------------- DER, keys, certificates

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const OID_P256: &[u8] = &[0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const OID_ECDSA_SHA256: &[u8] = &[0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];

struct Key {
    pair: ring::signature::EcdsaKeyPair,
    fixed: ring::signature::EcdsaKeyPair,
}

impl Key {
    fn new() -> Key {
        use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING, ECDSA_P256_SHA256_FIXED_SIGNING};
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        Key {
            pair: EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap(),
            fixed: EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap(),
        }
    }
    fn point(&self) -> Vec<u8> {
        use ring::signature::KeyPair;
        self.pair.public_key().as_ref().to_vec()
    }
    fn sign_der(&self, msg: &[u8]) -> Vec<u8> {
        self.pair.sign(&ring::rand::SystemRandom::new(), msg).unwrap().as_ref().to_vec()
    }
    fn sign_jws(&self, msg: &[u8]) -> Vec<u8> {
        self.fixed.sign(&ring::rand::SystemRandom::new(), msg).unwrap().as_ref().to_vec()
    }
    fn jwk(&self, kid: Option<&str>) -> Value {
        let p = self.point();
        let mut k = serde_json::json!({"kty": "EC", "crv": "P-256", "use": "sig", "x": b64url(&p[1..33]), "y": b64url(&p[33..65])});
        if let Some(kid) = kid {
            k["kid"] = kid.into();
        }
        k
    }
}

fn b64url(bytes: &[u8]) -> String {
    sigaudit::encoding::b64url_encode(bytes)
}

fn name(cn: &str) -> Vec<u8> {
    seq(&[der(0x31, &seq(&[vec![0x06, 0x03, 0x55, 0x04, 0x03], der(0x0C, cn.as_bytes())]))])
}

/// A certificate for `key` named `subject`, issued by `issuer` (name and key).
fn certificate(serial: u32, subject: &str, key: &Key, issuer: &str, issuer_key: &Key, ca: bool) -> Vec<u8> {
    let spki = seq(&[seq(&[OID_EC_PUBLIC_KEY.to_vec(), OID_P256.to_vec()]), der(0x03, &[&[0u8][..], &key.point()].concat())]);
    let basic = if ca { seq(&[der(0x01, &[0xFF])]) } else { seq(&[]) };
    let usage = if ca { der(0x03, &[0x01, 0x06]) } else { der(0x03, &[0x07, 0x80]) };
    let ext = |oid: &[u8], value: Vec<u8>| seq(&[oid.to_vec(), der(0x01, &[0xFF]), der(0x04, &value)]);
    let extensions = der(0xA3, &seq(&[ext(&[0x06, 0x03, 0x55, 0x1D, 0x13], basic), ext(&[0x06, 0x03, 0x55, 0x1D, 0x0F], usage)]));
    let tbs = seq(&[
        der(0xA0, &der(0x02, &[2])),
        der(0x02, &[&[0u8][..], &serial.to_be_bytes()].concat()),
        seq(&[OID_ECDSA_SHA256.to_vec()]),
        name(issuer),
        seq(&[der(0x17, b"200101000000Z"), der(0x17, b"401231000000Z")]),
        name(subject),
        spki,
        extensions,
    ]);
    let sig = issuer_key.sign_der(&tbs);
    seq(&[tbs, seq(&[OID_ECDSA_SHA256.to_vec()]), der(0x03, &[&[0u8][..], &sig].concat())])
}

fn cert(der: &[u8]) -> std::sync::Arc<sigaudit::x509::Certificate> {
    std::sync::Arc::new(sigaudit::x509::Certificate::from_der(der).unwrap())
}

fn at() -> sigaudit::time::UnixTime {
    sigaudit::time::UnixTime::parse_rfc3339(AT).unwrap()
}

// ---------------------------------------------------------------- PDF building

/// A PDF of `objects` (number, body) with one xref table; object 1 is the catalog.
fn pdf(objects: &[(u32, Vec<u8>)]) -> Vec<u8> {
    pdf_skewed(objects, u32::MAX)
}

/// Like [`pdf`], with the xref offsets of objects numbered `skew_from` and up one byte off.
fn pdf_skewed(objects: &[(u32, Vec<u8>)], skew_from: u32) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let size = objects.iter().map(|(n, _)| *n).max().unwrap_or(0) + 1;
    let mut offsets = vec![None; size as usize];
    for (n, body) in objects {
        offsets[*n as usize] = Some(out.len() + usize::from(*n >= skew_from));
        out.extend(format!("{n} 0 obj\n").as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {size}\n").as_bytes());
    for o in &offsets {
        match o {
            Some(o) => out.extend(format!("{o:010} 00000 n \n").as_bytes()),
            None => out.extend(b"0000000000 65535 f \n"),
        }
    }
    out.extend(format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    [format!("<< {dict} /Length {} >>\nstream\n", data.len()).as_bytes(), data, b"\nendstream"].concat()
}

fn flate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// A PDF with one embedded file whose stream is `data` with `filter`.
fn pdf_with_embedded(filter: &str, data: &[u8]) -> Vec<u8> {
    pdf(&[
        (1, b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(f.txt) 4 0 R] >> >> >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>".to_vec()),
        (4, b"<< /Type /Filespec /F (f.txt) /UF (f.txt) /EF << /F 5 0 R >> >>".to_vec()),
        (5, stream(&format!("/Type /EmbeddedFile {filter}"), data)),
    ])
}

/// A PDF whose one signature field's /V is `sig` (object 4), with `extra` objects.
fn pdf_with_signature(sig: Vec<u8>, extra: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut objects = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>".to_vec()),
        (4, sig),
        (5, b"<< /FT /Sig /T (Signature1) /V 4 0 R >>".to_vec()),
    ];
    objects.extend(extra.iter().cloned());
    pdf(&objects)
}

fn sig_dict(middle: &[u8]) -> Vec<u8> {
    [&b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 10] "[..], middle, b" /Contents <00> >>"].concat()
}

// ---------------------------------------------------------------- inputs

#[test]
fn max_file_bytes_file_over_the_limit_is_not_read() {
    // alloc_zeroed: the pages are never written, so this costs no memory; the
    // core refuses the blob before parsing (it still hashes it for the report).
    let big = vec![0u8; MAX_FILE_BYTES as usize + 1];
    let report = run(vec![Blob::new("huge.pdf", big), Blob::new("small.txt", "hello")]);
    let msg = expect(&report, "input.size", "fail", "huge.pdf", &format!("over the per-file limit of {MAX_FILE_BYTES}"));
    assert!(msg.contains(&(MAX_FILE_BYTES + 1).to_string()), "{msg}");
    assert_eq!(report["verdict"], "fail");
}

#[test]
fn max_file_bytes_cli_refuses_a_sparse_file_without_reading_it() {
    // The CLI checks the size before reading: a sparse file over the limit costs no disk or memory.
    let dir = tmp("file-bytes");
    let path = dir.join("huge.pdf");
    std::fs::File::create(&path).unwrap().set_len(MAX_FILE_BYTES + 1).unwrap();
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_sigaudit")).args(["verify", "--at", AT]).arg(&path).output().unwrap();
    assert!(start.elapsed() < PER_CALL);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("huge.pdf") && stderr.contains(&format!("over the per-file limit of {MAX_FILE_BYTES}")), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn max_bundle_bytes_bundle_over_the_limit_is_not_read() {
    // Three blobs under the per-file limit whose sum is over the bundle limit
    // (zeroed allocations: no memory is touched).
    let each = (MAX_BUNDLE_BYTES / 3 + 1) as usize;
    assert!(each as u64 <= MAX_FILE_BYTES);
    let blobs = (0..3).map(|i| Blob::new(format!("part{i}.bin"), vec![0u8; each])).collect();
    let report = run(blobs);
    let msg = expect(&report, "input.size", "fail", "", &format!("over the limits of {MAX_FILES} files and {MAX_BUNDLE_BYTES} bytes"));
    assert!(msg.contains(&format!("{} bytes", 3 * each)), "{msg}");
    assert_eq!(report["verdict"], "fail");
}

#[test]
fn max_files_bundle_with_one_file_too_many_is_not_read() {
    let blobs = |n: usize| (0..n).map(|i| Blob::new(format!("f{i}.txt"), "x")).collect::<Vec<_>>();
    let report = run(blobs(MAX_FILES + 1));
    expect(&report, "input.size", "fail", "", &format!("the bundle has {} files", MAX_FILES + 1));
    let under = run(blobs(MAX_FILES));
    no_limit_hit(&under, "input.size", "fail", "over the limits of");
}

// ---------------------------------------------------------------- JSON, JWS, keys

fn jws_of_length(len: usize) -> String {
    let head = "eyJhbGciOiJFUzI1NiJ9.";
    let tail = ".AA";
    format!("{head}{}{tail}", "A".repeat(len - head.len() - tail.len()))
}

#[test]
fn max_jws_bytes_token_over_the_limit_is_not_decoded() {
    let report = run(vec![Blob::new("big.jwt", jws_of_length(MAX_JWS_BYTES + 1))]);
    let msg = expect(&report, "jws.size", "fail", "big.jwt", &format!("over the {MAX_JWS_BYTES}-byte limit"));
    assert!(msg.contains(&(MAX_JWS_BYTES + 1).to_string()), "{msg}");
    let under = run(vec![Blob::new("big.jwt", jws_of_length(MAX_JWS_BYTES))]);
    expect(&under, "jws.size", "pass", "big.jwt", "within the");
}

#[test]
fn max_json_depth_json_nested_too_deep_is_rejected() {
    let nested = |depth: usize| format!("{{\"a\": {}1{}}}", "[".repeat(depth - 1), "]".repeat(depth - 1));
    let report = run(vec![Blob::new("deep.json", nested(MAX_JSON_DEPTH + 1))]);
    expect(&report, "input.json", "fail", "deep.json", &format!("nested deeper than {MAX_JSON_DEPTH} levels"));
    let under = run(vec![Blob::new("deep.json", nested(MAX_JSON_DEPTH))]);
    no_limit_hit(&under, "input.json", "fail", "nested deeper");
}

#[test]
fn max_jwks_keys_key_set_with_too_many_keys_is_rejected() {
    let keys: Vec<Key> = (0..=MAX_JWKS_KEYS).map(|_| Key::new()).collect();
    let jwks = |n: usize| serde_json::json!({"keys": keys[..n].iter().enumerate().map(|(i, k)| k.jwk(Some(&format!("k{i}")))).collect::<Vec<_>>()}).to_string();
    let report = run(vec![Blob::new("jwks.json", jwks(MAX_JWKS_KEYS + 1))]);
    expect(&report, "input.json", "fail", "jwks.json", &format!("{} keys, over the limit of {MAX_JWKS_KEYS}", MAX_JWKS_KEYS + 1));
    let under = run(vec![Blob::new("jwks.json", jwks(MAX_JWKS_KEYS))]);
    expect(&under, "input.recognised", "pass", "jwks.json", &format!("{MAX_JWKS_KEYS} usable keys"));
}

/// An ES256 token without kid signed by `key`.
fn token_without_kid(key: &Key) -> String {
    let header = b64url(br#"{"alg":"ES256"}"#);
    let payload = b64url(br#"{"iss":"https://issuer.example","sub":"s","iat":1741597000,"exp":1741600000}"#);
    let input = format!("{header}.{payload}");
    let sig = key.sign_jws(input.as_bytes());
    format!("{input}.{}", b64url(&sig))
}

#[test]
fn max_keys_tried_token_without_kid_tries_only_the_first_keys() {
    let signer = Key::new();
    let token = token_without_kid(&signer);
    // The signer's key comes after `others` keys that do not verify.
    let bundle = |others: usize| {
        let mut keys: Vec<Value> = (0..others).map(|_| Key::new().jwk(None)).collect();
        keys.push(signer.jwk(None));
        vec![Blob::new("token.jwt", token.clone()), Blob::new("keys.json", serde_json::json!({ "keys": keys }).to_string())]
    };
    let report = run(bundle(MAX_KEYS_TRIED));
    expect(&report, "jws.signature", "fail", "token.jwt", &format!("tried {MAX_KEYS_TRIED} of {} supplied keys", MAX_KEYS_TRIED + 1));
    let under = run(bundle(MAX_KEYS_TRIED - 1));
    expect(&under, "jws.signature", "pass", "token.jwt", "");
}

#[test]
fn max_pem_blocks_pem_file_with_too_many_blocks_is_rejected() {
    let pem = |n: usize| "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n".repeat(n);
    let report = run(vec![Blob::new("bundle.pem", pem(MAX_PEM_BLOCKS + 1))]);
    expect(&report, "input.encoding", "fail", "bundle.pem", &format!("more than {MAX_PEM_BLOCKS} PEM blocks"));
    let under = run(vec![Blob::new("bundle.pem", pem(MAX_PEM_BLOCKS))]);
    no_limit_hit(&under, "input.encoding", "fail", "PEM blocks");
}

// ---------------------------------------------------------------- ASN.1 and paths

fn nested_sequences(depth: usize) -> Vec<u8> {
    let mut el = der(0x05, &[]);
    for _ in 0..depth {
        el = seq(&[el]);
    }
    el
}

#[test]
fn max_asn1_depth_structure_nested_too_deep_is_rejected() {
    // Module level: the DER reader.
    let budget = sigaudit::asn1::Budget::new();
    let deep = nested_sequences(MAX_ASN1_DEPTH + 1);
    let err = sigaudit::asn1::parse_exact(&deep, &budget).and_then(|e| descend(e)).unwrap_err();
    assert!(err.to_string().contains(&format!("nested deeper than {MAX_ASN1_DEPTH} levels")), "{err}");
    let ok = nested_sequences(MAX_ASN1_DEPTH);
    sigaudit::asn1::parse_exact(&ok, &budget).and_then(|e| descend(e)).unwrap();
}

/// Reads every element under `el`.
fn descend(el: sigaudit::asn1::Element<'_>) -> Result<(), sigaudit::asn1::Asn1Error> {
    if el.tag.constructed {
        for child in el.child_vec()? {
            descend(child)?;
        }
    }
    Ok(())
}

#[test]
fn max_asn1_elements_structure_with_too_many_elements_is_rejected() {
    let many = |n: usize| der(0x30, &[0x05, 0x00].repeat(n));
    let budget = sigaudit::asn1::Budget::new();
    let err = sigaudit::asn1::parse_exact(&many(MAX_ASN1_ELEMENTS), &budget).and_then(|e| descend(e)).unwrap_err();
    assert!(err.to_string().contains(&format!("more than {MAX_ASN1_ELEMENTS} ASN.1 elements")), "{err}");
    let budget = sigaudit::asn1::Budget::new();
    sigaudit::asn1::parse_exact(&many(MAX_ASN1_ELEMENTS - 1), &budget).and_then(|e| descend(e)).unwrap();
}

/// A chain of `len` certificates: leaf first, self-signed root last.
fn chain(len: usize) -> Vec<std::sync::Arc<sigaudit::x509::Certificate>> {
    let keys: Vec<Key> = (0..len).map(|_| Key::new()).collect();
    let cn = |i: usize| if i == len - 1 { "Root".to_string() } else { format!("CA {i}") };
    (0..len)
        .map(|i| {
            let issuer = (i + 1).min(len - 1);
            cert(&certificate(i as u32 + 1, &cn(i), &keys[i], &cn(issuer), &keys[issuer], i > 0))
        })
        .collect()
}

fn validate(
    target: &std::sync::Arc<sigaudit::x509::Certificate>,
    intermediates: &[std::sync::Arc<sigaudit::x509::Certificate>],
    anchors: &[std::sync::Arc<sigaudit::x509::Certificate>],
) -> Vec<sigaudit::report::Check> {
    use sigaudit::pki::{validate_path, PathInput, Usage};
    let start = Instant::now();
    let r = validate_path(&PathInput { target, intermediates, anchors, validation_time: at(), signing_time: None, usage: Usage::Signer });
    assert!(start.elapsed() < PER_CALL);
    r.checks
}

fn anchor_check(checks: &[sigaudit::report::Check]) -> &sigaudit::report::Check {
    checks.iter().find(|c| c.id.as_str() == "chain.anchor").unwrap()
}

#[test]
fn max_path_certs_path_longer_than_the_limit_is_not_built() {
    use sigaudit::report::Status;
    let over = chain(MAX_PATH_CERTS + 1);
    let checks = validate(&over[0], &over[1..MAX_PATH_CERTS], &over[MAX_PATH_CERTS..]);
    let c = anchor_check(&checks);
    assert_eq!(c.status, Status::Fail, "{c:?}");
    assert!(c.message.contains(&format!("within {MAX_PATH_CERTS} certificates")), "{c:?}");
    let under = chain(MAX_PATH_CERTS);
    let checks = validate(&under[0], &under[1..MAX_PATH_CERTS - 1], &under[MAX_PATH_CERTS - 1..]);
    assert_eq!(anchor_check(&checks).status, Status::Pass, "{checks:?}");
}

#[test]
fn max_path_signatures_path_building_gives_up_after_the_budget() {
    use sigaudit::report::Status;
    let ca = Key::new();
    let leaf_key = Key::new();
    let root = cert(&certificate(1, "CA", &ca, "CA", &ca, true));
    let leaf = cert(&certificate(2, "Leaf", &leaf_key, "CA", &ca, false));
    // Certificates named like the issuer, with other keys: each costs one signature check.
    let decoys: Vec<_> = (0..MAX_PATH_SIGNATURES)
        .map(|i| {
            let k = Key::new();
            cert(&certificate(100 + i as u32, "CA", &k, "CA", &k, true))
        })
        .collect();
    let anchors: Vec<_> = decoys.iter().cloned().chain([root.clone()]).collect();
    let c = anchor_check(&validate(&leaf, &[], &anchors)).clone();
    assert_eq!(c.status, Status::Fail, "{c:?}");
    assert!(c.message.contains(&format!("gave up after {MAX_PATH_SIGNATURES} signature checks")), "{c:?}");
    let anchors: Vec<_> = decoys[1..].iter().cloned().chain([root]).collect();
    let c = anchor_check(&validate(&leaf, &[], &anchors)).clone();
    assert_eq!(c.status, Status::Pass, "{c:?}");
}

// ---------------------------------------------------------------- PDF structure

fn small_pdf() -> Vec<u8> {
    pdf(&[(1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()), (2, b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec())])
}

#[test]
fn pdf_header_window_header_after_the_window_is_not_a_pdf() {
    let with_junk = |n: usize| [vec![b'x'; n], small_pdf()].concat();
    let over = with_junk(PDF_HEADER_WINDOW + 1 - 5);
    let err = Pdf::parse(&over).unwrap_err();
    assert!(err.to_string().contains(&format!("no %PDF- header in the first {PDF_HEADER_WINDOW} bytes")), "{err}");
    // In a bundle the file is not recognised as a PDF: reported, and nothing is verified.
    let report = run(vec![Blob::new("late.pdf", over)]);
    expect(&report, "input.recognised", "warn", "late.pdf", "was not recognised");
    expect(&report, "input.nothing_to_verify", "indeterminate", "", "nothing verifiable");
    // Inside the window the file is read; a header not at byte 0 is a repaired fault.
    let under = run(vec![Blob::new("late.pdf", with_junk(PDF_HEADER_WINDOW - 5))]);
    expect(&under, "pdf.structure", "warn", "late.pdf", "repairing 1 structural fault");
}

#[test]
fn pdf_startxref_window_startxref_before_the_window_is_not_found() {
    let with_tail = |n: usize| [small_pdf(), vec![b'x'; n]].concat();
    let report = run(vec![Blob::new("tail.pdf", with_tail(PDF_STARTXREF_WINDOW))]);
    expect(&report, "pdf.structure", "fail", "tail.pdf", &format!("no 'startxref' in the last {PDF_STARTXREF_WINDOW} bytes"));
    let under = run(vec![Blob::new("tail.pdf", with_tail(PDF_STARTXREF_WINDOW - 100))]);
    expect(&under, "pdf.structure", "pass", "tail.pdf", "");
}

/// A PDF whose only cross-reference section is a stream declaring `n` entries (one byte each).
fn pdf_with_xref_stream(n: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    out.extend(b"1 0 obj\n<< /Type /Catalog >>\nendobj\n");
    let xref = out.len();
    // /W [1 0 0]: every row is one type byte; type 0 (free) rows need no offset.
    let mut rows = vec![0u8; n];
    rows[1] = 2; // object 1 compressed in (absent) stream 0: never read
    let data = flate(&rows);
    out.extend(
        format!("{n} 0 obj\n<< /Type /XRef /Size {} /W [1 0 0] /Index [0 {n}] /Root 1 0 R /Filter /FlateDecode /Length {} >>\nstream\n", n + 1, data.len())
            .as_bytes(),
    );
    out.extend(&data);
    out.extend(format!("\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

#[test]
fn max_pdf_objects_xref_with_too_many_entries_is_rejected() {
    let report = run(vec![Blob::new("objects.pdf", pdf_with_xref_stream(MAX_PDF_OBJECTS + 1))]);
    expect(&report, "pdf.structure", "fail", "objects.pdf", &format!("more than {MAX_PDF_OBJECTS} objects"));
    let under = pdf_with_xref_stream(MAX_PDF_OBJECTS - 1);
    let under = Pdf::parse(&under);
    assert!(under.is_ok(), "{:?}", under.err());
}

/// A PDF with `n` cross-reference sections chained through /Prev.
fn pdf_with_sections(n: usize) -> Vec<u8> {
    let mut out = small_pdf();
    let mut prev = out.windows(9).rposition(|w| w == b"startxref").map(|p| {
        let s = std::str::from_utf8(&out[p + 10..]).unwrap();
        s.split_whitespace().next().unwrap().parse::<usize>().unwrap()
    });
    for _ in 1..n {
        let at = out.len();
        out.extend(format!("xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R /Prev {} >>\nstartxref\n{at}\n%%EOF\n", prev.unwrap()).as_bytes());
        prev = Some(at);
    }
    out
}

#[test]
fn max_pdf_xref_sections_prev_chain_too_long_is_rejected() {
    let report = run(vec![Blob::new("sections.pdf", pdf_with_sections(MAX_PDF_XREF_SECTIONS + 1))]);
    expect(&report, "pdf.structure", "fail", "sections.pdf", &format!("more than {MAX_PDF_XREF_SECTIONS} cross-reference sections"));
    let under = run(vec![Blob::new("sections.pdf", pdf_with_sections(MAX_PDF_XREF_SECTIONS))]);
    expect(&under, "pdf.structure", "pass", "sections.pdf", &format!("{MAX_PDF_XREF_SECTIONS} revision(s)"));
}

// ---------------------------------------------------------------- PDF objects

#[test]
fn max_pdf_depth_signature_dictionary_nested_too_deep_fails() {
    let nested = |d: usize| [vec![b'['; d], vec![b']'; d]].concat();
    // The dictionary itself is one level; the array under it adds the rest.
    let report = run(vec![Blob::new("deep.pdf", pdf_with_signature(sig_dict(&[&b"/X "[..], &nested(MAX_PDF_DEPTH + 1)].concat()), &[]))]);
    expect(&report, "sig.contents_gap", "fail", "deep.pdf", &format!("nested deeper than {MAX_PDF_DEPTH} levels"));
    let under = run(vec![Blob::new("deep.pdf", pdf_with_signature(sig_dict(&[&b"/X "[..], &nested(MAX_PDF_DEPTH - 1)].concat()), &[]))]);
    no_limit_hit(&under, "pdf.structure", "fail", "nested deeper");
}

#[test]
fn max_pdf_string_bytes_signature_dictionary_with_too_long_string_fails() {
    let with_string = |n: usize| pdf_with_signature(sig_dict(&[&b"/Name ("[..], &vec![b'a'; n], b")"].concat()), &[]);
    let report = run(vec![Blob::new("string.pdf", with_string(MAX_PDF_STRING_BYTES + 1))]);
    expect(&report, "sig.contents_gap", "fail", "string.pdf", "string at byte");
    let msg = expect(&report, "sig.contents_gap", "fail", "string.pdf", &format!("longer than {MAX_PDF_STRING_BYTES}"));
    assert!(msg.contains("string"), "{msg}");
    let under = run(vec![Blob::new("string.pdf", with_string(MAX_PDF_STRING_BYTES))]);
    no_limit_hit(&under, "pdf.structure", "fail", "longer than");
}

#[test]
fn max_pdf_array_len_signature_dictionary_with_too_long_array_fails() {
    let with_array = |n: usize| pdf_with_signature(sig_dict(&[&b"/X ["[..], &b"0 ".repeat(n), b"]"].concat()), &[]);
    let report = run(vec![Blob::new("array.pdf", with_array(MAX_PDF_ARRAY_LEN + 1))]);
    expect(&report, "sig.contents_gap", "fail", "array.pdf", "array at byte");
    expect(&report, "sig.contents_gap", "fail", "array.pdf", &format!("longer than {MAX_PDF_ARRAY_LEN}"));
    let under = run(vec![Blob::new("array.pdf", with_array(MAX_PDF_ARRAY_LEN))]);
    no_limit_hit(&under, "pdf.structure", "fail", "longer than");
}

#[test]
fn max_pdf_ref_chain_byte_range_behind_too_many_references_fails() {
    // /ByteRange 10 0 R -> 11 0 R -> ... -> the array.
    let with_chain = |refs: usize| {
        let sig = b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange 10 0 R /Contents <00> >>".to_vec();
        let mut extra: Vec<(u32, Vec<u8>)> = (0..refs - 1).map(|i| (10 + i as u32, format!("{} 0 R", 11 + i).into_bytes())).collect();
        extra.push((10 + refs as u32 - 1, b"[0 10 20 10]".to_vec()));
        pdf_with_signature(sig, &extra)
    };
    let report = run(vec![Blob::new("chain.pdf", with_chain(MAX_PDF_REF_CHAIN + 1))]);
    expect(&report, "sig.byte_range", "fail", "chain.pdf", &format!("more than {MAX_PDF_REF_CHAIN} references to follow"));
    let under = run(vec![Blob::new("chain.pdf", with_chain(MAX_PDF_REF_CHAIN))]);
    no_limit_hit(&under, "pdf.structure", "fail", "references to follow");
}

// ---------------------------------------------------------------- PDF streams

#[test]
fn max_pdf_stream_bytes_embedded_file_decoding_too_large_fails() {
    // One FlateDecode (ratio about 1032, under the ratio limit) of more than the absolute limit.
    let zeros = vec![0u8; MAX_PDF_STREAM_BYTES + 1];
    let data = flate(&zeros);
    drop(zeros);
    assert!(data.len() * MAX_PDF_INFLATE_RATIO > MAX_PDF_STREAM_BYTES, "the ratio must not be what stops it");
    let report = run(vec![Blob::new("bomb.pdf", pdf_with_embedded("/Filter /FlateDecode", &data))]);
    expect(&report, "embedded.files", "fail", "bomb.pdf", &format!("decompresses beyond {MAX_PDF_STREAM_BYTES} bytes"));
}

/// FlateDecode over FlateDecode of `n` zero bytes: a ratio no single deflate reaches.
fn double_flate(n: usize) -> Vec<u8> {
    flate(&flate(&vec![0u8; n]))
}

#[test]
fn max_pdf_inflate_ratio_chained_filters_over_the_ratio_fail() {
    let n = 4 * PDF_INFLATE_RATIO_FLOOR;
    let data = double_flate(n);
    assert!(data.len() * MAX_PDF_INFLATE_RATIO < n);
    let report = run(vec![Blob::new("ratio.pdf", pdf_with_embedded("/Filter [/FlateDecode /FlateDecode]", &data))]);
    expect(&report, "embedded.files", "fail", "ratio.pdf", "a deflate bomb?");
    // One deflate of the same size stays within the ratio.
    let under = run(vec![Blob::new("ratio.pdf", pdf_with_embedded("/Filter /FlateDecode", &flate(&vec![0u8; n])))]);
    expect(&under, "embedded.files", "pass", "ratio.pdf", "1 embedded file(s)");
}

#[test]
fn pdf_inflate_ratio_floor_small_streams_pass_whatever_their_ratio() {
    let at_floor = double_flate(PDF_INFLATE_RATIO_FLOOR);
    assert!(at_floor.len() * MAX_PDF_INFLATE_RATIO < PDF_INFLATE_RATIO_FLOOR, "the ratio alone would stop it");
    let under = run(vec![Blob::new("floor.pdf", pdf_with_embedded("/Filter [/FlateDecode /FlateDecode]", &at_floor))]);
    expect(&under, "embedded.files", "pass", "floor.pdf", "1 embedded file(s)");
    let over = run(vec![Blob::new("floor.pdf", pdf_with_embedded("/Filter [/FlateDecode /FlateDecode]", &double_flate(PDF_INFLATE_RATIO_FLOOR + 1)))]);
    expect(&over, "embedded.files", "fail", "floor.pdf", &format!("decompresses beyond {PDF_INFLATE_RATIO_FLOOR} bytes"));
}

#[test]
fn max_pdf_filters_stream_with_too_many_filters_fails() {
    let hex_n = |n: usize| {
        let mut data = b"hello".to_vec();
        for _ in 0..n {
            data = sigaudit::encoding::hex_lower(&data).into_bytes();
        }
        let filter = format!("/Filter [{}]", "/ASCIIHexDecode ".repeat(n));
        pdf_with_embedded(&filter, &data)
    };
    let report = run(vec![Blob::new("filters.pdf", hex_n(MAX_PDF_FILTERS + 1))]);
    expect(&report, "embedded.files", "fail", "filters.pdf", &format!("more than {MAX_PDF_FILTERS} filters"));
    let under = run(vec![Blob::new("filters.pdf", hex_n(MAX_PDF_FILTERS))]);
    expect(&under, "embedded.files", "pass", "filters.pdf", "1 embedded file(s)");
}

#[test]
fn max_pdf_objstm_cache_bytes_object_streams_over_the_cache_are_decoded_again() {
    // Two object streams each decoding to over half the cache: the second
    // evicts the first, and reading the first's object again still works.
    let pad = MAX_PDF_OBJSTM_CACHE_BYTES / 2 + 1;
    let objstm = |num: u32, value: &str| {
        let body = format!("{num} 0 ");
        let data = [body.as_bytes(), format!("<< /Value /{value} >>").as_bytes(), &vec![b' '; pad]].concat();
        stream(&format!("/Type /ObjStm /N 1 /First {} /Filter /FlateDecode", body.len()), &flate(&data))
    };
    let mut file = pdf(&[(1, b"<< /Type /Catalog /A 20 0 R /B 21 0 R >>".to_vec()), (2, objstm(20, "First")), (3, objstm(21, "Second"))]);
    // Point objects 20 and 21 into the object streams with an xref stream update.
    let prev = String::from_utf8_lossy(&file).rsplit("startxref").next().unwrap().split_whitespace().next().unwrap().parse::<usize>().unwrap();
    let at = file.len();
    let mut table = Vec::new();
    for (typ, field2, field3) in [(2u8, 2u32, 0u8), (2, 3, 0), (1, at as u32, 0)] {
        table.push(typ);
        table.extend(field2.to_be_bytes());
        table.push(field3);
    }
    file.extend(format!("22 0 obj\n<< /Type /XRef /Size 23 /W [1 4 1] /Index [20 3] /Root 1 0 R /Prev {prev} /Length {} >>\nstream\n", table.len()).as_bytes());
    file.extend(&table);
    file.extend(format!("\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n").as_bytes());

    let start = Instant::now();
    let pdf = Pdf::parse(&file).unwrap();
    for round in 0..3 {
        for (num, value) in [(20, "First"), (21, "Second")] {
            let obj = pdf.get(ObjId::new(num, 0)).unwrap_or_else(|e| panic!("round {round}, object {num}: {e}"));
            let dict = obj.as_dict().unwrap_or_else(|| panic!("round {round}, object {num}: {obj:?}"));
            assert_eq!(dict.get_name(b"Value"), Some(value.as_bytes()), "round {round}");
        }
    }
    assert!(pdf.problems().is_empty(), "{:?}", pdf.problems());
    assert!(start.elapsed() < PER_CALL);
}

// ---------------------------------------------------------------- PDF documents

#[test]
fn max_pdf_problems_the_list_of_tolerated_faults_is_bounded_and_says_so() {
    // Objects whose xref offsets are all wrong: each is found by a scan and
    // recorded as a problem once.
    let n = MAX_PDF_PROBLEMS + 5;
    let objects: Vec<(u32, Vec<u8>)> =
        std::iter::once((1, format!("<< /Type /Catalog /Objs [{}] >>", (0..n).map(|i| format!("{} 0 R", 10 + i)).collect::<Vec<_>>().join(" ")).into_bytes()))
            .chain((0..n).map(|i| (10 + i as u32, b"(x)".to_vec())))
            .collect();
    let file = pdf_skewed(&objects, 10);
    let pdf = Pdf::parse(&file).unwrap();
    for i in 0..n {
        let _ = pdf.get(ObjId::new(10 + i as u32, 0)).unwrap();
    }
    let problems = pdf.problems();
    assert_eq!(problems.len(), MAX_PDF_PROBLEMS);
    let last = problems.last().unwrap().to_string();
    assert!(last.contains(&format!("more than {MAX_PDF_PROBLEMS} faults")), "{last}");
    assert!(problems[0].to_string().contains("is wrong; the object was found"), "{}", problems[0]);
    // Exactly at the limit, nothing is cut.
    let under = pdf_skewed(&objects[..MAX_PDF_PROBLEMS + 1], 10);
    let pdf = Pdf::parse(&under).unwrap();
    for i in 0..MAX_PDF_PROBLEMS {
        let _ = pdf.get(ObjId::new(10 + i as u32, 0)).unwrap();
    }
    let problems = pdf.problems();
    assert_eq!(problems.len(), MAX_PDF_PROBLEMS);
    assert!(!problems.iter().any(|p| p.to_string().contains("faults; the rest")), "{:?}", problems.last());
}

/// A PDF with `n` signature fields (each with a dummy signature dictionary).
fn pdf_with_fields(n: usize, signed: bool) -> Vec<u8> {
    let fields: Vec<String> = (0..n).map(|i| format!("{} 0 R", 10 + 2 * i)).collect();
    let mut objects = vec![
        (1, format!("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{}] >> >>", fields.join(" ")).into_bytes()),
        (2, b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec()),
    ];
    for i in 0..n {
        let f = 10 + 2 * i as u32;
        if signed {
            objects.push((f, format!("<< /FT /Sig /T (S{i}) /V {} 0 R >>", f + 1).into_bytes()));
            objects.push((f + 1, sig_dict(b"")));
        } else {
            objects.push((f, format!("<< /FT /Tx /T (T{i}) >>").into_bytes()));
        }
    }
    pdf(&objects)
}

#[test]
fn max_pdf_signatures_signatures_over_the_limit_fail() {
    let report = run(vec![Blob::new("sigs.pdf", pdf_with_fields(MAX_PDF_SIGNATURES + 1, true))]);
    expect(&report, "pdf.signatures", "fail", "sigs.pdf", &format!("more than {MAX_PDF_SIGNATURES} signatures"));
    let under = run(vec![Blob::new("sigs.pdf", pdf_with_fields(MAX_PDF_SIGNATURES, true))]);
    no_limit_hit(&under, "pdf.signatures", "fail", "more than");
}

#[test]
fn max_pdf_fields_field_tree_over_the_limit_fails() {
    let report = run(vec![Blob::new("fields.pdf", pdf_with_fields(MAX_PDF_FIELDS + 1, false))]);
    expect(&report, "pdf.signatures", "fail", "fields.pdf", &format!("more than {MAX_PDF_FIELDS} form fields"));
    let under = run(vec![Blob::new("fields.pdf", pdf_with_fields(MAX_PDF_FIELDS, false))]);
    no_limit_hit(&under, "pdf.signatures", "fail", "form fields");
}

#[test]
fn max_pdf_embedded_files_embedded_files_over_the_limit_fail() {
    let with_files = |n: usize| {
        let names: Vec<String> = (0..n).map(|i| format!("(f{i:05}.txt) {} 0 R", 10 + 2 * i)).collect();
        let mut objects = vec![
            (1, format!("<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [{}] >> >> >>", names.join(" ")).into_bytes()),
            (2, b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec()),
        ];
        for i in 0..n {
            let o = 10 + 2 * i as u32;
            objects.push((o, format!("<< /Type /Filespec /F (f{i}.txt) /EF << /F {} 0 R >> >>", o + 1).into_bytes()));
            objects.push((o + 1, stream("/Type /EmbeddedFile", format!("file {i}").as_bytes())));
        }
        pdf(&objects)
    };
    let report = run(vec![Blob::new("files.pdf", with_files(MAX_PDF_EMBEDDED_FILES + 1))]);
    expect(&report, "embedded.files", "fail", "files.pdf", &format!("more than {MAX_PDF_EMBEDDED_FILES} embedded files"));
    let under = run(vec![Blob::new("files.pdf", with_files(MAX_PDF_EMBEDDED_FILES))]);
    expect(&under, "embedded.files", "pass", "files.pdf", &format!("{MAX_PDF_EMBEDDED_FILES} embedded file(s)"));
}

#[test]
fn max_pdf_reachable_shadow_check_over_the_limit_fails() {
    // Revision 1: a page using more objects than the limit (references to
    // undefined objects count: each is looked up). Revision 2 changes the page
    // tree's count only.
    let over = MAX_PDF_REACHABLE + 1;
    let refs = |from: usize, to: usize| (from..to).map(|i| format!("{} 0 R", 100 + i)).collect::<Vec<_>>().join(" ");
    let half = over / 2;
    let page = format!("<< /Type /Page /Parent 2 0 R /Contents [{}] /Resources << /X [{}] >> >>", refs(0, half), refs(half, over));
    let mut file =
        pdf(&[(1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()), (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()), (3, page.into_bytes())]);
    let prev = String::from_utf8_lossy(&file[file.len() - 40..]).split_whitespace().rev().nth(1).unwrap().parse::<usize>().unwrap();
    let obj = file.len();
    file.extend(b"4 0 obj\n(added)\nendobj\n");
    let xref = file.len();
    file.extend(format!("xref\n4 1\n{obj:010} 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    let pdf = Pdf::parse(&file).unwrap();
    assert_eq!(pdf.revisions().len(), 2);
    let start = Instant::now();
    let changes = sigaudit::pades::modifications::changes_after(&pdf, 0);
    let check = sigaudit::pades::modifications::shadow_check(&changes, None, sigaudit::pades::Attestation::Signature);
    assert!(start.elapsed() < PER_CALL);
    assert_eq!(check.status, sigaudit::report::Status::Fail, "{check:?}");
    assert!(check.message.contains(&format!("more than {MAX_PDF_REACHABLE} objects")), "{check:?}");
}

// ---------------------------------------------------------------- batch

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sigaudit-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn batch_a_limit_hit_fails_that_item_only() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let s = root.join("test-vectors/scenarios/binding/text-type");
    let dir = tmp("batch");
    let good = |id: &str| {
        let d = dir.join(id);
        std::fs::create_dir_all(&d).unwrap();
        for f in ["transaction_token.jwt", "transaction_token.ocsp", "signed_text.txt"] {
            std::fs::copy(s.join("input").join(f), d.join(f)).unwrap();
        }
    };
    good("a-good");
    // Over the per-file limit: a sparse file (checked before reading).
    let huge = dir.join("b-huge");
    std::fs::create_dir_all(&huge).unwrap();
    std::fs::File::create(huge.join("huge.pdf")).unwrap().set_len(MAX_FILE_BYTES + 1).unwrap();
    // Over the JWS limit: read, then a failed check.
    let big = dir.join("c-big-token");
    std::fs::create_dir_all(&big).unwrap();
    std::fs::write(big.join("big.jwt"), jws_of_length(MAX_JWS_BYTES + 1)).unwrap();
    // Over the JSON depth limit.
    let deep = dir.join("d-deep-json");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("deep.json"), format!("{}{}", "[".repeat(MAX_JSON_DEPTH + 1), "]".repeat(MAX_JSON_DEPTH + 1))).unwrap();
    good("e-good");
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_sigaudit"))
        .arg("batch")
        .arg(&dir)
        .args(["--jwks", &s.join("keys/transact_jwks.json").to_string_lossy(), "--trust", &s.join("trust/oces_root.pem").to_string_lossy(), "--at", AT])
        .args(["--jobs", "2", "--quiet"])
        .output()
        .unwrap();
    assert!(start.elapsed() < PER_CALL);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let rows: Vec<Value> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 5, "{rows:?}");
    let row = |id: &str| rows.iter().find(|r| r["id"].as_str().is_some_and(|r| r.ends_with(id))).unwrap_or_else(|| panic!("no row {id}: {rows:?}"));
    for id in ["a-good", "e-good"] {
        assert_eq!(row(id)["verdict"], "pass", "{}", row(id));
    }
    let huge_row = row("b-huge").to_string();
    assert!(huge_row.contains("huge.pdf") && huge_row.contains("per-file limit"), "{huge_row}");
    assert_ne!(row("b-huge")["verdict"], "pass");
    for (id, check) in [("c-big-token", "jws.size"), ("d-deep-json", "input.json")] {
        let r = row(id);
        assert_eq!(r["verdict"], "fail", "{r}");
        assert!(r.to_string().contains(check), "{r}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
