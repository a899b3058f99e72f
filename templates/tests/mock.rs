//! The `mock` feature: the runtime `Client` driven against `runtime::mock::MockServer` with
//! descriptors written the way the generated code writes them, every check passing and failing.

mod common;

use std::time::Duration;

use apigen_runtime::runtime::mock::{
    decodes_json, sse_body, BodySpec, Credential, Kind, Location, MockServer, Operation, PageNext,
    PageRequest, Pagination, Param, Reply, SseEvent,
};
use apigen_runtime::runtime::{Auth, Client, Error, Request, RequestOptions, RetryPolicy, Secret};
use common::{builder, client, TOKEN};
use reqwest::Method;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize, PartialEq, Clone)]
struct Contact {
    id: String,
    email: String,
}

#[derive(Debug, Deserialize, Serialize)]
struct NewContact {
    email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

static GET_CONTACT: Operation = Operation {
    id: "getContact",
    method: "GET",
    path: "/contacts/{id}",
    params: &[
        Param::new("id", Location::Path, true),
        Param::new("expand", Location::Query, false).kind(Kind::OneOf(&["companies", "tags"])),
        Param::new("Intercom-Version", Location::Header, true),
    ],
    bodies: &[],
    body_required: false,
    security: &[&[Credential::Bearer]],
    pagination: None,
};

static CREATE_CONTACT: Operation = Operation {
    id: "createContact",
    method: "POST",
    path: "/contacts",
    params: &[],
    bodies: &[BodySpec {
        media_type: "application/json",
        check: Some(decodes_json::<NewContact>),
    }],
    body_required: true,
    security: &[],
    pagination: None,
};

static GET_INVOICE: Operation = Operation {
    id: "getInvoice",
    method: "GET",
    path: "/invoices/{number}",
    params: &[Param::new("number", Location::Path, true).kind(Kind::Integer)],
    bodies: &[],
    body_required: false,
    security: &[
        &[Credential::Header("X-Shop-Key")],
        &[Credential::Query("shop_key")],
    ],
    pagination: None,
};

static LIST_TAGS: Operation = Operation {
    id: "listTags",
    method: "GET",
    path: "/tags",
    params: &[
        Param::new("tag", Location::Query, false).list(),
        Param::new("limit", Location::Query, false).kind(Kind::Integer),
    ],
    bodies: &[],
    body_required: false,
    security: &[],
    pagination: None,
};

/// A client sending a bearer token and the version header `GET_CONTACT` requires.
fn authorised(mock: &MockServer) -> Client {
    builder(&mock.client_base_url())
        .bearer_token(TOKEN)
        .default_header("Intercom-Version", "2.11")
        .build()
        .expect("client builds")
}

fn get_contact(id: &str) -> Request {
    Request::new(Method::GET, "/contacts/{id}", format!("/contacts/{id}"))
}

async fn json<T: serde::de::DeserializeOwned>(client: &Client, request: Request) -> (u16, T) {
    let raw = client.execute::<()>(request).await.expect("a response");
    let status = raw.status();
    (status, raw.json::<T, ()>().expect("decodes").into_body())
}

fn contact(id: &str) -> Contact {
    Contact {
        id: id.into(),
        email: format!("{id}@example.com"),
    }
}

fn only(problems: Vec<String>) -> String {
    assert_eq!(problems.len(), 1, "one problem expected: {problems:#?}");
    problems.into_iter().next().unwrap_or_default()
}

#[tokio::test]
async fn a_typed_expectation_answers_a_request_that_keeps_the_description() {
    let mock = MockServer::start().await;
    let expected = mock
        .expect(&GET_CONTACT)
        .path("id", "c 1/x")
        .query("expand", "tags")
        .header("Intercom-Version", "2.11")
        .respond(200, &contact("c1"))
        .times(1);
    let client = authorised(&mock);
    let mut request = Request::new(Method::GET, "/contacts/{id}", "/contacts/c%201%2Fx".into());
    request.query("expand", "tags");
    let (status, body): (u16, Contact) = json(&client, request).await;
    assert_eq!((status, body), (200, contact("c1")));
    assert_eq!(expected.hits(), 1);
    assert_eq!(mock.problems(), Vec::<String>::new());
}

#[tokio::test]
async fn a_request_breaking_the_description_fails_even_when_an_expectation_matched() {
    let mock = MockServer::start().await;
    mock.expect(&GET_CONTACT).respond(200, &contact("c1"));
    // No `Intercom-Version` header, a value outside the enum, and no credentials.
    let client = client(&mock.client_base_url());
    let mut request = get_contact("c1");
    request.query("expand", "everything");
    let (status, _): (u16, Contact) = json(&client, request).await;
    assert_eq!(status, 200, "the matched expectation still answers");
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with(
        "operation `getContact`: the query parameter `expand` is \"everything\": not one of companies, tags"
    ));
    assert!(problems[1]
        .starts_with("operation `getContact`: the required header `Intercom-Version` is missing"));
    assert!(problems[2].starts_with(
        "operation `getContact`: the credentials the operation requires are missing (wants a bearer token in `Authorization`)"
    ));
}

