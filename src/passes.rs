//! Passes: small functions over the IR, each doing one thing, run in order by [`run`].

use crate::error::Warning;
use crate::ir::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// Runs every pass, in order.
pub fn run(
    api: &mut Api,
    warnings: &mut Vec<Warning>,
    locate: &dyn Fn(&str) -> crate::error::Location,
) {
    break_alias_cycles(api, warnings, locate);
    box_cycles(api);
    order_untagged_variants(api);
    resolve_pagination(api, warnings, locate);
}

/// Reads each operation's pagination extension (`x-pagination`, or `x-fern-pagination` as
/// Intercom's SDK overrides write it):
///
/// ```yaml
/// x-pagination:
///   cursor: $request.starting_after           # or $request.pagination.starting_after (body)
///   next_cursor: $response.pages.next.starting_after
///   results: $response.data
/// # or, for page numbers:
///   offset: $request.page
///   results: $response.data
/// ```
///
/// and checks every path against the operation's types. An extension that does not fit is a
/// warning, and the operation is generated without pagination.
pub fn resolve_pagination(
    api: &mut Api,
    warnings: &mut Vec<Warning>,
    locate: &dyn Fn(&str) -> crate::error::Location,
) {
    let defaultable = defaultable(api);
    for i in 0..api.operations.len() {
        let Some((spec, origin)) = api.operations[i].pagination_spec.clone() else {
            continue;
        };
        match pagination_of(api, &api.operations[i], &spec, &defaultable) {
            Ok(pagination) => api.operations[i].pagination = Some(pagination),
            Err(reason) => warnings.push(Warning {
                location: locate(&origin),
                message: format!("pagination is not generated for this operation: {reason}"),
            }),
        }
    }
}

fn pagination_of(
    api: &Api,
    op: &Operation,
    spec: &Value,
    defaultable: &[bool],
) -> Result<Pagination, String> {
    let field = |key: &str| spec.get(key).and_then(Value::as_str);
    let success: Vec<&Ty> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .filter_map(|r| r.body.as_ref().map(|(_, _, ty)| ty))
        .collect();
    let [success] = success[..] else {
        return Err("it needs exactly one successful response with a body".into());
    };
    let results_path = field("results")
        .and_then(|r| r.strip_prefix("$response."))
        .ok_or("`results` must be `$response.<path>`")?;
    let (results, results_ty) = walk(api, success, results_path)?;
    let item = match strip_option(&results_ty) {
        Ty::Vec(item) => (**item).clone(),
        _ => return Err(format!("`$response.{results_path}` is not a list")),
    };
    let kind = if let Some(cursor) = field("cursor") {
        let request_path = cursor
            .strip_prefix("$request.")
            .ok_or("`cursor` must be `$request.<path>`")?;
        let next_path = field("next_cursor")
            .and_then(|n| n.strip_prefix("$response."))
            .ok_or("`next_cursor` must be `$response.<path>`")?;
        let (next, next_ty) = walk(api, success, next_path)?;
        if *strip_option(&next_ty) != Ty::String {
            return Err(format!("`$response.{next_path}` is not a string"));
        }
        let target = match op
            .params
            .iter()
            .position(|p| p.wire == request_path && p.location != ParamLocation::Path)
        {
            Some(index) if op.params[index].ty == Ty::String => CursorTarget::Param(index),
            Some(_) => return Err(format!("the parameter `{request_path}` is not a string")),
            None => {
                let body = op
                    .body
                    .as_ref()
                    .ok_or_else(|| format!("no parameter `{request_path}` and no body"))?;
                if !body.required && !ty_default(&body.ty, defaultable, api) {
                    return Err("the optional body cannot be created for the next page".into());
                }
                let steps = walk_settable(api, &body.ty, request_path, defaultable)?;
                CursorTarget::Body(steps)
            }
        };
        PaginationKind::Cursor { target, next }
    } else if let Some(offset) = field("offset") {
        let name = offset
            .strip_prefix("$request.")
            .ok_or("`offset` must be `$request.<parameter>`")?;
        let param = op
            .params
            .iter()
            .position(|p| p.wire == name && p.location != ParamLocation::Path)
            .ok_or_else(|| format!("no parameter `{name}`"))?;
        if !matches!(op.params[param].ty, Ty::I32 | Ty::I64) || op.params[param].required {
            return Err(format!(
                "the page parameter `{name}` must be an optional integer"
            ));
        }
        PaginationKind::Page { param }
    } else {
        return Err("it has neither `cursor` nor `offset`".into());
    };
    Ok(Pagination {
        results,
        item,
        kind,
    })
}

