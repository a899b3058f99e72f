//! Receiving webhooks: the signature schemes against their published vectors, every way a
//! delivery is refused, and events parsed the way a generated event enum parses them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apigen_runtime::runtime::webhooks::{
    self, BodyHmac, Digest, Encoding, Event, NamePart, PayloadError, Scheme, Standard,
    UnknownEvent, WebhookError, WebhookSecret,
};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;

/// Headers from `(name, value)` pairs; names are taken in any case, as a server receives them.
fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
            HeaderValue::from_str(value).expect("a valid header value"),
        );
    }
    map
}

fn at(unix_seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix_seconds)
}

/// A Standard Webhooks delivery: the secret, the three headers' values and the body.
struct Delivery {
    secret: &'static str,
    id: &'static str,
    timestamp: u64,
    body: &'static str,
    signature: &'static str,
}

/// The `sign` test vector of the Standard Webhooks reference libraries (JavaScript, Python, Go,
/// Java, PHP, Ruby, C#: `libraries/*` in standard-webhooks/standard-webhooks).
const SPEC_SIGN: Delivery = Delivery {
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    body: r#"{"test": 2432232314}"#,
    signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

/// The `test_sign` vector of the Standard Webhooks Rust library (`libraries/rust/src/lib.rs`).
const SPEC_SIGN_RUST: Delivery = Delivery {
    secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
    timestamp: 1649367553,
    body: r#"{"email":"test@example.com","username":"test_user"}"#,
    signature: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
};

impl Delivery {
    fn headers_with_signature(&self, signature: &str) -> HeaderMap {
        headers(&[
            ("webhook-id", self.id),
            ("webhook-timestamp", &self.timestamp.to_string()),
            ("webhook-signature", signature),
        ])
    }

    fn headers(&self) -> HeaderMap {
        self.headers_with_signature(self.signature)
    }

    fn verify(&self, headers: &HeaderMap, body: &str, secret: &str) -> Result<(), WebhookError> {
        webhooks::verify_at(
            &Scheme::STANDARD_WEBHOOKS,
            headers,
            body.as_bytes(),
            &WebhookSecret::new(secret),
            at(self.timestamp),
        )
    }
}

/// Signs as a Standard Webhooks sender does, for deliveries the tests make up.
fn standard_signature(key: &[u8], id: &str, timestamp: u64, body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    format!("v1,{signature}")
}

#[test]
fn the_standard_webhooks_vectors_verify() {
    for vector in [SPEC_SIGN, SPEC_SIGN_RUST] {
        vector
            .verify(&vector.headers(), vector.body, vector.secret)
            .unwrap_or_else(|e| panic!("{}: {e}", vector.id));
        // The `whsec_` prefix may be left out.
        let bare = vector.secret.trim_start_matches("whsec_");
        vector
            .verify(&vector.headers(), vector.body, bare)
            .unwrap_or_else(|e| panic!("{} without the prefix: {e}", vector.id));
    }
}

#[test]
fn a_standard_secret_is_taken_with_or_without_its_base64_padding() {
    // Keys whose base64 needs one and two `=`, as in the reference libraries' tests.
    for (unpadded, padded) in [
        (
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=",
        ),
        (
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr",
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr==",
        ),
    ] {
        // Their last character has unused bits set, which the reference libraries ignore.
        let lenient = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
        );
        let key = lenient.decode(padded).expect("padded base64");
        let signature = standard_signature(&key, SPEC_SIGN.id, SPEC_SIGN.timestamp, SPEC_SIGN.body);
        let headers = SPEC_SIGN.headers_with_signature(&signature);
        for secret in [
            unpadded.to_string(),
            padded.to_string(),
            format!("whsec_{unpadded}"),
        ] {
            SPEC_SIGN
                .verify(&headers, SPEC_SIGN.body, &secret)
                .unwrap_or_else(|e| panic!("{secret}: {e}"));
        }
    }
}

#[test]
fn one_matching_signature_among_several_is_enough() {
    // The reference libraries' multi-signature test: other versions are skipped, and a `v1`
    // signature that does not match does not spoil the one that does.
    let other = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    let header = format!("v1,{other} v2,{other} {} v1,{other}", SPEC_SIGN.signature);
    SPEC_SIGN
        .verify(
            &SPEC_SIGN.headers_with_signature(&header),
            SPEC_SIGN.body,
            SPEC_SIGN.secret,
        )
        .expect("the third signature matches");

    let header = format!("v1,{other} v2,{other} v1,{other}");
    let refused = SPEC_SIGN.verify(
        &SPEC_SIGN.headers_with_signature(&header),
        SPEC_SIGN.body,
        SPEC_SIGN.secret,
    );
    assert!(
        matches!(
            refused,
            Err(WebhookError::WrongSignature("webhook-signature"))
        ),
        "{refused:?}"
    );
}

