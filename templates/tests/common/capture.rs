//! A tracing subscriber that keeps every span, record and event as text, for the trace tests.
//!
//! Each test using it has a file of its own: tracing caches per-callsite interest process-wide,
//! so a scoped subscriber is only reliable when no other test in the process runs at the same
//! time.

use std::fmt::{Debug, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A tracing subscriber that writes every span, record and event into one string.
#[derive(Clone, Default)]
pub struct Capture {
    pub log: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Capture {
    fn write(&self, line: impl FnOnce(&mut String)) {
        let mut log = self.log.lock().unwrap();
        line(&mut log);
        log.push('\n');
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.write(|log| {
            log.push_str("span ");
            log.push_str(span.metadata().name());
            span.record(&mut Fields(log));
        });
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        self.write(|log| {
            log.push_str("record");
            values.record(&mut Fields(log));
        });
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.write(|log| {
            log.push_str("event");
            event.record(&mut Fields(log));
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
