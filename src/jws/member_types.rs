//! The types RFC 7515 §4.1 gives the registered header members.
//!
//! A member of the wrong type is not "absent": a numeric `kid` or a string
//! `x5c` would otherwise be dropped silently and key selection would go on as
//! if the header had not named a key. Each wrong-typed member is named with
//! its type so the header check can fail with a sentence an auditor can act on.

use serde_json::{Map, Value};

/// The JSON type a registered header member must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    String,
    Object,
    /// A non-empty array of strings.
    StringArray,
}

/// Registered members (other than `alg`, `crit` and `b64`, which have their own
/// checks) with the type and the RFC 7515 section that defines it.
const MEMBERS: &[(&str, Expected, &str)] = &[
    ("jku", Expected::String, "§4.1.2"),
    ("jwk", Expected::Object, "§4.1.3"),
    ("kid", Expected::String, "§4.1.4"),
    ("x5u", Expected::String, "§4.1.5"),
    ("x5c", Expected::StringArray, "§4.1.6"),
    ("x5t", Expected::String, "§4.1.7"),
    ("x5t#S256", Expected::String, "§4.1.8"),
    ("typ", Expected::String, "§4.1.9"),
    ("cty", Expected::String, "§4.1.10"),
];

/// A registered header member whose value has the wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongType {
    pub member: &'static str,
    /// "a number", "an array with a non-string entry", ...
    pub found: String,
    /// "a string", "a non-empty array of strings", ...
    pub expected: &'static str,
    pub section: &'static str,
}

impl std::fmt::Display for WrongType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the header member \"{}\" is {}, not {} (RFC 7515 {})", self.member, self.found, self.expected, self.section)
    }
}

fn judge(value: &Value, expected: Expected) -> Option<(String, &'static str)> {
    let found = crate::json::type_name(value).to_string();
    match (expected, value) {
        (Expected::String, Value::String(_)) | (Expected::Object, Value::Object(_)) => None,
        (Expected::String, _) => Some((found, "a string")),
        (Expected::Object, _) => Some((found, "a JSON object (a JWK)")),
        (Expected::StringArray, Value::Array(items)) if items.is_empty() => Some(("an empty array".into(), "a non-empty array of strings")),
        (Expected::StringArray, Value::Array(items)) => items
            .iter()
            .position(|v| !v.is_string())
            .map(|i| (format!("an array whose entry {i} is {}", crate::json::type_name(&items[i])), "a non-empty array of strings")),
        (Expected::StringArray, _) => Some((found, "a non-empty array of strings")),
    }
}

/// Every registered member of `header` whose value has the wrong type, in RFC order;
/// `crit` is included when it is not an array (an empty one is the crit rule's).
pub fn wrong_types(header: &Map<String, Value>) -> Vec<WrongType> {
    let mut out: Vec<WrongType> = MEMBERS
        .iter()
        .filter_map(|&(member, expected, section)| {
            let (found, expected) = judge(header.get(member)?, expected)?;
            Some(WrongType { member, found, expected, section })
        })
        .collect();
    if let Some(crit) = header.get("crit").filter(|v| !v.is_array()) {
        out.push(WrongType { member: "crit", found: crate::json::type_name(crit).into(), expected: "an array of names", section: "§4.1.11" });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wrong(header: Value) -> Vec<String> {
        wrong_types(header.as_object().unwrap()).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn each_registered_member_has_its_type() {
        assert!(wrong(
            json!({"alg": "RS256", "kid": "k", "typ": "JWT", "cty": "JWT", "x5c": ["MII"], "x5t": "t", "x5t#S256": "t", "jwk": {}, "crit": ["b64"]})
        )
        .is_empty());
        assert_eq!(wrong(json!({"kid": 5})), ["the header member \"kid\" is a number, not a string (RFC 7515 §4.1.4)"]);
        assert_eq!(wrong(json!({"x5c": "MII"})), ["the header member \"x5c\" is a string, not a non-empty array of strings (RFC 7515 §4.1.6)"]);
        assert_eq!(wrong(json!({"x5c": []})), ["the header member \"x5c\" is an empty array, not a non-empty array of strings (RFC 7515 §4.1.6)"]);
        assert_eq!(
            wrong(json!({"x5c": ["MII", 7]})),
            ["the header member \"x5c\" is an array whose entry 1 is a number, not a non-empty array of strings (RFC 7515 §4.1.6)"]
        );
        assert_eq!(wrong(json!({"typ": ["JWT"]})), ["the header member \"typ\" is an array, not a string (RFC 7515 §4.1.9)"]);
        assert_eq!(wrong(json!({"cty": null})), ["the header member \"cty\" is null, not a string (RFC 7515 §4.1.10)"]);
        assert_eq!(wrong(json!({"crit": "b64"})), ["the header member \"crit\" is a string, not an array of names (RFC 7515 §4.1.11)"]);
        assert_eq!(wrong(json!({"x5t": 1, "x5t#S256": true, "jwk": "k"})).len(), 3);
    }
}
