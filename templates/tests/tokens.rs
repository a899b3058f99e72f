//! OAuth2 tokens against a loopback token endpoint: what is posted, caching, refresh ahead of
//! expiry, one refresh for concurrent callers, the resend after a 401, and secrets kept out.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use apigen_runtime::runtime::auth::{AuthError, Credential, Security};
use apigen_runtime::runtime::token::{
    ClientAuthentication, OAuth2TokenProvider, TokenError, TokenFuture, TokenProvider,
};
use apigen_runtime::runtime::{Error, Request, Secret};
use common::{builder, call_json, get, post, received, TOKEN};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const OAUTH: Security = &[&["oauth2"]];

/// A token endpoint that hands out `token-1`, `token-2`, … and counts the requests.
#[derive(Clone)]
struct TokenEndpoint {
    issued: Arc<AtomicUsize>,
    expires_in: Option<u64>,
    delay: Duration,
    refresh_token: bool,
}

impl TokenEndpoint {
    fn new(expires_in: Option<u64>) -> Self {
        Self {
            issued: Arc::new(AtomicUsize::new(0)),
            expires_in,
            delay: Duration::ZERO,
            refresh_token: false,
        }
    }

    fn issued(&self) -> usize {
        self.issued.load(Ordering::SeqCst)
    }

    async fn mount(&self, server: &MockServer) {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(self.clone())
            .mount(server)
            .await;
    }
}

impl Respond for TokenEndpoint {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let mut body = json!({ "access_token": format!("token-{n}"), "token_type": "Bearer" });
        if let Some(expires_in) = self.expires_in {
            body["expires_in"] = json!(expires_in);
        }
        if self.refresh_token {
            body["refresh_token"] = json!(format!("refresh-{n}"));
        }
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(self.delay)
    }
}

/// An API whose `GET /things` answers 200 to `Bearer <token>` and 401 to anything else.
async fn api_accepting(server: &MockServer, token: &str) {
    Mock::given(path("/things"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ok": true })))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "code": "unauthorized", "message": "bad token"
        })))
        .with_priority(2)
        .mount(server)
        .await;
}

fn provider(server: &MockServer) -> OAuth2TokenProvider {
    OAuth2TokenProvider::client_credentials(
        format!("{}/oauth/token", server.uri()),
        "client-7",
        TOKEN,
    )
}

fn oauth_get() -> Request {
    let mut request = get("/things");
    request.security(OAUTH);
    request
}

async fn token_requests(server: &MockServer) -> Vec<wiremock::Request> {
    received(server)
        .await
        .into_iter()
        .filter(|request| request.url.path() == "/oauth/token")
        .collect()
}

async fn api_requests(server: &MockServer) -> Vec<wiremock::Request> {
    received(server)
        .await
        .into_iter()
        .filter(|request| request.url.path() == "/things")
        .collect()
}

#[tokio::test]
async fn client_credentials_posts_the_grant_and_the_token_is_cached() {
    let server = MockServer::start().await;
    let endpoint = TokenEndpoint::new(Some(3600));
    endpoint.mount(&server).await;
    api_accepting(&server, "token-1").await;
    let tokens = provider(&server).scopes(["things:read", "things:write"]);
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(tokens))
        .build()
        .unwrap();

    for _ in 0..3 {
        let response = call_json::<Value>(&client, oauth_get()).await.unwrap();
        assert_eq!(response.status(), 200);
    }
    assert_eq!(endpoint.issued(), 1, "one token for three calls");

    let posted = token_requests(&server).await;
    let request = &posted[0];
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert_eq!(
        body,
        "grant_type=client_credentials&scope=things%3Aread+things%3Awrite"
    );
    // RFC 6749 §2.3.1: Basic base64("client-7:" + secret).
    let expected = format!(
        "Basic {}",
        apigen_runtime::runtime::secret::base64_encode(format!("client-7:{TOKEN}").as_bytes())
    );
    assert_eq!(request.headers.get("authorization").unwrap(), &expected);
}