/// Follows a dotted path of wire names through struct fields.
fn walk(api: &Api, start: &Ty, path: &str) -> Result<(Vec<Step>, Ty), String> {
    let mut steps = Vec::new();
    let mut ty = start.clone();
    for wire in path.split('.') {
        let strct = struct_of(api, strip_option(&ty))
            .ok_or_else(|| format!("`{path}`: `{wire}` is not inside an object"))?;
        let field = strct
            .fields
            .iter()
            .find(|f| f.wire == wire)
            .ok_or_else(|| format!("`{path}`: no property `{wire}`"))?;
        if matches!(strip_option(&field.ty), Ty::Box(_)) {
            return Err(format!("`{path}`: `{wire}` is recursive"));
        }
        steps.push(Step {
            name: field.name.clone(),
            optional: field.ty.is_option(),
        });
        ty = field.ty.clone();
    }
    Ok((steps, ty))
}

/// Like [`walk`], for a request body field that must be set: every object on the way that may be
/// absent must be creatable with `Default`, and the field must be a string.
fn walk_settable(
    api: &Api,
    start: &Ty,
    path: &str,
    defaultable: &[bool],
) -> Result<Vec<Step>, String> {
    let (steps, ty) = walk(api, start, path)?;
    if *strip_option(&ty) != Ty::String {
        return Err(format!("the body field `{path}` is not a string"));
    }
    let mut current = start.clone();
    for (wire, step) in path.split('.').zip(&steps) {
        let strct = struct_of(api, strip_option(&current)).ok_or("not an object")?;
        let field = strct
            .fields
            .iter()
            .find(|f| f.wire == wire)
            .ok_or("no such property")?;
        if step.optional
            && *strip_option(&field.ty) != Ty::String
            && !ty_default(strip_option(&field.ty), defaultable, api)
        {
            return Err(format!(
                "the body field `{wire}` cannot be created for the next page"
            ));
        }
        current = field.ty.clone();
    }
    Ok(steps)
}

fn struct_of<'a>(api: &'a Api, ty: &Ty) -> Option<&'a Struct> {
    let mut ty = ty;
    for _ in 0..64 {
        match ty {
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Struct(s) => return Some(s),
                TypeKind::Alias(inner) => ty = strip_option(inner),
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// `type A = B; type B = A;` cannot compile: the alias that closes such a cycle becomes a JSON value.
pub fn break_alias_cycles(
    api: &mut Api,
    warnings: &mut Vec<Warning>,
    locate: &dyn Fn(&str) -> crate::error::Location,
) {
    for start in 0..api.types.len() {
        let mut seen = BTreeSet::new();
        let mut current = start;
        loop {
            if !seen.insert(current) {
                if current == start {
                    let origin = api.types[start].origin.clone();
                    warnings.push(Warning {
                        location: locate(&origin),
                        message: "this schema is only a reference round a cycle of references; it is a JSON value".into(),
                    });
                    api.types[start].kind = TypeKind::Alias(Ty::Json);
                }
                break;
            }
            match &api.types[current].kind {
                TypeKind::Alias(ty) => match strip_option(ty) {
                    Ty::Named(next) => current = next.0,
                    _ => break,
                },
                _ => break,
            }
        }
    }
    // An alias may also reach itself through a list or a map (`type A = Vec<A>`), which Rust rejects
    // just the same: inside the alias, each reference that leads back to it becomes a JSON value.
    for start in 0..api.types.len() {
        let TypeKind::Alias(ty) = &api.types[start].kind else {
            continue;
        };
        let mut refs = Vec::new();
        alias_refs(ty, &mut refs);
        let closing: Vec<TypeId> = refs
            .into_iter()
            .filter(|r| alias_reaches(api, *r, start))
            .collect();
        if closing.is_empty() {
            continue;
        }
        let origin = api.types[start].origin.clone();
        warnings.push(Warning {
            location: locate(&origin),
            message:
                "this schema holds itself only through lists or maps, which a Rust type alias \
                      cannot; the items that refer back to it are JSON values"
                    .into(),
        });
        if let TypeKind::Alias(ty) = &mut api.types[start].kind {
            replace_named(ty, &closing);
        }
    }
}

/// Every named type a `Ty` mentions, through any wrapper.
fn alias_refs(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
            alias_refs(inner, out)
        }
        _ => {}
    }
}

