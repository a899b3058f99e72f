//! Streams over paginated operations.
//!
//! A paginated operation is described by a first state `S` (a page number, a cursor, the
//! request parameters…) and a `fetch` function that turns a state into one page of items and
//! the state of the next page, if any. The streams stop after the last page (next state `None`),
//! at the first empty page, or after the first error, which they yield.
//!
//! The streams are not `Unpin`; pin them before polling, e.g. with `Box::pin(stream)` or
//! `std::pin::pin!(stream)`, then use `futures_util::StreamExt::next` or `TryStreamExt`.
//! They are `Send` when the state, the function and its future are.

use std::future::Future;

use futures_core::Stream;
use futures_util::stream;

use super::error::Error;

/// A stream of pages: each item is one page of results, or the error that ended the stream.
pub fn pages<S, T, E, F, Fut>(first: S, fetch: F) -> impl Stream<Item = Result<Vec<T>, Error<E>>>
where
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<S>), Error<E>>>,
{
    stream::try_unfold((Some(first), fetch), |(state, mut fetch)| async move {
        let Some(state) = state else {
            return Ok(None);
        };
        let (page, next) = fetch(state).await?;
        if page.is_empty() {
            return Ok(None);
        }
        Ok(Some((page, (next, fetch))))
    })
}

/// A stream of the items of every page, in order, or the error that ended the stream.
pub fn items<S, T, E, F, Fut>(first: S, fetch: F) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<S>), Error<E>>>,
{
    stream::try_unfold(
        (Vec::new().into_iter(), Some(first), fetch),
        |(mut buffered, mut state, mut fetch)| async move {
            loop {
                if let Some(item) = buffered.next() {
                    return Ok(Some((item, (buffered, state, fetch))));
                }
                let Some(current) = state.take() else {
                    return Ok(None);
                };
                let (page, next) = fetch(current).await?;
                if page.is_empty() {
                    return Ok(None);
                }
                buffered = page.into_iter();
                state = next;
            }
        },
    )
}
