//! Pagination streams: pages, items, stopping rules, errors, and `Send`.

mod common;

use std::collections::VecDeque;

use apigen_runtime::runtime::{items, pages, Error, Request};
use common::{call_json, client, ApiErrorBody};
use futures_util::StreamExt;
use reqwest::Method;
use serde::Deserialize;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Page = Result<(Vec<u32>, Option<u32>), Error<()>>;

/// A fetch function serving canned pages; the state is the page number.
fn canned(responses: Vec<Page>) -> impl FnMut(u32) -> std::future::Ready<Page> {
    let mut responses: VecDeque<Page> = responses.into();
    move |_page| {
        std::future::ready(
            responses
                .pop_front()
                .unwrap_or(Err(Error::InvalidRequest("fetched too far".into()))),
        )
    }
}

#[tokio::test]
async fn pages_stop_when_there_is_no_next_state() {
    let fetch = canned(vec![Ok((vec![1, 2], Some(2))), Ok((vec![3], None))]);
    let collected: Vec<_> = pages(1, fetch).collect().await;
    let collected: Vec<Vec<u32>> = collected.into_iter().map(Result::unwrap).collect();
    assert_eq!(collected, vec![vec![1, 2], vec![3]]);
}

#[tokio::test]
async fn pages_stop_at_an_empty_page() {
    let fetch = canned(vec![Ok((vec![1], Some(2))), Ok((vec![], Some(3)))]);
    let collected: Vec<_> = pages(1, fetch).collect().await;
    assert_eq!(collected.len(), 1);
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_stream() {
    let fetch = canned(vec![
        Ok((vec![1], Some(2))),
        Err(Error::InvalidRequest("boom".into())),
        Ok((vec![9], None)),
    ]);
    let collected: Vec<_> = items(1, fetch).collect().await;
    assert_eq!(collected.len(), 2);
    assert!(matches!(collected[0], Ok(1)));
    assert!(matches!(&collected[1], Err(Error::InvalidRequest(m)) if m == "boom"));
}

#[tokio::test]
async fn items_flatten_the_pages_in_order() {
    let fetch = canned(vec![
        Ok((vec![1, 2], Some(2))),
        Ok((vec![3, 4], Some(3))),
        Ok((vec![5], None)),
    ]);
    let collected: Vec<u32> = items(1, fetch).map(Result::unwrap).collect().await;
    assert_eq!(collected, vec![1, 2, 3, 4, 5]);
}

#[derive(Deserialize)]
struct ContactPage {
    data: Vec<String>,
    next: Option<String>,
}

#[tokio::test]
async fn items_follow_cursors_through_a_real_client() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts"))
        .and(query_param("starting_after", "c2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "data": ["c3"] })),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/contacts"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "data": ["c1", "c2"], "next": "c2" })),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let stream = items(None, |cursor: Option<String>| {
        let client = client.clone();
        async move {
            let mut request = Request::new(Method::GET, "/contacts", "/contacts".into());
            if let Some(cursor) = cursor {
                request.query("starting_after", cursor);
            }
            let page = call_json::<ContactPage>(&client, request)
                .await?
                .into_body();
            Ok::<_, Error<ApiErrorBody>>((page.data, page.next.map(Some)))
        }
    });
    assert_send(&stream);
    let contacts: Vec<String> = stream.map(Result::unwrap).collect().await;
    assert_eq!(contacts, ["c1", "c2", "c3"]);
}

#[test]
fn streams_and_calls_are_send() {
    let fetch = canned(vec![]);
    assert_send(&pages(1, fetch));
    let client = client("http://127.0.0.1:9");
    let call = client.execute::<()>(Request::new(Method::GET, "/", "/".into()));
    assert_send(&call);
    assert_send(&client);
}

fn assert_send<T: Send>(_: &T) {}
