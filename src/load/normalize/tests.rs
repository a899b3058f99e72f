//! The rules of normalisation, one per test: what each keyword becomes, what is dropped with a
//! warning, and where every moved part is mapped back to.

use super::*;
use serde_json::json;

fn at(text: &str) -> Pointer {
    Pointer::parse(text).expect("a pointer")
}

/// `doc` normalised as a `dialect` document: the result, the warnings as `pointer: message`, and
/// the moves.
fn normalized(dialect: Dialect, mut doc: Value) -> (Value, Vec<String>, PointerMap) {
    let done = normalize(&mut doc, dialect);
    let warnings = done
        .warnings
        .iter()
        .map(|(at, message)| format!("{at}: {message}"))
        .collect();
    (doc, warnings, done.moves)
}

/// A 3.1 document holding `schema` as `#/components/schemas/S`.
fn v31_schema(schema: Value) -> (Value, Vec<String>, PointerMap) {
    let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"S": schema}}});
    let (doc, warnings, moves) = normalized(Dialect::OpenApi31, doc);
    (doc["components"]["schemas"]["S"].clone(), warnings, moves)
}

fn original(moves: &PointerMap, pointer: &str) -> String {
    moves.original(&at(pointer)).to_string()
}

#[test]
fn a_3_0_document_is_not_touched() {
    let doc =
        json!({"openapi": "3.0.3", "components": {"schemas": {"S": {"type": ["string", "null"]}}}});
    let (out, warnings, moves) = normalized(Dialect::OpenApi30, doc.clone());
    assert_eq!(out, doc);
    assert!(warnings.is_empty() && moves.is_empty());
}

