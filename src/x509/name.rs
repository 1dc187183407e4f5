//! Distinguished names as text (RFC 4514 order: most specific RDN first).

use x509_parser::x509::X509Name;

/// Short names for the attribute types seen in OCES3, TRUST2408 and EU
/// qualified certificates; anything else is shown as its dotted OID.
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "SERIALNUMBER",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "T",
        "2.5.4.42" => "GN",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        _ => return None,
    })
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let needs = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';') || (i == 0 && (c == '#' || c == ' ')) || (i + 1 == value.chars().count() && c == ' ');
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Renders a name as `CN=..., O=..., C=DK`: RDNs in reverse encoding order as
/// RFC 4514 §2.1 prescribes, multi-valued RDNs joined with `+`, separated by ", "
/// for reading. Values that are not strings are shown as `#` + hex of their DER.
pub fn render_name(name: &X509Name<'_>) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| {
                    let oid = atv.attr_type().to_id_string();
                    let key = short_name(&oid).map(str::to_string).unwrap_or(oid);
                    let value = match atv.as_str() {
                        Ok(s) => escape(s),
                        Err(_) => match atv.attr_value().as_bmpstring() {
                            Ok(s) => escape(s.string().as_str()),
                            Err(_) => format!("#{}", hex::encode(atv.as_slice())),
                        },
                    };
                    format!("{key}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(", ")
}
