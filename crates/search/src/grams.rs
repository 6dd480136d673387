//! The character n-gram tokenizer: every character (`n = 1`) or every pair of
//! neighbouring characters (`n = 2`), at the position of its first character, after
//! folding (lower case, full-width ASCII to half-width). With positions, a substring of
//! any length is the phrase of its bigrams.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Folds one character the same way for indexing, querying and highlighting: full-width
/// ASCII (`Ａ`, `１`) to half-width, then lower case (one character for one).
pub fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The folded characters of a text.
pub fn folded(text: &str) -> Vec<char> {
    text.chars().map(fold).collect()
}

#[derive(Clone, Copy)]
pub struct CharGrams {
    pub n: usize,
}

pub struct GramStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for CharGrams {
    type TokenStream<'a> = GramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramStream {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut tokens = Vec::with_capacity(chars.len());
        if chars.len() >= self.n {
            for i in 0..=chars.len() - self.n {
                let gram = &chars[i..i + self.n];
                if gram
                    .iter()
                    .any(|(_, c)| c.is_whitespace() || c.is_control())
                {
                    continue;
                }
                let end = chars.get(i + self.n).map(|(o, _)| *o).unwrap_or(text.len());
                tokens.push(Token {
                    offset_from: chars[i].0,
                    offset_to: end,
                    position: i,
                    text: gram.iter().map(|(_, c)| fold(*c)).collect(),
                    position_length: 1,
                });
            }
        }
        GramStream { tokens, next: 0 }
    }
}

impl TokenStream for GramStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The grams a query term is matched by: its one character, or its bigrams in order
/// (positions 0, 1, …). Whitespace inside a phrase splits it into parts that must each
/// be found.
pub fn term_parts(term: &str) -> Vec<Vec<char>> {
    term.split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .filter(|p| !p.is_empty())
        .map(folded)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(n: usize, text: &str) -> Vec<(usize, String)> {
        let mut t = CharGrams { n };
        let mut s = t.token_stream(text);
        let mut out = vec![];
        while s.advance() {
            out.push((s.token().position, s.token().text.clone()));
        }
        out
    }

    #[test]
    fn bigrams_keep_positions_and_fold() {
        assert_eq!(
            grams(2, "三里屯Ａb"),
            vec![
                (0, "三里".into()),
                (1, "里屯".into()),
                (2, "屯a".into()),
                (3, "ab".into())
            ]
        );
        assert_eq!(grams(1, "王 五"), vec![(0, "王".into()), (2, "五".into())]);
        assert!(grams(2, "王").is_empty());
    }
}