#[test]
fn the_top_of_a_3_1_document() {
    let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}}});
    let (doc, warnings, moves) = normalized(Dialect::OpenApi31, doc);
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["paths"], json!({}));
    assert!(doc.get("webhooks").is_none() && doc.get("jsonSchemaDialect").is_none());
    assert_eq!(original(&moves, "#/paths"), "#");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("#/jsonSchemaDialect: schemas are read as OpenAPI's own dialect")
    );
    assert!(warnings[1].starts_with("#/webhooks: 1 webhook(s) skipped"));
    let (_, warnings, _) = normalized(
        Dialect::OpenApi31,
        json!({"openapi": "3.1.0", "paths": {},
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base"}),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn type_lists_with_null_become_nullable() {
    let (s, warnings, moves) = v31_schema(json!({"type": ["string", "null"], "format": "date"}));
    assert_eq!(
        s,
        json!({"format": "date", "nullable": true, "type": "string"})
    );
    assert!(warnings.is_empty());
    assert_eq!(
        original(&moves, "#/components/schemas/S/nullable"),
        "#/components/schemas/S/type/1"
    );
    let (s, _, _) = v31_schema(json!({"type": "null"}));
    assert_eq!(s, json!({"nullable": true}));
}

#[test]
fn several_types_become_an_any_of_taking_their_keywords() {
    let (s, _, moves) = v31_schema(json!({
        "type": ["array", "string", "null"], "items": {"type": "integer"}, "maxLength": 3}));
    assert_eq!(
        s,
        json!({"nullable": true, "anyOf": [
            {"type": "array", "items": {"type": "integer"}},
            {"type": "string", "maxLength": 3}]})
    );
    let s_at = "#/components/schemas/S";
    assert_eq!(
        original(&moves, &format!("{s_at}/anyOf/1")),
        format!("{s_at}/type/1")
    );
    assert_eq!(
        original(&moves, &format!("{s_at}/anyOf/0/items/type")),
        format!("{s_at}/items/type")
    );
}

#[test]
fn a_null_branch_makes_the_schema_nullable() {
    let (s, _, moves) = v31_schema(json!({"description": "d",
        "anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/T"}]}));
    assert_eq!(
        s,
        json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
    );
    let s_at = "#/components/schemas/S";
    assert_eq!(
        original(&moves, &format!("{s_at}/allOf/0/$ref")),
        format!("{s_at}/anyOf/1/$ref")
    );
    assert_eq!(
        original(&moves, &format!("{s_at}/nullable")),
        format!("{s_at}/anyOf/0")
    );
    // An inline branch left alone is the schema itself.
    let (s, _, moves) =
        v31_schema(json!({"oneOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}]}));
    assert_eq!(
        s,
        json!({"nullable": true, "type": "string", "enum": ["a"]})
    );
    assert_eq!(
        original(&moves, &format!("{s_at}/enum/0")),
        format!("{s_at}/oneOf/0/enum/0")
    );
    // Several branches stay a union.
    let (s, _, moves) =
        v31_schema(json!({"oneOf": [{"type": "null"}, {"type": "string"}, {"type": "integer"}]}));
    assert_eq!(
        s,
        json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
    );
    assert_eq!(
        original(&moves, &format!("{s_at}/oneOf/1/type")),
        format!("{s_at}/oneOf/2/type")
    );
}

#[test]
fn const_examples_and_numeric_bounds() {
    let (s, _, moves) = v31_schema(json!({"const": "cat", "examples": ["a", "b"],
    "properties": {
        "n": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5},
        "k": {"const": 2},
    }}));
    assert_eq!(s["type"], "string");
    assert_eq!(s["enum"], json!(["cat"]));
    assert_eq!(s["example"], "a");
    assert!(s.get("examples").is_none() && s.get("const").is_none());
    // The inclusive maximum bounds tighter than the exclusive one, which goes.
    assert_eq!(
        s["properties"]["n"],
        json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
    );
    assert_eq!(
        s["properties"]["k"],
        json!({"type": "integer", "enum": [2]})
    );
    let s_at = "#/components/schemas/S";
    assert_eq!(
        original(&moves, &format!("{s_at}/enum/0")),
        format!("{s_at}/const")
    );
    assert_eq!(
        original(&moves, &format!("{s_at}/example")),
        format!("{s_at}/examples/0")
    );
    assert_eq!(
        original(&moves, &format!("{s_at}/properties/n/minimum")),
        format!("{s_at}/properties/n/exclusiveMinimum")
    );
}

#[test]
fn a_reference_with_siblings() {
    let (s, _, moves) = v31_schema(json!({"properties": {
        "constrained": {"$ref": "#/components/schemas/T", "maxLength": 3},
        "described": {"$ref": "#/components/schemas/T", "description": "only a description"},
    }}));
    assert_eq!(
        s["properties"]["constrained"],
        json!({"maxLength": 3, "allOf": [{"$ref": "#/components/schemas/T"}]})
    );
    assert_eq!(
        s["properties"]["described"],
        json!({"$ref": "#/components/schemas/T", "description": "only a description"})
    );
    let p = "#/components/schemas/S/properties/constrained";
    assert_eq!(
        original(&moves, &format!("{p}/allOf/0/$ref")),
        format!("{p}/$ref")
    );
}

#[test]
fn defs_are_hoisted_and_references_into_them_rewritten() {
    let doc = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
        "A": {"$defs": {"B": {"type": "string"}, "C": {"$defs": {"D": {"type": "integer"}}}},
              "properties": {
                  "b": {"$ref": "#/components/schemas/A/$defs/B"},
                  "d": {"$ref": "#/components/schemas/A/$defs/C/$defs/D"}}},
        "B": {"type": "boolean"},
    }}});
    let (doc, _, moves) = normalized(Dialect::OpenApi31, doc);
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["A_B"], json!({"type": "string"}));
    assert_eq!(schemas["D"], json!({"type": "integer"}));
    assert_eq!(schemas["C"], json!({}));
    assert!(schemas["A"].get("$defs").is_none());
    assert_eq!(
        schemas["A"]["properties"]["b"]["$ref"],
        "#/components/schemas/A_B"
    );
    assert_eq!(
        schemas["A"]["properties"]["d"]["$ref"],
        "#/components/schemas/D"
    );
    assert_eq!(
        original(&moves, "#/components/schemas/D/type"),
        "#/components/schemas/A/$defs/C/$defs/D/type"
    );
    assert_eq!(
        original(&moves, "#/components/schemas/A_B"),
        "#/components/schemas/A/$defs/B"
    );
}

#[test]
fn tuples_content_and_boolean_schemas() {
    let (s, warnings, moves) = v31_schema(json!({"properties": {
        "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false},
        "file": {"type": "string", "contentMediaType": "image/png"},
        "text": {"type": "string", "contentMediaType": "text/plain"},
        "encoded": {"type": "string", "contentEncoding": "base64"},
        "anything": true,
        "nothing": false,
    }}));
    let p = &s["properties"];
    assert_eq!(
        p["pair"],
        json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})
    );
    assert_eq!(p["file"], json!({"type": "string", "format": "binary"}));
    assert_eq!(p["text"], json!({"type": "string"}));
    assert_eq!(p["encoded"], json!({"type": "string", "format": "byte"}));
    assert_eq!(p["anything"], json!({}));
    assert_eq!(p["nothing"], json!({"not": {}}));
    let pair = "#/components/schemas/S/properties/pair";
    assert_eq!(
        original(&moves, &format!("{pair}/items/anyOf/1")),
        format!("{pair}/prefixItems/1")
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with(&format!("{pair}/items: a tuple (`prefixItems` as a list)")));
    // A tuple of one schema repeated is an array of it.
    let (s, _, moves) =
        v31_schema(json!({"prefixItems": [{"type": "number"}, {"type": "number"}]}));
    assert_eq!(s, json!({"items": {"type": "number"}}));
    assert_eq!(
        original(&moves, "#/components/schemas/S/items/type"),
        "#/components/schemas/S/prefixItems/0/type"
    );
}

