//! Related-case suggestions: earlier petitions likely on the same matter as a text being
//! registered. Nothing about the petitioner is read.
//!
//! 1. Candidates: the cases sharing the new text's rarest character pairs (at most
//!    [`FINDING_PAIRS`], none in more than 5% of the cases), as written and as
//!    normalized ([`crate::matter`]), their BM25 score leaning on their length as the
//!    ranking does. Leaving out the common pairs keeps the query from scoring most of
//!    the index.
//! 2. Ranking: the IDF-weighted overlap of the two texts' character pairs, and apart, of
//!    their single characters (鱼死了 and 死鱼 share no pair) and concepts (关门 and 停业
//!    share no character; [`crate::concepts`]), a cosine that weighs the candidate's
//!    length more than the new text's; plus a little for the same region and the same
//!    respondent, and for a date near the new petition's.
//! 3. Feedback: below the first, each candidate also counts by its overlap with the
//!    first, because the tellings of one matter resemble each other.
//!
//! Document frequencies are cached between requests ([`DocFreqs`]).

use crate::concepts::lexicon;
use crate::doc::{day_number, days};
use crate::index::SearchIndex;
use crate::matter::normalize;
use crate::search::{Filters, Similar, SimilarRequest};
use crate::Result;
use std::collections::{HashMap, HashSet};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TantivyDocument, Term};

/// Suggestions under this text overlap are not the same matter.
const MIN_OVERLAP: f32 = 0.04;
/// Added for the same region, and again for the same respondent. Hard negatives share
/// both (the same county, the same company, another matter), so they count for little
/// beside the text.
const PLACE_BONUS: f32 = 0.05;
/// At most this is added for a case received on the same day as the new petition, and
/// taken off one received [`RECENCY_DAYS`] or more before or after it, in proportion
/// between: a matter petitioned again is usually petitioned again within months, but a
/// text alone decides far more than a date.
const RECENCY: f32 = 0.03;
/// Added for a case held by the unit the new petition is registered to (or below it): a
/// matter petitioned again usually comes to the same office, but suggestions are already
/// limited to the caller's scope, so this only orders cases within it.
const UNIT_BONUS: f32 = 0.03;
const RECENCY_DAYS: f32 = 730.0;
/// The candidate's share of the overlap's norm (0.5 is a cosine): above a half, a
/// candidate's length counts against it more than the new petition's. Candidates are
/// found by the same leaning: their BM25 score over their length to this power.
const CANDIDATE_SHARE: f32 = 0.8;
/// How much the resemblance to the best candidate counts in the others' scores.
const FEEDBACK: f32 = 0.4;
/// Candidates read before re-ranking.
const CANDIDATES: usize = 200;
/// The rarest character pairs of the new petition that find candidates. The common ones
/// (反映, 问题, 要求) would match most of the index and decide nothing.
const FINDING_PAIRS: usize = 64;
/// A pair in more than this share of the cases does not find candidates (it still
/// counts in the ranking), unless the index is small.
const COMMON_SHARE: f32 = 0.05;
const COMMON_FLOOR: f32 = 1_000.0;

/// One feature of a text, after [`normalize`]: a pair of neighbouring characters, a single
/// character, or a concept ([`crate::concepts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Feature {
    Pair(char, char),
    Char(char),
    Concept(u16),
}

impl Feature {
    fn is_pair(&self) -> bool {
        matches!(self, Feature::Pair(..))
    }
}

/// The distinct pairs, single characters (letters and digits only) and concepts of a
/// text, after [`normalize`].
pub(crate) fn features(text: &str) -> Vec<Feature> {
    let chars = normalize(text);
    let mut seen = HashSet::with_capacity(chars.len() * 2);
    let mut out = Vec::with_capacity(chars.len() * 2);
    for (i, c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            continue;
        }
        let one = Feature::Char(*c);
        if seen.insert(one) {
            out.push(one);
        }
        if let Some(n) = chars.get(i + 1).filter(|n| n.is_alphanumeric()) {
            let two = Feature::Pair(*c, *n);
            if seen.insert(two) {
                out.push(two);
            }
        }
    }
    out.extend(lexicon().find(&chars).into_iter().map(Feature::Concept));
    out
}

