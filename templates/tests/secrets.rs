//! The credential never shows: not in `Debug`, `Display`, error text, nor traces.

mod common;

use std::fmt::Debug;
use std::time::Duration;

use apigen_runtime::runtime::{
    path_segment, Auth, ClientBuilder, Error, RequestOptions, RetryPolicy, Secret,
};
use common::{builder, call_json, get, silent_server, ApiErrorBody, TOKEN};
use serde_json::Value;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Asserts that neither `Display` nor `Debug` (plain and pretty) of `value` shows the token.
fn assert_hidden<T: Debug + std::fmt::Display>(what: &str, value: &T) {
    for text in [
        value.to_string(),
        format!("{value:?}"),
        format!("{value:#?}"),
    ] {
        assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
        assert!(
            !text.contains("SUPERSECRET"),
            "{what} shows part of the token: {text}"
        );
    }
}

/// Asserts that `Debug` of `value` does not show the token.
fn assert_debug_hidden<T: Debug>(what: &str, value: &T) {
    for text in [format!("{value:?}"), format!("{value:#?}")] {
        assert!(
            !text.contains("SUPERSECRET"),
            "{what} shows the token: {text}"
        );
    }
}

/// Every way the tests authenticate, each carrying the token.
fn auths() -> Vec<Auth> {
    vec![
        Auth::Bearer(Secret::new(TOKEN)),
        Auth::Basic {
            username: "ada".into(),
            password: Secret::new(TOKEN),
        },
        Auth::Header {
            name: "X-Api-Key".into(),
            value: Secret::new(TOKEN),
        },
        Auth::Query {
            name: "api_key".into(),
            value: Secret::new(TOKEN),
        },
    ]
}

#[test]
fn secrets_auth_builders_and_clients_are_redacted() {
    let secret = Secret::new(TOKEN);
    assert_hidden("Secret", &secret);
    assert_eq!(format!("{secret:?}"), "Secret(..redacted..)");
    assert_eq!(secret.expose(), TOKEN);

    for auth in auths() {
        assert_debug_hidden("Auth", &auth);
        let builder = ClientBuilder::new("https://api.example.com", "test/1")
            .auth(auth)
            .default_header("X-Api-Token", TOKEN);
        assert_debug_hidden("ClientBuilder", &builder);
        let client = builder.build().unwrap();
        assert_debug_hidden("Client", &client);
        assert!(format!("{client:?}").contains("https://api.example.com"));
    }

    let options = RequestOptions::new().header("Authorization", TOKEN);
    assert_debug_hidden("RequestOptions", &options);
    let mut request = get("/");
    request.header("X-Token", TOKEN);
    request.query("token", TOKEN);
    request.json_body(&serde_json::json!({ "token": TOKEN }));
    request.options(options);
    assert_debug_hidden("Request", &request);
}

#[tokio::test]
async fn no_error_kind_shows_the_token() {
    let server = MockServer::start().await;
    Mock::given(path("/html"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_raw("<html>oops</html>", "text/html")
                .insert_header("Set-Cookie", format!("session={TOKEN}")),
        )
        .mount(&server)
        .await;
    Mock::given(path("/malformed"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"a\":", "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/large"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(vec![b'x'; 4096])
                .insert_header("Set-Cookie", format!("session={TOKEN}")),
        )
        .mount(&server)
        .await;
    let silent = silent_server().await;
    let closed = common::closed_port_url().await;
    let (reset, _) = common::reset_mid_body_server().await;

    for auth in auths() {
        let make = |url: &str| {
            builder(url)
                .auth(auth.clone())
                .timeout(Duration::from_millis(200))
                .retry_policy(RetryPolicy::none())
                .max_response_size(1024)
                .build()
                .unwrap()
        };
        let mut errors: Vec<Error<ApiErrorBody>> = Vec::new();
        errors.push(path_segment("id", "..").unwrap_err());
        let mut bad_header = get("/");
        bad_header.header("X-Token", &format!("{TOKEN}\n"));
        errors.push(make(&server.uri()).execute(bad_header).await.unwrap_err());
        errors.push(
            call_json::<Value>(&make(&closed), get("/"))
                .await
                .unwrap_err(),
        );
        errors.push(
            call_json::<Value>(&make(&reset), get("/"))
                .await
                .unwrap_err(),
        );
        errors.push(
            call_json::<Value>(&make(&silent), get("/"))
                .await
                .unwrap_err(),
        );
        errors.push(
            call_json::<Value>(&make(&server.uri()), get("/malformed"))
                .await
                .unwrap_err(),
        );
        errors.push(
            call_json::<Value>(&make(&server.uri()), get("/html"))
                .await
                .unwrap_err(),
        );
        errors.push(
            call_json::<Value>(&make(&server.uri()), get("/large"))
                .await
                .unwrap_err(),
        );

        let kinds: Vec<&str> = errors
            .iter()
            .map(|error| match error {
                Error::InvalidRequest(_) => "invalid",
                Error::Transport(_) => "transport",
                Error::Timeout(_) => "timeout",
                Error::Decode(_) => "decode",
                Error::Api(_) => "api",
                Error::TooLarge(_) => "too large",
                _ => "other",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "invalid",
                "invalid",
                "transport",
                "transport",
                "timeout",
                "decode",
                "api",
                "too large"
            ]
        );
        for error in &errors {
            assert_hidden(auth.kind(), error);
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                assert_hidden("error source", &cause);
                source = cause.source();
            }
        }
    }
}
