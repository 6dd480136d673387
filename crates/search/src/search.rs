//! Searching the index: a clerk's query with the queue's filters, and related-case
//! suggestions for a petition being registered.

use crate::doc::day_number;
use crate::grams::{folded, term_parts};
use crate::index::{SearchIndex, Status};
use crate::query::ParsedQuery;
use crate::snippet::snippet;
use crate::{Result, SearchError};
use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, TantivyDocument, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest registration first.
    Date,
}

/// The queue's filters. `scope` is the caller's unit path and must always be given by
/// the caller (`None` only for tools that see everything).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub scope: Option<String>,
    pub state: Option<String>,
    pub category: Option<String>,
    pub region: Option<String>,
    pub channel: Option<String>,
    pub case_type: Option<String>,
    /// Received on or after, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Received on or before, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Whether petitioners' names are searched (roles that may read personal data).
    pub include_names: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub case_no: String,
    /// HTML: escaped text with the matches in `<mark>`.
    pub snippet: String,
    /// Relevance (0 when sorted by date).
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Hit>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SimilarRequest {
    pub content: String,
    pub region: Option<String>,
    pub respondent: Option<String>,
    pub scope: Option<String>,
    /// A case not to suggest (the one being looked at).
    pub exclude_id: Option<i64>,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    pub id: i64,
    pub case_no: String,
    /// 0–1.1: the overlap of the two texts' character pairs, each weighed by its rarity
    /// in the index (IDF, cosine), plus 0.05 each for the same region and the same
    /// respondent.
    pub score: f32,
}

/// Suggestions under this text overlap are not the same matter.
const MIN_OVERLAP: f32 = 0.04;
/// Added for the same region, and again for the same respondent. Hard negatives share
/// both (the same county, the same company, another matter), so they count for little
/// beside the text: 0.1 each made precision@1 fall from 0.93 to 0.87 on the evaluation set.
const PLACE_BONUS: f32 = 0.05;
/// Candidates read before re-ranking.
const CANDIDATES: usize = 50;
/// Character pairs of the new petition used to find candidates.
const MAX_QUERY_PAIRS: usize = 300;

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// Character pairs of a text in order of first appearance, letters and digits only.
fn pairs(text: &str) -> Vec<String> {
    let chars = folded(text);
    let mut seen = HashSet::new();
    chars
        .windows(2)
        .filter(|w| w.iter().all(|c| c.is_alphanumeric()))
        .map(|w| w.iter().collect::<String>())
        .filter(|g| seen.insert(g.clone()))
        .collect()
}

impl SearchIndex {
    fn ready(&self) -> Result<()> {
        match self.status() {
            Status::Ready => Ok(()),
            Status::Building { percent } => Err(SearchError::Building { percent }),
        }
    }

    /// Documents containing `text` as a run of characters in the `uni`/`bi` pair given.
    fn substring(&self, uni: Field, bi: Field, text: &str) -> Box<dyn Query> {
        let parts: Vec<Box<dyn Query>> = term_parts(text)
            .into_iter()
            .map(|chars| -> Box<dyn Query> {
                match chars.len() {
                    1 => term(uni, &chars[0].to_string()),
                    2 => term(bi, &chars.iter().collect::<String>()),
                    _ => Box::new(PhraseQuery::new_with_offset(
                        chars
                            .windows(2)
                            .enumerate()
                            .map(|(i, w)| {
                                (i, Term::from_field_text(bi, &w.iter().collect::<String>()))
                            })
                            .collect(),
                    )),
                }
            })
            .collect();
        if parts.len() == 1 {
            parts.into_iter().next().unwrap_or_else(|| term(uni, ""))
        } else {
            Box::new(BooleanQuery::intersection(parts))
        }
    }

    fn text_match(&self, text: &str, names: bool) -> Box<dyn Query> {
        let f = &self.fields;
        let body = self.substring(f.uni, f.bi, text);
        if names {
            let n = self.substring(f.names_uni, f.names_bi, text);
            Box::new(BooleanQuery::union(vec![body, n]))
        } else {
            body
        }
    }

