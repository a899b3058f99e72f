//! Composition keeps what the description says: constraint-only alternatives fold into one
//! struct, `allOf` embeds its base, unions name their variants after the description and convert
//! from them, and a union of scalars stands in a path or a query.

use construct_fixtures::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn constraint_only_alternatives_fold_into_one_struct_with_a_constructor_per_shape() {
    use constraint_shapes::types::{Anything, Identifiers, NewContact};
    let contact = NewContact::with_email("a@example.com");
    assert_eq!(
        serde_json::to_value(&contact).unwrap(),
        json!({"email": "a@example.com"})
    );
    let contact = NewContact {
        name: constraint_shapes::Nullable::Value("Ann".into()),
        ..NewContact::with_external_id("x1")
    };
    assert_eq!(
        serde_json::to_value(&contact).unwrap(),
        json!({"external_id": "x1", "name": "Ann"})
    );
    assert_eq!(
        serde_json::to_value(NewContact::with_role("lead")).unwrap(),
        json!({"role": "lead"})
    );
    let decoded: NewContact =
        serde_json::from_value(json!({"email": "a@example.com", "role": "user", "name": null}))
            .unwrap();
    assert_eq!(decoded.role.as_deref(), Some("user"));
    assert_eq!(
        serde_json::to_value(Identifiers::with_user_id("u1")).unwrap(),
        json!({"user_id": "u1"})
    );
    let anything: Anything = json!({"c": 1});
    assert_eq!(anything["c"], 1);
}

#[tokio::test]
async fn a_folded_body_is_sent_as_one_object() {
    use constraint_shapes::types::NewContact;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"role": "user"})))
        .mount(&server)
        .await;
    let client = constraint_shapes::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let created = client
        .create_contact(NewContact::with_email("a@example.com"))
        .await
        .unwrap();
    assert_eq!(created.role.as_deref(), Some("user"));
    let request = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
        json!({"email": "a@example.com"})
    );
}

/// Takes the base type: what every extension of it derefs to.
fn contact_id(contact: &all_of_base::types::Contact) -> &str {
    &contact.id
}

#[test]
fn all_of_embeds_its_base_and_derefs_to_it() {
    use all_of_base::types::{ArchivedContact, Contact, ContactRole, LabelledContact};
    use all_of_base::types::{NarrowedContact, ShowContactResponse};
    let wire = json!({"id": "c1", "email": "a@example.com", "role": "lead", "archived": true});
    let archived: ArchivedContact = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(contact_id(&archived), "c1");
    assert_eq!(archived.role, Some(ContactRole::Lead));
    assert!(archived.archived);
    assert_eq!(serde_json::to_value(&archived).unwrap(), wire);
    let contact: &Contact = &archived;
    assert_eq!(contact.email.as_deref(), Some("a@example.com"));
    // The base's required property is still required, and so is the extension's.
    assert!(serde_json::from_value::<ArchivedContact>(json!({"archived": true})).is_err());
    assert!(serde_json::from_value::<ArchivedContact>(json!({"id": "c1"})).is_err());
    // A role the client does not know survives the flattening.
    let odd: ArchivedContact =
        serde_json::from_value(json!({"id": "c1", "role": "bot", "archived": false})).unwrap();
    assert_eq!(odd.role, Some(ContactRole::Unknown("bot".into())));
    let shown: ShowContactResponse =
        serde_json::from_value(json!({"id": "c2", "enabled_push_messaging": null})).unwrap();
    assert_eq!(contact_id(&shown), "c2");
    assert_eq!(shown.enabled_push_messaging, all_of_base::Nullable::Null);
    // Narrowing a base property copies the fields, so that the narrowing holds.
    let narrowed: NarrowedContact =
        serde_json::from_value(json!({"id": "c3", "email": "b@example.com"})).unwrap();
    assert_eq!(narrowed.email, "b@example.com");
    // A base with a map of other properties is copied too, and the map keeps only the others.
    let labelled: LabelledContact =
        serde_json::from_value(json!({"owner": "o", "contact_id": "c4", "team": "red"})).unwrap();
    assert_eq!(labelled.contact_id.as_deref(), Some("c4"));
    assert_eq!(labelled.additional_properties.len(), 1);
    assert_eq!(labelled.additional_properties["team"], "red");
}

