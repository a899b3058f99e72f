//! Binary response bodies: [`Download`], read chunk by chunk as they arrive, as a stream, or
//! whole (bounded by the maximum response size), and [`DownloadError`], what can end reading it.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;

use super::body::{self, BodyChunks};
use super::error::{Error, TimeoutError, TimeoutKind, TooLargeError, TransportError};
use super::platform::MaybeSend;
use super::time::Instant;

/// The body of a binary response (`application/octet-stream`, `application/pdf`, `image/*`…).
///
/// When an operation's every successful body is binary, the call returns as soon as the status
/// and headers arrive, and the body is read from the connection as the caller asks:
/// [`chunk`](Self::chunk) by chunk, as a [`Stream`] ([`into_stream`](Self::into_stream)), or
/// whole ([`bytes`](Self::bytes), refused past the call's maximum response size). The call's
/// timeout still covers the whole body, so a large download may need a longer one
/// ([`RequestOptions::timeout`](super::RequestOptions::timeout)). Otherwise the body was read
/// whole with the response, within the maximum response size, and is handed out the same way.
pub struct Download {
    body: Body,
    status: u16,
    headers: HeaderMap,
    limit: u64,
    timeout: Option<Duration>,
    deadline: Option<Instant>,
}

enum Body {
    /// Read already; `None` once handed out.
    Read(Option<Bytes>),
    /// Still on the connection.
    Streaming(BodyChunks),
}

impl Download {
    /// A download of bytes already read (useful in tests of code that consumes downloads).
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Self {
            body: Body::Read(Some(bytes.into())),
            status: 200,
            headers: HeaderMap::new(),
            limit: u64::MAX,
            timeout: None,
            deadline: None,
        }
    }

    /// A download still to be read from `response`; `limit` bounds [`bytes`](Self::bytes),
    /// `timeout` names the call's timeout when one expires, and `deadline` is when it does.
    pub(super) fn streaming(
        response: reqwest::Response,
        limit: u64,
        timeout: Duration,
        deadline: Option<Instant>,
    ) -> Self {
        let status = response.status().as_u16();
        let (headers, chunks) = BodyChunks::split(response);
        Self {
            status,
            headers,
            body: Body::Streaming(chunks),
            limit,
            timeout: Some(timeout),
            deadline,
        }
    }

    /// A download of a body read whole with its response.
    pub(super) fn read(body: Vec<u8>, status: u16, headers: HeaderMap) -> Self {
        Self {
            body: Body::Read(Some(Bytes::from(body))),
            status,
            headers,
            limit: u64::MAX,
            timeout: None,
            deadline: None,
        }
    }

    /// The length the server announced (`Content-Length`), or the length read.
    pub fn content_length(&self) -> Option<u64> {
        match &self.body {
            Body::Read(bytes) => bytes
                .as_ref()
                .map(|b| u64::try_from(b.len()).unwrap_or(u64::MAX)),
            Body::Streaming(chunks) => chunks.content_length(),
        }
    }

    /// The next chunk of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, DownloadError> {
        match &mut self.body {
            Body::Read(bytes) => Ok(bytes.take().filter(|b| !b.is_empty())),
            Body::Streaming(chunks) => chunks.next().await.map_err(|error| {
                if body::is_timeout(&error, self.deadline) {
                    DownloadError::Timeout(TimeoutError::new(
                        TimeoutKind::Request,
                        self.timeout,
                        error,
                    ))
                } else {
                    DownloadError::Transport(TransportError::new(error))
                }
            }),
        }
    }

    /// The body as a stream of chunks, as they arrive (`Send` on native targets).
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, DownloadError>> + MaybeSend {
        futures_util::stream::unfold(Some(self), |download| async move {
            let mut download = download?;
            match download.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(download))),
                Ok(None) => None,
                // The stream ends after its first error.
                Err(error) => Some((Err(error), None)),
            }
        })
    }

    /// The whole body. A body larger than the call's maximum response size
    /// ([`ClientBuilder::max_response_size`](super::ClientBuilder::max_response_size)) is refused
    /// with [`DownloadError::TooLarge`]: before it is read when its `Content-Length` says so, else
    /// as soon as the chunks received pass the limit.
    pub async fn bytes(mut self) -> Result<Vec<u8>, DownloadError> {
        let announced = self.content_length();
        let too_large = |download: &Download, received| {
            DownloadError::TooLarge(TooLargeError::new(
                download.limit,
                download.status,
                download.headers.clone(),
                announced,
                received,
            ))
        };
        if announced.is_some_and(|length| length > self.limit) {
            return Err(too_large(&self, 0));
        }
        // A server's announced length is trusted with at most 1 MiB before the bytes arrive.
        let reserve = announced.unwrap_or(0).min(1024 * 1024);
        let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
        let mut received: u64 = 0;
        while let Some(chunk) = self.chunk().await? {
            received = received.saturating_add(u64::try_from(chunk.len()).unwrap_or(u64::MAX));
            if received > self.limit {
                return Err(too_large(&self, received));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

impl fmt::Debug for Download {
    /// Shows whether the body is still on the connection, and its length when known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("streaming", &matches!(self.body, Body::Streaming(_)))
            .field("content_length", &self.content_length())
            .finish()
    }
}

/// What can end reading a [`Download`]; it converts into [`Error`], so `?` passes it on from a
/// function that returns the operation's error.
#[non_exhaustive]
#[derive(Debug)]
pub enum DownloadError {
    /// The connection failed while the body was read.
    Transport(TransportError),
    /// The call's timeout expired while the body was read.
    Timeout(TimeoutError),
    /// The body was larger than the maximum response size ([`Download::bytes`] only).
    TooLarge(TooLargeError),
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadError::Transport(error) => fmt::Display::fmt(error, f),
            DownloadError::Timeout(error) => fmt::Display::fmt(error, f),
            DownloadError::TooLarge(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl StdError for DownloadError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            DownloadError::Transport(error) => Some(error),
            DownloadError::Timeout(error) => Some(error),
            DownloadError::TooLarge(error) => Some(error),
        }
    }
}

impl<E> From<DownloadError> for Error<E> {
    fn from(error: DownloadError) -> Self {
        match error {
            DownloadError::Transport(error) => Error::Transport(error),
            DownloadError::Timeout(error) => Error::Timeout(error),
            DownloadError::TooLarge(error) => Error::TooLarge(error),
        }
    }
}
