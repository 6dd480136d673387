//! Group commit for registrations. Every acknowledged registration is durable, so every
//! commit waits for the disk (SQLite `synchronous=FULL`; PostgreSQL's WAL flush). Writer
//! tasks take the registrations that are waiting, write them in one transaction, commit
//! once, and only then answer each caller. If a batch fails, each of its registrations is
//! retried in a transaction of its own, so one bad registration never sinks another.

use crate::cases::{insert_registration, NewRegistration};
use crate::{RegisterResult, Result, StoreError};
use sqlx::AnyPool;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most registrations one transaction carries.
const MAX_BATCH: usize = 128;

type Job = (NewRegistration, oneshot::Sender<Result<RegisterResult>>);

#[derive(Clone)]
pub(crate) struct Batcher {
    writers: Arc<Vec<mpsc::Sender<Job>>>,
}

fn stopped() -> StoreError {
    StoreError::Data("the registration writer has stopped".into())
}

impl Batcher {
    /// Starts `writers` writer tasks on the current tokio runtime.
    pub(crate) fn start(pool: AnyPool, writers: usize) -> Batcher {
        let senders = (0..writers.max(1))
            .map(|_| {
                let (tx, rx) = mpsc::channel(4096);
                tokio::spawn(writer(pool.clone(), rx));
                tx
            })
            .collect();
        Batcher {
            writers: Arc::new(senders),
        }
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

async fn writer(pool: AnyPool, mut rx: mpsc::Receiver<Job>) {
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
                    for (reply, result) in replies.into_iter().zip(results) {
                        // A caller that went away just misses its answer; the case is stored.
                        let _ = reply.send(Ok(result));
                    }
                    continue;
                }
                Err(e) => {
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
    let mut tx = pool.begin().await?;
    let result = insert_registration(&mut tx, job).await?;
    tx.commit().await?;
    Ok(result)
}

/// Writes every registration in one transaction and commits once. On failure nothing is
/// committed.
async fn write_batch(pool: &AnyPool, regs: &[NewRegistration]) -> Result<Vec<RegisterResult>> {
    let mut tx = pool.begin().await?;
    let mut results = Vec::with_capacity(regs.len());
    for job in regs {
        results.push(insert_registration(&mut tx, job).await?);
    }
    tx.commit().await?;
    Ok(results)
}
