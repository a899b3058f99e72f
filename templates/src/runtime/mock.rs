//! A mock of the API for the tests of code that uses the client (the `mock` feature).
//!
//! [`MockServer`] runs a wiremock server on loopback; [`MockServer::client_base_url`] is what a
//! `Client` is pointed at. Expectations are made per operation, from the [`Operation`]
//! descriptors the generated code provides:
//!
//! ```text
//! mock.expect(&GET_CONTACT).path("id", "c1").respond(200, &contact).times(1);
//! ```
//!
//! Every request is checked against the operation it is for (required parameters present and
//! well-formed, the body decoding into the request type, the media type, the credentials the
//! operation requires), even when an expectation matched it. A request that breaks the
//! description, a request no expectation matches (the failure names the closest one) and an
//! expectation whose `times` is not met fail the test when the server is dropped, or at
//! [`MockServer::verify`]; [`MockServer::problems`] returns them without panicking. Requests shown
//! in failures have their credentials redacted.
//!
//! wiremock serves the HTTP; one catch-all handler of ours matches and checks, so expectations
//! are registered without `await` and every request meets the same checks.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::mock_operation::Received;
pub use super::mock_operation::{
    decodes_json, BodyCheck, BodySpec, Credential, Kind, Location, Operation, PageNext,
    PageRequest, Pagination, Param,
};
use super::mock_reply::page_reply;
pub use super::mock_reply::{sse_body, Reply, SseEvent};
use super::response::is_sensitive_header;

/// Query parameter names redacted in failures whatever the descriptors say.
const SECRET_QUERY_NAMES: &[&str] = &[
    "access_token",
    "api_key",
    "apikey",
    "client_secret",
    "token",
];

/// The most bytes of a request body a failure shows.
const BODY_SHOWN: usize = 512;

/// A mock server for an API's operations; see the [module docs](self).
pub struct MockServer {
    server: wiremock::MockServer,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    expectations: Vec<Entry>,
    /// Operations the mock knows without an expectation for them (see [`MockServer::describe`]).
    operations: Vec<&'static Operation>,
    problems: Vec<String>,
    received: Vec<String>,
}

struct Entry {
    operation: &'static Operation,
    matchers: Matchers,
    replies: Replies,
    times: Times,
    hits: usize,
    delay: Option<Duration>,
}

enum Replies {
    One(Reply),
    Sequence(Vec<Reply>),
    Pages { items: Vec<Value>, page_size: usize },
}

#[derive(Clone, Copy)]
enum Times {
    Any,
    Exactly(usize),
    AtLeast(usize),
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A test that panicked while holding the lock leaves the state as it was: still usable.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MockServer {
    /// Starts a mock server on a free loopback port.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        let handler = Handler {
            state: Arc::clone(&state),
            base_url: server.uri(),
        };
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(handler)
            .mount(&server)
            .await;
        MockServer { server, state }
    }

    /// The base URL to build the client with.
    pub fn client_base_url(&self) -> String {
        self.server.uri()
    }

    /// Makes `operations` known, so that a request for one of them that no expectation matches
    /// is still checked against it, and its credential names are redacted.
    pub fn describe(&self, operations: &[&'static Operation]) {
        lock(&self.state).operations.extend_from_slice(operations);
    }

    /// Starts an expectation for `operation`; it is registered by one of its `respond…`
    /// methods.
    pub fn expect(&self, operation: &'static Operation) -> Expectation<'_> {
        Expectation {
            server: self,
            operation,
            matchers: Matchers::default(),
        }
    }

    /// Everything wrong so far: requests that break their operation's description, unmatched
    /// requests, and expectations whose `times` is not met. Empty when all is well.
    pub fn problems(&self) -> Vec<String> {
        let state = lock(&self.state);
        let mut problems = state.problems.clone();
        for (index, entry) in state.expectations.iter().enumerate() {
            let (met, wanted) = match entry.times {
                Times::Any => (true, String::new()),
                Times::Exactly(n) => (entry.hits == n, format!("exactly {n}")),
                Times::AtLeast(n) => (entry.hits >= n, format!("at least {n}")),
            };
            if !met {
                problems.push(format!(
                    "operation `{}`: expectation {} wanted {wanted} request(s) and received {}",
                    entry.operation.id,
                    describe_entry(index, entry),
                    entry.hits
                ));
            }
        }
        problems
    }

    /// The [problems](Self::problems) so far, which are then forgotten (an expectation whose
    /// `times` is unmet stops expecting), so that the drop does not report them again: for a
    /// test that expects its code to break the description.
    pub fn take_problems(&self) -> Vec<String> {
        let problems = self.problems();
        let mut state = lock(&self.state);
        state.problems.clear();
        for entry in &mut state.expectations {
            entry.times = Times::Any;
        }
        problems
    }

    /// Every request received so far, in order, credentials redacted.
    pub fn received(&self) -> Vec<String> {
        lock(&self.state).received.clone()
    }

    /// Panics with every [problem](Self::problems), if there are any.
    pub fn verify(&self) {
        let problems = self.problems();
        if !problems.is_empty() {
            panic!("the API mock found problems:\n- {}", problems.join("\n- "));
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // A second panic while unwinding would abort the test binary, so when the test is
        // already failing (often because the code under test met the mock's 404), the problems
        // go to stderr, which the test harness shows with the failure.
        if !std::thread::panicking() {
            self.verify();
            return;
        }
        let problems = self.problems();
        if !problems.is_empty() {
            eprintln!("the API mock found problems:\n- {}", problems.join("\n- "));
        }
    }
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.server.uri())
            .finish_non_exhaustive()
    }
}

