//! The entry point: a bundle of evidence and a policy in, a [`Report`] out.
//!
//! 1. Inputs: size limits, then detection of every file.
//! 2. Collection: keys from every source, documents, tokens with their containers.
//! 3. Each token verified on its own ([`token::verify_token`]).
//! 4. Links: `at_hash`, one signing key and one login (same user, same request) between tokens
//!    issued together, document hash claims to supplied documents, a workflow token to its
//!    results, status and signers.
//! 5. Assembly: one node per container or token, then documents, then inputs.
//!
//! Never returns an error for bad evidence: problems are failed checks.

pub mod collect;
pub mod header_cert;
pub mod response_key;
pub mod response_session;
pub mod token;
pub mod trust;
mod unsigned;

use crate::binding::{self, bind_documents, extract_document_claims, DocClaim};
use crate::checks::CheckId;
use crate::crypto::sha256;
use crate::detect::{detect, Detected, WorkflowStatus};
use crate::evidence::Evidence;
use crate::jwt::at_hash;
use crate::jwt::TokenRole;
use crate::limits::{MAX_BUNDLE_BYTES, MAX_FILES, MAX_FILE_BYTES};
use crate::policy::{Policy, ValidationTime};
use crate::report::{Check, Fact, InputSummary, Node, NodeKind, Report, Status};
use collect::{Bundle, Container, PdfBytes, SignResult, Slot, Source};
use serde_json::Value;
use std::sync::Arc;
use token::{verify_token, TokenInput, TokenOutcome};
use trust::Context;

/// What one input file contributed, for its line in the inputs section.
struct InputState {
    detected: Option<Detected>,
    checks: Vec<Check>,
    /// Unrecognised content that turned out to be a signed document.
    matched_as_document: bool,
}

