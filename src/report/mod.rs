//! The result of a verification: a tree of named checks.
//!
//! A [`Report`] holds [`Node`]s; each node names its subject ("id_token in
//! 'response.json'") and carries [`Check`]s and child nodes. Every check has a
//! stable [`CheckId`], a [`Status`], a sentence for people and typed
//! [`Fact`]s as evidence. Verdicts are derived, never stored: fail >
//! indeterminate > warn > pass. Serialisation is deterministic (fields in a
//! fixed order, no hash maps), so the native CLI and the wasm build produce the
//! same bytes for the same input.

mod fact;
pub mod text;

pub use fact::{Fact, FactValue};

use crate::checks::CheckId;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// The outcome of one check. The order is the precedence used for verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The property holds.
    Pass,
    /// The property holds with a caveat a person should read.
    Warn,
    /// The evidence is insufficient to decide (missing input, no trust anchor, expired).
    Indeterminate,
    /// The property does not hold.
    Fail,
}

impl Status {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Indeterminate => "indeterminate",
            Status::Fail => "fail",
        }
    }
}

/// One check: what was checked, the outcome, why, and the facts behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub id: CheckId,
    pub status: Status,
    pub message: String,
    pub evidence: Vec<Fact>,
}

impl Check {
    pub fn new(id: CheckId, status: Status, message: impl Into<String>) -> Check {
        Check { id, status, message: message.into(), evidence: Vec::new() }
    }
    pub fn pass(id: CheckId, message: impl Into<String>) -> Check {
        Check::new(id, Status::Pass, message)
    }
    pub fn warn(id: CheckId, message: impl Into<String>) -> Check {
        Check::new(id, Status::Warn, message)
    }
    pub fn indeterminate(id: CheckId, message: impl Into<String>) -> Check {
        Check::new(id, Status::Indeterminate, message)
    }
    pub fn fail(id: CheckId, message: impl Into<String>) -> Check {
        Check::new(id, Status::Fail, message)
    }
    /// Adds one fact to the evidence.
    pub fn with(mut self, fact: Fact) -> Check {
        self.evidence.push(fact);
        self
    }
    /// Adds several facts to the evidence.
    pub fn with_all(mut self, facts: impl IntoIterator<Item = Fact>) -> Check {
        self.evidence.extend(facts);
        self
    }
}

/// What a node is about; the page picks icons and the batch mode picks key facts by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Inputs,
    TokenResponse,
    IdToken,
    AccessToken,
    TransactionToken,
    WorkflowToken,
    Jwt,
    SigningKey,
    Ocsp,
    Pdf,
    Signature,
    DocTimestamp,
    Timestamp,
    Revocation,
    SignServiceResult,
    Document,
    WorkflowResult,
    WorkflowStatus,
    // Altinn 3 (src/altinn).
    AltinnInstance,
    AltinnSignature,
    AltinnDataElement,
    AltinnSignees,
}

/// A subject and the checks made on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub subject: String,
    pub kind: NodeKind,
    /// Descriptive facts about the subject (claims, sizes, hashes), not judgements.
    pub facts: Vec<Fact>,
    pub checks: Vec<Check>,
    pub children: Vec<Node>,
}

impl Node {
    pub fn new(kind: NodeKind, subject: impl Into<String>) -> Node {
        Node { subject: subject.into(), kind, facts: Vec::new(), checks: Vec::new(), children: Vec::new() }
    }

    pub fn check(&mut self, check: Check) {
        self.checks.push(check);
    }

    pub fn fact(&mut self, fact: Fact) {
        self.facts.push(fact);
    }

    /// The worst status among this node's checks and all descendants; `None` when
    /// nothing below was checked.
    pub fn verdict(&self) -> Option<Status> {
        let own = self.checks.iter().map(|c| c.status).max();
        let below = self.children.iter().filter_map(Node::verdict).max();
        own.max(below)
    }

