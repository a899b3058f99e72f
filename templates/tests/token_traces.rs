//! Tracing of the token flow: the `oauth2.token` span and the resend after a 401 show in the
//! traces, and neither the client secret nor any access token does.
//!
//! This test has a file of its own: see `common/capture.rs`.

mod common;

use apigen_runtime::runtime::auth::Credential;
use apigen_runtime::runtime::token::OAuth2TokenProvider;
use apigen_runtime::runtime::Request;
use common::capture::Capture;
use common::{builder, call_json, TOKEN};
use serde_json::{json, Value};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn token_traces_show_the_flow_but_no_secret() {
    let server = MockServer::start().await;
    // The endpoint issues a token that the API has revoked, then a good one, then fails.
    for (n, template) in [
        (
            1,
            ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "at-SUPERSECRET-revoked", "expires_in": 3600
            })),
        ),
        (
            2,
            ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "at-SUPERSECRET-good", "expires_in": 3600
            })),
        ),
    ] {
        Mock::given(path("/oauth/token"))
            .respond_with(template)
            .up_to_n_times(1)
            .with_priority(n)
            .mount(&server)
            .await;
    }
    Mock::given(path("/things"))
        .and(header("authorization", "Bearer at-SUPERSECRET-good"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(2)
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let tokens = OAuth2TokenProvider::client_credentials(
        format!("{}/oauth/token", server.uri()),
        "client-7",
        TOKEN,
    );
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(tokens))
        .build()
        .unwrap();
    let mut request = Request::new(reqwest::Method::GET, "/things", "/things".into());
    request.security(&[&["oauth2"]]);
    call_json::<Value>(&client, request).await.unwrap();

    // The endpoint now answers 404: the failure is traced without secrets either.
    let failing = OAuth2TokenProvider::client_credentials(
        format!("{}/oauth/token", server.uri()),
        "client-7",
        TOKEN,
    );
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(failing))
        .build()
        .unwrap();
    let mut request = Request::new(reqwest::Method::GET, "/things", "/things".into());
    request.security(&[&["oauth2"]]);
    call_json::<Value>(&client, request).await.unwrap_err();

    let log = capture.log.lock().unwrap().clone();
    assert!(
        log.contains("span oauth2.token grant=\"client_credentials\""),
        "{log}"
    );
    assert!(log.contains("token fetched"), "{log}");
    assert!(log.contains("sending again with a fresh one"), "{log}");
    assert!(log.contains("the token endpoint answered 404"), "{log}");
    assert!(!log.contains("SUPERSECRET"), "{log}");
}
