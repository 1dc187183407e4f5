//! One instance: its documents grouped, checked and assembled into a node.

use super::elements::{self, Record};
use super::events::{self, Event, Events};
use super::json::file_guid;
use super::model::{Instance, SignDoc};
use super::signature;
use super::signees::{match_records, Context, SigneeState};
use super::{AltinnDoc, Claim, Ctx};
use crate::checks::CheckId;
use crate::report::{Check, Fact, Node, NodeKind};
use std::collections::BTreeSet;

/// What an Altinn signature record is, stated on every instance.
pub const NATURE: &str = "Altinn signature records are kept by Altinn Storage; they are not cryptographic signatures";
/// What a consistent record shows.
pub const PROVES: &str = "according to Altinn's own record, an authenticated user (or system user) whom Altinn authorised to sign invoked sign at signedTime, and Storage then computed the listed SHA-256 hashes of the data elements; where the hashes match, the supplied files are the bytes Altinn hashed";
/// What it does not show.
pub const DOES_NOT_PROVE: &str = "nothing is sealed: no signing key, certificate or timestamp authority vouches for the record, so whoever can alter Altinn's storage or this export can alter the record and the data together and these checks would still pass; the record does not show what the signee saw, nor who the person is beyond Altinn's login; control digits show an identifier is well-formed, not that it exists";

/// The documents of one instance.
#[derive(Default)]
pub struct Group<'a> {
    pub instance: Option<(usize, &'a Instance)>,
    /// Further instance documents for the same instance.
    pub duplicates: Vec<usize>,
    /// The instance GUID (from the metadata, else from the records).
    pub guid: Option<String>,
    pub sigs: Vec<(usize, &'a SignDoc)>,
    pub states: Vec<(usize, &'a SigneeState)>,
    pub events: Vec<(usize, &'a Events)>,
}

impl Group<'_> {
    fn lists(&self, id: Option<&String>) -> bool {
        match (self.instance, id) {
            (Some((_, inst)), Some(id)) => inst.element(id).is_some(),
            _ => false,
        }
    }
}

/// Groups the Altinn documents by instance: records by instanceGuid, else by
/// being listed in an instance, else to the only instance; signee state by
/// being listed, else to the only instance; events by instanceId, else to the
/// only instance. What fits nowhere forms a group without instance metadata.
pub fn group<'a>(docs: &[(usize, &'a AltinnDoc)], ctx: &Ctx<'_>) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for &(i, d) in docs {
        if let AltinnDoc::Instance(inst) = d {
            match groups.iter_mut().find(|g| g.guid.is_some() && g.guid == inst.guid) {
                Some(g) => g.duplicates.push(i),
                None => groups.push(Group { instance: Some((i, inst)), guid: inst.guid.clone(), ..Default::default() }),
            }
        }
    }
    let instances = groups.len();
    // `alone`: fall back to the only group there is (else only to the only instance).
    let pick = |groups: &mut Vec<Group<'a>>, by_guid: Option<String>, listed: &[Option<String>], alone: bool| -> usize {
        let only = if alone { groups.len() } else { instances };
        let found = groups
            .iter()
            .position(|g| by_guid.is_some() && g.guid == by_guid)
            .or_else(|| groups.iter().position(|g| listed.iter().any(|id| g.lists(id.as_ref()))))
            .or_else(|| (only == 1).then_some(0));
        match found {
            Some(k) => k,
            None => {
                groups.push(Group { guid: by_guid, ..Default::default() });
                groups.len() - 1
            }
        }
    };
    // Records first, so that signee state and events find the groups records made.
    for &(i, d) in docs {
        if let AltinnDoc::Signature(s) = d {
            let k = pick(&mut groups, s.instance(), &[s.guid(), file_guid(&ctx.blobs[i].name)], false);
            groups[k].sigs.push((i, s));
        }
    }
    for &(i, d) in docs {
        match d {
            AltinnDoc::SigneeState(s) => {
                let k = pick(&mut groups, None, &[file_guid(&ctx.blobs[i].name)], true);
                groups[k].states.push((i, s));
            }
            AltinnDoc::Events(e) => {
                let by_guid =
                    e.events.iter().find_map(|ev| ev.instance_id.as_deref().and_then(|id| id.split_once('/')).and_then(|(_, g)| super::json::guid(g)));
                let k = pick(&mut groups, by_guid, &[], true);
                groups[k].events.push((i, e));
            }
            AltinnDoc::Instance(_) | AltinnDoc::Signature(_) => {}
        }
    }
    groups
}

