//! Each construct decodes what its schema describes, the way a server would send it.

use construct_fixtures::*;
use serde_json::json;

#[test]
fn nullable_fields_and_wrappers() {
    use nullable::types::{Owner, Pet};
    use nullable::Nullable;
    let pet: Pet = serde_json::from_value(
        json!({"name": "Rex", "nickname": null, "age": null, "owner": null}),
    )
    .unwrap();
    assert_eq!(
        pet,
        Pet {
            name: "Rex".into(),
            nickname: None,
            age: Nullable::Null,
            owner: Nullable::Null
        }
    );
    let pet: Pet =
        serde_json::from_value(json!({"name": "Rex", "nickname": "R", "owner": {"id": "o1"}}))
            .unwrap();
    assert_eq!(pet.owner, Nullable::Value(Owner::new("o1")));
    // A missing optional property is absent, not null.
    assert_eq!(pet.age, Nullable::Absent);
    // A required, nullable property is written even when null; an absent optional one is not.
    assert_eq!(
        serde_json::to_value(Pet::new("Rex", None)).unwrap(),
        json!({"name": "Rex", "nickname": null})
    );
    let pet = Pet {
        age: Nullable::Null,
        ..Pet::new("Rex", Some("R".into()))
    };
    assert_eq!(
        serde_json::to_value(pet).unwrap(),
        json!({"name": "Rex", "nickname": "R", "age": null})
    );
    // A required, non-nullable property may not be missing.
    assert!(serde_json::from_value::<Pet>(json!({"nickname": "R"})).is_err());
}

#[test]
fn all_of_merges_every_part_and_its_required_list() {
    use all_of::types::Company;
    let company: Company =
        serde_json::from_value(json!({"id": "c1", "created_at": 1, "name": "Acme", "size": 5}))
            .unwrap();
    assert_eq!(
        (company.id.as_str(), company.name.as_str(), company.size),
        ("c1", "Acme", Some(5))
    );
    assert!(
        serde_json::from_value::<Company>(json!({"id": "c1"})).is_err(),
        "name is required by the third part"
    );
}

#[test]
fn discriminated_unions_follow_the_tag() {
    use one_of_tagged::types::{Animal, Pet};
    let cat: Pet = serde_json::from_value(json!({"type": "cat", "lives": 9})).unwrap();
    assert!(matches!(&cat, Pet::Cat(c) if c.lives == 9));
    let dog: Pet = serde_json::from_value(json!({"type": "dog", "lives": 9})).unwrap();
    assert!(matches!(dog, Pet::Dog(_)), "the tag decides, not the shape");
    let bird: Pet = serde_json::from_value(json!({"type": "bird", "wings": 2})).unwrap();
    assert_eq!(bird, Pet::Unknown(json!({"type": "bird", "wings": 2})));
    assert_eq!(
        serde_json::to_value(&cat).unwrap(),
        json!({"type": "cat", "lives": 9})
    );
    // Without a mapping, the schema names are the tag values.
    let animal: Animal = serde_json::from_value(json!({"type": "Dog"})).unwrap();
    assert!(matches!(animal, Animal::Dog(_)));
    // A tagged value that does not fit its alternative is an error, not a silent fallback.
    assert!(serde_json::from_value::<Pet>(json!({"type": "cat"})).is_err());
}

#[test]
fn untagged_unions_decode_into_the_right_alternative() {
    use one_of_untagged::types::{Either, Filter, Item};
    // The description lists the catch-all `Note` first; it is tried last, so a reference stays one.
    let reference: Item = serde_json::from_value(json!({"id": "1", "type": "user"})).unwrap();
    assert!(matches!(reference, Item::Reference(_)), "{reference:?}");
    let note: Item = serde_json::from_value(json!({"text": "hi"})).unwrap();
    assert!(matches!(note, Item::Note(_)), "{note:?}");
    // Integers before floats: 3 stays an integer, 3.5 is a number.
    assert_eq!(
        serde_json::from_value::<Item>(json!(3)).unwrap(),
        Item::Integer(3)
    );
    assert_eq!(
        serde_json::from_value::<Item>(json!(3.5)).unwrap(),
        Item::Number(3.5)
    );
    assert_eq!(
        serde_json::from_value::<Item>(json!("x")).unwrap(),
        Item::String("x".into())
    );
    // Two objects with optional properties: the one whose properties fit the keys exactly wins.
    let multiple: Filter = serde_json::from_value(json!({"operator": "AND", "value": []})).unwrap();
    assert!(matches!(multiple, Filter::Multiple(_)), "{multiple:?}");
    let single: Filter =
        serde_json::from_value(json!({"field": "f", "operator": "=", "value": ["v"]})).unwrap();
    assert!(matches!(single, Filter::Single(_)), "{single:?}");
    assert_eq!(
        serde_json::from_value::<Either>(json!(["a"])).unwrap(),
        Either::StringList(vec!["a".into()])
    );
    assert!(serde_json::from_value::<Item>(json!(true)).is_err());
}