#[tokio::test]
async fn a_body_that_does_not_decode_into_the_request_type_is_named() {
    let mock = MockServer::start().await;
    mock.expect(&CREATE_CONTACT).respond(200, &contact("c9"));
    let client = client(&mock.client_base_url());
    let mut request = Request::new(Method::POST, "/contacts", "/contacts".into());
    request.json_body(&serde_json::json!({ "email": 5 }));
    let _: (u16, Contact) = json(&client, request).await;
    let problem = only(mock.take_problems());
    assert!(
        problem.starts_with(
            "operation `createContact`: the body does not decode into the request type: at `email`: invalid type: integer `5`, expected a string"
        ),
        "{problem}"
    );
}

#[tokio::test]
async fn a_body_of_another_media_type_or_a_missing_body_is_named() {
    let mock = MockServer::start().await;
    mock.expect(&CREATE_CONTACT).respond(200, &contact("c9"));
    let client = client(&mock.client_base_url());
    let mut request = Request::new(Method::POST, "/contacts", "/contacts".into());
    request.text_body("text/plain", "email=a".into());
    let _: (u16, Contact) = json(&client, request).await;
    let empty = Request::new(Method::POST, "/contacts", "/contacts".into());
    let _: (u16, Contact) = json(&client, empty).await;
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with(
        "operation `createContact`: the body's media type `text/plain` is not one the operation accepts (application/json)"
    ));
    assert!(problems[1]
        .starts_with("operation `createContact`: the request body is required but none was sent"));
}

#[tokio::test]
async fn a_typed_body_matcher_compares_json_values() {
    let mock = MockServer::start().await;
    let new = NewContact {
        email: "a@example.com".into(),
        name: Some("A".into()),
    };
    mock.expect(&CREATE_CONTACT)
        .body(&new)
        .respond(201, &contact("c2"))
        .times(1);
    let client = client(&mock.client_base_url());
    let mut request = Request::new(Method::POST, "/contacts", "/contacts".into());
    request.json_body(&serde_json::json!({ "name": "A", "email": "a@example.com" }));
    let (status, body): (u16, Contact) = json(&client, request).await;
    assert_eq!((status, body.id.as_str()), (201, "c2"));
}

