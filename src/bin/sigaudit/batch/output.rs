//! One JSON line per item, and the summary.
//!
//! A row: `id`, `verdict` (`pass`, `warn`, `indeterminate`, `fail`, or
//! `error` when the item could not be verified at all), `failed` and
//! `indeterminate` (the check ids that ended so, sorted, each once), `error`
//! (the reason, error rows only), the key facts of the item's principal token
//! (`issuer`, `kid`, `iat`, `transaction_id`), `documents` (the SHA-256 of
//! every document a token commits to, and of every PDF, hex), and with
//! `--full` the item's whole `report` (the same object `sigaudit verify
//! --format json` prints). Members without a value are left out.

use serde::Serialize;
use sigaudit::checks::CheckId;
use sigaudit::report::{FactValue, Node, NodeKind};
use sigaudit::{Report, Status};
use std::collections::BTreeMap;

/// Verdict words, and `error`.
pub const VERDICTS: [&str; 5] = ["pass", "warn", "indeterminate", "fail", "error"];

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    verdict: &'static str,
    failed: Vec<&'static str>,
    indeterminate: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iat: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    documents: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
}

/// What the writer needs of a finished item: its line and its tallies.
pub struct RowOut {
    /// The JSON line (no newline). Empty when the item was skipped (resume).
    pub line: Vec<u8>,
    /// Index into [`VERDICTS`]; None when skipped.
    pub verdict: Option<usize>,
    pub failed: Vec<&'static str>,
    pub indeterminate: Vec<&'static str>,
}

fn is_token(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::IdToken | NodeKind::AccessToken | NodeKind::TransactionToken | NodeKind::WorkflowToken | NodeKind::Jwt)
}

fn rank(kind: NodeKind) -> u8 {
    match kind {
        NodeKind::TransactionToken | NodeKind::WorkflowToken => 0,
        NodeKind::IdToken => 1,
        NodeKind::Jwt => 2,
        _ => 3,
    }
}

/// Walks the tree once: check ids by status, token nodes, document hashes.
struct Walk<'r> {
    failed: Vec<&'static str>,
    indeterminate: Vec<&'static str>,
    principal: Option<&'r Node>,
    documents: Vec<&'r str>,
}

impl<'r> Walk<'r> {
    fn node(&mut self, n: &'r Node) {
        if is_token(n.kind) && self.principal.map_or(true, |p| rank(n.kind) < rank(p.kind)) {
            self.principal = Some(n);
        }
        if n.kind == NodeKind::Pdf {
            self.digest(&n.facts, "sha256");
        }
        for c in &n.checks {
            match c.status {
                Status::Fail => self.failed.push(c.id.as_str()),
                Status::Indeterminate => self.indeterminate.push(c.id.as_str()),
                _ => {}
            }
            if matches!(c.id, CheckId::BindingDocumentSha256 | CheckId::BindingWorkflowDocument) {
                self.digest(&c.evidence, "expected_sha256");
            }
        }
        for child in &n.children {
            self.node(child);
        }
    }

    fn digest(&mut self, facts: &'r [sigaudit::report::Fact], name: &str) {
        for f in facts.iter().filter(|f| f.name == name) {
            if let FactValue::Digest { hex, .. } = &f.value {
                if !self.documents.contains(&hex.as_str()) {
                    self.documents.push(hex);
                }
            }
        }
    }
}

fn text_fact<'r>(node: Option<&'r Node>, name: &str) -> Option<&'r str> {
    node?.facts.iter().find(|f| f.name == name).and_then(|f| match &f.value {
        FactValue::Text(s) => Some(s.as_str()),
        _ => None,
    })
}

