//! What text from the archive may hold, and how it is made safe for a terminal or a log (DESIGN §3:
//! no control characters or bidirectional overrides). Pure.

/// A control character (U+0000–U+001F, U+007F; tab and newline allowed where `multiline`) or a
/// bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069): what no text field may hold.
pub fn forbidden_char(text: &str, multiline: bool) -> Option<char> {
    text.chars().find(|&c| {
        let control = c <= '\u{1f}' || c == '\u{7f}';
        let allowed_control = multiline && (c == '\t' || c == '\n');
        (control && !allowed_control)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

/// Text made safe for a terminal or a log: control characters and bidirectional overrides are
/// written as `\u{…}` escapes.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if forbidden_char(c.encode_utf8(&mut [0; 4]), false).is_some() || ('\u{80}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bidi_overrides_are_forbidden() {
        assert_eq!(forbidden_char("plain ääkköset", false), None);
        assert_eq!(forbidden_char("a\u{0}b", false), Some('\u{0}'));
        assert_eq!(forbidden_char("a\nb", false), Some('\n'));
        assert_eq!(forbidden_char("a\nb\tc", true), None);
        assert_eq!(forbidden_char("a\rb", true), Some('\r'));
        assert_eq!(forbidden_char("x\u{7f}", true), Some('\u{7f}'));
        assert_eq!(forbidden_char("x\u{202e}y", true), Some('\u{202e}'));
        assert_eq!(forbidden_char("x\u{2067}y", false), Some('\u{2067}'));
        assert_eq!(escape_controls("a\u{1b}[31mb\u{202e}"), "a\\u{001b}[31mb\\u{202e}");
    }
}
