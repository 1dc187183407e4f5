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

/// Reads a NumericDate (RFC 7519 §2): an integer or a non-integer number
/// (fraction dropped), or a string holding one. `Err` says what was there.
pub fn numeric_date(v: &Value) -> Result<(i64, Form), String> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok((i, Form::Number))
            } else if let Some(f) = n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e15) {
                Ok((f.trunc() as i64, Form::Number))
            } else {
                Err(format!("{n} is out of range"))
            }
        }
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                Ok((i, Form::String))
            } else if let Some(f) = t.parse::<f64>().ok().filter(|f| f.is_finite() && f.abs() < 1e15) {
                Ok((f.trunc() as i64, Form::String))
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
    }
}
