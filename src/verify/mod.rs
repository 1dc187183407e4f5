//! The entry point: a bundle of evidence and a policy in, a [`Report`] out.
//!
//! 1. Inputs: size limits, then detection of every file.
//! 2. Collection: keys from every source, documents, tokens with their containers.
//! 3. Each token verified on its own ([`token::verify_token`]).
//! 4. Links: `at_hash` between tokens issued together, document hash claims to
//!    supplied documents, a workflow token to its results, status and signers.
//! 5. Assembly: one node per container or token, then documents, then inputs.
//!
//! Never returns an error for bad evidence: problems are failed checks.

pub mod token;
pub mod trust;

use crate::binding::{self, bind_documents, extract_document_claims, DocClaim, Document};
use crate::checks::CheckId;
use crate::crypto::sha256;
use crate::detect::{detect, Detected, ResultInfo, WorkflowStatus};
use crate::evidence::Evidence;
use crate::jwt::at_hash;
use crate::jwt::TokenRole;
use crate::keys::{parse_jwk, parse_jwks, KeyStore};
use crate::limits::{MAX_BUNDLE_BYTES, MAX_FILES, MAX_FILE_BYTES};
use crate::policy::{Policy, ValidationTime};
use crate::report::{Check, Fact, InputSummary, Node, NodeKind, Report, Status};
use serde_json::Value;
use std::sync::Arc;
use token::{verify_token, TokenInput, TokenOutcome};
use trust::{Context, OcspSource};

/// A token found in the evidence, before verification.
struct Slot {
    text: String,
    role: Option<TokenRole>,
    origin: String,
    container: Option<usize>,
    input: usize,
}

/// A file that holds several pieces (a token response, a workflow result).
struct Container {
    node: Node,
    input: usize,
    info: Option<ResultInfo>,
}

/// What one input file contributed, for its line in the inputs section.
struct InputState {
    detected: Option<Detected>,
    checks: Vec<Check>,
    /// Unrecognised content that turned out to be a signed document.
    matched_as_document: bool,
}