/// What an expectation requires of a request.
#[derive(Default)]
struct Matchers {
    path: Vec<(String, String)>,
    query: Vec<(String, Vec<String>)>,
    headers: Vec<(String, String)>,
    body: Option<BodyMatch>,
}

enum BodyMatch {
    Json(Value),
    Bytes(Vec<u8>),
}

/// The texts a typed value is sent as: a scalar's text, each element of an array, an object's
/// JSON; nothing for null.
fn texts<T: Serialize + ?Sized>(value: &T) -> Vec<String> {
    fn text(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    match serde_json::to_value(value) {
        Ok(Value::Null) => Vec::new(),
        Ok(Value::Array(items)) => items.iter().map(text).collect(),
        Ok(other) => vec![text(&other)],
        Err(error) => panic!("the mock's matcher value does not serialise: {error}"),
    }
}

impl Matchers {
    /// What differs between `request` and these matchers (with the operation's route); empty
    /// when the request matches.
    fn mismatches(&self, operation: &Operation, request: &Received<'_>) -> Vec<String> {
        let Some(path_values) = operation
            .method
            .eq_ignore_ascii_case(request.method)
            .then(|| operation.match_path(request.path))
            .flatten()
        else {
            return vec![format!(
                "the route is {} {}",
                operation.method, operation.path
            )];
        };
        let mut out = Vec::new();
        for (name, want) in &self.path {
            let got = request.values(name, Location::Path, &path_values);
            if got.first() != Some(want) {
                out.push(format!("path `{name}` should be {want:?}, is {got:?}"));
            }
        }
        for (name, want) in &self.query {
            let got = request.values(name, Location::Query, &path_values);
            let joined = [want.join(",")];
            if got != *want && (want.len() < 2 || got != joined) {
                let got = redact_values(name, got);
                out.push(format!("query `{name}` should be {want:?}, is {got:?}"));
            }
        }
        for (name, want) in &self.headers {
            let got = request.values(name, Location::Header, &path_values);
            if got.first() != Some(want) {
                let got = redact_values(name, got);
                out.push(format!("header `{name}` should be {want:?}, is {got:?}"));
            }
        }
        match &self.body {
            Some(BodyMatch::Json(want)) => match serde_json::from_slice::<Value>(request.body) {
                Ok(got) if got == *want => {}
                _ => out.push(format!("the body should be the JSON {want}")),
            },
            Some(BodyMatch::Bytes(want)) if want.as_slice() != request.body => {
                out.push(format!("the body should be {} given bytes", want.len()))
            }
            Some(BodyMatch::Bytes(_)) | None => {}
        }
        out
    }

    fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.path.iter().map(|(n, v)| format!("path {n} = {v:?}")));
        parts.extend(self.query.iter().map(|(n, v)| format!("query {n} = {v:?}")));
        parts.extend(
            self.headers
                .iter()
                .map(|(n, v)| format!("header {n} = {v:?}")),
        );
        if self.body.is_some() {
            parts.push("a given body".to_string());
        }
        match parts.is_empty() {
            true => "any request".to_string(),
            false => parts.join(", "),
        }
    }
}

