//! One problem in the feed, as every part of the import reports it (`line N: field: message`).
//! Its own file so that the parser and the field reader both use it without using each other.

use std::fmt;

use super::json::escape_controls;

/// One problem in the feed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeedError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A field name or quoted code from the file must not reach a terminal raw, and nothing
        // shaped like an identity code is printed, wherever in the line it was (an unknown field
        // name, an unknown code, a bad date): the line number finds it.
        let mask = |text: &str| crate::domain::hetu::mask_codes(&escape_controls(text), "***");
        write!(f, "line {}: {}: {}", self.line, mask(&self.field), mask(&self.message))
    }
}
