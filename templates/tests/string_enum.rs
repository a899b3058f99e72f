//! `string_enum!`: a generated string enum shows, encodes and decodes as its wire text, keeps a
//! value it does not know, and leaves out `Serialize` where an attribute says so.

use apigen_runtime::string_enum_samples::{ReceivedOnly, State};
use serde_json::json;

#[test]
fn a_string_enum_is_its_wire_text_in_display_encoding_and_decoding() {
    assert_eq!(State::Closed.to_string(), "closed");
    assert_eq!(serde_json::to_value(State::Open).unwrap(), json!("open"));
    let decoded: State = serde_json::from_value(json!("closed")).unwrap();
    assert_eq!(decoded, State::Closed);
}

#[test]
fn a_value_the_enum_does_not_know_round_trips_through_the_catch_all() {
    let decoded: State = serde_json::from_value(json!("archived")).unwrap();
    assert_eq!(decoded, State::Unknown("archived".into()));
    assert_eq!(decoded.to_string(), "archived");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json!("archived"));
}

#[test]
fn escaped_text_decodes_too() {
    // `Cow<str>` borrows where it can and owns where JSON escapes force a copy.
    let decoded: State = serde_json::from_str(r#""op\u0065n""#).unwrap();
    assert_eq!(decoded, State::Open);
}

#[test]
fn a_value_that_is_not_text_is_an_error() {
    assert!(serde_json::from_value::<State>(json!(3)).is_err());
    assert!(serde_json::from_value::<State>(json!(null)).is_err());
}

/// Whether `T` implements `Serialize`, asked of a concrete type: method lookup takes the impl
/// for `&Probe<T>` where `T: Serialize`, and only else the one for `&&Probe<T>`.
struct Probe<T>(std::marker::PhantomData<T>);

trait Encodes {
    fn encodes(&self) -> bool {
        true
    }
}
impl<T: serde::Serialize> Encodes for Probe<T> {}

trait DoesNotEncode {
    fn encodes(&self) -> bool {
        false
    }
}
impl<T> DoesNotEncode for &Probe<T> {}

#[test]
// The borrow is the probe: without it, lookup never reaches the `&&Probe<T>` impl.
#[allow(clippy::needless_borrow)]
fn the_attribute_goes_on_the_encoder_alone() {
    // `#[cfg(any())]` compiles nothing: the enum has no encoder, and still decodes and displays.
    assert!((&Probe::<State>(std::marker::PhantomData)).encodes());
    assert!(!(&Probe::<ReceivedOnly>(std::marker::PhantomData)).encodes());
    let decoded: ReceivedOnly = serde_json::from_value(json!("yes")).unwrap();
    assert_eq!(decoded, ReceivedOnly::Yes);
    assert_eq!(decoded.to_string(), "yes");
}
