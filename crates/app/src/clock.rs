//! The application's clock. It reads the real time unless a time was set: tests set
//! 15:29 or 15:31 to check what is pending, late or missing, and `hearken serve --now`
//! starts a server at a set time for tests and drills. Clones share one setting.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// No frozen time.
const RUNNING: i64 = i64::MIN;

/// The time, real or set. A set time moves on with the real time from the moment it
/// was set, so that a running server's minutes pass as usual; a frozen time stands still.
#[derive(Debug, Clone)]
pub struct Clock {
    /// Milliseconds added to the real time; 0 for the real time.
    offset_ms: Arc<AtomicI64>,
    /// The time it stands at (UTC ms), or `RUNNING`.
    frozen_ms: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            offset_ms: Arc::new(AtomicI64::new(0)),
            frozen_ms: Arc::new(AtomicI64::new(RUNNING)),
        }
    }
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        let frozen = self.frozen_ms.load(Ordering::Relaxed);
        if frozen != RUNNING {
            if let Some(t) = DateTime::from_timestamp_millis(frozen) {
                return t;
            }
        }
        let offset = self.offset_ms.load(Ordering::Relaxed);
        Utc::now() + chrono::Duration::milliseconds(offset)
    }

    /// Makes it `at` now; the time runs on from there.
    pub fn set(&self, at: DateTime<Utc>) {
        let offset = (at - Utc::now()).num_milliseconds();
        self.offset_ms.store(offset, Ordering::Relaxed);
        self.frozen_ms.store(RUNNING, Ordering::Relaxed);
    }

    /// Makes it `at` now, and keeps it `at` until set or reset.
    pub fn freeze(&self, at: DateTime<Utc>) {
        self.frozen_ms
            .store(at.timestamp_millis().max(RUNNING + 1), Ordering::Relaxed);
    }

    /// Back to the real time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
        self.frozen_ms.store(RUNNING, Ordering::Relaxed);
    }

    /// Now, as UTC milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}

#[cfg(test)]
mod tests {
    use super::Clock;
    use chrono::{DateTime, Duration, Utc};

    #[test]
    fn a_set_time_runs_on_a_frozen_one_stands_and_reset_is_real() {
        let c = Clock::default();
        let at = DateTime::parse_from_rfc3339("2026-12-01T15:29:00+08:00")
            .expect("time")
            .with_timezone(&Utc);
        c.set(at);
        let d = c.now() - at;
        assert!(
            d > Duration::seconds(-1) && d < Duration::seconds(60),
            "{d}"
        );
        let shared = c.clone();
        shared.freeze(at);
        assert_eq!(c.now(), at);
        assert_eq!(c.now(), at);
        c.reset();
        assert!((c.now() - Utc::now()).num_seconds().abs() < 60);
    }
}