/// Whether expanding the type `from` (through aliases only) reaches the type `target`.
fn alias_reaches(api: &Api, from: TypeId, target: usize) -> bool {
    let mut stack = vec![from.0];
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if n == target {
            return true;
        }
        if !seen.insert(n) {
            continue;
        }
        if let TypeKind::Alias(ty) = &api.types[n].kind {
            let mut refs = Vec::new();
            alias_refs(ty, &mut refs);
            stack.extend(refs.into_iter().map(|t| t.0));
        }
    }
    false
}

/// Replaces each of `ids` inside `ty` by a JSON value.
fn replace_named(ty: &mut Ty, ids: &[TypeId]) {
    match ty {
        Ty::Named(id) if ids.contains(id) => *ty = Ty::Json,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
            replace_named(inner, ids)
        }
        _ => {}
    }
}

fn strip_option(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(inner) => strip_option(inner),
        other => other,
    }
}

/// The named type a `Ty` holds inline (through `Option`, but not through `Vec` or maps, which already
/// put their items on the heap).
fn direct_target(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => direct_target(inner),
        _ => None,
    }
}

/// Where in a type an edge of the containment graph starts.
#[derive(Clone, Copy)]
enum Slot {
    Field(usize),
    Variant(usize),
    Alias,
}

fn edges(def: &TypeDef) -> Vec<(Slot, TypeId)> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| direct_target(&f.ty).map(|t| (Slot::Field(i), t)))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| direct_target(&v.ty).map(|t| (Slot::Variant(i), t)))
            .collect(),
        TypeKind::Alias(ty) => direct_target(ty)
            .map(|t| vec![(Slot::Alias, t)])
            .unwrap_or_default(),
        TypeKind::StringEnum(_) => Vec::new(),
    }
}

fn box_ty(ty: &mut Ty) {
    let taken = std::mem::replace(ty, Ty::Json);
    *ty = match taken {
        Ty::Option(inner) => {
            let mut inner = *inner;
            box_ty(&mut inner);
            Ty::Option(Box::new(inner))
        }
        other => Ty::Box(Box::new(other)),
    };
}

/// One type on the depth-first search's stack: its outgoing edges and the next one to follow.
struct Frame {
    node: usize,
    edges: Vec<(Slot, TypeId)>,
    next: usize,
}

/// Puts a `Box` on exactly the fields that close a cycle of types containing each other inline: a
/// depth-first search in type order, boxing each edge that leads back onto the search's stack.
pub fn box_cycles(api: &mut Api) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let n = api.types.len();
    let mut state = vec![State::New; n];
    let mut to_box: Vec<(usize, Slot)> = Vec::new();
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        // An explicit stack, so that long chains of types cannot overflow the thread's stack.
        let mut stack = vec![Frame {
            node: root,
            edges: edges(&api.types[root]),
            next: 0,
        }];
        state[root] = State::OnStack;
        while let Some(frame) = stack.last_mut() {
            if let Some((slot, target)) = frame.edges.get(frame.next).copied() {
                frame.next += 1;
                let node = frame.node;
                match state[target.0] {
                    State::OnStack => to_box.push((node, slot)),
                    State::New => {
                        state[target.0] = State::OnStack;
                        stack.push(Frame {
                            node: target.0,
                            edges: edges(&api.types[target.0]),
                            next: 0,
                        });
                    }
                    State::Done => {}
                }
            } else {
                state[frame.node] = State::Done;
                stack.pop();
            }
        }
    }
    for (node, slot) in to_box {
        match (&mut api.types[node].kind, slot) {
            (TypeKind::Struct(s), Slot::Field(i)) => box_ty(&mut s.fields[i].ty),
            (TypeKind::Union(u), Slot::Variant(i)) => box_ty(&mut u.variants[i].ty),
            (TypeKind::Alias(ty), Slot::Alias) => box_ty(ty),
            _ => {}
        }
    }
}