#[tokio::test]
async fn a_malformed_path_parameter_and_each_alternative_of_security_are_checked() {
    let mock = MockServer::start().await;
    mock.expect(&GET_INVOICE)
        .respond(200, &serde_json::json!({}));
    let by_header = builder(&mock.client_base_url())
        .auth(Auth::Header {
            name: "X-Shop-Key".into(),
            value: Secret::new(TOKEN),
        })
        .build()
        .expect("client builds");
    let by_query = builder(&mock.client_base_url())
        .auth(Auth::Query {
            name: "shop_key".into(),
            value: Secret::new(TOKEN),
        })
        .build()
        .expect("client builds");
    let invoice =
        |n: &str| Request::new(Method::GET, "/invoices/{number}", format!("/invoices/{n}"));
    let _: (u16, serde_json::Value) = json(&by_header, invoice("12")).await;
    let _: (u16, serde_json::Value) = json(&by_query, invoice("13")).await;
    assert_eq!(mock.problems(), Vec::<String>::new());
    let _: (u16, serde_json::Value) = json(&by_query, invoice("twelve")).await;
    let _: (u16, serde_json::Value) = json(&client(&mock.client_base_url()), invoice("14")).await;
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with(
        "operation `getInvoice`: the path parameter `number` is \"twelve\": not an integer"
    ));
    assert!(problems[1].starts_with(
        "operation `getInvoice`: the credentials the operation requires are missing (wants the header `X-Shop-Key`, or the query parameter `shop_key`)"
    ));
    // The query key is redacted in the request each failure shows.
    assert!(
        problems[0].contains("shop_key=[redacted]"),
        "{}",
        problems[0]
    );
    assert!(problems.iter().all(|p| !p.contains(TOKEN)));
}

#[tokio::test]
async fn list_parameters_match_repeated_or_comma_joined_values_and_check_each() {
    let mock = MockServer::start().await;
    mock.expect(&LIST_TAGS)
        .query("tag", &["a", "b"])
        .respond(200, &["a", "b"])
        .at_least(2);
    let client = client(&mock.client_base_url());
    let mut repeated = Request::new(Method::GET, "/tags", "/tags".into());
    repeated.query("tag", "a");
    repeated.query("tag", "b");
    let mut joined = Request::new(Method::GET, "/tags", "/tags".into());
    joined.query("tag", "a,b");
    let _: (u16, Vec<String>) = json(&client, repeated).await;
    let _: (u16, Vec<String>) = json(&client, joined).await;
    assert_eq!(mock.problems(), Vec::<String>::new());
    let mut twice = Request::new(Method::GET, "/tags", "/tags".into());
    twice.query("tag", "a,b");
    twice.query("limit", "1");
    twice.query("limit", "2");
    let _: (u16, Vec<String>) = json(&client, twice).await;
    let problem = only(mock.take_problems());
    assert!(problem.starts_with(
        "operation `listTags`: the query parameter `limit` takes one value but 2 were sent"
    ));
}

#[tokio::test]
async fn an_unmatched_request_fails_and_names_the_closest_expectation() {
    let mock = MockServer::start().await;
    mock.expect(&CREATE_CONTACT).respond(200, &contact("c0"));
    mock.expect(&GET_CONTACT)
        .path("id", "c1")
        .query("expand", "tags")
        .respond(200, &contact("c1"));
    mock.expect(&GET_CONTACT)
        .path("id", "c2")
        .respond(200, &contact("c2"));
    let client = authorised(&mock);
    let mut request = get_contact("c1");
    request.query("expand", "companies");
    let raw = client.execute::<()>(request).await.expect("a response");
    assert_eq!(raw.status(), 404);
    let problem = only(mock.take_problems());
    assert_eq!(
        problem.lines().next().unwrap_or_default(),
        "operation `getContact`: no expectation matches the request; the closest expectation is \
         `getContact` #2 (path id = \"c1\", query expand = [\"tags\"]): query `expand` should be \
         [\"tags\"], is [\"companies\"]"
    );
    // The request shown redacts the token.
    assert!(problem.contains("authorization: [redacted]"), "{problem}");
    assert!(!problem.contains(TOKEN));
}

