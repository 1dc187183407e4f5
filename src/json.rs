//! Strict JSON: UTF-8, bounded depth, and no duplicate member names.
//!
//! `serde_json` keeps the last of two equal member names. For signed JSON that
//! is a parser-differential hazard (one verifier reads the first `alg`, another
//! the last), so RFC 7515 §5.2 allows rejecting them and RFC 8725 §3.4 / I-JSON
//! (RFC 7493 §2.3) say to: we reject them, everywhere, with the name reported.

use crate::limits::MAX_JSON_DEPTH;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// Why JSON text was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// The bytes are not UTF-8; `at` is the offset of the first bad byte.
    NotUtf8 { at: usize },
    /// The same member name twice in one object.
    DuplicateMember { name: String },
    /// Nested deeper than [`MAX_JSON_DEPTH`].
    TooDeep,
    /// Not well-formed JSON; serde_json's message with line and column.
    Syntax(String),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::NotUtf8 { at } => write!(f, "not UTF-8 (invalid byte at offset {at})"),
            JsonError::DuplicateMember { name } => write!(f, "duplicate member name \"{name}\""),
            JsonError::TooDeep => write!(f, "nested deeper than {MAX_JSON_DEPTH} levels"),
            JsonError::Syntax(msg) => write!(f, "not well-formed JSON: {msg}"),
        }
    }
}

impl std::error::Error for JsonError {}

/// Parses JSON strictly. A UTF-8 byte order mark at the start is tolerated
/// (Windows tools write one into exported JSON files).
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| JsonError::NotUtf8 { at: e.valid_up_to() })?;
    parse_str(text)
}

/// Parses JSON text strictly (see [`parse`]).
pub fn parse_str(text: &str) -> Result<Value, JsonError> {
    let problem = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Seed { depth: 0, problem: &problem }.deserialize(&mut de).and_then(|v| de.end().map(|_| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(problem.into_inner().unwrap_or_else(|| JsonError::Syntax(e.to_string()))),
    }
}

#[derive(Clone, Copy)]
struct Seed<'p> {
    depth: usize,
    problem: &'p RefCell<Option<JsonError>>,
}

impl Seed<'_> {
    fn deeper<E: serde::de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_JSON_DEPTH {
            *self.problem.borrow_mut() = Some(JsonError::TooDeep);
            return Err(E::custom("too deep"));
        }
        Ok(Seed { depth: self.depth + 1, problem: self.problem })
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(Value::Null))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                *self.problem.borrow_mut() = Some(JsonError::DuplicateMember { name: key });
                return Err(A::Error::custom("duplicate member"));
            }
            let value = map.next_value_seed(inner)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A short human name for a JSON value's type, for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_json() {
        let v = parse(br#"{"a":[1,2,{"b":null}],"c":"d"}"#).unwrap();
        assert_eq!(v["c"], "d");
        assert!(parse(b"\xEF\xBB\xBF{}").is_ok());
    }

    #[test]
    fn rejects_duplicates_at_any_depth() {
        assert_eq!(parse(br#"{"alg":"RS256","alg":"none"}"#), Err(JsonError::DuplicateMember { name: "alg".into() }));
        assert_eq!(parse(br#"{"a":{"x":1,"x":2}}"#), Err(JsonError::DuplicateMember { name: "x".into() }));
        assert!(parse(br#"[{"x":1},{"x":2}]"#).is_ok(), "same name in different objects is fine");
    }

    #[test]
    fn rejects_non_utf8_depth_and_trailing() {
        assert_eq!(parse(b"{\"a\":\"\xff\"}"), Err(JsonError::NotUtf8 { at: 6 }));
        let deep = "[".repeat(MAX_JSON_DEPTH + 1) + &"]".repeat(MAX_JSON_DEPTH + 1);
        assert_eq!(parse(deep.as_bytes()), Err(JsonError::TooDeep));
        let ok = "[".repeat(MAX_JSON_DEPTH) + &"]".repeat(MAX_JSON_DEPTH);
        assert!(parse(ok.as_bytes()).is_ok());
        assert!(matches!(parse(b"{} x"), Err(JsonError::Syntax(_))));
        assert!(matches!(parse(b"{\"a\":1,}"), Err(JsonError::Syntax(_))));
    }
}
