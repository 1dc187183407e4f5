//! A workflow token's claims against each other and against the workflow's
//! other evidence: API results, the status JSON and the signers' transaction
//! tokens (broker.md §4).

use super::claims::{ClaimKind, DocClaim};
use crate::checks::CheckId;
use crate::detect::{ResultInfo, WorkflowStatus};
use crate::report::{Check, Fact};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One `signature_N` claim of a workflow token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WfSignature {
    pub n: usize,
    pub id: Option<String>,
    pub transaction_id: Option<String>,
    /// The signer's `UserClaims` object (name matched case-insensitively), when present.
    pub user_claims: Option<Map<String, Value>>,
}

fn int_claim(claims: &Map<String, Value>, name: &str) -> Option<i64> {
    match claims.get(name)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Reads the `signature_N` claims; malformed ones are reported.
pub fn signatures(claims: &Map<String, Value>) -> (Vec<WfSignature>, Vec<Check>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (name, v) in claims {
        let Some(n) = name.strip_prefix("signature_").and_then(|n| n.parse::<usize>().ok()) else { continue };
        let parsed = match v {
            Value::String(s) => crate::json::parse_str(s).map_err(|e| e.to_string()),
            Value::Object(_) => Ok(v.clone()),
            other => Err(format!("{} instead of a JSON string", crate::json::type_name(other))),
        };
        match parsed {
            Ok(Value::Object(o)) => {
                let get = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
                let user_claims = o.iter().find(|(k, _)| k.eq_ignore_ascii_case("UserClaims")).and_then(|(_, u)| u.as_object()).cloned();
                out.push(WfSignature { n, id: get("Id"), transaction_id: get("SignatureTransactionId"), user_claims });
            }
            Ok(_) => problems.push(Check::fail(CheckId::BindingWorkflowClaims, format!("{name} is not a JSON object"))),
            Err(why) => problems.push(Check::fail(CheckId::BindingWorkflowClaims, format!("{name} is malformed: {why}"))),
        }
    }
    out.sort_by_key(|s| s.n);
    (out, problems)
}

fn numbering(kind: &str, ns: &[usize], declared: Option<i64>, declared_name: &str) -> Result<String, String> {
    let expected: Vec<usize> = (1..=ns.len()).collect();
    if ns != expected.as_slice() {
        return Err(format!("the {kind} claims are numbered {ns:?}, not 1..{}", ns.len()));
    }
    match declared {
        Some(d) if d == ns.len() as i64 => Ok(format!("{declared_name} = {d} equals the {} {kind} claims", ns.len())),
        Some(d) => Err(format!("{declared_name} says {d}, but the token has {} {kind} claims", ns.len())),
        None => Err(format!("{declared_name} is missing or not a number ({} {kind} claims present)", ns.len())),
    }
}

/// document_N / signature_N numbering, declared counts, and unique titles.
pub fn check_claims(claims: &Map<String, Value>, docs: &[DocClaim], sigs: &[WfSignature]) -> Vec<Check> {
    let mut checks = Vec::new();
    let doc_ns: Vec<usize> = docs
        .iter()
        .filter_map(|d| match d.kind {
            ClaimKind::WorkflowDocument { n } => Some(n),
            _ => None,
        })
        .collect();
    let sig_ns: Vec<usize> = sigs.iter().map(|s| s.n).collect();
    for result in [
        numbering("document_N", &doc_ns, int_claim(claims, "documents_signed_number"), "documents_signed_number"),
        numbering("signature_N", &sig_ns, int_claim(claims, "signatures_number"), "signatures_number"),
    ] {
        checks.push(match result {
            Ok(msg) => Check::pass(CheckId::BindingWorkflowClaims, msg),
            Err(msg) => Check::fail(CheckId::BindingWorkflowClaims, msg),
        });
    }
    let mut seen = BTreeSet::new();
    let dups: BTreeSet<&str> = docs.iter().filter_map(|d| d.title.as_deref()).filter(|t| !seen.insert(*t)).collect();
    if !dups.is_empty() {
        checks.push(Check::warn(
            CheckId::BindingWorkflowClaims,
            format!(
                "document titles repeat ({}): documents are matched by hash, titles alone cannot tell them apart",
                dups.into_iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    // One hash under two document_N: the same bytes listed as two documents
    // (broker.md §4: each document_N is one PDF of the workflow).
    let mut by_hash: std::collections::BTreeMap<[u8; 32], Vec<&str>> = Default::default();
    for d in docs {
        by_hash.entry(d.sha256).or_default().push(&d.claim);
    }
    for (hash, names) in by_hash.iter().filter(|(_, n)| n.len() > 1) {
        checks.push(Check::warn(
            CheckId::BindingWorkflowClaims,
            format!(
                "{} commit to the same SHA-256 {}: one PDF is listed as {} documents, so one supplied file satisfies them all",
                names.join(", "),
                hex::encode(hash),
                names.len()
            ),
        ));
    }
    checks
}

/// workflowResultInfo of an API result against the token.
pub fn check_result_info(info: &ResultInfo, docs: usize, sigs: usize, source: &str) -> Check {
    let mut problems = Vec::new();
    if let Some(d) = info.document_count.filter(|d| *d != docs as i64) {
        problems.push(format!("documentCount {d} but the token lists {docs} documents"));
    }
    if let Some(s) = info.signature_count.filter(|s| *s != sigs as i64) {
        problems.push(format!("signatureCount {s} but the token lists {sigs} signatures"));
    }
    if problems.is_empty() {
        Check::pass(CheckId::BindingWorkflowResult, format!("workflowResultInfo in {source} agrees with the token ({docs} documents, {sigs} signatures)"))
    } else {
        Check::fail(CheckId::BindingWorkflowResult, format!("workflowResultInfo in {source} disagrees with the token: {}", problems.join("; ")))
    }
}

/// The token's signatures against the status JSON's.
pub fn check_status(claims: &Map<String, Value>, sigs: &[WfSignature], status: &WorkflowStatus, source: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    let id = CheckId::BindingWorkflowSignatures;
    let wf = claims.get("workflow_id").and_then(Value::as_str);
    if let (Some(wf), Some(sid)) = (wf, status.id.as_deref()) {
        if !wf.eq_ignore_ascii_case(sid) {
            // A status of another workflow: nothing more to compare.
            checks.push(Check::warn(id, format!("{source} describes workflow {sid}, not this token's {wf}; not compared")));
            return checks;
        }
    }
    // The status lists the same signatures: as many, each with a
    // signatureTransactionId, none twice, and each with the token's Id.
    let mut problems = Vec::new();
    if status.signatures.len() != sigs.len() {
        problems.push(format!("{source} lists {} signatures, the token {}", status.signatures.len(), sigs.len()));
    }
    let mut status_ids: BTreeSet<String> = BTreeSet::new();
    for (k, s) in status.signatures.iter().enumerate() {
        match &s.signature_transaction_id {
            None => problems.push(format!("signature {} of {source} (id {}) has no signatureTransactionId", k + 1, s.id.as_deref().unwrap_or("none"))),
            Some(t) if !status_ids.insert(t.to_ascii_lowercase()) => problems.push(format!("{source} lists signatureTransactionId {t} twice")),
            Some(_) => {}
        }
    }
    let token_ids: BTreeSet<String> = sigs.iter().filter_map(|s| s.transaction_id.as_ref().map(|t| t.to_ascii_lowercase())).collect();
    let missing_in_status: Vec<String> = token_ids.difference(&status_ids).cloned().collect();
    let missing_in_token: Vec<String> = status_ids.difference(&token_ids).cloned().collect();
    for s in sigs {
        let Some(t) = &s.transaction_id else { continue };
        let Some(st) = status.signatures.iter().find(|x| x.signature_transaction_id.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(t))) else { continue };
        if let (Some(a), Some(b)) = (&s.id, &st.id) {
            if !a.eq_ignore_ascii_case(b) {
                problems.push(format!("signature_{} (SignatureTransactionId {t}) has Id {a}, {source} has id {b}", s.n));
            }
        }
    }
    let tin = claims.get("organization_tin").and_then(Value::as_str);
    if let (Some(a), Some(b)) = (tin, status.organization_tin.as_deref()) {
        if !a.eq_ignore_ascii_case(b) {
            problems.push(format!("the token's organization_tin is {a}, {source} says {b}"));
        }
    }
    if !missing_in_status.is_empty() {
        problems.push(format!("{} of the token's signatures are not in it", missing_in_status.len()));
    }
    if !missing_in_token.is_empty() {
        problems.push(format!("it has {} signatures the token does not list", missing_in_token.len()));
    }
    if problems.is_empty() {
        checks.push(Check::pass(id, format!("the {} signatures agree with {source} (SignatureTransactionId and Id of each)", sigs.len())));
    } else {
        let mut c = Check::fail(id, format!("the token's signatures and {source} disagree: {}", problems.join("; ")));
        if !missing_in_status.is_empty() {
            c = c.with(Fact::list("in_token_not_in_status", missing_in_status));
        }
        if !missing_in_token.is_empty() {
            c = c.with(Fact::list("in_status_not_in_token", missing_in_token));
        }
        checks.push(c);
    }
    let title = claims.get("workflow_title").and_then(Value::as_str);
    if let (Some(a), Some(b)) = (title, status.title.as_deref()) {
        if a != b {
            checks.push(Check::warn(id, format!("the token's workflow_title is \"{a}\", {source} says \"{b}\"")));
        }
    }
    checks
}

/// A signer's transaction token against the workflow token: same workflow, a
/// signature the workflow lists, and the same documents (broker.md §4: each
/// signer signs the workflow's PDFs, so the token's hashes are exactly the
/// workflow's). `None` when the token is about another workflow and none of
/// this workflow's signatures.
pub fn check_signer_token(
    wf_claims: &Map<String, Value>,
    sigs: &[WfSignature],
    wf_docs: &[DocClaim],
    tx_claims: &Map<String, Value>,
    tx_docs: &[DocClaim],
    tx_name: &str,
) -> Option<Check> {
    let id = CheckId::BindingWorkflowSignatures;
    let wf = wf_claims.get("workflow_id").and_then(Value::as_str)?;
    let stid = tx_claims.get("workflow_signature_transaction_id").and_then(Value::as_str);
    let listed = stid.is_some_and(|t| sigs.iter().any(|s| s.transaction_id.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(t))));
    match tx_claims.get("workflow_id").and_then(Value::as_str) {
        Some(tx_wf) if wf.eq_ignore_ascii_case(tx_wf) => {}
        // One of this workflow's signatures, claimed by a token of another (or no) workflow.
        other if listed => {
            return Some(Check::fail(
                id,
                format!(
                    "{tx_name} names workflow_signature_transaction_id {}, one of this workflow's signatures, but its workflow_id is {}, not this workflow's {wf}",
                    stid.unwrap_or_default(),
                    other.unwrap_or("missing")
                ),
            ));
        }
        _ => return None,
    }
    let hashes: BTreeSet<[u8; 32]> = wf_docs.iter().map(|d| d.sha256).collect();
    let tx_hashes: BTreeSet<[u8; 32]> = tx_docs.iter().map(|d| d.sha256).collect();
    let foreign: Vec<String> = tx_docs.iter().filter(|d| !hashes.contains(&d.sha256)).map(|d| d.claim.clone()).collect();
    let unsigned: Vec<String> = wf_docs
        .iter()
        .filter(|d| !tx_hashes.contains(&d.sha256))
        .map(|d| match &d.title {
            Some(t) => format!("{} \"{t}\"", d.claim),
            None => d.claim.clone(),
        })
        .collect();
    let signature = sigs.iter().find(|s| s.transaction_id.as_deref().is_some_and(|x| stid.is_some_and(|t| x.eq_ignore_ascii_case(t))));
    let identity = signature.map(|s| signer_identity(s, tx_claims));
    Some(if !listed {
        Check::fail(
            id,
            format!("{tx_name} names workflow_signature_transaction_id {}, which is not among this workflow token's signatures", stid.unwrap_or("(none)")),
        )
    } else if let Some(differ) = identity.as_ref().filter(|i| !i.differ.is_empty()) {
        Check::fail(
            id,
            format!(
                "{tx_name} names signature_{}'s SignatureTransactionId {}, but is about another person: {}",
                signature.map(|s| s.n).unwrap_or_default(),
                stid.unwrap_or_default(),
                differ.differ.join("; ")
            ),
        )
    } else if let Some(assumed) = identity.as_ref().filter(|i| !i.assumed_differ.is_empty()) {
        Check::warn(
            id,
            format!(
                "{tx_name} names signature_{}'s SignatureTransactionId {}, and the claims both carry agree ({}), but {}: broker.md does not define the two as one identifier, so this is reported, not failed",
                signature.map(|s| s.n).unwrap_or_default(),
                stid.unwrap_or_default(),
                if assumed.compared.is_empty() { "none".to_string() } else { assumed.compared.join(", ") },
                assumed.assumed_differ.join("; ")
            ),
        )
    } else if identity.as_ref().is_some_and(|i| i.compared.iter().all(|n| n == "idp")) {
        Check::warn(
            id,
            format!(
                "{tx_name} names signature_{}'s SignatureTransactionId, but neither it nor that signature's UserClaims carry an identity to compare (sub, mitid.uuid, idp_identity_id, mitid.identity_name): the signer is not shown to be that signature's",
                signature.map(|s| s.n).unwrap_or_default()
            ),
        )
    } else if !foreign.is_empty() {
        Check::fail(id, format!("{tx_name} signed documents the workflow token does not list")).with(Fact::list("not_in_workflow", foreign))
    } else if !unsigned.is_empty() {
        Check::fail(id, format!("{tx_name} did not sign every document of the workflow: its hashes leave out {}", unsigned.join(", ")))
            .with(Fact::list("not_signed", unsigned))
    } else {
        let compared = identity.map(|i| i.compared).unwrap_or_default();
        Check::pass(
            id,
            format!(
                "{tx_name} is signature_{} of this workflow (same {}) and signed exactly its {} document(s)",
                signature.map(|s| s.n).unwrap_or_default(),
                compared.join(", "),
                wf_docs.len()
            ),
        )
    })
}

/// The identity claims a signature's `UserClaims` and a transaction token may
/// both carry (broker.md §3, §4): (name in UserClaims, name in the token). A
/// difference in a claim of one name means the token is about another person.
///
/// One pairing is not stated by the domain notes: the workflow API's
/// `idp_identity_id` taken to be MitID's person UUID, the token's
/// `mitid.uuid`. It is used only when the token has no `idp_identity_id` of
/// its own, and a difference there warns instead of failing, because a wrong
/// assumption would fail every genuine workflow.
const IDENTITY_PAIRS: &[(&str, &str)] = &[
    ("sub", "sub"),
    ("mitid.uuid", "mitid.uuid"),
    ("idp_identity_id", "idp_identity_id"),
    ("idp_identity_id", "mitid.uuid"),
    ("mitid.identity_name", "mitid.identity_name"),
    ("idp", "idp"),
];

/// How a signature's `UserClaims` compare with a transaction token's claims.
#[derive(Debug, Default)]
pub struct SignerIdentity {
    /// Claims both carry that agree ("idp_identity_id = mitid.uuid" for the assumed pair).
    pub compared: Vec<String>,
    /// Claims of one name that differ: another person.
    pub differ: Vec<String>,
    /// The assumed pairing (idp_identity_id = mitid.uuid, see [`IDENTITY_PAIRS`]) differs.
    pub assumed_differ: Vec<String>,
}

/// Compares the signer's identity in a signature's UserClaims with a
/// transaction token's (identifiers case-insensitively, the name exactly).
pub fn signer_identity(sig: &WfSignature, tx_claims: &Map<String, Value>) -> SignerIdentity {
    let mut out = SignerIdentity::default();
    let Some(user) = &sig.user_claims else { return out };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let get_user = |k: &str| user.iter().find(|(name, _)| name.eq_ignore_ascii_case(k)).and_then(|(_, v)| text(v));
    for &(uk, tk) in IDENTITY_PAIRS {
        let assumed = uk != tk;
        if assumed && tx_claims.contains_key(uk) {
            continue;
        }
        let (Some(u), Some(t)) = (get_user(uk), tx_claims.get(tk).and_then(text)) else { continue };
        let same = if uk == "mitid.identity_name" { u == t } else { u.eq_ignore_ascii_case(&t) };
        if same {
            out.compared.push(if assumed { format!("{uk} = {tk}") } else { uk.to_string() });
        } else if assumed {
            out.assumed_differ.push(format!("UserClaims {uk} is \"{u}\", the token's {tk} \"{t}\""));
        } else {
            out.differ.push(format!("UserClaims {uk} is \"{u}\", the token's {tk} \"{t}\""));
        }
    }
    out
}

/// Each signature of a workflow is one signer's one signing (broker.md §4:
/// a signature_N has one SignatureTransactionId), so at most one transaction
/// token names it; the same token supplied twice is one token. `signers` maps
/// a (lowercased) SignatureTransactionId to the tokens naming it (compact
/// text, how to name it).
pub fn one_token_per_signature(signers: &std::collections::BTreeMap<String, Vec<(&str, String)>>) -> Vec<Check> {
    signers
        .iter()
        .filter_map(|(stid, tokens)| {
            let distinct: BTreeSet<&str> = tokens.iter().map(|(t, _)| *t).collect();
            (distinct.len() > 1).then(|| {
                let names: Vec<String> = tokens.iter().map(|(_, n)| n.clone()).collect();
                Check::fail(
                    CheckId::BindingWorkflowSignatures,
                    format!(
                        "{} different transaction tokens name workflow_signature_transaction_id {stid}, but one signature is one signing: {}",
                        distinct.len(),
                        names.join("; ")
                    ),
                )
                .with(Fact::list("tokens", names))
            })
        })
        .collect()
}
