//! The instance metadata and the signature document, parsed from JSON.
//!
//! Parsing never fails: what is missing or mistyped is collected as a problem
//! in words, and the checks report it.

use super::json::{boolean, casing, guid, member, object, text};
use super::time::Instant;
use serde_json::{Map, Value};

/// A time member: the text as written and, when it parses, the instant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Time {
    pub text: Option<String>,
    pub at: Option<Instant>,
}

fn time(obj: &Map<String, Value>, name: &str, what: &str, problems: &mut Vec<String>) -> Time {
    let text = text(obj, name, what, problems);
    let at = text.as_deref().and_then(|t| match Instant::parse(t) {
        Ok(i) => Some(i),
        Err(e) => {
            problems.push(format!("{what}{name} \"{t}\": {e}"));
            None
        }
    });
    Time { text, at }
}

/// One data element of the instance metadata (`data[]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataElement {
    /// The id as written.
    pub id_text: String,
    /// The id as a lower-case GUID, when it is one.
    pub id: Option<String>,
    pub instance_guid: Option<String>,
    pub data_type: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub locked: Option<bool>,
    pub created: Time,
    pub created_by: Option<String>,
    pub last_changed: Time,
    pub last_changed_by: Option<String>,
    /// The task of a `{"relation":"GeneratedFrom","valueType":"Task"}` reference.
    pub generated_from_task: Option<String>,
}

/// `GET storage/api/v1/instances/{partyId}/{instanceGuid}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Instance {
    /// `{partyId}/{instanceGuid}` as written.
    pub id: Option<String>,
    /// The GUID part of the id, lower-cased.
    pub guid: Option<String>,
    pub app_id: Option<String>,
    pub org: Option<String>,
    pub owner_party_id: Option<String>,
    pub owner_person_number: Option<String>,
    pub owner_organisation_number: Option<String>,
    pub current_task: Option<String>,
    pub process_ended: Option<String>,
    pub data: Vec<DataElement>,
    pub problems: Vec<String>,
}

impl Instance {
    /// The data element with this (lower-case) id.
    pub fn element(&self, id: &str) -> Option<&DataElement> {
        self.data.iter().find(|e| e.id.as_deref() == Some(id))
    }
}

fn generated_from_task(el: &Map<String, Value>, problems: &mut Vec<String>) -> Option<String> {
    let refs = member(el, "references", problems)?.as_array()?;
    refs.iter().filter_map(Value::as_object).find_map(|r| {
        let mut ignored = Vec::new();
        let mut is = |k: &str, want: &str| text(r, k, "", &mut ignored).is_some_and(|v| v.eq_ignore_ascii_case(want));
        if is("relation", "GeneratedFrom") && is("valueType", "Task") {
            text(r, "value", "", &mut Vec::new())
        } else {
            None
        }
    })
}

fn data_element(el: &Map<String, Value>, k: usize, problems: &mut Vec<String>) -> DataElement {
    let what = format!("data[{k}].");
    let id_text = text(el, "id", &what, problems).unwrap_or_default();
    let id = guid(&id_text);
    if id.is_none() {
        problems.push(format!("{what}id \"{id_text}\" is not a GUID"));
    }
    let size = match member(el, "size", problems) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v >= 0) => n.as_i64(),
        Some(other) => {
            problems.push(format!("{what}size is {other}, not a non-negative integer"));
            None
        }
    };
    DataElement {
        id_text,
        id,
        instance_guid: text(el, "instanceGuid", &what, problems),
        data_type: text(el, "dataType", &what, problems),
        filename: text(el, "filename", &what, problems),
        content_type: text(el, "contentType", &what, problems),
        size,
        locked: boolean(el, "locked", &what, problems),
        created: time(el, "created", &what, problems),
        created_by: text(el, "createdBy", &what, problems),
        last_changed: time(el, "lastChanged", &what, problems),
        last_changed_by: text(el, "lastChangedBy", &what, problems),
        generated_from_task: generated_from_task(el, problems),
    }
}

