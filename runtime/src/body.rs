//! Reading answers' bodies, never more than a limit.

use bytes::{Bytes, BytesMut};

/// The most a token, check or revoke answer may hold: none is anywhere near
/// that big, and a misbehaving endpoint must not make us buffer without limit.
pub(crate) const TOKEN_ANSWER_LIMIT: usize = 1 << 20;

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
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let announced = response.content_length();
    let Some(first) = next(&mut response).await? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit || announced.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLong(first.slice(..first.len().min(limit))));
    }
    let Some(second) = next(&mut response).await? else {
        return Ok(first);
    };
    let hint = announced.map_or(0, |n| n as usize);
    let mut body = BytesMut::with_capacity(hint.max(first.len() + second.len()));
    body.extend_from_slice(&first);
    let mut chunk = Some(second);
    while let Some(piece) = chunk {
        let room = limit - body.len();
        if piece.len() > room {
            body.extend_from_slice(&piece[..room]);
            return Err(BodyError::TooLong(body.freeze()));
        }
        body.extend_from_slice(&piece);
        chunk = next(&mut response).await?;
    }
    Ok(body.freeze())
}

async fn next(response: &mut reqwest::Response) -> Result<Option<Bytes>, BodyError> {
    response.chunk().await.map_err(BodyError::Transport)
}