/// Verifies a bundle of evidence under a policy.
pub fn verify(evidence: &Evidence, policy: &Policy) -> Report {
    let blobs = &evidence.blobs;
    let mut inputs: Vec<InputState> = Vec::with_capacity(blobs.len());
    let mut summaries = Vec::with_capacity(blobs.len());
    let total: u64 = blobs.iter().map(|b| b.bytes.len() as u64).sum();
    let bundle_too_big = total > MAX_BUNDLE_BYTES || blobs.len() > MAX_FILES;

    for blob in blobs {
        let size = blob.bytes.len() as u64;
        let mut state = InputState { detected: None, checks: Vec::new(), matched_as_document: false };
        if bundle_too_big {
            // Reported once below; nothing is parsed.
        } else if size > MAX_FILE_BYTES {
            state.checks.push(
                Check::fail(CheckId::InputSize, format!("'{}' is {size} bytes, over the per-file limit of {MAX_FILE_BYTES}; it was not read", blob.name))
                    .with(Fact::int("size", size as i64)),
            );
        } else {
            state.detected = Some(detect(blob));
        }
        summaries.push(InputSummary {
            name: blob.name.clone(),
            size,
            sha256: hex::encode(sha256(&blob.bytes)),
            kind: state.detected.as_ref().map(Detected::describe).unwrap_or_else(|| "not read (over a size limit)".into()),
        });
        inputs.push(state);
    }

    let mut nodes = Vec::new();
    if bundle_too_big {
        let mut n = Node::new(NodeKind::Inputs, "inputs");
        n.check(Check::fail(
            CheckId::InputSize,
            format!(
                "the bundle has {} files and {total} bytes, over the limits of {MAX_FILES} files and {MAX_BUNDLE_BYTES} bytes; nothing was read",
                blobs.len()
            ),
        ));
        nodes.push(n);
        return Report { policy: policy.summary.clone(), inputs: summaries, nodes };
    }

    // 2. Collect keys, documents, tokens.
    let mut keys = KeyStore::default();
    keys.extend(&policy.keys);
    let mut docs: Vec<Document> = Vec::new();
    let mut doc_inputs: Vec<usize> = Vec::new();
    let mut slots: Vec<Slot> = Vec::new();
    let mut containers: Vec<Container> = Vec::new();
    let mut statuses: Vec<(WorkflowStatus, String, usize)> = Vec::new();
    let mut other_nodes: Vec<(usize, Node)> = Vec::new();
    let mut ocsp_sources: Vec<OcspSource> = Vec::new();
    let mut ocsp_inputs: Vec<usize> = Vec::new();

    for (i, blob) in blobs.iter().enumerate() {
        let name = &blob.name;
        let Some(det) = inputs[i].detected.clone() else { continue };
        let checks = &mut inputs[i].checks;
        let recognised = |what: String| {
            let article = if what.starts_with("a ") || what.starts_with("an ") { "" } else { "a " };
            Check::pass(CheckId::InputRecognised, format!("'{name}' is {article}{what}"))
        };
        match det {
            Detected::Jws(text) => {
                checks.push(recognised("a compact JWS".into()));
                slots.push(Slot { text, role: None, origin: format!("'{name}'"), container: None, input: i });
            }
            Detected::TokenResponse(r) => {
                checks.push(recognised(Detected::TokenResponse(r.clone()).describe()));
                for p in &r.problems {
                    checks.push(Check::fail(CheckId::InputJson, format!("'{name}': {p}")));
                }
                let c = containers.len();
                let node = Node::new(NodeKind::TokenResponse, format!("token endpoint response '{name}'"));
                containers.push(Container { node, input: i, info: None });
                if let Some(b64) = &r.ocsp_b64 {
                    match crate::encoding::b64_decode_lenient_ws(b64) {
                        Ok(der) => {
                            ocsp_sources.push(OcspSource::new(der, format!("from '{name}' member transaction_token_ocsp_resp"), Some(c)));
                            ocsp_inputs.push(i);
                        }
                        Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("'{name}': transaction_token_ocsp_resp is not base64: {why}"))),
                    }
                }
                for (member, text, role) in [
                    ("id_token", r.id_token, TokenRole::IdToken),
                    ("access_token", r.access_token, TokenRole::AccessToken),
                    ("transaction_token", r.transaction_token, TokenRole::TransactionToken),
                ] {
                    if let Some(text) = text {
                        slots.push(Slot { text: text.trim().to_string(), role: Some(role), origin: format!("member {member}"), container: Some(c), input: i });
                    }
                }
            }
            Detected::TokenError { error, description } => {
                let mut c = Check::warn(
                    CheckId::InputTokenError,
                    format!("'{name}' is a token endpoint error response (\"{error}\"): it holds no token to verify"),
                );
                if let Some(d) = description {
                    c = c.with(Fact::text("error_description", d));
                }
                checks.push(c);
            }
            Detected::WorkflowTokenResult { token, ocsp_b64, cert_pem, info, problems } => {
                checks.push(recognised("a workflow token result".into()));
                for p in &problems {
                    checks.push(Check::fail(CheckId::InputJson, format!("'{name}': {p}")));
                }
                if let Some(pem_text) = cert_pem {
                    match crate::policy::load_certificates(&crate::evidence::Blob::new(name.clone(), pem_text.into_bytes())) {
                        Ok(certs) => {
                            for cert in certs {
                                keys.add_certificate(cert, format!("publicSigningCertPem of '{name}'"), None);
                            }
                        }
                        Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("'{name}': publicSigningCertPem is unusable: {why}"))),
                    }
                }
                let c = containers.len();
                let node = Node::new(NodeKind::WorkflowResult, format!("workflow token result '{name}'"));
                containers.push(Container { node, input: i, info });
                if let Some(b64) = &ocsp_b64 {
                    match crate::encoding::b64_decode_lenient_ws(b64) {
                        Ok(der) => {
                            ocsp_sources.push(OcspSource::new(der, format!("from '{name}' member ocspResponse"), Some(c)));
                            ocsp_inputs.push(i);
                        }
                        Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("'{name}': ocspResponse is not base64: {why}"))),
                    }
                }
                if let Some(t) = token {
                    slots.push(Slot { text: t.trim().to_string(), role: Some(TokenRole::WorkflowToken), origin: "member workflowToken".into(), container: Some(c), input: i });
                }
            }
            Detected::WorkflowPadesResult { pdf, info } => {
                match pdf {
                    Ok(bytes) => {
                        checks.push(recognised("a workflow PAdES result".into()));
                        docs.push(Document {
                            name: format!("'{name}' padesDocument"),
                            title: None,
                            sha256: sha256(&bytes),
                            size: bytes.len() as u64,
                            is_pdf: crate::detect::is_pdf(&bytes),
                        });
                        doc_inputs.push(i);
                    }
                    Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("'{name}': {why}"))),
                }
                let mut node = Node::new(NodeKind::WorkflowResult, format!("workflow PAdES result '{name}'"));
                if let Some(inf) = &info {
                    if let Some(d) = inf.document_count {
                        node.fact(Fact::int("documentCount", d));
                    }
                    if let Some(s) = inf.signature_count {
                        node.fact(Fact::int("signatureCount", s));
                    }
                }
                containers.push(Container { node, input: i, info });
            }
            Detected::WorkflowStatus(status) => {
                checks.push(recognised(format!("a workflow status ({} signatures)", status.signatures.len())));
                let mut node = Node::new(NodeKind::WorkflowStatus, format!("workflow status '{name}'"));
                if let Some(id) = &status.id {
                    node.fact(Fact::text("workflow_id", id.clone()));
                }
                other_nodes.push((i, node));
                statuses.push((status, format!("the workflow status '{name}'"), i));
            }
            Detected::WorkflowCreateRequest { title, pdfs } => {
                checks.push(recognised(format!("a workflow create request with {} PDFs", pdfs.len())));
                let _ = title;
                for (k, (t, bytes)) in pdfs.into_iter().enumerate() {
                    match bytes {
                        Ok(b) => {
                            docs.push(Document {
                                name: format!("'{name}' pdfList[{k}]"),
                                title: Some(t),
                                sha256: sha256(&b),
                                size: b.len() as u64,
                                is_pdf: true,
                            });
                            doc_inputs.push(i);
                        }
                        Err(why) => checks.push(Check::fail(CheckId::InputEncoding, format!("'{name}': {why}"))),
                    }
                }
            }
            Detected::Jwks(value) => match parse_jwks(&value, name, false) {
                Ok(store) => {
                    let mut c = recognised(format!("a JWKS with {} usable keys", store.entries.len()));
                    for s in &store.skipped {
                        c = c.with(Fact::text("skipped_key", format!("{}: {}", s.origin, s.reason)));
                    }
                    checks.push(c);
                    for e in &store.entries {
                        if e.jwk.as_ref().is_some_and(|m| m.has_private) {
                            checks.push(Check::warn(
                                CheckId::InputRecognised,
                                format!("'{name}': {} holds private key material; a published key set must contain public keys only", e.origins[0]),
                            ));
                        }
                    }
                    keys.extend(&store);
                }
                Err(why) => checks.push(Check::fail(CheckId::InputJson, format!("'{name}': {why}"))),
            },
            Detected::Jwk(value) => match parse_jwk(&value, &format!("JWK '{name}'")) {
                Ok(entry) => {
                    checks.push(recognised(format!("a JWK ({})", entry.key.describe())));
                    keys.add(entry);
                }
                Err(why) => checks.push(Check::fail(CheckId::InputJson, format!("'{name}': {why}"))),
            },
            Detected::Certificates(certs) => {
                checks.push(recognised(Detected::Certificates(certs.clone()).describe()));
                for (k, cert) in certs.into_iter().enumerate() {
                    keys.add_certificate(cert, format!("certificate #{} of '{name}'", k + 1), None);
                }
            }
            Detected::Ocsp(der) => {
                checks.push(recognised("an OCSP response".into()));
                ocsp_sources.push(OcspSource::new(der, format!("file '{name}'"), None));
                ocsp_inputs.push(i);
            }
            Detected::Pdf => {
                checks.push(recognised("a PDF".into()));
                docs.push(Document {
                    name: format!("'{name}'"),
                    title: None,
                    sha256: sha256(&blob.bytes),
                    size: blob.bytes.len() as u64,
                    is_pdf: true,
                });
                doc_inputs.push(i);
            }
            Detected::Malformed { what, reason, json } => {
                let id = if json { CheckId::InputJson } else { CheckId::InputEncoding };
                checks.push(Check::fail(id, format!("'{name}' looks like {what} but is unusable: {reason}")));
            }
            Detected::Unrecognised(_) => {
                // Possibly a signed text: offered to text claims, reported below if unmatched.
                docs.push(Document {
                    name: format!("'{name}'"),
                    title: None,
                    sha256: sha256(&blob.bytes),
                    size: blob.bytes.len() as u64,
                    is_pdf: false,
                });
                doc_inputs.push(i);
            }
        }
    }

    // Every certificate in the evidence is a candidate intermediate or responder.
    let mut pool: Vec<Arc<crate::x509::Certificate>> = Vec::new();
    for e in &keys.entries {
        pool.extend(e.cert.iter().cloned());
        pool.extend(e.chain.iter().cloned());
    }
    for src in &ocsp_sources {
        if let Some(basic) = src.parsed.as_ref().and_then(|p| p.basic.as_ref()) {
            pool.extend(basic.certs.iter().cloned());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    pool.retain(|c| seen.insert(c.sha256));

    // 3. Verify each token.
    let ctx = Context { keys: &keys, policy, pool: &pool, ocsp: &ocsp_sources };
    let outcomes: Vec<TokenOutcome> = slots
        .iter()
        .map(|s| verify_token(&TokenInput { text: &s.text, role: s.role, origin: s.origin.clone(), container: s.container }, &ctx))
        .collect();
    let used_ocsp: std::collections::BTreeSet<usize> = outcomes.iter().flat_map(|o| o.used_ocsp.iter().copied()).collect();
    for (k, src) in ocsp_sources.iter().enumerate() {
        if !used_ocsp.contains(&k) {
            inputs[ocsp_inputs[k]].checks.push(Check::warn(
                CheckId::InputRecognised,
                format!("the OCSP response {} is not about the signing certificate of any supplied token, so it was not checked", src.source),
            ));
        }
    }
    let mut token_nodes: Vec<Node> = outcomes.iter().map(|o| o.node.clone()).collect();
    for (k, o) in outcomes.iter().enumerate() {
        if let (ValidationTime::Signing, Some(t)) = (policy.time, o.validation_time) {
            token_nodes[k].fact(Fact::time("validation_time", t));
            token_nodes[k].fact(Fact::text("validation_time_source", "the token's iat (claimed by its signer)"));
        }
    }

    // 4a. at_hash between an id_token and the access token issued with it.
    link_at_hash(&slots, &outcomes, &mut token_nodes);

    // 4b. Document hash claims.
    let mut claims_per_token: Vec<Vec<DocClaim>> = Vec::with_capacity(outcomes.len());
    for (k, o) in outcomes.iter().enumerate() {
        let (claims, problems) = o.claims.as_ref().map(extract_document_claims).unwrap_or_default();
        token_nodes[k].checks.extend(problems);
        claims_per_token.push(claims);
    }
    let bindings = bind_documents(&claims_per_token, &docs);
    let mut referenced_by: Vec<Vec<String>> = vec![Vec::new(); docs.len()];
    for (k, token_bindings) in bindings.into_iter().enumerate() {
        for (c, b) in token_bindings.into_iter().enumerate() {
            for &d in &b.matched {
                referenced_by[d].push(format!("{} ({})", outcomes[k].role.name(), claims_per_token[k][c].claim));
            }
            token_nodes[k].check(b.check);
        }
    }

    // 4c. Workflow tokens against results, statuses and signers.
    link_workflows(&slots, &outcomes, &claims_per_token, &containers, &statuses, &mut token_nodes);

    // 5. Assemble.
    let any_doc_claims = claims_per_token.iter().any(|c| !c.is_empty());
    let mut doc_nodes: Vec<(usize, Node)> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let input = doc_inputs[d];
        let is_unrecognised = matches!(inputs[input].detected, Some(Detected::Unrecognised(_)));
        if is_unrecognised && referenced_by[d].is_empty() {
            continue;
        }
        if is_unrecognised {
            inputs[input].matched_as_document = true;
        }
        let mut node = Node::new(NodeKind::Document, format!("document {}", doc.name));
        node.fact(Fact::sha256("sha256", &doc.sha256));
        node.fact(Fact::int("size", doc.size as i64));
        if let Some(t) = &doc.title {
            node.fact(Fact::text("title", t.clone()));
        }
        if !referenced_by[d].is_empty() {
            node.check(Check::pass(CheckId::DocumentReferenced, format!("referenced by {}", referenced_by[d].join(", "))));
        } else if any_doc_claims {
            node.check(Check::warn(
                CheckId::DocumentReferenced,
                format!("{} is not referenced by any supplied token's hash claim", doc.name),
            ));
        }
        doc_nodes.push((input, node));
    }

    // Inputs section.
    let mut input_node = Node::new(NodeKind::Inputs, format!("inputs ({} files)", blobs.len()));
    for (i, state) in inputs.iter_mut().enumerate() {
        if let Some(Detected::Unrecognised(why)) = &state.detected {
            if state.matched_as_document {
                state.checks.push(Check::pass(CheckId::InputRecognised, format!("'{}' is a signed document (matched by hash)", blobs[i].name)));
            } else {
                state.checks.push(Check::warn(
                    CheckId::InputRecognised,
                    format!("'{}' was not recognised ({why}) and was not checked", blobs[i].name),
                ));
            }
        }
        input_node.checks.append(&mut state.checks);
    }

    // Tokens go under their containers; everything is ordered by input file.
    let mut ordered: Vec<(usize, usize, Node)> = Vec::new();
    let mut container_nodes: Vec<Option<Node>> = containers.iter().map(|c| Some(c.node.clone())).collect();
    for (k, node) in token_nodes.into_iter().enumerate() {
        match slots[k].container {
            Some(c) => {
                if let Some(cn) = container_nodes[c].as_mut() {
                    cn.children.push(node);
                }
            }
            None => ordered.push((slots[k].input, 0, node)),
        }
    }
    for (c, node) in container_nodes.into_iter().enumerate() {
        if let Some(n) = node {
            ordered.push((containers[c].input, 0, n));
        }
    }
    for (input, node) in other_nodes {
        ordered.push((input, 1, node));
    }
    for (input, node) in doc_nodes {
        ordered.push((input, 2, node));
    }
    ordered.sort_by_key(|(input, rank, _)| (*input, *rank));

    let verified_something = ordered.iter().any(|(_, _, n)| n.verdict().is_some());
    if !verified_something && !input_node.checks.iter().any(|c| c.status == Status::Fail) {
        input_node.check(Check::indeterminate(
            CheckId::InputNothingToVerify,
            "nothing verifiable was supplied: no token was found (PDFs are hashed and bound to token claims; their own signatures are not inspected by this version)",
        ));
    }
    nodes.push(input_node);
    nodes.extend(ordered.into_iter().map(|(_, _, n)| n));
    Report { policy: policy.summary.clone(), inputs: summaries, nodes }
}

