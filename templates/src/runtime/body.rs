//! A response body read chunk by chunk as it arrives, on every target: reqwest's
//! `Response::chunk` natively, and on `wasm32` its `bytes_stream`, the `ReadableStream` of the
//! browser's `fetch` response. Either way the runtime sees each chunk as it comes, so the maximum
//! response size stops the read as soon as it is passed, and not after the whole body is held.

use bytes::Bytes;
use reqwest::header::HeaderMap;

#[cfg(target_arch = "wasm32")]
use std::pin::Pin;

#[cfg(target_arch = "wasm32")]
use futures_core::Stream;

use super::time::Instant;

/// The body of a response, still to be read.
pub(super) struct BodyChunks {
    content_length: Option<u64>,
    #[cfg(not(target_arch = "wasm32"))]
    response: reqwest::Response,
    #[cfg(target_arch = "wasm32")]
    stream: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>>>>,
}

impl BodyChunks {
    /// The headers of `response` and its body. The announced length is read first: on `wasm32`
    /// reqwest reads it from the headers.
    pub(super) fn split(mut response: reqwest::Response) -> (HeaderMap, Self) {
        let content_length = response.content_length();
        let headers = std::mem::take(response.headers_mut());
        let body = Self {
            content_length,
            #[cfg(not(target_arch = "wasm32"))]
            response,
            #[cfg(target_arch = "wasm32")]
            stream: Box::pin(response.bytes_stream()),
        };
        (headers, body)
    }

    /// The length the server announced (`Content-Length`), if any.
    pub(super) fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk, or `None` at the end of the body.
    pub(super) async fn next(&mut self) -> reqwest::Result<Option<Bytes>> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.response.chunk().await
        }
        #[cfg(target_arch = "wasm32")]
        {
            futures_util::StreamExt::next(&mut self.stream)
                .await
                .transpose()
        }
    }
}

/// Whether a failed body read is the call's timeout expiring: reqwest says so natively; on
/// `wasm32` a timeout aborts the `fetch`, and the read then fails with the abort, so it is told by
/// the call's deadline having passed.
pub(super) fn is_timeout(error: &reqwest::Error, deadline: Option<Instant>) -> bool {
    error.is_timeout() || deadline.is_some_and(|deadline| Instant::now() >= deadline)
}
