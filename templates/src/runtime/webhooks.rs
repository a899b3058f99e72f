//! Receiving webhooks: a delivery's signature verified, and its event parsed into the crate's
//! event type (behind the `webhooks` feature).
//!
//! The input is what any HTTP server framework hands a handler: the request's headers as an
//! `http::HeaderMap` (which `reqwest::header` re-exports) and the raw body, exactly as received.
//! Verify before parsing, and verify the bytes as they came: a body parsed and serialised again
//! is not the body that was signed.
//!
//! - [`Scheme`]: how a sender signs. [`Scheme::STANDARD_WEBHOOKS`] (HMAC-SHA256 over
//!   `id.timestamp.body`, several signatures in one header for key rotation, a timestamp checked
//!   against a tolerance window), [`Scheme::GITHUB`] (`X-Hub-Signature-256: sha256=<hex>`) and
//!   [`Scheme::INTERCOM`] (`X-Hub-Signature: sha1=<hex>`), or a [`BodyHmac`] of your own.
//! - [`WebhookSecret`]: the shared secret, which never shows in `Debug` or in an error.
//! - [`verify`], [`parse`] and [`unwrap`] (both, verifying first); [`verify_at`] and
//!   [`unwrap_at`] take the time to check timestamps against.
//! - [`Event`]: what an event type implements to be parsed: where its name is read
//!   ([`NamePart`]), the variant each name decodes into, and an [`UnknownEvent`] for a name it does
//!   not know, so that an event the sender adds later is kept rather than refused.
//!
//! Signatures are compared in constant time (`hmac`'s `verify_slice`), and a [`WebhookError`]
//! says what failed without showing the secret or a signature.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::HeaderMap;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// How a sender signs its deliveries.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Standard Webhooks: an id, a timestamp and signatures in three headers.
    Standard(Standard),
    /// An HMAC of the body alone, in one header.
    BodyHmac(BodyHmac),
}

impl Scheme {
    /// [Standard Webhooks](https://www.standardwebhooks.com/) (OpenAI and many others):
    /// `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64>`, with a
    /// tolerance of five minutes either side of now.
    pub const STANDARD_WEBHOOKS: Scheme = Scheme::Standard(Standard {
        id_header: "webhook-id",
        timestamp_header: "webhook-timestamp",
        signature_header: "webhook-signature",
        tolerance: Duration::from_secs(5 * 60),
    });

    /// GitHub: `X-Hub-Signature-256: sha256=<hex>`, an HMAC-SHA256 of the body.
    pub const GITHUB: Scheme = Scheme::BodyHmac(BodyHmac {
        header: "x-hub-signature-256",
        prefix: "sha256=",
        digest: Digest::Sha256,
        encoding: Encoding::Hex,
    });

    /// Intercom: `X-Hub-Signature: sha1=<hex>`, an HMAC-SHA1 of the body keyed with the app's
    /// client secret.
    pub const INTERCOM: Scheme = Scheme::BodyHmac(BodyHmac {
        header: "x-hub-signature",
        prefix: "sha1=",
        digest: Digest::Sha1,
        encoding: Encoding::Hex,
    });
}

/// The Standard Webhooks scheme, with the names of its headers (some senders brand them, as
/// `svix-id`) and how far a delivery's timestamp may be from now, before or after.
///
/// The signed content is `id.timestamp.body`; the signature header holds signatures separated
/// by spaces, each `v1,<base64 of HMAC-SHA256>` (other versions are skipped), and one that
/// matches is enough, which is how a sender signs with an old and a new secret while they change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standard {
    /// The header of the delivery's unique id (`webhook-id`).
    pub id_header: &'static str,
    /// The header of the delivery's time, in seconds since the Unix epoch (`webhook-timestamp`).
    pub timestamp_header: &'static str,
    /// The header of the signatures (`webhook-signature`).
    pub signature_header: &'static str,
    /// How far the timestamp may be from now, in the past (a replay) or the future.
    pub tolerance: Duration,
}

/// A scheme that signs the body alone: `header: <prefix><signature>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyHmac {
    /// The signature's header, in any case (`x-hub-signature-256`).
    pub header: &'static str,
    /// What the header's value starts with before the signature (`sha256=`), or `""`.
    pub prefix: &'static str,
    /// The HMAC's hash function.
    pub digest: Digest,
    /// How the signature is written.
    pub encoding: Encoding,
}