#[tokio::test]
async fn a_request_for_no_known_operation_is_unmatched() {
    let mock = MockServer::start().await;
    mock.describe(&[&LIST_TAGS]);
    let client = client(&mock.client_base_url());
    let raw = client
        .execute::<()>(Request::new(Method::DELETE, "/nowhere", "/nowhere".into()))
        .await
        .expect("a response");
    assert_eq!(raw.status(), 404);
    let mut tags = Request::new(Method::GET, "/tags", "/tags".into());
    tags.query("limit", "ten");
    client.execute::<()>(tags).await.expect("a response");
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with(
        "no expectation matches the request, and it is for no known operation; no expectation is registered\n  request: DELETE /nowhere"
    ));
    // A described operation is checked even with no expectation for it.
    assert!(problems[1].starts_with(
        "operation `listTags`: the query parameter `limit` is \"ten\": not an integer"
    ));
    assert!(problems[2].starts_with("operation `listTags`: no expectation matches the request"));
}

#[tokio::test]
#[should_panic(
    expected = "operation `getContact`: expectation #1 (path id = \"c1\") wanted exactly 2 request(s) and received 1"
)]
async fn unmet_times_fail_when_the_mock_is_dropped() {
    let mock = MockServer::start().await;
    mock.expect(&GET_CONTACT)
        .path("id", "c1")
        .respond(200, &contact("c1"))
        .times(2);
    let client = authorised(&mock);
    let _: (u16, Contact) = json(&client, get_contact("c1")).await;
}

#[tokio::test]
#[should_panic(
    expected = "the API mock found problems:\n- operation `createContact`: the request body is required"
)]
async fn a_broken_request_fails_the_test_when_the_mock_is_dropped() {
    let mock = MockServer::start().await;
    mock.expect(&CREATE_CONTACT).respond(200, &contact("c1"));
    let client = client(&mock.client_base_url());
    let request = Request::new(Method::POST, "/contacts", "/contacts".into());
    let _: (u16, Contact) = json(&client, request).await;
}

#[tokio::test]
async fn a_sequence_serves_a_429_with_retry_after_then_a_200() {
    let mock = MockServer::start().await;
    let expected = mock.expect(&GET_CONTACT).reply_sequence([
        Reply::json(429, &serde_json::json!({ "message": "slow down" })).header("Retry-After", "0"),
        Reply::json(200, &contact("c1")),
    ]);
    let client = authorised(&mock);
    let (status, body): (u16, Contact) = json(&client, get_contact("c1")).await;
    assert_eq!((status, body), (200, contact("c1")));
    assert_eq!(expected.hits(), 2);
    // Used up, the sequence matches no more.
    let raw = client
        .execute::<()>(get_contact("c1"))
        .await
        .expect("a response");
    assert_eq!(raw.status(), 404);
    let problem = only(mock.take_problems());
    assert!(problem.contains("its 2 replies are used up"), "{problem}");
}

#[tokio::test]
async fn a_delay_makes_the_client_time_out() {
    let mock = MockServer::start().await;
    mock.expect(&GET_CONTACT)
        .respond(200, &contact("c1"))
        .delay(Duration::from_millis(400))
        .times(1);
    let client = authorised(&mock);
    let mut request = get_contact("c1");
    request.options(
        RequestOptions::new()
            .timeout(Duration::from_millis(50))
            .retry_policy(RetryPolicy::none()),
    );
    let error = client.execute::<()>(request).await.expect_err("times out");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
}

#[tokio::test]
async fn respond_raw_sends_exactly_what_it_is_given() {
    let mock = MockServer::start().await;
    mock.expect(&GET_CONTACT)
        .respond_raw(
            503,
            &[("content-type", "text/html"), ("x-trace", "t1")],
            "<h1>down</h1>",
        )
        .times(1);
    let client = builder(&mock.client_base_url())
        .bearer_token(TOKEN)
        .default_header("Intercom-Version", "2.11")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds");
    let raw = client
        .execute::<()>(get_contact("c1"))
        .await
        .expect("a response");
    assert_eq!(raw.status(), 503);
    assert_eq!(raw.content_type(), Some("text/html"));
    assert_eq!(raw.headers()["x-trace"], "t1");
    assert_eq!(raw.body(), b"<h1>down</h1>");
}

