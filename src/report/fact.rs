//! Typed evidence: the facts a check rests on.
//!
//! Serialised uniformly as `{"name": ..., "type": ..., "value": ...}` so a
//! renderer can show any fact, and the page can pick out `time` and `period`
//! facts for its timeline without knowing every check.

use crate::time::UnixTime;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// The value of a fact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactValue {
    Text(String),
    /// An instant (serialised RFC 3339).
    Time(UnixTime),
    /// A validity window, e.g. a certificate's notBefore..notAfter.
    Period {
        from: UnixTime,
        to: UnixTime,
    },
    /// A digest: algorithm name and lowercase hex.
    Digest {
        alg: &'static str,
        hex: String,
    },
    Int(i64),
    Bool(bool),
    List(Vec<String>),
}

/// A named piece of evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub name: String,
    pub value: FactValue,
}

impl Fact {
    pub fn text(name: impl Into<String>, v: impl Into<String>) -> Fact {
        Fact { name: name.into(), value: FactValue::Text(v.into()) }
    }
    pub fn time(name: impl Into<String>, t: UnixTime) -> Fact {
        Fact { name: name.into(), value: FactValue::Time(t) }
    }
    pub fn period(name: impl Into<String>, from: UnixTime, to: UnixTime) -> Fact {
        Fact { name: name.into(), value: FactValue::Period { from, to } }
    }
    pub fn sha256(name: impl Into<String>, digest: &[u8]) -> Fact {
        Fact::digest(name, "SHA-256", digest)
    }
    pub fn sha1(name: impl Into<String>, digest: &[u8]) -> Fact {
        Fact::digest(name, "SHA-1", digest)
    }
    pub fn digest(name: impl Into<String>, alg: &'static str, digest: &[u8]) -> Fact {
        Fact { name: name.into(), value: FactValue::Digest { alg, hex: crate::encoding::hex_lower(digest) } }
    }
    pub fn int(name: impl Into<String>, v: i64) -> Fact {
        Fact { name: name.into(), value: FactValue::Int(v) }
    }
    pub fn bool(name: impl Into<String>, v: bool) -> Fact {
        Fact { name: name.into(), value: FactValue::Bool(v) }
    }
    pub fn list(name: impl Into<String>, v: Vec<String>) -> Fact {
        Fact { name: name.into(), value: FactValue::List(v) }
    }

    /// The value as one line of text, for the text renderer.
    pub fn display_value(&self) -> String {
        match &self.value {
            FactValue::Text(s) => s.clone(),
            FactValue::Time(t) => t.rfc3339(),
            FactValue::Period { from, to } => format!("{from} .. {to}"),
            FactValue::Digest { alg, hex } => format!("{alg} {hex}"),
            FactValue::Int(i) => i.to_string(),
            FactValue::Bool(b) => b.to_string(),
            FactValue::List(items) => items.join(", "),
        }
    }
}

#[derive(Serialize)]
struct PeriodRepr {
    from: UnixTime,
    to: UnixTime,
}

#[derive(Serialize)]
struct DigestRepr<'a> {
    alg: &'a str,
    hex: &'a str,
}

impl Serialize for Fact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Fact", 3)?;
        st.serialize_field("name", &self.name)?;
        match &self.value {
            FactValue::Text(v) => {
                st.serialize_field("type", "text")?;
                st.serialize_field("value", v)?;
            }
            FactValue::Time(t) => {
                st.serialize_field("type", "time")?;
                st.serialize_field("value", t)?;
            }
            FactValue::Period { from, to } => {
                st.serialize_field("type", "period")?;
                st.serialize_field("value", &PeriodRepr { from: *from, to: *to })?;
            }
            FactValue::Digest { alg, hex } => {
                st.serialize_field("type", "digest")?;
                st.serialize_field("value", &DigestRepr { alg, hex })?;
            }
            FactValue::Int(i) => {
                st.serialize_field("type", "int")?;
                st.serialize_field("value", i)?;
            }
            FactValue::Bool(b) => {
                st.serialize_field("type", "bool")?;
                st.serialize_field("value", b)?;
            }
            FactValue::List(items) => {
                st.serialize_field("type", "list")?;
                st.serialize_field("value", items)?;
            }
        }
        st.end()
    }
}