#[test]
fn while_a_secret_rotates_either_secret_verifies() {
    let old = b"the-old-secret-of-24-bytes";
    let new = b"the-new-secret-of-32-bytes-long!";
    let (id, timestamp, body) = ("msg_rotation", 1_700_000_000, r#"{"type":"ping"}"#);
    // The sender signs with both while the receivers move from the old secret to the new one.
    let header = format!(
        "{} {}",
        standard_signature(new, id, timestamp, body),
        standard_signature(old, id, timestamp, body)
    );
    let headers = headers(&[
        ("webhook-id", id),
        ("webhook-timestamp", &timestamp.to_string()),
        ("webhook-signature", &header),
    ]);
    let verify = |secret: &WebhookSecret| {
        webhooks::verify_at(
            &Scheme::STANDARD_WEBHOOKS,
            &headers,
            body.as_bytes(),
            secret,
            at(timestamp),
        )
    };
    let encode = |key: &[u8]| base64::engine::general_purpose::STANDARD.encode(key);
    verify(&WebhookSecret::new(format!("whsec_{}", encode(old)))).expect("the old secret");
    verify(&WebhookSecret::new(format!("whsec_{}", encode(new)))).expect("the new secret");
    verify(&WebhookSecret::from_bytes(new.to_vec())).expect("the new key as bytes");
    let third = verify(&WebhookSecret::from_bytes(b"a-third-secret".to_vec()));
    assert!(
        matches!(third, Err(WebhookError::WrongSignature(_))),
        "{third:?}"
    );
}

#[test]
fn a_changed_body_id_or_timestamp_or_another_secret_is_a_wrong_signature() {
    let v = SPEC_SIGN;
    let wrong = |result: Result<(), WebhookError>, what: &str| {
        assert!(
            matches!(
                result,
                Err(WebhookError::WrongSignature("webhook-signature"))
            ),
            "{what}: {result:?}"
        );
    };
    wrong(
        v.verify(&v.headers(), r#"{"test": 2432232315}"#, v.secret),
        "body",
    );
    wrong(
        v.verify(&v.headers(), r#"{"test":2432232314}"#, v.secret),
        "body reserialised",
    );
    wrong(v.verify(&v.headers(), "", v.secret), "empty body");
    let mut changed_id = v.headers();
    changed_id.insert(
        "webhook-id",
        HeaderValue::from_static("msg_p5jXN8AQM9LWM0D4loKWxJeK"),
    );
    wrong(v.verify(&changed_id, v.body, v.secret), "id");
    let mut changed_time = v.headers();
    changed_time.insert("webhook-timestamp", HeaderValue::from_static("1614265331"));
    wrong(v.verify(&changed_time, v.body, v.secret), "timestamp");
    wrong(
        v.verify(&v.headers(), v.body, SPEC_SIGN_RUST.secret),
        "another secret",
    );
    // The spec's partial signatures: `v1,` alone, and the first bytes of the signature.
    wrong(
        v.verify(&v.headers_with_signature("v1,"), v.body, v.secret),
        "`v1,` alone",
    );
    wrong(
        v.verify(&v.headers_with_signature("v1,g0hM9SsE"), v.body, v.secret),
        "the first bytes",
    );
}

#[test]
fn a_timestamp_beyond_the_tolerance_is_refused_in_the_past_and_the_future() {
    let v = SPEC_SIGN;
    let verify_at = |now: u64| {
        webhooks::verify_at(
            &Scheme::STANDARD_WEBHOOKS,
            &v.headers(),
            v.body.as_bytes(),
            &WebhookSecret::new(v.secret),
            at(now),
        )
    };
    // Five minutes either side is within the tolerance.
    verify_at(v.timestamp + 300).expect("five minutes old");
    verify_at(v.timestamp - 300).expect("five minutes ahead");
    let old = verify_at(v.timestamp + 301);
    assert!(
        matches!(old, Err(WebhookError::TooOld { age, tolerance })
            if age == Duration::from_secs(301) && tolerance == Duration::from_secs(300)),
        "{old:?}"
    );
    let new = verify_at(v.timestamp - 301);
    assert!(
        matches!(new, Err(WebhookError::TooNew { ahead, .. }) if ahead == Duration::from_secs(301)),
        "{new:?}"
    );
    assert_eq!(
        old.map_err(|e| e.to_string()),
        Err("webhook timestamp is 301 s old, more than the tolerance of 300 s".to_string())
    );
    // A replay years later, and the system clock itself: the vector is from 2021.
    assert!(matches!(
        verify_at(v.timestamp + 86_400 * 365),
        Err(WebhookError::TooOld { .. })
    ));
    let now = webhooks::verify(
        &Scheme::STANDARD_WEBHOOKS,
        &v.headers(),
        v.body.as_bytes(),
        &WebhookSecret::new(v.secret),
    );
    assert!(matches!(now, Err(WebhookError::TooOld { .. })), "{now:?}");
}

#[test]
fn the_tolerance_and_the_header_names_are_the_schemes() {
    let v = SPEC_SIGN_RUST;
    // A sender that brands the headers (Svix) with a tolerance of ten seconds.
    let svix = Scheme::Standard(Standard {
        id_header: "svix-id",
        timestamp_header: "svix-timestamp",
        signature_header: "svix-signature",
        tolerance: Duration::from_secs(10),
    });
    let headers = headers(&[
        ("Svix-Id", v.id),
        ("Svix-Timestamp", &v.timestamp.to_string()),
        ("Svix-Signature", v.signature),
    ]);
    let secret = WebhookSecret::new(v.secret);
    let verify_at =
        |now: u64| webhooks::verify_at(&svix, &headers, v.body.as_bytes(), &secret, at(now));
    verify_at(v.timestamp + 10).expect("within ten seconds");
    assert!(matches!(
        verify_at(v.timestamp + 11),
        Err(WebhookError::TooOld { .. })
    ));
    let unbranded = webhooks::verify_at(
        &Scheme::STANDARD_WEBHOOKS,
        &headers,
        v.body.as_bytes(),
        &secret,
        at(v.timestamp),
    );
    assert!(
        matches!(unbranded, Err(WebhookError::MissingHeader("webhook-id"))),
        "{unbranded:?}"
    );
}

#[test]
fn header_names_are_read_in_any_case() {
    let v = SPEC_SIGN;
    let received = headers(&[
        ("Webhook-Id", v.id),
        ("WEBHOOK-TIMESTAMP", &v.timestamp.to_string()),
        ("webhook-Signature", v.signature),
    ]);
    v.verify(&received, v.body, v.secret)
        .expect("names as the sender capitalised them");
    // A scheme may name its headers in any case too.
    let capitalised = Scheme::Standard(Standard {
        id_header: "Webhook-ID",
        timestamp_header: "Webhook-Timestamp",
        signature_header: "Webhook-Signature",
        ..standard()
    });
    webhooks::verify_at(
        &capitalised,
        &received,
        v.body.as_bytes(),
        &WebhookSecret::new(v.secret),
        at(v.timestamp),
    )
    .expect("names as the scheme capitalised them");
    let github = headers(&[("X-HUB-SIGNATURE-256", GITHUB_SIGNATURE)]);
    github_verify(&github, GITHUB_BODY, GITHUB_SECRET).expect("GitHub's header in capitals");
}

fn standard() -> Standard {
    match Scheme::STANDARD_WEBHOOKS {
        Scheme::Standard(standard) => standard,
        other => panic!("not the Standard Webhooks scheme: {other:?}"),
    }
}

#[test]
fn a_missing_or_unreadable_standard_header_says_which() {
    let v = SPEC_SIGN;
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut without = v.headers();
        without.remove(name);
        let refused = v.verify(&without, v.body, v.secret);
        assert!(
            matches!(refused, Err(WebhookError::MissingHeader(missing)) if missing == name),
            "{name}: {refused:?}"
        );
        assert_eq!(
            refused.map_err(|e| e.to_string()),
            Err(format!("webhook header `{name}` is missing"))
        );
    }
    for timestamp in [
        "hello",
        "-1614265330",
        "+1614265330",
        "1614265330.5",
        "",
        "99999999999999999999999",
    ] {
        let mut headers = v.headers();
        headers.insert(
            "webhook-timestamp",
            HeaderValue::from_str(timestamp).expect("a value"),
        );
        let refused = v.verify(&headers, v.body, v.secret);
        assert!(
            matches!(
                refused,
                Err(WebhookError::BadHeader {
                    header: "webhook-timestamp",
                    ..
                })
            ),
            "{timestamp:?}: {refused:?}"
        );
    }
    for (signature, problem) in [
        ("v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==", "it has no `v1,<base64>` signature"),
        ("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "it has no `v1,<base64>` signature"),
        ("v1,not*base64!", "its `v1` signatures are not base64"),
    ] {
        let refused = v.verify(&v.headers_with_signature(signature), v.body, v.secret);
        assert!(
            matches!(refused, Err(WebhookError::BadHeader { header: "webhook-signature", problem: p }) if p == problem),
            "{signature}: {refused:?}"
        );
    }
    let mut not_ascii = v.headers();
    not_ascii.insert(
        "webhook-id",
        HeaderValue::from_bytes("msg_é".as_bytes()).expect("a value"),
    );
    assert!(matches!(
        v.verify(&not_ascii, v.body, v.secret),
        Err(WebhookError::BadHeader {
            header: "webhook-id",
            ..
        })
    ));
}

#[test]
fn a_secret_that_cannot_be_a_key_is_refused_without_showing_it() {
    let v = SPEC_SIGN;
    for secret in ["whsec_not base64 at all!", "whsec_", "", "whsec_====="] {
        let refused = v.verify(&v.headers(), v.body, secret);
        let Err(error @ WebhookError::BadSecret(_)) = refused else {
            panic!("{secret:?}: {refused:?}");
        };
        let text = format!("{error} {error:?}");
        assert!(!text.contains("base64 at all"), "{text}");
    }
    // An empty key signs nothing for GitHub either.
    let refused = github_verify(
        &headers(&[("x-hub-signature-256", GITHUB_SIGNATURE)]),
        GITHUB_BODY,
        "",
    );
    assert!(
        matches!(refused, Err(WebhookError::BadSecret("it is empty"))),
        "{refused:?}"
    );
}

/// GitHub's documented example ("Validating webhook deliveries": testing the implementation).
const GITHUB_SECRET: &str = "It's a Secret to Everybody";
const GITHUB_BODY: &str = "Hello, World!";
const GITHUB_SIGNATURE: &str =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

fn github_verify(headers: &HeaderMap, body: &str, secret: &str) -> Result<(), WebhookError> {
    webhooks::verify(
        &Scheme::GITHUB,
        headers,
        body.as_bytes(),
        &WebhookSecret::new(secret),
    )
}

#[test]
fn githubs_documented_example_verifies() {
    let received = headers(&[("X-Hub-Signature-256", GITHUB_SIGNATURE)]);
    github_verify(&received, GITHUB_BODY, GITHUB_SECRET).expect("the documented signature");
    let upper = headers(&[("X-Hub-Signature-256", &GITHUB_SIGNATURE.to_uppercase())]);
    github_verify(&upper, GITHUB_BODY, GITHUB_SECRET).expect("hex and prefix in capitals");
}

#[test]
fn github_refuses_a_changed_body_another_secret_and_a_bad_header() {
    let received = headers(&[("X-Hub-Signature-256", GITHUB_SIGNATURE)]);
    for (body, secret) in [
        ("Hello, World?", GITHUB_SECRET),
        ("Hello, World! ", GITHUB_SECRET),
        (GITHUB_BODY, "It's a secret to everybody"),
    ] {
        let refused = github_verify(&received, body, secret);
        assert!(
            matches!(
                refused,
                Err(WebhookError::WrongSignature("x-hub-signature-256"))
            ),
            "{body:?} {secret:?}: {refused:?}"
        );
    }
    let truncated = headers(&[("X-Hub-Signature-256", "sha256=757107ea0eb2509f")]);
    assert!(matches!(
        github_verify(&truncated, GITHUB_BODY, GITHUB_SECRET),
        Err(WebhookError::WrongSignature(_))
    ));
    let missing = github_verify(&HeaderMap::new(), GITHUB_BODY, GITHUB_SECRET);
    assert_eq!(
        missing.map_err(|e| e.to_string()),
        Err("webhook header `x-hub-signature-256` is missing".to_string())
    );
    for (value, problem) in [
        (
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "it does not start with the scheme's prefix",
        ),
        (
            "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59",
            "it does not start with the scheme's prefix",
        ),
        (
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
            "it is not hexadecimal",
        ),
        (
            "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "it is not hexadecimal",
        ),
    ] {
        let refused = github_verify(
            &headers(&[("x-hub-signature-256", value)]),
            GITHUB_BODY,
            GITHUB_SECRET,
        );
        assert!(
            matches!(refused, Err(WebhookError::BadHeader { header: "x-hub-signature-256", problem: p }) if p == problem),
            "{value}: {refused:?}"
        );
    }
}

#[test]
fn intercom_signs_the_body_with_hmac_sha1() {
    // Intercom publishes no example; RFC 2202's HMAC-SHA1 test case 2, sent as Intercom sends.
    let received = headers(&[(
        "X-Hub-Signature",
        "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
    )]);
    let body = b"what do ya want for nothing?";
    webhooks::verify(
        &Scheme::INTERCOM,
        &received,
        body,
        &WebhookSecret::new("Jefe"),
    )
    .expect("RFC 2202 case 2");
    let refused = webhooks::verify(
        &Scheme::INTERCOM,
        &received,
        body,
        &WebhookSecret::new("jefe"),
    );
    assert!(
        matches!(
            refused,
            Err(WebhookError::WrongSignature("x-hub-signature"))
        ),
        "{refused:?}"
    );
    // GitHub's SHA-256 header is not Intercom's.
    let github = headers(&[("X-Hub-Signature-256", GITHUB_SIGNATURE)]);
    let refused = webhooks::verify(
        &Scheme::INTERCOM,
        &github,
        GITHUB_BODY.as_bytes(),
        &WebhookSecret::new(GITHUB_SECRET),
    );
    assert!(
        matches!(refused, Err(WebhookError::MissingHeader("x-hub-signature"))),
        "{refused:?}"
    );
}

#[test]
fn a_body_hmac_of_ones_own_can_be_base64_without_a_prefix() {
    // RFC 4231's HMAC-SHA256 test case 2, in base64 with no prefix (as Shopify writes it).
    let scheme = Scheme::BodyHmac(BodyHmac {
        header: "x-shopify-hmac-sha256",
        prefix: "",
        digest: Digest::Sha256,
        encoding: Encoding::Base64,
    });
    let received = headers(&[(
        "X-Shopify-Hmac-Sha256",
        "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=",
    )]);
    let body = b"what do ya want for nothing?";
    webhooks::verify(&scheme, &received, body, &WebhookSecret::new("Jefe"))
        .expect("RFC 4231 case 2");
    let refused = webhooks::verify(
        &scheme,
        &received,
        b"what do ya want for nothing!",
        &WebhookSecret::new("Jefe"),
    );
    assert!(
        matches!(refused, Err(WebhookError::WrongSignature(_))),
        "{refused:?}"
    );
}

#[test]
fn the_secret_never_shows() {
    let secret = WebhookSecret::new("whsec_SUPERSECRET+c2VjcmV0");
    for text in [format!("{secret:?}"), format!("{secret:#?}")] {
        assert!(!text.contains("SUPERSECRET"), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
    let bytes = WebhookSecret::from_bytes(b"SUPERSECRET".to_vec());
    assert!(!format!("{bytes:?}").contains("SUPERSECRET"));
    // Nor in any error, whatever failed.
    let v = SPEC_SIGN;
    let plain = WebhookSecret::new("SUPERSECRET");
    let scheme_errors = [
        webhooks::verify_at(
            &Scheme::STANDARD_WEBHOOKS,
            &v.headers(),
            v.body.as_bytes(),
            &secret,
            at(v.timestamp),
        ),
        webhooks::verify_at(
            &Scheme::STANDARD_WEBHOOKS,
            &v.headers(),
            v.body.as_bytes(),
            &WebhookSecret::new("whsec_SUPERSECRET!"),
            at(v.timestamp),
        ),
        webhooks::verify(
            &Scheme::GITHUB,
            &headers(&[("x-hub-signature-256", GITHUB_SIGNATURE)]),
            b"",
            &plain,
        ),
        webhooks::verify(&Scheme::GITHUB, &HeaderMap::new(), b"", &plain),
    ];
    for result in scheme_errors {
        let error = result.expect_err("refused");
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains("SUPERSECRET"), "{text}");
        }
    }
}

/// A payload of GitHub's `push` event, in part.
#[derive(Debug, Deserialize, PartialEq)]
struct Push {
    #[serde(rename = "ref")]
    git_ref: String,
}

/// A payload of GitHub's `issues` event, in part.
#[derive(Debug, Deserialize, PartialEq)]
struct Issues {
    action: String,
    issue: Issue,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Issue {
    number: u64,
}

/// An event enum as the generator writes one for GitHub's webhooks: named by the
/// `X-GitHub-Event` header and the payload's `action`.
#[derive(Debug, PartialEq)]
enum GitHubEvent {
    Push(Push),
    IssuesOpened(Issues),
    Unknown(UnknownEvent),
}

impl Event for GitHubEvent {
    const NAME: &'static [NamePart] = &[
        NamePart::Header("X-GitHub-Event"),
        NamePart::Field("action"),
    ];

    fn decode(name: &str, body: &[u8]) -> Option<Result<Self, PayloadError>> {
        Some(match name {
            "push" => webhooks::payload(body).map(Self::Push),
            "issues.opened" => webhooks::payload(body).map(Self::IssuesOpened),
            _ => return None,
        })
    }

    fn unknown(event: UnknownEvent) -> Self {
        Self::Unknown(event)
    }
}

/// A payload with an id.
#[derive(Debug, Deserialize, PartialEq)]
struct Contact {
    data: ContactData,
}

#[derive(Debug, Deserialize, PartialEq)]
struct ContactData {
    id: String,
}

/// An event enum named by the payload's `type`, as Standard Webhooks senders name events.
#[derive(Debug, PartialEq)]
enum TypedEvent {
    ContactCreated(Contact),
    Unknown(UnknownEvent),
}

impl Event for TypedEvent {
    const NAME: &'static [NamePart] = &[NamePart::Field("type")];

    fn decode(name: &str, body: &[u8]) -> Option<Result<Self, PayloadError>> {
        Some(match name {
            "contact.created" => webhooks::payload(body).map(Self::ContactCreated),
            _ => return None,
        })
    }

    fn unknown(event: UnknownEvent) -> Self {
        Self::Unknown(event)
    }
}

#[test]
fn a_header_and_a_field_name_githubs_events() {
    let push = webhooks::parse::<GitHubEvent>(
        &headers(&[("X-GitHub-Event", "push")]),
        br#"{"ref":"refs/heads/main","commits":[]}"#,
    );
    assert_eq!(
        push.expect("a push"),
        GitHubEvent::Push(Push {
            git_ref: "refs/heads/main".into()
        })
    );
    let opened = webhooks::parse::<GitHubEvent>(
        &headers(&[("x-github-event", "issues")]),
        br#"{"issue":{"number":7,"labels":[{"action":"x"}]},"action":"opened"}"#,
    );
    assert_eq!(
        opened.expect("an opened issue"),
        GitHubEvent::IssuesOpened(Issues {
            action: "opened".into(),
            issue: Issue { number: 7 }
        })
    );
}

#[test]
fn an_event_no_variant_knows_is_kept_with_its_name_and_body() {
    let body = br#"{"action":"closed","issue":{"number":7}}"#;
    let closed = webhooks::parse::<GitHubEvent>(&headers(&[("X-GitHub-Event", "issues")]), body);
    let GitHubEvent::Unknown(unknown) = closed.expect("kept") else {
        panic!("not an unknown event");
    };
    assert_eq!(unknown.name, "issues.closed");
    assert_eq!(unknown.body, body);
    assert_eq!(unknown.json().expect("JSON")["issue"]["number"], 7);

    let later =
        webhooks::parse::<TypedEvent>(&HeaderMap::new(), br#"{"type":"invoice.paid","data":{}}"#);
    assert_eq!(
        later.expect("kept"),
        TypedEvent::Unknown(UnknownEvent {
            name: "invoice.paid".into(),
            body: br#"{"type":"invoice.paid","data":{}}"#.to_vec()
        })
    );
}

#[test]
fn a_missing_name_a_body_that_is_no_object_and_a_payload_that_does_not_decode_say_so() {
    let missing = webhooks::parse::<GitHubEvent>(&HeaderMap::new(), br#"{"action":"opened"}"#);
    assert_eq!(
        missing.map_err(|e| e.to_string()),
        Err("webhook event name header `X-GitHub-Event` is missing".to_string())
    );
    for body in [
        &br#"{"data":{"type":"contact.created"}}"#[..],
        br#"{"type":42}"#,
    ] {
        let missing = webhooks::parse::<TypedEvent>(&HeaderMap::new(), body);
        assert!(
            matches!(
                missing,
                Err(WebhookError::MissingEventName(NamePart::Field("type")))
            ),
            "{missing:?}"
        );
    }
    for body in [
        &b"Hello, World!"[..],
        b"[1, 2]",
        br#"{"type":"contact.created"} trailing"#,
        b"",
    ] {
        let refused = webhooks::parse::<TypedEvent>(&HeaderMap::new(), body);
        assert!(
            matches!(refused, Err(WebhookError::BadBody(_))),
            "{refused:?}"
        );
    }
    let undecodable = webhooks::parse::<TypedEvent>(
        &HeaderMap::new(),
        br#"{"type":"contact.created","data":{"id":42}}"#,
    );
    let Err(WebhookError::Decode { event, error }) = undecodable else {
        panic!("{undecodable:?}");
    };
    assert_eq!(event, "contact.created");
    assert_eq!(error.path, "data.id");
}

#[test]
fn unwrap_verifies_before_it_parses() {
    let key = b"a-key-for-the-unwrap-test";
    let secret = WebhookSecret::from_bytes(key.to_vec());
    let (id, timestamp) = ("msg_unwrap", 1_765_000_000);
    let body = r#"{"type":"contact.created","data":{"id":"c_1"}}"#;
    let signed = headers(&[
        ("webhook-id", id),
        ("webhook-timestamp", &timestamp.to_string()),
        (
            "webhook-signature",
            &standard_signature(key, id, timestamp, body),
        ),
    ]);
    let event = webhooks::unwrap_at::<TypedEvent>(
        &Scheme::STANDARD_WEBHOOKS,
        &signed,
        body.as_bytes(),
        &secret,
        at(timestamp + 1),
    );
    assert_eq!(
        event.expect("verified and parsed"),
        TypedEvent::ContactCreated(Contact {
            data: ContactData { id: "c_1".into() }
        })
    );
    // A forged body is refused as a forgery, before it is read.
    let forged = webhooks::unwrap_at::<TypedEvent>(
        &Scheme::STANDARD_WEBHOOKS,
        &signed,
        b"not even JSON",
        &secret,
        at(timestamp),
    );
    assert!(
        matches!(forged, Err(WebhookError::WrongSignature(_))),
        "{forged:?}"
    );
    let replayed = webhooks::unwrap::<TypedEvent>(
        &Scheme::STANDARD_WEBHOOKS,
        &signed,
        body.as_bytes(),
        &secret,
    );
    assert!(
        matches!(replayed, Err(WebhookError::TooOld { .. })),
        "{replayed:?}"
    );
}

/// A small deterministic generator (xorshift64*), so that a failure repeats.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below n")
    }

    /// Up to `max` pieces, each one of `pieces` or one random byte.
    fn text(&mut self, pieces: &[&[u8]], max: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..self.below(max + 1) {
            match self.below(pieces.len() + 1) {
                i if i < pieces.len() => out.extend_from_slice(pieces[i]),
                _ => out.push(u8::try_from(self.next() & 0xff).expect("a byte")),
            }
        }
        out
    }
}

/// A header value from arbitrary bytes, or none when HTTP would not carry them.
fn value(bytes: &[u8]) -> Option<HeaderValue> {
    HeaderValue::from_bytes(bytes).ok()
}

#[test]
fn arbitrary_deliveries_are_refused_without_a_panic() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let standard_pieces: &[&[u8]] = &[
        b"v1,",
        b"v1a,",
        b"v2,",
        b" ",
        b"=",
        b"+",
        b"/",
        b"g0hM9SsE",
        b"OTPJTGt",
        b"1614265330",
        b".",
        b"msg_",
        b"\xc3\xa9",
    ];
    let hmac_pieces: &[&[u8]] = &[
        b"sha256=",
        b"SHA1=",
        b"sha1=",
        b"0",
        b"f",
        b"A",
        b"757107ea",
        b"=",
        b" ",
    ];
    let body_pieces: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b"\"type\"",
        b"\"action\"",
        b"\"contact.created\"",
        b"\"data\"",
        b"{\"id\":",
        b"42",
        b"null",
        b"\"",
        b"\\u00e9",
        b"\\",
        b" ",
    ];
    let secrets = [
        WebhookSecret::new(SPEC_SIGN.secret),
        WebhookSecret::new(GITHUB_SECRET),
        WebhookSecret::new("whsec_"),
        WebhookSecret::from_bytes(vec![0; 32]),
    ];
    let schemes = [
        Scheme::STANDARD_WEBHOOKS,
        Scheme::GITHUB,
        Scheme::INTERCOM,
        Scheme::BodyHmac(BodyHmac {
            header: "x-signature",
            prefix: "",
            digest: Digest::Sha256,
            encoding: Encoding::Base64,
        }),
    ];
    for _ in 0..3000 {
        let mut received = HeaderMap::new();
        for name in [
            "webhook-id",
            "webhook-timestamp",
            "webhook-signature",
            "x-github-event",
        ] {
            if random.below(8) > 0 {
                if let Some(v) = value(&random.text(standard_pieces, 8)) {
                    received.append(name, v);
                }
            }
        }
        for name in ["x-hub-signature-256", "x-hub-signature", "x-signature"] {
            if random.below(4) > 0 {
                if let Some(v) = value(&random.text(hmac_pieces, 12)) {
                    received.append(name, v);
                }
            }
        }
        let body = random.text(body_pieces, 16);
        // Any time up to 2^40 s after the epoch (a SystemTime cannot hold every u64 of seconds).
        let now = at(random.next() >> (24 + random.below(40)));
        for scheme in &schemes {
            for secret in &secrets {
                let verified = webhooks::verify_at(scheme, &received, &body, secret, now);
                assert!(verified.is_err(), "{scheme:?} {received:?} {body:?}");
            }
        }
        // Parsing an unverified body never panics, and keeps an unknown event's body whole.
        if let Ok(TypedEvent::Unknown(unknown)) = webhooks::parse::<TypedEvent>(&received, &body) {
            assert_eq!(unknown.body, body);
        }
        if let Ok(GitHubEvent::Unknown(unknown)) = webhooks::parse::<GitHubEvent>(&received, &body)
        {
            assert_eq!(unknown.body, body);
        }
    }
}

/// The axum handler of docs/webhooks.md, compiled and called.
mod axum_handler {
    use std::sync::Arc;

    use axum::body::{Body, Bytes};
    use axum::extract::State;
    use axum::http::{HeaderMap, Request, StatusCode};
    use axum::routing::post;
    use axum::Router;
    use tower::ServiceExt as _;

    use super::{GitHubEvent, GITHUB_SECRET};
    use apigen_runtime::runtime::webhooks::{self, Scheme, WebhookError, WebhookSecret};

    async fn receive(
        State(secret): State<Arc<WebhookSecret>>,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        match webhooks::unwrap::<GitHubEvent>(&Scheme::GITHUB, &headers, &body, &secret) {
            Ok(GitHubEvent::IssuesOpened(issue)) => {
                tracing::info!(number = issue.issue.number, "issue opened");
                StatusCode::NO_CONTENT
            }
            Ok(GitHubEvent::Unknown(event)) => {
                tracing::debug!(name = %event.name, "event not handled");
                StatusCode::NO_CONTENT
            }
            Ok(_) => StatusCode::NO_CONTENT,
            Err(
                error @ (WebhookError::Decode { .. }
                | WebhookError::BadBody(_)
                | WebhookError::MissingEventName(_)),
            ) => {
                tracing::warn!(%error, "webhook payload not understood");
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Err(error) => {
                tracing::warn!(%error, "webhook refused");
                StatusCode::UNAUTHORIZED
            }
        }
    }

    fn app() -> Router {
        let secret = Arc::new(WebhookSecret::new(GITHUB_SECRET));
        Router::new()
            .route("/webhooks/github", post(receive))
            .with_state(secret)
    }

    /// GitHub's signature of `body` under `secret`.
    fn sign(secret: &str, body: &str) -> String {
        use hmac::{Hmac, KeyInit, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
        mac.update(body.as_bytes());
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        format!("sha256={hex}")
    }

    async fn deliver(event: &str, body: &str, signature: &str) -> StatusCode {
        let request = Request::post("/webhooks/github")
            .header("X-GitHub-Event", event)
            .header("X-Hub-Signature-256", signature)
            .header("Content-Type", "application/json")
            .body(Body::from(body.to_owned()))
            .expect("a request");
        app().oneshot(request).await.expect("infallible").status()
    }

    #[tokio::test]
    async fn the_documented_handler_answers_by_what_the_delivery_is() {
        let opened = r#"{"action":"opened","issue":{"number":7}}"#;
        let signed = sign(GITHUB_SECRET, opened);
        assert_eq!(
            deliver("issues", opened, &signed).await,
            StatusCode::NO_CONTENT
        );
        let closed = r#"{"action":"closed","issue":{"number":7}}"#;
        let signed_closed = sign(GITHUB_SECRET, closed);
        assert_eq!(
            deliver("issues", closed, &signed_closed).await,
            StatusCode::NO_CONTENT,
            "an unknown event is received"
        );
        assert_eq!(
            deliver("issues", closed, &signed).await,
            StatusCode::UNAUTHORIZED,
            "another body under the first signature"
        );
        let forged = sign("not the secret", opened);
        assert_eq!(
            deliver("issues", opened, &forged).await,
            StatusCode::UNAUTHORIZED
        );
        let odd = r#"{"action":"opened","issue":{"number":"seven"}}"#;
        assert_eq!(
            deliver("issues", odd, &sign(GITHUB_SECRET, odd)).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // GitHub's documented example verifies, but "Hello, World!" is no JSON to name an event.
        assert_eq!(
            deliver("ping", "Hello, World!", super::GITHUB_SIGNATURE).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
