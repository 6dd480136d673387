//! Group commit for registrations. Every acknowledged registration is durable, so every
//! commit waits for the disk (SQLite `synchronous=FULL`; PostgreSQL's WAL flush). Writer
//! tasks take the registrations that are waiting, write them in one transaction, commit
//! once, and only then answer each caller. If a batch fails, each of its registrations is
//! retried in a transaction of its own, so one bad registration never sinks another.

use crate::registration_write::{insert_registrations, NewRegistration};
use crate::{RegisterResult, Result, StoreError};
use sqlx::AnyPool;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most registrations one transaction carries.
const MAX_BATCH: usize = 128;

type Job = (NewRegistration, oneshot::Sender<Result<RegisterResult>>);

#[derive(Clone)]
pub(crate) struct Batcher {
    writers: Arc<Vec<mpsc::Sender<Job>>>,
    counts: Arc<Counts>,
}

/// What the writers have done since start, for operators and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BatchCounts {
    /// Transactions that committed registrations together.
    pub batches: u64,
    /// Registrations those transactions carried.
    pub batched: u64,
    /// The most registrations one transaction carried.
    pub largest: u64,
    /// Batches that failed and were written again one registration at a time.
    pub retried: u64,
}

#[derive(Default)]
struct Counts {
    batches: AtomicU64,
    batched: AtomicU64,
    largest: AtomicU64,
    retried: AtomicU64,
}

impl Counts {
    fn committed(&self, size: usize) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.batched.fetch_add(size as u64, Ordering::Relaxed);
        self.largest.fetch_max(size as u64, Ordering::Relaxed);
    }

    fn read(&self) -> BatchCounts {
        BatchCounts {
            batches: self.batches.load(Ordering::Relaxed),
            batched: self.batched.load(Ordering::Relaxed),
            largest: self.largest.load(Ordering::Relaxed),
            retried: self.retried.load(Ordering::Relaxed),
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Data("the registration writer has stopped".into())
}

impl Batcher {
    /// Starts `writers` writer tasks on the current tokio runtime.
    pub(crate) fn start(pool: AnyPool, writers: usize) -> Batcher {
        let counts = Arc::new(Counts::default());
        let senders = (0..writers.max(1))
            .map(|_| {
                let (tx, rx) = mpsc::channel(4096);
                tokio::spawn(writer(pool.clone(), rx, counts.clone()));
                tx
            })
            .collect();
        Batcher {
            writers: Arc::new(senders),
            counts,
        }
    }

    pub(crate) fn counts(&self) -> BatchCounts {
        self.counts.read()
    }

    pub(crate) async fn submit(&self, job: NewRegistration) -> Result<RegisterResult> {
        let (reply, answer) = oneshot::channel();
        // One unit's registrations always go to the same writer, so two writers never wait
        // on (or deadlock over) the same case-number counter.
        let i = job.unit.id.unsigned_abs() as usize % self.writers.len();
        self.writers[i]
            .send((job, reply))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn writer(pool: AnyPool, mut rx: mpsc::Receiver<Job>, counts: Arc<Counts>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let (regs, replies): (Vec<NewRegistration>, Vec<_>) = jobs.into_iter().unzip();
        if regs.len() > 1 {
            match write_batch(&pool, &regs).await {
                Ok(results) => {
                    counts.committed(regs.len());
                    for (reply, result) in replies.into_iter().zip(results) {
                        // A caller that went away just misses its answer; the case is stored.
                        let _ = reply.send(Ok(result));
                    }
                    continue;
                }
                Err(e) => {
                    counts.retried.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(error = %e, size = regs.len(), "registration batch failed; retrying one by one");
                }
            }
        }
        for (job, reply) in regs.iter().zip(replies) {
            let _ = reply.send(write_one(&pool, job).await);
        }
    }
}

async fn write_one(pool: &AnyPool, job: &NewRegistration) -> Result<RegisterResult> {
    let mut results = write_batch(pool, std::slice::from_ref(job)).await?;
    results
        .pop()
        .ok_or_else(|| StoreError::Data("registration wrote nothing".into()))
}

/// Writes every registration in one transaction and commits once. On failure nothing is
/// committed.
async fn write_batch(pool: &AnyPool, regs: &[NewRegistration]) -> Result<Vec<RegisterResult>> {
    let mut tx = pool.begin().await?;
    let results = insert_registrations(&mut tx, regs).await?;
    tx.commit().await?;
    Ok(results)
}
