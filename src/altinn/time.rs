//! Altinn's instants: RFC 3339 with up to seven fraction digits.
//!
//! .NET writes `DateTime` with 100 ns ticks (`2023-06-16T12:16:36.6250698Z`),
//! PostgreSQL-backed metadata with microseconds. Comparisons such as "changed
//! after signing" must not lose the fraction, so an [`Instant`] keeps whole
//! seconds ([`UnixTime`], parsed by [`UnixTime::parse_rfc3339`]) and the
//! fraction in ticks. More than seven digits is not something Altinn writes
//! and is rejected.

use crate::time::UnixTime;

/// 100 ns ticks per second.
pub const TICKS_PER_SECOND: i128 = 10_000_000;

/// A point in time with 100 ns resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    pub secs: UnixTime,
    /// 100 ns units within the second, 0..10_000_000.
    pub ticks: u32,
}

impl Instant {
    /// Parses RFC 3339 `date-time` with at most seven fraction digits.
    pub fn parse(text: &str) -> Result<Instant, String> {
        let secs = UnixTime::parse_rfc3339(text).map_err(|e| e.to_string())?;
        let b = text.as_bytes();
        let mut ticks = 0u32;
        if b.get(19) == Some(&b'.') {
            let digits: Vec<u8> = b[20..].iter().take_while(|c| c.is_ascii_digit()).copied().collect();
            if digits.len() > 7 {
                return Err(format!("{} fraction digits; Altinn writes at most 7 (100 ns ticks)", digits.len()));
            }
            for k in 0..7 {
                ticks = ticks * 10 + digits.get(k).map(|d| (d - b'0') as u32).unwrap_or(0);
            }
        }
        Ok(Instant { secs, ticks })
    }

    /// The instant in 100 ns ticks since the Unix epoch.
    pub fn total_ticks(self) -> i128 {
        self.secs.0 as i128 * TICKS_PER_SECOND + self.ticks as i128
    }

    /// `self - other` in whole seconds, rounded toward zero.
    pub fn seconds_since(self, other: Instant) -> i64 {
        ((self.total_ticks() - other.total_ticks()) / TICKS_PER_SECOND) as i64
    }

    /// Whether the two instants are at most `secs` seconds apart.
    pub fn within(self, other: Instant, secs: u32) -> bool {
        (self.total_ticks() - other.total_ticks()).abs() <= secs as i128 * TICKS_PER_SECOND
    }

    /// RFC 3339 in UTC, with the fraction when there is one: `2023-06-16T12:16:36.6250698Z`.
    pub fn text(self) -> String {
        let whole = self.secs.rfc3339();
        if self.ticks == 0 {
            return whole;
        }
        let frac = format!("{:07}", self.ticks);
        format!("{}.{}Z", &whole[..whole.len() - 1], frac.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_digits_are_kept() {
        let a = Instant::parse("2023-06-16T12:16:36.6250698Z").unwrap();
        assert_eq!(a.secs, UnixTime::parse_rfc3339("2023-06-16T12:16:36Z").unwrap());
        assert_eq!(a.ticks, 6_250_698);
        assert_eq!(a.text(), "2023-06-16T12:16:36.6250698Z");
        let b = Instant::parse("2023-06-16T12:16:36.62507Z").unwrap();
        assert!(b > a, "a later fraction in the same second is later");
        assert_eq!(Instant::parse("2023-06-16T14:16:36.5+02:00").unwrap().text(), "2023-06-16T12:16:36.5Z");
        assert_eq!(Instant::parse("2023-06-16T12:16:36Z").unwrap().ticks, 0);
    }

    #[test]
    fn more_than_seven_digits_and_bad_times_are_rejected() {
        assert!(Instant::parse("2023-06-16T12:16:36.625069812Z").is_err());
        assert!(Instant::parse("2023-06-16T12:16:36.6250698").is_err(), "no offset");
        assert!(Instant::parse("2023-06-16 12:16:36Z").is_err());
    }

    #[test]
    fn differences() {
        let a = Instant::parse("2025-03-10T10:00:00.9Z").unwrap();
        let b = Instant::parse("2025-03-10T10:01:00.1Z").unwrap();
        assert_eq!(b.seconds_since(a), 59);
        assert!(a.within(b, 60) && !a.within(b, 59));
    }
}
