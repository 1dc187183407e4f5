//! The signee state (`signeeStatesDataTypeId`): who was asked to sign, and
//! matching them to signature records (altinn.md check 5).
//!
//! Written by the app with .NET reference preservation: the root is
//! `{"$id":"1","$values":[SigneeContext...]}`, objects carry `"$id"`, and an
//! object met a second time is written as `{"$ref":"<id>"}`. `Signee` is
//! polymorphic by `$type`: `person`, `organisation` / `organization`,
//! `personOnBehalfOfOrg`, `system`. Matching follows the app
//! (`SignDocumentManager`): a person by `personNumber` with no
//! `organisationNumber`; a person on behalf of an organisation by both; a
//! system by organisation number and `systemUserId`; an organisation by its
//! number alone, tried last because it is the most general.

use super::identifiers::strip_org_prefix;
use super::json::{boolean, guid, member, text};
use super::model::SigneeInfo;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Who was asked to sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signee {
    Person { ssn: Option<String>, name: Option<String> },
    Organisation { org: Option<String>, name: Option<String> },
    PersonOnBehalfOfOrg { ssn: Option<String>, name: Option<String>, org: Option<String>, org_name: Option<String> },
    System { system_id: Option<String>, org: Option<String>, org_name: Option<String> },
}

impl Signee {
    pub fn describe(&self) -> String {
        let named = |n: &Option<String>| n.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
        let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "?".into());
        match self {
            Signee::Person { ssn, name } => format!("person {}{}", or_unknown(ssn), named(name)),
            Signee::Organisation { org, name } => format!("organisation {}{}", or_unknown(org), named(name)),
            Signee::PersonOnBehalfOfOrg { ssn, name, org, org_name } => {
                format!("person {}{} on behalf of organisation {}{}", or_unknown(ssn), named(name), or_unknown(org), named(org_name))
            }
            Signee::System { system_id, org, org_name } => {
                format!("system user {} of organisation {}{}", or_unknown(system_id), or_unknown(org), named(org_name))
            }
        }
    }

    /// The identifiers to check: (member, value, is a person number).
    pub fn identifiers(&self) -> Vec<(&'static str, &str, bool)> {
        let mut out = Vec::new();
        match self {
            Signee::Person { ssn, .. } => out.extend(ssn.as_deref().map(|s| ("SocialSecurityNumber", s, true))),
            Signee::Organisation { org, .. } => out.extend(org.as_deref().map(|o| ("OrgNumber", o, false))),
            Signee::PersonOnBehalfOfOrg { ssn, org, .. } => {
                out.extend(ssn.as_deref().map(|s| ("SocialSecurityNumber", s, true)));
                out.extend(org.as_deref().map(|o| ("OnBehalfOfOrg.OrgNumber", o, false)));
            }
            Signee::System { org, .. } => out.extend(org.as_deref().map(|o| ("OnBehalfOfOrg.OrgNumber", o, false))),
        }
        out
    }

    /// Whether a signature record by `info` is this signee's (the app's rule).
    pub fn matches(&self, info: &SigneeInfo) -> bool {
        let same_org = |want: &Option<String>| match (want, &info.organisation_number) {
            (Some(a), Some(b)) => strip_org_prefix(a) == strip_org_prefix(b),
            _ => false,
        };
        match self {
            Signee::Person { ssn, .. } => info.organisation_number.is_none() && ssn.is_some() && info.person_number == *ssn,
            Signee::PersonOnBehalfOfOrg { ssn, org, .. } => ssn.is_some() && info.person_number == *ssn && same_org(org),
            Signee::System { system_id, org, .. } => match (system_id, &info.system_user_id) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b) && same_org(org),
                _ => false,
            },
            Signee::Organisation { org, .. } => same_org(org),
        }
    }

    fn is_organisation(&self) -> bool {
        matches!(self, Signee::Organisation { .. })
    }
}

/// One SigneeContext.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub task_id: Option<String>,
    pub signee: Option<Signee>,
    pub access_delegated: Option<bool>,
    pub delegation_failed_reason: Option<String>,
    pub messaged_for_call_to_sign: Option<bool>,
    pub call_to_sign_failed_reason: Option<String>,
}

/// The signee-state document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SigneeState {
    pub contexts: Vec<Context>,
    pub problems: Vec<String>,
}

/// Every object carrying `$id`, by that id.
fn index<'a>(v: &'a Value, out: &mut BTreeMap<String, &'a Map<String, Value>>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(id)) = o.get("$id") {
                out.entry(id.clone()).or_insert(o);
            }
            o.values().for_each(|c| index(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| index(c, out)),
        _ => {}
    }
}

