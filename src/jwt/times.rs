//! `iat`, `nbf`, `exp` against the validation time (RFC 7519 §4.1.4-4.1.6).
//!
//! Archived tokens are judged *as of* a time. Expiry at that time is
//! indeterminate, not a failure: the token may have been valid when used, but
//! nothing here proves it existed before `exp` (the ETSI EN 319 102-1 notion of
//! "out of bounds, no proof of existence"). `--at signing` takes `iat`.

use super::numeric::{numeric_date, Form};
use super::TokenRole;
use crate::checks::CheckId;
use crate::policy::ValidationTime;
use crate::report::{Check, Fact};
use crate::time::{describe_duration, UnixTime};
use serde_json::{Map, Value};

/// The time checks and the validation time they used.
pub struct TimeOutcome {
    pub checks: Vec<Check>,
    pub validation_time: Option<UnixTime>,
    pub iat: Option<UnixTime>,
    pub exp: Option<UnixTime>,
}

enum Claim {
    Absent,
    Bad(String),
    At(UnixTime, Form),
}

fn read(claims: &Map<String, Value>, name: &str) -> Claim {
    match claims.get(name) {
        None => Claim::Absent,
        // RFC 7519 §4.1.4-4.1.6: the value MUST be a NumericDate; null is not one.
        Some(Value::Null) => Claim::Bad("it is null".into()),
        Some(v) => match numeric_date(v) {
            Ok((t, form)) => Claim::At(UnixTime(t), form),
            Err(why) => Claim::Bad(why),
        },
    }
}

