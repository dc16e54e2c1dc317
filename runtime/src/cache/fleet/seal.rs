//! Sealing a token for the store: AES-256-GCM under a key derived (HKDF-SHA256)
//! from the client secret and the entry's name, and a keyed fingerprint
//! (HMAC-SHA256, a key derived the same way) to compare tokens by. Nothing a
//! store holds shows a token or the secret; an entry sealed under another
//! secret, for another entry or fence, or in another format, does not open.
//!
//! The sealed bytes: `1` (the format), a 12-byte nonce, then the ciphertext
//! and its tag. The nonce is synthetic (as in SIV): the first 12 bytes of an
//! HMAC-SHA256, under a third derived key, of the additional data and the
//! plaintext. Two seals share a nonce only if they seal the same token under
//! the same name, fence and fingerprint (and then are the same bytes), so
//! no random generator is needed: AWS-LC's takes tens of milliseconds to
//! seed on first use, which a renewal would wait for. The plaintext: `1`, the Unix time the token was
//! obtained and its lifetime (milliseconds, u64 big-endian), the access token
//! (u32 length, bytes), and `0`, or `1` and the refresh token likewise. The
//! additional data binds the entry's name, fence and fingerprint.

use std::time::Duration;

use aws_lc_rs::{aead, hkdf, hmac};

use crate::cache::fleet::clock;
use crate::cache::store::{EntryName, Fingerprint, SharedEntry};
use crate::secret::Secret;
use crate::token::granted::{Token, capped};

/// The one format this runtime writes and reads.
const FORMAT: u8 = 1;
/// Domain separation for every key derived here.
const CONTEXT: &[u8] = b"authorized token store v1";
const NONCE_LEN: usize = aead::NONCE_LEN;

/// The keys of one entry, derived from the client secret; never the secret.
pub(crate) struct Sealer {
    name: EntryName,
    seal: aead::LessSafeKey,
    nonce: hmac::Key,
    fingerprint: hmac::Key,
}