fn redact_values(name: &str, values: Vec<String>) -> Vec<String> {
    match is_sensitive_header(name) || SECRET_QUERY_NAMES.contains(&name) {
        true => values.iter().map(|_| "[redacted]".to_string()).collect(),
        false => values,
    }
}

fn describe_entry(index: usize, entry: &Entry) -> String {
    format!("#{} ({})", index + 1, entry.matchers.describe())
}

/// An expectation being made: matchers first, then one `respond…` method registers it.
#[must_use = "an expectation is registered by one of its `respond…` methods"]
pub struct Expectation<'m> {
    server: &'m MockServer,
    operation: &'static Operation,
    matchers: Matchers,
}

impl<'m> Expectation<'m> {
    /// Requires the path parameter `name` to be `value` (decoded).
    pub fn path<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let value = texts(value).join(",");
        self.matchers.path.push((name.to_string(), value));
        self
    }

    /// Requires the query parameter `name` to be `value` (an array: every element, repeated
    /// or joined by commas).
    pub fn query<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        self.matchers.query.push((name.to_string(), texts(value)));
        self
    }

    /// Requires the header `name` to be `value`.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let value = texts(value).join(",");
        self.matchers.headers.push((name.to_string(), value));
        self
    }

    /// Requires the body to be `body` as JSON (compared as JSON values, so key order and
    /// spacing do not matter).
    pub fn body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        let body = serde_json::to_value(body)
            .unwrap_or_else(|error| panic!("the mock's body matcher does not serialise: {error}"));
        self.matchers.body = Some(BodyMatch::Json(body));
        self
    }

    /// Requires the body to be exactly `bytes`.
    pub fn body_raw(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.matchers.body = Some(BodyMatch::Bytes(bytes.into()));
        self
    }

    /// Answers with `status` and `body` as JSON.
    pub fn respond<T: Serialize + ?Sized>(self, status: u16, body: &T) -> Expected<'m> {
        self.reply(Reply::json(status, body))
    }

    /// Answers with `status` and no body.
    pub fn respond_empty(self, status: u16) -> Expected<'m> {
        self.reply(Reply::empty(status))
    }

    /// Answers with exactly these status, headers and bytes.
    pub fn respond_raw(
        self,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) -> Expected<'m> {
        self.reply(Reply::raw(status, headers, body))
    }

    /// Answers with a `text/event-stream` body of `events`.
    pub fn respond_events(self, events: &[SseEvent]) -> Expected<'m> {
        self.reply(Reply::sse(events))
    }

    /// Answers every matching request with `reply`.
    pub fn reply(self, reply: Reply) -> Expected<'m> {
        self.register(Replies::One(reply), Times::Any)
    }

    /// Answers the first matching request with the first reply, the second with the second,
    /// and so on (a 429 with `Retry-After`, then a 200); it expects exactly as many requests
    /// as replies, and once they are used it matches no more.
    pub fn reply_sequence(self, replies: impl IntoIterator<Item = Reply>) -> Expected<'m> {
        let replies: Vec<Reply> = replies.into_iter().collect();
        let times = Times::Exactly(replies.len());
        self.register(Replies::Sequence(replies), times)
    }

    /// Serves `items` in pages of `page_size` (unless the request asks for another size) the
    /// way the operation's [`Pagination`] says: the page the request asks for, and the cursor,
    /// URL or `Link` header of the next one. Expects at least one request.
    ///
    /// # Panics
    /// When the operation is not paginated, or an item does not serialise.
    pub fn pages<T: Serialize>(self, items: &[T], page_size: usize) -> Expected<'m> {
        assert!(
            self.operation.pagination.is_some(),
            "operation `{}` is not paginated",
            self.operation.id
        );
        let items = items
            .iter()
            .map(|item| {
                serde_json::to_value(item)
                    .unwrap_or_else(|error| panic!("a mock page item does not serialise: {error}"))
            })
            .collect();
        self.register(Replies::Pages { items, page_size }, Times::AtLeast(1))
    }

    fn register(self, replies: Replies, times: Times) -> Expected<'m> {
        let mut state = lock(&self.server.state);
        state.expectations.push(Entry {
            operation: self.operation,
            matchers: self.matchers,
            replies,
            times,
            hits: 0,
            delay: None,
        });
        Expected {
            server: self.server,
            index: state.expectations.len() - 1,
        }
    }
}