fn sorted_unique(mut v: Vec<&'static str>) -> Vec<&'static str> {
    v.sort_unstable();
    v.dedup();
    v
}

fn verdict_index(s: Status) -> usize {
    match s {
        Status::Pass => 0,
        Status::Warn => 1,
        Status::Indeterminate => 2,
        Status::Fail => 3,
    }
}

/// The row of a verified item.
pub fn report_row(id: &str, report: &Report, full: bool) -> RowOut {
    let mut w = Walk { failed: Vec::new(), indeterminate: Vec::new(), principal: None, documents: Vec::new() };
    for n in &report.nodes {
        w.node(n);
    }
    let verdict = report.verdict();
    let failed = sorted_unique(w.failed);
    let indeterminate = sorted_unique(w.indeterminate);
    let iat = w.principal.and_then(|p| p.facts.iter().find(|f| f.name == "iat")).and_then(|f| match &f.value {
        FactValue::Time(t) => Some(t.rfc3339()),
        _ => None,
    });
    let row = Row {
        id,
        verdict: verdict.as_str(),
        failed: failed.clone(),
        indeterminate: indeterminate.clone(),
        error: None,
        issuer: text_fact(w.principal, "iss"),
        kid: text_fact(w.principal, "kid"),
        iat,
        transaction_id: text_fact(w.principal, "transaction_id"),
        documents: w.documents,
        report: full.then_some(report),
    };
    RowOut { line: serde_json::to_vec(&row).unwrap_or_default(), verdict: Some(verdict_index(verdict)), failed, indeterminate }
}

/// The row of an item that could not be verified.
pub fn error_row(id: &str, reason: &str) -> RowOut {
    let row = Row {
        id,
        verdict: "error",
        failed: Vec::new(),
        indeterminate: Vec::new(),
        error: Some(reason),
        issuer: None,
        kid: None,
        iat: None,
        transaction_id: None,
        documents: Vec::new(),
        report: None,
    };
    RowOut { line: serde_json::to_vec(&row).unwrap_or_default(), verdict: Some(4), failed: Vec::new(), indeterminate: Vec::new() }
}

/// A skipped item (already in the resumed output).
pub fn skipped_row() -> RowOut {
    RowOut { line: Vec::new(), verdict: None, failed: Vec::new(), indeterminate: Vec::new() }
}

/// Tallies over the whole run.
#[derive(Default)]
pub struct Tally {
    pub verdicts: [u64; 5],
    pub failed: BTreeMap<&'static str, u64>,
    pub indeterminate: BTreeMap<&'static str, u64>,
    pub skipped: u64,
}

impl Tally {
    pub fn add(&mut self, row: &RowOut) {
        match row.verdict {
            None => self.skipped += 1,
            Some(v) => {
                self.verdicts[v] += 1;
                for id in &row.failed {
                    *self.failed.entry(id).or_default() += 1;
                }
                for id in &row.indeterminate {
                    *self.indeterminate.entry(id).or_default() += 1;
                }
            }
        }
    }

    pub fn items(&self) -> u64 {
        self.verdicts.iter().sum()
    }
}

/// The summary object (the last one with `--format json`).
#[derive(Serialize)]
pub struct Summary<'a> {
    pub items: u64,
    pub verdicts: BTreeMap<&'static str, u64>,
    pub failed_checks: &'a BTreeMap<&'static str, u64>,
    pub indeterminate_checks: &'a BTreeMap<&'static str, u64>,
    pub skipped_as_done: u64,
    pub elapsed_seconds: f64,
    pub items_per_second: f64,
    pub jobs: usize,
    pub interrupted: bool,
    pub cache: sigaudit::cache::CacheStats,
}

impl<'a> Summary<'a> {
    pub fn new(t: &'a Tally, elapsed: f64, jobs: usize, interrupted: bool, cache: sigaudit::cache::CacheStats) -> Summary<'a> {
        let items = t.items();
        Summary {
            items,
            verdicts: VERDICTS.iter().zip(t.verdicts).map(|(k, v)| (*k, v)).collect(),
            failed_checks: &t.failed,
            indeterminate_checks: &t.indeterminate,
            skipped_as_done: t.skipped,
            elapsed_seconds: (elapsed * 1000.0).round() / 1000.0,
            items_per_second: if elapsed > 0.0 { (items as f64 / elapsed).round() } else { 0.0 },
            jobs,
            interrupted,
            cache,
        }
    }

    /// The summary for people (stderr).
    pub fn text(&self) -> String {
        let mut s = format!(
            "sigaudit batch: {} items in {:.1} s ({:.0} items/s, {} jobs){}\n",
            self.items,
            self.elapsed_seconds,
            self.items_per_second,
            self.jobs,
            if self.interrupted { ", INTERRUPTED: the output holds the items before the stop" } else { "" }
        );
        let v: Vec<String> = self.verdicts.iter().map(|(k, n)| format!("{k} {n}")).collect();
        s += &format!("  verdicts: {}\n", v.join(", "));
        if self.skipped_as_done > 0 {
            s += &format!("  skipped (already in the resumed output): {}\n", self.skipped_as_done);
        }
        if !self.failed_checks.is_empty() {
            let f: Vec<String> = self.failed_checks.iter().map(|(k, n)| format!("{k} {n}")).collect();
            s += &format!("  failed checks: {}\n", f.join(", "));
        }
        if !self.indeterminate_checks.is_empty() {
            let f: Vec<String> = self.indeterminate_checks.iter().map(|(k, n)| format!("{k} {n}")).collect();
            s += &format!("  indeterminate checks: {}\n", f.join(", "));
        }
        let c = &self.cache;
        s += &format!(
            "  computed once per distinct input: {} certificates parsed, {} certificate signatures, {} OCSP responses parsed, {} OCSP signatures, {} key files\n",
            c.certificates_parsed, c.certificate_signatures_verified, c.ocsp_responses_parsed, c.ocsp_signatures_verified, c.key_files_parsed
        );
        s
    }
}
