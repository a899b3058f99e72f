//! Small IR values for the unit tests of every stage, made in one place so that a change to the IR
//! is followed here once.

use crate::ir::*;
use crate::pointer::Pointer;
use proc_macro2::TokenStream;

/// An API holding `types` and nothing else.
pub fn api(types: Vec<TypeDef>) -> Api {
    Api {
        title: "test".into(),
        version: "1".into(),
        types,
        ..Api::default()
    }
}

/// A named type.
pub fn type_def(name: &str, kind: TypeKind) -> TypeDef {
    TypeDef {
        name: name.into(),
        origin: Pointer::root()
            .push("components")
            .push("schemas")
            .push(name),
        doc: None,
        kind,
    }
}

/// A struct field; an optional one is an `Option`, as `lower` makes it.
pub fn field(wire: &str, name: &str, ty: Ty, required: bool) -> Field {
    Field {
        wire: wire.into(),
        name: name.into(),
        ty: if required { ty } else { ty.optional() },
        required,
        doc: None,
        origin: Pointer::root(),
        flatten: false,
        nullable: false,
        default: None,
    }
}

/// `GET /things`, named `list_things`, with no parameters, body or responses.
pub fn operation() -> Operation {
    Operation {
        id: "listThings".into(),
        fn_name: "list_things".into(),
        placement: Placement {
            method: "list_things".into(),
            ..Placement::default()
        },
        builder: "ListThings".into(),
        method: Method::Get,
        path: "/things".into(),
        path_parts: vec![PathPart::Literal("/things".into())],
        summary: None,
        description: None,
        tags: Vec::new(),
        deprecated: false,
        params: Vec::new(),
        body: None,
        responses: Vec::new(),
        origin: Pointer::root().push("paths").push("/things").push("get"),
        pagination_spec: None,
        pagination: None,
        streaming: None,
    }
}

/// A query parameter.
pub fn query(name: &str, ty: Ty, required: bool) -> Param {
    Param {
        wire: name.into(),
        name: name.into(),
        location: ParamLocation::Query,
        required,
        ty,
        doc: None,
        default: None,
        explode: true,
        style: ParamStyle::Form,
        allow_reserved: false,
        example: None,
        constraints: Constraints::default(),
    }
}

/// A JSON request body.
pub fn json_body(ty: Ty, required: bool) -> Body {
    Body {
        content_type: "application/json".into(),
        kind: MediaKind::Json,
        ty,
        required,
        doc: None,
        encodings: Vec::new(),
    }
}

/// A response with a JSON body of type `ty`, or without a body.
pub fn response(status: StatusMatch, body: Option<Ty>) -> Response {
    Response {
        status,
        body: body.map(|ty| ResponseBody {
            content_type: "application/json".to_string(),
            kind: MediaKind::Json,
            ty,
            offered: vec!["application/json".into()],
        }),
        doc: None,
    }
}

/// Whether `tokens` hold `part`, compared as token text.
pub fn holds(tokens: &TokenStream, part: TokenStream) -> bool {
    tokens.to_string().contains(&part.to_string())
}

/// Parses emitted items as a file.
pub fn parse(tokens: TokenStream) -> syn::File {
    syn::parse2(tokens).expect("the emitted items parse")
}

/// Small IR pieces for the passes' tests.
pub mod test_ir {
    use crate::ir::*;

    pub fn named(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: crate::pointer::Pointer::root(),
            doc: None,
            kind,
        }
    }

    pub fn field(wire: &str, ty: Ty, required: bool) -> Field {
        Field {
            wire: wire.into(),
            name: wire.into(),
            ty,
            required,
            doc: None,
            origin: crate::pointer::Pointer::root(),
            flatten: false,
            nullable: false,
            default: None,
        }
    }
}