#[test]
fn events_are_framed_as_an_event_stream() {
    let events = [
        SseEvent::data("first line\nsecond line")
            .event("message")
            .id("1"),
        SseEvent::comment("keep-alive"),
        SseEvent::json(&serde_json::json!({ "done": true })).retry(500),
        SseEvent::data("x").event("bad\nname"),
    ];
    assert_eq!(
        sse_body(&events),
        "event: message\nid: 1\ndata: first line\ndata: second line\n\n\
         : keep-alive\n\n\
         retry: 500\ndata: {\"done\":true}\n\n\
         event: bad name\ndata: x\n\n"
    );
}

#[tokio::test]
async fn a_stream_of_events_is_served_as_text_event_stream() {
    let mock = MockServer::start().await;
    let events = [SseEvent::data("a"), SseEvent::data("b").event("end")];
    mock.expect(&GET_CONTACT).respond_events(&events).times(1);
    let raw = authorised(&mock)
        .execute::<()>(get_contact("c1"))
        .await
        .expect("a response");
    assert_eq!(raw.content_type(), Some("text/event-stream"));
    assert_eq!(raw.body(), b"data: a\n\nevent: end\ndata: b\n\n");
}

static LIST_BY_CURSOR: Operation = Operation {
    id: "listContacts",
    method: "GET",
    path: "/contacts",
    params: &[
        Param::new("starting_after", Location::Query, false),
        Param::new("per_page", Location::Query, false).kind(Kind::Integer),
    ],
    bodies: &[],
    body_required: false,
    security: &[],
    pagination: Some(Pagination {
        request: PageRequest::Cursor {
            cursor: "starting_after",
            limit: Some("per_page"),
        },
        items: "/data",
        next: PageNext::Cursor("/pages/next/starting_after"),
    }),
};

static LIST_BY_OFFSET: Operation = Operation {
    id: "listEvents",
    method: "GET",
    path: "/events",
    params: &[
        Param::new("offset", Location::Query, false).kind(Kind::Integer),
        Param::new("limit", Location::Query, false).kind(Kind::Integer),
    ],
    bodies: &[],
    body_required: false,
    security: &[],
    pagination: Some(Pagination {
        request: PageRequest::Offset {
            offset: "offset",
            limit: "limit",
        },
        items: "/items",
        next: PageNext::Stop,
    }),
};

static LIST_BY_LINK: Operation = Operation {
    id: "listRepos",
    method: "GET",
    path: "/repos",
    params: &[
        Param::new("page", Location::Query, false).kind(Kind::Integer),
        Param::new("per_page", Location::Query, false).kind(Kind::Integer),
    ],
    bodies: &[],
    body_required: false,
    security: &[],
    pagination: Some(Pagination {
        request: PageRequest::Page {
            page: "page",
            per_page: "per_page",
            first: 1,
        },
        items: "",
        next: PageNext::LinkHeader,
    }),
};

#[derive(Deserialize)]
struct CursorPage {
    data: Vec<u32>,
    pages: Option<serde_json::Value>,
}

