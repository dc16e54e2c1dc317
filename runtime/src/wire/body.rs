//! The one way an answer's body is read: never more than a limit, and an
//! answer too long to read is an [`Error::Decode`] quoting its redacted
//! start.

use bytes::{Bytes, BytesMut};

use crate::error::{Error, Result, Stage};
use crate::redact::BodyExcerpt;

/// The most a token, check or revoke answer may hold: none is anywhere near
/// that big, and a misbehaving endpoint must not make us buffer without limit.
pub(crate) const TOKEN_ANSWER_LIMIT: Limit = Limit {
    bytes: 1 << 20,
    setting: None,
};

/// How much of an answer is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limit {
    /// At most this many bytes…
    pub bytes: usize,
    /// …unless the user raises this client setting, which the error names.
    pub setting: Option<&'static str>,
}

/// Reads `response`'s body if it holds at most `limit` bytes. A connection
/// that fails midway is a transport error; a body that is too long, a
/// decode error quoting its start with `hidden()` (the secrets the exchange
/// knows, only computed then) hidden.
pub(crate) async fn read<'a>(
    response: reqwest::Response,
    limit: Limit,
    provider: &'static str,
    stage: Stage,
    hidden: impl FnOnce() -> Vec<&'a str>,
) -> Result<Bytes> {
    let status = response.status().as_u16();
    read_body(response, limit.bytes)
        .await
        .map_err(|error| error.into_error(limit, status, provider, stage, hidden))
}

/// Why an answer's body was not read whole.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The connection failed before the end of the body.
    Transport(reqwest::Error),
    /// The body is longer than the limit; this is its beginning, to quote.
    TooLong(Bytes),
}

/// Reads the body if it holds at most `limit` bytes.
///
/// A body that arrives in one piece (most JSON answers) is returned without
/// a copy. One announced as too long by its `Content-Length` is not read
/// beyond its first piece.
///
/// Not an `async fn`: the block uses the response where it was captured
/// rather than moving it into a second slot of the future, and has one
/// await point, so the future holds little more than the response (this is
/// on every API call's path).
pub(crate) fn read_body(
    response: reqwest::Response,
    limit: usize,
) -> impl Future<Output = Result<Bytes, BodyError>> {
    read_body_then(response, limit, |read, _| read)
}

/// [`read_body`], then `finish` of what it read and of the response (its
/// status and headers are still there), in the same future: what `finish`
/// captures is held once, not once in the caller's future and again around
/// this one's, and what it takes from the response is not held apart from
/// it while the body is read.
#[allow(clippy::manual_async_fn)] // An `async fn` holds the response twice.
pub(crate) fn read_body_then<T>(
    mut response: reqwest::Response,
    limit: usize,
    finish: impl FnOnce(Result<Bytes, BodyError>, reqwest::Response) -> T,
) -> impl Future<Output = T> {
    async move {
        let announced = response.content_length();
        let mut whole = Pieces::None;
        let read = loop {
            match response.chunk().await {
                Ok(Some(piece)) => match whole.add(piece, limit, announced) {
                    Ok(more) => whole = more,
                    Err(too_long) => break Err(too_long),
                },
                Ok(None) => break Ok(whole.into_bytes()),
                Err(e) => break Err(BodyError::Transport(e)),
            }
        };
        finish(read, response)
    }
}

/// The pieces of a body read so far.
enum Pieces {
    None,
    /// One piece: returned as it is, without a copy.
    One(Bytes),
    /// Several, copied together.
    Many(BytesMut),
}

impl Pieces {
    /// With `piece` added, unless that makes the body longer than `limit`
    /// (or the first piece comes with a `Content-Length` over it).
    fn add(self, piece: Bytes, limit: usize, announced: Option<u64>) -> Result<Self, BodyError> {
        let mut body = match self {
            Self::None => {
                if piece.len() > limit || announced.is_some_and(|n| n > limit as u64) {
                    return Err(BodyError::TooLong(piece.slice(..piece.len().min(limit))));
                }
                return Ok(Self::One(piece));
            }
            Self::One(first) => {
                let hint = announced.map_or(0, |n| n as usize);
                let mut body = BytesMut::with_capacity(hint.max(first.len() + piece.len()));
                body.extend_from_slice(&first);
                body
            }
            Self::Many(body) => body,
        };
        let room = limit - body.len();
        if piece.len() > room {
            body.extend_from_slice(&piece[..room]);
            return Err(BodyError::TooLong(body.freeze()));
        }
        body.extend_from_slice(&piece);
        Ok(Self::Many(body))
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Self::None => Bytes::new(),
            Self::One(piece) => piece,
            Self::Many(body) => body.freeze(),
        }
    }
}

impl BodyError {
    /// The error a caller meets: the one rule of what a body that could
    /// not be read whole comes to.
    pub(crate) fn into_error<'a>(
        self,
        limit: Limit,
        status: u16,
        provider: &'static str,
        stage: Stage,
        hidden: impl FnOnce() -> Vec<&'a str>,
    ) -> Error {
        match self {
            Self::Transport(e) => Error::from_reqwest(provider, stage, e),
            Self::TooLong(start) => {
                let mut reason = format!("the answer is longer than {} bytes", limit.bytes);
                if let Some(setting) = limit.setting {
                    reason.push_str(&format!(
                        " (HTTP {status}); raise the client's `{setting}` if that is expected"
                    ));
                }
                Error::Decode {
                    provider,
                    stage,
                    reason,
                    body: BodyExcerpt::new(&start, &hidden()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body `pieces` make under `limit`: whole, or the start quoted.
    fn read(
        pieces: &[&'static [u8]],
        limit: usize,
        announced: Option<u64>,
    ) -> Result<Bytes, Bytes> {
        let mut whole = Pieces::None;
        for piece in pieces {
            whole = match whole.add(Bytes::from_static(piece), limit, announced) {
                Ok(more) => more,
                Err(BodyError::TooLong(start)) => return Err(start),
                Err(BodyError::Transport(_)) => unreachable!("no connection here"),
            };
        }
        Ok(whole.into_bytes())
    }

    #[test]
    fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
        assert_eq!(read(&[b"abcd"], 4, None), Ok(Bytes::from_static(b"abcd")));
        assert_eq!(read(&[b"abcde"], 4, None), Err(Bytes::from_static(b"abcd")));
        assert_eq!(
            read(&[b"ab", b"cd"], 4, None),
            Ok(Bytes::from_static(b"abcd"))
        );
        assert_eq!(
            read(&[b"ab", b"cde"], 4, None),
            Err(Bytes::from_static(b"abcd"))
        );
        assert_eq!(
            read(&[b"a", b"b", b"c", b"de"], 4, None),
            Err(Bytes::from_static(b"abcd"))
        );
        assert_eq!(read(&[], 4, None), Ok(Bytes::new()));
        assert_eq!(
            read(&[b"abc", b"defg"], 6, None),
            Err(Bytes::from_static(b"abcdef"))
        );
    }

    #[test]
    fn a_content_length_over_the_limit_is_refused_at_the_first_piece() {
        assert_eq!(read(&[b"ab"], 4, Some(5)), Err(Bytes::from_static(b"ab")));
        assert_eq!(
            read(&[b"ab", b"cd"], 4, Some(4)),
            Ok(Bytes::from_static(b"abcd"))
        );
        // A length announced below the truth does not lift the limit.
        assert_eq!(
            read(&[b"ab", b"cde"], 4, Some(2)),
            Err(Bytes::from_static(b"abcd"))
        );
    }
}
