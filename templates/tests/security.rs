//! Security per operation: each request sends what its own requirements ask, from the
//! credentials configured per scheme, and nothing more.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use apigen_runtime::runtime::auth::{AuthError, Credential, Security};
use apigen_runtime::runtime::token::{TokenFuture, TokenProvider};
use apigen_runtime::runtime::{
    Auth, BuildError, ClientBuilder, Error, Request, RequestOptions, Secret,
};
use common::{builder, call_json, get, received, with_options, TOKEN};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What an API of mixed security declares.
const ANONYMOUS: Security = &[];
const API_KEY: Security = &[&["api_key"]];
const OAUTH: Security = &[&["oauth2"]];
const KEY_OR_OAUTH: Security = &[&["api_key"], &["oauth2"]];
const KEY_AND_APP: Security = &[&["api_key", "app_id"]];
const OAUTH_OR_NOTHING: Security = &[&["oauth2"], &[]];

/// A token provider that always gives the same token and counts the times it was asked.
struct Fixed(Arc<AtomicUsize>);

impl TokenProvider for Fixed {
    fn token(&self) -> TokenFuture<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Secret::new("oauth-token")) })
    }
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    server
}

/// A client with every scheme of the API configured.
fn full(server: &MockServer) -> (ClientBuilder, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let builder = builder(&server.uri())
        .credential("api_key", Credential::api_key_header("X-Api-Key", "key-1"))
        .credential("app_id", Credential::api_key_query("app_id", "app 7"))
        .credential("oauth2", Credential::token_provider(Fixed(asked.clone())));
    (builder, asked)
}

fn request(security: Security) -> Request {
    let mut request = get("/things");
    request.security(security);
    request
}

/// What one request carried: `X-Api-Key`, `Authorization`, the query and `Cookie`.
type Carried = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The credentials the one request the server received carried: `X-Api-Key`,
/// `Authorization`, the query string and the `Cookie` header.
async fn sent(server: &MockServer) -> Vec<Carried> {
    received(server)
        .await
        .iter()
        .map(|request| {
            let header = |name: &str| {
                request
                    .headers
                    .get(name)
                    .map(|value| value.to_str().unwrap().to_owned())
            };
            (
                header("x-api-key"),
                header("authorization"),
                request.url.query().map(str::to_owned),
                header("cookie"),
            )
        })
        .collect()
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[tokio::test]
async fn an_anonymous_operation_sends_no_credentials() {
    let server = server().await;
    let (builder, asked) = full(&server);
    let client = builder.bearer_token(TOKEN).build().unwrap();
    call_json::<Value>(&client, request(ANONYMOUS))
        .await
        .unwrap();
    assert_eq!(sent(&server).await, [(None, None, None, None)]);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        0,
        "the provider was not asked"
    );
}

