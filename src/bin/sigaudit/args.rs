//! Command-line arguments. Each verify flag maps one to one onto a field of
//! `sigaudit::Options` (and so onto the JS API's options object).

use clap::{Args, Parser, Subcommand, ValueEnum};
use sigaudit::{Options, Policy};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Parser, Debug)]
#[command(name = "sigaudit", version, about = "Offline verification and audit of Nordic e-signing evidence")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Verify one bundle of evidence (files and directories, in any mix).
    Verify(Box<VerifyArgs>),
    /// Verify every item of an archive (a folder tree or a JSONL manifest) with shared keys and anchors.
    Batch(Box<crate::batch::BatchArgs>),
    /// List every check id and what it establishes.
    Checks {
        /// Print a Markdown table (as in the README).
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// The policy flags `verify` and `batch` share (one flag per [`Options`] member,
/// plus the key and anchor files).
#[derive(Args, Debug)]
pub struct PolicyArgs {
    /// The issuer's key set (JWKS, JWK or certificates): keys from it are trusted.
    #[arg(long, value_name = "FILE")]
    pub jwks: Vec<PathBuf>,
    /// Trust anchors: PEM bundles or DER certificates.
    #[arg(long, value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// Environment profile whose issuer and certificates are pinned: pp or prod.
    #[arg(long)]
    pub env: Option<String>,
    /// Validation time: RFC 3339 (2024-05-07T13:10:55Z), "signing" (each token's iat), or "now" (default).
    #[arg(long)]
    pub at: Option<String>,
    /// Expected issuer (default with --env: the profile's issuer).
    #[arg(long)]
    pub issuer: Option<String>,
    /// Expected audience (client id or organisation TIN); repeat to accept any of several.
    #[arg(long, value_name = "S", action = clap::ArgAction::Append)]
    pub audience: Vec<String>,
    /// Maximum authentication age at issuance, seconds (iat - auth_time).
    #[arg(long, value_name = "SECONDS")]
    pub max_age: Option<u64>,
    /// Minimum NSIS level: low, substantial or high.
    #[arg(long, value_name = "LEVEL")]
    pub min_level: Option<String>,
    /// Expected identity provider (idp claim), e.g. mitid.
    #[arg(long)]
    pub idp: Option<String>,
    /// Expected identity type: private, professional or test.
    #[arg(long)]
    pub identity_type: Option<String>,
    /// Leeway for time comparisons, seconds (default 60).
    #[arg(long, value_name = "SECONDS")]
    pub leeway: Option<u32>,
    /// How far an OCSP thisUpdate may lie after the signing time, seconds (default 300).
    #[arg(long, value_name = "SECONDS")]
    pub ocsp_skew: Option<u32>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Evidence files; directories are read recursively.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Expected nonce.
    #[arg(long)]
    pub nonce: Option<String>,
    /// Expected CIBA reference text (mitid.reference_text).
    #[arg(long, value_name = "TEXT")]
    pub reference_text: Option<String>,
    /// Write the files embedded in the supplied PDFs into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    pub extract: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Show the evidence of passing checks too (text format).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Now, as RFC 3339: the only place sigaudit reads the clock.
pub fn now_rfc3339() -> Result<String, String> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|e| format!("system clock before 1970: {e}"))?.as_secs();
    Ok(sigaudit::time::UnixTime(secs as i64).rfc3339())
}

impl PolicyArgs {
    /// The library options these flags mean, with the per-bundle expectations
    /// (`verify` has flags for them; a batch has none: they differ per item).
    fn options(&self, nonce: Option<String>, reference_text: Option<String>) -> Result<Options, String> {
        let at = match self.at.as_deref() {
            None | Some("now") => now_rfc3339()?,
            Some(t) => t.to_string(),
        };
        Ok(Options {
            at: Some(at),
            env: self.env.clone(),
            issuer: self.issuer.clone(),
            audience: (!self.audience.is_empty()).then(|| self.audience.clone()),
            nonce,
            reference_text,
            max_age: self.max_age,
            min_level: self.min_level.clone(),
            idp: self.idp.clone(),
            identity_type: self.identity_type.clone(),
            leeway: self.leeway,
            ocsp_skew: self.ocsp_skew,
        })
    }

    /// The policy these flags mean: [`PolicyArgs::options`], with the key set
    /// and anchor files read.
    pub fn policy(&self, nonce: Option<String>, reference_text: Option<String>) -> Result<Policy, String> {
        let options = self.options(nonce, reference_text)?;
        let jwks = crate::files::read_all(&self.jwks)?;
        let trust = crate::files::read_all(&self.trust)?;
        Policy::from_options(&options, &jwks, &trust).map_err(|e| e.to_string())
    }
}

impl VerifyArgs {
    /// The policy these flags mean.
    pub fn policy(&self) -> Result<Policy, String> {
        self.policy.policy(self.nonce.clone(), self.reference_text.clone())
    }
}