#[test]
fn keywords_3_0_cannot_say_are_dropped_with_a_warning() {
    let (s, warnings, moves) = v31_schema(json!({
        "type": "object", "if": {}, "then": {}, "unevaluatedProperties": false,
        "$comment": "silent", "$schema": "silent",
        "properties": {"m": {"type": "object", "patternProperties": {"^x": {"type": "string"}}}},
    }));
    assert_eq!(s["type"], "object");
    for key in ["if", "then", "unevaluatedProperties", "$comment", "$schema"] {
        assert!(s.get(key).is_none(), "{key}");
    }
    let m = "#/components/schemas/S/properties/m";
    assert_eq!(
        s["properties"]["m"]["additionalProperties"],
        json!({"type": "string"})
    );
    assert_eq!(
        original(&moves, &format!("{m}/additionalProperties")),
        format!("{m}/patternProperties/^x")
    );
    let pointers: Vec<&str> = warnings
        .iter()
        .map(|w| w.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/S/if",
            "#/components/schemas/S/then",
            "#/components/schemas/S/unevaluatedProperties",
            "#/components/schemas/S/properties/m/additionalProperties",
        ]
    );
    assert!(warnings[0].contains("`if` (conditional schemas) cannot be said in OpenAPI 3.0"));
}

/// A Swagger 2.0 document using every part the conversion handles.
fn swagger() -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "api.example.com", "basePath": "/v1", "schemes": ["https", "http"],
        "consumes": ["application/json"], "produces": ["application/json"],
        "securityDefinitions": {
            "basic": {"type": "basic"},
            "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a",
                      "tokenUrl": "https://t", "scopes": {"read": "r"}},
        },
        "parameters": {
            "limit": {"name": "limit", "in": "query", "type": "integer"},
            "petBody": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
        },
        "responses": {"NotFound": {"description": "gone", "schema": {"$ref": "#/definitions/Error"}}},
        "paths": {
            "/pets": {
                "get": {
                    "parameters": [
                        {"$ref": "#/parameters/limit"},
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                        {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                                "headers": {"X-Rate": {"type": "integer"}},
                                "examples": {"application/json": [{"name": "rex"}]}},
                        "404": {"$ref": "#/responses/NotFound"},
                    },
                },
                "post": {
                    "parameters": [{"$ref": "#/parameters/petBody"}],
                    "responses": {"201": {"description": "made"}},
                },
            },
            "/pets/{id}/photo": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "put": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "photo", "in": "formData", "type": "file", "required": true},
                        {"name": "caption", "in": "formData", "type": "string"},
                    ],
                    "produces": ["image/png"],
                    "responses": {"200": {"description": "the photo", "schema": {"type": "file"}}},
                },
            },
        },
        "definitions": {
            "Pet": {"type": "object", "discriminator": "kind", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "kind": {"type": "string"},
                                   "owner": {"$ref": "#/definitions/Owner", "x-nullable": true}}},
            "Owner": {"type": "object", "properties": {"nick": {"type": "string", "x-nullable": true}}},
            "Error": {"type": "object"},
        },
    })
}