    fn filter_clauses(&self, filters: &Filters) -> Result<Vec<(Occur, Box<dyn Query>)>> {
        let f = &self.fields;
        let mut out = vec![];
        let given = |v: &Option<String>| v.as_ref().filter(|v| !v.trim().is_empty()).cloned();
        if let Some(scope) = given(&filters.scope) {
            out.push((Occur::Must, filter(term(f.scope, &scope))));
        }
        for (field, value) in [
            (f.state, &filters.state),
            (f.category, &filters.category),
            (f.region, &filters.region),
            (f.channel, &filters.channel),
            (f.case_type, &filters.case_type),
        ] {
            if let Some(v) = given(value) {
                out.push((Occur::Must, filter(term(field, v.trim()))));
            }
        }
        let day = |d: Option<String>| -> Result<Bound<Term>> {
            match d {
                None => Ok(Bound::Unbounded),
                Some(d) => day_number(&d)
                    .map(|n| Bound::Included(Term::from_field_i64(f.received, n)))
                    .ok_or(SearchError::BadDate(d)),
            }
        };
        let (from, to) = (given(&filters.from), given(&filters.to));
        if from.is_some() || to.is_some() {
            let range = RangeQuery::new(day(from)?, day(to)?);
            out.push((Occur::Must, filter(Box::new(range))));
        }
        Ok(out)
    }

    /// The query a clerk's search runs: every included term, no excluded one, within the
    /// filters, with whole words weighing more.
    fn query_for(&self, req: &SearchRequest, searcher: &tantivy::Searcher) -> Result<BooleanQuery> {
        let parsed = ParsedQuery::parse(&req.q);
        if parsed.include.is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        let names = req.filters.include_names;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![];
        for t in &parsed.include {
            clauses.push((Occur::Must, self.text_match(t, names)));
        }
        let excluded = self.excluded_ids(searcher, &parsed.exclude, names)?;
        if !excluded.is_empty() {
            let terms = excluded
                .into_iter()
                .map(|id| Term::from_field_i64(self.fields.id, id));
            clauses.push((Occur::MustNot, Box::new(TermSetQuery::new(terms))));
        }
        // Whole words weigh more than pairs of characters that happen to meet.
        let mut jieba = crate::schema::jieba();
        let mut seen = HashSet::new();
        for t in &parsed.include {
            let mut stream = jieba.token_stream(t);
            while let Some(tok) = stream.next() {
                if tok.text.chars().count() >= 2 && seen.insert(tok.text.clone()) {
                    clauses.push((Occur::Should, term(self.fields.words, &tok.text)));
                }
            }
        }
        clauses.extend(self.filter_clauses(&req.filters)?);
        Ok(BooleanQuery::new(clauses))
    }

    /// The ids of every case a search finds, in no order (for measuring what a search
    /// finds against a scan of the same texts).
    pub fn matching_ids(&self, req: &SearchRequest) -> Result<Vec<i64>> {
        self.ready()?;
        let searcher = self.reader.searcher();
        let query = self.query_for(req, &searcher)?;
        self.ids_of(&searcher, &query)
    }

    /// The cases matching a clerk's query within the filters, best or newest first.
    pub fn search(&self, req: &SearchRequest) -> Result<Page> {
        self.ready()?;
        let parsed = ParsedQuery::parse(&req.q);
        let searcher = self.reader.searcher();
        let query = self.query_for(req, &searcher)?;

        let offset = match &req.cursor {
            None => 0,
            Some(c) => c.parse::<usize>().map_err(|_| SearchError::BadCursor)?,
        };
        let limit = req.limit.clamp(1, 100);
        let top = TopDocs::with_limit(limit + 1).and_offset(offset);
        let found: Vec<(f32, DocAddress)> = match req.sort {
            Sort::Relevance => searcher.search(&query, &top.order_by_score())?,
            Sort::Date => searcher
                .search(
                    &query,
                    &top.order_by_fast_field::<i64>("registered_at", Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| (0.0, a))
                .collect(),
        };
        let next = (found.len() > limit).then(|| (offset + limit).to_string());
        let mut items = Vec::with_capacity(limit);
        for (score, addr) in found.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let body = self.text_of(&doc, self.fields.body);
            items.push(Hit {
                id: self.id_of(&doc),
                case_no: self.text_of(&doc, self.fields.case_no),
                snippet: snippet(&body, &parsed.include),
                score,
            });
        }
        Ok(Page { items, next })
    }

    /// The ids of the cases containing any of `terms`. Exclusions are applied by id: a
    /// phrase query directly under "must not" trips an assertion in tantivy's phrase
    /// scorer (it is asked to seek backwards), so the phrases are run on their own.
    fn excluded_ids(
        &self,
        searcher: &tantivy::Searcher,
        terms: &[String],
        names: bool,
    ) -> Result<Vec<i64>> {
        if terms.is_empty() {
            return Ok(vec![]);
        }
        let any = BooleanQuery::union(terms.iter().map(|t| self.text_match(t, names)).collect());
        self.ids_of(searcher, &any)
    }

