//! Streams over paginated operations.
//!
//! A paginated operation is described by a first state `S` (a page number, a cursor, the
//! request parameters…) and a `fetch` function that turns a state into one page of items and
//! the state of the next page, if any. The streams stop after the last page (next state `None`),
//! at the first empty page, or after the first error, which they yield.
//!
//! A server that sends a cursor again would make a stream loop forever, so each stream
//! remembers every state it has fetched (not only the previous one) with the page it got, and
//! when a state comes back and brings the same page again, the stream ends with
//! [`Error::RepeatedCursor`] instead of yielding that page. A repeated cursor that brings new
//! results is followed: a scroll session keeps one cursor for all its pages (Intercom's
//! `scroll_param`, like Elasticsearch's scroll id) and runs to its empty last page, while a
//! server cycling through cursors is caught one request after it repeats one.
//!
//! The runtime sees a generated request builder only through its derived `Debug`, so states
//! and pages are compared by their `Debug` text, hashed as it is written: a few bytes per
//! distinct state, never the text itself. A state's `Debug` must therefore show the cursor, as a
//! derived `Debug` does.
//!
//! The streams are not `Unpin`; pin them before polling, e.g. with `Box::pin(stream)` or
//! `std::pin::pin!(stream)`, then use `futures_util::StreamExt::next` or `TryStreamExt`.
//! They are `Send` when the state, the function and its future are.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::future::Future;
use std::hash::{BuildHasher, Hasher};

use futures_core::Stream;
use futures_util::stream;

use super::client::CallBody;
use super::error::{Error, RepeatedCursorError};

/// A stream of pages: each item is one page of results, or the error that ended the stream.
pub fn pages<S, T, E, F, Fut>(first: S, fetch: F) -> impl Stream<Item = Result<Vec<T>, Error<E>>>
where
    S: fmt::Debug,
    T: fmt::Debug,
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<S>), Error<E>>>,
{
    stream::try_unfold(
        (Some(first), fetch, Fetched::default()),
        |(state, mut fetch, mut fetched)| async move {
            let Some(state) = state else {
                return Ok(None);
            };
            let key = fetched.key(&state);
            let (page, next) = fetch(state).await?;
            if page.is_empty() {
                return Ok(None);
            }
            fetched.record(key, &page)?;
            Ok(Some((page, (next, fetch, fetched))))
        },
    )
}

/// A stream of the items of every page, in order, or the error that ended the stream.
pub fn items<S, T, E, F, Fut>(first: S, fetch: F) -> impl Stream<Item = Result<T, Error<E>>>
where
    S: fmt::Debug,
    T: fmt::Debug,
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<S>), Error<E>>>,
{
    stream::try_unfold(
        (
            Vec::new().into_iter(),
            Some(first),
            fetch,
            Fetched::default(),
        ),
        |(mut buffered, mut state, mut fetch, mut fetched)| async move {
            loop {
                if let Some(item) = buffered.next() {
                    return Ok(Some((item, (buffered, state, fetch, fetched))));
                }
                let Some(current) = state.take() else {
                    return Ok(None);
                };
                let key = fetched.key(&current);
                let (page, next) = fetch(current).await?;
                if page.is_empty() {
                    return Ok(None);
                }
                fetched.record(key, &page)?;
                buffered = page.into_iter();
                state = next;
            }
        },
    )
}

/// The states a stream has fetched pages with, by a hash of their `Debug` text, each with the
/// number of the first page it fetched and a hash of the last page it brought.
///
/// The hasher's keys are random for each stream, so a server cannot choose cursors that
/// collide; two different texts share a hash with a chance of about 2⁻⁶⁴ per pair. (On `wasm32`
/// the standard library has no random source and the keys are guessable; a server that chose
/// colliding cursors and pages could only end its own stream early, as an empty page does.)
#[derive(Default)]
struct Fetched {
    hasher: RandomState,
    pages: u64,
    states: HashMap<u64, (u64, u64)>,
}

impl Fetched {
    /// The key of the state about to fetch a page.
    fn key<S: fmt::Debug>(&self, state: &S) -> u64 {
        self.fingerprint(state)
    }

    /// Records the page the state with this key brought, or returns the error to end the
    /// stream with when that state brought the very same page before.
    fn record<T: fmt::Debug, E>(&mut self, key: u64, page: &[T]) -> Result<(), Error<E>> {
        self.pages += 1;
        let page_hash = self.fingerprint(&page);
        match self.states.get_mut(&key) {
            Some((first_page, last)) if *last == page_hash => Err(Error::RepeatedCursor(
                RepeatedCursorError::new(self.pages - 1, *first_page),
            )),
            Some((_, last)) => {
                *last = page_hash;
                Ok(())
            }
            None => {
                self.states.insert(key, (self.pages, page_hash));
                Ok(())
            }
        }
    }

    /// Hashes the `Debug` text of `value` as it is written, without building it.
    fn fingerprint<V: fmt::Debug + ?Sized>(&self, value: &V) -> u64 {
        struct Feed<H>(H);
        impl<H: Hasher> fmt::Write for Feed<H> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                self.0.write(text.as_bytes());
                Ok(())
            }
        }
        let mut feed = Feed(self.hasher.build_hasher());
        // Writing into a hasher cannot fail; a `Debug` that fails leaves a shorter text.
        let _ = write!(feed, "{value:?}");
        feed.0.finish()
    }
}

/// The fetch function of a list operation: awaits the page `call` brings and `split`s it into its
/// items and the state of the next page, if any. Each operation gives a plain closure, and every
/// operation shares this one `async` body.
pub async fn fetch_page<P, T, S, E>(
    call: CallBody<'_, P, E>,
    split: impl FnOnce(P) -> (Vec<T>, Option<S>),
) -> Result<(Vec<T>, Option<S>), Error<E>> {
    call.await.map(split)
}
