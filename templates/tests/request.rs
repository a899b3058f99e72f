//! What goes on the wire: path, query, headers and their precedence, bodies, authentication.

mod common;

use apigen_runtime::runtime::{
    path_segment, Auth, BuildError, ClientBuilder, Error, Request, RequestOptions, Secret,
};
use common::{builder, client, get, post, received, with_options, USER_AGENT};
use reqwest::Method;
use serde::Serialize;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering 200 to everything.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// Sends one request and returns what the server received.
async fn send(
    client: &apigen_runtime::runtime::Client,
    server: &MockServer,
    request: Request,
) -> wiremock::Request {
    client
        .execute::<()>(request)
        .await
        .expect("request succeeds");
    received(server).await.pop().expect("one request received")
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

#[test]
fn path_segments_encode_everything_but_unreserved_characters() {
    assert_eq!(
        path_segment::<()>("id", "a/b?c%d#e f").unwrap(),
        "a%2Fb%3Fc%25d%23e%20f"
    );
    assert_eq!(
        path_segment::<()>("id", "AZaz09-._~").unwrap(),
        "AZaz09-._~"
    );
    assert_eq!(path_segment::<()>("id", "é+&=").unwrap(), "%C3%A9%2B%26%3D");
    assert_eq!(path_segment::<()>("id", "...").unwrap(), "...");
    for bad in ["", ".", ".."] {
        match path_segment::<()>("contact_id", bad) {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("`contact_id`"), "{message}")
            }
            other => panic!("{bad:?} was accepted: {other:?}"),
        }
    }
}

#[tokio::test]
async fn encoded_path_segments_reach_the_server_as_one_segment() {
    let server = server().await;
    let id = path_segment::<()>("id", "a/b?c%d#e f").unwrap();
    let request = Request::new(Method::GET, "/contacts/{id}", format!("/contacts/{id}"));
    let received = send(&client(&server.uri()), &server, request).await;
    assert_eq!(received.url.path(), "/contacts/a%2Fb%3Fc%25d%23e%20f");
    assert_eq!(received.url.query(), None);
}

#[tokio::test]
async fn query_parameters_are_encoded_and_may_repeat() {
    let server = server().await;
    let mut request = get("/search");
    request.query("q", "a b&c=d/é");
    request.query("tag", "x");
    request.query("tag", "y");
    let received = send(&client(&server.uri()), &server, request).await;
    assert_eq!(
        received.url.query(),
        Some("q=a%20b%26c%3Dd%2F%C3%A9&tag=x&tag=y")
    );
}

#[tokio::test]
async fn the_base_url_may_have_a_path_prefix_and_a_trailing_slash() {
    let server = server().await;
    let client = builder("http://unused.invalid")
        .base_url(format!("{}/v2/", server.uri()))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), format!("{}/v2", server.uri()));
    let received = send(&client, &server, get("/things")).await;
    assert_eq!(received.url.path(), "/v2/things");
}

#[tokio::test]
async fn the_user_agent_is_sent_and_can_be_replaced() {
    let server = server().await;
    let received = send(&client(&server.uri()), &server, get("/")).await;
    assert_eq!(header(&received, "user-agent"), Some(USER_AGENT));

    let custom = builder(&server.uri())
        .user_agent("my-app/2.0")
        .build()
        .unwrap();
    let received = send(&custom, &server, get("/")).await;
    assert_eq!(header(&received, "user-agent"), Some("my-app/2.0"));
}

