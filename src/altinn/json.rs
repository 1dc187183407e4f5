//! Reading Altinn's JSON members whatever their casing.
//!
//! Storage writes camelCase, a short-lived build wrote PascalCase, and the
//! app's reference-preserving writer mixes both (altinn.md): members are
//! matched ignoring ASCII case. Two members that differ only in case are
//! ambiguous and reported, as duplicate names are elsewhere (src/json.rs).

use serde_json::{Map, Value};

/// The value of member `name`, matched ignoring ASCII case; ambiguity is a problem.
pub fn member<'a>(obj: &'a Map<String, Value>, name: &str, problems: &mut Vec<String>) -> Option<&'a Value> {
    let mut found: Option<(&String, &'a Value)> = None;
    for (k, v) in obj {
        if k.eq_ignore_ascii_case(name) {
            if let Some((first, _)) = found {
                problems.push(format!("members \"{first}\" and \"{k}\" differ only in case (ambiguous)"));
                return None;
            }
            found = Some((k, v));
        }
    }
    found.map(|(_, v)| v)
}

/// Whether the object has member `name` (any casing).
pub fn has(obj: &Map<String, Value>, name: &str) -> bool {
    obj.keys().any(|k| k.eq_ignore_ascii_case(name))
}

/// A string member; numbers are accepted as their text (ids sometimes arrive as numbers);
/// null, absent and empty are `None`; anything else is a problem.
pub fn text(obj: &Map<String, Value>, name: &str, what: &str, problems: &mut Vec<String>) -> Option<String> {
    match member(obj, name, problems)? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        other => {
            problems.push(format!("{what}{name} is {}, not a string", crate::json::type_name(other)));
            None
        }
    }
}

/// A boolean member (absent or null is `None`).
pub fn boolean(obj: &Map<String, Value>, name: &str, what: &str, problems: &mut Vec<String>) -> Option<bool> {
    match member(obj, name, problems)? {
        Value::Null => None,
        Value::Bool(b) => Some(*b),
        other => {
            problems.push(format!("{what}{name} is {}, not a boolean", crate::json::type_name(other)));
            None
        }
    }
}

/// An object member (absent or null is `None`).
pub fn object<'a>(obj: &'a Map<String, Value>, name: &str, what: &str, problems: &mut Vec<String>) -> Option<&'a Map<String, Value>> {
    match member(obj, name, problems)? {
        Value::Null => None,
        Value::Object(o) => Some(o),
        other => {
            problems.push(format!("{what}{name} is {}, not an object", crate::json::type_name(other)));
            None
        }
    }
}

/// A GUID in canonical 8-4-4-4-12 hex form, lower-cased; `None` for anything else.
pub fn guid(text: &str) -> Option<String> {
    let b = text.as_bytes();
    if b.len() != 36 {
        return None;
    }
    for (i, c) in b.iter().enumerate() {
        let ok = if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() };
        if !ok {
            return None;
        }
    }
    Some(text.to_ascii_lowercase())
}

/// The casing of an object's member names: "camelCase", "PascalCase" or "mixed".
pub fn casing<'a>(names: impl IntoIterator<Item = &'a String>) -> &'static str {
    let (mut lower, mut upper) = (false, false);
    for n in names {
        match n.chars().next() {
            Some(c) if c.is_ascii_lowercase() => lower = true,
            Some(c) if c.is_ascii_uppercase() => upper = true,
            _ => {}
        }
    }
    match (lower, upper) {
        (true, false) => "camelCase",
        (false, true) => "PascalCase",
        _ => "mixed",
    }
}

/// The data element id a file name stands for: the name after the last `/` or `\`,
/// up to its first `.`, when that is a GUID (`<dataGuid>` or `<dataGuid>.<ext>`).
/// Only the file name counts, never its directories, so a folder and the same
/// files dropped in the browser are read alike.
pub fn file_guid(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    guid(base.split('.').next().unwrap_or(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_ignore_case_and_reject_ambiguity() {
        let v: Value = serde_json::from_str(r#"{"SignedTime":"x","id":1,"Id":2}"#).unwrap();
        let o = v.as_object().unwrap();
        let mut p = Vec::new();
        assert_eq!(member(o, "signedTime", &mut p), Some(&Value::String("x".into())));
        assert!(p.is_empty());
        assert_eq!(member(o, "id", &mut p), None);
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn guids_and_file_names() {
        let g = "6F0D5C4A-1B2C-4D3E-8F90-A1B2C3D4E5F6";
        assert_eq!(guid(g).unwrap(), g.to_ascii_lowercase());
        assert!(guid("6f0d5c4a1b2c4d3e8f90a1b2c3d4e5f6").is_none());
        assert_eq!(file_guid(&format!("input/{g}.xml")).unwrap(), g.to_ascii_lowercase());
        assert_eq!(file_guid(&format!("C:\\export\\{g}")).unwrap(), g.to_ascii_lowercase());
        assert!(file_guid("input/instance.json").is_none());
    }
}