#[test]
fn union_variants_are_named_after_the_description_and_convert_from_their_types() {
    use union_names::types::*;
    let customer: CustomerRequest =
        serde_json::from_value(json!({"intercom_user_id": "u1"})).unwrap();
    assert!(matches!(customer, CustomerRequest::IntercomUserId(_)));
    let customer: CustomerRequest = serde_json::from_value(json!({"email": "e"})).unwrap();
    assert!(matches!(customer, CustomerRequest::Email(_)));
    let recipient: Recipient = serde_json::from_value(json!({"email": "e", "note": "n"})).unwrap();
    assert!(matches!(recipient, Recipient::Email(_)));
    let reply = ReplyRequest::from(ContactReplyRequest { body: "hi".into() });
    assert!(matches!(reply, ReplyRequest::Contact(_)));
    let reply: ReplyRequest =
        serde_json::from_value(json!({"admin_id": "a", "body": "b"})).unwrap();
    assert!(matches!(reply, ReplyRequest::Admin(_)));
    assert_eq!(IdOrCount::from(7), IdOrCount::Integer(7));
    assert_eq!(
        serde_json::from_value::<IdOrCount>(json!(["a"])).unwrap(),
        IdOrCount::StringList(vec!["a".into()])
    );
    let ticket = Ticket {
        type_: Some(TicketTypeEnum::Ticket),
    };
    assert_eq!(
        serde_json::to_value(ticket).unwrap(),
        json!({"type": "ticket"})
    );
}

#[test]
fn a_union_whose_alternatives_fix_one_property_is_tagged_by_it() {
    use union_names::types::{RedactRequest, RedactRequestSource, RedactRequestSourceType};
    let source: RedactRequest =
        serde_json::from_value(json!({"type": "source", "source_id": "s1"})).unwrap();
    assert_eq!(
        source,
        RedactRequest::Source(RedactRequestSource {
            type_: RedactRequestSourceType::Source,
            source_id: "s1".into()
        })
    );
    assert_eq!(
        serde_json::to_value(&source).unwrap(),
        json!({"type": "source", "source_id": "s1"})
    );
    // The tag decides: a part without its id is an error, not another alternative.
    assert!(serde_json::from_value::<RedactRequest>(json!({"type": "conversation_part"})).is_err());
    let later: RedactRequest = serde_json::from_value(json!({"type": "message"})).unwrap();
    assert_eq!(later, RedactRequest::Unknown(json!({"type": "message"})));
}

#[tokio::test]
async fn union_parameters_are_written_as_their_value() {
    use union_parameters::types::{GetRepoKey, GetRepoSince, GetRepoSinceString};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = union_parameters::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.get_repo("o", GetRepoKey::from(42)).await.unwrap();
    client
        .get_repo("o", GetRepoKey::from("a b/c".to_string()))
        .since(GetRepoSince::from(GetRepoSinceString::Latest))
        .await
        .unwrap();
    client
        .get_repo("o", 7.into())
        .since(GetRepoSince::Integer(3))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let urls: Vec<(&str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.url.path(), r.url.query()))
        .collect();
    assert_eq!(
        urls,
        [
            ("/repos/o/42", None),
            ("/repos/o/a%20b%2Fc", Some("since=latest")),
            ("/repos/o/7", Some("since=3")),
        ]
    );
}

#[test]
fn all_of_around_a_scalar_a_list_a_map_or_an_enum_is_that_kind() {
    use all_of_kinds::types::{Count, MaybePriority, Priority, Tags, Ticket};
    let wire = json!({
        "id": "3",
        "tags": ["urgent", "billing"],
        "labels": {"vip": 2},
        "priority": "high",
        "count": 7,
        "note": null,
        "title": "Refund",
        "state": "low"
    });
    let ticket: Ticket = serde_json::from_value(wire).unwrap();
    assert_eq!(ticket.id, "3");
    assert_eq!(ticket.tags, ["urgent", "billing"]);
    assert_eq!(ticket.labels.as_ref().and_then(|l| l.get("vip")), Some(&2));
    assert_eq!(ticket.priority, Some(Priority::High));
    let count: Option<Count> = ticket.count;
    assert_eq!(count, Some(7));
    assert!(ticket.note.is_null());
    assert_eq!(ticket.title.as_deref(), Some("Refund"));
    assert_eq!(ticket.state, Some(Priority::Low));
    // `nullable: false` in the second member takes back the first member's `nullable: true`.
    assert!(serde_json::from_value::<Ticket>(json!({"id": null, "tags": []})).is_err());
    let tags: Tags = serde_json::from_value(json!(["a"])).unwrap();
    assert_eq!(tags, ["a"]);
    let maybe: MaybePriority = serde_json::from_value(json!(null)).unwrap();
    assert_eq!(maybe, None);
    let maybe: MaybePriority = serde_json::from_value(json!("low")).unwrap();
    assert_eq!(maybe, Some(Priority::Low));
}