/// Checks one instance: (the input it is ordered by, its node, the data element files it consumed).
pub fn verify(g: &Group<'_>, ctx: &Ctx<'_>) -> (usize, Node, Vec<Claim>) {
    let inst = g.instance.map(|(_, i)| i);
    let anchor = g
        .instance
        .map(|(i, _)| i)
        .into_iter()
        .chain(g.sigs.iter().map(|s| s.0))
        .chain(g.states.iter().map(|s| s.0))
        .chain(g.events.iter().map(|s| s.0))
        .min()
        .unwrap_or(0);
    let label = match (inst.and_then(|i| i.id.clone()), &g.guid) {
        (Some(id), _) => id,
        (None, Some(guid)) => guid.clone(),
        (None, None) => "(unknown)".into(),
    };
    let app = inst.and_then(|i| i.app_id.clone()).map(|a| format!(" ({a})")).unwrap_or_default();
    let mut node =
        Node::new(NodeKind::AltinnInstance, format!("Altinn 3 instance {label}{app}: signature records kept by Altinn, not cryptographic signatures"));
    node.fact(Fact::text("nature", NATURE));
    node.fact(Fact::text("proves", PROVES));
    node.fact(Fact::text("does_not_prove", DOES_NOT_PROVE));
    node.check(
        Check::pass(
            CheckId::AltinnRecord,
            "these are Altinn signature records, not cryptographic signatures: the checks below show whether the export agrees with Altinn's own record of who invoked sign, when, and which bytes Storage hashed; no key seals it",
        )
        .with(Fact::text("proves", PROVES))
        .with(Fact::text("does_not_prove", DOES_NOT_PROVE)),
    );

    // The instance metadata.
    match g.instance {
        Some((i, inst)) => {
            for (k, v) in [
                ("instance_id", &inst.id),
                ("app_id", &inst.app_id),
                ("org", &inst.org),
                ("instance_owner_party_id", &inst.owner_party_id),
                ("instance_owner_person_number", &inst.owner_person_number),
                ("instance_owner_organisation_number", &inst.owner_organisation_number),
                ("current_task", &inst.current_task),
                ("process_ended", &inst.process_ended),
            ] {
                if let Some(v) = v {
                    node.fact(Fact::text(k, v.clone()));
                }
            }
            node.fact(Fact::int("data_elements", inst.data.len() as i64));
            node.check(if inst.problems.is_empty() {
                Check::pass(CheckId::AltinnInstance, format!("{} describes instance {label} with {} data elements", ctx.name(i), inst.data.len()))
            } else {
                Check::fail(CheckId::AltinnInstance, format!("{} is not usable instance metadata: {}", ctx.name(i), inst.problems.join("; ")))
            });
            for &d in &g.duplicates {
                if ctx.digests[d] != ctx.digests[i] {
                    node.check(Check::fail(
                        CheckId::AltinnInstance,
                        format!("{} also describes instance {label}, differently; only {} was used", ctx.name(d), ctx.name(i)),
                    ));
                }
            }
        }
        None => node.check(Check::indeterminate(
            CheckId::AltinnInstance,
            "no instance metadata (instance.json) was supplied: data elements are found by file name only, and sizes, creation times, createdBy and coverage cannot be checked",
        )),
    }

    // 1, 2, 4, 6: each signature record.
    let mut outcomes: Vec<(signature::Outcome, &SignDoc)> = g.sigs.iter().map(|&(i, d)| (signature::check(d, i, inst, ctx), d)).collect();
    outcomes.sort_by_key(|(o, d)| (d.signed_time.at, o.input));
    node.fact(Fact::int("signature_records", outcomes.len() as i64));

    // 4: Signed events.
    let mut event_checks = Vec::new();
    if !g.events.is_empty() {
        let mut signed: Vec<&Event> = Vec::new();
        for &(i, evs) in &g.events {
            let src = ctx.name(i);
            if !evs.problems.is_empty() {
                event_checks.push(Check::fail(CheckId::AltinnEventSigned, format!("{src} is not usable as instance events: {}", evs.problems.join("; "))));
            }
            let mut foreign = BTreeSet::new();
            for e in &evs.events {
                match (&e.instance_id, inst.and_then(|x| x.id.as_ref())) {
                    (Some(a), Some(b)) if a != b => {
                        foreign.insert(a.clone());
                    }
                    _ if e.is_signed() => signed.push(e),
                    _ => {}
                }
            }
            if !foreign.is_empty() {
                event_checks.push(Check::fail(
                    CheckId::AltinnEventSigned,
                    format!("{src} holds events of another instance ({}); they were not used", foreign.into_iter().collect::<Vec<_>>().join(", ")),
                ));
            }
        }
        let source = g.events.iter().map(|&(i, _)| ctx.name(i)).collect::<Vec<_>>().join(", ");
        let mut used = vec![None; signed.len()];
        for (o, d) in &mut outcomes {
            let name = ctx.name(o.input);
            o.node.check(events::check_record(d, &name, &signed, &mut used, ctx.policy.leeway, &source));
        }
        let docs: Vec<&SignDoc> = outcomes.iter().map(|(_, d)| *d).collect();
        event_checks.extend(events::check_unused(&signed, &used, &docs, &source));
    }

    // Which data elements are records (signature, signee state) rather than content.
    let mut sig_ids: BTreeSet<String> = BTreeSet::new();
    for &(i, d) in &g.sigs {
        sig_ids.extend(d.guid());
        sig_ids.extend(file_guid(&ctx.blobs[i].name));
    }
    let mut skip = sig_ids.clone();
    for &(i, _) in &g.states {
        skip.extend(file_guid(&ctx.blobs[i].name));
    }
    let mut missing_checks = Vec::new();
    // Whether a record the instance lists gives the signature types (then every
    // listed element of those types is skipped below, as a record).
    let mut sig_types_known = false;
    if let Some(inst) = inst {
        // A listed element of a signature record's dataType whose file is no record.
        let sig_types: BTreeSet<&str> =
            inst.data.iter().filter(|e| e.id.as_ref().is_some_and(|id| sig_ids.contains(id))).filter_map(|e| e.data_type.as_deref()).collect();
        sig_types_known = !sig_types.is_empty();
        for e in &inst.data {
            let (Some(id), Some(t)) = (&e.id, e.data_type.as_deref()) else { continue };
            if skip.contains(id) || !sig_types.contains(t) {
                continue;
            }
            let files = ctx.files_of(id);
            missing_checks.push(if files.is_empty() {
                Check::indeterminate(
                    CheckId::AltinnSignatureParse,
                    format!("the instance lists signature record {id} ('{t}') but its file was not supplied: that signature cannot be checked"),
                )
            } else {
                Check::fail(
                    CheckId::AltinnSignatureParse,
                    format!(
                        "{} is data element {id} of the signature type '{t}' but is not a signature record",
                        files.iter().map(|&f| ctx.name(f)).collect::<Vec<_>>().join(", ")
                    ),
                )
            });
            skip.insert(id.clone());
        }
    }

    if g.sigs.is_empty() && missing_checks.is_empty() {
        missing_checks.push(Check::indeterminate(
            CheckId::AltinnSignatureParse,
            "no signature record was found among the files: nothing in the export shows that anyone signed",
        ));
    }

    // 3: the data elements.
    let counted: Vec<Record<'_>> =
        outcomes.iter().filter(|(o, _)| o.counts).map(|(o, d)| Record { doc: d, name: ctx.name(o.input), task: o.task.clone() }).collect();
    let (element_nodes, mut claimed) = match inst {
        Some(inst) => elements::nodes(inst, &counted, &skip, ctx),
        None => (Vec::new(), Vec::new()),
    };
    // Broken JSON is excused as content only when the signature types are known (mod.rs, `Claim::excused`).
    for c in &mut claimed {
        c.content &= sig_types_known;
    }
    for (o, d) in &outcomes {
        for e in &d.entries {
            let Some(id) = &e.id else { continue };
            for &f in ctx.files_of(id) {
                if !skip.contains(id) && !claimed.iter().any(|c| c.input == f) {
                    claimed.push(Claim {
                        input: f,
                        what: format!("data element {id}, covered by the Altinn signature record {}", ctx.name(o.input)),
                        covered: o.counts,
                        content: false,
                    });
                }
            }
        }
    }

    // A newer signature by the same signee replaces the older one (altinn.md),
    // so two counted records by one signee in one task are not one state of
    // Storage: warn on the older (outcomes are in signedTime order).
    let counted_idx: Vec<usize> = (0..outcomes.len()).filter(|&k| outcomes[k].0.counts).collect();
    let mut later_of: Vec<(usize, String)> = Vec::new();
    for (n, &a) in counted_idx.iter().enumerate() {
        for &b in &counted_idx[n + 1..] {
            let ((oa, da), (ob, db)) = (&outcomes[a], &outcomes[b]);
            if oa.task == ob.task && same_signee(&da.signee, &db.signee) {
                later_of.push((a, ctx.name(ob.input)));
            }
        }
    }
    for (a, newer) in later_of {
        let (o, d) = &mut outcomes[a];
        let older = ctx.name(o.input);
        let task = o.task.as_ref().map(|t| format!(" in {t}")).unwrap_or_default();
        o.node.check(Check::warn(
            CheckId::AltinnSigneesAskedVsSigned,
            format!(
                "{older} and {newer} are both signatures by {}{task}: Storage replaces a signee's older signature with the newer one, \
                 so an export holding both is not one state of Altinn's storage",
                d.signee.describe()
            ),
        ));
    }

    // 5, 6: signee state.
    let mut state_nodes = Vec::new();
    let contexts: Vec<(usize, &Context)> = g.states.iter().enumerate().flat_map(|(k, (_, s))| s.contexts.iter().map(move |c| (k, c))).collect();
    let records: Vec<(Option<String>, &super::model::SigneeInfo)> =
        outcomes.iter().filter(|(o, _)| o.counts).map(|(o, d)| (o.task.clone(), &d.signee)).collect();
    let counted_outcomes: Vec<&(signature::Outcome, &SignDoc)> = outcomes.iter().filter(|(o, _)| o.counts).collect();
    let matched = match_records(&contexts.iter().map(|(_, c)| *c).collect::<Vec<_>>(), &records);
    for (k, &(i, state)) in g.states.iter().enumerate() {
        let mut sn = Node::new(NodeKind::AltinnSignees, format!("Altinn signee state {} ({} signees)", ctx.name(i), state.contexts.len()));
        sn.check(if state.problems.is_empty() {
            Check::pass(CheckId::AltinnSigneesParse, format!("{} lists {} signees", ctx.name(i), state.contexts.len()))
        } else {
            Check::fail(CheckId::AltinnSigneesParse, format!("{} is not a usable signee state: {}", ctx.name(i), state.problems.join("; ")))
        });
        for (c, &(owner, cx)) in contexts.iter().enumerate() {
            if owner != k {
                continue;
            }
            let Some(s) = &cx.signee else { continue };
            let who = s.describe();
            for (member, value, person) in s.identifiers() {
                sn.check(signature::identifier_check(member, value, person, &format!("{who}: ")));
            }
            let task = cx.task_id.as_ref().map(|t| format!(" in {t}")).unwrap_or_default();
            sn.check(match matched[c] {
                Some(r) => {
                    let (o, d) = counted_outcomes[r];
                    Check::pass(
                        CheckId::AltinnSigneesAskedVsSigned,
                        format!("{who}, asked to sign{task}, signed: {} at {}", ctx.name(o.input), d.signed_time.text.clone().unwrap_or_default()),
                    )
                }
                None => {
                    let mut why = Vec::new();
                    if cx.access_delegated == Some(false) {
                        why.push("the right to sign was not delegated".to_string());
                    }
                    if let Some(r) = &cx.delegation_failed_reason {
                        why.push(format!("delegation failed: {r}"));
                    }
                    if let Some(r) = &cx.call_to_sign_failed_reason {
                        why.push(format!("the call to sign failed: {r}"));
                    }
                    let uncounted: Vec<String> = outcomes.iter().filter(|(o, d)| !o.counts && s.matches(&d.signee)).map(|(o, _)| ctx.name(o.input)).collect();
                    if !uncounted.is_empty() {
                        why.push(format!("{} is theirs but not counted: see its failed checks", uncounted.join(", ")));
                    }
                    let why = if why.is_empty() { String::new() } else { format!(" ({})", why.join("; ")) };
                    Check::indeterminate(
                        CheckId::AltinnSigneesAskedVsSigned,
                        format!("{who} was asked to sign{task} but no counted signature record in the export is theirs{why}: signing is incomplete (not a sign of forgery)"),
                    )
                }
            });
        }
        state_nodes.push(sn);
    }
    if !state_nodes.is_empty() {
        let tasks: BTreeSet<Option<&String>> = contexts.iter().map(|(_, c)| c.task_id.as_ref()).collect();
        for (r, (o, d)) in counted_outcomes.iter().enumerate() {
            let in_scope = o.task.is_none() || tasks.contains(&None) || tasks.contains(&o.task.as_ref());
            if matched.contains(&Some(r)) || !in_scope {
                continue;
            }
            // A signee who is matched already, by another record: not "without being asked".
            let first = contexts.iter().enumerate().find_map(|(c, (_, cx))| match (matched[c], &cx.signee) {
                (Some(other), Some(s)) if s.matches(&d.signee) && counted_outcomes[other].0.task == o.task => Some(other),
                _ => None,
            });
            if let Some(other) = first {
                state_nodes[0].check(Check::warn(
                    CheckId::AltinnSigneesAskedVsSigned,
                    format!(
                        "{} by {} is a second record by a signee whose signature {} already counts: not a signature without being asked, \
                         but two records by one signee (see the warning on the older record)",
                        ctx.name(o.input),
                        d.signee.describe(),
                        ctx.name(counted_outcomes[other].0.input)
                    ),
                ));
                continue;
            }
            state_nodes[0].check(Check::warn(
                CheckId::AltinnSigneesAskedVsSigned,
                format!(
                    "{} by {} matches no signee in the signee state: signed without being asked (e.g. through the app's policy rights); reported, not dropped",
                    ctx.name(o.input),
                    d.signee.describe()
                ),
            ));
        }
    }

    node.checks.extend(missing_checks);
    node.checks.extend(event_checks);
    node.children.extend(outcomes.into_iter().map(|(o, _)| o.node));
    node.children.extend(element_nodes);
    node.children.extend(state_nodes);
    (anchor, node, claimed)
}

/// Whether two records are by the same signee: the same person, organisation
/// and system user as `signeeInfo` names them (the organisation number without
/// its `0192:` prefix, the system user id in any case).
fn same_signee(a: &super::model::SigneeInfo, b: &super::model::SigneeInfo) -> bool {
    use super::identifiers::strip_org_prefix;
    let org = |s: &super::model::SigneeInfo| s.organisation_number.as_deref().map(strip_org_prefix).map(str::to_string);
    let system = |s: &super::model::SigneeInfo| s.system_user_id.as_deref().map(str::to_ascii_lowercase);
    a.person_number == b.person_number
        && org(a) == org(b)
        && system(a) == system(b)
        && (a.person_number.is_some() || a.system_user_id.is_some() || a.user_id == b.user_id)
}
