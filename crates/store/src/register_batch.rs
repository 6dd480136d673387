//! Group commit for registrations on SQLite. With `synchronous=FULL` every commit waits
//! for the disk; a single writer task takes the registrations that are waiting, writes each
//! under its own savepoint, commits them together, and only then answers each caller.
//! A registration that fails rolls back to its savepoint and fails alone.

use crate::cases::{insert_registration, NewRegistration};
use crate::{RegisterResult, Result, StoreError};
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

/// The most registrations one transaction carries.
const MAX_BATCH: usize = 128;

type Job = (NewRegistration, oneshot::Sender<Result<RegisterResult>>);

#[derive(Clone)]
pub(crate) struct Batcher {
    tx: mpsc::Sender<Job>,
}

impl Batcher {
    /// Starts the writer task on the current tokio runtime.
    pub(crate) fn start(pool: AnyPool) -> Batcher {
        let (tx, rx) = mpsc::channel(4096);
        tokio::spawn(writer(pool, rx));
        Batcher { tx }
    }

    pub(crate) async fn submit(&self, job: NewRegistration) -> Result<RegisterResult> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send((job, reply))
            .await
            .map_err(|_| StoreError::Data("the registration writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Data("the registration writer has stopped".into()))?
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
        write_batch(&pool, jobs).await;
    }
}

async fn write_batch(pool: &AnyPool, jobs: Vec<Job>) {
    let mut tx = match pool.begin().await {
        Ok(tx) => tx,
        Err(e) => {
            let msg = e.to_string();
            for (_, reply) in jobs {
                let _ = reply.send(Err(StoreError::Data(format!("cannot begin: {msg}"))));
            }
            return;
        }
    };
    let mut results = Vec::with_capacity(jobs.len());
    for (job, _) in &jobs {
        let result = match sqlx::query("SAVEPOINT registration")
            .execute(&mut *tx)
            .await
        {
            Err(e) => Err(StoreError::Database(e)),
            Ok(_) => match insert_registration(&mut tx, job).await {
                Ok(r) => sqlx::query("RELEASE SAVEPOINT registration")
                    .execute(&mut *tx)
                    .await
                    .map(|_| r)
                    .map_err(StoreError::Database),
                Err(e) => {
                    let _ = sqlx::query("ROLLBACK TO SAVEPOINT registration")
                        .execute(&mut *tx)
                        .await;
                    let _ = sqlx::query("RELEASE SAVEPOINT registration")
                        .execute(&mut *tx)
                        .await;
                    Err(e)
                }
            },
        };
        results.push(result);
    }
    match tx.commit().await {
        Ok(()) => {
            for ((_, reply), result) in jobs.into_iter().zip(results) {
                let _ = reply.send(result);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "registration batch failed to commit");
            let msg = e.to_string();
            for (_, reply) in jobs {
                let _ = reply.send(Err(StoreError::Data(format!("commit failed: {msg}"))));
            }
        }
    }
}
