//! The generated seed client, used as a person would: against a real HTTP server on loopback,
//! checking the exact request it sends and how it decodes what the server answers, including every
//! example the upstream description documents for this endpoint.

use intercom_seed::types::{AttachContactToACompanyRequest, CompanyPlan, CompanyType};
use intercom_seed::{Client, Error, Server};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "dG9rOnNlY3JldC10b2tlbi0xMjM0NQ==";

/// The upstream description's examples for this operation, read from the spec copy.
fn upstream_examples(status: &str) -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/spec/intercom-seed/openapi.yaml"
    ))
    .expect("the seed description is readable");
    let doc: Value = serde_yaml::from_str(&text).expect("the seed description is YAML");
    let examples = doc
        .pointer(&format!("/paths/~1contacts~1{{id}}~1companies/post/responses/{status}/content/application~1json/examples"))
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("the description has examples for {status}"));
    examples
        .iter()
        .map(|(name, e)| (name.clone(), e["value"].clone()))
        .collect()
}

async fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(server.uri())
        .build()
        .expect("the client builds")
}

fn body() -> AttachContactToACompanyRequest {
    AttachContactToACompanyRequest::new("58a430d35458202d41b1e65b")
}

#[tokio::test]
async fn sends_the_exact_request() {
    let server = MockServer::start().await;
    let (_, company) = upstream_examples("200").remove(0);
    Mock::given(method("POST"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("intercom-version", "2.13"))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_json(json!({"id": "58a430d35458202d41b1e65b"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(company))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let company = client
        .companies()
        .attach_contact("63a07ddf05a32042dffac965", body())
        .await
        .expect("the call succeeds");
    assert_eq!(company.id.as_deref(), Some("677c55186abd011ad17ff4a3"));
    let requests = server
        .received_requests()
        .await
        .expect("requests are recorded");
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/contacts/63a07ddf05a32042dffac965/companies"
    );
    assert!(requests[0].url.query().is_none());
}

#[tokio::test]
async fn a_contact_id_with_reserved_characters_stays_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    client
        .companies()
        .attach_contact("a/b?c%d#e f", body())
        .await
        .expect("the call succeeds");
    let requests = server
        .received_requests()
        .await
        .expect("requests are recorded");
    assert_eq!(
        requests[0].url.path(),
        "/contacts/a%2Fb%3Fc%25d%23e%20f/companies"
    );
    assert!(requests[0].url.query().is_none() && requests[0].url.fragment().is_none());
}

#[tokio::test]
async fn the_version_header_can_be_overridden_per_call() {
    let server = MockServer::start().await;
    Mock::given(header("intercom-version", "Unstable"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    client
        .companies()
        .attach_contact("1", body())
        .intercom_version(intercom_seed::types::IntercomVersion::Unstable)
        .await
        .expect("the call succeeds");
}

#[tokio::test]
async fn the_upstream_200_example_decodes_with_status_and_headers() {
    let server = MockServer::start().await;
    for (_, example) in upstream_examples("200") {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(example.clone())
                    .insert_header("x-request-id", "req-1"),
            )
            .mount(&server)
            .await;
        let client = client_for(&server).await;
        let response = client
            .companies()
            .attach_contact("1", body())
            .send_with_response()
            .await
            .expect("decodes");
        assert_eq!(response.status(), 200);
        assert_eq!(response.request_id(), Some("req-1"));
        let company = response.into_body();
        assert_eq!(company.type_, Some(CompanyType::Company));
        assert_eq!(company.name.as_deref(), Some("company6"));
        assert_eq!(company.tags.and_then(|t| t.tags).map(|t| t.len()), Some(0));
        // The example's `plan` is `{}`: present, with none of its properties.
        assert_eq!(company.plan, Some(CompanyPlan::default()));
    }
}

#[tokio::test]
async fn custom_attributes_hold_what_the_api_really_sends() {
    let server = MockServer::start().await;
    let sent = json!({"type": "company", "custom_attributes": {"paid_subscriber": true, "monthly_spend": 155.5, "team_mates": 9, "tier": "gold"}});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sent))
        .mount(&server)
        .await;
    let company = client_for(&server)
        .await
        .companies()
        .attach_contact("1", body())
        .await
        .expect("decodes");
    let attributes = company.custom_attributes.expect("present");
    assert_eq!(attributes["paid_subscriber"], json!(true));
    assert_eq!(attributes["monthly_spend"], json!(155.5));
    assert_eq!(attributes["tier"], json!("gold"));
}