/// Follows `{"$ref": id}` (bounded, against cycles).
fn resolve<'a>(v: &'a Value, ids: &BTreeMap<String, &'a Map<String, Value>>, problems: &mut Vec<String>) -> Option<&'a Map<String, Value>> {
    let mut obj = v.as_object()?;
    for _ in 0..8 {
        match obj.get("$ref") {
            Some(Value::String(r)) => match ids.get(r) {
                Some(target) => obj = target,
                None => {
                    problems.push(format!("\"$ref\": \"{r}\" names no object"));
                    return None;
                }
            },
            _ => return Some(obj),
        }
    }
    problems.push("a chain of \"$ref\" does not end".into());
    None
}

fn org_of(obj: &Map<String, Value>, ids: &BTreeMap<String, &Map<String, Value>>, what: &str, p: &mut Vec<String>) -> (Option<String>, Option<String>) {
    match member(obj, "OnBehalfOfOrg", p).and_then(|v| resolve(v, ids, p)) {
        Some(o) => (text(o, "OrgNumber", &format!("{what}OnBehalfOfOrg."), p), text(o, "OrgName", &format!("{what}OnBehalfOfOrg."), p)),
        None => {
            p.push(format!("{what}OnBehalfOfOrg is missing"));
            (None, None)
        }
    }
}

fn signee(obj: &Map<String, Value>, ids: &BTreeMap<String, &Map<String, Value>>, what: &str, p: &mut Vec<String>) -> Option<Signee> {
    let kind = text(obj, "$type", what, p);
    let t = |k: &str, p: &mut Vec<String>| text(obj, k, what, p);
    let s = match kind.as_deref() {
        Some("person") => Signee::Person { ssn: t("SocialSecurityNumber", p), name: t("FullName", p) },
        Some("organisation") | Some("organization") => Signee::Organisation { org: t("OrgNumber", p), name: t("OrgName", p) },
        Some("personOnBehalfOfOrg") => {
            let (org, org_name) = org_of(obj, ids, what, p);
            Signee::PersonOnBehalfOfOrg { ssn: t("SocialSecurityNumber", p), name: t("FullName", p), org, org_name }
        }
        Some("system") => {
            let system_id = t("SystemId", p);
            if let Some(s) = &system_id {
                if guid(s).is_none() {
                    p.push(format!("{what}SystemId \"{s}\" is not a GUID"));
                }
            }
            let (org, org_name) = org_of(obj, ids, what, p);
            Signee::System { system_id, org, org_name }
        }
        Some(other) => {
            p.push(format!("{what}$type \"{other}\" is not person, organisation, personOnBehalfOfOrg or system"));
            return None;
        }
        None => {
            p.push(format!("{what}$type is missing"));
            return None;
        }
    };
    for (member, value, _) in s.identifiers() {
        if value.is_empty() {
            p.push(format!("{what}{member} is empty"));
        }
    }
    if matches!(&s, Signee::Person { ssn: None, .. } | Signee::PersonOnBehalfOfOrg { ssn: None, .. }) {
        p.push(format!("{what}SocialSecurityNumber is missing"));
    }
    Some(s)
}

/// Reads a signee-state document: `{"$id","$values":[...]}` or a plain array.
pub fn parse(value: &Value) -> SigneeState {
    let mut p = Vec::new();
    let mut ids = BTreeMap::new();
    index(value, &mut ids);
    let items: &[Value] = match value {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("$values") {
            Some(Value::Array(a)) => a,
            _ => {
                p.push("\"$values\" is not an array".into());
                &[]
            }
        },
        _ => &[],
    };
    let mut contexts = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let what = format!("$values[{k}].");
        let Some(obj) = resolve(item, &ids, &mut p) else {
            p.push(format!("$values[{k}] is not an object"));
            continue;
        };
        let signee = match member(obj, "Signee", &mut p).and_then(|v| resolve(v, &ids, &mut p)) {
            Some(s) => signee(s, &ids, &format!("{what}Signee."), &mut p),
            None => {
                p.push(format!("{what}Signee is missing"));
                None
            }
        };
        let state = member(obj, "signeeState", &mut p).and_then(|v| resolve(v, &ids, &mut p));
        let st = "signeeState.";
        contexts.push(Context {
            task_id: text(obj, "taskId", &what, &mut p),
            signee,
            access_delegated: state.and_then(|s| boolean(s, "isAccessDelegated", st, &mut p)),
            delegation_failed_reason: state.and_then(|s| text(s, "delegationFailedReason", st, &mut p)),
            messaged_for_call_to_sign: state.and_then(|s| boolean(s, "hasBeenMessagedForCallToSign", st, &mut p)),
            call_to_sign_failed_reason: state.and_then(|s| text(s, "callToSignFailedReason", st, &mut p)),
        });
    }
    SigneeState { contexts, problems: p }
}

