//! The nameConstraints extension (RFC 5280 §4.2.1.10) and the names it
//! constrains.
//!
//! ```text
//! NameConstraints ::= SEQUENCE {
//!      permittedSubtrees       [0]     GeneralSubtrees OPTIONAL,
//!      excludedSubtrees        [1]     GeneralSubtrees OPTIONAL }
//! GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
//! GeneralSubtree ::= SEQUENCE {
//!      base                    GeneralName,
//!      minimum         [0]     BaseDistance DEFAULT 0,
//!      maximum         [1]     BaseDistance OPTIONAL }
//! ```
//!
//! The extension is read here rather than through x509-parser's
//! `NameConstraints`, which drops `minimum` and `maximum`: §4.2.1.10 says
//! minimum MUST be zero and maximum MUST be absent, and a subtree that says
//! otherwise is one this verifier cannot process (never one read as if the
//! fields were not there).
//!
//! Forms processed: directoryName, rfc822Name, dNSName, iPAddress and
//! uniformResourceIdentifier. A subtree of any other form (otherName,
//! x400Address, ediPartyName, registeredID), or one that cannot be read, is
//! kept as [`Subtree::Unsupported`]: a name of that form below the CA then
//! cannot be judged, and §4.2.1.10 says the application "MUST either process
//! the constraint or reject the certificate".

use super::name_match::comparable_rdns;
use super::Certificate;
use crate::asn1::{parse_exact, Budget, Class, Element, Tag};
use std::fmt;
use x509_parser::extensions::GeneralName as XGeneralName;
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

/// The nine GeneralName forms (RFC 5280 §4.2.1.6), by their context tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    OtherName,
    Rfc822Name,
    DnsName,
    X400Address,
    DirectoryName,
    EdiPartyName,
    Uri,
    IpAddress,
    RegisteredId,
}

impl Form {
    fn from_tag(n: u32) -> Option<Form> {
        Some(match n {
            0 => Form::OtherName,
            1 => Form::Rfc822Name,
            2 => Form::DnsName,
            3 => Form::X400Address,
            4 => Form::DirectoryName,
            5 => Form::EdiPartyName,
            6 => Form::Uri,
            7 => Form::IpAddress,
            8 => Form::RegisteredId,
            _ => return None,
        })
    }

    /// The ASN.1 field name (RFC 5280 §4.2.1.6).
    pub fn as_str(self) -> &'static str {
        match self {
            Form::OtherName => "otherName",
            Form::Rfc822Name => "rfc822Name",
            Form::DnsName => "dNSName",
            Form::X400Address => "x400Address",
            Form::DirectoryName => "directoryName",
            Form::EdiPartyName => "ediPartyName",
            Form::Uri => "uniformResourceIdentifier",
            Form::IpAddress => "iPAddress",
            Form::RegisteredId => "registeredID",
        }
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One GeneralSubtree's base, ready to compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subtree {
    /// A DN: its RDNs in §7.1 comparable form (most general first) and as text.
    Directory { rdns: Vec<Vec<u8>>, text: String },
    /// "local@host" (one mailbox), "host" (every mailbox at the host) or
    /// ".domain" (every mailbox at a host within the domain); ASCII, hosts
    /// in lower case.
    Rfc822(String),
    /// A domain: the name and every name with more labels on the left; ASCII.
    Dns(String),
    /// A host (exactly) or ".domain" (hosts within it), for a URI's host part; ASCII.
    Uri(String),
    /// Address and mask of the same length: 4 + 4 or 16 + 16 octets.
    Ip { address: Vec<u8>, mask: Vec<u8> },
    /// A subtree this verifier cannot process, and why.
    Unsupported { form: Form, why: String },
}

impl Subtree {
    pub fn form(&self) -> Form {
        match self {
            Subtree::Directory { .. } => Form::DirectoryName,
            Subtree::Rfc822(_) => Form::Rfc822Name,
            Subtree::Dns(_) => Form::DnsName,
            Subtree::Uri(_) => Form::Uri,
            Subtree::Ip { .. } => Form::IpAddress,
            Subtree::Unsupported { form, .. } => *form,
        }
    }

    /// Whether `name` (of the same form) lies within this subtree; None when
    /// the subtree cannot be processed or the forms differ.
    fn contains(&self, name: &Name) -> Option<bool> {
        Some(match (self, name) {
            (Subtree::Directory { rdns, .. }, Name::Directory { rdns: of, .. }) => directory_within(rdns, of),
            (Subtree::Rfc822(c), Name::Rfc822(n)) => rfc822_within(c, n),
            (Subtree::Dns(c), Name::Dns(n)) => dns_within(c, n),
            (Subtree::Uri(c), Name::Uri { host, .. }) => uri_host_within(c, host),
            (Subtree::Ip { address, mask }, Name::Ip(a)) => ip_within(address, mask, a),
            _ => return None,
        })
    }
}

