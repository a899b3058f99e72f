//! The HTTP runtime shared by every generated client.
//!
//! The generator copies this folder verbatim into each generated crate as the module
//! `crate::runtime`, so the code here refers to itself only through `super::`, `self::` or
//! `crate::runtime::` paths and never to anything else in the crate.
//!
//! The pieces, in the order a call meets them:
//!
//! - [`ClientBuilder`] and [`Client`]: base URL, [`Auth`], default headers, user agent,
//!   timeouts, the [`RetryPolicy`] and the maximum response size; `Client` is cheap to clone.
//! - [`Request`] and [`RequestOptions`]: what one operation sends, and the per-call overrides;
//!   [`params`] lays parameters out by their location and style.
//! - [`auth`]: an [`auth::Credential`] per security scheme ([`ClientBuilder::credential`]) and
//!   the operation's [`auth::Security`] ([`Request::security`]), of which the runtime sends
//!   exactly what one satisfied requirement needs; [`token`]: [`token::TokenProvider`] and the
//!   OAuth2 provider. Their types are reached through their modules, not re-exported here, so
//!   that they take no names from the generated crate's types.
//! - [`hooks`]: async code run before and after every attempt; [`pipeline`] runs credentials,
//!   idempotency keys and hooks around each attempt, and resends once after a refused token.
//! - [`Client::execute`]: sends the request with retries and a `http.request` tracing span, and
//!   returns a [`RawResponse`] whatever its status; [`call`] wraps it in the one future every
//!   operation shares ([`client::Call`]), which decodes the response with the operation's plain
//!   `decode` function.
//! - [`RawResponse`]: the generated code turns it into a typed [`Response`] (documented success)
//!   or an [`Error`] (documented error status, undocumented status, undecodable body).
//! - [`Download`]: a binary body, streamed from the connection or read whole.
//! - [`EventStream`](stream::EventStream): a streamed response (server-sent events, JSON lines, JSON text
//!   sequences) decoded event by event ([`stream`], parsed by [`sse`] and [`lines`]).
//! - [`pagination`]: streams of pages or items for paginated operations, which end with an error
//!   when a server repeats a cursor and its results.
//!
//! - `string_enum!` and `request_builder!`: the impls every generated string enum and every
//!   request builder share, written once (`macros.rs`).
//! - [`Nullable`]: the type of an optional property that may be `null`, which tells "leave it
//!   out", "send null" and "send a value" apart.
//!
//! - `webhooks` (with the `webhooks` feature): a webhook delivery's signature verified (Standard
//!   Webhooks, GitHub, Intercom) and its event parsed.
//!
//! - [`time`]: every timer and clock the runtime uses (sleep, timeouts, instants, the wall
//!   clock), on Tokio natively and on the JavaScript event loop on `wasm32`; [`platform`]:
//!   [`MaybeSend`](platform::MaybeSend) and [`BoxFuture`](platform::BoxFuture), `Send` natively
//!   and not on `wasm32`.
//!
//! - `mock` (the `mock` feature): a mock server for the tests of code that uses the client,
//!   which checks every request against the operation's description.
//!
//! Secrets ([`Secret`]) never appear in `Debug`, `Display`, error text or logs.

// The `webhooks` feature is the generated crate's; a crate that takes the runtime in through
// build.rs need not declare it.
#![allow(unexpected_cfgs)]

pub mod auth;
mod body;
pub mod client;
pub mod download;
pub mod error;
pub mod hooks;
pub mod lines;
mod macros;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
pub mod mock;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_operation;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_reply;
pub mod nullable;
pub mod pagination;
pub mod params;
pub mod parts;
pub mod pipeline;
pub mod platform;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;
pub mod sse;
pub mod stream;
pub mod time;
pub mod token;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use self::client::{call, Client, ClientBuilder};
pub use self::download::{Download, DownloadError};
pub use self::error::{
    ApiError, BuildError, DecodeError, Error, RepeatedCursorError, TimeoutError, TimeoutKind,
    TooLargeError, TransportError,
};
#[allow(unused_imports)]
pub(crate) use self::macros::{request_builder, string_enum};
pub use self::nullable::Nullable;
pub use self::pagination::{fetch_page, items, pages};
pub use self::parts::FilePart;
pub use self::request::{path_param, path_segment, Request, RequestOptions};
pub use self::response::{RateLimit, RawResponse, Response};
pub use self::retry::RetryPolicy;
pub use self::secret::{Auth, Secret};