#[tokio::test]
async fn pages_follow_the_cursors_the_mock_gives() {
    let mock = MockServer::start().await;
    mock.expect(&LIST_BY_CURSOR).pages(&[1, 2, 3, 4, 5], 2);
    let client = client(&mock.client_base_url());
    let mut cursor: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let mut request = Request::new(Method::GET, "/contacts", "/contacts".into());
        if let Some(cursor) = &cursor {
            request.query("starting_after", cursor.clone());
        }
        let (_, page): (u16, CursorPage) = json(&client, request).await;
        seen.push(page.data);
        cursor = page
            .pages
            .and_then(|p| p["next"]["starting_after"].as_str().map(str::to_string));
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, vec![vec![1, 2], vec![3, 4], vec![5]]);
    // A cursor the mock did not give cannot be served.
    let mut forged = Request::new(Method::GET, "/contacts", "/contacts".into());
    forged.query("starting_after", "c42");
    let raw = client.execute::<()>(forged).await.expect("a response");
    assert_eq!(raw.status(), 400);
    // A cursor of the mock's form past every count is an empty last page, not an overflow.
    let mut far = Request::new(Method::GET, "/contacts", "/contacts".into());
    far.query("starting_after", format!("mock-cursor-{}", usize::MAX));
    let (_, page): (u16, CursorPage) = json(&client, far).await;
    assert!(page.data.is_empty() && page.pages.is_none());
    let problem = only(mock.take_problems());
    assert!(problem.starts_with(
        "operation `listContacts`: cannot serve a page: the cursor \"c42\" is not one the mock gave"
    ));
}

#[tokio::test]
async fn pages_by_offset_honour_the_requested_limit() {
    let mock = MockServer::start().await;
    mock.expect(&LIST_BY_OFFSET)
        .pages(&["a", "b", "c", "d"], 10);
    let client = client(&mock.client_base_url());
    let mut request = Request::new(Method::GET, "/events", "/events".into());
    request.query("offset", "1");
    request.query("limit", "2");
    let (_, body): (u16, serde_json::Value) = json(&client, request).await;
    assert_eq!(body, serde_json::json!({ "items": ["b", "c"] }));
}

#[tokio::test]
async fn pages_by_number_link_to_the_next_page() {
    let mock = MockServer::start().await;
    mock.expect(&LIST_BY_LINK).pages(&[10, 20, 30], 2);
    let client = client(&mock.client_base_url());
    let mut first = Request::new(Method::GET, "/repos", "/repos".into());
    first.query("per_page", "2");
    let raw = client.execute::<()>(first).await.expect("a response");
    let link = raw.headers()["link"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        link,
        format!(
            "<{}/repos?per_page=2&page=2>; rel=\"next\"",
            mock.client_base_url()
        )
    );
    assert_eq!(
        raw.json::<Vec<u32>, ()>().expect("decodes").into_body(),
        vec![10, 20]
    );
    let mut second = Request::new(Method::GET, "/repos", "/repos".into());
    second.query("per_page", "2");
    second.query("page", "2");
    let raw = client.execute::<()>(second).await.expect("a response");
    assert!(
        raw.headers().get("link").is_none(),
        "the last page links nowhere"
    );
    assert_eq!(
        raw.json::<Vec<u32>, ()>().expect("decodes").into_body(),
        vec![30]
    );
}

static LIST_BY_URL: Operation = Operation {
    id: "listOrders",
    method: "GET",
    path: "/orders",
    params: &[Param::new("offset", Location::Query, false).kind(Kind::Integer)],
    bodies: &[],
    body_required: false,
    security: &[],
    pagination: Some(Pagination {
        request: PageRequest::Offset {
            offset: "offset",
            limit: "limit",
        },
        items: "/result/orders",
        next: PageNext::Url("/result/next"),
    }),
};

#[derive(Debug, Deserialize)]
struct OrderPage {
    result: OrderResult,
}

#[derive(Debug, Deserialize)]
struct OrderResult {
    orders: Vec<String>,
    next: Option<String>,
}

#[tokio::test]
async fn the_runtime_item_stream_follows_next_urls_through_the_mock() {
    use futures_util::StreamExt;
    let mock = MockServer::start().await;
    let orders: Vec<String> = (1..=5).map(|n| format!("o{n}")).collect();
    mock.expect(&LIST_BY_URL).pages(&orders, 2).at_least(3);
    let client = client(&mock.client_base_url());
    let base = mock.client_base_url();
    let fetch = |path: String| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            let request = Request::new(Method::GET, "/orders", path);
            let raw = client.execute::<()>(request).await?;
            let page = raw.json::<OrderPage, ()>()?.into_body().result;
            let next = page
                .next
                .map(|url| url.trim_start_matches(&base).to_string());
            Ok::<_, Error<()>>((page.orders, next))
        }
    };
    let collected: Vec<String> = apigen_runtime::runtime::items("/orders".to_string(), fetch)
        .map(|item| item.expect("every page is served"))
        .collect()
        .await;
    assert_eq!(collected, orders);
}