/// Reads instance metadata.
pub fn instance(obj: &Map<String, Value>) -> Instance {
    let mut p = Vec::new();
    let id = text(obj, "id", "", &mut p);
    let (party, guid_part) = match id.as_deref().and_then(|i| i.split_once('/')) {
        Some((party, g)) if !party.is_empty() && party.bytes().all(|b| b.is_ascii_digit()) => (Some(party.to_string()), guid(g)),
        _ => (None, None),
    };
    match &id {
        None => p.push("the instance has no id".into()),
        Some(i) if guid_part.is_none() => p.push(format!("id \"{i}\" is not {{partyId}}/{{instanceGuid}}")),
        _ => {}
    }
    let owner = object(obj, "instanceOwner", "", &mut p);
    let owner_text = |k: &str, p: &mut Vec<String>| owner.and_then(|o| text(o, k, "instanceOwner.", p));
    let owner_party_id = owner_text("partyId", &mut p);
    if let (Some(a), Some(b)) = (&owner_party_id, &party) {
        if a != b {
            p.push(format!("instanceOwner.partyId {a} differs from the party in the id ({b})"));
        }
    }
    let process = object(obj, "process", "", &mut p);
    let current_task = process.and_then(|pr| object(pr, "currentTask", "process.", &mut p)).and_then(|t| text(t, "elementId", "process.currentTask.", &mut p));
    let process_ended = process.and_then(|pr| text(pr, "ended", "process.", &mut p));
    let mut data = Vec::new();
    match member(obj, "data", &mut p) {
        Some(Value::Array(items)) => {
            for (k, item) in items.iter().enumerate() {
                match item.as_object() {
                    Some(el) => data.push(data_element(el, k, &mut p)),
                    None => p.push(format!("data[{k}] is {}, not an object", crate::json::type_name(item))),
                }
            }
        }
        None | Some(Value::Null) => p.push("the instance has no data[] list".into()),
        Some(other) => p.push(format!("data is {}, not an array", crate::json::type_name(other))),
    }
    let mut seen = std::collections::BTreeSet::new();
    for e in &data {
        if let Some(id) = &e.id {
            if !seen.insert(id.clone()) {
                p.push(format!("data element {id} is listed twice"));
            }
        }
        if let (Some(ig), Some(g)) = (&e.instance_guid, &guid_part) {
            if guid(ig).as_ref() != Some(g) {
                p.push(format!("data element {} names instanceGuid {ig}, not this instance", e.id_text));
            }
        }
    }
    Instance {
        id,
        guid: guid_part,
        app_id: text(obj, "appId", "", &mut p),
        org: text(obj, "org", "", &mut p),
        owner_party_id,
        owner_person_number: owner_text("personNumber", &mut p),
        owner_organisation_number: owner_text("organisationNumber", &mut p),
        current_task,
        process_ended,
        data,
        problems: p,
    }
}

/// `signeeInfo`: who invoked `sign`, as the app told Storage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SigneeInfo {
    pub user_id: Option<String>,
    pub system_user_id: Option<String>,
    pub person_number: Option<String>,
    pub organisation_number: Option<String>,
}

impl SigneeInfo {
    /// "person 01039012460 (user 1337)", "system user … of organisation 991825827", …
    pub fn describe(&self) -> String {
        let user = self.user_id.as_ref().map(|u| format!(" (user {u})")).unwrap_or_default();
        match (&self.person_number, &self.organisation_number, &self.system_user_id) {
            (Some(p), Some(o), _) => format!("person {p} on behalf of organisation {o}{user}"),
            (Some(p), None, _) => format!("person {p}{user}"),
            (None, Some(o), Some(s)) => format!("system user {s} of organisation {o}"),
            (None, Some(o), None) => format!("organisation {o}{user}"),
            (None, None, Some(s)) => format!("system user {s}"),
            (None, None, None) => match &self.user_id {
                Some(u) => format!("user {u}"),
                None => "an unnamed signee".into(),
            },
        }
    }
}

/// One `dataElementSignatures[i]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub data_element_id: String,
    /// The id as a lower-case GUID, when it is one.
    pub id: Option<String>,
    /// The recorded digest, or why it is unusable.
    pub sha256: Result<[u8; 32], String>,
    /// `signed`; `false` means hashed but not signed.
    pub signed: Option<bool>,
}

/// A signature document: one data element of the task's `signatureDataType`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignDoc {
    pub id: Option<String>,
    pub instance_guid: Option<String>,
    pub signed_time: Time,
    pub signee: SigneeInfo,
    pub entries: Vec<Entry>,
    /// "camelCase", "PascalCase" or "mixed".
    pub casing: &'static str,
    pub problems: Vec<String>,
}

impl SignDoc {
    /// The id as a lower-case GUID.
    pub fn guid(&self) -> Option<String> {
        self.id.as_deref().and_then(guid)
    }
    /// The instance GUID, lower-cased.
    pub fn instance(&self) -> Option<String> {
        self.instance_guid.as_deref().and_then(guid)
    }
}