/// The hash function of an HMAC.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digest {
    /// SHA-256.
    Sha256,
    /// SHA-1 (Intercom's, and GitHub's older `X-Hub-Signature`).
    Sha1,
}

/// How a signature is written in its header.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Hexadecimal, in either case.
    Hex,
    /// Standard base64, padded or not.
    Base64,
}

/// The secret a sender and a receiver share, whose `Debug` never shows it.
///
/// [`WebhookSecret::new`] takes the secret as the sender shows it: for Standard Webhooks the
/// `whsec_`-prefixed base64 text (the prefix may be left out), which the scheme decodes into the
/// key; for a [`BodyHmac`] scheme (GitHub, Intercom) the text itself, whose bytes are the key.
/// [`WebhookSecret::from_bytes`] takes the key itself, used as it is by every scheme.
#[derive(Clone)]
pub struct WebhookSecret(Key);

#[derive(Clone)]
enum Key {
    Text(String),
    Bytes(Vec<u8>),
}

impl WebhookSecret {
    /// The secret as the sender shows it.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Key::Text(secret.into()))
    }

    /// The key's bytes themselves.
    pub fn from_bytes(key: impl Into<Vec<u8>>) -> Self {
        Self(Key::Bytes(key.into()))
    }

    /// The HMAC key for `scheme`; an empty key is refused, since anyone can sign with it.
    fn key(&self, scheme: &Scheme) -> Result<Cow<'_, [u8]>, WebhookError> {
        let key = match (&self.0, scheme) {
            (Key::Bytes(bytes), _) => Cow::Borrowed(bytes.as_slice()),
            (Key::Text(text), Scheme::BodyHmac(_)) => Cow::Borrowed(text.as_bytes()),
            (Key::Text(text), Scheme::Standard(_)) => {
                let encoded = text.strip_prefix("whsec_").unwrap_or(text);
                // The error from base64 names the offending byte, which is part of the secret.
                let decoded = BASE64
                    .decode(encoded)
                    .map_err(|_| WebhookError::BadSecret("it is not base64 after `whsec_`"))?;
                Cow::Owned(decoded)
            }
        };
        if key.is_empty() {
            return Err(WebhookError::BadSecret("it is empty"));
        }
        Ok(key)
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(..redacted..)")
    }
}

impl From<String> for WebhookSecret {
    fn from(secret: String) -> Self {
        Self::new(secret)
    }
}

