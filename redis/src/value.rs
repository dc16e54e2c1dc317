//! A token key's value: `a1:<fence>:<fingerprint hex>:<sealed bytes>`, the
//! fence and fingerprint in the clear for the scripts to compare, the token
//! sealed by the runtime.

use authorized_runtime::store::{Fingerprint, SharedEntry};

const TAG: &[u8] = b"a1:";

/// The value stored for `entry`.
pub(crate) fn encode(entry: &SharedEntry) -> Vec<u8> {
    let mut value = format!("a1:{}:{}:", entry.fence, entry.fingerprint.to_hex()).into_bytes();
    value.extend_from_slice(&entry.sealed);
    value
}

/// The entry in `value`, or `None` if it is not one of ours.
pub(crate) fn decode(value: &[u8]) -> Option<SharedEntry> {
    let rest = value.strip_prefix(TAG)?;
    let colon = rest.iter().position(|&b| b == b':')?;
    let (digits, rest) = rest.split_at(colon);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let fence = std::str::from_utf8(digits).ok()?.parse().ok()?;
    let rest = &rest[1..];
    let fingerprint = Fingerprint::from_hex(std::str::from_utf8(rest.get(..32)?).ok()?)?;
    let sealed = rest.get(32..)?.strip_prefix(b":")?.to_vec();
    Some(SharedEntry {
        fence,
        fingerprint,
        sealed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_anything_else_is_none() {
        let entry = SharedEntry {
            fence: 42,
            fingerprint: Fingerprint([0xa5; 16]),
            sealed: vec![0, b':', 255, 7],
        };
        let value = encode(&entry);
        assert!(value.starts_with(format!("a1:42:{}:", "a5".repeat(16)).as_bytes()));
        assert_eq!(decode(&value), Some(entry));
        for garbage in [
            &b""[..],
            b"a1:",
            b"a1::",
            b"a1:x:",
            b"a2:1:00000000000000000000000000000000:",
            b"a1:1:0000:",
            b"a1:1:0000000000000000000000000000000g:",
            b"a1:1:00000000000000000000000000000000",
            b"a1:99999999999999999999999:00000000000000000000000000000000:",
            // Digits only, as the scripts read a fence (`%d+`): a signed
            // number would be a fence the scripts never compare against.
            b"a1:+5:00000000000000000000000000000000:",
        ] {
            assert_eq!(
                decode(garbage),
                None,
                "{}",
                String::from_utf8_lossy(garbage)
            );
        }
    }
}
