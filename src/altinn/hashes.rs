//! `sha256Hash`: SHA-256 over the raw stored bytes of a data element, 64 hex
//! digits (Storage's `DataService.GenerateSha256Hash` writes them lowercase).
//! Known answer: SHA-256("whatever") =
//! 85738f8f9a7f1b04b5329c590ebcb9e425925c6d0984089c43a022de4f19c281.

/// The digest a `sha256Hash` names; upper-case hex is read too (same digest).
pub fn parse_hex(text: &str) -> Result<[u8; 32], String> {
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("\"{}\" is not 64 hexadecimal digits", text.chars().take(80).collect::<String>()));
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answer_whatever() {
        let want = parse_hex("85738f8f9a7f1b04b5329c590ebcb9e425925c6d0984089c43a022de4f19c281").unwrap();
        assert_eq!(crate::crypto::sha256(b"whatever"), want);
        assert_eq!(parse_hex("85738F8F9A7F1B04B5329C590EBCB9E425925C6D0984089C43A022DE4F19C281").unwrap(), want);
        assert!(parse_hex("85738f8f").is_err());
        assert!(parse_hex(&"g".repeat(64)).is_err());
    }
}
