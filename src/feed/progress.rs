//! What the import prints while it runs: a one-line progress bar on a terminal, plain lines in a log.

use std::time::Duration;

use super::Progress;

/// Plain progress lines (not a terminal) come once per this many lines.
pub const PLAIN_EVERY_LINES: usize = 100_000;

/// The progress bar: `[#####·····]  45 %  450 000 lines  52 300 lines/s  ETA 0:12`. Without the
/// feed's size (standard input) there is no bar, percentage or ETA.
pub fn bar(p: Progress, total_bytes: Option<u64>, elapsed: Duration) -> String {
    let rate = lines_per_second(p.lines, elapsed);
    let mut out = String::new();
    if let Some(total) = total_bytes.filter(|t| *t > 0) {
        let done = (p.bytes as f64 / total as f64).clamp(0.0, 1.0);
        let filled = (done * 20.0).round() as usize;
        out.push_str(&format!(
            "[{}{}] {:>3} %  ",
            "#".repeat(filled),
            "·".repeat(20 - filled),
            (done * 100.0).floor() as u32
        ));
        out.push_str(&format!("{} lines  {} lines/s", grouped(p.lines as u64), grouped(rate)));
        if p.bytes > 0 && done < 1.0 {
            let eta = elapsed.as_secs_f64() * (total - p.bytes) as f64 / p.bytes as f64;
            out.push_str(&format!("  ETA {}", clock(eta)));
        }
    } else {
        out.push_str(&format!("{} lines  {} lines/s", grouped(p.lines as u64), grouped(rate)));
    }
    out
}

/// A plain progress line for logs.
pub fn plain(p: Progress, elapsed: Duration) -> String {
    format!("… {} lines read and checked ({} lines/s)", p.lines, lines_per_second(p.lines, elapsed))
}

fn lines_per_second(lines: usize, elapsed: Duration) -> u64 {
    let s = elapsed.as_secs_f64();
    if s > 0.0 { (lines as f64 / s) as u64 } else { 0 }
}

/// 1234567 → "1 234 567" (the Finnish and Swedish digit grouping).
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn clock(seconds: f64) -> String {
    let s = seconds.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_shows_share_lines_rate_and_time_left() {
        let p = Progress { lines: 450_000, bytes: 450 };
        let line = bar(p, Some(1000), Duration::from_secs(9));
        assert_eq!(line, "[#########···········]  45 %  450 000 lines  50 000 lines/s  ETA 0:11");
    }

    #[test]
    fn without_a_size_there_is_no_share_or_eta_and_the_end_has_no_eta() {
        let p = Progress { lines: 1_000, bytes: 100 };
        assert_eq!(bar(p, None, Duration::from_secs(2)), "1 000 lines  500 lines/s");
        assert!(!bar(p, Some(100), Duration::from_secs(2)).contains("ETA"));
        assert_eq!(clock(3725.0), "1:02:05");
    }
}