/// Checks the time claims of a token.
pub fn check_times(claims: &Map<String, Value>, role: TokenRole, time: ValidationTime, leeway: u32) -> TimeOutcome {
    let mut checks = Vec::new();
    let leeway = leeway as i64;
    let required = role != TokenRole::Jwt;
    let iat = read(claims, "iat");
    let nbf = read(claims, "nbf");
    let exp = read(claims, "exp");
    let iat_time = match &iat {
        Claim::At(t, _) => Some(*t),
        _ => None,
    };
    let exp_time = match &exp {
        Claim::At(t, _) => Some(*t),
        _ => None,
    };

    let (vt, vt_words) = match time {
        ValidationTime::At(t) => (Some(t), format!("the validation time {t}")),
        ValidationTime::Signing => (iat_time, "the token's own iat (the time its signer claims)".to_string()),
    };

    // iat
    match &iat {
        Claim::Absent if required => checks.push(Check::fail(CheckId::JwtIat, format!("the {} has no iat; its issuance time is unknown", role.name()))),
        Claim::Absent => checks.push(Check::warn(CheckId::JwtIat, "no iat: the issuance time is unknown")),
        Claim::Bad(why) => checks.push(Check::fail(CheckId::JwtIat, format!("iat is not a NumericDate: {why}"))),
        Claim::At(t, form) => match vt {
            Some(v) if t.0 > v.0.saturating_add(leeway) => checks.push(
                Check::indeterminate(
                    CheckId::JwtIat,
                    format!("issued at {t}{}, {} after {vt_words}: the token did not exist yet", form.note(), describe_duration(t.0.saturating_sub(v.0))),
                )
                .with(Fact::time("iat", *t))
                .with(Fact::time("validation_time", v)),
            ),
            _ => checks.push(Check::pass(CheckId::JwtIat, format!("issued at {t}{}", form.note())).with(Fact::time("iat", *t))),
        },
    }
    let Some(vt) = vt else {
        // --at signing without a usable iat: nothing to judge nbf/exp against. A
        // required-but-missing or malformed iat already failed above.
        if matches!(iat, Claim::Absent) && !required {
            checks.push(Check::indeterminate(CheckId::JwtIat, "validation time \"signing\" needs the token's iat, and there is none; give an explicit time"));
        }
        return TimeOutcome { checks, validation_time: None, iat: iat_time, exp: exp_time };
    };

    // nbf
    match &nbf {
        Claim::Absent => {}
        Claim::Bad(why) => checks.push(Check::fail(CheckId::JwtNbf, format!("nbf is not a NumericDate: {why}"))),
        Claim::At(t, form) if t.0 > vt.0.saturating_add(leeway) => checks.push(
            Check::indeterminate(
                CheckId::JwtNbf,
                format!("not valid before {t}{}, which is {} after {vt_words}", form.note(), describe_duration(t.0.saturating_sub(vt.0))),
            )
            .with(Fact::time("nbf", *t))
            .with(Fact::time("validation_time", vt)),
        ),
        Claim::At(t, form) => checks.push(Check::pass(CheckId::JwtNbf, format!("valid from {t}{}", form.note())).with(Fact::time("nbf", *t))),
    }

    // exp
    match &exp {
        Claim::Absent if matches!(role, TokenRole::IdToken | TokenRole::AccessToken) => checks.push(Check::fail(
            CheckId::JwtExp,
            format!("the {} has no exp, which OIDC Core §2 / RFC 9068 §2.2 require", role.name()),
        )),
        Claim::Absent => checks.push(Check::warn(CheckId::JwtExp, "no exp: the token never expires")),
        Claim::Bad(why) => checks.push(Check::fail(CheckId::JwtExp, format!("exp is not a NumericDate: {why}"))),
        Claim::At(t, form) if vt.0 > t.0.saturating_add(leeway) => checks.push(
            Check::indeterminate(
                CheckId::JwtExp,
                format!(
                    "expired at {t}{}, {} before {vt_words}. An expired token is not a forgery: to judge archived evidence, verify it as of its signing time (--at signing) or a time you can prove",
                    form.note(),
                    describe_duration(vt.0.saturating_sub(t.0))
                ),
            )
            .with(Fact::time("exp", *t))
            .with(Fact::time("validation_time", vt)),
        ),
        Claim::At(t, form) => checks.push(
            Check::pass(CheckId::JwtExp, format!("not expired at {vt} (expires {t}{})", form.note()))
                .with(Fact::time("exp", *t))
                .with(Fact::time("validation_time", vt)),
        ),
    }

    // Internal consistency.
    if let Some(e) = exp_time {
        let mut problems = Vec::new();
        if let Some(i) = iat_time.filter(|i| i.0 > e.0) {
            problems.push(format!("iat {i} is after exp {e}"));
        }
        if let Claim::At(n, _) = nbf {
            if n.0 > e.0 {
                problems.push(format!("nbf {n} is after exp {e}"));
            }
        }
        if problems.is_empty() {
            checks.push(Check::pass(CheckId::JwtTimeOrder, "iat, nbf and exp are in order"));
        } else {
            checks.push(Check::fail(CheckId::JwtTimeOrder, format!("the token's times contradict each other: {}", problems.join("; "))));
        }
    }
    TimeOutcome { checks, validation_time: Some(vt), iat: iat_time, exp: exp_time }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use serde_json::json;

    fn status(claims: Value, id: CheckId) -> Vec<Status> {
        let claims = claims.as_object().unwrap().clone();
        let out = check_times(&claims, TokenRole::IdToken, ValidationTime::At(UnixTime(1_741_597_200)), 60);
        out.checks.iter().filter(|c| c.id == id).map(|c| c.status).collect()
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        let t = 1_741_597_200i64;
        // Beyond the years 0000-9999: out of range, a failed check, never a wrapped sum.
        assert_eq!(status(json!({"iat": t, "exp": i64::MAX}), CheckId::JwtExp), vec![Status::Fail]);
        assert_eq!(status(json!({"iat": t, "exp": i64::MIN}), CheckId::JwtExp), vec![Status::Fail]);
        assert_eq!(status(json!({"iat": t, "exp": 1e17}), CheckId::JwtExp), vec![Status::Fail]);
        // The edges of the range, with the leeway added or subtracted.
        let last = 253_402_300_799i64;
        let first = -62_167_219_200i64;
        assert_eq!(status(json!({"iat": t, "exp": last}), CheckId::JwtExp), vec![Status::Pass]);
        assert_eq!(status(json!({"iat": t, "exp": first}), CheckId::JwtExp), vec![Status::Indeterminate]);
        assert_eq!(status(json!({"iat": last, "exp": last}), CheckId::JwtIat), vec![Status::Indeterminate]);
        assert_eq!(status(json!({"iat": t, "nbf": last, "exp": last}), CheckId::JwtNbf), vec![Status::Indeterminate]);
    }

    #[test]
    fn null_is_malformed() {
        let t = 1_741_597_200i64;
        assert_eq!(status(json!({"iat": t, "nbf": null, "exp": t + 300}), CheckId::JwtNbf), vec![Status::Fail]);
        assert_eq!(status(json!({"iat": t, "exp": null}), CheckId::JwtExp), vec![Status::Fail]);
        assert_eq!(status(json!({"iat": null, "exp": t + 300}), CheckId::JwtIat), vec![Status::Fail]);
    }
}