/// Adds `jwt.at_hash` to id_tokens: against the access token of the same
/// response when there is one, else against any supplied access token.
fn link_at_hash(slots: &[Slot], outcomes: &[TokenOutcome], nodes: &mut [Node]) {
    for (k, o) in outcomes.iter().enumerate() {
        if o.role != TokenRole::IdToken {
            continue;
        }
        let (Some(alg), Some(claimed)) = (o.alg, o.claims.as_ref().and_then(|c| c.get("at_hash")).and_then(Value::as_str)) else {
            continue;
        };
        let partner = slots[k].container.and_then(|c| {
            (0..outcomes.len()).find(|&j| j != k && slots[j].container == Some(c) && outcomes[j].role == TokenRole::AccessToken)
        });
        if let Some(j) = partner {
            nodes[k].check(at_hash::check(alg, claimed, &outcomes[j].compact, "of the same response"));
            continue;
        }
        let access: Vec<usize> = (0..outcomes.len()).filter(|&j| outcomes[j].role == TokenRole::AccessToken).collect();
        if access.is_empty() {
            continue;
        }
        match access.iter().find(|&&j| at_hash::compute(alg, &outcomes[j].compact) == claimed) {
            Some(&j) => nodes[k].check(at_hash::check(alg, claimed, &outcomes[j].compact, &format!("from {}", slots[j].origin))),
            None => nodes[k].check(
                Check::fail(CheckId::JwtAtHash, "at_hash matches none of the supplied access tokens")
                    .with(Fact::text("claimed", claimed)),
            ),
        }
    }
}

