//! Instance events (`GET .../instances/{partyId}/{instanceGuid}/events?eventTypes=Signed`):
//! Storage writes a `Signed` event, with the caller as `user`, right after it
//! stores a signature record (altinn.md check 4). The events corroborate the
//! records: same user, same time within the leeway, and one event for one
//! record (two records cannot lean on the same event).

use super::json::{member, object, text};
use super::model::{SignDoc, Time};
use super::time::Instant;
use crate::checks::CheckId;
use crate::report::{Check, Fact};
use serde_json::{Map, Value};

/// One instance event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event {
    pub id: Option<String>,
    pub instance_id: Option<String>,
    pub event_type: Option<String>,
    pub created: Time,
    pub user_id: Option<String>,
    pub system_user_id: Option<String>,
    pub org_id: Option<String>,
    pub system_user_owner_org_no: Option<String>,
}

impl Event {
    pub fn is_signed(&self) -> bool {
        self.event_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("Signed"))
    }
    fn who(&self) -> String {
        match (&self.user_id, &self.system_user_id) {
            (Some(u), _) => format!("user {u}"),
            (None, Some(s)) => format!("system user {s}"),
            (None, None) => self.org_id.as_ref().map(|o| format!("org {o}")).unwrap_or_else(|| "an unnamed user".into()),
        }
    }
    fn when(&self) -> String {
        self.created.text.clone().unwrap_or_else(|| "an unknown time".into())
    }
    /// Whether the event's user is the record's signee (user id, or system user id).
    fn same_user(&self, doc: &SignDoc) -> bool {
        match (&doc.signee.user_id, &doc.signee.system_user_id) {
            (Some(u), _) => self.user_id.as_ref() == Some(u),
            (None, Some(s)) => self.system_user_id.as_ref().is_some_and(|e| e.eq_ignore_ascii_case(s)),
            (None, None) => false,
        }
    }
}

/// An events document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Events {
    pub events: Vec<Event>,
    pub problems: Vec<String>,
}

fn event(obj: &Map<String, Value>, k: usize, p: &mut Vec<String>) -> Event {
    let what = format!("instanceEvents[{k}].");
    let created_text = text(obj, "created", &what, p);
    let at = created_text.as_deref().and_then(|t| match Instant::parse(t) {
        Ok(i) => Some(i),
        Err(e) => {
            p.push(format!("{what}created \"{t}\": {e}"));
            None
        }
    });
    let user = object(obj, "user", &what, p);
    let u = |k: &str, p: &mut Vec<String>| user.and_then(|o| text(o, k, &format!("{what}user."), p));
    Event {
        id: text(obj, "id", &what, p),
        instance_id: text(obj, "instanceId", &what, p),
        event_type: text(obj, "eventType", &what, p),
        created: Time { text: created_text, at },
        user_id: u("userId", p),
        system_user_id: u("systemUserId", p),
        org_id: u("orgId", p),
        system_user_owner_org_no: u("systemUserOwnerOrgNo", p),
    }
}

/// Reads `{"instanceEvents": [...]}` or a plain array of events.
pub fn parse(value: &Value) -> Events {
    let mut p = Vec::new();
    let items: &[Value] = match value {
        Value::Array(a) => a,
        Value::Object(o) => match member(o, "instanceEvents", &mut p) {
            Some(Value::Array(a)) => a,
            _ => {
                p.push("instanceEvents is not an array".into());
                &[]
            }
        },
        _ => &[],
    };
    let mut events = Vec::new();
    for (k, item) in items.iter().enumerate() {
        match item.as_object() {
            Some(o) => events.push(event(o, k, &mut p)),
            None => p.push(format!("instanceEvents[{k}] is not an object")),
        }
    }
    Events { events, problems: p }
}

/// How a Signed event is accounted for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Use {
    /// It corroborates this record (named): one event corroborates one record,
    /// since Storage writes one Signed event per record it stores.
    Corroborates(String),
    /// A record whose time it contradicts cites it (that record fails).
    Cited,
}

