//! Parameters and media types on the wire, against a loopback server.

use construct_fixtures::{media_types, parameters, required_and_nullable};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn last_request(server: &MockServer) -> Request {
    server
        .received_requests()
        .await
        .expect("recorded")
        .pop()
        .expect("one request")
}

#[tokio::test]
async fn path_query_and_header_parameters() {
    use parameters::types::GetPostOrder;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let client = parameters::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let body = client
        .get_post(42, "a b/c", GetPostOrder::Desc)
        .tags(vec!["x".into(), "y z".into()])
        .ids(vec![1, 2, 3])
        .x_trace_id("trace-1")
        .await
        .unwrap();
    assert_eq!(body, json!({"ok": true}));
    let request = last_request(&server).await;
    assert_eq!(request.url.path(), "/users/42/posts/a%20b%2Fc");
    assert_eq!(
        request.url.query(),
        Some("tags=x&tags=y%20z&ids=1,2,3&order=desc"),
        "the commas of a list not exploded are its delimiters, not part of a value"
    );
    assert_eq!(request.headers.get("x-trace-id").unwrap(), "trace-1");
    assert_eq!(
        request.headers.get("x-api-version").unwrap(),
        "2024-01-01",
        "the schema default is sent"
    );
    assert_eq!(
        parameters::Server::default().url(),
        "https://eu.example.com/v1",
        "server variables take their defaults"
    );
}

#[tokio::test]
async fn text_form_multipart_and_binary_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(header("content-type", "text/plain"))
        .and(body_string("hello"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("created", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/forms"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("name=Ada+L&tags=a&tags=b"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(vec![0u8, 1, 2, 255], "application/octet-stream"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/2"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_raw(r#"{"title":"down"}"#, "application/problem+json"),
        )
        .mount(&server)
        .await;
    let client = media_types::Client::builder()
        .base_url(server.uri())
        .retry_policy(media_types::RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(
        client.create_note("hello".to_string()).await.unwrap(),
        "created"
    );
    let form = media_types::types::SubmitFormRequest {
        name: "Ada L".into(),
        tags: Some(vec!["a".into(), "b".into()]),
    };
    client.submit_form(form).await.unwrap();
    let upload = media_types::types::UploadRequest {
        title: Some("report".into()),
    };
    assert_eq!(
        client.upload().body(upload).await.unwrap(),
        None,
        "202 has no body"
    );
    let multipart = last_request(&server).await;
    let content_type = multipart
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert!(String::from_utf8_lossy(&multipart.body).contains("name=\"title\"\r\n\r\nreport"));
    let download = client.download("1").await.unwrap();
    assert_eq!(download.bytes().await.unwrap(), vec![0u8, 1, 2, 255]);
    let error = client.download("2").await.unwrap_err();
    match error.api_body() {
        Some(media_types::operations::DownloadError::Status5xx(problem)) => {
            assert_eq!(problem.title.as_deref(), Some("down"))
        }
        other => panic!("expected the 5XX problem body, got {other:?}"),
    }
}

/// Required properties are `new`'s arguments and fixed ones are filled in; an optional nullable
/// property is left out, sent as `null` or sent with its value, as set.
#[tokio::test]
async fn required_fixed_and_nullable_properties_go_on_the_wire_as_set() {
    use required_and_nullable::types::{Link, Ticket, TicketState, TicketUpdate};
    use required_and_nullable::Nullable;
    let server = MockServer::start().await;
    let answer = json!({"type": "ticket", "id": "t1", "state": "open", "assignee_id": null});
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .mount(&server)
        .await;
    let client = required_and_nullable::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let updates = [
        (TicketUpdate::default(), json!({})),
        (
            TicketUpdate {
                company_id: Nullable::Null,
                ..Default::default()
            },
            json!({"company_id": null}),
        ),
        (
            TicketUpdate {
                company_id: "c1".to_string().into(),
                ..Default::default()
            },
            json!({"company_id": "c1"}),
        ),
    ];
    let mut expected = Vec::new();
    for (update, body) in updates {
        client.update_ticket("t1", update).await.unwrap();
        expected.push(body);
    }
    let ticket = Ticket {
        tags: Some(vec!["vip".into()]),
        ..Ticket::new("t2", TicketState::Closed, None)
    };
    client.create_ticket(ticket).await.unwrap();
    expected.push(json!({
        "type": "ticket", "id": "t2", "state": "closed", "assignee_id": null, "tags": ["vip"]
    }));
    let sent: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(sent, expected);
    // A type that requires itself is built from the end of the chain.
    let chain = Link::new("a", Some(Box::new(Link::new("b", None))));
    assert_eq!(
        serde_json::to_value(chain).unwrap(),
        json!({"name": "a", "next": {"name": "b", "next": null}})
    );
}

#[tokio::test]
async fn string_alias_parameters_take_literals_and_ignored_headers_are_not_sent() {
    use construct_fixtures::parameter_aliases;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = parameter_aliases::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    // Both parameters' types are aliases of `String`, and take a literal as a string does.
    client
        .get_analysis("a-1")
        .sarif_id("6c81cd8e")
        .await
        .unwrap();
    let request = last_request(&server).await;
    assert_eq!(request.url.path(), "/analyses/a-1");
    assert_eq!(request.url.query(), Some("sarif_id=6c81cd8e"));
    // The declared `Content-Type`, `Accept` and `Authorization` parameters are not the client's
    // to set: no `Content-Type` is sent without a body, no `Authorization` without credentials,
    // and `Accept` is the response's media type.
    assert!(request.headers.get("content-type").is_none());
    assert!(request.headers.get("authorization").is_none());
    assert_eq!(request.headers.get("accept").unwrap(), "application/json");
}
