//! Henkilötunnus / personbeteckning: the Finnish personal identity code.
//!
//! Parsed once at the edge (feed, sign-in claims, command line); everything inside the program
//! carries a [`Hetu`]. Its `Debug` and `Display` never print the full code, so a stray `{:?}` in a
//! log line cannot leak it.

use chrono::{Datelike, NaiveDate};
use std::fmt;

const CHECK_CHARS: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// A validated personal identity code (henkilötunnus / personbeteckning).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hetu(String);

/// Why a string is not a valid henkilötunnus.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HetuError {
    #[error("must be 11 characters (DDMMYYCZZZQ)")]
    Length,
    #[error("unknown century sign")]
    CenturySign,
    #[error("the birth date part is not a valid date")]
    Date,
    #[error("the individual number must be three digits")]
    IndividualNumber,
    #[error("the check character does not match")]
    CheckCharacter,
}

impl Hetu {
    /// Parses and validates a code: length, century sign (`+ - Y X W V U A B C D E F`), a real
    /// date, a numeric individual number and the check character.
    pub fn parse(input: &str) -> Result<Self, HetuError> {
        let s = input.trim();
        if s.len() != 11 || !s.is_ascii() {
            return Err(HetuError::Length);
        }
        let b = s.as_bytes();
        let century = match b[6] {
            b'+' => 1800,
            b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
            b'A' | b'B' | b'C' | b'D' | b'E' | b'F' => 2000,
            _ => return Err(HetuError::CenturySign),
        };
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
        };
        let (Some(day), Some(month), Some(year)) = (digits(0..2), digits(2..4), digits(4..6)) else {
            return Err(HetuError::Date);
        };
        NaiveDate::from_ymd_opt(century + year as i32, month, day).ok_or(HetuError::Date)?;
        let Some(individual) = digits(7..10) else {
            return Err(HetuError::IndividualNumber);
        };
        let number = day * 10_000_000 + month * 100_000 + year * 1000 + individual;
        let expected = CHECK_CHARS[(number % 31) as usize];
        if b[10].to_ascii_uppercase() != expected {
            return Err(HetuError::CheckCharacter);
        }
        let mut canonical = s.to_string();
        canonical.make_ascii_uppercase();
        Ok(Self(canonical))
    }

    /// The full code, for storage and matching only: never for a URL or a log line.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a test identity code (individual number 900–999): the only kind a demo shows.
    pub fn is_test_code(&self) -> bool {
        self.0.as_bytes().get(7) == Some(&b'9')
    }

    /// The birth date encoded in the code.
    pub fn birth_date(&self) -> NaiveDate {
        let s = &self.0;
        let century = match s.as_bytes()[6] {
            b'+' => 1800,
            b'A'..=b'F' => 2000,
            _ => 1900,
        };
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().expect("validated digits");
        NaiveDate::from_ymd_opt(century + n(4..6) as i32, n(2..4), n(0..2)).expect("validated date")
    }

    /// Age in whole years on `today`: on the 18th birthday a person is 18. A person born on
    /// 29 February has their birthday on 1 March in common years.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        age_on(self.birth_date(), today)
    }
}

/// Whole years between `birth` and `today` (0 before the first birthday).
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    if today < birth {
        return 0;
    }
    let mut years = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Free text with everything shaped like a personal identity code (six digits, a century sign,
/// three digits and a check character — valid or not, in either case, and also where it is
/// embedded in other text such as `hetu150380-9125` or `0150380-9125`) replaced by `replacement`:
/// text that people type is never echoed back or logged with a code in it.
pub fn mask_codes(text: &str, replacement: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let window = chars.get(i..i + 11);
        let looks_like = window.is_some_and(|w| {
            w[..6].iter().all(char::is_ascii_digit)
                && "+-ABCDEFYXWVU".contains(w[6].to_ascii_uppercase())
                && w[7..10].iter().all(char::is_ascii_digit)
                && w[10].is_ascii_alphanumeric()
        });
        if looks_like {
            out.push_str(replacement);
            i += 11;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

impl fmt::Debug for Hetu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hetu(******{})", &self.0[6..7])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_codes_parse_with_every_century_sign() {
        // (code, birth date) — check characters computed by the published algorithm.
        let cases = [
            ("010594Y9032", "1994-05-01"),
            ("010594Y9021", "1994-05-01"),
            ("131052-308T", "1952-10-13"),
            ("010101A123N", "2001-01-01"),
            ("010101B123N", "2001-01-01"),
            ("010101F123N", "2001-01-01"),
            ("010101X123N", "1901-01-01"),
            ("010101U123N", "1901-01-01"),
            ("010101+123N", "1801-01-01"),
            ("290200A1239", "2000-02-29"),
        ];
        for (code, birth) in cases {
            let h = Hetu::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(h.birth_date().to_string(), birth, "{code}");
        }
    }

    #[test]
    fn invalid_codes_are_refused_with_the_reason() {
        let cases = [
            ("010594Y903", HetuError::Length),
            ("010594G9032", HetuError::CenturySign),
            ("320594Y9032", HetuError::Date),
            ("290201A123N", HetuError::Date),
            ("010594Y90A2", HetuError::IndividualNumber),
            ("010594Y9033", HetuError::CheckCharacter),
            ("131052-308U", HetuError::CheckCharacter),
        ];
        for (code, err) in cases {
            assert_eq!(Hetu::parse(code), Err(err), "{code}");
        }
    }

    #[test]
    fn lower_case_check_character_is_normalised() {
        assert_eq!(Hetu::parse("131052-308t").unwrap().as_str(), "131052-308T");
    }

    #[test]
    fn age_turns_on_the_birthday_itself() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let cases = [
            ("2008-03-04", "2026-03-03", 17),
            ("2008-03-04", "2026-03-04", 18),
            ("2008-03-04", "2026-03-05", 18),
            ("2008-02-29", "2026-02-28", 17),
            ("2008-02-29", "2026-03-01", 18),
            ("2026-01-01", "2025-12-31", 0),
        ];
        for (birth, today, age) in cases {
            assert_eq!(age_on(d(birth), d(today)), age, "{birth} on {today}");
        }
    }

    #[test]
    fn debug_output_hides_the_code() {
        let h = Hetu::parse("131052-308T").unwrap();
        assert!(!format!("{h:?}").contains("131052"));
    }

    #[test]
    fn codes_in_free_text_are_masked() {
        let masked = mask_codes("Minun tunnukseni on 131052-308T ja lapsen 010115A9021.", "[x]");
        assert_eq!(masked, "Minun tunnukseni on [x] ja lapsen [x].");
        assert_eq!(mask_codes("Puhelin 040 1234567, päivä 1.12.2026", "[x]"), "Puhelin 040 1234567, päivä 1.12.2026");
        assert_eq!(mask_codes("ääkköset 131052-308T", "[x]"), "ääkköset [x]");
        // Any case of the check character and the century sign, and embedded in other text.
        assert_eq!(mask_codes("131052-308t ja 010115a9021", "[x]"), "[x] ja [x]");
        assert_eq!(mask_codes("hetu150380-9125", "[x]"), "hetu[x]");
        assert_eq!(mask_codes("0150380-9125", "[x]"), "0[x]");
        assert_eq!(mask_codes("/fi/documents/150380-9125?x=1", "***"), "/fi/documents/***?x=1");
    }
}