/// The character pairs of a text as the index holds them (folded, not normalized): for
/// finding candidates.
fn raw_pairs(text: &str) -> Vec<Feature> {
    let chars = crate::grams::folded(text);
    chars
        .windows(2)
        .filter(|w| w.iter().all(|c| c.is_alphanumeric()))
        .map(|w| Feature::Pair(w[0], w[1]))
        .collect()
}

/// Document frequencies of features, kept between requests: looking each up in every
/// segment's term dictionary was most of a request's time. Emptied when the number of
/// cases has moved by more than 1% (or at all, in a small index).
#[derive(Default)]
pub(crate) struct DocFreqs {
    docs: u64,
    map: HashMap<Feature, u32>,
}

/// Entries kept at most; the cache is emptied beyond (a few tens of MB).
const MAX_CACHED: usize = 2_000_000;

struct Weights<'a> {
    index: &'a SearchIndex,
    searcher: &'a Searcher,
    fields: &'a crate::schema::Fields,
    total: f32,
    /// Shared by concurrent requests: each lookup holds the lock only while it reads or
    /// writes the map, never while the index is read.
    cache: &'a std::sync::Mutex<DocFreqs>,
}

fn locked(m: &std::sync::Mutex<DocFreqs>) -> std::sync::MutexGuard<'_, DocFreqs> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Weights<'_> {
    fn df(&mut self, f: Feature) -> f32 {
        if let Some(df) = locked(self.cache).map.get(&f) {
            return *df as f32;
        }
        let term = |field, text: String| {
            self.searcher
                .doc_freq(&Term::from_field_text(field, &text))
                .unwrap_or(0)
        };
        let df = match f {
            Feature::Pair(a, b) => term(self.fields.bi, [a, b].iter().collect()),
            Feature::Char(a) => term(self.fields.uni, a.to_string()),
            // The cases holding any of the concept's words.
            Feature::Concept(g) => {
                let words: Vec<Box<dyn Query>> = lexicon()
                    .words(g)
                    .iter()
                    .map(|w| self.index.substring(self.fields.uni, self.fields.bi, w))
                    .collect();
                self.searcher
                    .search(&BooleanQuery::union(words), &Count)
                    .unwrap_or(0) as u64
            }
        }
        .min(u64::from(u32::MAX)) as u32;
        let mut cache = locked(self.cache);
        if cache.map.len() >= MAX_CACHED {
            cache.map.clear();
        }
        cache.map.insert(f, df);
        df as f32
    }

    /// BM25's IDF: above 0 even for a feature every case shares, so a new office's index
    /// of one or two cases still finds its first repeat petition. Deleted cases still
    /// count in a document frequency until their segment is merged away, so it is capped
    /// at the number of cases.
    fn of(&mut self, f: Feature) -> f32 {
        let df = self.df(f).min(self.total);
        (1.0 + (self.total - df + 0.5) / (df + 0.5)).ln()
    }
}

/// The overlap of two texts' features, pairs and single characters apart: the weight
/// they share over the geometric mean of their weights (a cosine), so a short petition
/// inside a long one on the same matter still scores high.
#[derive(Default, Clone, Copy)]
struct Sums {
    pairs: f32,
    chars: f32,
    concepts: f32,
}

impl Sums {
    fn add(&mut self, f: Feature, w: f32) {
        match f {
            Feature::Pair(..) => self.pairs += w,
            Feature::Char(_) => self.chars += w,
            Feature::Concept(_) => self.concepts += w,
        }
    }
}

/// A candidate being ranked: its suggestion, its weighed features and their sums.
type Ranked = (Similar, Vec<(Feature, f32)>, Sums);