#[tokio::test]
async fn header_precedence_options_then_request_then_client_then_header_default() {
    let server = server().await;
    let client = builder(&server.uri())
        .default_header("X-Client", "client")
        .default_header("X-Shared", "client")
        .default_header("X-Overridden", "client")
        .build()
        .unwrap();

    let mut request = get("/");
    request.header_default("X-Client", "default");
    request.header_default("X-Only-Default", "default");
    request.header_default("X-Operation", "default");
    request.header("X-Operation", "operation");
    request.header("X-Shared", "operation");
    request.options(
        RequestOptions::new()
            .header("X-Overridden", "call")
            .header("X-Operation-Call", "call"),
    );
    let received = send(&client, &server, request).await;

    assert_eq!(
        header(&received, "x-client"),
        Some("client"),
        "header_default loses to client defaults"
    );
    assert_eq!(header(&received, "x-only-default"), Some("default"));
    assert_eq!(
        header(&received, "x-operation"),
        Some("operation"),
        "header_default loses to the request's headers"
    );
    assert_eq!(
        header(&received, "x-shared"),
        Some("operation"),
        "the request's headers beat client defaults"
    );
    assert_eq!(
        header(&received, "x-overridden"),
        Some("call"),
        "options beat client defaults"
    );
    assert_eq!(header(&received, "x-operation-call"), Some("call"));

    let mut request = get("/");
    request.header_default("X-Only-Default", "default");
    request.options(RequestOptions::new().header("X-Only-Default", "call"));
    let received = send(&client, &server, request).await;
    assert_eq!(
        header(&received, "x-only-default"),
        Some("call"),
        "options beat header_default"
    );
}

#[tokio::test]
async fn invalid_headers_fail_before_sending() {
    let server = server().await;
    let client = client(&server.uri());

    let mut request = get("/");
    request.header("X-Bad", "line\nbreak");
    let error = client.execute::<()>(request).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(m) if m.contains("`X-Bad`")),
        "{error:?}"
    );

    let mut request = get("/");
    request.header("Bad Name", "value");
    assert!(matches!(
        client.execute::<()>(request).await,
        Err(Error::InvalidRequest(_))
    ));

    let request = with_options(get("/"), RequestOptions::new().header("X-Bad", "\r"));
    assert!(matches!(
        client.execute::<()>(request).await,
        Err(Error::InvalidRequest(_))
    ));

    assert!(received(&server).await.is_empty());
}

#[derive(Serialize)]
struct Signup {
    name: String,
    tags: Vec<String>,
    address: Address,
    nickname: Option<String>,
    age: u32,
    admin: bool,
}

#[derive(Serialize)]
struct Address {
    city: String,
    zip: String,
}

fn signup() -> Signup {
    Signup {
        name: "Ada Lovelace & co=1+1".into(),
        tags: vec!["x".into(), "y z".into()],
        address: Address {
            city: "Zürich".into(),
            zip: "8000".into(),
        },
        nickname: None,
        age: 36,
        admin: false,
    }
}

