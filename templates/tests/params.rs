//! Parameters laid out by their location and style, against OpenAPI 3.0's table of style
//! values (its `color` examples), with the percent-encoding of values and the literal
//! delimiters of each style.

use apigen_runtime::runtime::params::{cookie_pairs, header_text, path_text, query_pairs, Style};
use apigen_runtime::runtime::{path_param, Error};
use serde::Serialize;
use serde_json::{json, Value};

fn list() -> Value {
    json!(["blue", "black", "brown"])
}

fn object() -> Value {
    json!({"R": 100, "G": 200, "B": 150})
}

/// The query string of one parameter's pairs.
fn query(value: &Value, style: Style, explode: bool) -> String {
    query_pairs("color", value, style, explode, false)
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn query_form() {
    assert_eq!(query(&json!("blue"), Style::Form, true), "color=blue");
    assert_eq!(
        query(&list(), Style::Form, true),
        "color=blue&color=black&color=brown"
    );
    assert_eq!(query(&list(), Style::Form, false), "color=blue,black,brown");
    assert_eq!(query(&object(), Style::Form, true), "R=100&G=200&B=150");
    assert_eq!(
        query(&object(), Style::Form, false),
        "color=R,100,G,200,B,150"
    );
}

#[test]
fn query_space_and_pipe_delimited() {
    assert_eq!(
        query(&list(), Style::SpaceDelimited, false),
        "color=blue%20black%20brown"
    );
    assert_eq!(
        query(&list(), Style::PipeDelimited, false),
        "color=blue|black|brown"
    );
    assert_eq!(
        query(&object(), Style::PipeDelimited, false),
        "color=R|100|G|200|B|150"
    );
    assert_eq!(
        query(&object(), Style::SpaceDelimited, false),
        "color=R%20100%20G%20200%20B%20150"
    );
    // Exploded, they are `form`.
    assert_eq!(
        query(&list(), Style::PipeDelimited, true),
        "color=blue&color=black&color=brown"
    );
}

#[test]
fn query_deep_object_nests_and_repeats_lists() {
    assert_eq!(
        query(&object(), Style::DeepObject, true),
        "color[R]=100&color[G]=200&color[B]=150"
    );
    let nested = json!({"user": {"id": 5, "tags": ["a b", "c"]}, "skip": null});
    assert_eq!(
        query(&nested, Style::DeepObject, true),
        "color[user][id]=5&color[user][tags]=a%20b&color[user][tags]=c"
    );
}

#[test]
fn values_are_encoded_and_delimiters_are_not() {
    assert_eq!(
        query(&json!(["a,b", "c&d=e"]), Style::Form, false),
        "color=a%2Cb,c%26d%3De"
    );
    assert_eq!(
        query(&json!({"k y": "v/w"}), Style::DeepObject, true),
        "color[k%20y]=v%2Fw"
    );
    let reserved = query_pairs("q", &json!("a/b?c=d,e#f&g"), Style::Form, true, true);
    assert_eq!(reserved, [("q".to_owned(), "a/b?c=d,e%23f%26g".to_owned())]);
}

#[test]
fn null_and_empty_values_send_nothing() {
    for style in [Style::Form, Style::SpaceDelimited, Style::DeepObject] {
        for explode in [true, false] {
            assert_eq!(query(&Value::Null, style, explode), "");
            assert_eq!(query(&json!([]), style, explode), "");
            assert_eq!(query(&json!({}), style, explode), "");
        }
    }
    assert_eq!(query(&json!({"a": null, "b": 1}), Style::Form, true), "b=1");
}

#[test]
fn path_simple_label_and_matrix() {
    let cases = [
        (
            Style::Simple,
            false,
            "blue",
            "blue,black,brown",
            "R,100,G,200,B,150",
        ),
        (
            Style::Simple,
            true,
            "blue",
            "blue,black,brown",
            "R=100,G=200,B=150",
        ),
        (
            Style::Label,
            false,
            ".blue",
            ".blue,black,brown",
            ".R,100,G,200,B,150",
        ),
        (
            Style::Label,
            true,
            ".blue",
            ".blue.black.brown",
            ".R=100.G=200.B=150",
        ),
        (
            Style::Matrix,
            false,
            ";color=blue",
            ";color=blue,black,brown",
            ";color=R,100,G,200,B,150",
        ),
        (
            Style::Matrix,
            true,
            ";color=blue",
            ";color=blue;color=black;color=brown",
            ";R=100;G=200;B=150",
        ),
    ];
    for (style, explode, scalar, array, obj) in cases {
        let at = format!("{style:?} explode={explode}");
        assert_eq!(
            path_text("color", &json!("blue"), style, explode),
            scalar,
            "{at}"
        );
        assert_eq!(path_text("color", &list(), style, explode), array, "{at}");
        assert_eq!(path_text("color", &object(), style, explode), obj, "{at}");
    }
    assert_eq!(
        path_text("id", &json!("a/b c"), Style::Simple, false),
        "a%2Fb%20c"
    );
}

#[test]
fn path_param_serialises_enums_and_unions_and_refuses_dot_segments() {
    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Order {
        NewestFirst,
    }
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Key {
        Id(i64),
        Name(String),
    }
    assert_eq!(
        path_param::<(), _>("order", &Order::NewestFirst, Style::Simple, false).unwrap(),
        "newest_first"
    );
    assert_eq!(
        path_param::<(), _>("key", &Key::Id(7), Style::Simple, false).unwrap(),
        "7"
    );
    assert_eq!(
        path_param::<(), _>("key", &Key::Name("a b".into()), Style::Label, false).unwrap(),
        ".a%20b"
    );
    for bad in ["", ".", ".."] {
        match path_param::<(), _>("key", &Key::Name(bad.into()), Style::Simple, false) {
            Err(Error::InvalidRequest(message)) => assert!(message.contains("`key`"), "{message}"),
            other => panic!("{bad:?} was accepted: {other:?}"),
        }
    }
}

#[test]
fn headers_are_simple_and_not_encoded() {
    assert_eq!(header_text(&json!("a b"), false).as_deref(), Some("a b"));
    assert_eq!(
        header_text(&list(), false).as_deref(),
        Some("blue,black,brown")
    );
    assert_eq!(
        header_text(&object(), false).as_deref(),
        Some("R,100,G,200,B,150")
    );
    assert_eq!(
        header_text(&object(), true).as_deref(),
        Some("R=100,G=200,B=150")
    );
    assert_eq!(header_text(&Value::Null, false), None);
}

#[test]
fn cookies_are_form() {
    assert_eq!(cookie_pairs("id", &json!("a;b"), true), ["id=a%3Bb"]);
    assert_eq!(cookie_pairs("ids", &json!([1, 2]), false), ["ids=1,2"]);
    assert_eq!(
        cookie_pairs("ids", &json!([1, 2]), true),
        ["ids=1", "ids=2"]
    );
    assert_eq!(
        cookie_pairs("c", &json!({"R": 1, "G": 2}), true),
        ["R=1", "G=2"]
    );
    assert_eq!(
        cookie_pairs("c", &json!({"R": 1, "G": 2}), false),
        ["c=R,1,G,2"]
    );
}