fn overlap(shared: Sums, q: Sums, d: Sums) -> f32 {
    // The shared weight over the two texts' weights, the candidate's counting for
    // [`CANDIDATE_SHARE`] of the norm: a short petition whose rare characters the new
    // text holds nearly all of is on its matter more surely than a long one sharing the
    // same weight among much else (replies, notes, another matter's story).
    let cos = |s: f32, a: f32, b: f32| {
        s / (a.powf(1.0 - CANDIDATE_SHARE) * b.powf(CANDIDATE_SHARE)).max(f32::EPSILON)
    };
    // A concept counts beside the single characters: both say what a text is about
    // more loosely than its pairs.
    (cos(shared.pairs, q.pairs, d.pairs)
        + cos(
            shared.chars + shared.concepts,
            q.chars + q.concepts,
            d.chars + d.concepts,
        ))
        / 2.0
}

/// +[`RECENCY`] for the same day, 0 at half of [`RECENCY_DAYS`], −[`RECENCY`] beyond.
fn recency(days_apart: f32) -> f32 {
    RECENCY * (1.0 - 2.0 * (days_apart / RECENCY_DAYS).min(1.0))
}

impl SearchIndex {
    /// Earlier petitions that are likely on the same matter as `content`, best first.
    pub fn similar(&self, req: &SimilarRequest) -> Result<Vec<Similar>> {
        self.ensure_ready()?;
        let f = &self.fields;
        let respondent = req
            .respondent
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        // A case's text holds its respondent, so the new petition's does too.
        let text = match respondent {
            Some(r) => format!("{}\n{}", req.content, r),
            None => req.content.clone(),
        };
        let q_features = features(&text);
        if !q_features.iter().any(Feature::is_pair) {
            return Ok(vec![]);
        }
        let searcher = self.reader.searcher();
        let total = searcher.num_docs();
        {
            let mut cache = locked(&self.doc_freqs);
            let moved = total.abs_diff(cache.docs);
            if moved > 0 && (total < 10_000 || moved * 100 > cache.docs) {
                cache.map.clear();
                cache.docs = total;
            }
        }
        let mut weights = Weights {
            index: self,
            searcher: &searcher,
            fields: f,
            total: total as f32,
            cache: &self.doc_freqs,
        };

        // Candidates: the cases sharing the rarest pairs, as written or normalized.
        let mut finding: Vec<(f32, Feature)> = vec![];
        let mut seen = HashSet::new();
        let common = (total as f32 * COMMON_SHARE).max(COMMON_FLOOR);
        for p in raw_pairs(&text)
            .into_iter()
            .chain(q_features.iter().copied().filter(Feature::is_pair))
        {
            if seen.insert(p) {
                let df = weights.df(p);
                if df > 0.0 && df <= common {
                    finding.push((df, p));
                }
            }
        }
        finding.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut should: Vec<(Occur, Box<dyn Query>)> = finding
            .iter()
            .take(FINDING_PAIRS)
            .filter_map(|(_, p)| match p {
                Feature::Pair(a, b) => Some([*a, *b].iter().collect::<String>()),
                _ => None,
            })
            .map(|p| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.bi, &p),
                        IndexRecordOption::WithFreqs,
                    )),
                )
            })
            .collect();
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
        // The candidates sharing the most, over their length to the power the ranking
        // gives it: a short earlier petition holding a few of the rarest pairs is found
        // as well as a long one holding many (BM25 alone favours the long one, and at
        // scale crowds the short one out of the candidates).
        let bi = f.bi;
        let found = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(CANDIDATES).tweak_score(move |segment: &SegmentReader| {
                let lengths = segment.get_fieldnorms_reader(bi).ok();
                move |doc: DocId, score: Score| {
                    let length = lengths.as_ref().map_or(1, |l| l.fieldnorm(doc)).max(1);
                    score / (length as f32).powf(CANDIDATE_SHARE)
                }
            }),
        )?;

        // Ranking: each feature weighs by how rare it is (its inverse document
        // frequency): "恒泰" or "7幢" says more about the matter than "反映" or "问题".
        let q_set: HashSet<Feature> = q_features.iter().copied().collect();
        let mut q_sums = Sums::default();
        for g in &q_features {
            q_sums.add(*g, weights.of(*g));
        }
        let region = req.region.as_deref().map(str::trim).unwrap_or("");
        let q_day = req
            .received_on
            .as_deref()
            .and_then(day_number)
            .and_then(days);
        let mut received_columns = HashMap::new();
        let in_unit = match req.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(path) => Some(self.held_under(&searcher, path, &found)?),
            None => None,
        };
        let folded_respondent = respondent.map(crate::grams::folded);
        let mut ranked: Vec<Ranked> = vec![];
        for (_, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let body = self.text_of(&doc, f.body);
            let (mut shared, mut d_sums) = (Sums::default(), Sums::default());
            let mut d_features = vec![];
            for g in features(&body) {
                let w = weights.of(g);
                d_sums.add(g, w);
                d_features.push((g, w));
                if q_set.contains(&g) {
                    shared.add(g, w);
                }
            }
            let overlap = overlap(shared, q_sums, d_sums);
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
            if let Some(q_day) = q_day {
                let column = match received_columns.entry(addr.segment_ord) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => e.insert(
                        searcher
                            .segment_reader(addr.segment_ord)
                            .fast_fields()
                            .i64("received")
                            .ok(),
                    ),
                };
                if let Some(d) = column
                    .as_ref()
                    .and_then(|c| c.first(addr.doc_id))
                    .and_then(days)
                {
                    score += recency(q_day.abs_diff(d) as f32);
                }
            }
            if in_unit.as_ref().is_some_and(|held| held.contains(&addr)) {
                score += UNIT_BONUS;
            }
            if let Some(r) = &folded_respondent {
                if crate::grams::folded(&body)
                    .windows(r.len().max(1))
                    .any(|w| w == r.as_slice())
                {
                    score += PLACE_BONUS;
                }
            }
            ranked.push((
                Similar {
                    id: self.id_of(&doc),
                    case_no: self.text_of(&doc, f.case_no),
                    score,
                },
                d_features,
                d_sums,
            ));
        }
        ranked.sort_by(|a, b| b.0.score.total_cmp(&a.0.score).then(b.0.id.cmp(&a.0.id)));
        // Feedback from the best candidate: the other tellings of a matter resemble each
        // other as much as they resemble the new petition, so each candidate also counts
        // by how much it shares with the first (which keeps its place).
        if ranked.len() > 2 {
            let top: HashSet<Feature> = ranked[0].1.iter().map(|(g, _)| *g).collect();
            let top_sums = ranked[0].2;
            let mut best_other = 0.0f32;
            for r in ranked.iter_mut().skip(1) {
                let mut shared = Sums::default();
                for (g, w) in &r.1 {
                    if top.contains(g) {
                        shared.add(*g, *w);
                    }
                }
                let o = overlap(shared, top_sums, r.2);
                r.0.score = (1.0 - FEEDBACK) * r.0.score + FEEDBACK * o;
                best_other = best_other.max(r.0.score);
            }
            ranked[0].0.score = ranked[0].0.score.max(best_other + 0.001);
        }
        let mut ranked: Vec<Similar> = ranked
            .into_iter()
            .map(|(mut s, _, _)| {
                s.score = (s.score * 1000.0).round() / 1000.0;
                s
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.id.cmp(&a.id)));
        ranked.truncate(req.limit.clamp(1, 50));
        Ok(ranked)
    }
}

impl SearchIndex {
    /// Which of `found` are held by the unit at `path` or below it (the cases indexed under
    /// that scope prefix).
    fn held_under(
        &self,
        searcher: &Searcher,
        path: &str,
        found: &[(Score, DocAddress)],
    ) -> Result<HashSet<DocAddress>> {
        let term = Term::from_field_text(self.fields.scope, path);
        let mut by_segment: HashMap<u32, Vec<DocId>> = HashMap::new();
        for (_, a) in found {
            by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
        }
        let mut held = HashSet::new();
        for (segment, mut docs) in by_segment {
            docs.sort_unstable();
            let inverted = searcher
                .segment_reader(segment)
                .inverted_index(self.fields.scope)?;
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            for doc in docs {
                if postings.doc() <= doc && postings.seek(doc) == doc {
                    held.insert(DocAddress::new(segment, doc));
                }
            }
        }
        Ok(held)
    }
}