impl From<&str> for WebhookSecret {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

/// Standard base64 that reads signatures and secrets as leniently as the Standard Webhooks
/// reference libraries: with or without their padding, and with unused bits in the last
/// character set or not.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Why a delivery was refused. The text names the header or the part that failed, and never
/// shows the secret or a signature.
#[non_exhaustive]
#[derive(Debug)]
pub enum WebhookError {
    /// A header that the scheme or the event type reads is not in the request.
    MissingHeader(&'static str),
    /// A header is there but cannot be read as the scheme writes it.
    BadHeader {
        /// The header.
        header: &'static str,
        /// What is wrong with its value, such as "it is not hexadecimal".
        problem: &'static str,
    },
    /// The secret cannot be a key for the scheme.
    BadSecret(&'static str),
    /// No signature in the header is the delivery's under this secret: the body, the id or the
    /// timestamp was changed, or it was signed with another secret.
    WrongSignature(&'static str),
    /// The delivery's timestamp is further in the past than the scheme's tolerance: a replay,
    /// or a delivery held up that long.
    TooOld {
        /// How long ago the delivery says it was sent.
        age: Duration,
        /// The scheme's tolerance.
        tolerance: Duration,
    },
    /// The delivery's timestamp is further in the future than the scheme's tolerance.
    TooNew {
        /// How far ahead of now the delivery says it was sent.
        ahead: Duration,
        /// The scheme's tolerance.
        tolerance: Duration,
    },
    /// The event's name is not in the delivery: the header or the body field the event type
    /// reads it from is missing (or is not a string).
    MissingEventName(NamePart),
    /// The body had to be read for the event's name and is not a JSON object.
    BadBody(PayloadError),
    /// The body did not decode into the payload of the event its name selects.
    Decode {
        /// The event's name.
        event: String,
        /// Where and why decoding failed.
        error: PayloadError,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader(header) => write!(f, "webhook header `{header}` is missing"),
            Self::BadHeader { header, problem } => {
                write!(f, "webhook header `{header}` cannot be read: {problem}")
            }
            Self::BadSecret(problem) => write!(f, "the webhook secret cannot be used: {problem}"),
            Self::WrongSignature(header) => write!(
                f,
                "webhook signature in `{header}` does not match the delivery under this secret"
            ),
            Self::TooOld { age, tolerance } => write!(
                f,
                "webhook timestamp is {} s old, more than the tolerance of {} s",
                age.as_secs(),
                tolerance.as_secs()
            ),
            Self::TooNew { ahead, tolerance } => write!(
                f,
                "webhook timestamp is {} s in the future, more than the tolerance of {} s",
                ahead.as_secs(),
                tolerance.as_secs()
            ),
            Self::MissingEventName(NamePart::Header(header)) => {
                write!(f, "webhook event name header `{header}` is missing")
            }
            Self::MissingEventName(NamePart::Field(field)) => write!(
                f,
                "webhook body has no string field `{field}` naming the event"
            ),
            Self::BadBody(error) => write!(f, "webhook body is not a JSON object: {error}"),
            Self::Decode { event, error } => {
                write!(f, "webhook event `{event}` did not decode: {error}")
            }
        }
    }
}

impl StdError for WebhookError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::BadBody(error) | Self::Decode { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Why a body did not decode: where in the document, and what went wrong there.
#[derive(Debug)]
pub struct PayloadError {
    /// Where decoding failed, such as `issue.user.id` (`.` for the document itself).
    pub path: String,
    /// The JSON error.
    pub source: serde_json::Error,
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.source)
    }
}

impl StdError for PayloadError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// Decodes a whole body as JSON into `T`, for the variants of an [`Event`].
pub fn payload<T: DeserializeOwned>(body: &[u8]) -> Result<T, PayloadError> {
    super::response::decode_json(body).map_err(|(path, source)| PayloadError { path, source })
}

/// Checks that a delivery was signed by the holder of `secret`, and for Standard Webhooks that
/// its timestamp is within the tolerance of the system clock's now.
pub fn verify(
    scheme: &Scheme,
    headers: &HeaderMap,
    body: &[u8],
    secret: &WebhookSecret,
) -> Result<(), WebhookError> {
    verify_at(scheme, headers, body, secret, SystemTime::now())
}

/// [`verify`], with the timestamp checked against `now` rather than the system clock.
///
/// The signature is checked first, so that a forged delivery is reported as one whatever its
/// timestamp says, and a timestamp out of tolerance means a delivery the sender did sign.
pub fn verify_at(
    scheme: &Scheme,
    headers: &HeaderMap,
    body: &[u8],
    secret: &WebhookSecret,
    now: SystemTime,
) -> Result<(), WebhookError> {
    let key = secret.key(scheme)?;
    match scheme {
        Scheme::Standard(standard) => standard.verify(headers, body, &key, now),
        Scheme::BodyHmac(body_hmac) => body_hmac.verify(headers, body, &key),
    }
}

impl Standard {
    fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        key: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let id = header(headers, self.id_header)?;
        let timestamp = header(headers, self.timestamp_header)?;
        let sent = unix_seconds(timestamp).ok_or(WebhookError::BadHeader {
            header: self.timestamp_header,
            problem: "it is not a whole number of seconds since the Unix epoch",
        })?;
        let signatures = self.signatures(headers)?;
        let content: [&[u8]; 5] = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body];
        if !any_matches(Digest::Sha256, key, &content, &signatures)? {
            return Err(WebhookError::WrongSignature(self.signature_header));
        }
        self.check_time(sent, now)
    }

    /// The decoded `v1` signatures of every value of the signature header.
    fn signatures(&self, headers: &HeaderMap) -> Result<Vec<Vec<u8>>, WebhookError> {
        let mut values = headers.get_all(self.signature_header).iter().peekable();
        if values.peek().is_none() {
            return Err(WebhookError::MissingHeader(self.signature_header));
        }
        let mut signatures = Vec::new();
        let mut undecodable = false;
        for value in values {
            let value = value.to_str().map_err(|_| WebhookError::BadHeader {
                header: self.signature_header,
                problem: "it is not visible ASCII",
            })?;
            for signature in value.split(' ').filter_map(|s| s.strip_prefix("v1,")) {
                match BASE64.decode(signature) {
                    Ok(decoded) => signatures.push(decoded),
                    Err(_) => undecodable = true,
                }
            }
        }
        match (signatures.is_empty(), undecodable) {
            (false, _) => Ok(signatures),
            (true, true) => Err(WebhookError::BadHeader {
                header: self.signature_header,
                problem: "its `v1` signatures are not base64",
            }),
            (true, false) => Err(WebhookError::BadHeader {
                header: self.signature_header,
                problem: "it has no `v1,<base64>` signature",
            }),
        }
    }

