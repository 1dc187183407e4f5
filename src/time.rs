//! Points in time, without a clock.
//!
//! The core never reads the system clock: every time it compares against is an
//! input. [`UnixTime`] is whole seconds since 1970-01-01T00:00:00Z (proleptic
//! Gregorian, no leap seconds, as JWT `NumericDate` (RFC 7519 §2) and X.509
//! `Time` (RFC 5280 §4.1.2.5) both count). Text is RFC 3339 (§5.6).

use std::fmt;

/// Seconds since the Unix epoch, UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

/// Why a time string was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// The text does not follow RFC 3339 `date-time`; the string says where.
    Syntax(&'static str),
    /// A field is out of its range (month 13, day 31 in April, hour 24, ...).
    Range(&'static str),
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Syntax(what) => write!(f, "not an RFC 3339 time: {what}"),
            TimeError::Range(what) => write!(f, "RFC 3339 time out of range: {what}"),
        }
    }
}

impl std::error::Error for TimeError {}

/// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

impl UnixTime {
    /// Builds a time from calendar fields (UTC); `None` when a field is out of range.
    pub fn from_civil(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<UnixTime> {
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        // A leap second (:60) is read as the last second of the minute.
        let s = s.min(59);
        Some(UnixTime(days_from_civil(y, mo, d) * 86_400 + (h as i64) * 3600 + (mi as i64) * 60 + s as i64))
    }

    /// Parses RFC 3339 `date-time` (§5.6): `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
    /// `T`/`Z` may be lower case (§5.6 NOTE); a fraction of any length is accepted
    /// and truncated to whole seconds (Altinn writes seven digits).
    pub fn parse_rfc3339(text: &str) -> Result<UnixTime, TimeError> {
        let b = text.as_bytes();
        let digits = |from: usize, len: usize| -> Result<u32, TimeError> {
            let part = b.get(from..from + len).ok_or(TimeError::Syntax("too short"))?;
            if !part.iter().all(u8::is_ascii_digit) {
                return Err(TimeError::Syntax("expected digits"));
            }
            Ok(part.iter().fold(0u32, |acc, c| acc * 10 + (c - b'0') as u32))
        };
        let expect = |at: usize, chars: &[u8], what: &'static str| -> Result<(), TimeError> {
            match b.get(at) {
                Some(c) if chars.contains(c) => Ok(()),
                _ => Err(TimeError::Syntax(what)),
            }
        };
        let year = digits(0, 4)? as i64;
        expect(4, b"-", "expected '-' after the year")?;
        let month = digits(5, 2)?;
        expect(7, b"-", "expected '-' after the month")?;
        let day = digits(8, 2)?;
        expect(10, b"Tt", "expected 'T' between date and time")?;
        let hour = digits(11, 2)?;
        expect(13, b":", "expected ':' after the hour")?;
        let minute = digits(14, 2)?;
        expect(16, b":", "expected ':' after the minutes")?;
        let second = digits(17, 2)?;
        let mut at = 19;
        if b.get(at) == Some(&b'.') {
            at += 1;
            let start = at;
            while b.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == start {
                return Err(TimeError::Syntax("empty fraction of a second"));
            }
        }
        let offset_secs: i64 = match b.get(at) {
            Some(b'Z') | Some(b'z') => {
                at += 1;
                0
            }
            Some(&sign @ (b'+' | b'-')) => {
                let oh = digits(at + 1, 2)?;
                expect(at + 3, b":", "expected ':' in the UTC offset")?;
                let om = digits(at + 4, 2)?;
                if oh > 23 || om > 59 {
                    return Err(TimeError::Range("UTC offset"));
                }
                at += 6;
                let v = (oh as i64) * 3600 + (om as i64) * 60;
                if sign == b'+' {
                    v
                } else {
                    -v
                }
            }
            _ => return Err(TimeError::Syntax("expected 'Z' or a UTC offset such as +01:00")),
        };
        if at != b.len() {
            return Err(TimeError::Syntax("unexpected text after the time"));
        }
        let local = UnixTime::from_civil(year, month, day, hour, minute, second).ok_or(TimeError::Range("date or time field"))?;
        Ok(UnixTime(local.0 - offset_secs))
    }

    /// RFC 3339 in UTC with a `Z`, whole seconds: `2024-05-07T13:10:53Z`.
    pub fn rfc3339(self) -> String {
        let mut buf = [0u8; 20];
        match self.rfc3339_bytes(&mut buf) {
            Some(s) => s.to_string(),
            None => self.rfc3339_slow(),
        }
    }

