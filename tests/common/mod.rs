//! Loading the scenario vectors under `test-vectors/scenarios/`.
//!
//! A scenario is a folder with `input/` (the evidence), `options.json` (the
//! options, one member per CLI flag; `jwks` and `trust` list files relative to
//! the folder) and `expected.json` (verdict and check ids by status).

#![allow(dead_code)]

use serde_json::Value;
use sigaudit::{Blob, Options, Policy};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors")
}

/// Every scenario folder (one holding expected.json), sorted.
pub fn scenarios() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if p.join("expected.json").is_file() {
                    out.push(p);
                } else {
                    walk(&p, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("scenarios"), &mut out);
    out
}

fn files_under(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, base, out);
        } else {
            out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}

/// A loaded scenario. Its options are `sigaudit::Options`, deserialised from
/// options.json as the JS API reads them (`audience`: a string or an array).
pub struct Scenario {
    pub dir: PathBuf,
    pub name: String,
    pub options: Options,
    pub jwks: Vec<String>,
    pub trust: Vec<String>,
    /// Input paths relative to the scenario folder, sorted.
    pub inputs: Vec<String>,
    pub expected: Value,
}

impl Scenario {
    pub fn load(dir: &Path) -> Scenario {
        let read_json = |name: &str| -> Value {
            let p = dir.join(name);
            serde_json::from_slice(&fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        };
        let mut opts = read_json("options.json");
        let take_list = |v: &mut Value, key: &str| -> Vec<String> {
            v.as_object_mut().and_then(|o| o.remove(key)).map(|l| serde_json::from_value(l).expect("list of file names")).unwrap_or_default()
        };
        let jwks = take_list(&mut opts, "jwks");
        let trust = take_list(&mut opts, "trust");
        let options: Options = serde_json::from_value(opts).unwrap_or_else(|e| panic!("{}: options.json: {e}", dir.display()));
        let mut inputs = Vec::new();
        files_under(&dir.join("input"), dir, &mut inputs);
        Scenario {
            name: dir.strip_prefix(root().join("scenarios")).unwrap().to_string_lossy().into_owned(),
            dir: dir.to_path_buf(),
            options,
            jwks,
            trust,
            inputs,
            expected: read_json("expected.json"),
        }
    }

    fn blobs(&self, names: &[String]) -> Vec<Blob> {
        names.iter().map(|n| Blob::new(n.clone(), fs::read(self.dir.join(n)).unwrap())).collect()
    }

    pub fn policy(&self) -> Policy {
        Policy::from_options(&self.options, &self.blobs(&self.jwks), &self.blobs(&self.trust)).unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }

    pub fn evidence(&self) -> sigaudit::Evidence {
        sigaudit::Evidence::new(self.blobs(&self.inputs))
    }

    /// The CLI arguments equivalent to options.json (one flag per member).
    pub fn cli_args(&self) -> Vec<String> {
        let mut args = vec!["verify".to_string(), "--format".into(), "json".into()];
        let o = &self.options;
        let mut flag = |name: &str, v: &Option<String>| {
            if let Some(v) = v {
                args.push(format!("--{name}"));
                args.push(v.clone());
            }
        };
        flag("at", &o.at);
        flag("env", &o.env);
        flag("issuer", &o.issuer);
        // One --audience per expected audience (options.json: a string or an array).
        for aud in o.audience.iter().flatten() {
            flag("audience", &Some(aud.clone()));
        }
        flag("nonce", &o.nonce);
        flag("reference-text", &o.reference_text);
        flag("max-age", &o.max_age.map(|v| v.to_string()));
        flag("min-level", &o.min_level);
        flag("idp", &o.idp);
        flag("identity-type", &o.identity_type);
        flag("leeway", &o.leeway.map(|v| v.to_string()));
        flag("ocsp-skew", &o.ocsp_skew.map(|v| v.to_string()));
        for j in &self.jwks {
            args.push("--jwks".into());
            args.push(j.clone());
        }
        for t in &self.trust {
            args.push("--trust".into());
            args.push(t.clone());
        }
        args.extend(self.inputs.iter().cloned());
        args
    }
}

/// Check ids per status in a report's JSON.
pub fn ids_by_status(report: &Value) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    fn walk(node: &Value, out: &mut std::collections::BTreeMap<String, BTreeSet<String>>) {
        for c in node["checks"].as_array().into_iter().flatten() {
            out.entry(c["status"].as_str().unwrap().to_string()).or_default().insert(c["id"].as_str().unwrap().to_string());
        }
        for child in node["children"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for n in report["nodes"].as_array().into_iter().flatten() {
        walk(n, &mut out);
    }
    out
}

/// Compares a report with expected.json; returns the differences in words.
pub fn compare(expected: &Value, report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if expected["verdict"] != report["verdict"] {
        problems.push(format!("verdict {} (expected {})", report["verdict"], expected["verdict"]));
    }
    let got = ids_by_status(report);
    let set = |v: &Value| -> BTreeSet<String> { v.as_array().into_iter().flatten().map(|s| s.as_str().unwrap().to_string()).collect() };
    let empty = BTreeSet::new();
    for status in ["fail", "indeterminate", "warn"] {
        let want = set(&expected[status]);
        let have = got.get(status).unwrap_or(&empty);
        if &want != have {
            problems.push(format!(
                "{status}: missing {:?}, unexpected {:?}",
                want.difference(have).collect::<Vec<_>>(),
                have.difference(&want).collect::<Vec<_>>()
            ));
        }
    }
    let want_pass = set(&expected["pass"]);
    let have_pass = got.get("pass").unwrap_or(&empty);
    let missing: Vec<_> = want_pass.difference(have_pass).collect();
    if !missing.is_empty() {
        problems.push(format!("pass: missing {missing:?}"));
    }
    problems
}
