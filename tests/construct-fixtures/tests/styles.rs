//! Every parameter style on the wire, against a loopback server: the exact path, query string,
//! headers and cookies each style writes.

use construct_fixtures::parameter_styles::{self, types};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> (MockServer, parameter_styles::Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = parameter_styles::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    (server, client)
}

async fn last_request(server: &MockServer) -> Request {
    server
        .received_requests()
        .await
        .expect("recorded")
        .pop()
        .expect("one request")
}

fn point(x: i64, y: i64) -> types::Point {
    types::Point {
        x: Some(x),
        y: Some(y),
    }
}

#[tokio::test]
async fn path_simple_label_and_matrix() {
    let (server, client) = server().await;
    client
        .path_styles(
            vec![1, 2, 3],
            point(1, 2),
            vec!["a b".into(), "c".into()],
            point(3, 4),
        )
        .await
        .unwrap();
    let request = last_request(&server).await;
    assert_eq!(request.url.path(), "/paths/1,2,3/x=1,y=2/.a%20b.c/;x=3;y=4");
}

#[tokio::test]
async fn query_form_delimited_deep_object_enums_unions_reserved_and_json() {
    let (server, client) = server().await;
    client
        .query_styles()
        .tags(vec!["a".into(), "b,c".into()])
        .ids(vec![1, 2])
        .spaced(vec!["x".into(), "y".into()])
        .piped(vec!["x".into(), "y".into()])
        .color(point(10, 20))
        .filter(types::QueryStylesFilter {
            name: Some("Ada L".into()),
            range: Some(types::QueryStylesFilterRange {
                min: Some(1),
                max: None,
            }),
        })
        .point(point(5, 6))
        .sort(vec![types::Sort::CreatedAt, types::Sort::Updated])
        .key(types::QueryStylesKey::from(7))
        .path_2("a/b?c")
        .meta(types::QueryStylesMeta {
            a: Some("b".into()),
        })
        .await
        .unwrap();
    let request = last_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(concat!(
            "tags=a&tags=b%2Cc",
            "&ids=1,2",
            "&spaced=x%20y",
            "&piped=x|y",
            "&color=x,10,y,20",
            "&filter[name]=Ada%20L&filter[range][min]=1",
            "&x=5&y=6",
            "&sort=created-at,-updated",
            "&key=7",
            "&path=a/b?c",
            "&meta=%7B%22a%22%3A%22b%22%7D",
        ))
    );
}

#[tokio::test]
async fn headers_are_simple_and_cookies_form() {
    let (server, client) = server().await;
    client
        .header_and_cookie_styles("s 1")
        .x_ids(vec![1, 2])
        .x_point(point(1, 2))
        .x_color(point(3, 4))
        .prefs(vec!["dark".into(), "wide".into()])
        .await
        .unwrap();
    let request = last_request(&server).await;
    let header = |name: &str| request.headers.get(name).unwrap().to_str().unwrap();
    assert_eq!(header("x-ids"), "1,2");
    assert_eq!(header("x-point"), "x=1,y=2");
    assert_eq!(header("x-color"), "x,3,y,4");
    assert_eq!(header("cookie"), "session=s%201; prefs=dark,wide");
}