impl fmt::Display for Subtree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subtree::Directory { text, .. } => write!(f, "directoryName '{text}'"),
            Subtree::Rfc822(c) => write!(f, "rfc822Name '{c}'"),
            Subtree::Dns(c) => write!(f, "dNSName '{c}'"),
            Subtree::Uri(c) => write!(f, "uniformResourceIdentifier '{c}'"),
            Subtree::Ip { address, mask } => write!(f, "iPAddress {}", ip_text(address, Some(mask))),
            Subtree::Unsupported { form, why } => write!(f, "{form} ({why})"),
        }
    }
}

/// A parsed nameConstraints extension.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameConstraints {
    pub permitted: Vec<Subtree>,
    pub excluded: Vec<Subtree>,
}

/// Reads a nameConstraints extnValue. `Err` when its structure cannot be
/// read (the certificate is then rejected, as for any known extension that
/// fails to decode); a subtree that is well-formed but cannot be processed is
/// kept as [`Subtree::Unsupported`].
pub fn parse(value: &[u8]) -> Result<NameConstraints, String> {
    let budget = Budget::new();
    let top = parse_exact(value, &budget).map_err(|e| e.to_string())?;
    let fields = top.sequence("NameConstraints").map_err(|e| e.to_string())?;
    let mut out = NameConstraints::default();
    let mut last = None;
    for field in &fields {
        let n = match field.tag {
            t if t == Tag::context(0, true) => 0,
            t if t == Tag::context(1, true) => 1,
            _ => return Err(format!("unexpected {} in NameConstraints", field.tag)),
        };
        if last.is_some_and(|l| l >= n) {
            return Err("NameConstraints fields out of order or repeated".into());
        }
        last = Some(n);
        let subtrees = field.child_vec().map_err(|e| e.to_string())?;
        if subtrees.is_empty() {
            return Err("an empty GeneralSubtrees (SIZE (1..MAX))".into());
        }
        let list = subtrees.iter().map(subtree).collect::<Result<Vec<_>, _>>()?;
        if n == 0 {
            out.permitted = list;
        } else {
            out.excluded = list;
        }
    }
    if fields.is_empty() {
        // §4.2.1.10: "Conforming CAs MUST NOT issue certificates where name
        // constraints is an empty sequence."
        return Err("an empty NameConstraints sequence".into());
    }
    Ok(out)
}

/// One GeneralSubtree.
fn subtree(el: &Element<'_>) -> Result<Subtree, String> {
    let parts = el.sequence("GeneralSubtree").map_err(|e| e.to_string())?;
    let Some((base, rest)) = parts.split_first() else { return Err("an empty GeneralSubtree".into()) };
    if base.tag.class != Class::Context {
        return Err(format!("a GeneralSubtree base tagged {}", base.tag));
    }
    let Some(form) = Form::from_tag(base.tag.number) else { return Err(format!("a GeneralName tagged {}", base.tag)) };
    let unsupported = |why: String| Ok(Subtree::Unsupported { form, why });
    // BaseDistance ::= INTEGER (0..MAX), here [0] / [1] IMPLICIT.
    for (i, extra) in rest.iter().enumerate() {
        let n = match extra.tag {
            t if t == Tag::context(0, false) && i == 0 => 0,
            t if t == Tag::context(1, false) => 1,
            t => return Err(format!("unexpected {t} in GeneralSubtree")),
        };
        if extra.content.is_empty() || extra.content[0] & 0x80 != 0 {
            return Err("a BaseDistance that is not a non-negative INTEGER".into());
        }
        if n == 1 {
            return unsupported("maximum is present, which RFC 5280 §4.2.1.10 forbids".into());
        }
        if extra.content.iter().any(|b| *b != 0) {
            return unsupported("minimum is not 0, which RFC 5280 §4.2.1.10 requires".into());
        }
    }
    match form {
        Form::Rfc822Name | Form::DnsName | Form::Uri => {
            let Some(text) = ascii(base) else { return unsupported("not an ASCII IA5String".into()) };
            Ok(match form {
                // A mailbox keeps its local part's case (RFC 5280 §7.5).
                Form::Rfc822Name => Subtree::Rfc822(match text.rsplit_once('@') {
                    Some((local, host)) => format!("{local}@{}", host.to_ascii_lowercase()),
                    None => text.to_ascii_lowercase(),
                }),
                Form::DnsName => Subtree::Dns(text.to_ascii_lowercase()),
                _ => Subtree::Uri(text.to_ascii_lowercase()),
            })
        }
        Form::IpAddress => {
            let bytes = base.content;
            if base.tag.constructed || !(bytes.len() == 8 || bytes.len() == 32) {
                return unsupported(format!("an address and mask of {} octets (8 or 32 expected)", bytes.len()));
            }
            let (address, mask) = bytes.split_at(bytes.len() / 2);
            // A CIDR mask: ones, then zeros (RFC 4632 §3.1).
            let bits: Vec<bool> = mask.iter().flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1)).collect();
            if bits.windows(2).any(|w| !w[0] && w[1]) {
                return unsupported(format!("the mask {} is not contiguous", hex::encode(mask)));
            }
            Ok(Subtree::Ip { address: address.to_vec(), mask: mask.to_vec() })
        }
        Form::DirectoryName => {
            // [4] EXPLICIT Name (a CHOICE is always explicitly tagged).
            let Ok(inner) = base.explicit_inner() else { return unsupported("not a Name".into()) };
            let Some(rdns) = comparable_rdns(inner.raw) else { return unsupported("a Name that cannot be read".into()) };
            Ok(Subtree::Directory { rdns, text: name_text(inner.raw) })
        }
        _ => unsupported("a name form this verifier does not process".into()),
    }
}

