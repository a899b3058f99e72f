//! The maximum response size: client-wide and per call, refused from `Content-Length` before
//! reading, and otherwise cut off as soon as the bytes received pass it, closing the connection.

mod common;

use std::time::{Duration, Instant};

use apigen_runtime::runtime::client::DEFAULT_MAX_RESPONSE_SIZE;
use apigen_runtime::runtime::{Error, RequestOptions, RetryPolicy, TooLargeError};
use common::{builder, client, get, received, streaming_server, with_options};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// Sends `GET /` and returns the body length, or the error.
async fn fetch(
    client: &apigen_runtime::runtime::Client,
    options: RequestOptions,
) -> Result<usize, Error<()>> {
    let raw = client.execute(with_options(get("/"), options)).await?;
    Ok(raw.body().len())
}

fn too_large(error: Error<()>) -> TooLargeError {
    match error {
        Error::TooLarge(too_large) => too_large,
        other => panic!("expected Error::TooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_streamed_body_is_cut_off_just_past_the_limit_and_the_server_stops() {
    // 1 GiB in 16 KiB chunks, without a Content-Length: were the client to read it all, this
    // test would take seconds and a gigabyte.
    let total = 1024 * MIB;
    let server = streaming_server(total, 16 * KIB as usize, None).await;
    let client = builder(&server.url).max_response_size(MIB).build().unwrap();

    let started = Instant::now();
    let error = too_large(fetch(&client, RequestOptions::new()).await.unwrap_err());
    let elapsed = started.elapsed();
    let written = server.bytes_written_when_finished().await;

    assert_eq!(error.limit(), MIB);
    assert_eq!(error.status(), 200);
    assert_eq!(error.content_length(), None);
    // Reading stopped at the first chunk that passed the limit.
    assert!(error.received() > MIB, "{}", error.received());
    assert!(error.received() <= MIB + 64 * KIB, "{}", error.received());
    // What the server got out before its writes failed: the limit plus what the loopback
    // socket buffers hold, far below the gigabyte it would have sent.
    eprintln!(
        "limit 1 MiB: read {} bytes, server wrote {written} of {total} bytes before the client hung up, in {elapsed:?}",
        error.received()
    );
    assert!(written < 32 * MIB, "the server wrote {written} bytes");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[tokio::test]
async fn a_content_length_above_the_limit_is_refused_before_reading() {
    // The server announces 10 GiB and would send them.
    let total = 10 * 1024 * MIB;
    let server = streaming_server(total, 64 * KIB as usize, Some(total)).await;
    let client = client(&server.url);

    let error = too_large(fetch(&client, RequestOptions::new()).await.unwrap_err());
    let written = server.bytes_written_when_finished().await;

    assert_eq!(error.limit(), DEFAULT_MAX_RESPONSE_SIZE);
    assert_eq!(error.content_length(), Some(total));
    assert_eq!(error.received(), 0, "nothing of the body was read");
    eprintln!("Content-Length 10 GiB: server wrote {written} bytes before the client hung up");
    assert!(written < 32 * MIB, "the server wrote {written} bytes");
    let message = error.to_string();
    assert!(
        message.contains("announces 10737418240 bytes (Content-Length)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_accepted_one_byte_more_is_not() {
    for content_length in [None, Some(1000)] {
        let server = streaming_server(1000, 300, content_length).await;
        let client = builder(&server.url)
            .max_response_size(1000)
            .build()
            .unwrap();
        assert_eq!(fetch(&client, RequestOptions::new()).await.unwrap(), 1000);

        let client = builder(&server.url).max_response_size(999).build().unwrap();
        let error = too_large(fetch(&client, RequestOptions::new()).await.unwrap_err());
        assert_eq!(error.limit(), 999);
        let expected_received = if content_length.is_some() { 0 } else { 1000 };
        assert_eq!(error.received(), expected_received, "{content_length:?}");
    }
}

#[tokio::test]
async fn the_limit_is_set_per_call_over_the_client_limit() {
    // A streamed 4 MiB body, under the 64 MiB default.
    let server = streaming_server(4 * MIB, 16 * KIB as usize, None).await;
    let default_client = client(&server.url);
    assert_eq!(
        fetch(&default_client, RequestOptions::new()).await.unwrap() as u64,
        4 * MIB
    );

    // A call can lower the limit...
    let lower = RequestOptions::new().max_response_size(MIB);
    let error = too_large(fetch(&default_client, lower).await.unwrap_err());
    assert_eq!(error.limit(), MIB);

    // ...and raise the client's.
    let strict_client = builder(&server.url).max_response_size(MIB).build().unwrap();
    let error = too_large(
        fetch(&strict_client, RequestOptions::new())
            .await
            .unwrap_err(),
    );
    assert_eq!(error.limit(), MIB);
    let higher = RequestOptions::new().max_response_size(8 * MIB);
    assert_eq!(fetch(&strict_client, higher).await.unwrap() as u64, 4 * MIB);
}

#[tokio::test]
async fn an_oversized_error_response_is_not_retried_and_keeps_its_metadata() {
    let server = MockServer::start().await;
    Mock::given(path("/"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_bytes(vec![b'x'; 4096])
                .insert_header("X-Request-Id", "req-big")
                .insert_header("Retry-After", "0"),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .max_response_size(1024)
        .build()
        .unwrap();

    let error = fetch(&client, RequestOptions::new()).await.unwrap_err();

    assert_eq!(
        received(&server).await.len(),
        1,
        "the same body would be as large again"
    );
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.request_id(), Some("req-big"));
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
    let message = error.to_string();
    assert!(
        message.contains("maximum response size of 1024 bytes")
            && message.contains("ClientBuilder::max_response_size")
            && message.contains("RequestOptions::max_response_size"),
        "{message}"
    );
    let error = too_large(error);
    assert_eq!(error.content_length(), Some(4096));
    assert_eq!(error.received(), 0);
}

#[tokio::test]
async fn a_retried_call_applies_the_limit_to_every_attempt() {
    // The first answer (a 503 with a small body) is retried; the second is too large.
    let server = MockServer::start().await;
    Mock::given(path("/"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 2048]))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .max_response_size(1024)
        .build()
        .unwrap();
    let error = too_large(fetch(&client, RequestOptions::new()).await.unwrap_err());
    assert_eq!(error.status(), 200);
    assert_eq!(received(&server).await.len(), 2);

    let once = RequestOptions::new()
        .retry_policy(RetryPolicy::none())
        .max_response_size(4096);
    assert_eq!(fetch(&client, once).await.unwrap(), 2048);
}