/// How much of the input an alternative of an untagged union accepts: lower means more particular,
/// and particular alternatives are tried first, so that decoding picks the right one. A struct with
/// many required properties is most particular; a struct with none accepts any object, so it goes
/// after every struct that requires something; scalars are ordered so that integers are tried
/// before floats; a JSON value accepts anything and goes last.
fn looseness(api: &Api, ty: &Ty, depth: usize) -> (u8, usize, usize) {
    if depth > 16 {
        return (9, 0, 0);
    }
    match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => {
                let required = s.fields.iter().filter(|f| f.required).count();
                let total = s.fields.len();
                if required > 0 {
                    (0, usize::MAX - required, usize::MAX - total)
                } else {
                    (5, 0, usize::MAX - total)
                }
            }
            TypeKind::StringEnum(_) => (2, 0, 0),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .map(|v| looseness(api, &v.ty, depth + 1))
                .max()
                .unwrap_or((9, 0, 0)),
            TypeKind::Alias(inner) => looseness(api, inner, depth + 1),
        },
        Ty::Box(inner) => looseness(api, inner, depth + 1),
        Ty::Bool | Ty::I32 | Ty::I64 => (1, 0, 0),
        Ty::F64 => (3, 0, 0),
        Ty::String | Ty::Bytes => (3, 1, 0),
        Ty::Vec(_) => (4, 0, 0),
        Ty::Map(_) => (6, 0, 0),
        Ty::Option(_) => (7, 0, 0),
        Ty::Json => (9, 0, 0),
    }
}

/// Orders the alternatives of every union without a discriminator from most to least particular
/// (see [`looseness`]); ties keep document order.
pub fn order_untagged_variants(api: &mut Api) {
    for i in 0..api.types.len() {
        let TypeKind::Union(union) = &api.types[i].kind else {
            continue;
        };
        if union.discriminator.is_some() {
            continue;
        }
        let mut variants = union.variants.clone();
        variants.sort_by_key(|v| looseness(api, &v.ty, 0));
        if let TypeKind::Union(union) = &mut api.types[i].kind {
            union.variants = variants;
        }
    }
}

/// Which types can derive `Default`: structs whose fields all have a default.
pub fn defaultable(api: &Api) -> Vec<bool> {
    let n = api.types.len();
    let mut ok = vec![false; n];
    // Start optimistic for structs and refine to a fixed point: a struct is defaultable if each field
    // is `Option`, a collection, a scalar, or a defaultable struct.
    for (i, def) in api.types.iter().enumerate() {
        ok[i] = matches!(def.kind, TypeKind::Struct(_));
    }
    loop {
        let mut changed = false;
        for (i, def) in api.types.iter().enumerate() {
            if !ok[i] {
                continue;
            }
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            if !s.fields.iter().all(|f| ty_default(&f.ty, &ok, api)) {
                ok[i] = false;
                changed = true;
            }
        }
        if !changed {
            return ok;
        }
    }
}

fn ty_default(ty: &Ty, ok: &[bool], api: &Api) -> bool {
    match ty {
        Ty::Option(_) | Ty::Vec(_) | Ty::Map(_) | Ty::Json | Ty::String | Ty::Bytes => true,
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => true,
        Ty::Box(inner) => ty_default(inner, ok, api),
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => ty_default(inner, ok, api),
            _ => ok[id.0],
        },
    }
}

/// Checks that a JSON value decodes into `ty` the way the emitted serde code decodes it, and says
/// where it does not (`$.custom_attributes.paid_subscriber: expected a string, found true`).
pub fn check_value(api: &Api, ty: &Ty, value: &Value) -> Result<(), String> {
    check_at(api, ty, value, "$", 0)
}

fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{:?}", s.chars().take(40).collect::<String>()),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn check_at(api: &Api, ty: &Ty, value: &Value, path: &str, depth: usize) -> Result<(), String> {
    if depth > 128 {
        return Ok(());
    }
    let fail = |expected: &str| {
        Err(format!(
            "{path}: expected {expected}, found {}",
            kind_of(value)
        ))
    };
    match ty {
        Ty::Json => Ok(()),
        Ty::Option(inner) => {
            if value.is_null() {
                Ok(())
            } else {
                check_at(api, inner, value, path, depth + 1)
            }
        }
        Ty::Box(inner) => check_at(api, inner, value, path, depth + 1),
        Ty::Bool => {
            if value.is_boolean() {
                Ok(())
            } else {
                fail("a boolean")
            }
        }
        Ty::I32 => match value.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => Ok(()),
            _ => fail("a 32-bit integer"),
        },
        Ty::I64 => {
            if value.is_i64() {
                Ok(())
            } else {
                fail("an integer")
            }
        }
        Ty::F64 => {
            if value.is_number() {
                Ok(())
            } else {
                fail("a number")
            }
        }
        Ty::String | Ty::Bytes => {
            if value.is_string() {
                Ok(())
            } else {
                fail("a string")
            }
        }
        Ty::Vec(inner) => match value.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_at(api, inner, item, &format!("{path}[{i}]"), depth + 1)?;
                }
                Ok(())
            }
            None => fail("an array"),
        },
        Ty::Map(inner) => match value.as_object() {
            Some(map) => {
                for (k, v) in map {
                    check_at(api, inner, v, &format!("{path}.{k}"), depth + 1)?;
                }
                Ok(())
            }
            None => fail("an object"),
        },
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => check_at(api, inner, value, path, depth + 1),
            TypeKind::StringEnum(_) => {
                if value.is_string() {
                    Ok(())
                } else {
                    fail("a string")
                }
            }
            TypeKind::Struct(s) => {
                // serde's derived structs also accept an array, filling fields in order.
                if let Some(items) = value.as_array() {
                    if items.len() > s.fields.len() {
                        return fail("an object");
                    }
                    for (i, field) in s.fields.iter().enumerate() {
                        match items.get(i) {
                            Some(item) => {
                                check_at(api, &field.ty, item, &format!("{path}[{i}]"), depth + 1)?
                            }
                            None if field.ty.is_option() && !field.required => {}
                            None => return fail("an object"),
                        }
                    }
                    return Ok(());
                }
                let Some(map) = value.as_object() else {
                    return fail("an object");
                };
                for field in &s.fields {
                    match map.get(&field.wire) {
                        None if field.ty.is_option() => {}
                        None => {
                            return Err(format!(
                                "{path}: the required property `{}` is missing",
                                field.wire
                            ))
                        }
                        Some(v) => check_at(
                            api,
                            &field.ty,
                            v,
                            &format!("{path}.{}", field.wire),
                            depth + 1,
                        )?,
                    }
                }
                if let Some(additional) = &s.additional {
                    for (k, v) in map {
                        if !s.fields.iter().any(|f| &f.wire == k) {
                            check_at(api, additional, v, &format!("{path}.{k}"), depth + 1)?;
                        }
                    }
                }
                Ok(())
            }
            TypeKind::Union(u) => {
                if let Some(d) = &u.discriminator {
                    let tag = value.get(&d.property).and_then(Value::as_str);
                    return match tag.and_then(|t| d.mapping.iter().find(|(v, _)| v == t)) {
                        Some((_, i)) => check_at(api, &u.variants[*i].ty, value, path, depth + 1),
                        // Unknown tags decode into the catch-all variant.
                        None if value.is_object() => Ok(()),
                        None => fail("an object"),
                    };
                }
                let mut reasons = Vec::new();
                for variant in &u.variants {
                    match check_at(api, &variant.ty, value, path, depth + 1) {
                        Ok(()) => return Ok(()),
                        Err(e) => reasons.push(e),
                    }
                }
                Err(format!(
                    "{path}: matches none of the alternatives ({})",
                    reasons.join("; ")
                ))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: String::new(),
            doc: None,
            kind,
        }
    }

    fn field(wire: &str, ty: Ty, required: bool) -> Field {
        Field {
            wire: wire.into(),
            name: wire.into(),
            ty,
            required,
            doc: None,
            origin: String::new(),
        }
    }

    #[test]
    fn aliases_holding_themselves_through_lists_are_broken() {
        // `type A = Vec<A>`, and `type B = BTreeMap<String, C>; type C = Option<Vec<B>>`.
        let mut api = Api::default();
        api.types.push(named(
            "A",
            TypeKind::Alias(Ty::Vec(Box::new(Ty::Named(TypeId(0))))),
        ));
        api.types.push(named(
            "B",
            TypeKind::Alias(Ty::Map(Box::new(Ty::Named(TypeId(2))))),
        ));
        let c = Ty::Vec(Box::new(Ty::Named(TypeId(1)))).optional();
        api.types.push(named("C", TypeKind::Alias(c.clone())));
        let mut warnings = Vec::new();
        break_alias_cycles(&mut api, &mut warnings, &|p| {
            crate::error::Location::new(
                std::path::Path::new("x.yaml"),
                crate::pointer::Pointer::parse(p).unwrap(),
            )
        });
        let TypeKind::Alias(a) = &api.types[0].kind else {
            panic!()
        };
        let TypeKind::Alias(b) = &api.types[1].kind else {
            panic!()
        };
        let TypeKind::Alias(c_after) = &api.types[2].kind else {
            panic!()
        };
        assert_eq!(*a, Ty::Vec(Box::new(Ty::Json)));
        assert_eq!(*b, Ty::Map(Box::new(Ty::Json)));
        assert_eq!(*c_after, c, "once B no longer reaches C, C is left alone");
        assert_eq!(warnings.len(), 2);
    }

    #[test]
    fn boxes_only_the_field_closing_a_cycle() {
        // A { b: Option<B> }, B { a: Option<A>, list: Vec<A> }: only B.a closes the cycle.
        let mut api = Api::default();
        api.types.push(named(
            "A",
            TypeKind::Struct(Struct {
                fields: vec![field("b", Ty::Named(TypeId(1)).optional(), false)],
                additional: None,
            }),
        ));
        api.types.push(named(
            "B",
            TypeKind::Struct(Struct {
                fields: vec![
                    field("a", Ty::Named(TypeId(0)).optional(), false),
                    field("list", Ty::Vec(Box::new(Ty::Named(TypeId(0)))), true),
                ],
                additional: None,
            }),
        ));
        box_cycles(&mut api);
        let TypeKind::Struct(a) = &api.types[0].kind else {
            panic!()
        };
        let TypeKind::Struct(b) = &api.types[1].kind else {
            panic!()
        };
        assert_eq!(a.fields[0].ty, Ty::Named(TypeId(1)).optional());
        assert_eq!(
            b.fields[0].ty,
            Ty::Box(Box::new(Ty::Named(TypeId(0)))).optional()
        );
        assert_eq!(b.fields[1].ty, Ty::Vec(Box::new(Ty::Named(TypeId(0)))));
    }

    #[test]
    fn untagged_variants_most_particular_first() {
        let mut api = Api::default();
        api.types.push(named(
            "Loose",
            TypeKind::Struct(Struct {
                fields: vec![field("x", Ty::String.optional(), false)],
                additional: None,
            }),
        ));
        api.types.push(named(
            "Strict",
            TypeKind::Struct(Struct {
                fields: vec![field("id", Ty::String, true)],
                additional: None,
            }),
        ));
        api.types.push(named(
            "U",
            TypeKind::Union(Union {
                variants: vec![
                    UnionVariant {
                        name: "Json".into(),
                        ty: Ty::Json,
                    },
                    UnionVariant {
                        name: "Loose".into(),
                        ty: Ty::Named(TypeId(0)),
                    },
                    UnionVariant {
                        name: "Number".into(),
                        ty: Ty::F64,
                    },
                    UnionVariant {
                        name: "Integer".into(),
                        ty: Ty::I64,
                    },
                    UnionVariant {
                        name: "Strict".into(),
                        ty: Ty::Named(TypeId(1)),
                    },
                ],
                discriminator: None,
            }),
        ));
        order_untagged_variants(&mut api);
        let TypeKind::Union(u) = &api.types[2].kind else {
            panic!()
        };
        let order: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(order, ["Strict", "Integer", "Number", "Loose", "Json"]);
    }

    #[test]
    fn check_value_names_the_failing_path() {
        let mut api = Api::default();
        api.types.push(named(
            "Company",
            TypeKind::Struct(Struct {
                fields: vec![field(
                    "custom_attributes",
                    Ty::Map(Box::new(Ty::String)).optional(),
                    false,
                )],
                additional: None,
            }),
        ));
        let value = serde_json::json!({"custom_attributes": {"paid_subscriber": true}});
        let err = check_value(&api, &Ty::Named(TypeId(0)), &value).unwrap_err();
        assert_eq!(
            err,
            "$.custom_attributes.paid_subscriber: expected a string, found true"
        );
    }
}