/// A Name DER as RFC 4514 text (hex when x509-parser cannot read it).
fn name_text(der: &[u8]) -> String {
    match X509Name::from_der(der) {
        Ok((_, n)) => super::render_name(&n),
        Err(_) => hex::encode(der),
    }
}

/// The text of an IA5String-like primitive whose octets are all ASCII.
fn ascii(el: &Element<'_>) -> Option<String> {
    if el.tag.constructed || !el.content.is_ascii() {
        return None;
    }
    std::str::from_utf8(el.content).ok().map(str::to_string)
}

/// A subjectAltName entry kept for name constraints (RFC 5280 §4.2.1.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AltName {
    Rfc822(String),
    Dns(String),
    Uri(String),
    Ip(Vec<u8>),
    /// A directoryName: the Name DER.
    Directory(Vec<u8>),
    /// Another form, or one that could not be decoded.
    Other(Form),
}

/// The subjectAltName entries in our form.
pub fn alt_names(names: &[XGeneralName<'_>]) -> Vec<AltName> {
    names
        .iter()
        .map(|g| match g {
            XGeneralName::RFC822Name(s) => AltName::Rfc822(s.to_string()),
            XGeneralName::DNSName(s) => AltName::Dns(s.to_string()),
            XGeneralName::URI(s) => AltName::Uri(s.to_string()),
            XGeneralName::IPAddress(b) => AltName::Ip(b.to_vec()),
            XGeneralName::DirectoryName(n) => AltName::Directory(n.as_raw().to_vec()),
            XGeneralName::OtherName(..) => AltName::Other(Form::OtherName),
            XGeneralName::X400Address(_) => AltName::Other(Form::X400Address),
            XGeneralName::EDIPartyName(_) => AltName::Other(Form::EdiPartyName),
            XGeneralName::RegisteredID(_) => AltName::Other(Form::RegisteredId),
            XGeneralName::Invalid(tag, _) => AltName::Other(Form::from_tag(tag.0).unwrap_or(Form::OtherName)),
        })
        .collect()
}

/// A name of a certificate that name constraints apply to, ready to compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    Directory {
        rdns: Vec<Vec<u8>>,
        text: String,
    },
    /// "local@host", the host in lower case.
    Rfc822(String),
    /// Lower case.
    Dns(String),
    /// The URI and its host, lower case.
    Uri {
        uri: String,
        host: String,
    },
    Ip(Vec<u8>),
    /// A name of this form that cannot be compared (another form, unreadable
    /// text, a URI without a host name): what it is.
    Opaque {
        form: Form,
        what: String,
    },
}

