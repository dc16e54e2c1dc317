//! Any bytes and status as an API answer, for both providers, read as
//! `send::<JsonValue>()` reads it: a value or an error, never a panic, and
//! neither the error nor the answer's `Debug` shows the secrets of the call.
#![no_main]

use authorized_api::{hotel, server};
use authorized_runtime::__private::decode_api_answer;
use libfuzzer_sys::fuzz_target;

const SECRETS: [&str; 2] = ["fuzz-secret+/\"1234", "sat_fuzzaccess5678"];

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
        200, 200, 201, 204, 301, 307, 400, 401, 403, 404, 429, 500, 502, 503, 599, 100,
    ][usize::from(selector >> 4)];
    let (result, debug) = decode_api_answer(def, status, body, &SECRETS);
    let shown = match result {
        Ok(_) => {
            assert!((200..300).contains(&status));
            debug
        }
        Err(error) => format!("{error} {error:?} {debug}"),
    };
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{shown}");
    }
});
