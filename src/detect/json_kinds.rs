//! The JSON documents of the broker's APIs, told apart by their members.

use super::Detected;
use crate::encoding::b64_decode_lenient_ws;
use serde_json::{Map, Value};

/// A token endpoint response (broker.md §1).
#[derive(Debug, Clone, Default)]
pub struct TokenResponse {
    pub id_token: Option<String>,
    pub access_token: Option<String>,
    pub transaction_token: Option<String>,
    /// `transaction_token_ocsp_resp`: base64 DER OCSPResponse.
    pub ocsp_b64: Option<String>,
    /// Members of the wrong type, in words.
    pub problems: Vec<String>,
}

/// `workflowResultInfo` (the API spells one member `ocspReponseIncluded`; both spellings accepted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultInfo {
    pub ocsp_included: Option<bool>,
    pub document_count: Option<i64>,
    pub signature_count: Option<i64>,
}

/// One entry of a workflow status's `signatures`.
#[derive(Debug, Clone, Default)]
pub struct StatusSignature {
    pub id: Option<String>,
    pub signature_transaction_id: Option<String>,
    pub created: Option<String>,
    pub signer_name: Option<String>,
}

/// `GET /api/workflows/{cvr}/{workflowId}` (broker.md §4).
#[derive(Debug, Clone, Default)]
pub struct WorkflowStatus {
    pub id: Option<String>,
    pub title: Option<String>,
    pub organization_tin: Option<String>,
    pub signatures: Vec<StatusSignature>,
}

fn string_member(obj: &Map<String, Value>, name: &str, problems: &mut Vec<String>) -> Option<String> {
    match obj.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            problems.push(format!("\"{name}\" is {}, not a string", crate::json::type_name(other)));
            None
        }
    }
}

fn as_int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn result_info(obj: &Map<String, Value>) -> Option<ResultInfo> {
    let info = obj.get("workflowResultInfo")?.as_object()?;
    Some(ResultInfo {
        ocsp_included: info.get("ocspReponseIncluded").or_else(|| info.get("ocspResponseIncluded")).and_then(Value::as_bool),
        document_count: as_int(info.get("documentCount")),
        signature_count: as_int(info.get("signatureCount")),
    })
}

fn status(obj: &Map<String, Value>) -> WorkflowStatus {
    let mut ignored = Vec::new();
    let signatures = obj
        .get("signatures")
        .and_then(Value::as_array)
        .map(|arr| {
            arr.iter()
                .filter_map(Value::as_object)
                .map(|s| StatusSignature {
                    id: string_member(s, "id", &mut ignored),
                    signature_transaction_id: string_member(s, "signatureTransactionId", &mut ignored),
                    created: string_member(s, "created", &mut ignored),
                    signer_name: string_member(s, "serviceProvidedSignerName", &mut ignored),
                })
                .collect()
        })
        .unwrap_or_default();
    WorkflowStatus {
        id: string_member(obj, "id", &mut ignored),
        title: string_member(obj, "title", &mut ignored),
        organization_tin: string_member(obj, "organizationTin", &mut ignored),
        signatures,
    }
}

/// Classifies a parsed JSON value.
pub fn classify(value: Value) -> Detected {
    // Altinn 3 (src/altinn): instance metadata, signature records, signee state, events.
    if let Some(doc) = crate::altinn::recognise(&value) {
        return Detected::Altinn(doc);
    }
    let Value::Object(obj) = &value else {
        return Detected::Unrecognised("JSON that is not an object".into());
    };
    let has = |k: &str| obj.contains_key(k);
    if has("keys") && obj.get("keys").is_some_and(Value::is_array) {
        return Detected::Jwks(value);
    }
    if has("kty") {
        return Detected::Jwk(value);
    }
    if has("id_token") || has("access_token") || has("transaction_token") {
        let mut r = TokenResponse::default();
        r.id_token = string_member(obj, "id_token", &mut r.problems);
        r.access_token = string_member(obj, "access_token", &mut r.problems);
        r.transaction_token = string_member(obj, "transaction_token", &mut r.problems);
        r.ocsp_b64 = string_member(obj, "transaction_token_ocsp_resp", &mut r.problems);
        return Detected::TokenResponse(r);
    }
    if let Some(Value::String(error)) = obj.get("error") {
        return Detected::TokenError { error: error.clone(), description: obj.get("error_description").and_then(Value::as_str).map(str::to_string) };
    }
    if has("workflowToken") {
        let mut problems = Vec::new();
        return Detected::WorkflowTokenResult {
            token: string_member(obj, "workflowToken", &mut problems),
            ocsp_b64: string_member(obj, "ocspResponse", &mut problems),
            cert_pem: string_member(obj, "publicSigningCertPem", &mut problems),
            info: result_info(obj),
            problems,
        };
    }
    if let Some(doc) = obj.get("padesDocument") {
        let pdf = match doc.get("padesB64").and_then(Value::as_str) {
            Some(b64) => b64_decode_lenient_ws(b64).map_err(|e| format!("padesB64 is not base64: {e}")),
            None => Err("padesDocument has no padesB64 string".into()),
        };
        return Detected::WorkflowPadesResult { pdf, info: result_info(obj) };
    }
    if let Some(list) = obj.get("pdfList").and_then(Value::as_array) {
        let pdfs = list
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let title = item.get("title").and_then(Value::as_str).unwrap_or_default().to_string();
                let bytes = match item.get("pdfBase64").and_then(Value::as_str) {
                    Some(b64) => b64_decode_lenient_ws(b64).map_err(|e| format!("pdfList[{i}].pdfBase64 is not base64: {e}")),
                    None => Err(format!("pdfList[{i}] has no pdfBase64 string")),
                };
                (title, bytes)
            })
            .collect();
        return Detected::WorkflowCreateRequest { title: obj.get("title").and_then(Value::as_str).map(str::to_string), pdfs };
    }
    if has("padesSignedPdf") || has("unsignedDocumentSha256") || has("padesAppendix") {
        return Detected::SignServicePades(crate::signservice::pades_flow(obj));
    }
    if has("merchantSignatures") || has("endUserSignatures") {
        return Detected::SignServiceSdo(crate::signservice::sdo_flow(obj));
    }
    if obj.get("signatures").is_some_and(Value::is_array) && (has("organizationTin") || has("id")) {
        return Detected::WorkflowStatus(status(obj));
    }
    let mut names: Vec<&str> = obj.keys().map(String::as_str).take(6).collect();
    names.sort_unstable();
    Detected::Unrecognised(format!("JSON object with members {} that matches no known evidence", names.join(", ")))
}