#[tokio::test]
async fn every_upstream_error_example_decodes_into_the_typed_error() {
    let server = MockServer::start().await;
    let mut seen = 0;
    for status in ["400", "401", "404"] {
        for (name, example) in upstream_examples(status) {
            server.reset().await;
            let code: u16 = status.parse().expect("a status");
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(code).set_body_json(example.clone()))
                .mount(&server)
                .await;
            let error = client_for(&server)
                .await
                .companies()
                .attach_contact("1", body())
                .await
                .expect_err("an error");
            let Error::Api(api) = &error else {
                panic!("{status} {name}: expected an API error, got {error:?}")
            };
            assert_eq!(api.status, code);
            let list = api
                .body
                .as_ref()
                .unwrap_or_else(|| panic!("{status} {name}: the error list decodes"));
            assert_eq!(list.type_, "error.list");
            assert_eq!(list.request_id.as_deref(), example["request_id"].as_str());
            assert_eq!(
                list.errors[0].code,
                example["errors"][0]["code"].as_str().expect("a code")
            );
            assert_eq!(
                list.errors[0].message.as_deref(),
                example["errors"][0]["message"].as_str()
            );
            assert!(api.text.contains("error.list"));
            seen += 1;
        }
    }
    assert_eq!(seen, 4, "the description documents four error examples");
}

#[tokio::test]
async fn unknown_enum_values_and_extra_fields_decode() {
    let server = MockServer::start().await;
    let sent = json!({
        "type": "company.v2",
        "brand_new_field": {"nested": [1, 2, 3]},
        "segments": {"type": "segment.list", "segments": [{"type": "segment", "person_type": "visitor", "count": null}]}
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sent))
        .mount(&server)
        .await;
    let company = client_for(&server)
        .await
        .companies()
        .attach_contact("1", body())
        .await
        .expect("decodes");
    assert_eq!(
        company.type_,
        Some(CompanyType::Unknown("company.v2".into()))
    );
    let segment = &company.segments.and_then(|s| s.segments).expect("segments")[0];
    assert_eq!(
        segment.person_type.as_ref().map(|p| p.as_str()),
        Some("visitor")
    );
    // `count` is nullable, and the server sent `null`, not nothing.
    assert_eq!(segment.count, intercom_seed::Nullable::Null);
}

#[tokio::test]
async fn an_html_500_is_an_error_with_status_and_text() {
    let server = MockServer::start().await;
    let page = "<html><body><h1>Internal Server Error</h1></body></html>";
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .await
        .companies()
        .attach_contact("1", body())
        .await
        .expect_err("an error");
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status, 500);
    assert!(api.body.is_none());
    assert!(api.text.contains("Internal Server Error"));
    assert!(error.to_string().contains("500"), "{error}");
}

#[tokio::test]
async fn the_token_never_shows() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"type": "error.list", "errors": [{"code": "unauthorized"}]})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    assert!(!format!("{client:?}").contains(TOKEN));
    let builder = Client::builder().bearer_token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let error = client
        .companies()
        .attach_contact("1", body())
        .await
        .expect_err("401");
    for text in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(!text.contains(TOKEN), "the token shows in {text}");
    }
    // A transport error names no token either.
    let dead = Client::builder()
        .bearer_token(TOKEN)
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("builds");
    let error = dead
        .companies()
        .attach_contact("1", body())
        .await
        .expect_err("no server there");
    for text in [format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "the token shows in {text}");
    }
}

#[test]
fn servers_are_selectable() {
    assert_eq!(
        Client::new(TOKEN).expect("builds").base_url(),
        "https://api.intercom.io"
    );
    let eu = Client::builder()
        .bearer_token(TOKEN)
        .server(Server::Eu)
        .build()
        .expect("builds");
    assert_eq!(eu.base_url(), "https://api.eu.intercom.io");
    let au = Client::builder()
        .bearer_token(TOKEN)
        .server(Server::Au)
        .build()
        .expect("builds");
    assert_eq!(au.base_url(), "https://api.au.intercom.io");
    let client = Client::new(TOKEN).expect("builds");
    let clone = client.clone();
    assert_eq!(clone.base_url(), client.base_url());
}
