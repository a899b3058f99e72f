//! Operations grouped as resources (`fixtures/groups.yaml`), on the wire: each call through its
//! group sends the request of its operation, the names the clash rules gave reach the right
//! operations, and error bodies decode as the shared error list, documented status or not.

use construct_fixtures::groups;
use groups::types::ErrorList;
use groups::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(verb: &str, route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .expect(1..)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

#[tokio::test]
async fn calls_through_groups_send_their_operations() {
    let contacts = json!([{"id": "c1"}]);
    let server = answering(
        "GET",
        "/contacts",
        ResponseTemplate::new(200).set_body_json(&contacts),
    )
    .await;
    let listed = client(&server).contacts().list().await.unwrap();
    assert_eq!(listed[0].id, "c1");

    // The second operation that reduces to `list` keeps its whole name.
    let server = answering("POST", "/contacts", ResponseTemplate::new(204)).await;
    client(&server).contacts().list_contact().await.unwrap();

    let server = answering(
        "GET",
        "/contacts/a%2Fb",
        ResponseTemplate::new(200).set_body_json(json!({"id": "a/b"})),
    )
    .await;
    assert_eq!(
        client(&server).contacts().show("a/b").await.unwrap().id,
        "a/b"
    );

    // `clone` is every group's (it derives `Clone`): the method keeps its whole name.
    let server = answering("DELETE", "/contacts/1", ResponseTemplate::new(204)).await;
    client(&server).contacts().clone_contact("1").await.unwrap();

    // Untagged, and named like the accessor `contacts`: it stays on the client, renamed.
    let server = answering("GET", "/contacts-root", ResponseTemplate::new(204)).await;
    client(&server).contacts_2().await.unwrap();

    // A group named like the constructor `builder`, one named like a keyword, one like the client.
    let server = answering("GET", "/builders", ResponseTemplate::new(204)).await;
    client(&server).builder_2().list().await.unwrap();
    let server = answering("PUT", "/types/x", ResponseTemplate::new(204)).await;
    client(&server).type_().match_("x").await.unwrap();
    let server = answering("GET", "/clients", ResponseTemplate::new(204)).await;
    client(&server).client().get().await.unwrap();

    // Nested groups, from `x-fern-sdk-group-name` and from a `group/method` operationId.
    let server = answering(
        "POST",
        "/ticket_types/7/attributes",
        ResponseTemplate::new(204),
    )
    .await;
    client(&server)
        .ticket_types()
        .attributes()
        .create("7")
        .await
        .unwrap();
    let server = answering("GET", "/ticket_types", ResponseTemplate::new(204)).await;
    client(&server).ticket_types().list().await.unwrap();
}

#[test]
fn a_group_is_a_copyable_borrow_of_the_client() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let contacts = client.contacts();
    let copy = contacts;
    let _both = (contacts, copy);
    assert_eq!(
        std::mem::size_of::<groups::operations::Contacts2<'_>>(),
        std::mem::size_of::<&Client>()
    );
    assert_eq!(
        std::mem::size_of::<groups::operations::TicketTypesAttributes<'_>>(),
        std::mem::size_of::<&Client>()
    );
}

fn error_list() -> serde_json::Value {
    json!({"errors": [{"code": "not_found"}]})
}

#[tokio::test]
async fn documented_and_undocumented_error_statuses_decode_as_the_shared_error_list() {
    // 401 is documented for `list`.
    let server = answering(
        "GET",
        "/contacts",
        ResponseTemplate::new(401).set_body_json(error_list()),
    )
    .await;
    let error = client(&server).contacts().list().await.unwrap_err();
    let body: Option<&ErrorList> = error.api_body();
    assert_eq!(body.unwrap().errors[0].code.as_deref(), Some("not_found"));
    assert_eq!(error.status(), Some(401));

    // 404 is not documented for `show`, which documents only 401: still an error list.
    let server = answering(
        "GET",
        "/contacts/9",
        ResponseTemplate::new(404).set_body_json(error_list()),
    )
    .await;
    let error = client(&server).contacts().show("9").await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(
        error.api_body().unwrap().errors[0].code.as_deref(),
        Some("not_found")
    );

    // `clone_contact` documents no error body at all: its error type is the shared one.
    let server = answering(
        "DELETE",
        "/contacts/9",
        ResponseTemplate::new(409).set_body_json(error_list()),
    )
    .await;
    let error: Error<ErrorList> = client(&server)
        .contacts()
        .clone_contact("9")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert!(error.api_body().is_some());

    // A body that is no error list keeps only its text.
    let page = "<html>Bad Gateway</html>";
    let server = answering(
        "GET",
        "/contacts/9",
        ResponseTemplate::new(502).set_body_string(page),
    )
    .await;
    let error = client(&server).contacts().show("9").await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("an API error: {error:?}")
    };
    assert_eq!(api.body, None);
    assert_eq!(api.text, page);
}
