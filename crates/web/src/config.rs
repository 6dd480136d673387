//! Settings the web layer needs, passed in by the binary: the application's own
//! ([`app::Config`], reached through `Deref`) and those of HTTP.

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The application's settings: time zone, calendar, rule set, attachments.
    pub core: app::Config,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: i64,
    /// Hours after which a session ends however active it is.
    pub session_absolute_hours: i64,
    /// Set `Secure` on cookies (when served over HTTPS).
    pub secure_cookies: bool,
    /// Largest accepted JSON body, in bytes.
    pub max_json_bytes: usize,
    /// Failed logins before an account is locked, and for how long.
    pub lockout_failures: i64,
    pub lockout_minutes: i64,
}

impl WebConfig {
    pub fn new(data_dir: &std::path::Path) -> Self {
        WebConfig {
            core: app::Config::new(data_dir),
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            secure_cookies: false,
            max_json_bytes: 256 * 1024,
            lockout_failures: 5,
            lockout_minutes: 15,
        }
    }
}

impl std::ops::Deref for WebConfig {
    type Target = app::Config;
    fn deref(&self) -> &app::Config {
        &self.core
    }
}

impl std::ops::DerefMut for WebConfig {
    fn deref_mut(&mut self) -> &mut app::Config {
        &mut self.core
    }
}
