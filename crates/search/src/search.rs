//! Searching the index: a clerk's query with the queue's filters, and related-case
//! suggestions for a petition being registered.

use crate::doc::day_number;
use crate::grams::term_parts;
use crate::index::{SearchIndex, Status};
use crate::query::ParsedQuery;
use crate::snippet::snippet;
use crate::{Result, SearchError};
use std::collections::HashSet;
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
    /// When the petition was received (`YYYY-MM-DD`): earlier petitions received near it
    /// rank a little higher, those years apart a little lower.
    pub received_on: Option<String>,
    /// The unit the petition is registered to (its path, `/1/5/`): earlier petitions held
    /// by that unit or below it rank a little higher.
    pub unit: Option<String>,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    pub id: i64,
    pub case_no: String,
    /// About 0–1.1: the overlap of the two texts' character pairs, and of their single
    /// characters and concepts, each weighed by its rarity in the index (IDF, a cosine
    /// leaning on the candidate's length), plus 0.05 each for the same region and the
    /// same respondent, 0.03 for the same unit and ±0.03 for the date; below the first
    /// suggestion, mixed 6:4
    /// with the overlap with the first suggestion.
    pub score: f32,
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

impl SearchIndex {
    pub(crate) fn ensure_ready(&self) -> Result<()> {
        match self.status() {
            Status::Ready => Ok(()),
            Status::Building { percent } => Err(SearchError::Building { percent }),
        }
    }

    /// Documents containing `text` as a run of characters in the `uni`/`bi` pair given.
    pub(crate) fn substring(&self, uni: Field, bi: Field, text: &str) -> Box<dyn Query> {
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

    pub(crate) fn filter_clauses(&self, filters: &Filters) -> Result<Vec<(Occur, Box<dyn Query>)>> {
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
        self.ensure_ready()?;
        let searcher = self.reader.searcher();
        let query = self.query_for(req, &searcher)?;
        self.ids_of(&searcher, &query)
    }

    /// The cases matching a clerk's query within the filters, best or newest first.
    pub fn search(&self, req: &SearchRequest) -> Result<Page> {
        self.ensure_ready()?;
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

    /// The stored text of the case `id` (content, demands, respondent, notes), if indexed;
    /// for tools and tests that show what a ranking compared.
    pub fn stored_body(&self, id: i64) -> Result<Option<String>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_i64(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            None => Ok(None),
            Some((_, addr)) => {
                let doc: TantivyDocument = searcher.doc(*addr)?;
                Ok(Some(self.text_of(&doc, self.fields.body)))
            }
        }
    }

    pub(crate) fn text_of(&self, doc: &TantivyDocument, field: Field) -> String {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }

    pub(crate) fn id_of(&self, doc: &TantivyDocument) -> i64 {
        doc.get_first(self.fields.id)
            .and_then(|v| v.as_i64())
            .unwrap_or_default()
    }
}
