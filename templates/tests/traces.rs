//! Tracing: one `http.request` span per call with method, path template, attempt, status and
//! duration, and never the token or the query string.
//!
//! This test has a file of its own: tracing caches per-callsite interest process-wide, so a
//! scoped subscriber is only reliable when no other test in the process runs at the same time.

mod common;

use std::fmt::{Debug, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use apigen_runtime::runtime::{Auth, Request, RequestOptions, Secret};
use common::{builder, call_json, with_options, TOKEN};
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A tracing subscriber that writes every span, record and event into one string.
#[derive(Clone, Default)]
struct Capture {
    log: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Capture {
    fn write(&self, line: impl FnOnce(&mut String)) {
        let mut log = self.log.lock().unwrap();
        line(&mut log);
        log.push('\n');
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.write(|log| {
            log.push_str("span ");
            log.push_str(span.metadata().name());
            span.record(&mut Fields(log));
        });
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        self.write(|log| {
            log.push_str("record");
            values.record(&mut Fields(log));
        });
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.write(|log| {
            log.push_str("event");
            event.record(&mut Fields(log));
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn traces_show_the_call_but_not_the_token_or_query() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/42"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/contacts/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json([1]))
        .with_priority(2)
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let query_auth = Auth::Query {
        name: "api_key".into(),
        value: Secret::new(TOKEN),
    };
    for auth in [Auth::Bearer(Secret::new(TOKEN)), query_auth] {
        let client = builder(&server.uri()).auth(auth).build().unwrap();
        let mut request = Request::new(
            reqwest::Method::GET,
            "/contacts/{id}",
            "/contacts/42".into(),
        );
        request.query("email", "ada@example.com");
        let options = RequestOptions::new().header("X-Extra", TOKEN);
        call_json::<Value>(&client, with_options(request, options))
            .await
            .unwrap();
    }

    let log = capture.log.lock().unwrap().clone();
    assert!(
        log.contains("span http.request method=GET path=\"/contacts/{id}\""),
        "{log}"
    );
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("duration_ms="), "{log}");
    assert!(log.contains("retrying request"), "{log}");
    assert!(!log.contains("SUPERSECRET"), "{log}");
    assert!(!log.contains("ada@example.com"), "{log}");
    assert!(!log.contains("api_key"), "{log}");
}