/// Workflow tokens: claim numbering and counts, API result info, status, signers.
fn link_workflows(
    slots: &[Slot],
    outcomes: &[TokenOutcome],
    doc_claims: &[Vec<DocClaim>],
    containers: &[Container],
    statuses: &[(WorkflowStatus, String, usize)],
    nodes: &mut [Node],
) {
    let workflow_count = outcomes.iter().filter(|o| o.role == TokenRole::WorkflowToken).count();
    for (k, o) in outcomes.iter().enumerate() {
        if o.role != TokenRole::WorkflowToken {
            continue;
        }
        let Some(claims) = &o.claims else { continue };
        let wf_docs: Vec<DocClaim> = doc_claims[k]
            .iter()
            .filter(|d| matches!(d.kind, binding::ClaimKind::WorkflowDocument { .. }))
            .cloned()
            .collect();
        let (sigs, problems) = binding::workflow::signatures(claims);
        nodes[k].checks.extend(problems);
        nodes[k].checks.extend(binding::workflow::check_claims(claims, &wf_docs, &sigs));
        for (c, container) in containers.iter().enumerate() {
            let own = slots[k].container == Some(c);
            // A result's info belongs to the token it came with, or to the only workflow token.
            if let Some(info) = &container.info {
                if own || workflow_count == 1 {
                    nodes[k].check(binding::workflow::check_result_info(info, wf_docs.len(), sigs.len(), &container.node.subject));
                }
            }
        }
        for (status, source, _) in statuses {
            nodes[k].checks.extend(binding::workflow::check_status(claims, &sigs, status, source));
        }
        for (j, tx) in outcomes.iter().enumerate() {
            if tx.role != TokenRole::TransactionToken {
                continue;
            }
            let Some(tx_claims) = &tx.claims else { continue };
            let name = format!("the transaction token from {}", slots[j].origin);
            if let Some(check) = binding::workflow::check_signer_token(claims, &sigs, &wf_docs, tx_claims, &doc_claims[j], &name) {
                nodes[k].check(check);
            }
        }
    }
}