    /// The RFC 3339 form written into `buf` without allocating, for years 0 to 9999
    /// (the same bytes as the general form); None outside that range.
    fn rfc3339_bytes(self, buf: &mut [u8; 20]) -> Option<&str> {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        if !(0..=9999).contains(&y) {
            return None;
        }
        let two = |b: &mut [u8], v: i64| {
            b[0] = b'0' + (v / 10) as u8;
            b[1] = b'0' + (v % 10) as u8;
        };
        two(&mut buf[0..2], y / 100);
        two(&mut buf[2..4], y % 100);
        buf[4] = b'-';
        two(&mut buf[5..7], m as i64);
        buf[7] = b'-';
        two(&mut buf[8..10], d as i64);
        buf[10] = b'T';
        two(&mut buf[11..13], secs / 3600);
        buf[13] = b':';
        two(&mut buf[14..16], (secs % 3600) / 60);
        buf[16] = b':';
        two(&mut buf[17..19], secs % 60);
        buf[19] = b'Z';
        std::str::from_utf8(&buf[..]).ok()
    }

    fn rfc3339_slow(self) -> String {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, secs / 3600, (secs % 3600) / 60, secs % 60)
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 20];
        match self.rfc3339_bytes(&mut buf) {
            Some(s) => f.write_str(s),
            None => f.write_str(&self.rfc3339_slow()),
        }
    }
}

impl serde::Serialize for UnixTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 20];
        match self.rfc3339_bytes(&mut buf) {
            Some(t) => s.serialize_str(t),
            None => s.serialize_str(&self.rfc3339_slow()),
        }
    }
}

/// A duration in words for messages: "3 days 4 h", "42 s".
pub fn describe_duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s / 60)
    } else if s < 172_800 {
        format!("{} h", s / 3600)
    } else if s < 2 * 365 * 86_400 {
        format!("{} days", s / 86_400)
    } else {
        format!("{:.1} years", s as f64 / (365.25 * 86_400.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_rfc3339_equals_the_general_form() {
        for t in [0i64, 1, 59, 86_399, 951_782_400, 1_714_000_000, 1_740_787_260, 4_102_444_800, 253_402_300_799, -1, -62_135_596_800] {
            let mut buf = [0u8; 20];
            let fast = UnixTime(t).rfc3339_bytes(&mut buf).map(str::to_string);
            let slow = UnixTime(t).rfc3339_slow();
            if let Some(f) = fast {
                assert_eq!(f, slow, "{t}");
            }
            assert_eq!(UnixTime(t).rfc3339(), slow);
            assert_eq!(UnixTime(t).to_string(), slow);
        }
    }

    #[test]
    fn known_instants() {
        assert_eq!(UnixTime::parse_rfc3339("1970-01-01T00:00:00Z"), Ok(UnixTime(0)));
        assert_eq!(UnixTime::parse_rfc3339("2024-05-07T13:10:53Z"), Ok(UnixTime(1_715_087_453)));
        assert_eq!(UnixTime(1_715_087_453).rfc3339(), "2024-05-07T13:10:53Z");
        assert_eq!(UnixTime::parse_rfc3339("2024-05-07T15:10:53+02:00"), Ok(UnixTime(1_715_087_453)));
        assert_eq!(UnixTime::parse_rfc3339("2023-06-16T12:16:36.6250698Z"), UnixTime::parse_rfc3339("2023-06-16T12:16:36Z"));
        assert_eq!(UnixTime(-1).rfc3339(), "1969-12-31T23:59:59Z");
        assert_eq!(UnixTime::parse_rfc3339("2000-02-29T00:00:00Z").unwrap().rfc3339(), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn round_trip_over_centuries() {
        let mut t = -5_000_000_000i64;
        while t < 10_000_000_000 {
            let text = UnixTime(t).rfc3339();
            assert_eq!(UnixTime::parse_rfc3339(&text), Ok(UnixTime(t)), "{text}");
            t += 86_399 * 37 + 11;
        }
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "2024-05-07",
            "2024-05-07 13:10:53Z",
            "2024-13-07T13:10:53Z",
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-05-07T24:00:00Z",
            "2024-05-07T13:10:53",
            "2024-05-07T13:10:53.Z",
            "2024-05-07T13:10:53Zjunk",
            "2024-05-07T13:10:53+2:00",
            "२०२४-05-07T13:10:53Z",
        ] {
            assert!(UnixTime::parse_rfc3339(bad).is_err(), "{bad}");
        }
    }
}