/// Reads a signature document (either casing).
pub fn sign_doc(obj: &Map<String, Value>) -> SignDoc {
    let mut p = Vec::new();
    let mut names: Vec<&String> = obj.keys().collect();
    let id = text(obj, "id", "", &mut p);
    match &id {
        None => p.push("the record has no id".into()),
        Some(i) if guid(i).is_none() => p.push(format!("id \"{i}\" is not a GUID")),
        _ => {}
    }
    let instance_guid = text(obj, "instanceGuid", "", &mut p);
    match &instance_guid {
        None => p.push("the record has no instanceGuid".into()),
        Some(i) if guid(i).is_none() => p.push(format!("instanceGuid \"{i}\" is not a GUID")),
        _ => {}
    }
    let signed_time = time(obj, "signedTime", "", &mut p);
    if signed_time.text.is_none() {
        p.push("the record has no signedTime".into());
    }
    let mut signee = SigneeInfo::default();
    match object(obj, "signeeInfo", "", &mut p) {
        Some(s) => {
            names.extend(s.keys());
            signee = SigneeInfo {
                user_id: text(s, "userId", "signeeInfo.", &mut p),
                system_user_id: text(s, "systemUserId", "signeeInfo.", &mut p),
                person_number: text(s, "personNumber", "signeeInfo.", &mut p),
                organisation_number: text(s, "organisationNumber", "signeeInfo.", &mut p),
            };
            if signee.user_id.is_none() && signee.system_user_id.is_none() {
                p.push("signeeInfo has neither userId nor systemUserId (Storage requires one)".into());
            }
            if let Some(s) = &signee.system_user_id {
                if guid(s).is_none() {
                    p.push(format!("signeeInfo.systemUserId \"{s}\" is not a GUID"));
                }
            }
        }
        None => p.push("the record has no signeeInfo".into()),
    }
    let mut entries = Vec::new();
    match member(obj, "dataElementSignatures", &mut p) {
        Some(Value::Array(items)) => {
            for (k, item) in items.iter().enumerate() {
                let what = format!("dataElementSignatures[{k}].");
                let Some(e) = item.as_object() else {
                    p.push(format!("dataElementSignatures[{k}] is {}, not an object", crate::json::type_name(item)));
                    continue;
                };
                names.extend(e.keys());
                let data_element_id = text(e, "dataElementId", &what, &mut p).unwrap_or_default();
                let id = guid(&data_element_id);
                if id.is_none() {
                    p.push(format!("{what}dataElementId \"{data_element_id}\" is not a GUID"));
                }
                let sha256 = match text(e, "sha256Hash", &what, &mut p) {
                    Some(h) => super::hashes::parse_hex(&h),
                    None => Err("no sha256Hash".to_string()),
                };
                if let Err(why) = &sha256 {
                    p.push(format!("{what}sha256Hash: {why}"));
                }
                entries.push(Entry { data_element_id, id, sha256, signed: boolean(e, "signed", &what, &mut p) });
            }
            if items.is_empty() {
                p.push("dataElementSignatures is empty: the record covers no data element".into());
            }
        }
        None | Some(Value::Null) => p.push("the record has no dataElementSignatures".into()),
        Some(other) => p.push(format!("dataElementSignatures is {}, not an array", crate::json::type_name(other))),
    }
    SignDoc { id, instance_guid, signed_time, signee, entries, casing: casing(names), problems: p }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_casings() {
        let camel: Value = serde_json::from_str(
            r#"{"id":"11111111-1111-4111-8111-111111111111","instanceGuid":"22222222-2222-4222-8222-222222222222",
               "signedTime":"2023-06-16T12:16:36.6250698Z",
               "signeeInfo":{"userId":"1337","systemUserId":null,"personNumber":"01039012460","organisationNumber":null},
               "dataElementSignatures":[{"dataElementId":"33333333-3333-4333-8333-333333333333",
                 "sha256Hash":"85738f8f9a7f1b04b5329c590ebcb9e425925c6d0984089c43a022de4f19c281","signed":true}]}"#,
        )
        .unwrap();
        let d = sign_doc(camel.as_object().unwrap());
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.casing, "camelCase");
        assert_eq!(d.signee.describe(), "person 01039012460 (user 1337)");
        assert_eq!(d.entries[0].sha256.as_ref().unwrap(), &crate::crypto::sha256(b"whatever"));
        let pascal = serde_json::to_string(&camel)
            .unwrap()
            .replace("\"id\"", "\"Id\"")
            .replace("instanceGuid", "InstanceGuid")
            .replace("signedTime", "SignedTime")
            .replace("signeeInfo", "SigneeInfo")
            .replace("userId", "UserId")
            .replace("systemUserId", "SystemUserId")
            .replace("personNumber", "PersonNumber")
            .replace("organisationNumber", "OrganisationNumber")
            .replace("dataElementSignatures", "DataElementSignatures")
            .replace("dataElementId", "DataElementId")
            .replace("sha256Hash", "Sha256Hash")
            .replace("\"signed\"", "\"Signed\"");
        let p = sign_doc(serde_json::from_str::<Value>(&pascal).unwrap().as_object().unwrap());
        assert_eq!(p.casing, "PascalCase");
        assert_eq!(p.problems, Vec::<String>::new());
        assert_eq!((p.id, p.signee, p.entries), (d.id, d.signee, d.entries));
    }

    #[test]
    fn problems_are_collected() {
        let v: Value =
            serde_json::from_str(r#"{"id":"x","signedTime":"yesterday","signeeInfo":{},"dataElementSignatures":[{"dataElementId":"y","sha256Hash":"00"}]}"#)
                .unwrap();
        let d = sign_doc(v.as_object().unwrap());
        let all = d.problems.join("; ");
        for want in
            ["id \"x\" is not a GUID", "no instanceGuid", "signedTime \"yesterday\"", "neither userId nor systemUserId", "dataElementId \"y\"", "sha256Hash"]
        {
            assert!(all.contains(want), "{want} not in {all}");
        }
    }
}
