//! Opening, checking and writing the index.

use crate::doc::{category_prefixes, day_number, path_prefixes, region_prefixes};
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::{CaseDoc, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// How the index was found at open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A sound index of this version: the feed is read on from its cursor.
    Resumed,
    /// No index there: a new one was made.
    Missing,
    /// The index could not be read; it was removed and a new one made.
    Corrupt(String),
    /// An index of another version or schema; it was removed and a new one made.
    Outdated,
}

/// Whether search may answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ready,
    /// The index is catching up with the feed; `percent` of it is read.
    Building {
        percent: u8,
    },
}

const READY: u32 = u32::MAX;

/// What each commit records besides the documents.
#[derive(Serialize, Deserialize)]
struct Payload {
    v: u32,
    cursor: String,
}

pub struct SearchIndex {
    dir: PathBuf,
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    status: AtomicU32,
    opened: Opened,
    cursor: Mutex<Option<String>>,
    pub(crate) doc_freqs: Mutex<crate::similar::DocFreqs>,
    rebuild: std::sync::atomic::AtomicBool,
}

/// The writer's memory budget: one thread, as the machine is shared with the server.
const WRITER_BYTES: usize = 64_000_000;
/// For `hearken reindex`, which has the machine to itself: two indexing threads, and
/// fewer, larger segments before a merge.
const REBUILD_THREADS: usize = 2;
const REBUILD_BYTES: usize = 400_000_000;