    /// The `id` of every document `query` matches.
    fn ids_of(&self, searcher: &tantivy::Searcher, query: &dyn Query) -> Result<Vec<i64>> {
        let docs = searcher.search(query, &DocSetCollector)?;
        let mut by_segment: Vec<Vec<u32>> = vec![vec![]; searcher.segment_readers().len()];
        for addr in docs {
            if let Some(s) = by_segment.get_mut(addr.segment_ord as usize) {
                s.push(addr.doc_id);
            }
        }
        let mut ids = vec![];
        for (segment, docs) in by_segment.into_iter().enumerate() {
            if docs.is_empty() {
                continue;
            }
            let column = searcher
                .segment_reader(segment as u32)
                .fast_fields()
                .i64("id")?;
            ids.extend(docs.into_iter().filter_map(|d| column.first(d)));
        }
        Ok(ids)
    }

    /// Earlier petitions that are likely on the same matter as `content`, best first.
    /// Candidates are found by shared words and character pairs, then ranked by how much
    /// of the text they share, with the region and the respondent counting too. Nothing
    /// about the petitioner is read.
    pub fn similar(&self, req: &SimilarRequest) -> Result<Vec<Similar>> {
        self.ready()?;
        let f = &self.fields;
        let query_pairs = pairs(&req.content);
        if query_pairs.is_empty() {
            return Ok(vec![]);
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = query_pairs
            .iter()
            .take(MAX_QUERY_PAIRS)
            .map(|g| (Occur::Should, term(f.bi, g)))
            .collect();
        let respondent = req
            .respondent
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if let Some(r) = respondent {
            should.push((Occur::Should, self.substring(f.uni, f.bi, r)));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        if let Some(id) = req.exclude_id {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_i64(f.id, id),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        clauses.extend(self.filter_clauses(&Filters {
            scope: req.scope.clone(),
            ..Filters::default()
        })?);
        let searcher = self.reader.searcher();
        let found = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(CANDIDATES).order_by_score(),
        )?;
        // Each character pair weighs by how rare it is (its inverse document frequency):
        // "恒泰" or "7幢" says more about the matter than "反映" or "问题". The overlap is
        // the weight the two texts share over the geometric mean of their weights, so a
        // short petition inside a long one on the same matter still scores high.
        let total = searcher.num_docs() as f32;
        let mut weights: HashMap<String, f32> = HashMap::new();
        let mut weight = |g: &String| -> f32 {
            if let Some(w) = weights.get(g) {
                return *w;
            }
            let df = searcher
                .doc_freq(&Term::from_field_text(f.bi, g))
                .unwrap_or(0) as f32;
            // Smoothed (+1), so that a pair every indexed case shares still counts: in a
            // new office's index of one or two cases a plain IDF weighs every pair 0, and
            // the first repeat petition would find nothing.
            let w = ((total + 1.0) / (df + 1.0)).ln().max(0.0) + 1.0;
            weights.insert(g.clone(), w);
            w
        };
        let q_set: HashSet<&String> = query_pairs.iter().collect();
        let q_weight: f32 = query_pairs.iter().map(&mut weight).sum();
        let region = req.region.as_deref().map(str::trim).unwrap_or("");
        let mut ranked = vec![];
        for (_, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let body = self.text_of(&doc, f.body);
            let d_pairs = pairs(&body);
            let (mut shared, mut d_weight) = (0.0f32, 0.0f32);
            for g in &d_pairs {
                let w = weight(g);
                d_weight += w;
                if q_set.contains(g) {
                    shared += w;
                }
            }
            let overlap = shared / (q_weight * d_weight).sqrt().max(f32::EPSILON);
            if overlap < MIN_OVERLAP {
                continue;
            }
            let mut score = overlap;
            let doc_region = self.text_of(&doc, f.region_code);
            if !region.is_empty()
                && !doc_region.is_empty()
                && (doc_region.starts_with(region) || region.starts_with(&doc_region))
            {
                score += PLACE_BONUS;
            }
            if let Some(r) = respondent {
                if folded(&body)
                    .windows(r.chars().count().max(1))
                    .any(|w| w == folded(r).as_slice())
                {
                    score += PLACE_BONUS;
                }
            }
            ranked.push(Similar {
                id: self.id_of(&doc),
                case_no: self.text_of(&doc, f.case_no),
                score: (score * 1000.0).round() / 1000.0,
            });
        }
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.id.cmp(&a.id)));
        ranked.truncate(req.limit.clamp(1, 50));
        Ok(ranked)
    }

    fn text_of(&self, doc: &TantivyDocument, field: Field) -> String {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }

    fn id_of(&self, doc: &TantivyDocument) -> i64 {
        doc.get_first(self.fields.id)
            .and_then(|v| v.as_i64())
            .unwrap_or_default()
    }
}