/// Matches signees to signature records as the app does: organisations last,
/// each signee takes the first unmatched record that is theirs. `records` are
/// (task, signee info); a record is a candidate only for a context of the same
/// task when both tasks are known. Returns, per context, the matched record index.
pub fn match_records(contexts: &[&Context], records: &[(Option<String>, &SigneeInfo)]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..contexts.len()).collect();
    // Stable: organisations after the others, otherwise in document order.
    order.sort_by_key(|&c| contexts[c].signee.as_ref().is_some_and(Signee::is_organisation));
    let mut used = vec![false; records.len()];
    let mut out = vec![None; contexts.len()];
    for c in order {
        let Some(s) = &contexts[c].signee else { continue };
        let found = (0..records.len()).find(|&r| {
            let same_task = match (&contexts[c].task_id, &records[r].0) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            !used[r] && same_task && s.matches(records[r].1)
        });
        if let Some(r) = found {
            used[r] = true;
            out[c] = Some(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = r#"{"$id":"1","$values":[
      {"$id":"2","taskId":"Task_2","Signee":{"$id":"3","$type":"organisation","OrgParty":{"$id":"4","partyId":1},"OrgNumber":"991825827","OrgName":"Org AS"},
       "signeeState":{"$id":"5","isAccessDelegated":true,"delegationFailedReason":null,"hasBeenMessagedForCallToSign":true,"callToSignFailedReason":null}},
      {"$id":"6","taskId":"Task_2","Signee":{"$id":"7","$type":"personOnBehalfOfOrg","Party":{"$id":"8"},"SocialSecurityNumber":"15058045656","FullName":"Ola",
        "OnBehalfOfOrg":{"$id":"9","OrgParty":{"$id":"10"},"OrgNumber":"974760673","OrgName":"Firma AS"}},"signeeState":{"$id":"11","isAccessDelegated":true}},
      {"$id":"12","taskId":"Task_2","Signee":{"$id":"13","$type":"system","SystemId":"44444444-4444-4444-8444-444444444444","OnBehalfOfOrg":{"$ref":"9"}},"signeeState":{"$id":"14"}},
      {"$id":"15","taskId":"Task_2","Signee":{"$id":"16","$type":"person","Party":{"$id":"17"},"SocialSecurityNumber":"01039012460","FullName":"Kari"},"signeeState":{"$ref":"14"}}
    ]}"#;

    #[test]
    fn parses_types_and_refs() {
        let s = parse(&serde_json::from_str(STATE).unwrap());
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert_eq!(s.contexts.len(), 4);
        assert_eq!(
            s.contexts[2].signee,
            Some(Signee::System {
                system_id: Some("44444444-4444-4444-8444-444444444444".into()),
                org: Some("974760673".into()),
                org_name: Some("Firma AS".into())
            })
        );
        assert_eq!(s.contexts[0].access_delegated, Some(true));
    }

    #[test]
    fn matching_follows_the_app() {
        let s = parse(&serde_json::from_str(STATE).unwrap());
        let info = |p: Option<&str>, o: Option<&str>, sys: Option<&str>| SigneeInfo {
            user_id: Some("1".into()),
            system_user_id: sys.map(Into::into),
            person_number: p.map(Into::into),
            organisation_number: o.map(Into::into),
        };
        // A person acting for 991825827 satisfies the organisation signee; the
        // person on behalf of 974760673 matches exactly; the system user by org + id.
        let recs = [
            info(Some("01010112345"), Some("0192:991825827"), None),
            info(Some("15058045656"), Some("974760673"), None),
            info(None, Some("974760673"), Some("44444444-4444-4444-8444-444444444444")),
            info(Some("01039012460"), None, None),
        ];
        let records: Vec<(Option<String>, &SigneeInfo)> = recs.iter().map(|r| (Some("Task_2".to_string()), r)).collect();
        let ctx: Vec<&Context> = s.contexts.iter().collect();
        assert_eq!(match_records(&ctx, &records), vec![Some(0), Some(1), Some(2), Some(3)]);
        // Another task's record is no match.
        let other: Vec<(Option<String>, &SigneeInfo)> = recs.iter().map(|r| (Some("Task_9".to_string()), r)).collect();
        assert_eq!(match_records(&ctx, &other), vec![None; 4]);
    }
}