#[test]
fn maps_and_free_form_objects() {
    use maps::types::{Anything, Counts, Nested, Tagged};
    let counts: Counts = serde_json::from_value(json!({"a": 1, "b": 2})).unwrap();
    assert_eq!(counts["b"], 2);
    let anything: Anything = serde_json::from_value(json!({"x": [1, {"y": null}]})).unwrap();
    assert_eq!(anything["x"][1]["y"], serde_json::Value::Null);
    let tagged: Tagged = serde_json::from_value(json!({"id": "t", "color": "red"})).unwrap();
    assert_eq!(tagged.id, "t");
    assert_eq!(tagged.additional_properties["color"], "red");
    assert_eq!(
        serde_json::to_value(&tagged).unwrap(),
        json!({"id": "t", "color": "red"})
    );
    let nested: Nested = serde_json::from_value(json!({"by_day": {"mon": [1.5, 2]}})).unwrap();
    assert_eq!(nested.by_day.unwrap()["mon"], vec![1.5, 2.0]);
}

#[test]
fn enums_have_readable_names_and_keep_unknown_values() {
    use enums::types::{Keywords, Level, Operator, Sort, Version};
    let all: Vec<Operator> = serde_json::from_value(json!([
        "=", "!=", "<", "<=", ">", ">=", "~", "!~", "^", "$", "IN", "NIN"
    ]))
    .unwrap();
    use Operator::*;
    assert_eq!(
        all,
        vec![
            Eq,
            Ne,
            Lt,
            Le,
            Gt,
            Ge,
            Contains,
            NotContains,
            StartsWith,
            EndsWith,
            In,
            Nin
        ]
    );
    assert_eq!(
        serde_json::from_value::<Version>(json!("2.13")).unwrap(),
        Version::V2_13
    );
    assert_eq!(
        serde_json::from_value::<Version>(json!("2.99")).unwrap(),
        Version::Unknown("2.99".into())
    );
    assert_eq!(Version::Unknown("2.99".into()).to_string(), "2.99");
    let sorts: Vec<Sort> = serde_json::from_value(json!([
        "created_at",
        "-created_at",
        "open",
        "Open",
        "in-progress",
        "in_progress",
        ""
    ]))
    .unwrap();
    assert_eq!(
        sorts,
        vec![
            Sort::CreatedAt,
            Sort::MinusCreatedAt,
            Sort::Open,
            Sort::Open2,
            Sort::InMinusProgress,
            Sort::InProgress,
            Sort::Empty
        ]
    );
    // Every value round-trips to its own spelling.
    for sort in &sorts {
        assert_eq!(serde_json::to_value(sort).unwrap(), json!(sort.as_str()));
    }
    let keywords: Vec<Keywords> =
        serde_json::from_value(json!(["type", "unknown", "Unknown", "other"])).unwrap();
    assert_eq!(
        keywords,
        vec![
            Keywords::Type,
            Keywords::Unknown,
            Keywords::Unknown2,
            Keywords::UnknownValue("other".into())
        ]
    );
    let level: Level = serde_json::from_value(json!(2)).unwrap();
    assert_eq!(level, 2);
}

#[test]
fn formats_map_by_type_first() {
    use formats::types::Times;
    let times: Times = serde_json::from_value(json!({
        "applied_at": 1663597223, "created_at": "2024-01-01T00:00:00Z", "day": "2024-01-01",
        "small": 2147483647, "big": 9007199254740993i64, "ratio": 0.5, "price": 10, "stamp": 1, "id": "0b0c", "blob": "AAEC"
    }))
    .unwrap();
    assert_eq!(times.applied_at, Some(1663597223i64));
    assert_eq!(times.small, Some(i32::MAX));
    assert_eq!(times.big, Some(9007199254740993));
    assert!(
        serde_json::from_value::<Times>(json!({"applied_at": "2024-01-01T00:00:00Z"})).is_err(),
        "an integer timestamp is not a date string"
    );
    assert!(serde_json::from_value::<Times>(json!({"small": 2147483648i64})).is_err());
}