#[tokio::test]
async fn each_operation_sends_its_own_scheme() {
    let server = server().await;
    let (builder, asked) = full(&server);
    let client = builder.build().unwrap();
    for security in [API_KEY, OAUTH, KEY_AND_APP] {
        call_json::<Value>(&client, request(security))
            .await
            .unwrap();
    }
    assert_eq!(
        sent(&server).await,
        [
            (some("key-1"), None, None, None),
            (None, some("Bearer oauth-token"), None, None),
            (some("key-1"), None, some("app_id=app%207"), None),
        ]
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_first_satisfiable_alternative_is_sent() {
    let server = server().await;
    // Both configured: the first alternative.
    let (builder, _) = full(&server);
    let client = builder.build().unwrap();
    call_json::<Value>(&client, request(KEY_OR_OAUTH))
        .await
        .unwrap();
    // Only OAuth2 configured: the second.
    let asked = Arc::new(AtomicUsize::new(0));
    let oauth_only = common::builder(&server.uri())
        .credential("oauth2", Credential::token_provider(Fixed(asked)))
        .build()
        .unwrap();
    call_json::<Value>(&oauth_only, request(KEY_OR_OAUTH))
        .await
        .unwrap();
    // Optional OAuth2: sent when configured, nothing otherwise.
    call_json::<Value>(&oauth_only, request(OAUTH_OR_NOTHING))
        .await
        .unwrap();
    let nothing = common::client(&server.uri());
    call_json::<Value>(&nothing, request(OAUTH_OR_NOTHING))
        .await
        .unwrap();
    assert_eq!(
        sent(&server).await,
        [
            (some("key-1"), None, None, None),
            (None, some("Bearer oauth-token"), None, None),
            (None, some("Bearer oauth-token"), None, None),
            (None, None, None, None),
        ]
    );
}

#[tokio::test]
async fn a_missing_scheme_fails_before_sending_and_names_it() {
    let server = server().await;
    let client = common::builder(&server.uri())
        .credential("api_key", Credential::api_key_header("X-Api-Key", TOKEN))
        .build()
        .unwrap();
    let error = call_json::<Value>(&client, request(OAUTH))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no credentials configured for security scheme `oauth2` (set one on the client \
         builder); the request was not sent"
    );
    let error = call_json::<Value>(&client, request(KEY_AND_APP))
        .await
        .unwrap_err();
    let Error::Auth(auth @ AuthError::MissingCredentials { missing }) = &error else {
        panic!("expected missing credentials, got {error:?}");
    };
    assert_eq!(missing, &[vec!["app_id"]]);
    assert_eq!(auth.schemes(), ["app_id"]);
    let error = call_json::<Value>(&common::client(&server.uri()), request(KEY_OR_OAUTH))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no credentials configured for security scheme `api_key` or `oauth2` (set one on the \
         client builder); the request was not sent"
    );
    assert!(!format!("{error:?}").contains("SUPERSECRET"));
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn basic_bearer_and_cookie_keys_go_where_they_belong() {
    let server = server().await;
    let client = common::builder(&server.uri())
        .credential("basic", Credential::basic("ada", "pw"))
        .credential("session", Credential::api_key_cookie("session", "s=1"))
        .credential("pat", Credential::bearer("pat-1"))
        .build()
        .unwrap();
    call_json::<Value>(&client, request(&[&["basic"]]))
        .await
        .unwrap();
    call_json::<Value>(&client, request(&[&["pat"]]))
        .await
        .unwrap();
    // The key joins the operation's own cookie parameters.
    let mut with_cookie = request(&[&["session"]]);
    with_cookie.cookie_param("theme", "dark", true);
    call_json::<Value>(&client, with_cookie).await.unwrap();
    assert_eq!(
        sent(&server).await,
        [
            (None, some("Basic YWRhOnB3"), None, None),
            (None, some("Bearer pat-1"), None, None),
            (None, None, None, some("theme=dark; session=s%3D1")),
        ]
    );
}

#[tokio::test]
async fn a_query_key_follows_the_operations_own_parameters() {
    let server = server().await;
    let (builder, _) = full(&server);
    let client = builder.build().unwrap();
    let mut with_query = request(KEY_AND_APP);
    with_query.query("page", "2");
    call_json::<Value>(&client, with_query).await.unwrap();
    assert_eq!(
        sent(&server).await,
        [(some("key-1"), None, some("page=2&app_id=app%207"), None)]
    );
}

#[tokio::test]
async fn a_per_call_header_overrides_the_credential() {
    let server = server().await;
    let (builder, _) = full(&server);
    let client = builder.build().unwrap();
    let options = RequestOptions::new().header("X-Api-Key", "per-call");
    call_json::<Value>(&client, with_options(request(API_KEY), options))
        .await
        .unwrap();
    assert_eq!(sent(&server).await, [(some("per-call"), None, None, None)]);
}

#[tokio::test]
async fn requests_without_declared_security_keep_the_client_wide_auth() {
    let server = server().await;
    let client = common::builder(&server.uri())
        .auth(Auth::Query {
            name: "api_key".into(),
            value: Secret::new("legacy"),
        })
        .build()
        .unwrap();
    call_json::<Value>(&client, get("/things")).await.unwrap();
    // A request that declares its security gets only what it declares.
    call_json::<Value>(&client, request(ANONYMOUS))
        .await
        .unwrap();
    assert_eq!(
        sent(&server).await,
        [
            (None, None, some("api_key=legacy"), None),
            (None, None, None, None)
        ]
    );
}

#[test]
fn credentials_never_show_their_secrets() {
    let credentials = [
        Credential::api_key_header("X-Api-Key", TOKEN),
        Credential::api_key_query("key", TOKEN),
        Credential::api_key_cookie("sid", TOKEN),
        Credential::basic("ada", TOKEN),
        Credential::bearer(TOKEN),
        Credential::token_provider(Fixed(Arc::default())),
    ];
    let mut builder = ClientBuilder::new("https://api.example.com", "test/1");
    for (index, credential) in credentials.into_iter().enumerate() {
        let shown = format!("{credential:?} {credential:#?}");
        assert!(!shown.contains("SUPERSECRET"), "{shown}");
        builder = builder.credential(format!("scheme_{index}"), credential);
    }
    let shown = format!("{builder:?}");
    assert!(
        shown.contains("scheme_5") && shown.contains("X-Api-Key"),
        "{shown}"
    );
    assert!(!shown.contains("SUPERSECRET"), "{shown}");
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains("scheme_0"), "{shown}");
    assert!(!shown.contains("SUPERSECRET"), "{shown}");
}

#[test]
fn an_invalid_credential_is_refused_at_build_naming_the_scheme() {
    let build = |credential| {
        ClientBuilder::new("https://api.example.com", "test/1")
            .credential("partner_key", credential)
            .build()
            .unwrap_err()
    };
    let error = build(Credential::api_key_header("X Api Key", TOKEN));
    assert!(matches!(error, BuildError::InvalidAuth(_)));
    assert_eq!(
        error.to_string(),
        "invalid authentication: invalid header name `X Api Key` for security scheme `partner_key`"
    );
    let error = build(Credential::bearer(format!("{TOKEN}\n")));
    assert_eq!(
        error.to_string(),
        "invalid authentication: the bearer token of security scheme `partner_key` contains \
         characters not allowed in an HTTP header"
    );
    let error = build(Credential::api_key_query("", TOKEN));
    assert!(error.to_string().contains("is empty"), "{error}");
}