impl Name {
    pub fn form(&self) -> Form {
        match self {
            Name::Directory { .. } => Form::DirectoryName,
            Name::Rfc822(_) => Form::Rfc822Name,
            Name::Dns(_) => Form::DnsName,
            Name::Uri { .. } => Form::Uri,
            Name::Ip(_) => Form::IpAddress,
            Name::Opaque { form, .. } => *form,
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Name::Directory { text, .. } => write!(f, "directoryName '{text}'"),
            Name::Rfc822(m) => write!(f, "rfc822Name '{m}'"),
            Name::Dns(d) => write!(f, "dNSName '{d}'"),
            Name::Uri { uri, .. } => write!(f, "uniformResourceIdentifier '{uri}'"),
            Name::Ip(a) => write!(f, "iPAddress {}", ip_text(a, None)),
            Name::Opaque { form, what } => write!(f, "{form} ({what})"),
        }
    }
}

const EMAIL_ADDRESS: &str = "1.2.840.113549.1.9.1";

/// A mailbox "local@host" with the host lower-cased, or None.
fn mailbox(text: &str) -> Option<String> {
    let (local, host) = text.rsplit_once('@')?;
    if local.is_empty() || host.is_empty() || !text.is_ascii() {
        return None;
    }
    Some(format!("{local}@{}", host.to_ascii_lowercase()))
}

fn email_name(text: &str) -> Name {
    mailbox(text).map(Name::Rfc822).unwrap_or_else(|| Name::Opaque { form: Form::Rfc822Name, what: format!("'{text}', not a mailbox") })
}

/// The emailAddress attribute values of a subject Name DER (PKCS #9), which
/// §4.2.1.10 subjects to rfc822Name constraints; one that cannot be read is
/// an opaque rfc822Name.
fn subject_emails(der: &[u8]) -> Vec<Name> {
    let budget = Budget::new();
    let Ok(top) = parse_exact(der, &budget) else { return Vec::new() };
    let mut out = Vec::new();
    for rdn in top.children().flatten() {
        for atv in rdn.children().flatten() {
            let Ok(parts) = atv.child_vec() else { continue };
            let [kind, value] = parts.as_slice() else { continue };
            if kind.oid().ok().as_deref() != Some(EMAIL_ADDRESS) {
                continue;
            }
            match ascii(value) {
                Some(text) => out.push(email_name(&text)),
                None => out.push(Name::Opaque { form: Form::Rfc822Name, what: "an emailAddress attribute that cannot be read".into() }),
            }
        }
    }
    out
}

/// The host of a URI with an authority (RFC 3986 §3.2.2), lower case; None
/// when there is no authority or its host is an IP literal (§4.2.1.10: such
/// a URI under a URI constraint is rejected).
fn uri_host(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once(':')?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return None;
    }
    let authority = rest.strip_prefix("//")?;
    let authority = authority.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return None;
    }
    let host = host_port.split(':').next().unwrap_or("");
    if host.is_empty() || !host.is_ascii() || host.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    Some(host.to_ascii_lowercase())
}

/// Every name of `cert` that name constraints apply to (RFC 5280 §6.1.3(b)):
/// the subject when it is not empty, the emailAddress attributes of the
/// subject, and each subjectAltName entry.
pub fn names_of(cert: &Certificate) -> Vec<Name> {
    let mut out = Vec::new();
    match comparable_rdns(&cert.subject_der) {
        Some(rdns) if rdns.is_empty() => {}
        Some(rdns) => out.push(Name::Directory { rdns, text: cert.subject.clone() }),
        None => out.push(Name::Opaque { form: Form::DirectoryName, what: "a subject that cannot be read".into() }),
    }
    out.extend(subject_emails(&cert.subject_der));
    for alt in &cert.extensions.subject_alt_names {
        out.push(match alt {
            AltName::Rfc822(m) => email_name(m),
            AltName::Dns(d) if d.is_ascii() => Name::Dns(d.to_ascii_lowercase()),
            AltName::Dns(d) => Name::Opaque { form: Form::DnsName, what: format!("'{d}', not ASCII") },
            AltName::Uri(u) => match uri_host(u) {
                Some(host) => Name::Uri { uri: u.clone(), host },
                None => Name::Opaque { form: Form::Uri, what: format!("'{u}', without a host name") },
            },
            AltName::Ip(a) if a.len() == 4 || a.len() == 16 => Name::Ip(a.clone()),
            AltName::Ip(a) => Name::Opaque { form: Form::IpAddress, what: format!("{} octets", a.len()) },
            AltName::Directory(der) => match comparable_rdns(der) {
                Some(rdns) => Name::Directory { rdns, text: name_text(der) },
                None => Name::Opaque { form: Form::DirectoryName, what: "a directoryName that cannot be read".into() },
            },
            AltName::Other(form) => Name::Opaque { form: *form, what: "in subjectAltName".into() },
        });
    }
    out
}

