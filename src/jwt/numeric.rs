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

/// A non-integer NumericDate is accepted when its whole part fits an `i64`, the
/// same range as an integer one: `1e17` and `100000000000000000` are read alike.
fn float_seconds(f: f64) -> Option<i64> {
    // 2^63: every finite f64 below it in magnitude truncates into an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    let t = f.trunc();
    (f.is_finite() && (-LIMIT..LIMIT).contains(&t)).then_some(t as i64)
}

/// Reads a NumericDate (RFC 7519 §2): an integer or a non-integer number
/// (fraction dropped), or a string holding one. `Err` says what was there.
pub fn numeric_date(v: &Value) -> Result<(i64, Form), String> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok((i, Form::Number))
            } else if let Some(t) = n.as_f64().and_then(float_seconds) {
                Ok((t, Form::Number))
            } else {
                Err(format!("{n} is out of range"))
            }
        }
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                Ok((i, Form::String))
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
        assert_eq!(numeric_date(&json!(1e17)), Ok((100_000_000_000_000_000, Form::Number)));
        assert_eq!(numeric_date(&json!(100_000_000_000_000_000i64)), Ok((100_000_000_000_000_000, Form::Number)));
        assert!(numeric_date(&json!(9.3e18)).is_err());
        assert!(numeric_date(&json!(18446744073709551615u64)).is_err());
    }
}
