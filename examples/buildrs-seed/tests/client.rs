//! The client that build.rs generated, used as a person would: against a real HTTP server on
//! loopback, checking the exact request it sends and decoding the description's documented
//! responses.

use buildrs_seed::types::{AttachContactToACompanyRequest, CompanyType};
use buildrs_seed::{Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "dG9rOnNlY3JldC10b2tlbi0xMjM0NQ==";

/// The description's `Successful` example of the 200 response (spec/openapi.yaml), as JSON.
fn upstream_200_example() -> Value {
    json!({
        "type": "company",
        "company_id": "1",
        "id": "677c55186abd011ad17ff4a3",
        "app_id": "this_is_an_id197_that_should_be_at_least_",
        "name": "company6",
        "remote_created_at": 1736201496,
        "created_at": 1736201496,
        "updated_at": 1736201496,
        "monthly_spend": 0,
        "session_count": 0,
        "user_count": 1,
        "tags": {"type": "tag.list", "tags": []},
        "segments": {"type": "segment.list", "segments": []},
        "plan": {},
        "custom_attributes": {}
    })
}

/// The description's `Unauthorized` example of the 401 response.
fn upstream_401_example() -> Value {
    json!({
        "type": "error.list",
        "request_id": "f486d079-19ca-492d-b847-e07baaef2a37",
        "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]
    })
}

async fn server_answering(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(server.uri())
        .build()
        .expect("the client builds")
}

#[tokio::test]
async fn sends_the_exact_request_and_decodes_the_upstream_200_example() {
    let server = server_answering(200, upstream_200_example()).await;
    let body = AttachContactToACompanyRequest::new("58a430d35458202d41b1e65b");
    let company = client_for(&server)
        .companies()
        .attach_contact("6/3 a?#%", body)
        .await
        .expect("the call succeeds");

    let requests = server
        .received_requests()
        .await
        .expect("requests are recorded");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    // The contact id is one percent-encoded path segment.
    assert_eq!(request.url.path(), "/contacts/6%2F3%20a%3F%23%25/companies");
    assert_eq!(request.url.query(), None);
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
    assert_eq!(
        header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(header("intercom-version"), Some("2.13"));
    assert_eq!(header("content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_eq!(sent, json!({"id": "58a430d35458202d41b1e65b"}));

    assert_eq!(company.type_, Some(CompanyType::Company));
    assert_eq!(company.id.as_deref(), Some("677c55186abd011ad17ff4a3"));
    assert_eq!(company.company_id.as_deref(), Some("1"));
    assert_eq!(company.name.as_deref(), Some("company6"));
    assert_eq!(company.created_at, Some(1736201496));
    assert_eq!(company.user_count, Some(1));
    let tags = company.tags.expect("tags are present");
    assert_eq!(tags.tags.map(|t| t.len()), Some(0));
    let segments = company.segments.expect("segments are present");
    assert_eq!(segments.segments.map(|s| s.len()), Some(0));
    assert!(company.custom_attributes.is_some_and(|a| a.is_empty()));
}

#[tokio::test]
async fn decodes_the_upstream_401_example_into_the_typed_error() {
    let server = server_answering(401, upstream_401_example()).await;
    let body = AttachContactToACompanyRequest::new("1");
    let error = client_for(&server)
        .companies()
        .attach_contact("1", body)
        .await
        .expect_err("a 401 is an error");
    let Error::Api(api) = error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status, 401);
    let body = api
        .body
        .as_ref()
        .expect("the documented error body decodes");
    assert_eq!(body.type_, "error.list");
    assert_eq!(
        body.request_id.as_deref(),
        Some("f486d079-19ca-492d-b847-e07baaef2a37")
    );
    assert_eq!(body.errors[0].code, "unauthorized");
    assert_eq!(
        body.errors[0].message.as_deref(),
        Some("Access Token Invalid")
    );
    assert!(!api.text.contains(TOKEN) && !format!("{api:?}").contains(TOKEN));
}