#[tokio::test]
async fn json_bodies_are_sent_with_their_content_type() {
    let server = server().await;
    let mut request = post("/things");
    request.json_body(&serde_json::json!({ "name": "Ada", "age": 36 }));
    let received = send(&client(&server.uri()), &server, request).await;
    assert_eq!(header(&received, "content-type"), Some("application/json"));
    assert_eq!(received.body, br#"{"name":"Ada","age":36}"#);
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let server = server().await;
    let mut request = post("/signup");
    request.form_body(&signup());
    let received = send(&client(&server.uri()), &server, request).await;

    assert_eq!(
        header(&received, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8(received.body).unwrap(),
        "name=Ada+Lovelace+%26+co%3D1%2B1&tags=x&tags=y+z&address%5Bcity%5D=Z%C3%BCrich&address%5Bzip%5D=8000&age=36&admin=false"
    );
}

#[tokio::test]
async fn multipart_bodies_have_one_part_per_field() {
    let server = server().await;
    let mut request = post("/signup");
    request.multipart_body(&signup());
    request.multipart_file(
        "avatar",
        "ada.png",
        "image/png",
        vec![0x89, b'P', b'N', b'G'],
    );
    let received = send(&client(&server.uri()), &server, request).await;

    let content_type = header(&received, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("content type {content_type}"));
    let body = String::from_utf8_lossy(&received.body).into_owned();
    let parts: Vec<&str> = body
        .split(&format!("--{boundary}"))
        .map(str::trim)
        .filter(|part| !part.is_empty() && *part != "--")
        .collect();
    let text_part = |name: &str, value: &str| {
        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}")
    };
    assert_eq!(
        parts[..7],
        [
            text_part("name", "Ada Lovelace & co=1+1"),
            text_part("tags", "x"),
            text_part("tags", "y z"),
            text_part("address", r#"{"city":"Zürich","zip":"8000"}"#),
            text_part("age", "36"),
            text_part("admin", "false"),
            "Content-Disposition: form-data; name=\"avatar\"; filename=\"ada.png\"\r\nContent-Type: image/png\r\n\r\n\u{fffd}PNG".to_owned(),
        ]
    );
    assert_eq!(parts.len(), 7, "the null field is skipped");
}

#[tokio::test]
async fn text_and_byte_bodies_keep_their_content_type() {
    let server = server().await;
    let client = client(&server.uri());

    let mut request = post("/notes");
    request.text_body("text/plain; charset=utf-8", "hello".into());
    let received = send(&client, &server, request).await;
    assert_eq!(
        header(&received, "content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(received.body, b"hello");

    let mut request = post("/blobs");
    request.bytes_body("application/octet-stream", vec![1, 2, 3]);
    request.accept("application/json");
    let received = send(&client, &server, request).await;
    assert_eq!(
        header(&received, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(header(&received, "accept"), Some("application/json"));
    assert_eq!(received.body, [1, 2, 3]);
}

#[tokio::test]
async fn styled_parameters_reach_the_server_with_their_delimiters() {
    use apigen_runtime::runtime::params::Style;
    let server = server().await;
    let mut request = get("/things");
    request.query_param("ids", &[1, 2], Style::Form, false);
    request.query_param(
        "filter",
        &serde_json::json!({"a b": "c"}),
        Style::DeepObject,
        true,
    );
    request.query_param_reserved("next", "/p?x=1", Style::Form, true);
    request.query_json("meta", &serde_json::json!({"k": 1}));
    request.header_param("X-Ids", &[3, 4], false);
    request.cookie_param("a", "1", true);
    request.cookie_param("b", &["x", "y"], false);
    let received = send(&client(&server.uri()), &server, request).await;
    assert_eq!(
        received.url.query(),
        Some("ids=1,2&filter[a%20b]=c&next=/p?x=1&meta=%7B%22k%22%3A1%7D")
    );
    assert_eq!(header(&received, "x-ids"), Some("3,4"));
    assert_eq!(header(&received, "cookie"), Some("a=1; b=x,y"));
}

#[tokio::test]
async fn form_fields_follow_their_encodings() {
    use apigen_runtime::runtime::params::Style;
    let server = server().await;
    let mut request = post("/signup");
    request.form_fields(
        &signup(),
        &[
            ("address", Style::DeepObject, true),
            ("tags", Style::PipeDelimited, false),
        ],
    );
    let received = send(&client(&server.uri()), &server, request).await;
    assert_eq!(
        String::from_utf8(received.body).unwrap(),
        "name=Ada+Lovelace+%26+co%3D1%2B1&tags=x|y+z&address[city]=Z%C3%BCrich&address[zip]=8000&age=36&admin=false"
    );
    let mut request = post("/signup");
    request.form_fields(&signup(), &[]);
    let received = send(&client(&server.uri()), &server, request).await;
    let body = String::from_utf8(received.body).unwrap();
    assert!(
        body.contains("&tags=x&tags=y+z&city=Z%C3%BCrich&zip=8000&"),
        "an exploded form object gives its fields pairs of their own: {body}"
    );
}

#[tokio::test]
async fn multipart_fields_and_file_parts_carry_their_content_types() {
    use apigen_runtime::runtime::FilePart;
    let server = server().await;
    let mut request = post("/upload");
    request.multipart_field("meta", &serde_json::json!({"a": 1}), None);
    request.multipart_field("ids", &[1, 2], Some("application/json"));
    request.multipart_field("skipped", &None::<String>, None);
    request.multipart_file_part("doc", &FilePart::new(b"%PDF".to_vec()), "application/pdf");
    let named = FilePart::new(b"hi".to_vec())
        .file_name("hi.txt")
        .content_type("text/plain");
    assert_eq!(
        format!("{named:?}"),
        "FilePart { file_name: Some(\"hi.txt\"), content_type: Some(\"text/plain\"), len: 2 }"
    );
    request.multipart_file_part("note", &named, "application/octet-stream");
    let received = send(&client(&server.uri()), &server, request).await;
    let body = String::from_utf8_lossy(&received.body).into_owned();
    for part in [
        "name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}",
        "name=\"ids\"\r\nContent-Type: application/json\r\n\r\n[1,2]",
        "name=\"doc\"; filename=\"doc\"\r\nContent-Type: application/pdf\r\n\r\n%PDF",
        "name=\"note\"; filename=\"hi.txt\"\r\nContent-Type: text/plain\r\n\r\nhi",
    ] {
        assert!(body.contains(part), "{part:?} in {body}");
    }
    assert!(!body.contains("skipped"), "{body}");
}

#[tokio::test]
async fn bodies_that_are_not_objects_are_refused_for_forms() {
    let client = client("http://127.0.0.1:9");
    let mut request = post("/signup");
    request.form_body(&vec![1, 2, 3]);
    let error = client.execute::<()>(request).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(m) if m.contains("object")),
        "{error:?}"
    );
}

#[tokio::test]
async fn each_auth_scheme_reaches_the_server() {
    let server = server().await;
    let authed = |auth: Auth| builder(&server.uri()).auth(auth).build().unwrap();

    let received = send(&authed(Auth::Bearer(Secret::new("t0k"))), &server, get("/")).await;
    assert_eq!(header(&received, "authorization"), Some("Bearer t0k"));

    let basic = builder(&server.uri())
        .basic_auth("user", "pass")
        .build()
        .unwrap();
    let received = send(&basic, &server, get("/")).await;
    assert_eq!(
        header(&received, "authorization"),
        Some("Basic dXNlcjpwYXNz")
    );

    let key = Auth::Header {
        name: "X-Api-Key".into(),
        value: Secret::new("k3y"),
    };
    let received = send(&authed(key), &server, get("/")).await;
    assert_eq!(header(&received, "x-api-key"), Some("k3y"));
    assert_eq!(header(&received, "authorization"), None);

    let query = Auth::Query {
        name: "api_key".into(),
        value: Secret::new("q&k"),
    };
    let mut request = get("/");
    request.query("page", "2");
    let received = send(&authed(query), &server, request).await;
    assert_eq!(received.url.query(), Some("page=2&api_key=q%26k"));

    let bearer = builder(&server.uri()).bearer_token("t0k").build().unwrap();
    let request = with_options(
        get("/"),
        RequestOptions::new().header("Authorization", "Bearer other"),
    );
    let received = send(&bearer, &server, request).await;
    assert_eq!(
        header(&received, "authorization"),
        Some("Bearer other"),
        "a per-call header wins"
    );
}

#[test]
fn build_rejects_bad_configuration_without_showing_secrets() {
    let build = |builder: ClientBuilder| builder.build().unwrap_err();

    let error = build(ClientBuilder::new("not a url", USER_AGENT));
    assert!(
        matches!(error, BuildError::InvalidBaseUrl { .. }),
        "{error:?}"
    );
    let error = build(ClientBuilder::new("ftp://example.com", USER_AGENT));
    assert!(
        matches!(error, BuildError::InvalidBaseUrl { .. }),
        "{error:?}"
    );
    let error = build(ClientBuilder::new(
        "https://example.com/api?key=hidden",
        USER_AGENT,
    ));
    assert!(!error.to_string().contains("hidden"), "{error}");
    let error = build(ClientBuilder::new(
        "https://me:hidden@example.com",
        USER_AGENT,
    ));
    assert!(!format!("{error} {error:?}").contains("hidden"), "{error}");
    assert_eq!(
        error.to_string(),
        "invalid base URL `https://example.com`: it must not carry credentials (use `auth` instead)"
    );

    let ok = || ClientBuilder::new("https://example.com", USER_AGENT);
    let error = build(ok().user_agent("bad\nagent"));
    assert!(matches!(error, BuildError::InvalidUserAgent));
    let error = build(ok().default_header("X-Key", "hidden\n"));
    assert!(matches!(&error, BuildError::InvalidHeader { name, .. } if name == "X-Key"));
    assert!(!format!("{error} {error:?}").contains("hidden"));
    let error = build(ok().bearer_token("hidden\ntoken"));
    assert!(matches!(error, BuildError::InvalidAuth(_)));
    assert!(!format!("{error} {error:?}").contains("hidden"));
    let error = build(ok().auth(Auth::Header {
        name: "bad name".into(),
        value: Secret::new("hidden"),
    }));
    assert!(!format!("{error} {error:?}").contains("hidden"));
}