/// How a name breaks a certificate's name constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// The CA permits names of this form only in its permitted subtrees, and
    /// the name is in none of them (listed).
    NotPermitted { name: Name, permitted: Vec<Subtree> },
    /// The name lies within an excluded subtree.
    Excluded { name: Name, subtree: Subtree },
    /// A subtree of the name's form cannot be processed (or the name cannot
    /// be compared): §4.2.1.10 requires rejecting the certificate.
    Unprocessable { name: Name, why: String },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::NotPermitted { name, permitted } => {
                let list: Vec<String> = permitted.iter().map(Subtree::to_string).collect();
                write!(f, "{name} is outside the permitted subtrees ({})", list.join(", "))
            }
            Violation::Excluded { name, subtree } => write!(f, "{name} is within the excluded subtree {subtree}"),
            Violation::Unprocessable { name, why } => write!(f, "{name} cannot be judged: {why}"),
        }
    }
}

/// Judges names against one certificate's constraints (RFC 5280 §6.1.3(b),
/// (c)): a name must lie within some permitted subtree of its form when the
/// CA permits any of that form, and within no excluded subtree. Where a
/// subtree of the name's form cannot be processed and the processable ones do
/// not already decide, the name cannot be judged.
pub fn check(constraints: &NameConstraints, names: &[Name]) -> Vec<Violation> {
    let mut out = Vec::new();
    for name in names {
        let form = name.form();
        let permitted: Vec<&Subtree> = constraints.permitted.iter().filter(|s| s.form() == form).collect();
        let excluded: Vec<&Subtree> = constraints.excluded.iter().filter(|s| s.form() == form).collect();
        if permitted.is_empty() && excluded.is_empty() {
            continue;
        }
        let unsupported = |list: &[&Subtree]| list.iter().find_map(|s| matches!(s, Subtree::Unsupported { .. }).then(|| s.to_string()));
        let unprocessable = |kind: &str, s: String| Violation::Unprocessable {
            name: name.clone(),
            why: format!("the {kind} subtree {s} cannot be processed, and RFC 5280 §4.2.1.10 says to process it or reject the certificate"),
        };
        if let Name::Opaque { form, .. } = name {
            out.push(match (unsupported(&excluded), unsupported(&permitted)) {
                (Some(s), _) => unprocessable("excluded", s),
                (None, Some(s)) => unprocessable("permitted", s),
                (None, None) => Violation::Unprocessable {
                    name: name.clone(),
                    why: format!("it cannot be compared with the certificate's {form} subtrees (RFC 5280 §4.2.1.10)"),
                },
            });
            continue;
        }
        if let Some(s) = excluded.iter().find(|s| s.contains(name) == Some(true)) {
            out.push(Violation::Excluded { name: name.clone(), subtree: (*s).clone() });
            continue;
        }
        if let Some(s) = unsupported(&excluded) {
            out.push(unprocessable("excluded", s));
            continue;
        }
        if permitted.is_empty() || permitted.iter().any(|s| s.contains(name) == Some(true)) {
            continue;
        }
        match unsupported(&permitted) {
            Some(s) => out.push(unprocessable("permitted", s)),
            None => out.push(Violation::NotPermitted { name: name.clone(), permitted: permitted.into_iter().cloned().collect() }),
        }
    }
    out
}

/// directoryName: the subtree's RDNs are the first RDNs of the name (each
/// pair matching under RFC 5280 §7.1).
pub fn directory_within(subtree: &[Vec<u8>], name: &[Vec<u8>]) -> bool {
    name.len() >= subtree.len() && name[..subtree.len()] == *subtree
}

/// dNSName (§4.2.1.10): "any DNS name that can be constructed by simply
/// adding zero or more labels to the left-hand side of the name satisfies
/// the name constraint". A constraint with a leading period (not in the RFC,
/// but written by CAs) admits subdomains only; an empty one admits every
/// name. Both lower case.
pub fn dns_within(constraint: &str, name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    if constraint.is_empty() {
        return true;
    }
    if constraint.starts_with('.') {
        return name.len() > constraint.len() && name.ends_with(constraint);
    }
    name == constraint || name.strip_suffix(constraint).is_some_and(|head| head.ends_with('.') && head.len() > 1)
}

/// rfc822Name (§4.2.1.10): a constraint with '@' is one mailbox; one with a
/// leading period admits every mailbox at a host within that domain; any
/// other is one host. Hosts are lower case in both; local parts are
/// compared exactly (RFC 5280 §7.5: the local part is case-sensitive).
pub fn rfc822_within(constraint: &str, mailbox: &str) -> bool {
    let Some((_, host)) = mailbox.rsplit_once('@') else { return false };
    if constraint.contains('@') {
        return constraint == mailbox;
    }
    if constraint.starts_with('.') {
        return host.len() > constraint.len() && host.ends_with(constraint);
    }
    host == constraint
}

