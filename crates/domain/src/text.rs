//! Text as people type it, checked once, here: a single line (a name, a username, a
//! search value) may hold no control character at all; multi-line text (content,
//! demands, notes) may hold line breaks and tabs but no other control character.
//!
//! NUL and the other C0/C1 control characters mean nothing to a reader, cannot be
//! stored by PostgreSQL (NUL), and would make SQLite and PostgreSQL disagree. They are
//! refused at the edge, with the same answer on every backend.

use serde::Serialize;
use std::fmt;

/// Why a piece of text was refused. Each code is a stable field-error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    Required,
    TooLong,
    InvalidCharacters,
}

impl TextError {
    pub fn code(self) -> &'static str {
        match self {
            TextError::Required => "required",
            TextError::TooLong => "too_long",
            TextError::InvalidCharacters => "invalid_characters",
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Whether `s` may stand as one line: no control character at all (no NUL, no tab, no
/// line break).
pub fn is_clean_line(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// Whether `s` may stand as multi-line text: line breaks (`\n`, `\r`) and tabs are
/// allowed, no other control character is.
pub fn is_clean_multiline(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

fn checked(
    value: String,
    required: bool,
    max: usize,
    clean: fn(&str) -> bool,
) -> Result<String, TextError> {
    if !clean(&value) {
        Err(TextError::InvalidCharacters)
    } else if required && value.is_empty() {
        Err(TextError::Required)
    } else if value.chars().count() > max {
        Err(TextError::TooLong)
    } else {
        Ok(value)
    }
}

/// One line of text, trimmed: a name, a title, a search value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Line(String);

impl Line {
    /// Trims `s`; refuses control characters and more than `max` characters. May be empty.
    pub fn parse(s: &str, max: usize) -> Result<Line, TextError> {
        checked(s.trim().to_string(), false, max, is_clean_line).map(Line)
    }

    /// As [`Line::parse`], and refuses an empty line.
    pub fn required(s: &str, max: usize) -> Result<Line, TextError> {
        checked(s.trim().to_string(), true, max, is_clean_line).map(Line)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Multi-line text, trimmed, with `\r\n` turned into `\n`: content, demands, notes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    fn clean(s: &str) -> String {
        s.trim().replace("\r\n", "\n")
    }

    /// Normalises `s`; refuses control characters other than line breaks and tabs, a
    /// lone `\r`, and more than `max` characters. May be empty.
    pub fn parse(s: &str, max: usize) -> Result<Text, TextError> {
        checked(Self::clean(s), false, max, is_clean_text).map(Text)
    }

    /// As [`Text::parse`], and refuses empty text.
    pub fn required(s: &str, max: usize) -> Result<Text, TextError> {
        checked(Self::clean(s), true, max, is_clean_text).map(Text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Normalised multi-line text: `\n` and tabs only.
fn is_clean_text(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// A staff account's login name: 2–40 of `a-z 0-9 . _ -`, stored in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub const MAX_CHARS: usize = 40;

    pub fn parse(s: &str) -> Option<Username> {
        let s = s.trim().to_lowercase();
        let ok = (2..=Self::MAX_CHARS).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        ok.then_some(Username(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_line_refuses_every_control_character() {
        assert_eq!(
            Line::parse("  西湖区  ", 10).map(Line::into_string),
            Ok("西湖区".into())
        );
        for bad in ["a\0b", "a\tb", "a\nb", "a\u{7}b", "a\u{85}b", "a\u{1b}[31m"] {
            assert_eq!(
                Line::parse(bad, 50),
                Err(TextError::InvalidCharacters),
                "{bad:?}"
            );
        }
        assert_eq!(Line::required("  ", 5), Err(TextError::Required));
        assert_eq!(Line::parse("", 5).map(|l| l.is_empty()), Ok(true));
        assert_eq!(Line::parse("一二三四五六", 5), Err(TextError::TooLong));
    }

    #[test]
    fn text_keeps_line_breaks_and_tabs_only() {
        assert_eq!(
            Text::parse("第一行\r\n\t第二行\n", 100).map(Text::into_string),
            Ok("第一行\n\t第二行".into())
        );
        for bad in ["a\0b", "a\rb", "a\u{b}b", "a\u{9f}b"] {
            assert_eq!(
                Text::parse(bad, 50),
                Err(TextError::InvalidCharacters),
                "{bad:?}"
            );
        }
        assert_eq!(Text::required("\n\n", 5), Err(TextError::Required));
        assert!(is_clean_multiline("a\r\nb\tc"));
        assert!(!is_clean_multiline("a\0b"));
        assert!(!is_clean_line("a\tb"));
    }

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse(" Xihu.Clerk ").map(|u| u.to_string()),
            Some("xihu.clerk".into())
        );
        assert!(Username::parse("a").is_none());
        assert!(Username::parse("a\0b").is_none());
        assert!(Username::parse("张三").is_none());
        assert!(Username::parse(&"a".repeat(41)).is_none());
    }

    proptest! {
        #[test]
        fn accepted_text_never_holds_a_stray_control(s in "\\PC{0,5}[\\x00-\\x1f\\x7f]?\\PC{0,5}") {
            if let Ok(l) = Line::parse(&s, 100) {
                prop_assert!(!l.as_str().chars().any(char::is_control));
            }
            if let Ok(t) = Text::parse(&s, 100) {
                prop_assert!(!t.as_str().chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            }
        }
    }
}
