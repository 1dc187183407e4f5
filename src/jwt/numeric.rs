//! NumericDate and numeric claims that the broker sometimes writes as strings
//! (`"auth_time": "1663143384"`): accepted, and reported as such.

use serde_json::Value;

/// How a numeric claim arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Number,
    String,
}

impl Form {
    /// " (given as a JSON string)" or "".
    pub fn note(self) -> &'static str {
        match self {
            Form::Number => "",
            Form::String => " (given as a JSON string)",
        }
    }
}

/// The NumericDates a report can state: the years 0000 to 9999, which RFC 3339
/// (every time in a report) can write. The same range holds for the integer and
/// the non-integer form, so `1e11` and `100000000000` are read alike.
const FIRST: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
const LAST: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

fn in_range(t: i64) -> Option<i64> {
    (FIRST..=LAST).contains(&t).then_some(t)
}

/// A non-integer NumericDate: its whole part.
fn float_seconds(f: f64) -> Option<i64> {
    let t = f.trunc();
    (f.is_finite() && (FIRST as f64..=LAST as f64).contains(&t)).then_some(t as i64)
}

/// Reads a NumericDate (RFC 7519 §2): an integer or a non-integer number
/// (fraction dropped), or a string holding one. `Err` says what was there.
pub fn numeric_date(v: &Value) -> Result<(i64, Form), String> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64().and_then(in_range) {
                Ok((i, Form::Number))
            } else if let Some(t) = n.as_f64().filter(|_| n.as_i64().is_none()).and_then(float_seconds) {
                Ok((t, Form::Number))
            } else {
                Err(format!("{n} is out of range (a NumericDate here must fall in the years 0000 to 9999)"))
            }
        }
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                in_range(i)
                    .map(|i| (i, Form::String))
                    .ok_or_else(|| format!("\"{s}\" is out of range (a NumericDate here must fall in the years 0000 to 9999)"))
            } else if let Some(t) = t.parse::<f64>().ok().and_then(float_seconds) {
                Ok((t, Form::String))
            } else {
                Err(format!("\"{s}\" is not a number"))
            }
        }
        other => Err(format!("{} is not a NumericDate", crate::json::type_name(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn forms() {
        assert_eq!(numeric_date(&json!(1715087453)), Ok((1715087453, Form::Number)));
        assert_eq!(numeric_date(&json!(1715087453.9)), Ok((1715087453, Form::Number)));
        assert_eq!(numeric_date(&json!("1663143384")), Ok((1663143384, Form::String)));
        assert!(numeric_date(&json!("soon")).is_err());
        assert!(numeric_date(&json!(true)).is_err());
        assert!(numeric_date(&json!(1e300)).is_err());
        // The same range for both forms.
        assert_eq!(numeric_date(&json!(1e11)), Ok((100_000_000_000, Form::Number)));
        assert_eq!(numeric_date(&json!(100_000_000_000i64)), Ok((100_000_000_000, Form::Number)));
        assert_eq!(numeric_date(&json!(253_402_300_799i64)), Ok((253_402_300_799, Form::Number)));
        assert!(numeric_date(&json!(253_402_300_800i64)).is_err());
        assert!(numeric_date(&json!(1e17)).is_err());
        assert!(numeric_date(&json!(100_000_000_000_000_000i64)).is_err());
        assert!(numeric_date(&json!(i64::MAX)).is_err());
        assert!(numeric_date(&json!("9223372036854775807")).is_err());
        assert!(numeric_date(&json!(9.3e18)).is_err());
        assert!(numeric_date(&json!(18446744073709551615u64)).is_err());
    }
}