impl Sealer {
    /// The keys of entry `name` under `secret`.
    pub(crate) fn new(secret: &Secret, name: &EntryName) -> Self {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, CONTEXT).extract(secret.expose().as_bytes());
        let info_seal: [&[u8]; 3] = [CONTEXT, b"seal", name.as_str().as_bytes()];
        let info_fp: [&[u8]; 3] = [CONTEXT, b"fingerprint", name.as_str().as_bytes()];
        let info_nonce: [&[u8]; 3] = [CONTEXT, b"nonce", name.as_str().as_bytes()];
        // Expanding 32 bytes from a SHA-256 PRK cannot fail.
        let seal = prk
            .expand(&info_seal, &aead::AES_256_GCM)
            .map(aead::UnboundKey::from)
            .expect("HKDF expands 32 bytes");
        let hmac_key = |info: &[&[u8]]| {
            prk.expand(info, hmac::HMAC_SHA256)
                .map(hmac::Key::from)
                .expect("HKDF expands 32 bytes")
        };
        let fingerprint = hmac_key(&info_fp);
        let nonce = hmac_key(&info_nonce);
        Self {
            name: name.clone(),
            seal: aead::LessSafeKey::new(seal),
            nonce,
            fingerprint,
        }
    }

    /// The keyed hash of an access token.
    pub(crate) fn fingerprint(&self, access_token: &Secret) -> Fingerprint {
        let tag = hmac::sign(&self.fingerprint, access_token.expose().as_bytes());
        let mut out = [0u8; 16];
        out.copy_from_slice(&tag.as_ref()[..16]);
        Fingerprint(out)
    }

    /// `token` sealed for a write under `fence`; `None` only if the
    /// plaintext is too long for AES-GCM (it never is).
    pub(crate) fn seal(&self, token: &Token, fence: u64) -> Option<SharedEntry> {
        let fingerprint = self.fingerprint(&token.access_token);
        let aad = self.aad(fence, &fingerprint);
        let mut in_out = plaintext(token);
        let mut synthetic = hmac::Context::with_key(&self.nonce);
        synthetic.update(&(aad.len() as u64).to_be_bytes());
        synthetic.update(&aad);
        synthetic.update(&in_out);
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&synthetic.sign().as_ref()[..NONCE_LEN]);
        self.seal
            .seal_in_place_append_tag(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(aad),
                &mut in_out,
            )
            .ok()?;
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + in_out.len());
        sealed.push(FORMAT);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&in_out);
        Some(SharedEntry {
            fence,
            fingerprint,
            sealed,
        })
    }

    /// The token in `entry`, or `None` if it does not open (another secret,
    /// entry, fence or format, or garbage).
    pub(crate) fn open(&self, entry: &SharedEntry) -> Option<Token> {
        let (&format, rest) = entry.sealed.split_first()?;
        if format != FORMAT || rest.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = aead::Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut in_out = ciphertext.to_vec();
        let aad = aead::Aad::from(self.aad(entry.fence, &entry.fingerprint));
        let plain = self.seal.open_in_place(nonce, aad, &mut in_out).ok()?;
        let token = parse(plain)?;
        (self.fingerprint(&token.access_token) == entry.fingerprint).then_some(token)
    }

    fn aad(&self, fence: u64, fingerprint: &Fingerprint) -> Vec<u8> {
        let mut aad = Vec::with_capacity(CONTEXT.len() + 32 + 8 + 16 + 1);
        aad.extend_from_slice(CONTEXT);
        aad.push(0);
        aad.extend_from_slice(self.name.as_str().as_bytes());
        aad.extend_from_slice(&fence.to_be_bytes());
        aad.extend_from_slice(&fingerprint.0);
        aad
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn plaintext(token: &Token) -> Vec<u8> {
    let access = token.access_token.expose().as_bytes();
    let refresh = token.refresh_token.as_ref().map(|r| r.expose().as_bytes());
    let mut out = Vec::with_capacity(32 + access.len() + refresh.map_or(0, <[u8]>::len));
    out.push(FORMAT);
    out.extend_from_slice(&millis(clock::unix(token.obtained_at)).to_be_bytes());
    out.extend_from_slice(&millis(capped(token.lifetime)).to_be_bytes());
    let mut field = |bytes: &[u8]| {
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(bytes);
    };
    field(access);
    match refresh {
        None => out.push(0),
        Some(refresh) => {
            out.push(1);
            out.extend_from_slice(&(refresh.len() as u32).to_be_bytes());
            out.extend_from_slice(refresh);
        }
    }
    out
}

/// Reads [`plaintext`]'s layout, refusing anything else.
fn parse(bytes: &[u8]) -> Option<Token> {
    let mut reader = Reader(bytes);
    if reader.take(1)? != [FORMAT] {
        return None;
    }
    let obtained = Duration::from_millis(reader.u64()?);
    let lifetime = Duration::from_millis(reader.u64()?);
    let access = reader.text()?;
    let refresh = match reader.take(1)? {
        [0] => None,
        [1] => Some(Secret::new(reader.text()?)),
        _ => return None,
    };
    if !reader.0.is_empty() || access.is_empty() {
        return None;
    }
    Some(Token {
        access_token: Secret::new(access),
        refresh_token: refresh,
        lifetime,
        obtained_at: clock::instant(obtained)?,
    })
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_be_bytes(self.take(8)?.try_into().ok()?))
    }

    fn text(&mut self) -> Option<String> {
        let len = u32::from_be_bytes(self.take(4)?.try_into().ok()?) as usize;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use tokio::time::Instant;

    use super::*;

    fn name(n: u8) -> EntryName {
        EntryName::from_digest(&[n; 32])
    }

    fn token() -> Token {
        Token {
            access_token: Secret::new("hat_access-0123456789"),
            refresh_token: Some(Secret::new("hrt_refresh-0123456789")),
            lifetime: Duration::from_secs(7200),
            obtained_at: Instant::now(),
        }
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    #[tokio::test(start_paused = true)]
    async fn a_sealed_token_opens_whole_and_shows_nothing() {
        let secret = Secret::new("client-secret-xyz");
        let sealer = Sealer::new(&secret, &name(1));
        let token = token();
        let entry = sealer.seal(&token, 7).unwrap();
        assert_eq!(entry.fence, 7);
        for shown in ["hat_access", "hrt_refresh", "client-secret-xyz"] {
            assert!(
                !contains(&entry.sealed, shown),
                "{shown} in the sealed bytes"
            );
        }
        assert!(!entry.fingerprint.to_hex().contains("hat_"));
        let opened = sealer.open(&entry).unwrap();
        assert_eq!(opened.access_token, token.access_token);
        assert_eq!(opened.refresh_token, token.refresh_token);
        assert_eq!(opened.lifetime, token.lifetime);
        let drift = if opened.obtained_at > token.obtained_at {
            opened.obtained_at - token.obtained_at
        } else {
            token.obtained_at - opened.obtained_at
        };
        assert!(drift < Duration::from_millis(2), "{drift:?}");
        // The nonce follows what is sealed: the same token twice, the same
        // bytes; under another fence or another token, another nonce.
        assert_eq!(sealer.seal(&token, 7).unwrap().sealed, entry.sealed);
        let nonce = |e: &SharedEntry| e.sealed[1..1 + NONCE_LEN].to_vec();
        assert_ne!(nonce(&sealer.seal(&token, 8).unwrap()), nonce(&entry));
        let other = Token {
            access_token: Secret::new("hat_other"),
            ..token.clone()
        };
        assert_ne!(nonce(&sealer.seal(&other, 7).unwrap()), nonce(&entry));
    }

    #[tokio::test(start_paused = true)]
    async fn what_was_not_sealed_by_this_secret_for_this_entry_and_fence_does_not_open() {
        let sealer = Sealer::new(&Secret::new("s1"), &name(1));
        let entry = sealer.seal(&token(), 7).unwrap();
        let rotated = Sealer::new(&Secret::new("s2"), &name(1));
        assert!(rotated.open(&entry).is_none(), "another secret");
        assert!(
            Sealer::new(&Secret::new("s1"), &name(2))
                .open(&entry)
                .is_none(),
            "another entry"
        );
        let moved = SharedEntry {
            fence: 8,
            ..entry.clone()
        };
        assert!(sealer.open(&moved).is_none(), "another fence");
        let relabelled = SharedEntry {
            fingerprint: Fingerprint([0; 16]),
            ..entry.clone()
        };
        assert!(sealer.open(&relabelled).is_none(), "another fingerprint");
        let mut format = entry.clone();
        format.sealed[0] = 2;
        assert!(sealer.open(&format).is_none(), "another format");
        for garbage in [vec![], vec![1], vec![1; 13], vec![0xff; 200]] {
            let garbage = SharedEntry {
                sealed: garbage,
                ..entry.clone()
            };
            assert!(sealer.open(&garbage).is_none());
        }
        let mut flipped = entry.clone();
        *flipped.sealed.last_mut().unwrap() ^= 1;
        assert!(sealer.open(&flipped).is_none(), "a flipped bit");
    }

    #[test]
    fn fingerprints_are_keyed_by_secret_and_entry() {
        let token = Secret::new("sat_0123");
        let a = Sealer::new(&Secret::new("s1"), &name(1)).fingerprint(&token);
        assert_eq!(
            a,
            Sealer::new(&Secret::new("s1"), &name(1)).fingerprint(&token)
        );
        assert_ne!(
            a,
            Sealer::new(&Secret::new("s2"), &name(1)).fingerprint(&token)
        );
        assert_ne!(
            a,
            Sealer::new(&Secret::new("s1"), &name(2)).fingerprint(&token)
        );
        assert_ne!(
            a,
            Sealer::new(&Secret::new("s1"), &name(1)).fingerprint(&Secret::new("sat_0124"))
        );
    }

    #[test]
    fn the_plaintext_layout_refuses_trailing_or_short_bytes() {
        let token = Token {
            refresh_token: None,
            ..token()
        };
        let mut bytes = plaintext(&token);
        assert!(parse(&bytes).is_some());
        bytes.push(0);
        assert!(parse(&bytes).is_none());
        bytes.truncate(bytes.len() - 3);
        assert!(parse(&bytes).is_none());
    }
}
