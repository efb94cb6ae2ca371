//! Dates as the service counts them: in Helsinki time (a document made at 23.30 UTC on the 9th was
//! made on the 10th). Pure: the clock is never read here.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// The Helsinki date of an instant.
pub fn helsinki_date(t: &DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&chrono_tz::Europe::Helsinki).date_naive()
}

/// The instant a Helsinki date begins (the earlier one should midnight ever repeat).
pub fn helsinki_midnight(d: NaiveDate) -> DateTime<Utc> {
    chrono_tz::Europe::Helsinki
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .expect("midnight exists in Helsinki")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_midnights_are_helsinki_ones() {
        let late: DateTime<Utc> = "2026-03-09T22:30:00Z".parse().unwrap();
        assert_eq!(helsinki_date(&late).to_string(), "2026-03-10");
        assert_eq!(helsinki_midnight("2026-03-10".parse().unwrap()).to_rfc3339(), "2026-03-09T22:00:00+00:00");
        assert_eq!(helsinki_midnight("2026-07-01".parse().unwrap()).to_rfc3339(), "2026-06-30T21:00:00+00:00");
    }
}
