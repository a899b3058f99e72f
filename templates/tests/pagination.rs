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

#[tokio::test]
async fn a_cursor_seen_before_ends_the_stream_with_an_error_after_the_pages() {
    // Pages 1, 2, 3 and 4 are fetched with states 1, 2, 3, 4; page 4 points back to state 2,
    // which brings page 2 again: it is not yielded, and nothing more is fetched.
    let fetch = canned(vec![
        Ok((vec![1], Some(2))),
        Ok((vec![2], Some(3))),
        Ok((vec![3], Some(4))),
        Ok((vec![4], Some(2))),
        Ok((vec![2], Some(3))),
    ]);
    let collected: Vec<_> = pages(1, fetch).collect().await;
    assert_eq!(
        collected.len(),
        5,
        "four pages, then the error, then the end"
    );
    let pages_received: Vec<Vec<u32>> = collected[..4]
        .iter()
        .map(|page| page.as_ref().unwrap().clone())
        .collect();
    assert_eq!(pages_received, [[1], [2], [3], [4]]);
    match &collected[4] {
        Err(Error::RepeatedCursor(repeated)) => {
            assert_eq!((repeated.page(), repeated.first_page()), (4, 2));
            let message = repeated.to_string();
            assert!(
                message.contains("page 4 points back to page 2"),
                "{message}"
            );
        }
        other => panic!("expected Error::RepeatedCursor, got {other:?}"),
    }
}

#[tokio::test]
async fn the_same_cursor_twice_in_a_row_ends_the_items_stream() {
    // The first state, too, counts as seen: page 2 pointing back to it is caught.
    for (next_of_second, first_page) in [(Some(2), 2), (Some(1), 1)] {
        let again = if first_page == 2 {
            vec![12]
        } else {
            vec![10, 11]
        };
        let fetch = canned(vec![
            Ok((vec![10, 11], Some(2))),
            Ok((vec![12], next_of_second)),
            Ok((again, next_of_second)),
        ]);
        let collected: Vec<_> = items(1, fetch).collect().await;
        assert_eq!(collected.len(), 4);
        assert!(collected[..3].iter().all(Result::is_ok));
        match &collected[3] {
            Err(Error::RepeatedCursor(repeated)) => {
                assert_eq!((repeated.page(), repeated.first_page()), (2, first_page));
            }
            other => panic!("expected Error::RepeatedCursor, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_server_cycling_its_cursors_is_caught_through_a_real_client() {
    // c2 → c3 → c2: the fourth request (c2 again) brings page 2 again, and the stream stops.
    let server = MockServer::start().await;
    for (after, data, next) in [
        (None, ["a", "b"], "c2"),
        (Some("c2"), ["c", "d"], "c3"),
        (Some("c3"), ["e", "f"], "c2"),
    ] {
        let page = ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({ "data": data, "next": next }));
        let mock = match after {
            Some(cursor) => Mock::given(path("/contacts"))
                .and(query_param("starting_after", cursor))
                .respond_with(page)
                .with_priority(1),
            None => Mock::given(path("/contacts"))
                .respond_with(page)
                .with_priority(2),
        };
        mock.mount(&server).await;
    }
    let client = client(&server.uri());

    let first = ContactsRequest {
        per_page: Some(2),
        starting_after: None,
    };
    let stream = items(first, |state: ContactsRequest| {
        let client = client.clone();
        async move {
            let mut request = Request::new(Method::GET, "/contacts", "/contacts".into());
            if let Some(per_page) = state.per_page {
                request.query("per_page", per_page.to_string());
            }
            if let Some(cursor) = &state.starting_after {
                request.query("starting_after", cursor.clone());
            }
            let page = call_json::<ContactPage>(&client, request)
                .await?
                .into_body();
            let next = page.next.map(|cursor| ContactsRequest {
                starting_after: Some(cursor),
                ..state
            });
            Ok::<_, Error<ApiErrorBody>>((page.data, next))
        }
    });
    assert_send(&stream);
    let results: Vec<_> = stream.collect().await;
    let contacts: Vec<&str> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(String::as_str)
        .collect();
    assert_eq!(contacts, ["a", "b", "c", "d", "e", "f"]);
    assert!(matches!(
        results.last(),
        Some(Err(Error::RepeatedCursor(_)))
    ));
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

/// A state shaped as generated request builders are: the parameters, with the cursor among them.
#[derive(Clone, Debug)]
struct ContactsRequest {
    per_page: Option<u32>,
    starting_after: Option<String>,
}

#[tokio::test]
async fn a_scroll_keeping_its_cursor_runs_to_its_empty_last_page() {
    // Intercom's scroll_param (like an Elasticsearch scroll id) names a session, not a place:
    // the same cursor brings the next page each time.
    let fetch = canned(vec![
        Ok((vec![1, 2], Some(7))),
        Ok((vec![3, 4], Some(7))),
        Ok((vec![5], Some(7))),
        Ok((vec![], None)),
    ]);
    let collected: Vec<u32> = items(0, fetch).map(Result::unwrap).collect().await;
    assert_eq!(collected, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_scroll_stuck_on_one_page_ends_with_an_error() {
    let fetch = canned(vec![
        Ok((vec![1], Some(7))),
        Ok((vec![2], Some(7))),
        Ok((vec![2], Some(7))),
    ]);
    let collected: Vec<_> = items(0, fetch).collect().await;
    assert_eq!(collected.len(), 3);
    assert!(matches!(collected[..2], [Ok(1), Ok(2)]));
    match &collected[2] {
        Err(Error::RepeatedCursor(repeated)) => {
            assert_eq!((repeated.page(), repeated.first_page()), (2, 2));
        }
        other => panic!("expected Error::RepeatedCursor, got {other:?}"),
    }
}