impl SearchIndex {
    /// Opens the index in `dir`, or makes a new one when there is none, when it cannot be
    /// read, or when it is of another version. The index starts as
    /// [`Status::Building`] until the indexer says it has caught up.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex> {
        if !dir.join("meta.json").exists() {
            return Self::create(dir, Opened::Missing);
        }
        match Self::open(dir) {
            Ok(Some(ix)) => Ok(ix),
            Ok(None) => Self::create(dir, Opened::Outdated),
            Err(e) => Self::create(dir, Opened::Corrupt(e.to_string())),
        }
    }

    /// `Ok(None)`: readable, but of another version.
    fn open(dir: &Path) -> Result<Option<SearchIndex>> {
        let index = Index::open_in_dir(dir)?;
        let expected = schema::build();
        if index.schema() != expected {
            return Ok(None);
        }
        let cursor = match index.load_metas()?.payload {
            None => None,
            Some(p) => match serde_json::from_str::<Payload>(&p) {
                Ok(p) if p.v == SCHEMA_VERSION => Some(p.cursor),
                _ => return Ok(None),
            },
        };
        let ix = Self::assemble(dir, index, Opened::Resumed, cursor)?;
        // Opening every segment reads its files: a missing or truncated one fails here.
        let searcher = ix.reader.searcher();
        for segment in searcher.segment_readers() {
            let _ = segment.inverted_index(ix.fields.bi)?;
        }
        Ok(Some(ix))
    }

    fn create(dir: &Path, opened: Opened) -> Result<SearchIndex> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let index = Index::create_in_dir(dir, schema::build())?;
        Self::assemble(dir, index, opened, None)
    }

    fn assemble(
        dir: &Path,
        index: Index,
        opened: Opened,
        cursor: Option<String>,
    ) -> Result<SearchIndex> {
        schema::register_tokenizers(&index);
        let fields = schema::fields(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            status: AtomicU32::new(0),
            opened,
            cursor: Mutex::new(cursor),
            doc_freqs: Mutex::new(Default::default()),
            rebuild: std::sync::atomic::AtomicBool::new(false),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How the index was found when it was opened.
    pub fn opened(&self) -> &Opened {
        &self.opened
    }

    pub fn status(&self) -> Status {
        match self.status.load(Ordering::Acquire) {
            READY => Status::Ready,
            p => Status::Building {
                percent: p.min(99) as u8,
            },
        }
    }

    pub fn set_building(&self, percent: u8) {
        self.status.store(u32::from(percent), Ordering::Release);
    }

    pub fn set_ready(&self) {
        self.status.store(READY, Ordering::Release);
    }

    /// The feed cursor of the last commit, as the indexer wrote it.
    pub fn cursor(&self) -> Option<String> {
        self.cursor.lock().ok().and_then(|c| c.clone())
    }

    /// How many cases the index holds, as of the last commit.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn with_writer<R>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<R>) -> Result<R> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| tantivy::TantivyError::SystemError("index writer poisoned".into()))?;
        if guard.is_none() {
            let writer = if self.rebuild.load(Ordering::Acquire) {
                self.index
                    .writer_with_num_threads(REBUILD_THREADS, REBUILD_BYTES)?
            } else {
                self.index.writer_with_num_threads(1, WRITER_BYTES)?
            };
            *guard = Some(writer);
        }
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(tantivy::TantivyError::SystemError("no index writer".into()).into()),
        }
    }

    /// Writes with more threads and memory from now on, for a rebuild while nothing else
    /// runs (`hearken reindex`). Takes effect when the writer is next taken.
    pub fn use_rebuild_writer(&self) {
        self.rebuild.store(true, Ordering::Release);
        self.release_writer();
    }

    /// Lets go of the index writer and its lock, so that another process (or a restarted
    /// instance) may write. The next write takes it again.
    pub fn release_writer(&self) {
        if let Ok(mut guard) = self.writer.lock() {
            guard.take();
        }
    }

    /// Adds the cases, replacing any earlier version of each. Visible after [`commit`].
    ///
    /// [`commit`]: SearchIndex::commit
    pub fn apply(&self, docs: &[CaseDoc]) -> Result<()> {
        self.with_writer(|w| {
            for d in docs {
                w.delete_term(Term::from_field_i64(self.fields.id, d.id));
                w.add_document(self.document(d))?;
            }
            Ok(())
        })
    }

    pub fn delete(&self, ids: &[i64]) -> Result<()> {
        self.with_writer(|w| {
            for id in ids {
                w.delete_term(Term::from_field_i64(self.fields.id, *id));
            }
            Ok(())
        })
    }

    /// Removes every case, for a rebuild from the start of the feed.
    pub fn clear(&self) -> Result<()> {
        self.with_writer(|w| {
            w.delete_all_documents()?;
            Ok(())
        })?;
        if let Ok(mut c) = self.cursor.lock() {
            *c = None;
        }
        Ok(())
    }

    /// Makes everything applied so far durable and searchable, with the feed cursor it
    /// corresponds to.
    pub fn commit(&self, cursor: &str) -> Result<()> {
        let payload = serde_json::to_string(&Payload {
            v: SCHEMA_VERSION,
            cursor: cursor.to_string(),
        })
        .map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))?;
        self.with_writer(|w| {
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
            Ok(())
        })?;
        self.reader.reload()?;
        if let Ok(mut c) = self.cursor.lock() {
            *c = Some(cursor.to_string());
        }
        Ok(())
    }

    fn document(&self, d: &CaseDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.id, d.id);
        doc.add_text(f.case_no, &d.case_no);
        let body = d.body();
        doc.add_text(f.body, &body);
        for field in [f.words, f.uni, f.bi] {
            doc.add_text(field, &d.case_no);
            doc.add_text(field, &body);
        }
        for name in &d.names {
            doc.add_text(f.names_uni, name);
            doc.add_text(f.names_bi, name);
        }
        for p in path_prefixes(&d.unit_path) {
            doc.add_text(f.scope, &p);
        }
        for c in category_prefixes(&d.category) {
            doc.add_text(f.category, &c);
        }
        for r in region_prefixes(&d.region) {
            doc.add_text(f.region, &r);
        }
        doc.add_text(f.region_code, &d.region);
        doc.add_text(f.state, &d.state);
        doc.add_text(f.channel, &d.channel);
        doc.add_text(f.case_type, &d.case_type);
        doc.add_i64(f.received, day_number(&d.received_on).unwrap_or(0));
        doc.add_i64(f.registered_at, d.registered_at);
        doc
    }
}
