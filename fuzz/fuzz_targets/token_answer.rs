//! Any bytes and status as a token endpoint's answer, for both providers: a
//! token that can be sent or an error, never a panic, and no error shows
//! the secrets of the call, however the answer quotes them.
#![no_main]

use authorized_api::{hotel, server};
use authorized_runtime::__private::decode_token_answer;
use libfuzzer_sys::fuzz_target;

const SECRETS: [&str; 2] = ["fuzz-secret+/\"1234", "hrt_fuzzrefresh5678"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let def = if selector & 1 == 0 {
        &hotel::DEF
    } else {
        &server::DEF
    };
    let status = [
        200, 200, 201, 204, 301, 307, 400, 401, 403, 429, 500, 502, 503, 504, 599, 100,
    ][usize::from(selector >> 4)];
    match decode_token_answer(def, status, body, &SECRETS) {
        Ok(token) => {
            assert!((200..300).contains(&status));
            let access = token.access_token.expose();
            assert!(!access.is_empty() && access == access.trim());
            assert!(!access.chars().any(char::is_control));
            assert!(token.lifetime.as_secs() >= 1);
        }
        Err(error) => {
            let shown = format!("{error} {error:?}");
            for secret in SECRETS {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }
});
