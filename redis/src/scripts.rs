//! The Lua scripts that make each step of the protocol one atomic act in
//! Redis. Keys: `KEYS` are the entry's token, lock and fence keys (one hash
//! tag, so one slot in a cluster); the news channel comes in `ARGV`.
//!
//! A token value is `a1:<fence>:<fingerprint>:` followed by the sealed
//! bytes; anything else at a key (another type, another format, garbage)
//! counts as absent: the helpers read it as fence 0 and never fail on it.

use redis::Script;

/// Shared by every script: reading keys that may hold anything.
const HELPERS: &str = r#"
local function string_at(key)
  if redis.call('TYPE', key)['ok'] ~= 'string' then return nil end
  return redis.call('GET', key)
end
local function stored_fence(key)
  local value = string_at(key)
  if not value then return 0 end
  return tonumber(string.match(value, '^a1:(%d+):')) or 0
end
local function counter(key)
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'none' then return 0 end
  local n = kind == 'string' and tonumber(redis.call('GET', key))
  if not n then redis.call('DEL', key) return 0 end
  return n
end
"#;

/// KEYS: token, lock, fence. ARGV: owner, lease ms, fence ttl ms.
/// Takes the lock if free (`SET NX PX`) and returns a fence above every
/// earlier one and the stored entry's; `nil` if someone holds it.
const LOCK: &str = r#"
local kind = redis.call('TYPE', KEYS[2])['ok']
if kind ~= 'string' and kind ~= 'none' then redis.call('DEL', KEYS[2]) end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  -- A lock left without an expiry (by hand) must not block for ever.
  if redis.call('PTTL', KEYS[2]) == -1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
  return false
end
local fence = math.max(counter(KEYS[3]), stored_fence(KEYS[1])) + 1
redis.call('SET', KEYS[3], fence, 'PX', ARGV[3])
return fence
"#;

/// KEYS: lock. ARGV: owner, lease ms. Extends the lease if `owner` holds it.
const EXTEND: &str = r#"
if string_at(KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"#;

/// KEYS: lock. ARGV: owner, channel. Compare and delete, then news.
const UNLOCK: &str = r#"
if string_at(KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'released')
  return 1
end
return 0
"#;

/// KEYS: token, fence. ARGV: fence, value, ttl ms, channel. Writes unless
/// a later fence was handed out or is stored; then news.
const WRITE: &str = r#"
local fence = tonumber(ARGV[1])
if fence < counter(KEYS[2]) or fence < stored_fence(KEYS[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('PUBLISH', ARGV[4], 'written')
return 1
"#;

/// KEYS: token. ARGV: fingerprint, channel. Drops the entry only if it still
/// holds the token with this fingerprint; then news.
const INVALIDATE: &str = r#"
local value = string_at(KEYS[1])
if value and string.match(value, '^a1:%d+:(%x+):') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'dropped')
  return 1
end
return 0
"#;

/// The scripts, loaded by hash (`EVALSHA`, falling back to `EVAL` after a
/// restart emptied the script cache).
pub(crate) struct Scripts {
    pub(crate) lock: Script,
    pub(crate) extend: Script,
    pub(crate) unlock: Script,
    pub(crate) write: Script,
    pub(crate) invalidate: Script,
}

impl Scripts {
    pub(crate) fn new() -> Self {
        let script = |body: &str| Script::new(&format!("{HELPERS}{body}"));
        Self {
            lock: script(LOCK),
            extend: script(EXTEND),
            unlock: script(UNLOCK),
            write: script(WRITE),
            invalidate: script(INVALIDATE),
        }
    }
}
