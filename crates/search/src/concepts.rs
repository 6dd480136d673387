//! Concepts: groups of words that petitioners use for the same thing (欠薪, 拖欠工资 and
//! 工资没发; 停业, 关门 and 倒闭), read from `concepts.txt`. Two tellings of one matter
//! often share the thing but not the word, and then no character pair either; the
//! related-case ranking counts a concept found in both texts as one more shared feature.
//!
//! Nothing is indexed for a concept: it is found in the stored texts of the candidates
//! when they are ranked, and how many cases hold it is counted once (the union of its
//! words, searched as substrings) and cached, so the lexicon can change without
//! rebuilding the index.

use crate::matter::normalize;
use std::collections::HashMap;
use std::sync::OnceLock;

const LEXICON: &str = include_str!("concepts.txt");

pub(crate) struct Lexicon {
    /// Each group's words as written in the lexicon (for counting the cases holding it).
    groups: Vec<Vec<String>>,
    /// Words by their first character, after [`normalize`]: (the word, its group).
    by_first: HashMap<char, Vec<(Vec<char>, u16)>>,
}

impl Lexicon {
    fn parse(text: &str) -> Lexicon {
        let mut groups: Vec<Vec<String>> = vec![];
        let mut by_first: HashMap<char, Vec<(Vec<char>, u16)>> = HashMap::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Ok(id) = u16::try_from(groups.len()) else {
                break;
            };
            let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            for w in &words {
                let chars = normalize(w);
                if let Some(first) = chars.first() {
                    by_first.entry(*first).or_default().push((chars, id));
                }
            }
            groups.push(words);
        }
        Lexicon { groups, by_first }
    }

    /// The words of a group.
    pub(crate) fn words(&self, group: u16) -> &[String] {
        self.groups
            .get(usize::from(group))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The distinct groups whose words occur in a normalized text, in order of first
    /// occurrence.
    pub(crate) fn find(&self, chars: &[char]) -> Vec<u16> {
        let mut out: Vec<u16> = vec![];
        for i in 0..chars.len() {
            let Some(words) = self.by_first.get(&chars[i]) else {
                continue;
            };
            for (w, g) in words {
                if chars[i..].starts_with(w) && !out.contains(g) {
                    out.push(*g);
                }
            }
        }
        out
    }
}

/// The lexicon of `concepts.txt`, read once.
pub(crate) fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| Lexicon::parse(LEXICON))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(text: &str) -> Vec<u16> {
        let mut g = lexicon().find(&normalize(text));
        g.sort_unstable();
        g
    }

    fn shared(a: &str, b: &str) -> bool {
        let b = groups(b);
        groups(a).iter().any(|g| b.contains(g))
    }

    #[test]
    fn paraphrases_share_a_concept() {
        assert!(shared("健身房关门了", "健身中心停业"));
        assert!(shared("工资没发", "拖欠农民工工资"));
        assert!(shared("退钱", "要求退款"));
        assert!(shared("噪声扰民", "太吵了"));
        assert!(shared("楼上渗水", "天花板漏水"));
        assert!(shared("物管不作为", "物业公司"));
        assert!(!shared("电梯坏了", "拖欠工资"));
    }

    #[test]
    fn the_lexicon_is_read_whole() {
        let l = lexicon();
        assert!(l.groups.len() >= 150, "{} groups", l.groups.len());
        assert!(l.groups.iter().all(|g| g.len() >= 2));
        let g = groups("欠薪");
        assert!(l.words(g[0]).iter().any(|w| w == "拖欠工资"));
    }
}
