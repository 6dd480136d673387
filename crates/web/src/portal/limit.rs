//! Per-client rate limits for the public portal, the public API and the staff login:
//! tracking attempts, submissions and failed logins, counted in memory by the client's
//! address as the socket saw it.
//!
//! Addresses live here for minutes, only as counters; they are never stored or logged.
//! IPv6 clients are counted per /64, since one host usually has a whole /64. Behind a
//! reverse proxy every client shares the proxy's address: `X-Forwarded-For` is not
//! trusted, because anyone can send it.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// What is being counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Looking a case or an appointment up with its number and code.
    Track,
    /// Submitting a petition or an appointment request.
    Submit,
    /// A failed staff login (the login form and `POST /api/v1/session` together).
    Login,
}

impl Bucket {
    /// How many attempts fit in how long.
    pub fn limit(self) -> (usize, Duration) {
        match self {
            Bucket::Track => (10, Duration::from_secs(60)),
            Bucket::Submit => (5, Duration::from_secs(600)),
            Bucket::Login => (LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW),
        }
    }
}

/// Failed logins one address may make in [`LOGIN_WINDOW`] before it must wait: enough
/// for a whole office behind one NAT to mistype, far too few to guess passwords.
pub const LOGIN_FAILURES_PER_ADDRESS: usize = 20;
pub const LOGIN_WINDOW: Duration = Duration::from_secs(600);

/// The client must wait this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: u64,
}

type Key = (String, Bucket, IpAddr);

/// One limiter for the process. Its keys carry the instance's data folder, so that
/// several applications in one process (the tests) keep separate counts.
static ATTEMPTS: LazyLock<Mutex<HashMap<Key, VecDeque<Instant>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Keys kept before old ones are swept.
const SWEEP_AT: usize = 20_000;

/// The address as counted: IPv4 as is (also when mapped into IPv6), IPv6 by its /64.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Whole seconds until the oldest attempt leaves the window, at least one.
fn retry_after(oldest: Instant, window: Duration, now: Instant) -> Limited {
    let wait = (oldest + window).saturating_duration_since(now);
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    Limited {
        retry_after: secs.max(1),
    }
}

/// Checks the budget and, when `record`, spends one attempt of it.
fn attempt(instance: &str, bucket: Bucket, ip: IpAddr, record: bool) -> Result<(), Limited> {
    let (max, window) = bucket.limit();
    let now = Instant::now();
    let Ok(mut map) = ATTEMPTS.lock() else {
        // A poisoned lock means a panic elsewhere; failing open keeps the portal usable.
        return Ok(());
    };
    if map.len() >= SWEEP_AT {
        map.retain(|(_, b, _), times| {
            let (_, w) = b.limit();
            times.back().is_some_and(|t| now.duration_since(*t) < w)
        });
    }
    let key = (instance.to_string(), bucket, client_key(ip));
    let times = map.entry(key).or_default();
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        times.pop_front();
    }
    if times.len() >= max {
        let oldest = times.front().copied().unwrap_or(now);
        return Err(retry_after(oldest, window, now));
    }
    if record {
        times.push_back(now);
    }
    Ok(())
}

/// Spends one attempt, or says how long to wait.
pub fn hit(instance: &str, bucket: Bucket, ip: IpAddr) -> Result<(), Limited> {
    attempt(instance, bucket, ip, true)
}

/// Whether an attempt would be allowed, without spending it.
pub fn peek(instance: &str, bucket: Bucket, ip: IpAddr) -> Result<(), Limited> {
    attempt(instance, bucket, ip, false)
}

/// Spends one attempt whatever the budget (after the work it stands for was done).
pub fn record(instance: &str, bucket: Bucket, ip: IpAddr) {
    if let Ok(mut map) = ATTEMPTS.lock() {
        map.entry((instance.to_string(), bucket, client_key(ip)))
            .or_default()
            .push_back(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_lookup_in_a_minute_waits() {
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        for _ in 0..10 {
            assert!(hit("limit-test-a", Bucket::Track, ip).is_ok());
        }
        let limited = hit("limit-test-a", Bucket::Track, ip).expect_err("limited");
        assert!((1..=60).contains(&limited.retry_after), "{limited:?}");
        // Another instance, another address and another bucket have their own budgets.
        assert!(hit("limit-test-b", Bucket::Track, ip).is_ok());
        assert!(hit("limit-test-a", Bucket::Submit, ip).is_ok());
        let other: IpAddr = "192.0.2.8".parse().expect("ip");
        assert!(hit("limit-test-a", Bucket::Track, other).is_ok());
    }

    #[test]
    fn peeking_spends_nothing_and_ipv6_counts_per_64() {
        let a: IpAddr = "2001:db8:1:2::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2::ffff".parse().expect("ip");
        for _ in 0..20 {
            assert!(peek("limit-test-c", Bucket::Submit, a).is_ok());
        }
        for _ in 0..5 {
            record("limit-test-c", Bucket::Submit, a);
        }
        assert!(peek("limit-test-c", Bucket::Submit, b).is_err());
        let mapped: IpAddr = "::ffff:192.0.2.9".parse().expect("ip");
        assert_eq!(
            client_key(mapped),
            "192.0.2.9".parse::<IpAddr>().expect("ip")
        );
    }
}