/// uniformResourceIdentifier (§4.2.1.10): the constraint applies to the
/// host; ".domain" admits hosts within the domain, anything else that host
/// only. Both lower case.
pub fn uri_host_within(constraint: &str, host: &str) -> bool {
    if constraint.starts_with('.') {
        return host.len() > constraint.len() && host.ends_with(constraint);
    }
    host == constraint
}

/// iPAddress (§4.2.1.10): same family (4 or 16 octets) and equal under the mask.
pub fn ip_within(address: &[u8], mask: &[u8], name: &[u8]) -> bool {
    name.len() == address.len() && name.iter().zip(address).zip(mask).all(|((n, a), m)| n & m == a & m)
}

fn ip_text(address: &[u8], mask: Option<&[u8]>) -> String {
    let addr = match address.len() {
        4 => std::net::Ipv4Addr::new(address[0], address[1], address[2], address[3]).to_string(),
        16 => {
            let mut b = [0u8; 16];
            b.copy_from_slice(address);
            std::net::Ipv6Addr::from(b).to_string()
        }
        _ => hex::encode(address),
    };
    match mask {
        Some(m) => format!("{addr}/{}", m.iter().map(|b| b.count_ones()).sum::<u32>()),
        None => addr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        [&[tag, content.len() as u8][..], content].concat()
    }

    /// A Name of single-attribute RDNs: (last OID arc under 2.5.4, string tag, value).
    fn dn(rdns: &[(u8, u8, &str)]) -> Vec<u8> {
        let rdn = |(arc, tag, v): &(u8, u8, &str)| der(0x31, &der(0x30, &[der(0x06, &[0x55, 0x04, *arc]), der(*tag, v.as_bytes())].concat()));
        der(0x30, &rdns.iter().flat_map(rdn).collect::<Vec<u8>>())
    }

    fn rdns(name: &[u8]) -> Vec<Vec<u8>> {
        comparable_rdns(name).unwrap()
    }

    #[test]
    fn dns_is_label_wise_suffix() {
        assert!(dns_within("example.com", "example.com"));
        assert!(dns_within("example.com", "www.example.com"));
        assert!(dns_within("example.com", "a.b.example.com."));
        assert!(!dns_within("example.com", "badexample.com"));
        assert!(!dns_within("example.com", "example.com.evil"));
        assert!(!dns_within("example.com", ".example.com"));
        assert!(dns_within(".example.com", "www.example.com"));
        assert!(!dns_within(".example.com", "example.com"));
        assert!(!dns_within(".example.com", "badexample.com"));
        assert!(dns_within("", "anything.example"));
    }

    #[test]
    fn rfc822_mailbox_host_and_domain() {
        assert!(rfc822_within("example.com", "anna@example.com"));
        assert!(!rfc822_within("example.com", "anna@www.example.com"));
        assert!(!rfc822_within("example.com", "anna@badexample.com"));
        assert!(rfc822_within(".example.com", "anna@www.example.com"));
        assert!(!rfc822_within(".example.com", "anna@example.com"));
        assert!(!rfc822_within(".example.com", "anna@badexample.com"));
        assert!(rfc822_within("Anna@example.com", "Anna@example.com"));
        // The local part is case-sensitive (RFC 5280 §7.5).
        assert!(!rfc822_within("Anna@example.com", "anna@example.com"));
        assert!(!rfc822_within("anna@example.com", "bo@example.com"));
        // A name's host is lower-cased when it is read, a constraint's host when it is parsed.
        assert_eq!(email_name("Anna@EXAMPLE.com"), Name::Rfc822("Anna@example.com".into()));
        assert!(matches!(email_name("no-at-sign"), Name::Opaque { form: Form::Rfc822Name, .. }));
    }

    #[test]
    fn uri_host_part() {
        assert_eq!(uri_host("https://User@WWW.Example.com:8443/path?q#f").as_deref(), Some("www.example.com"));
        assert_eq!(uri_host("ldap://ldap.example.com/cn=x").as_deref(), Some("ldap.example.com"));
        assert_eq!(uri_host("urn:isbn:0451450523"), None);
        assert_eq!(uri_host("http://[2001:db8::1]/"), None);
        assert_eq!(uri_host("http://192.0.2.1/"), None);
        assert_eq!(uri_host("no scheme"), None);
        assert!(uri_host_within("host.example.com", "host.example.com"));
        assert!(!uri_host_within("example.com", "host.example.com"));
        assert!(uri_host_within(".example.com", "host.example.com"));
        assert!(!uri_host_within(".example.com", "example.com"));
        assert!(!uri_host_within(".example.com", "hostexample.com"));
    }

    #[test]
    fn ip_address_and_mask() {
        let (a, m) = ([192, 168, 0, 0], [255, 255, 0, 0]);
        assert!(ip_within(&a, &m, &[192, 168, 5, 4]));
        assert!(!ip_within(&a, &m, &[192, 169, 0, 1]));
        let mut v6 = [0u8; 16];
        v6[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        let mut v6_mask = [0u8; 16];
        v6_mask[..4].copy_from_slice(&[0xff; 4]);
        let mut inside = v6;
        inside[15] = 1;
        let mut outside = v6;
        outside[3] = 0xb9;
        assert!(ip_within(&v6, &v6_mask, &inside));
        assert!(!ip_within(&v6, &v6_mask, &outside));
        // Another family never matches.
        assert!(!ip_within(&a, &m, &inside));
        assert!(!ip_within(&v6, &v6_mask, &[192, 168, 0, 1]));
        let nc = parse(&der(0x30, &der(0xA0, &der(0x30, &der(0x87, &[10, 0, 0, 0, 255, 0, 0, 0]))))).unwrap();
        assert_eq!(nc.permitted, vec![Subtree::Ip { address: vec![10, 0, 0, 0], mask: vec![255, 0, 0, 0] }]);
        assert_eq!(nc.permitted[0].to_string(), "iPAddress 10.0.0.0/8");
        // A mask that is not a prefix, or a length that is neither family, is not processed.
        let bad = parse(&der(0x30, &der(0xA0, &der(0x30, &der(0x87, &[10, 0, 0, 0, 255, 0, 255, 0]))))).unwrap();
        assert!(matches!(bad.permitted[0], Subtree::Unsupported { form: Form::IpAddress, .. }));
        let bad = parse(&der(0x30, &der(0xA0, &der(0x30, &der(0x87, &[10, 0, 0, 0]))))).unwrap();
        assert!(matches!(bad.permitted[0], Subtree::Unsupported { form: Form::IpAddress, .. }));
    }

    /// RFC 5280 §7.1 per RDN: string type, case and inner spaces do not matter.
    #[test]
    fn directory_prefix_with_case_and_spaces() {
        let subject = dn(&[(6, 0x13, "DK"), (10, 0x0C, "Sigaudit TEST PKI"), (3, 0x0C, "Anna")]);
        let subtree = dn(&[(6, 0x13, "dk"), (10, 0x13, "  sigaudit   test pki ")]);
        assert!(directory_within(&rdns(&subtree), &rdns(&subject)));
        assert!(directory_within(&rdns(&subject), &rdns(&subject)));
        assert!(directory_within(&[], &rdns(&subject)));
        assert!(!directory_within(&rdns(&dn(&[(6, 0x13, "DK"), (10, 0x0C, "Other PKI")])), &rdns(&subject)));
        // Not a prefix: the same RDNs in another position, or more RDNs than the name.
        assert!(!directory_within(&rdns(&dn(&[(10, 0x0C, "Sigaudit TEST PKI")])), &rdns(&subject)));
        let longer = dn(&[(6, 0x13, "DK"), (10, 0x0C, "Sigaudit TEST PKI"), (3, 0x0C, "Anna"), (5, 0x13, "1")]);
        assert!(!directory_within(&rdns(&longer), &rdns(&subject)));
        // "Sigaudit TEST PKI2" is not "Sigaudit TEST PKI" (no string prefix match).
        assert!(!directory_within(&rdns(&dn(&[(6, 0x13, "DK"), (10, 0x0C, "Sigaudit TEST PK")])), &rdns(&subject)));
        // As parsed from an extension: [4] EXPLICIT Name.
        let nc = parse(&der(0x30, &der(0xA1, &der(0x30, &der(0xA4, &subtree))))).unwrap();
        assert!(matches!(&nc.excluded[0], Subtree::Directory { text, .. } if text == r"O=\  sigaudit   test pki\ , C=dk"), "{:?}", nc.excluded);
    }

    #[test]
    fn subject_email_address_attribute() {
        // emailAddress (1.2.840.113549.1.9.1) as IA5String.
        let email = der(0x30, &[der(0x06, &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01]), der(0x16, b"anna@Example.COM")].concat());
        let name = der(0x30, &[dn(&[(6, 0x13, "DK")])[2..].to_vec(), der(0x31, &email)].concat());
        assert_eq!(subject_emails(&name), vec![Name::Rfc822("anna@example.com".into())]);
    }

    fn nc(permitted: &[&Vec<u8>], excluded: &[&Vec<u8>]) -> NameConstraints {
        let subtrees = |list: &[&Vec<u8>]| list.iter().flat_map(|b| der(0x30, b)).collect::<Vec<u8>>();
        let mut fields = Vec::new();
        if !permitted.is_empty() {
            fields.extend(der(0xA0, &subtrees(permitted)));
        }
        if !excluded.is_empty() {
            fields.extend(der(0xA1, &subtrees(excluded)));
        }
        parse(&der(0x30, &fields)).unwrap()
    }

    #[test]
    fn permitted_excluded_and_unprocessable() {
        let dns = |s: &str| der(0x82, s.as_bytes());
        let constraints = nc(&[&dns("example.com")], &[&dns("secret.example.com")]);
        let good = Name::Dns("www.example.com".into());
        let hidden = Name::Dns("a.secret.example.com".into());
        let outside = Name::Dns("badexample.com".into());
        let mailbox = Name::Rfc822("anna@elsewhere.example".into());
        assert!(check(&constraints, &[good.clone(), mailbox.clone()]).is_empty(), "an unconstrained form is not judged");
        assert!(matches!(&check(&constraints, &[hidden])[..], [Violation::Excluded { .. }]));
        assert!(matches!(&check(&constraints, &[outside])[..], [Violation::NotPermitted { .. }]));

        // otherName (here a UPN) cannot be processed: a name of that form fails, others do not.
        let other = der(0xA0, &[der(0x06, &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03]), der(0xA0, &der(0x0C, b"a@b"))].concat());
        let constraints = nc(&[&other], &[]);
        assert!(matches!(constraints.permitted[0], Subtree::Unsupported { form: Form::OtherName, .. }));
        let upn = Name::Opaque { form: Form::OtherName, what: "in subjectAltName".into() };
        assert!(matches!(&check(&constraints, std::slice::from_ref(&upn))[..], [Violation::Unprocessable { .. }]));
        assert!(check(&constraints, std::slice::from_ref(&good)).is_empty());
        // Excluded: an unprocessable subtree of the name's form leaves it unjudged.
        assert!(matches!(&check(&nc(&[], &[&other]), &[upn])[..], [Violation::Unprocessable { .. }]));

        // minimum other than 0 and maximum present: the subtree is not processed.
        let with_min = [dns("example.com"), der(0x80, &[1])].concat();
        let with_max = [dns("example.com"), der(0x81, &[2])].concat();
        let zero_min = [dns("example.com"), der(0x80, &[0])].concat();
        for (b, form) in [(&with_min, Some(Form::DnsName)), (&with_max, Some(Form::DnsName)), (&zero_min, None)] {
            let c = nc(&[b], &[]);
            match form {
                Some(f) => assert!(matches!(c.permitted[0], Subtree::Unsupported { form, .. } if form == f)),
                None => assert_eq!(c.permitted[0], Subtree::Dns("example.com".into())),
            }
        }
        // A permitted subtree that cannot be processed does not matter when a processable one admits the name.
        let c = nc(&[&with_min, &dns("example.com")], &[]);
        assert!(check(&c, std::slice::from_ref(&good)).is_empty());
        assert!(matches!(&check(&c, &[Name::Dns("other.example".into())])[..], [Violation::Unprocessable { .. }]));
        // A name that cannot be compared under a constraint of its form fails.
        let opaque_uri = Name::Opaque { form: Form::Uri, what: "'urn:x', without a host name".into() };
        assert!(matches!(&check(&nc(&[&der(0x86, b".example.com")], &[]), &[opaque_uri])[..], [Violation::Unprocessable { .. }]));
    }

    #[test]
    fn malformed_extensions_are_errors() {
        assert!(parse(&der(0x30, &[])).is_err(), "an empty NameConstraints");
        assert!(parse(&der(0x30, &der(0xA0, &[]))).is_err(), "an empty GeneralSubtrees");
        assert!(parse(&der(0x30, &[der(0xA1, &der(0x30, &der(0x82, b"a"))), der(0xA0, &der(0x30, &der(0x82, b"b")))].concat())).is_err(), "out of order");
        assert!(parse(&der(0x30, &der(0xA0, &der(0x30, &[der(0x82, b"a"), der(0x02, &[0])].concat())))).is_err(), "a stray field");
    }
}
