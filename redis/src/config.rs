//! Where the store connects, and how it says so without the password: the
//! URL checked once, its secrets kept apart for redaction, and the
//! environment variables `from_env` reads.

use std::time::Duration;

use authorized_runtime::Secret;
use authorized_runtime::store::StoreError;

/// The variable [`RedisStore::from_env`](crate::RedisStore::from_env) reads
/// the URL from: `redis://[user:password@]host[:port][/db]`, or `rediss://`
/// for TLS.
pub const URL_VAR: &str = "AUTHORIZED_REDIS_URL";
/// The variable [`RedisStore::from_env`](crate::RedisStore::from_env) reads
/// the key prefix from (default [`DEFAULT_PREFIX`]).
pub const PREFIX_VAR: &str = "AUTHORIZED_REDIS_PREFIX";
/// The key prefix unless one is set.
pub const DEFAULT_PREFIX: &str = "authorized:";
/// How long a connection attempt or a command may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(500);

/// A checked URL: the client, what may be shown of it, and what must not.
pub(crate) struct Target {
    pub(crate) client: redis::Client,
    pub(crate) shown: String,
    /// The password and user name, hidden from every error text.
    hidden: Vec<Secret>,
}

impl Target {
    pub(crate) fn parse(text: &str) -> Result<Self, StoreError> {
        let url = url::Url::parse(text).map_err(|e| {
            StoreError::new(format!(
                "the Redis URL is not a URL ({e}); expected redis://[user:password@]host[:port][/db] or rediss://…"
            ))
        })?;
        let mut hidden = Vec::new();
        let mut shown = url.clone();
        if let Some(password) = url.password().filter(|p| !p.is_empty()) {
            hidden.push(Secret::new(password));
            hidden.extend(decoded(password).map(Secret::new));
            let _ = shown.set_password(Some("**"));
        }
        if !url.username().is_empty() {
            hidden.push(Secret::new(url.username()));
            let _ = shown.set_username("**");
        }
        let shown = shown.to_string();
        if !matches!(url.scheme(), "redis" | "rediss") {
            return Err(StoreError::new(format!(
                "the Redis URL `{shown}` must start with redis:// or rediss:// (TLS)"
            )));
        }
        let target = Self {
            client: client(text).map_err(|_| {
                StoreError::new(format!("the Redis URL `{shown}` is not one Redis accepts"))
            })?,
            shown,
            hidden,
        };
        Ok(target)
    }

    /// `text` with the URL's password and user name replaced.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.hidden
            .iter()
            .filter(|s| !s.is_empty())
            .fold(text.to_owned(), |text, secret| {
                text.replace(secret.expose(), "**")
            })
    }
}

/// The client for `url`, with `TCP_NODELAY`: the commands are small and
/// each waits for its answer, so Nagle's algorithm would only delay them.
fn client(url: &str) -> redis::RedisResult<redis::Client> {
    let info = redis::IntoConnectionInfo::into_connection_info(url)?;
    let tcp = info.tcp_settings().clone().set_nodelay(true);
    redis::Client::open(info.set_tcp_settings(tcp))
}

/// A percent-encoded password as Redis receives it, if it differs.
fn decoded(password: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(password)
        .decode_utf8()
        .ok()?;
    (decoded != password).then(|| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_url_and_every_error_text_hide_the_user_and_password() {
        let target = Target::parse("redis://fleet-user:p%40ss-w0rd@127.0.0.1:6390/2").unwrap();
        assert_eq!(target.shown, "redis://**:**@127.0.0.1:6390/2");
        let error = "connect to redis://fleet-user:p%40ss-w0rd@… failed: WRONGPASS p@ss-w0rd";
        let redacted = target.redact(error);
        for secret in ["fleet-user", "p%40ss-w0rd", "p@ss-w0rd"] {
            assert!(!redacted.contains(secret), "{redacted}");
        }
    }

    #[test]
    fn only_redis_urls_are_taken_and_refusals_show_no_password() {
        assert!(Target::parse("rediss://h:6380").is_ok());
        let error = Target::parse("http://u:secret@h").err().unwrap();
        assert!(error.to_string().contains("redis://"), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");
        assert!(Target::parse("not a url").is_err());
    }
}