/// A registered expectation: how many requests it expects, and a delay.
pub struct Expected<'m> {
    server: &'m MockServer,
    index: usize,
}

impl Expected<'_> {
    fn set(&self, change: impl FnOnce(&mut Entry)) {
        if let Some(entry) = lock(&self.server.state).expectations.get_mut(self.index) {
            change(entry);
        }
    }

    /// Expects exactly `n` matching requests (checked when the server is dropped).
    pub fn times(self, n: usize) -> Self {
        self.set(|entry| entry.times = Times::Exactly(n));
        self
    }

    /// Expects at least `n` matching requests.
    pub fn at_least(self, n: usize) -> Self {
        self.set(|entry| entry.times = Times::AtLeast(n));
        self
    }

    /// Sends every reply of this expectation after `delay` (for timeout tests).
    pub fn delay(self, delay: Duration) -> Self {
        self.set(|entry| entry.delay = Some(delay));
        self
    }

    /// How many requests this expectation has matched so far.
    pub fn hits(&self) -> usize {
        lock(&self.server.state)
            .expectations
            .get(self.index)
            .map_or(0, |entry| entry.hits)
    }
}

/// The catch-all wiremock responder: matches, checks, records, answers.
struct Handler {
    state: Arc<Mutex<State>>,
    base_url: String,
}

impl wiremock::Respond for Handler {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let received = Received {
            method: request.method.as_str(),
            path: request.url.path(),
            query: request
                .url
                .query_pairs()
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect(),
            headers: &request.headers,
            body: &request.body,
        };
        let mut state = lock(&self.state);
        let shown = show_request(&state, request);
        state.received.push(shown.clone());
        let chosen = choose(&state.expectations, &received);
        let operation = match chosen {
            Some(index) => Some(state.expectations[index].operation),
            None => known_operation(&state, &received),
        };
        if let Some(operation) = operation {
            for problem in operation.check(&received) {
                state.problems.push(format!(
                    "operation `{}`: {problem}\n  request: {shown}",
                    operation.id
                ));
            }
        }
        let Some(index) = chosen else {
            let message = unmatched_message(&state.expectations, operation, &received, &shown);
            state.problems.push(message.clone());
            return wiremock::ResponseTemplate::new(404)
                .set_body_raw(format!("apigen mock: {message}"), "text/plain");
        };
        let entry = &mut state.expectations[index];
        let hit = entry.hits;
        entry.hits += 1;
        let reply = match &entry.replies {
            Replies::One(reply) => Ok(reply.clone()),
            Replies::Sequence(replies) => replies
                .get(hit)
                .or(replies.last())
                .cloned()
                .ok_or_else(|| "the sequence has no replies".to_string()),
            Replies::Pages { items, page_size } => match &entry.operation.pagination {
                Some(pagination) => {
                    page_reply(pagination, items, *page_size, &received, &self.base_url)
                }
                None => Err("the operation is not paginated".to_string()),
            },
        };
        let delay = entry.delay;
        let id = entry.operation.id;
        match reply {
            Ok(reply) => {
                let template = reply.template();
                match (delay, reply.delay) {
                    (Some(delay), None) => template.set_delay(delay),
                    _ => template,
                }
            }
            Err(why) => {
                let message =
                    format!("operation `{id}`: cannot serve a page: {why}\n  request: {shown}");
                state.problems.push(message.clone());
                wiremock::ResponseTemplate::new(400)
                    .set_body_raw(format!("apigen mock: {message}"), "text/plain")
            }
        }
    }
}

/// The expectation that answers `request`: the first that matches and still wants requests,
/// else the first that matches at all (its count then fails `times`). A used-up sequence
/// matches no more.
fn choose(expectations: &[Entry], request: &Received<'_>) -> Option<usize> {
    let matching: Vec<usize> = expectations
        .iter()
        .enumerate()
        .filter(|(_, e)| match &e.replies {
            Replies::Sequence(replies) => e.hits < replies.len(),
            _ => true,
        })
        .filter(|(_, e)| e.matchers.mismatches(e.operation, request).is_empty())
        .map(|(index, _)| index)
        .collect();
    let wants_more = |index: &&usize| match expectations[**index].times {
        Times::Exactly(n) => expectations[**index].hits < n,
        Times::Any | Times::AtLeast(_) => true,
    };
    matching
        .iter()
        .find(wants_more)
        .or(matching.first())
        .copied()
}

