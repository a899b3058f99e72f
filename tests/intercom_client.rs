//! The full Intercom 2.13 client against a loopback server: pagination by cursor parameter, by
//! cursor in the request body and by page number, and decoding of untagged unions.

use futures_util::StreamExt;
use intercom::types::{self, SearchRequestQuery};
use intercom::Client;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .bearer_token("token")
        .base_url(server.uri())
        .build()
        .expect("the client builds")
}

fn contact(id: &str) -> serde_json::Value {
    json!({"type": "contact", "id": id, "role": "user"})
}

#[tokio::test]
async fn list_contacts_follows_the_starting_after_cursor() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "list", "data": [contact("1"), contact("2")],
            "pages": {"type": "pages", "next": {"starting_after": "cursor-2"}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "cursor-2"))
        .and(query_param("per_page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "list", "data": [contact("3")], "pages": {"type": "pages"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let ids: Vec<String> = client
        .contacts()
        .list()
        .per_page(2)
        .items()
        .map(|c| c.expect("each page decodes").id.expect("an id"))
        .collect()
        .await;
    assert_eq!(ids, ["1", "2", "3"]);
}

#[tokio::test]
async fn list_articles_counts_pages_until_one_is_empty() {
    let server = MockServer::start().await;
    // The first request leaves the page to the server's default (1); then 2, 3, ….
    for (page, ids) in [
        (None, vec!["a", "b"]),
        (Some("2"), vec!["c"]),
        (Some("3"), vec![]),
    ] {
        let data: Vec<_> = ids
            .iter()
            .map(|id| json!({"type": "article", "id": id}))
            .collect();
        let page_matches = match page {
            Some(page) => Mock::given(query_param("page", page)),
            None => Mock::given(query_param_is_missing("page")),
        };
        page_matches
            .and(method("GET"))
            .and(path("/articles"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"type": "list", "data": data})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server).await;
    let pages: Vec<usize> = client
        .articles()
        .list()
        .pages()
        .map(|page| page.expect("each page decodes").len())
        .collect()
        .await;
    assert_eq!(pages, [2, 1]);
}

#[tokio::test]
async fn search_contacts_puts_the_cursor_into_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/contacts/search"))
        .and(body_partial_json(
            json!({"pagination": {"starting_after": "next-page"}}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"type": "list", "data": [contact("9")]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/contacts/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "list", "data": [contact("8")], "pages": {"next": {"starting_after": "next-page"}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let query: SearchRequestQuery = serde_json::from_value(
        json!({"field": "email", "operator": "=", "value": "a@example.com"}),
    )
    .expect("a filter");
    let body = types::SearchRequest::new(query);
    let client = client_for(&server).await;
    let ids: Vec<String> = client
        .contacts()
        .search(body)
        .items()
        .map(|c| c.expect("decodes").id.expect("an id"))
        .collect()
        .await;
    assert_eq!(ids, ["8", "9"]);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"type": "error.list", "errors": [{"code": "unauthorized"}]})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let results: Vec<_> = client.contacts().list().items().collect().await;
    assert_eq!(results.len(), 1);
    let error = results
        .into_iter()
        .next()
        .and_then(Result::err)
        .expect("an error");
    assert_eq!(error.status(), Some(401));
    assert_eq!(
        error.api_body().map(|e| e.errors[0].code.as_str()),
        Some("unauthorized")
    );
}

#[test]
fn untagged_unions_pick_the_alternative_that_fits_best() {
    let single: SearchRequestQuery =
        serde_json::from_value(json!({"field": "name", "operator": "=", "value": "Ada"}))
            .expect("decodes");
    assert!(
        matches!(single, SearchRequestQuery::SingleFilterSearchRequest(_)),
        "{single:?}"
    );
    let nested = json!({"operator": "AND", "value": [
        {"field": "created_at", "operator": ">", "value": "1306054154"},
        {"field": "name", "operator": "~", "value": "Ada"}
    ]});
    let multiple: SearchRequestQuery = serde_json::from_value(nested.clone()).expect("decodes");
    assert!(
        matches!(multiple, SearchRequestQuery::MultipleFilterSearchRequest(_)),
        "{multiple:?}"
    );
    // An empty list fits both alternatives' shapes; the one whose properties match exactly wins,
    // where plain `#[serde(untagged)]` would take the first (the single filter).
    let empty: SearchRequestQuery =
        serde_json::from_value(json!({"operator": "OR", "value": []})).expect("decodes");
    assert!(
        matches!(empty, SearchRequestQuery::MultipleFilterSearchRequest(_)),
        "{empty:?}"
    );
    // A round trip gives the same JSON back.
    assert_eq!(serde_json::to_value(&multiple).expect("serialises"), nested);
    // Operators that are symbols have readable variant names and keep their wire values.
    let op: types::SingleFilterSearchRequestOperator =
        serde_json::from_value(json!("!~")).expect("decodes");
    assert_eq!(op, types::SingleFilterSearchRequestOperator::NotContains);
    assert_eq!(op.as_str(), "!~");
}

/// `UpdateTicketRequest.company_id` ("Set to nil to remove company") is nullable: left out, it
/// is not sent; `null` is sent as `null`; a value as itself. Each request is matched by its
/// exact body, so that a property sent when it should not be fails the test.
#[tokio::test]
async fn a_nullable_request_property_is_left_out_sent_as_null_or_sent_with_its_value() {
    use intercom::Nullable;
    let server = MockServer::start().await;
    let cases = [
        (Nullable::Absent, json!({"open": true})),
        (Nullable::Null, json!({"open": true, "company_id": null})),
        (
            Nullable::Value("c1".to_string()),
            json!({"open": true, "company_id": "c1"}),
        ),
    ];
    for (i, (_, expected)) in cases.iter().enumerate() {
        Mock::given(method("PUT"))
            .and(path(format!("/tickets/{i}")))
            .and(wiremock::matchers::body_json(expected))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"type": "ticket", "id": "1"})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server).await;
    for (i, (company_id, _)) in cases.into_iter().enumerate() {
        let body = types::UpdateTicketRequestBody {
            update_ticket_request: types::UpdateTicketRequest {
                company_id,
                open: Some(true),
                ..Default::default()
            },
            ..Default::default()
        };
        client
            .tickets()
            .update(i.to_string())
            .body(body)
            .await
            .expect("the ticket decodes");
    }
}

/// A nullable response property decodes `null` and a missing property apart.
#[test]
fn a_nullable_response_property_tells_null_from_missing() {
    use intercom::Nullable;
    let decode = |value| serde_json::from_value::<types::UpdateTicketRequest>(value).unwrap();
    assert_eq!(decode(json!({})).company_id, Nullable::Absent);
    assert_eq!(
        decode(json!({"company_id": null})).company_id,
        Nullable::Null
    );
    assert_eq!(
        decode(json!({"company_id": "c1"})).company_id,
        Nullable::Value("c1".to_string())
    );
}