    /// Refuses a timestamp further than the tolerance from `now`, before or after it.
    fn check_time(&self, sent: u64, now: SystemTime) -> Result<(), WebhookError> {
        // A clock before 1970 is taken as 1970: every real timestamp is then in its future.
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let tolerance = self.tolerance;
        if now >= sent {
            let age = Duration::from_secs(now - sent);
            if age > tolerance {
                return Err(WebhookError::TooOld { age, tolerance });
            }
        } else {
            let ahead = Duration::from_secs(sent - now);
            if ahead > tolerance {
                return Err(WebhookError::TooNew { ahead, tolerance });
            }
        }
        Ok(())
    }
}

impl BodyHmac {
    fn verify(&self, headers: &HeaderMap, body: &[u8], key: &[u8]) -> Result<(), WebhookError> {
        let value = header(headers, self.header)?;
        let bad = |problem| WebhookError::BadHeader {
            header: self.header,
            problem,
        };
        let encoded = strip_prefix_ignoring_case(value.trim(), self.prefix)
            .ok_or_else(|| bad("it does not start with the scheme's prefix"))?;
        let signature = match self.encoding {
            Encoding::Hex => hex_decode(encoded).ok_or_else(|| bad("it is not hexadecimal"))?,
            Encoding::Base64 => BASE64
                .decode(encoded)
                .map_err(|_| bad("it is not base64"))?,
        };
        if any_matches(self.digest, key, &[body], &[signature])? {
            Ok(())
        } else {
            Err(WebhookError::WrongSignature(self.header))
        }
    }
}

/// The value of a header that must be there once, as text.
fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, WebhookError> {
    headers
        .get(name)
        .ok_or(WebhookError::MissingHeader(name))?
        .to_str()
        .map_err(|_| WebhookError::BadHeader {
            header: name,
            problem: "it is not visible ASCII",
        })
}

/// A timestamp written as decimal digits alone (no sign, no fraction, no spaces).
fn unix_seconds(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `text` without `prefix`, compared without regard to ASCII case (`SHA256=` as `sha256=`).
fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// Decodes hexadecimal of either case; `None` for an odd length or a character that is not a
/// hexadecimal digit.
fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |byte: u8| char::from(byte).to_digit(16);
    let pairs = text.as_bytes().chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return None;
    }
    pairs
        .map(|pair| match pair {
            [high, low] => u8::try_from(digit(*high)? * 16 + digit(*low)?).ok(),
            _ => None,
        })
        .collect()
}

/// Whether the HMAC of the concatenated `content` under `key` is one of `signatures`, each
/// compared in constant time.
fn any_matches(
    digest: Digest,
    key: &[u8],
    content: &[&[u8]],
    signatures: &[Vec<u8>],
) -> Result<bool, WebhookError> {
    match digest {
        Digest::Sha256 => any_mac_matches::<Hmac<sha2::Sha256>>(key, content, signatures),
        Digest::Sha1 => any_mac_matches::<Hmac<sha1::Sha1>>(key, content, signatures),
    }
}

fn any_mac_matches<M: Mac + KeyInit + Clone>(
    key: &[u8],
    content: &[&[u8]],
    signatures: &[Vec<u8>],
) -> Result<bool, WebhookError> {
    let mut mac = <M as KeyInit>::new_from_slice(key)
        .map_err(|_| WebhookError::BadSecret("the HMAC does not take a key of its length"))?;
    for part in content {
        mac.update(part);
    }
    Ok(signatures
        .iter()
        .any(|signature| mac.clone().verify_slice(signature).is_ok()))
}

/// Where a part of an event's name is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamePart {
    /// A request header, in any case (GitHub's `x-github-event`).
    Header(&'static str),
    /// A string field at the top of the JSON body (`type`, `topic`, GitHub's `action`).
    Field(&'static str),
}

/// An event type a delivery is parsed into: an enum with a variant per documented event and
/// one that keeps an [`UnknownEvent`].
///
/// The generated crate implements it for its event enum; [`parse`] reads the name and calls
/// [`Event::decode`] with it, and [`Event::unknown`] when no variant has that name.
pub trait Event: Sized {
    /// Where the event's name is read, in order. The first part must be in the delivery; each
    /// later one, when it is there, qualifies it after a `.`: with
    /// `[Header("x-github-event"), Field("action")]`, GitHub's `issues` event whose payload says
    /// `"action": "opened"` is named `issues.opened`, and its `push` event (no `action`) `push`.
    const NAME: &'static [NamePart];

    /// The variant `name` selects, decoded from the body (with [`payload`]); `None` when no
    /// variant has that name.
    fn decode(name: &str, body: &[u8]) -> Option<Result<Self, PayloadError>>;

    /// The event that no variant describes, kept whole.
    fn unknown(event: UnknownEvent) -> Self;
}

/// An event whose name the event type does not know (one the sender added later, say): its
/// name and its body, as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEvent {
    /// The event's name, as [`Event::NAME`] reads it.
    pub name: String,
    /// The body, as received.
    pub body: Vec<u8>,
}

