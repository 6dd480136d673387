//! The application's clock. It reads the real time unless a time was set: tests set
//! 15:29 or 15:31 to check what is pending, late or missing. Clones share one setting.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// The time, real or set. A set time moves on with the real time from the moment it
/// was set, so that a running server's minutes pass as usual.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Milliseconds added to the real time; 0 for the real time.
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        Utc::now() + chrono::Duration::milliseconds(offset)
    }

    /// Makes it `at` now.
    pub fn set(&self, at: DateTime<Utc>) {
        let offset = (at - Utc::now()).num_milliseconds();
        self.offset_ms.store(offset, Ordering::Relaxed);
    }

    /// Back to the real time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }

    /// Now, as UTC milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}