#[test]
fn descriptors_are_statics_the_generated_code_can_write() {
    // `static`s above compile; a `const` works too, as the generator may prefer.
    const OP: Operation = Operation {
        id: "ping",
        method: "GET",
        path: "/ping",
        params: &[],
        bodies: &[],
        body_required: false,
        security: &[],
        pagination: None,
    };
    assert!(OP.matches("get", "/ping"));
    assert!(!OP.matches("GET", "/ping/more"));
    assert_eq!(
        GET_CONTACT.match_path("/contacts/a%2Fb"),
        Some(vec![("id", "a/b".to_string())])
    );
}

#[tokio::test]
async fn failures_redact_api_key_headers_cookies_and_key_query_parameters() {
    let mock = MockServer::start().await;
    mock.describe(&[&GET_INVOICE]);
    let client = builder(&mock.client_base_url())
        .auth(Auth::Header {
            name: "X-Shop-Key".into(),
            value: Secret::new(TOKEN),
        })
        .build()
        .expect("client builds");
    let mut request = Request::new(Method::GET, "/invoices/{number}", "/invoices/x".into());
    request.header("Cookie", &format!("session={TOKEN}"));
    request.query("api_key", TOKEN);
    request.query("shop_key", TOKEN);
    client.execute::<()>(request).await.expect("a response");
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    let shown = &mock.received()[0];
    assert!(
        shown.starts_with("GET /invoices/x?api_key=[redacted]&shop_key=[redacted]"),
        "{shown}"
    );
    assert!(shown.contains("x-shop-key: [redacted]"), "{shown}");
    assert!(shown.contains("cookie: [redacted]"), "{shown}");
    for text in problems.iter().chain(mock.received().iter()) {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

static UPLOAD: Operation = Operation {
    id: "uploadFile",
    method: "PUT",
    path: "/files/{name}.bin",
    params: &[Param::new("name", Location::Path, true)],
    bodies: &[
        BodySpec {
            media_type: "image/*",
            check: None,
        },
        BodySpec {
            media_type: "application/octet-stream",
            check: None,
        },
    ],
    body_required: true,
    security: &[],
    pagination: None,
};

#[tokio::test]
async fn media_type_wildcards_and_segments_with_literal_parts_are_understood() {
    let mock = MockServer::start().await;
    mock.expect(&UPLOAD)
        .path("name", "a b")
        .respond_empty(204)
        .times(2);
    let client = client(&mock.client_base_url());
    let upload = |content_type: &str| {
        let mut request = Request::new(Method::PUT, "/files/{name}.bin", "/files/a%20b.bin".into());
        request.bytes_body(content_type, vec![1, 2, 3]);
        request
    };
    for content_type in ["image/png", "application/octet-stream"] {
        let raw = client
            .execute::<()>(upload(content_type))
            .await
            .expect("a response");
        assert_eq!(raw.status(), 204);
    }
    assert_eq!(mock.problems(), Vec::<String>::new());
    assert_eq!(UPLOAD.match_path("/files/a.txt"), None);
    client
        .execute::<()>(upload("text/csv"))
        .await
        .expect("a response");
    let problems = mock.take_problems();
    assert!(problems[0].starts_with(
        "operation `uploadFile`: the body's media type `text/csv` is not one the operation accepts (image/*, application/octet-stream)"
    ), "{problems:#?}");
}

static GET_CART: Operation = Operation {
    id: "getCart",
    method: "GET",
    path: "/cart",
    params: &[Param::new("region", Location::Cookie, true).kind(Kind::OneOf(&["eu", "us"]))],
    bodies: &[],
    body_required: false,
    security: &[&[Credential::Basic], &[Credential::Cookie("sid")]],
    pagination: None,
};

#[tokio::test]
async fn cookie_parameters_and_basic_or_cookie_credentials_are_checked() {
    let mock = MockServer::start().await;
    mock.expect(&GET_CART).respond(200, &serde_json::json!([]));
    let cart = |cookie: Option<&str>| {
        let mut request = Request::new(Method::GET, "/cart", "/cart".into());
        if let Some(cookie) = cookie {
            request.header("Cookie", cookie);
        }
        request
    };
    let basic = builder(&mock.client_base_url())
        .basic_auth("ann", TOKEN)
        .build()
        .expect("client builds");
    let anonymous = client(&mock.client_base_url());
    basic
        .execute::<()>(cart(Some("region=eu")))
        .await
        .expect("a response");
    let session = format!("region=us; sid={TOKEN}");
    anonymous
        .execute::<()>(cart(Some(&session)))
        .await
        .expect("a response");
    assert_eq!(mock.problems(), Vec::<String>::new());
    anonymous
        .execute::<()>(cart(Some("region=mars")))
        .await
        .expect("a response");
    basic.execute::<()>(cart(None)).await.expect("a response");
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0]
        .starts_with("operation `getCart`: the cookie `region` is \"mars\": not one of eu, us"));
    assert!(problems[1].starts_with(
        "operation `getCart`: the credentials the operation requires are missing (wants basic credentials in `Authorization`, or the cookie `sid`)"
    ));
    assert!(problems[2].starts_with("operation `getCart`: the required cookie `region` is missing"));
    assert!(mock.received().iter().all(|r| !r.contains(TOKEN)));
}