#[test]
fn a_swagger_document_gets_the_3_0_layout() {
    let (doc, warnings, moves) = normalized(Dialect::Swagger2, swagger());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc.get("swagger").is_none() && doc.get("definitions").is_none());
    assert_eq!(
        doc["servers"],
        json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
    );
    let c = &doc["components"];
    assert_eq!(
        c["securitySchemes"]["basic"],
        json!({"type": "http", "scheme": "basic"})
    );
    assert_eq!(
        c["securitySchemes"]["oauth"]["flows"]["authorizationCode"],
        json!({"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"read": "r"}})
    );
    assert_eq!(
        c["parameters"]["limit"],
        json!({"name": "limit", "in": "query", "schema": {"type": "integer"}})
    );
    assert!(c["parameters"].get("petBody").is_none());
    assert_eq!(
        c["responses"]["NotFound"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    let pet = &c["schemas"]["Pet"];
    assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(
        pet["properties"]["owner"],
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner"}]})
    );
    assert_eq!(
        c["schemas"]["Owner"]["properties"]["nick"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        original(&moves, "#/components/schemas/Pet/properties/name"),
        "#/definitions/Pet/properties/name"
    );
    assert_eq!(
        original(
            &moves,
            "#/components/schemas/Owner/properties/nick/nullable"
        ),
        "#/definitions/Owner/properties/nick/x-nullable"
    );
    assert_eq!(
        original(&moves, "#/components/securitySchemes/oauth"),
        "#/securityDefinitions/oauth"
    );
    assert_eq!(original(&moves, "#/servers/1/url"), "#/host");
    assert_eq!(original(&moves, "#/openapi"), "#/swagger");
    let parsed = serde_json::from_value::<openapiv3::OpenAPI>(doc);
    assert!(parsed.is_ok(), "{parsed:?}");
}

#[test]
fn swagger_operations_get_request_bodies_and_content() {
    let (doc, _, moves) = normalized(Dialect::Swagger2, swagger());
    let get = &doc["paths"]["/pets"]["get"];
    assert_eq!(
        get["parameters"][0],
        json!({"$ref": "#/components/parameters/limit"})
    );
    assert_eq!(
        get["parameters"][1],
        json!({"name": "tags", "in": "query", "style": "form", "explode": true,
               "schema": {"type": "array", "items": {"type": "string"}}})
    );
    assert_eq!(get["parameters"][2]["explode"], false);
    let ok = &get["responses"]["200"];
    assert_eq!(
        ok["headers"]["X-Rate"],
        json!({"schema": {"type": "integer"}})
    );
    assert_eq!(
        ok["content"]["application/json"]["example"],
        json!([{"name": "rex"}])
    );
    assert_eq!(
        get["responses"]["404"]["$ref"],
        "#/components/responses/NotFound"
    );
    let post = &doc["paths"]["/pets"]["post"];
    assert_eq!(
        post["requestBody"],
        json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
    );
    assert!(post.get("parameters").is_none());
    let put = &doc["paths"]["/pets/{id}/photo"]["put"];
    assert_eq!(
        put["requestBody"]["content"]["multipart/form-data"]["schema"],
        json!({"type": "object", "required": ["photo"], "properties": {
            "photo": {"type": "string", "format": "binary"}, "caption": {"type": "string"}}})
    );
    assert_eq!(
        put["responses"]["200"]["content"]["image/png"]["schema"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        doc["paths"]["/pets/{id}/photo"]["parameters"][0]["schema"],
        json!({"type": "string"})
    );
    // Every moved part is mapped back to where it was written.
    for (now, was) in [
        ("#/paths/~1pets/post/requestBody/content/application~1json/schema/$ref", "#/parameters/petBody/schema/$ref"),
        ("#/paths/~1pets/get/responses/200/content/application~1json/schema/items", "#/paths/~1pets/get/responses/200/schema/items"),
        ("#/paths/~1pets/get/responses/200/content/application~1json/example", "#/paths/~1pets/get/responses/200/examples/application~1json"),
        ("#/paths/~1pets/get/parameters/1/schema/items", "#/paths/~1pets/get/parameters/1/items"),
        ("#/paths/~1pets/get/parameters/1/explode", "#/paths/~1pets/get/parameters/1/collectionFormat"),
        ("#/paths/~1pets~1{id}~1photo/put/requestBody/content/multipart~1form-data/schema/properties/caption/type", "#/paths/~1pets~1{id}~1photo/put/parameters/1/type"),
        ("#/paths/~1pets~1{id}~1photo/put/requestBody/content/multipart~1form-data/schema/properties/photo/format", "#/paths/~1pets~1{id}~1photo/put/parameters/0/type"),
        ("#/paths/~1pets~1{id}~1photo/parameters/0/schema/type", "#/paths/~1pets~1{id}~1photo/parameters/0/type"),
    ] {
        assert_eq!(original(&moves, now), was, "{now}");
    }
}

#[test]
fn form_parameters_without_files_are_url_encoded_and_odd_formats_warned_about() {
    let doc = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {
        "parameters": [
            {"name": "x", "in": "formData", "type": "string"},
            {"name": "t", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
        ],
        "responses": {"204": {"description": "done"}}}}}});
    let (doc, warnings, _) = normalized(Dialect::Swagger2, doc);
    let post = &doc["paths"]["/a"]["post"];
    assert!(post["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object());
    assert_eq!(post["parameters"][0]["explode"], false);
    assert_eq!(
        warnings,
        ["#/paths/~1a/post/parameters/0/style: `collectionFormat: tsv` has no OpenAPI 3.0 equivalent for a query parameter; the values are sent separated by commas"]
    );
    assert!(doc.get("servers").is_none());
}