#[tokio::test]
async fn client_secret_in_the_body_when_asked() {
    let server = MockServer::start().await;
    let endpoint = TokenEndpoint::new(None);
    endpoint.mount(&server).await;
    api_accepting(&server, "token-1").await;
    let tokens = provider(&server)
        .client_authentication(ClientAuthentication::Body)
        .form_param("audience", "https://api.example.com");
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(tokens))
        .build()
        .unwrap();
    call_json::<Value>(&client, oauth_get()).await.unwrap();
    let posted = token_requests(&server).await;
    let body = String::from_utf8(posted[0].body.clone()).unwrap();
    assert_eq!(
        body,
        format!(
            "grant_type=client_credentials&audience=https%3A%2F%2Fapi.example.com\
             &client_id=client-7&client_secret={TOKEN}"
        )
    );
    assert!(posted[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_token_is_refreshed_ahead_of_its_expiry() {
    let server = MockServer::start().await;
    // Two seconds of life, replaced one second before it ends.
    let endpoint = TokenEndpoint::new(Some(2));
    endpoint.mount(&server).await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ok": true })))
        .mount(&server)
        .await;
    let tokens = provider(&server).refresh_margin(Duration::from_secs(1));
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(tokens))
        .build()
        .unwrap();

    call_json::<Value>(&client, oauth_get()).await.unwrap();
    call_json::<Value>(&client, oauth_get()).await.unwrap();
    assert_eq!(endpoint.issued(), 1, "still fresh");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    call_json::<Value>(&client, oauth_get()).await.unwrap();
    assert_eq!(endpoint.issued(), 2, "refreshed before the 2 s expiry");

    let sent: Vec<String> = api_requests(&server)
        .await
        .iter()
        .map(|request| {
            request.headers["authorization"]
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sent, ["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn concurrent_callers_wait_for_one_refresh() {
    let server = MockServer::start().await;
    let mut endpoint = TokenEndpoint::new(Some(3600));
    endpoint.delay = Duration::from_millis(300);
    endpoint.mount(&server).await;
    api_accepting(&server, "token-1").await;
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(provider(&server)))
        .build()
        .unwrap();

    let calls = (0..16).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { call_json::<Value>(&client, oauth_get()).await })
    });
    for call in futures_util::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap().status(), 200);
    }
    assert_eq!(endpoint.issued(), 1, "sixteen callers, one token request");
    assert_eq!(api_requests(&server).await.len(), 16);
}

#[tokio::test]
async fn a_401_gets_a_fresh_token_and_one_resend() {
    let server = MockServer::start().await;
    let endpoint = TokenEndpoint::new(Some(3600));
    endpoint.mount(&server).await;
    // The API has revoked token-1 and accepts only token-2.
    api_accepting(&server, "token-2").await;
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(provider(&server)))
        .build()
        .unwrap();

    // A POST too: a 401 means the server did not apply the request.
    let mut request = post("/things");
    request.security(OAUTH);
    let response = call_json::<Value>(&client, request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(endpoint.issued(), 2);
    let sent: Vec<String> = api_requests(&server)
        .await
        .iter()
        .map(|request| {
            request.headers["authorization"]
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sent, ["Bearer token-1", "Bearer token-2"]);

    // The fresh token is cached for the next call.
    call_json::<Value>(&client, oauth_get()).await.unwrap();
    assert_eq!(endpoint.issued(), 2);
}

#[tokio::test]
async fn a_token_refused_again_ends_the_call_with_the_401() {
    let server = MockServer::start().await;
    let endpoint = TokenEndpoint::new(Some(3600));
    endpoint.mount(&server).await;
    api_accepting(&server, "never").await;
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(provider(&server)))
        .build()
        .unwrap();
    let error = call_json::<Value>(&client, oauth_get()).await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(api_requests(&server).await.len(), 2, "one resend, not more");
    assert_eq!(endpoint.issued(), 2);
}

#[tokio::test]
async fn concurrent_401s_are_served_by_one_refresh() {
    let server = MockServer::start().await;
    let mut endpoint = TokenEndpoint::new(Some(3600));
    endpoint.delay = Duration::from_millis(100);
    endpoint.mount(&server).await;
    api_accepting(&server, "token-2").await;
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(provider(&server)))
        .build()
        .unwrap();
    let calls = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { call_json::<Value>(&client, oauth_get()).await })
    });
    for call in futures_util::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap().status(), 200);
    }
    assert_eq!(
        endpoint.issued(),
        2,
        "token-1, then one refresh for all eight"
    );
}

#[tokio::test]
async fn the_refresh_token_grant_rotates_its_refresh_token() {
    let server = MockServer::start().await;
    let mut endpoint = TokenEndpoint::new(Some(3600));
    endpoint.refresh_token = true;
    endpoint.mount(&server).await;
    api_accepting(&server, "token-2").await;
    let tokens = OAuth2TokenProvider::refresh_token(
        format!("{}/oauth/token", server.uri()),
        "public-app",
        None,
        "refresh-0",
    );
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(tokens))
        .build()
        .unwrap();
    call_json::<Value>(&client, oauth_get()).await.unwrap();
    let bodies: Vec<String> = token_requests(&server)
        .await
        .iter()
        .map(|request| String::from_utf8(request.body.clone()).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            "grant_type=refresh_token&refresh_token=refresh-0&client_id=public-app",
            "grant_type=refresh_token&refresh_token=refresh-1&client_id=public-app",
        ]
    );
}