/// The `altinn.event.signed` check of signature record `name` against the
/// Signed events. Marks the events it uses in `used` (indices into `signed`).
/// Of the same user's events within the leeway it takes the nearest one no
/// other record took; when all of them already corroborate other records, it
/// fails: one event does not corroborate two records.
pub fn check_record(doc: &SignDoc, name: &str, signed: &[&Event], used: &mut [Option<Use>], leeway: u32, source: &str) -> Check {
    let Some(at) = doc.signed_time.at else {
        return Check::indeterminate(CheckId::AltinnEventSigned, "the record's signedTime is unusable, so it cannot be compared with the events");
    };
    let mine: Vec<usize> = (0..signed.len()).filter(|&k| signed[k].same_user(doc)).collect();
    let near: Vec<usize> = mine.iter().copied().filter(|&k| signed[k].created.at.is_some_and(|t| t.within(at, leeway))).collect();
    let distance = |k: usize| signed[k].created.at.map_or(i128::MAX, |t| (t.total_ticks() - at.total_ticks()).abs());
    let close = near.iter().copied().filter(|&k| !matches!(used[k], Some(Use::Corroborates(_)))).min_by_key(|&k| distance(k));
    if let Some(k) = close {
        used[k] = Some(Use::Corroborates(name.to_string()));
        let e = signed[k];
        let delta = e.created.at.map(|t| t.total_ticks() - at.total_ticks()).unwrap_or(0);
        return Check::pass(
            CheckId::AltinnEventSigned,
            format!("{source} records a Signed event by {} at {}, {} ms after signedTime", e.who(), e.when(), delta / 10_000),
        )
        .with_all(e.id.clone().map(|i| Fact::text("event_id", i)));
    }
    if !near.is_empty() {
        let taken: Vec<String> = near
            .iter()
            .filter_map(|&k| match &used[k] {
                Some(Use::Corroborates(r)) => Some(format!("the event at {} corroborates {r}", signed[k].when())),
                _ => None,
            })
            .collect();
        return Check::fail(
            CheckId::AltinnEventSigned,
            format!(
                "the only Signed events by {} in {source} within the leeway ({leeway} s) of signedTime {} already corroborate other records ({}): \
                 Storage writes one Signed event per record, so Altinn's event log does not corroborate this one",
                doc.signee.describe(),
                doc.signed_time.text.clone().unwrap_or_default(),
                taken.join("; ")
            ),
        )
        .with(Fact::text("signed_time", doc.signed_time.text.clone().unwrap_or_default()));
    }
    if mine.is_empty() {
        return Check::fail(
            CheckId::AltinnEventSigned,
            format!("{source} has no Signed event by {}: Altinn's event log does not corroborate this record", doc.signee.describe()),
        )
        .with(Fact::text("signed_time", doc.signed_time.text.clone().unwrap_or_default()));
    }
    // The events cited here are accounted for by this failure, not reported again as orphans.
    for &k in &mine {
        used[k].get_or_insert(Use::Cited);
    }
    Check::fail(
        CheckId::AltinnEventSigned,
        format!(
            "{source} records Signed by {} at {}, but this record says {}: more than the leeway ({leeway} s) apart",
            doc.signee.describe(),
            mine.iter().map(|&k| signed[k].when()).collect::<Vec<_>>().join(", "),
            doc.signed_time.text.clone().unwrap_or_default()
        ),
    )
    .with(Fact::list("event_times", mine.iter().map(|&k| signed[k].when()).collect()))
}

/// Signed events no record accounts for: superseded ones (the same user signed
/// again later, and Storage keeps only the newest record) are noted; others warn.
pub fn check_unused(signed: &[&Event], used: &[Option<Use>], docs: &[&SignDoc], source: &str) -> Vec<Check> {
    let mut out = Vec::new();
    for (k, e) in signed.iter().enumerate() {
        if used[k].is_some() {
            continue;
        }
        let superseded = docs.iter().any(|d| e.same_user(d) && matches!((d.signed_time.at, e.created.at), (Some(s), Some(t)) if s > t));
        if superseded {
            out.push(Check::pass(
                CheckId::AltinnEventSigned,
                format!(
                    "the Signed event by {} at {} in {source} was superseded: the same user signed again later, and Storage keeps only the newest record",
                    e.who(),
                    e.when()
                ),
            ));
        } else {
            out.push(Check::warn(
                CheckId::AltinnEventSigned,
                format!(
                    "the Signed event by {} at {} in {source} has no signature record in the export (a record not exported, or deleted)",
                    e.who(),
                    e.when()
                ),
            ));
        }
    }
    out
}
