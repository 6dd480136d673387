//! Highlighted snippets: a window of the case's text around the first match, HTML-escaped,
//! with every match of every term in `<mark>`.

use crate::grams::{fold, term_parts};

/// Characters a snippet shows.
pub const SNIPPET_CHARS: usize = 90;
/// Characters shown before the first match.
const LEAD: usize = 20;

/// The snippet of `text` for the query terms `terms`, as HTML: only `<mark>` and
/// `</mark>` are markup, everything else is escaped.
pub fn snippet(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let folded: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let mut marked = vec![false; chars.len()];
    let mut first: Option<usize> = None;
    for part in terms.iter().flat_map(|t| term_parts(t)) {
        if part.is_empty() || part.len() > folded.len() {
            continue;
        }
        for i in 0..=folded.len() - part.len() {
            if folded[i..i + part.len()] == part[..] {
                marked[i..i + part.len()].iter_mut().for_each(|m| *m = true);
                first = Some(first.map_or(i, |f: usize| f.min(i)));
            }
        }
    }
    let start = first.map_or(0, |f| f.saturating_sub(LEAD));
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut open = false;
    for i in start..end {
        if marked[i] != open {
            out.push_str(if marked[i] { "<mark>" } else { "</mark>" });
            open = marked[i];
        }
        match chars[i] {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_every_match_and_escapes() {
        let s = snippet("三里屯<b>路段三里屯噪音", &["三里屯".into()]);
        assert_eq!(s, "<mark>三里屯</mark>&lt;b&gt;路段<mark>三里屯</mark>噪音");
    }

    #[test]
    fn windows_around_the_first_match() {
        let text = format!("{}拖欠工资{}", "甲".repeat(200), "乙".repeat(200));
        let s = snippet(&text, &["拖欠".into()]);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.contains("<mark>拖欠</mark>工资"));
        assert_eq!(s.chars().filter(|c| *c == '甲').count(), LEAD);
    }
}