#[tokio::test]
async fn a_failing_token_endpoint_fails_the_call_before_sending_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed",
            "echo": TOKEN
        })))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(provider(&server)))
        .build()
        .unwrap();
    let error = call_json::<Value>(&client, oauth_get()).await.unwrap_err();
    let Error::Auth(AuthError::Token { scheme, source }) = &error else {
        panic!("expected a token error, got {error:?}");
    };
    assert_eq!(scheme, "oauth2");
    assert_eq!(source.status(), Some(401));
    let text = error.to_string();
    assert_eq!(
        text,
        "could not get a token for security scheme `oauth2`: the token endpoint answered 401: \
         invalid_client (Client authentication failed)"
    );
    for shown in [text, format!("{error:?}"), format!("{client:?}")] {
        assert!(!shown.contains("SUPERSECRET"), "a secret shows: {shown}");
    }
    assert!(api_requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_token_response_without_an_access_token_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "token_type": "bearer" })))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .credential("oauth2", Credential::token_provider(provider(&server)))
        .build()
        .unwrap();
    let error = call_json::<Value>(&client, oauth_get()).await.unwrap_err();
    assert!(
        error.to_string().contains("has no `access_token`"),
        "{error}"
    );
}

#[test]
fn the_provider_debug_shows_no_secret() {
    let tokens = OAuth2TokenProvider::refresh_token(
        "https://auth.example.com/token",
        "app",
        Some(Secret::new(TOKEN)),
        TOKEN,
    );
    let shown = format!("{tokens:?}");
    assert!(
        shown.contains("refresh_token") && shown.contains("app"),
        "{shown}"
    );
    assert!(!shown.contains("SUPERSECRET"), "{shown}");
    let credential = Credential::token_provider(tokens);
    assert!(!format!("{credential:?}").contains("SUPERSECRET"));
}

/// A user's own provider: a fixed list of tokens, the next one after each refusal.
struct Rotating {
    tokens: Vec<&'static str>,
    current: AtomicUsize,
    invalidated: AtomicUsize,
}

impl TokenProvider for Rotating {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let index = self.current.load(Ordering::SeqCst);
            self.tokens
                .get(index)
                .map(|token| Secret::new(*token))
                .ok_or_else(|| TokenError::new("no tokens left"))
        })
    }

    fn invalidate(&self, rejected: &Secret) {
        self.invalidated.fetch_add(1, Ordering::SeqCst);
        if self.tokens.get(self.current.load(Ordering::SeqCst)) == Some(&rejected.expose()) {
            self.current.fetch_add(1, Ordering::SeqCst);
        }
    }
}

#[tokio::test]
async fn a_custom_provider_is_asked_and_told_of_a_refusal() {
    let server = MockServer::start().await;
    api_accepting(&server, "vault-2").await;
    let provider = Arc::new(Rotating {
        tokens: vec!["vault-1", "vault-2"],
        current: AtomicUsize::new(0),
        invalidated: AtomicUsize::new(0),
    });
    struct Shared(Arc<Rotating>);
    impl TokenProvider for Shared {
        fn token(&self) -> TokenFuture<'_> {
            self.0.token()
        }
        fn invalidate(&self, rejected: &Secret) {
            self.0.invalidate(rejected);
        }
    }
    let client = builder(&server.uri())
        .credential(
            "vault",
            Credential::token_provider(Shared(provider.clone())),
        )
        .build()
        .unwrap();
    let mut request = get("/things");
    request.security(&[&["vault"]]);
    assert_eq!(
        call_json::<Value>(&client, request).await.unwrap().status(),
        200
    );
    assert_eq!(provider.invalidated.load(Ordering::SeqCst), 1);
    assert_eq!(api_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_openid_connect_provider_reads_its_token_endpoint_once() {
    let server = MockServer::start().await;
    let endpoint = TokenEndpoint::new(Some(3600));
    endpoint.mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "issuer": server.uri(),
            "token_endpoint": format!("{}/oauth/token", server.uri()),
        })))
        .mount(&server)
        .await;
    // token-1 is refused, so the provider fetches twice.
    api_accepting(&server, "token-2").await;
    let tokens = OAuth2TokenProvider::openid_connect(
        format!("{}/.well-known/openid-configuration", server.uri()),
        "client-7",
        TOKEN,
    );
    let client = builder(&server.uri())
        .credential("oidc", Credential::token_provider(tokens))
        .build()
        .unwrap();
    let mut request = get("/things");
    request.security(&[&["oidc"]]);
    assert_eq!(
        call_json::<Value>(&client, request).await.unwrap().status(),
        200
    );
    assert_eq!(endpoint.issued(), 2);
    let discoveries = received(&server)
        .await
        .iter()
        .filter(|request| request.url.path() == "/.well-known/openid-configuration")
        .count();
    assert_eq!(discoveries, 1);
}

#[tokio::test]
async fn a_discovery_document_without_a_token_endpoint_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "issuer": "x" })))
        .mount(&server)
        .await;
    let tokens = OAuth2TokenProvider::openid_connect(
        format!("{}/.well-known/openid-configuration", server.uri()),
        "client-7",
        TOKEN,
    );
    let client = builder(&server.uri())
        .credential("oidc", Credential::token_provider(tokens))
        .build()
        .unwrap();
    let mut request = get("/things");
    request.security(&[&["oidc"]]);
    let error = call_json::<Value>(&client, request).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "could not get a token for security scheme `oidc`: the OpenID Connect discovery \
         document has no `token_endpoint` URL"
    );
}
