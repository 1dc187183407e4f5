//! Collecting a bundle: what each recognised file contributes (keys,
//! documents, tokens, OCSP responses, PDFs, API results), and the containers
//! (token responses, workflow results, PDFs with embedded evidence) that hold
//! several pieces, so the report can show each piece where it came from.

use super::trust::OcspSource;
use crate::binding::Document;
use crate::checks::CheckId;
use crate::crypto::sha256;
use crate::detect::{detect, Detected, ResultInfo, WorkflowStatus};
use crate::evidence::Blob;
use crate::jwt::TokenRole;
use crate::keys::{parse_jwk, parse_jwks, KeyStore};
use crate::report::{Check, Fact, Node, NodeKind};
use crate::signservice::{PadesFlow, SdoFlow};

/// A token found in the evidence, before verification.
pub struct Slot {
    pub text: String,
    pub role: Option<TokenRole>,
    pub origin: String,
    pub container: Option<usize>,
    pub input: usize,
}

/// A piece of evidence that holds others: its node collects their nodes.
pub struct Container {
    pub node: Node,
    pub input: usize,
    pub info: Option<ResultInfo>,
    /// The container this one sits in (a PDF inside a workflow result).
    pub parent: Option<usize>,
}

/// Where a PDF's bytes are.
pub enum PdfBytes {
    /// The whole input file.
    Input(usize),
    /// Decoded from a JSON result or embedded in another PDF.
    Owned(Vec<u8>),
}

/// A PDF to inspect.
pub struct PdfItem {
    pub bytes: PdfBytes,
    /// Its own container node.
    pub container: usize,
    /// Its entry in the documents list.
    pub document: usize,
}

/// A sign-service result to check once all documents are known.
pub enum SignResult {
    Pades { flow: PadesFlow, container: usize, signed_document: Option<usize> },
    Sdo { flow: SdoFlow, container: usize },
}

/// Everything collected from a bundle.
#[derive(Default)]
pub struct Bundle {
    pub keys: KeyStore,
    pub docs: Vec<Document>,
    /// The input file each document came from, and whether that file was otherwise unrecognised.
    pub doc_inputs: Vec<(usize, bool)>,
    pub slots: Vec<Slot>,
    pub containers: Vec<Container>,
    pub statuses: Vec<(WorkflowStatus, String, usize)>,
    pub other_nodes: Vec<(usize, Node)>,
    pub ocsp: Vec<OcspSource>,
    pub ocsp_inputs: Vec<usize>,
    pub pdfs: Vec<PdfItem>,
    pub sign_results: Vec<SignResult>,
    /// PDFs that a result presents as the signed one (a sign-service result's
    /// `padesSignedPdf`, a workflow PAdES result's sealed `padesDocument`), by
    /// document index, with a sentence naming the member and that claim.
    pub claimed_signed: Vec<(usize, String)>,
}

/// Where a piece is being added from.
pub struct Source<'s> {
    /// How to name it in messages: "'x.json'" or "embedded 'a.jwt' of 'x.pdf'".
    pub name: &'s str,
    pub input: usize,
    pub parent: Option<usize>,
    /// Nesting of PDFs inside PDFs (bounded).
    pub depth: usize,
    /// The SHA-256 of `bytes`, when already computed.
    pub sha256: Option<[u8; 32]>,
}

fn recognised(name: &str, what: &str) -> Check {
    let article = if what.starts_with("a ") || what.starts_with("an ") { "" } else { "a " };
    Check::pass(CheckId::InputRecognised, format!("{name} is {article}{what}"))
}

impl Bundle {
    fn container(&mut self, kind: NodeKind, subject: String, src: &Source<'_>, info: Option<ResultInfo>) -> usize {
        self.containers.push(Container { node: Node::new(kind, subject), input: src.input, info, parent: src.parent });
        self.containers.len() - 1
    }

    #[allow(clippy::too_many_arguments)]
    fn document(
        &mut self,
        name: String,
        title: Option<String>,
        bytes: &[u8],
        known: Option<[u8; 32]>,
        is_pdf: bool,
        input: usize,
        unrecognised: bool,
    ) -> usize {
        let digest = known.unwrap_or_else(|| sha256(bytes));
        self.docs.push(Document { name, title, sha256: digest, size: bytes.len() as u64, is_pdf });
        self.doc_inputs.push((input, unrecognised));
        self.docs.len() - 1
    }