static SEARCH_CONTACTS: Operation = Operation {
    id: "searchContacts",
    method: "GET",
    path: "/contacts/search",
    params: &[Param::new("q", Location::Query, true)],
    bodies: &[],
    body_required: false,
    security: &[],
    pagination: None,
};

#[tokio::test]
async fn an_unmatched_request_is_checked_against_the_most_literal_route() {
    let mock = MockServer::start().await;
    mock.describe(&[&GET_CONTACT, &SEARCH_CONTACTS]);
    let client = client(&mock.client_base_url());
    let search = Request::new(Method::GET, "/contacts/search", "/contacts/search".into());
    client.execute::<()>(search).await.expect("a response");
    let problems = mock.take_problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0]
        .starts_with("operation `searchContacts`: the required query parameter `q` is missing"));
    assert!(problems[1].starts_with("operation `searchContacts`: no expectation matches"));
}

#[tokio::test]
#[should_panic(expected = "the code under test gave up")]
async fn a_test_already_failing_keeps_its_own_panic_and_does_not_abort() {
    let mock = MockServer::start().await;
    let client = client(&mock.client_base_url());
    let raw = client
        .execute::<()>(get_contact("c1"))
        .await
        .expect("a response");
    // The mock's problems go to stderr while this panic unwinds; a second panic would abort.
    assert_eq!(raw.status(), 200, "the code under test gave up");
}

#[tokio::test]
async fn an_empty_or_other_scheme_authorization_is_not_the_bearer_token_required() {
    let mock = MockServer::start().await;
    mock.expect(&GET_CONTACT).respond(200, &contact("c1"));
    let client = client(&mock.client_base_url());
    for authorization in ["Bearer ", "Basic YTpi", "Bearertoken", "bearer t0k"] {
        let mut request = get_contact("c1");
        request.header("Authorization", authorization);
        request.header("Intercom-Version", "2.11");
        client.execute::<()>(request).await.expect("a response");
    }
    let problems = mock.take_problems();
    // The scheme is case-insensitive: only the last one carries a bearer token.
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems
        .iter()
        .all(|p| p.contains("the credentials the operation requires are missing")));
}