impl UnknownEvent {
    /// The body as JSON of any shape.
    pub fn json(&self) -> Result<serde_json::Value, PayloadError> {
        payload(&self.body)
    }
}

/// Parses a delivery into `E`, without verifying it: read the name where `E` says, then decode
/// the variant it selects, or keep an [`UnknownEvent`].
pub fn parse<E: Event>(headers: &HeaderMap, body: &[u8]) -> Result<E, WebhookError> {
    let name = event_name(E::NAME, headers, body)?;
    match E::decode(&name, body) {
        Some(Ok(event)) => Ok(event),
        Some(Err(error)) => Err(WebhookError::Decode { event: name, error }),
        None => Ok(E::unknown(UnknownEvent {
            name,
            body: body.to_vec(),
        })),
    }
}

/// Verifies a delivery ([`verify`]), then parses it ([`parse`]).
pub fn unwrap<E: Event>(
    scheme: &Scheme,
    headers: &HeaderMap,
    body: &[u8],
    secret: &WebhookSecret,
) -> Result<E, WebhookError> {
    unwrap_at(scheme, headers, body, secret, SystemTime::now())
}

/// [`unwrap`], with the timestamp checked against `now` rather than the system clock.
pub fn unwrap_at<E: Event>(
    scheme: &Scheme,
    headers: &HeaderMap,
    body: &[u8],
    secret: &WebhookSecret,
    now: SystemTime,
) -> Result<E, WebhookError> {
    verify_at(scheme, headers, body, secret, now)?;
    parse(headers, body)
}

/// The event's name from `parts`: the first must be there, the others are appended after a
/// `.` when they are.
fn event_name(
    parts: &[NamePart],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, WebhookError> {
    let fields: Vec<&'static str> = parts
        .iter()
        .filter_map(|part| match part {
            NamePart::Field(field) => Some(*field),
            NamePart::Header(_) => None,
        })
        .collect();
    let mut values = if fields.is_empty() {
        Vec::new()
    } else {
        top_level_strings(body, &fields).map_err(WebhookError::BadBody)?
    }
    .into_iter();
    let mut name = String::new();
    for (index, part) in parts.iter().enumerate() {
        let value = match part {
            NamePart::Header(header) => headers
                .get(*header)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            NamePart::Field(_) => values.next().flatten(),
        };
        match value {
            Some(value) => {
                if index > 0 {
                    name.push('.');
                }
                name.push_str(&value);
            }
            None if index == 0 => return Err(WebhookError::MissingEventName(*part)),
            None => {}
        }
    }
    Ok(name)
}

/// The string value of each of `fields` at the top of the JSON object `body` (`None` for one
/// that is missing or not a string), read without building the rest of the document.
fn top_level_strings(body: &[u8], fields: &[&str]) -> Result<Vec<Option<String>>, PayloadError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let found = TopLevelStrings { fields }
        .deserialize(&mut deserializer)
        .and_then(|found| deserializer.end().map(|()| found))
        .map_err(|source| PayloadError {
            path: ".".to_owned(),
            source,
        })?;
    Ok(found)
}

/// Reads the top of a JSON object for [`top_level_strings`], skipping every other value.
struct TopLevelStrings<'a> {
    fields: &'a [&'a str],
}

impl<'de> DeserializeSeed<'de> for TopLevelStrings<'_> {
    type Value = Vec<Option<String>>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevelStrings<'_> {
    type Value = Vec<Option<String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = vec![None; self.fields.len()];
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match self.fields.iter().position(|field| *field == key) {
                Some(index) => {
                    let value = map.next_value::<serde_json::Value>()?;
                    if let (Some(slot), serde_json::Value::String(text)) =
                        (found.get_mut(index), value)
                    {
                        *slot = Some(text);
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}