    /// Every check of this node and its descendants, depth first.
    pub fn all_checks(&self) -> Vec<&Check> {
        let mut out: Vec<&Check> = self.checks.iter().collect();
        for child in &self.children {
            out.extend(child.all_checks());
        }
        out
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Node", 6)?;
        st.serialize_field("subject", &self.subject)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("verdict", &self.verdict())?;
        st.serialize_field("facts", &self.facts)?;
        st.serialize_field("checks", &self.checks)?;
        st.serialize_field("children", &self.children)?;
        st.end()
    }
}

/// One supplied file as sigaudit saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputSummary {
    pub name: String,
    pub size: u64,
    pub sha256: String,
    /// What detection recognised it as, in words.
    pub kind: String,
}

/// The validation context, echoed so a report stands on its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicySummary {
    /// `"signing"` or an RFC 3339 time.
    pub validation_time: String,
    pub leeway_seconds: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Expected audiences (any of them passes); absent when none was given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_auth_age_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<String>,
    pub ocsp_skew_seconds: u32,
    /// Names of the files whose keys were trusted with --jwks.
    pub trusted_key_files: Vec<String>,
    /// Names of the trust-anchor files given with --trust.
    pub trust_anchor_files: Vec<String>,
}

/// The whole result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub policy: PolicySummary,
    pub inputs: Vec<InputSummary>,
    pub nodes: Vec<Node>,
}

/// How many checks ended in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub pass: usize,
    pub warn: usize,
    pub indeterminate: usize,
    pub fail: usize,
}

impl Report {
    /// The bottom line: the worst status of any check; indeterminate when nothing
    /// was checked at all (an empty report proves nothing).
    pub fn verdict(&self) -> Status {
        self.nodes.iter().filter_map(Node::verdict).max().unwrap_or(Status::Indeterminate)
    }

    /// Every check in the report, depth first in node order.
    pub fn all_checks(&self) -> Vec<&Check> {
        self.nodes.iter().flat_map(Node::all_checks).collect()
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for check in self.all_checks() {
            match check.status {
                Status::Pass => c.pass += 1,
                Status::Warn => c.warn += 1,
                Status::Indeterminate => c.indeterminate += 1,
                Status::Fail => c.fail += 1,
            }
        }
        c
    }

    /// The report as deterministic, pretty-printed JSON (what `--format json` prints).
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and integers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Report", 6)?;
        st.serialize_field("sigaudit", crate::VERSION)?;
        st.serialize_field("verdict", &self.verdict())?;
        st.serialize_field("counts", &self.counts())?;
        st.serialize_field("policy", &self.policy)?;
        st.serialize_field("inputs", &self.inputs)?;
        st.serialize_field("nodes", &self.nodes)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node_with(statuses: &[Status]) -> Node {
        let mut n = Node::new(NodeKind::Jwt, "t");
        for s in statuses {
            n.check(Check::new(CheckId::JwsSignature, *s, "m"));
        }
        n
    }

    #[test]
    fn verdict_precedence_is_fail_indeterminate_warn_pass() {
        use Status::*;
        assert_eq!(node_with(&[Pass, Warn]).verdict(), Some(Warn));
        assert_eq!(node_with(&[Warn, Indeterminate, Pass]).verdict(), Some(Indeterminate));
        assert_eq!(node_with(&[Indeterminate, Fail, Warn]).verdict(), Some(Fail));
        assert_eq!(node_with(&[]).verdict(), None);
        let mut parent = node_with(&[Pass]);
        parent.children.push(node_with(&[Fail]));
        assert_eq!(parent.verdict(), Some(Fail));
    }

    #[test]
    fn empty_report_is_indeterminate() {
        let r = Report {
            policy: PolicySummary {
                validation_time: "signing".into(),
                leeway_seconds: 0,
                env: None,
                issuer: None,
                audience: vec![],
                nonce: None,
                reference_text: None,
                max_auth_age_seconds: None,
                min_level: None,
                idp: None,
                identity_type: None,
                ocsp_skew_seconds: 300,
                trusted_key_files: vec![],
                trust_anchor_files: vec![],
            },
            inputs: vec![],
            nodes: vec![],
        };
        assert_eq!(r.verdict(), Status::Indeterminate);
        assert!(r.to_json().contains("\"verdict\": \"indeterminate\""));
    }
}
