//! `Nullable`: absent, `null` and a value stay apart when decoded, encoded and converted.

use apigen_runtime::runtime::Nullable;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A body the way the generator writes a nullable optional property.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Ticket {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    company_id: Nullable<String>,
}

#[test]
fn a_missing_property_decodes_as_absent_null_as_null_and_a_value_as_a_value() {
    let decode = |value| serde_json::from_value::<Ticket>(value).unwrap().company_id;
    assert_eq!(decode(json!({})), Nullable::Absent);
    assert_eq!(decode(json!({"company_id": null})), Nullable::Null);
    assert_eq!(
        decode(json!({"company_id": "c1"})),
        Nullable::Value("c1".to_string())
    );
    assert!(serde_json::from_value::<Ticket>(json!({"company_id": 5})).is_err());
}

#[test]
fn absent_is_left_out_null_is_written_as_null_and_a_value_as_itself() {
    let encode = |company_id| serde_json::to_value(Ticket { company_id }).unwrap();
    assert_eq!(encode(Nullable::Absent), json!({}));
    assert_eq!(encode(Nullable::Null), json!({"company_id": null}));
    assert_eq!(encode("c1".to_string().into()), json!({"company_id": "c1"}));
    // Outside a field that skips it, absent has no way to be left out and is written as null.
    assert_eq!(
        serde_json::to_value(Nullable::<i32>::Absent).unwrap(),
        json!(null)
    );
}

#[test]
fn conversions_and_accessors_keep_the_three_states_apart() {
    assert_eq!(Nullable::<u8>::default(), Nullable::Absent);
    assert_eq!(Nullable::from(3), Nullable::Value(3));
    assert_eq!(Nullable::from(Some(3)), Nullable::Value(3));
    assert_eq!(Nullable::<u8>::from(None), Nullable::Null);
    let states = [Nullable::Absent, Nullable::Null, Nullable::Value(3)];
    let flags: Vec<(bool, bool, bool)> = states
        .iter()
        .map(|n| (n.is_absent(), n.is_null(), n.is_value()))
        .collect();
    assert_eq!(
        flags,
        [
            (true, false, false),
            (false, true, false),
            (false, false, true)
        ]
    );
    let options: Vec<Option<u8>> = states.iter().map(|n| n.into_option()).collect();
    assert_eq!(options, [None, None, Some(3)]);
    assert_eq!(states[2].as_ref(), Some(&3));
    assert_eq!(states[1].map(|n| n + 1), Nullable::Null);
    assert_eq!(states[2].map(|n| n + 1), Nullable::Value(4));
    let name = Nullable::Value("Ada".to_string());
    assert_eq!(name.as_deref(), Some("Ada"));
}

#[test]
fn get_or_insert_with_fills_absent_and_null_and_keeps_a_value() {
    for mut state in [Nullable::Absent, Nullable::Null] {
        *state.get_or_insert_with(|| 1) += 1;
        assert_eq!(state, Nullable::Value(2));
    }
    let mut value = Nullable::Value(7);
    *value.get_or_insert_with(|| 1) += 1;
    assert_eq!(value, Nullable::Value(8));
    if let Some(inner) = value.as_mut() {
        *inner = 0;
    }
    assert_eq!(value, Nullable::Value(0));
}
