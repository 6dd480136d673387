//! What a clerk types: words, `"an exact phrase"`, `-excluded` words or `-"phrases"`,
//! and case numbers or parts of them. Every word is matched as a run of characters, so
//! a word, a phrase and a part of a case number are found the same way; quotes keep
//! characters with spaces between them together as one term.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Terms that must all be found.
    pub include: Vec<String>,
    /// Terms that must not be found.
    pub exclude: Vec<String>,
}

impl ParsedQuery {
    pub fn parse(text: &str) -> ParsedQuery {
        let mut q = ParsedQuery::default();
        let chars: Vec<char> = text
            .chars()
            .map(|c| match c {
                '“' | '”' | '＂' => '"',
                '－' => '-',
                c => c,
            })
            .collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            let negate = chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace();
            if negate {
                i += 1;
            }
            let term: String = if chars[i] == '"' {
                let start = i + 1;
                let end = (start..chars.len())
                    .find(|&j| chars[j] == '"')
                    .unwrap_or(chars.len());
                i = end + 1;
                chars[start..end].iter().collect()
            } else {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                chars[start..i].iter().collect()
            };
            let term = term.trim().to_string();
            if term.is_empty() || term == "-" {
                continue;
            }
            if negate {
                q.exclude.push(term);
            } else {
                q.include.push(term);
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let q = ParsedQuery::parse("拖欠工资 \"西湖 区\" -物业 -\"噪音 扰民\" 2026-000123");
        assert_eq!(q.include, vec!["拖欠工资", "西湖 区", "2026-000123"]);
        assert_eq!(q.exclude, vec!["物业", "噪音 扰民"]);
    }

    #[test]
    fn chinese_quotes_and_a_lone_dash() {
        let q = ParsedQuery::parse("“三里屯” - 王");
        assert_eq!(q.include, vec!["三里屯", "王"]);
        assert!(q.exclude.is_empty());
    }
}