/// Verifies a bundle of evidence under a policy.
pub fn verify(evidence: &Evidence, policy: &Policy) -> Report {
    let _cache = crate::cache::enter(&policy.cache);
    let blobs = &evidence.blobs;
    let mut inputs: Vec<InputState> = Vec::with_capacity(blobs.len());
    let mut summaries = Vec::with_capacity(blobs.len());
    let mut hashes: Vec<([u8; 32], crate::pades::hashing::Prehashed)> = Vec::with_capacity(blobs.len());
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
        // One pass: the file's SHA-256 and, for a PDF, its signatures' ByteRange digests.
        let (digest, pre) = match &state.detected {
            Some(Detected::Pdf) => crate::pades::hashing::hash_file(&blob.bytes, &crate::pades::hashing::planned_ranges(&blob.bytes)),
            _ => (sha256(&blob.bytes), Default::default()),
        };
        hashes.push((digest, pre));
        summaries.push(InputSummary {
            name: blob.name.clone(),
            size,
            sha256: crate::encoding::hex_lower(&digest),
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

    // 2. Collect keys, documents, tokens, PDFs and their embedded evidence.
    let mut b = Bundle::default();
    b.keys.extend(&policy.keys);
    for (i, blob) in blobs.iter().enumerate() {
        let Some(det) = inputs[i].detected.clone() else { continue };
        let name = format!("'{}'", blob.name);
        let src = Source { name: &name, input: i, parent: None, depth: 0, sha256: Some(hashes[i].0) };
        let mut checks = std::mem::take(&mut inputs[i].checks);
        b.add(det, &blob.bytes, &src, &mut checks);
        inputs[i].checks = checks;
    }
    let Bundle { keys, docs, doc_inputs, slots, mut containers, statuses, other_nodes, ocsp: ocsp_sources, ocsp_inputs, pdfs, sign_results, claimed_signed } =
        b;

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
    let mut outcomes: Vec<TokenOutcome> =
        slots.iter().map(|s| verify_token(&TokenInput { text: &s.text, role: s.role, origin: s.origin.clone(), container: s.container }, &ctx)).collect();
    let used_ocsp: std::collections::BTreeSet<usize> = outcomes.iter().flat_map(|o| o.used_ocsp.iter().copied()).collect();
    let mut ocsp_nodes: Vec<(usize, Node)> = Vec::new();
    for (k, src) in ocsp_sources.iter().enumerate() {
        if used_ocsp.contains(&k) {
            continue;
        }
        // Not about a token's signer: judge it for any supplied certificate it names.
        match trust::standalone_ocsp(src, &pool, policy) {
            Some(node) => ocsp_nodes.push((ocsp_inputs[k], node)),
            None => inputs[ocsp_inputs[k]].checks.push(Check::warn(
                CheckId::InputRecognised,
                format!("the OCSP response {} is about no supplied certificate, so it was not checked", src.source),
            )),
        }
    }
    // The nodes move out of the outcomes (nothing below reads `outcome.node`).
    let mut token_nodes: Vec<Node> = outcomes.iter_mut().map(|o| std::mem::replace(&mut o.node, Node::new(NodeKind::Jwt, String::new()))).collect();
    for (k, o) in outcomes.iter().enumerate() {
        if let (ValidationTime::Signing, Some(t)) = (policy.time, o.validation_time) {
            token_nodes[k].fact(Fact::time("validation_time", t));
            token_nodes[k].fact(Fact::text("validation_time_source", "the token's iat (claimed by its signer)"));
        }
    }

    // 4a. at_hash between an id_token and the access token issued with it.
    link_at_hash(&slots, &outcomes, &mut token_nodes);
    // 4a'. One signing key for the id_token and the access token of a response.
    response_key::link_response_key(&slots, &outcomes, &mut token_nodes);
    // 4a''. One login behind every token of a response: same user, identity provider, request.
    response_session::link_response_session(&slots, &outcomes, &mut containers);

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

    // 5. PDFs: their signatures, at the same policy and with the bundle's certificates.
    let pdf_ctx = crate::pades::Context { policy, pool: &pool, anchors: &policy.anchors, dss_certs: &[] };
    let mut signed_docs = std::collections::BTreeSet::new();
    for item in &pdfs {
        let data: &[u8] = match &item.bytes {
            PdfBytes::Input(i) => &blobs[*i].bytes,
            PdfBytes::Owned(v) => v,
        };
        let none = crate::pades::hashing::Prehashed::default();
        let pre = match &item.bytes {
            PdfBytes::Input(i) => &hashes[*i].1,
            PdfBytes::Owned(_) => &none,
        };
        let mut ins = crate::pades::inspect(data, pre, &pdf_ctx);
        if ins.signatures > 0 {
            signed_docs.insert(item.document);
        } else if let Some((_, claim)) = claimed_signed.iter().find(|(d, _)| *d == item.document) {
            unsigned::signed_claim_false(&mut ins.checks, claim);
        }
        let node = &mut containers[item.container].node;
        node.fact(Fact::sha256("sha256", &docs[item.document].sha256));
        node.fact(Fact::int("size", docs[item.document].size as i64));
        node.facts.extend(ins.facts);
        node.checks.extend(ins.checks);
        node.children.extend(ins.children);
    }

    // 6. Sign-service results, against the other supplied PDFs.
    for r in &sign_results {
        match r {
            SignResult::Pades { flow, container, signed_document } => {
                let originals: Vec<(String, &[u8])> = pdfs
                    .iter()
                    .filter(|p| Some(p.document) != *signed_document && containers[p.container].parent.is_none())
                    .filter_map(|p| match &p.bytes {
                        PdfBytes::Input(i) => Some((docs[p.document].name.clone(), blobs[*i].bytes.as_slice())),
                        PdfBytes::Owned(_) => None,
                    })
                    .collect();
                let checks = crate::signservice::check_pades_flow(flow, &originals);
                containers[*container].node.checks.extend(checks);
            }
            SignResult::Sdo { flow, container } => {
                let at = match policy.time {
                    ValidationTime::At(t) => Some(t),
                    ValidationTime::Signing => None,
                };
                let (checks, nodes) = crate::signservice::check_sdo_flow(flow, &pool, &policy.anchors, at);
                containers[*container].node.checks.extend(checks);
                containers[*container].node.children.extend(nodes);
            }
        }
    }

    // 6b. Altinn 3 instance exports (src/altinn), over the detected files.
    let detected: Vec<Option<&Detected>> = inputs.iter().map(|s| s.detected.as_ref()).collect();
    let digests: Vec<[u8; 32]> = hashes.iter().map(|h| h.0).collect();
    let mut altinn = crate::altinn::verify(blobs, &detected, &digests, policy);
    altinn.relabel(&mut summaries, &detected);

    // 7. Assemble.
    let any_doc_claims = claims_per_token.iter().any(|c| !c.is_empty());
    let service_bound = unsigned::bound_by_sign_service(&sign_results, &docs);
    let pdf_of_doc: std::collections::BTreeMap<usize, usize> = pdfs.iter().map(|p| (p.document, p.container)).collect();
    let mut doc_nodes: Vec<(usize, Node)> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let (input, unrecognised) = doc_inputs[d];
        if unrecognised && referenced_by[d].is_empty() {
            continue;
        }
        if unrecognised {
            inputs[input].matched_as_document = true;
        }
        let check = if !referenced_by[d].is_empty() {
            Some(Check::pass(CheckId::DocumentReferenced, format!("referenced by {}", referenced_by[d].join(", "))))
        } else if any_doc_claims && !signed_docs.contains(&d) {
            // A signed PDF is evidence in its own right, not only a document a token names.
            Some(Check::warn(CheckId::DocumentReferenced, format!("{} is not referenced by any supplied token's hash claim", doc.name)))
        } else {
            None
        };
        if let Some(&c) = pdf_of_doc.get(&d) {
            // When tokens make hash claims, document.referenced already judges an unclaimed PDF.
            let accounted_for = !referenced_by[d].is_empty()
                || any_doc_claims
                || signed_docs.contains(&d)
                || claimed_signed.iter().any(|(s, _)| *s == d)
                || containers[c].parent.is_some_and(|p| containers[p].node.kind == NodeKind::Pdf)
                || service_bound.contains(&d)
                || altinn.is_data_element(input);
            if !accounted_for {
                unsigned_and_unbound(&mut containers[c].node, &doc.name);
            }
            containers[c].node.checks.extend(check);
            continue;
        }
        let mut node = Node::new(NodeKind::Document, format!("document {}", doc.name));
        node.fact(Fact::sha256("sha256", &doc.sha256));
        node.fact(Fact::int("size", doc.size as i64));
        if let Some(t) = &doc.title {
            node.fact(Fact::text("title", t.clone()));
        }
        node.checks.extend(check);
        doc_nodes.push((input, node));
    }

    // Inputs section.
    let mut input_node = Node::new(NodeKind::Inputs, format!("inputs ({} files)", blobs.len()));
    for (i, state) in inputs.iter_mut().enumerate() {
        // Altinn 3: a data element file is content compared by hash, not unrecognised evidence.
        if altinn.settle_input(i, &blobs[i].name, state.detected.as_ref(), &mut state.checks) {
            input_node.checks.append(&mut state.checks);
            continue;
        }
        if let Some(Detected::Unrecognised(why)) = &state.detected {
            if state.matched_as_document {
                state.checks.push(Check::pass(CheckId::InputRecognised, format!("'{}' is a signed document (matched by hash)", blobs[i].name)));
            } else {
                state.checks.push(Check::warn(CheckId::InputRecognised, format!("'{}' was not recognised ({why}) and was not checked", blobs[i].name)));
            }
        }
        input_node.checks.append(&mut state.checks);
    }

    // Tokens go under their containers, containers under theirs; everything is ordered by input file.
    let mut ordered: Vec<(usize, usize, Node)> = Vec::new();
    for (k, node) in token_nodes.into_iter().enumerate() {
        match slots[k].container {
            Some(c) => containers[c].node.children.push(node),
            None => ordered.push((slots[k].input, 0, node)),
        }
    }
    // Children are created after their parents, so nest from the last container backwards.
    let mut nested: Vec<Option<Node>> = containers.iter_mut().map(|c| Some(std::mem::replace(&mut c.node, Node::new(NodeKind::Inputs, "")))).collect();
    for c in (0..containers.len()).rev() {
        if let Some(p) = containers[c].parent {
            if let Some(node) = nested[c].take() {
                if let Some(parent) = nested[p].as_mut() {
                    parent.children.insert(0, node);
                }
            }
        }
    }
    for (c, node) in nested.into_iter().enumerate() {
        if let Some(n) = node {
            ordered.push((containers[c].input, 0, n));
        }
    }
    for (input, node) in other_nodes.into_iter().chain(ocsp_nodes) {
        ordered.push((input, 1, node));
    }
    // Altinn 3 instances.
    for (input, node) in std::mem::take(&mut altinn.nodes) {
        ordered.push((input, 1, node));
    }
    for (input, node) in doc_nodes {
        ordered.push((input, 2, node));
    }
    ordered.sort_by_key(|(input, rank, _)| (*input, *rank));

    let verified_something = ordered.iter().any(|(_, _, n)| n.verdict().is_some());
    if !verified_something && !input_node.checks.iter().any(|c| c.status == Status::Fail) {
        input_node
            .check(Check::indeterminate(CheckId::InputNothingToVerify, "nothing verifiable was supplied: no token, signed PDF or signing record was found"));
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
        let claimed = match o.claims.as_ref().and_then(|c| c.get("at_hash")) {
            None => continue,
            Some(Value::String(s)) => s.as_str(),
            // at_hash is a base64url string (OIDC Core §3.1.3.6); anything
            // else is malformed, not absent.
            Some(other) => {
                nodes[k].check(Check::fail(CheckId::JwtAtHash, format!("at_hash is {}, not a string", crate::json::type_name(other))));
                continue;
            }
        };
        let Some(alg) = o.alg else {
            continue;
        };
        let partner = slots[k]
            .container
            .and_then(|c| (0..outcomes.len()).find(|&j| j != k && slots[j].container == Some(c) && outcomes[j].role == TokenRole::AccessToken));
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
            None => nodes[k].check(Check::fail(CheckId::JwtAtHash, "at_hash matches none of the supplied access tokens").with(Fact::text("claimed", claimed))),
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
        let wf_docs: Vec<DocClaim> = doc_claims[k].iter().filter(|d| matches!(d.kind, binding::ClaimKind::WorkflowDocument { .. })).cloned().collect();
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
        // signature transaction id -> (token text, its name) of the signer tokens naming it.
        let mut signers: std::collections::BTreeMap<String, Vec<(&str, String)>> = Default::default();
        for (j, tx) in outcomes.iter().enumerate() {
            if tx.role != TokenRole::TransactionToken {
                continue;
            }
            let Some(tx_claims) = &tx.claims else { continue };
            // Name the file, not only the member: several token responses each have a member transaction_token.
            let name = match slots[j].container {
                Some(c) => format!("the transaction token in {} ({})", containers[c].node.subject, slots[j].origin),
                None => format!("the transaction token from {}", slots[j].origin),
            };
            if let Some(check) = binding::workflow::check_signer_token(claims, &sigs, &wf_docs, tx_claims, &doc_claims[j], &name) {
                if let Some(stid) = tx_claims.get("workflow_signature_transaction_id").and_then(Value::as_str) {
                    signers.entry(stid.to_ascii_lowercase()).or_default().push((tx.compact.as_str(), name));
                }
                nodes[k].check(check);
            }
        }
        nodes[k].checks.extend(binding::workflow::one_token_per_signature(&signers));
    }
    // A signer's token of a workflow whose token was not supplied, beside other workflows' tokens.
    let workflow_ids: Vec<&str> =
        outcomes.iter().filter(|o| o.role == TokenRole::WorkflowToken).filter_map(|o| o.claims.as_ref()?.get("workflow_id")?.as_str()).collect();
    if workflow_count == 0 {
        return;
    }
    for (j, tx) in outcomes.iter().enumerate() {
        let Some(tx_wf) = tx.claims.as_ref().filter(|_| tx.role == TokenRole::TransactionToken).and_then(|c| c.get("workflow_id")?.as_str()) else {
            continue;
        };
        if !workflow_ids.iter().any(|w| w.eq_ignore_ascii_case(tx_wf)) {
            nodes[j].check(Check::warn(
                CheckId::BindingWorkflowSignatures,
                format!(
                    "this token is a signature in workflow {tx_wf}, but the workflow token(s) supplied are of {}: it is not compared with any workflow",
                    if workflow_ids.is_empty() { "no readable workflow_id".to_string() } else { workflow_ids.join(", ") }
                ),
            ));
        }
    }
}

/// A PDF given on its own, with no signature of its own and nothing else in
/// the evidence committing to it (no token with hash claims, no sign-service
/// result hash naming it, no Altinn record, no signed PDF it is embedded in): nothing shows
/// that anyone signed it, so its `pdf.signatures` is indeterminate rather
/// than a pass that would make an unsigned file look verified.
fn unsigned_and_unbound(node: &mut Node, name: &str) {
    for c in node.checks.iter_mut().filter(|c| c.id == CheckId::PdfSignatures && c.status == Status::Pass) {
        c.status = Status::Indeterminate;
        c.message = format!(
            "{name} has no signatures, and nothing in the evidence commits to it (no token's hash claim, sign-service result or Altinn record): nothing here shows that anyone signed it"
        );
    }
}
