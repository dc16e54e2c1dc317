//! What the Redis store's tests share: a real `redis-server` per test. The
//! fleet tests in `tests/` use the same file.

pub mod redis_server;