#[test]
fn recursive_types_box_only_where_a_cycle_closes() {
    use recursive::types::{Employee, Manager, Node};
    let mut json = json!({"value": "leaf"});
    for depth in 0..100 {
        json = json!({"value": format!("level {depth}"), "parent": json, "children": [{"value": "child"}]});
    }
    let node: Node = serde_json::from_value(json).unwrap();
    let mut current = &node;
    let mut depth = 0;
    while let Some(parent) = &current.parent {
        current = parent;
        depth += 1;
    }
    assert_eq!((depth, current.value.as_str()), (100, "leaf"));
    let manager = Manager {
        assistant: Some(Box::new(Employee { manager: None })),
        reports: None,
    };
    let employee = Employee {
        manager: Some(manager),
    };
    assert!(serde_json::to_string(&employee)
        .unwrap()
        .contains("assistant"));
}

#[test]
fn inline_schemas_are_hoisted_to_named_types() {
    use hoisting::types::{
        CreateOrderRequest, CreateOrderRequestLinesItem, CreateOrderRequestLinesItemStatus,
    };
    let order = CreateOrderRequest {
        lines: vec![CreateOrderRequestLinesItem {
            sku: Some("A-1".into()),
            status: Some(CreateOrderRequestLinesItemStatus::Shipped),
        }],
        shipping: None,
    };
    assert_eq!(
        serde_json::to_value(&order).unwrap(),
        json!({"lines": [{"sku": "A-1", "status": "shipped"}]})
    );
}

#[test]
fn arrays_without_items_hold_json_values() {
    use missing_items::types::Bag;
    let bag: Bag = serde_json::from_value(json!({"things": [1, "two", {"three": 3}]})).unwrap();
    assert_eq!(bag.things.unwrap().len(), 3);
}

#[test]
fn local_defects_decode_any_json_where_the_description_is_broken() {
    use local_defects::types::Holder;
    let holder: Holder = serde_json::from_value(json!({
        "id": "h1",
        "dangling": {"any": ["thing"]},
        "strange": 3,
        "impossible": [true],
        "malformed": ["x", 1, null],
        "fine": 7,
    }))
    .unwrap();
    assert_eq!(holder.dangling, Some(json!({"any": ["thing"]})));
    assert_eq!(holder.strange, Some(json!(3)));
    assert_eq!(holder.impossible, Some(json!([true])));
    assert_eq!(
        holder.malformed,
        Some(vec![json!("x"), json!(1), json!(null)])
    );
    // What the description got right is still typed.
    assert_eq!((holder.id.as_str(), holder.fine), ("h1", Some(7)));
    assert!(serde_json::from_value::<Holder>(json!({"id": "h1", "fine": "seven"})).is_err());
}

#[test]
fn required_fixed_and_nullable_properties_decode_as_described() {
    use required_and_nullable::types::{ParentRef, Settings, SettingsMode, Ticket, TicketState};
    use required_and_nullable::Nullable;
    let ticket: Ticket = serde_json::from_value(json!({
        "type": "ticket", "id": "t1", "state": "open", "assignee_id": null,
        "company_id": null, "parent": {"id": "p1"}
    }))
    .unwrap();
    assert_eq!(
        ticket,
        Ticket {
            company_id: Nullable::Null,
            parent: Nullable::Value(ParentRef {
                id: Some("p1".into())
            }),
            ..Ticket::new("t1", TicketState::Open, None)
        }
    );
    let ticket: Ticket = serde_json::from_value(
        json!({"type": "ticket", "id": "t1", "state": "closed", "assignee_id": "a1"}),
    )
    .unwrap();
    assert_eq!(
        (
            ticket.assignee_id.as_deref(),
            ticket.company_id,
            ticket.parent
        ),
        (Some("a1"), Nullable::Absent, Nullable::Absent)
    );
    // A required property may not be missing; a required nullable one that is missing is read
    // leniently, as null (serde's rule for an `Option`).
    let no_state = json!({"type": "ticket", "id": "t1", "assignee_id": null});
    assert!(serde_json::from_value::<Ticket>(no_state).is_err());
    let no_assignee = json!({"type": "ticket", "id": "t1", "state": "open"});
    let ticket: Ticket = serde_json::from_value(no_assignee).unwrap();
    assert_eq!(ticket.assignee_id, None);
    // The defaults the description gives are what `Default` fills in, and decode back.
    let settings = Settings::default();
    assert_eq!(
        (
            settings.version,
            settings.retries,
            settings.kind.as_str(),
            &settings.mode
        ),
        (2, -3, "standard", &SettingsMode::Safe)
    );
    let round_trip: Settings =
        serde_json::from_value(serde_json::to_value(&settings).unwrap()).unwrap();
    assert_eq!(round_trip, settings);
}