/// The operation whose route `request` takes, among those with expectations and those
/// [described](MockServer::describe): of two that fit (`/contacts/search` and
/// `/contacts/{id}`), the one with more literal segments, else the first.
fn known_operation(state: &State, request: &Received<'_>) -> Option<&'static Operation> {
    let literal = |op: &Operation| op.path.split('/').filter(|s| !s.contains('{')).count();
    let mut best: Option<&'static Operation> = None;
    let fitting = state
        .expectations
        .iter()
        .map(|e| e.operation)
        .chain(state.operations.iter().copied())
        .filter(|op| op.matches(request.method, request.path));
    for op in fitting {
        if best.is_none_or(|b| literal(op) > literal(b)) {
            best = Some(op);
        }
    }
    best
}

/// The failure for a request no expectation matches, naming the closest expectation and what
/// differs from it.
fn unmatched_message(
    expectations: &[Entry],
    operation: Option<&'static Operation>,
    request: &Received<'_>,
    shown: &str,
) -> String {
    let mut message = match operation {
        Some(op) => format!("operation `{}`: no expectation matches the request", op.id),
        None => "no expectation matches the request, and it is for no known operation".into(),
    };
    let closest = expectations
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let mut differences = e.matchers.mismatches(e.operation, request);
            if let Replies::Sequence(replies) = &e.replies {
                if e.hits >= replies.len() {
                    differences.push(format!("its {} replies are used up", replies.len()));
                }
            }
            // A different route weighs more than any number of differing parameters.
            let route = usize::from(!e.operation.matches(request.method, request.path));
            ((route, differences.len()), index, e, differences)
        })
        .min_by_key(|(score, index, _, _)| (*score, *index));
    match closest {
        Some((_, index, entry, differences)) => {
            let _ = write!(
                message,
                "; the closest expectation is `{}` {}: {}",
                entry.operation.id,
                describe_entry(index, entry),
                differences.join("; ")
            );
        }
        None => message.push_str("; no expectation is registered"),
    }
    let _ = write!(message, "\n  request: {shown}");
    message
}

/// The request as failures show it: method, path, query, headers and the start of the body,
/// with every credential redacted.
fn show_request(state: &State, request: &wiremock::Request) -> String {
    let operations = state
        .expectations
        .iter()
        .map(|e| e.operation)
        .chain(state.operations.iter().copied());
    let mut secret_query: Vec<String> = SECRET_QUERY_NAMES.iter().map(|s| s.to_string()).collect();
    let mut secret_headers: Vec<String> = Vec::new();
    for (location, name) in operations.flat_map(Operation::credential_names) {
        match location {
            Location::Query => secret_query.push(name.to_string()),
            Location::Header => secret_headers.push(name.to_ascii_lowercase()),
            Location::Path | Location::Cookie => {}
        }
    }
    let mut shown = format!("{} {}", request.method, request.url.path());
    let pairs: Vec<String> = request
        .url
        .query_pairs()
        .map(
            |(name, value)| match secret_query.iter().any(|s| *s == name) {
                true => format!("{name}=[redacted]"),
                false => format!("{name}={value}"),
            },
        )
        .collect();
    if !pairs.is_empty() {
        let _ = write!(shown, "?{}", pairs.join("&"));
    }
    for (name, value) in &request.headers {
        let name = name.as_str();
        let secret = is_sensitive_header(name) || secret_headers.iter().any(|s| s == name);
        let value = match secret {
            true => "[redacted]".into(),
            false => String::from_utf8_lossy(value.as_bytes()).into_owned(),
        };
        let _ = write!(shown, "\n    {name}: {value}");
    }
    if !request.body.is_empty() {
        let end = request.body.len().min(BODY_SHOWN);
        let more = match end < request.body.len() {
            true => "…",
            false => "",
        };
        let body = String::from_utf8_lossy(&request.body[..end]);
        let _ = write!(shown, "\n    body: {body}{more}");
    }
    shown
}
