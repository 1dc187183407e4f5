//! Norwegian identifiers: fødselsnummer, D-number, synthetic test numbers,
//! organisasjonsnummer, with their control digits (altinn.md check 6).
//!
//! Fødselsnummer: 11 digits DDMMYY III K1 K2;
//! k1 = 11 - (sum(d1..d9 * [3,7,6,1,8,9,4,5,2]) mod 11),
//! k2 = 11 - (sum(d1..d9,k1 * [5,4,3,2,7,6,5,4,3,2]) mod 11); a result of 11 is
//! 0, a result of 10 makes the number invalid. A D-number adds 4 to the first
//! digit (day + 40); synthetic test numbers add 40 (NAV) or 80 (Tenor) to the
//! month. Organisasjonsnummer: 9 digits, k = 11 - (sum(d1..d8 *
//! [3,2,7,6,5,4,3,2]) mod 11), same rule for 11 and 10; the ISO 6523 prefix
//! `0192:` is accepted.

/// The control digit for `digits` under `weights`, or `None` when the rule gives 10 (no valid number).
fn mod11(digits: &[u8], weights: &[u32]) -> Option<u8> {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| *d as u32 * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k as u8),
    }
}

fn digits(text: &str, len: usize, what: &str) -> Result<Vec<u8>, String> {
    if text.chars().count() != len {
        return Err(format!("{what} has {} characters, not {len} digits", text.chars().count()));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} contains characters other than digits"));
    }
    Ok(text.bytes().map(|b| b - b'0').collect())
}

/// A well-formed personal identification number: what kind it is.
pub fn person_number(text: &str) -> Result<String, String> {
    let d = digits(text, 11, "the number")?;
    let mut day = d[0] as u32 * 10 + d[1] as u32;
    let mut month = d[2] as u32 * 10 + d[3] as u32;
    let mut kind = String::from("fødselsnummer");
    if (41..=71).contains(&day) {
        day -= 40;
        kind = "D-number".into();
    }
    if (81..=92).contains(&month) {
        month -= 80;
        kind = format!("synthetic test {kind} (month + 80, Tenor)");
    } else if (41..=52).contains(&month) {
        month -= 40;
        kind = format!("synthetic test {kind} (month + 40, NAV)");
    }
    // The century is not known without the individual-number rules, so 29 February is always allowed.
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return Err(format!("the month {:02} (digits 3-4) is not a month, also after removing the D-number and synthetic offsets", d[2] * 10 + d[3])),
    };
    if day == 0 || day > days_in_month {
        return Err(format!("the day {:02} (digits 1-2) is not a day of month {month}", d[0] * 10 + d[1]));
    }
    let k1 = mod11(&d[..9], &[3, 7, 6, 1, 8, 9, 4, 5, 2]).ok_or("no first control digit exists for the first nine digits (the rule gives 10)")?;
    if k1 != d[9] {
        return Err(format!("the first control digit is {}, it should be {k1}", d[9]));
    }
    let k2 = mod11(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]).ok_or("no second control digit exists for the first ten digits (the rule gives 10)")?;
    if k2 != d[10] {
        return Err(format!("the second control digit is {}, it should be {k2}", d[10]));
    }
    Ok(kind)
}

/// The organisation number without an ISO 6523 `0192:` prefix.
pub fn strip_org_prefix(text: &str) -> &str {
    text.strip_prefix("0192:").unwrap_or(text)
}

/// A well-formed organisasjonsnummer (optionally `0192:`-prefixed): the bare nine digits.
pub fn org_number(text: &str) -> Result<String, String> {
    let bare = strip_org_prefix(text);
    let d = digits(bare, 9, "the number")?;
    let k = mod11(&d[..8], &[3, 2, 7, 6, 5, 4, 3, 2]).ok_or("no control digit exists for the first eight digits (the rule gives 10)")?;
    if k != d[8] {
        return Err(format!("the control digit is {}, it should be {k}", d[8]));
    }
    Ok(bare.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn altinn_md_examples_are_valid() {
        assert_eq!(person_number("01039012460").unwrap(), "fødselsnummer");
        assert_eq!(person_number("15058045656").unwrap(), "fødselsnummer");
        assert_eq!(org_number("991825827").unwrap(), "991825827");
        assert_eq!(org_number("974760673").unwrap(), "974760673");
        assert_eq!(org_number("0192:974760673").unwrap(), "974760673");
    }

    #[test]
    fn control_digits_and_forms() {
        let e = person_number("01039012461").unwrap_err();
        assert!(e.contains("second control digit is 1, it should be 0"), "{e}");
        assert!(person_number("01039012450").unwrap_err().contains("first control digit"));
        assert!(person_number("0103901246").unwrap_err().contains("10 characters"));
        assert!(person_number("0103901246a").unwrap_err().contains("other than digits"));
        assert!(person_number("32019012460").unwrap_err().contains("day"));
        assert!(person_number("01139012460").unwrap_err().contains("month"));
        assert!(org_number("991825828").unwrap_err().contains("control digit is 8, it should be 7"));
        assert!(org_number("9918258270").is_err());
        assert!(org_number("0192:99182582").is_err());
    }

    /// Completes nine digits with their control digits (for the tests and the vectors).
    fn complete(nine: &str) -> Option<String> {
        let d: Vec<u8> = nine.bytes().map(|b| b - b'0').collect();
        let k1 = mod11(&d, &[3, 7, 6, 1, 8, 9, 4, 5, 2])?;
        let mut ten = d.clone();
        ten.push(k1);
        let k2 = mod11(&ten, &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2])?;
        Some(format!("{nine}{k1}{k2}"))
    }

    #[test]
    fn d_numbers_and_synthetic_numbers() {
        // Same birth date and individual number as 01039012460, with the offsets applied.
        let d = complete("410390124").unwrap();
        assert_eq!(person_number(&d).unwrap(), "D-number");
        let tenor = complete("018390124").unwrap();
        assert_eq!(person_number(&tenor).unwrap(), "synthetic test fødselsnummer (month + 80, Tenor)");
        let nav = complete("014390124").unwrap();
        assert_eq!(person_number(&nav).unwrap(), "synthetic test fødselsnummer (month + 40, NAV)");
    }
}