    fn ocsp_b64(&mut self, b64: &str, source: String, container: usize, src: &Source<'_>, checks: &mut Vec<Check>) {
        match crate::encoding::b64_decode_lenient_ws(b64) {
            Ok(der) => {
                self.ocsp.push(OcspSource::new(der, source, Some(container)));
                self.ocsp_inputs.push(src.input);
            }
            Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("{}: {source} is not base64: {why}", src.name))),
        }
    }

    /// Adds a PDF: its container, its document entry, and its embedded evidence.
    /// Returns its document index (embedded PDFs add entries after it).
    fn pdf(&mut self, bytes: PdfBytes, data: &[u8], display: String, src: &Source<'_>, checks: &mut Vec<Check>) -> usize {
        let c = self.container(NodeKind::Pdf, format!("PDF {display}"), src, None);
        let d = self.document(display.clone(), None, data, src.sha256, true, src.input, false);
        self.pdfs.push(PdfItem { bytes, container: c, document: d });
        if src.depth < 2 {
            let (files, _) = crate::pades::extract_embedded(data);
            for f in files {
                let name = format!("embedded '{}' of {display}", f.name);
                let blob = Blob::new(name.clone(), f.bytes);
                let det = detect(&blob);
                let inner = Source { name: &name, input: src.input, parent: Some(c), depth: src.depth + 1, sha256: None };
                if !matches!(det, Detected::Unrecognised(_)) {
                    self.add(det, &blob.bytes, &inner, checks);
                }
            }
        }
        d
    }

    /// Adds one recognised piece of evidence.
    pub fn add(&mut self, det: Detected, bytes: &[u8], src: &Source<'_>, checks: &mut Vec<Check>) {
        let name = src.name;
        match det {
            Detected::Jws(text) => {
                checks.push(recognised(name, "a compact JWS"));
                let (origin, container) = match src.parent {
                    Some(p) => (name.to_string(), Some(p)),
                    None => (name.to_string(), None),
                };
                self.slots.push(Slot { text, role: None, origin, container, input: src.input });
            }
            Detected::TokenResponse(r) => {
                checks.push(recognised(name, &Detected::TokenResponse(r.clone()).describe()));
                for p in &r.problems {
                    checks.push(Check::fail(CheckId::InputJson, format!("{name}: {p}")));
                }
                let c = self.container(NodeKind::TokenResponse, format!("token endpoint response {name}"), src, None);
                if let Some(b64) = &r.ocsp_b64 {
                    self.ocsp_b64(b64, format!("from {name} member transaction_token_ocsp_resp"), c, src, checks);
                }
                for (member, text, role) in [
                    ("id_token", r.id_token, TokenRole::IdToken),
                    ("access_token", r.access_token, TokenRole::AccessToken),
                    ("transaction_token", r.transaction_token, TokenRole::TransactionToken),
                ] {
                    if let Some(text) = text {
                        self.slots.push(Slot {
                            text: text.trim().to_string(),
                            role: Some(role),
                            origin: format!("member {member}"),
                            container: Some(c),
                            input: src.input,
                        });
                    }
                }
            }
            Detected::TokenError { error, description } => {
                let mut c =
                    Check::warn(CheckId::InputTokenError, format!("{name} is a token endpoint error response (\"{error}\"): it holds no token to verify"));
                if let Some(d) = description {
                    c = c.with(Fact::text("error_description", d));
                }
                checks.push(c);
            }
            Detected::WorkflowTokenResult { token, ocsp_b64, cert_pem, info, problems } => {
                checks.push(recognised(name, "a workflow token result"));
                for p in &problems {
                    checks.push(Check::fail(CheckId::InputJson, format!("{name}: {p}")));
                }
                if let Some(pem_text) = cert_pem {
                    match crate::policy::load_certificates(&Blob::new(name, pem_text.into_bytes())) {
                        Ok(certs) => certs.into_iter().for_each(|cert| self.keys.add_certificate(cert, format!("publicSigningCertPem of {name}"), None)),
                        Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("{name}: publicSigningCertPem is unusable: {why}"))),
                    }
                }
                let c = self.container(NodeKind::WorkflowResult, format!("workflow token result {name}"), src, info);
                if let Some(b64) = &ocsp_b64 {
                    self.ocsp_b64(b64, format!("from {name} member ocspResponse"), c, src, checks);
                }
                if let Some(t) = token {
                    self.slots.push(Slot {
                        text: t.trim().to_string(),
                        role: Some(TokenRole::WorkflowToken),
                        origin: "member workflowToken".into(),
                        container: Some(c),
                        input: src.input,
                    });
                }
            }
            Detected::WorkflowPadesResult { pdf, info } => {
                let c = self.container(NodeKind::WorkflowResult, format!("workflow PAdES result {name}"), src, info.clone());
                if let Some(inf) = &info {
                    for (k, v) in [("documentCount", inf.document_count), ("signatureCount", inf.signature_count)] {
                        if let Some(v) = v {
                            self.containers[c].node.fact(Fact::int(k, v));
                        }
                    }
                }
                match pdf {
                    Ok(pdf_bytes) => {
                        checks.push(recognised(name, "a workflow PAdES result"));
                        let inner = Source { name, input: src.input, parent: Some(c), depth: src.depth, sha256: None };
                        let display = format!("{name} padesDocument");
                        let d = self.pdf(PdfBytes::Owned(pdf_bytes.clone()), &pdf_bytes, display.clone(), &inner, checks);
                        self.claimed_signed.push((d, format!("{display} is presented as the workflow's sealed PDF (broker.md §4)")));
                    }
                    Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("{name}: {why}"))),
                }
            }
            Detected::SignServicePades(flow) => {
                checks.push(recognised(name, "a sign-service PAdES result"));
                let c = self.container(NodeKind::SignServiceResult, format!("sign-service PAdES result {name}"), src, None);
                let signed_document = flow.signed_pdf.clone().map(|pdf_bytes| {
                    let inner = Source { name, input: src.input, parent: Some(c), depth: src.depth, sha256: None };
                    let display = format!("{name} padesSignedPdf");
                    let d = self.pdf(PdfBytes::Owned(pdf_bytes.clone()), &pdf_bytes, display.clone(), &inner, checks);
                    self.claimed_signed.push((d, format!("{display} is presented as the signed PDF of a sign-service PAdES result (broker.md §5)")));
                    d
                });
                if let Some(d) = &flow.description {
                    self.containers[c].node.fact(Fact::text("description", d.clone()));
                }
                self.sign_results.push(SignResult::Pades { flow, container: c, signed_document });
            }
            Detected::SignServiceSdo(flow) => {
                checks.push(recognised(name, &format!("a sign-service SEID-SDO result with {} signatures", flow.signatures.len())));
                let c = self.container(NodeKind::SignServiceResult, format!("sign-service SEID-SDO result {name}"), src, None);
                self.sign_results.push(SignResult::Sdo { flow, container: c });
            }
            Detected::WorkflowStatus(status) => {
                checks.push(recognised(name, &format!("a workflow status ({} signatures)", status.signatures.len())));
                let mut node = Node::new(NodeKind::WorkflowStatus, format!("workflow status {name}"));
                if let Some(id) = &status.id {
                    node.fact(Fact::text("workflow_id", id.clone()));
                }
                self.other_nodes.push((src.input, node));
                self.statuses.push((status, format!("the workflow status {name}"), src.input));
            }
            Detected::WorkflowCreateRequest { pdfs, .. } => {
                checks.push(recognised(name, &format!("a workflow create request with {} PDFs", pdfs.len())));
                for (k, (t, b)) in pdfs.into_iter().enumerate() {
                    match b {
                        Ok(b) => {
                            self.document(format!("{name} pdfList[{k}]"), Some(t), &b, None, true, src.input, false);
                        }
                        Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("{name}: {why}"))),
                    }
                }
            }
            Detected::Jwks(value) => match parse_jwks(&value, name.trim_matches('\''), false) {
                Ok(store) => {
                    let mut c = recognised(name, &format!("a JWKS with {} usable keys", store.entries.len()));
                    for s in &store.skipped {
                        c = c.with(Fact::text("skipped_key", format!("{}: {}", s.origin, s.reason)));
                    }
                    checks.push(c);
                    for e in store.entries.iter().filter(|e| e.jwk.as_ref().is_some_and(|m| m.has_private)) {
                        checks.push(Check::warn(
                            CheckId::InputRecognised,
                            format!("{name}: {} holds private key material; a published key set must contain public keys only", e.origins[0]),
                        ));
                    }
                    self.keys.extend(&store);
                }
                Err(why) => checks.push(Check::fail(CheckId::InputJson, format!("{name}: {why}"))),
            },
            Detected::Jwk(value) => match parse_jwk(&value, &format!("JWK {name}")) {
                Ok(entry) => {
                    checks.push(recognised(name, &format!("a JWK ({})", entry.key.describe())));
                    self.keys.add(entry);
                }
                Err(why) => checks.push(Check::fail(CheckId::InputJson, format!("{name}: {why}"))),
            },
            Detected::Certificates(certs) => {
                checks.push(recognised(name, &Detected::Certificates(certs.clone()).describe()));
                for (k, cert) in certs.into_iter().enumerate() {
                    self.keys.add_certificate(cert, format!("certificate #{} of {name}", k + 1), None);
                }
            }
            Detected::Ocsp(der) => {
                checks.push(recognised(name, "an OCSP response"));
                self.ocsp.push(OcspSource::new(der, format!("file {name}"), src.parent));
                self.ocsp_inputs.push(src.input);
            }
            Detected::Pdf => {
                checks.push(recognised(name, "a PDF"));
                let owned = if src.parent.is_some() { PdfBytes::Owned(bytes.to_vec()) } else { PdfBytes::Input(src.input) };
                self.pdf(owned, bytes, name.to_string(), src, checks);
            }
            // Altinn 3: checked over the whole bundle by src/altinn (see verify/mod.rs).
            Detected::Altinn(doc) => checks.push(recognised(name, &format!("an {}", doc.describe()))),
            Detected::Malformed { what, reason, json } => {
                let id = if json { CheckId::InputJson } else { CheckId::InputEncoding };
                checks.push(Check::fail(id, format!("{name} looks like {what} but is unusable: {reason}")));
            }
            Detected::Unrecognised(_) => {
                // Possibly a signed text: offered to text claims, reported later if unmatched.
                self.document(name.to_string(), None, bytes, src.sha256, false, src.input, true);
            }
        }
    }
}
