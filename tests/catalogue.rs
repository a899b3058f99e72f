//! A catalogue of bad and odd descriptions under `tests/catalogue/`: each one's diagnostic, or a
//! summary of what it generates, is pinned by an insta snapshot. No input may panic.
//!
//! Every file directly in `tests/catalogue/` is one entry, and so is every subfolder holding a
//! `root.yaml` (descriptions spread over several files); other files in subfolders are only there to
//! be referenced. Descriptions too big to keep in the repository (10,000 properties, 2,000 levels of
//! nesting) are written into a temporary folder by the tests at the end of this file.
//!
//! For a description that generates, the snapshot holds the warnings and an outline of the generated
//! code: every type with its fields or variants, and every operation with its arguments, setters and
//! result types. The full text of generated code is pinned elsewhere (`tests/naming.rs`, the seed), so
//! that a change of emission style does not ripple through dozens of snapshots here.

use quote::ToTokens;
use std::path::{Path, PathBuf};

/// The snapshot text for one description.
fn describe(spec: &Path) -> String {
    let result = std::panic::catch_unwind(|| apigen::generate(&apigen::Config::new(spec)));
    match result {
        Err(_) => "PANIC: the generator panicked on this description".to_string(),
        Ok(Err(e)) => format!("error: {e}"),
        Ok(Ok(output)) => {
            // No line count: it would change with every change to the runtime's templates.
            let mut text = format!(
                "ok: {} operations, {} types\n",
                output.stats.operations, output.stats.types
            );
            for warning in &output.warnings {
                text.push_str(&format!("warning: {warning}\n"));
            }
            if let Some(Err(e)) = output.files.get("src/lib.rs").map(|f| syn::parse_file(f)) {
                text.push_str(&format!("src/lib.rs does not parse: {e}\n"));
            }
            for path in ["src/types.rs", "src/operations.rs"] {
                let Some(file) = output.files.get(path) else {
                    text.push_str(&format!("{path} is missing\n"));
                    continue;
                };
                match syn::parse_file(file) {
                    Err(e) => text.push_str(&format!("{path} does not parse: {e}\n")),
                    Ok(parsed) if path == "src/types.rs" => {
                        text.push_str("\ntypes:\n");
                        outline_types(&parsed, &mut text);
                    }
                    Ok(parsed) => {
                        text.push_str("\noperations:\n");
                        outline_operations(&parsed, &mut text);
                    }
                }
            }
            text
        }
    }
}

/// Tokens as compact text: `Option < types :: A >` → `Option<types::A>`.
fn compact(tokens: impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut out = text
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& '", "&'")
        .replace("& ", "&");
    while out.contains(">>") && out.contains("> >") {
        out = out.replace("> >", ">>");
    }
    out
}

/// The value of `#[serde(rename = "…")]` among `attrs`, if any.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The text of the doc attributes among `attrs`, joined.
fn doc_text(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
            {
                lines.push(s.value().trim().to_string());
            }
        }
    }
    lines.join(" ")
}

fn outline_types(file: &syn::File, out: &mut String) {
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                out.push_str(&format!("  struct {}\n", s.ident));
                for field in &s.fields {
                    let name = field
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let wire = serde_rename(&field.attrs)
                        .map(|w| format!(" (wire {w:?})"))
                        .unwrap_or_default();
                    out.push_str(&format!("    {name}: {}{wire}\n", compact(&field.ty)));
                }
            }
            syn::Item::Enum(e) => {
                out.push_str(&format!("  enum {}\n", e.ident));
                for variant in &e.variants {
                    let fields = if variant.fields.is_empty() {
                        String::new()
                    } else {
                        compact(&variant.fields)
                    };
                    let doc = doc_text(&variant.attrs).escape_debug().to_string();
                    let doc = if doc.starts_with('`') {
                        format!(" = {doc}")
                    } else {
                        String::new()
                    };
                    out.push_str(&format!("    {}{fields}{doc}\n", variant.ident));
                }
            }
            syn::Item::Type(t) => {
                out.push_str(&format!("  type {} = {}\n", t.ident, compact(&t.ty)))
            }
            _ => {}
        }
    }
}

fn signature(sig: &syn::Signature) -> String {
    let args: Vec<String> = sig.inputs.iter().map(compact).collect();
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", compact(ty)),
    };
    format!("{}({}){output}", sig.ident, args.join(", "))
}

fn outline_operations(file: &syn::File, out: &mut String) {
    for item in &file.items {
        match item {
            syn::Item::Enum(e) => {
                let variants: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| format!("{}{}", v.ident, compact(&v.fields)))
                    .collect();
                out.push_str(&format!(
                    "  enum {} {{ {} }}\n",
                    e.ident,
                    variants.join(", ")
                ));
            }
            syn::Item::Const(c) if c.ident == "DEFAULT_BASE_URL" => {
                out.push_str(&format!(
                    "  const DEFAULT_BASE_URL = {}\n",
                    compact(&c.expr)
                ));
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = compact(&i.self_ty);
                for impl_item in &i.items {
                    let syn::ImplItem::Fn(f) = impl_item else {
                        continue;
                    };
                    let name = f.sig.ident.to_string();
                    if self_ty == "Client" && name == "builder" {
                        continue;
                    }
                    out.push_str(&format!("  {self_ty}::{}\n", signature(&f.sig)));
                }
            }
            // The runtime's macro gives each builder `send` and the rest: the builder, its
            // success body and its error body.
            syn::Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "request_builder") =>
            {
                out.push_str(&format!("  request_builder!({})\n", compact(&m.mac.tokens)));
            }
            _ => {}
        }
    }
}

/// The entries of the catalogue: its files, and its subfolders holding a `root.yaml`.
fn entries() -> Vec<(String, PathBuf)> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir("tests/catalogue").expect("the catalogue exists") {
        let path = entry.expect("the catalogue is readable").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("spec")
            .to_string();
        if path.is_file() {
            entries.push((name, path));
        } else if path.join("root.yaml").is_file() {
            entries.push((name, path.join("root.yaml")));
        }
    }
    entries.sort();
    entries
}

#[test]
fn catalogue() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
    let entries = entries();
    assert!(
        entries.len() >= 40,
        "the catalogue holds {} entries",
        entries.len()
    );
    let mut names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    names.dedup();
    assert_eq!(names.len(), entries.len(), "two entries share a name");
    for (name, spec) in &entries {
        let text = describe(spec);
        assert!(!text.starts_with("PANIC"), "{}: {text}", spec.display());
        insta::assert_snapshot!(format!("catalogue__{name}"), text);
    }
}

/// Every file of the catalogue, its subfolders' too, as the diagnostics name them.
fn catalogue_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![PathBuf::from("tests/catalogue")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the catalogue is readable") {
            let path = entry.expect("the catalogue is readable").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// The node a JSON pointer (`#/paths/~1things/get`) names in a YAML or JSON document, following
/// it token by token: mapping keys compared as text (YAML keys may be numbers), sequence indexes.
fn resolve<'a>(document: &'a serde_yaml::Value, pointer: &str) -> Option<&'a serde_yaml::Value> {
    let path = pointer.strip_prefix('#')?;
    if path.is_empty() {
        return Some(document);
    }
    let mut node = document;
    for token in path.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            serde_yaml::Value::Mapping(map) => map.iter().find_map(|(key, value)| {
                let text = match key {
                    serde_yaml::Value::String(s) => s.clone(),
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    _ => return None,
                };
                (text == token).then_some(value)
            })?,
            serde_yaml::Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            serde_yaml::Value::Tagged(tagged) => resolve(&tagged.value, &format!("#/{token}"))?,
            _ => return None,
        };
    }
    Some(node)
}

/// Why `text` does not start with a real place in the catalogue: one of its files, then
/// `:line:column` inside that file, or ` at #/pointer` naming a node of that file's document, or
/// both, then `: ` and the message. `None` when it does.
fn misplaced(text: &str, files: &[PathBuf]) -> Option<String> {
    // The longest file name the text starts with, followed by the start of a location.
    let Some((file, rest)) = files
        .iter()
        .filter_map(|file| {
            let rest = text.strip_prefix(file.to_str()?)?;
            (rest.starts_with(':') || rest.starts_with(" at #")).then_some((file, rest))
        })
        .max_by_key(|(file, _)| file.as_os_str().len())
    else {
        return Some("it does not start with a file of the catalogue".to_string());
    };
    let source = std::fs::read_to_string(file).expect("a catalogue file is readable");
    let (position, rest) = match rest.strip_prefix(':').and_then(|r| {
        let (line, r) = r.split_once(':')?;
        let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        let (column, r) = r.split_at(digits);
        Some((
            (line.parse::<usize>().ok()?, column.parse::<usize>().ok()?),
            r,
        ))
    }) {
        Some((position, rest)) => (Some(position), rest),
        None => (None, rest),
    };
    if let Some((line, column)) = position {
        // A column may be one past the end of its line (where a parser found the line too short),
        // and a parser that ran out of text stops at the end of the file: the line after the last.
        let width = source
            .lines()
            .nth(line.wrapping_sub(1))
            .map(|l| l.chars().count());
        let inside = match width {
            Some(width) => column >= 1 && column <= width + 1,
            None => line == source.lines().count() + 1 && column == 1,
        };
        if !inside {
            return Some(format!(
                "{line}:{column} is not a place in {}",
                file.display()
            ));
        }
    }
    let (pointer, rest) = match rest.strip_prefix(" at ") {
        Some(r) => match r.split_once(": ") {
            Some((pointer, r)) => (Some(pointer), format!(": {r}")),
            None => return Some("the pointer is not followed by `: `".to_string()),
        },
        None => (None, rest.to_string()),
    };
    if let Some(pointer) = pointer {
        let document: serde_yaml::Value = match serde_yaml::from_str(&source) {
            Ok(document) => document,
            Err(e) => {
                return Some(format!(
                    "{} does not parse, yet has a pointer: {e}",
                    file.display()
                ))
            }
        };
        if resolve(&document, pointer).is_none() {
            return Some(format!("{pointer} names nothing in {}", file.display()));
        }
    }
    if position.is_none() && pointer.is_none() {
        return Some("it names no line and no pointer".to_string());
    }
    if !rest.starts_with(": ") || rest.len() <= 2 {
        return Some("the location is not followed by `: ` and a message".to_string());
    }
    None
}

/// Every diagnostic, error or warning, starts with a real place: a file of the catalogue, then a
/// line and column inside it, or a JSON pointer that names a node of its document, or both.
#[test]
fn every_diagnostic_is_located() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
    let files = catalogue_files();
    let mut checked = 0;
    for (_, spec) in entries() {
        let diagnostics: Vec<String> = match apigen::generate(&apigen::Config::new(&spec)) {
            Ok(output) => output.warnings.iter().map(ToString::to_string).collect(),
            Err(apigen::Error::Many(list)) => list.iter().map(ToString::to_string).collect(),
            Err(e) => vec![e.to_string()],
        };
        for text in diagnostics {
            if let Some(why) = misplaced(&text, &files) {
                panic!(
                    "{}: the diagnostic is not located ({why}): {text}",
                    spec.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} diagnostics were checked");
}

/// The location check itself: what it accepts and what it refuses.
#[test]
fn the_location_check_refuses_what_is_not_a_place() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
    let files = catalogue_files();
    let file = "tests/catalogue/error-and-warnings.yaml";
    let located = format!("{file}:17:5 at #/components/schemas/Bad: cannot resolve");
    assert_eq!(misplaced(&located, &files), None);
    assert_eq!(misplaced(&format!("{file}:17:5: not valid"), &files), None);
    assert_eq!(
        misplaced(&format!("{file} at #/components: odd"), &files),
        None
    );
    for wrong in [
        format!("{file}: a message that names no place"),
        format!("{file}:999:1 at #: past the last line"),
        format!("{file}:17:300: past the end of the line"),
        format!("{file}:17:5 at #/components/schemas/Nobody: no such node"),
        "tests/catalogue/nowhere.yaml:1:1 at #: no such file".to_string(),
        "api.yaml:1:1: not the catalogue".to_string(),
    ] {
        assert!(misplaced(&wrong, &files).is_some(), "accepted: {wrong}");
    }
}

/// A folder in the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("apigen-catalogue-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the temporary folder can be made");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Replaces the temporary folder's path in a diagnostic, so that the snapshot is stable.
fn stable(text: &str, dir: &TempDir) -> String {
    text.replace(&dir.0.display().to_string(), "$TMP")
}

const HEADER: &str = r#"{"openapi": "3.0.3", "info": {"title": "generated", "version": "1"}, "paths": {}, "components": {"schemas": "#;

/// A schema with 10,000 properties generates one struct with 10,000 fields, quickly.
#[test]
fn ten_thousand_properties() {
    let dir = TempDir::new("wide");
    let properties: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                r#""property{i}": {{"type": "{}"}}"#,
                ["string", "integer", "boolean"][i % 3]
            )
        })
        .collect();
    let text = format!(
        r#"{HEADER}{{"Wide": {{"type": "object", "properties": {{{}}}}}}}}}}}"#,
        properties.join(", ")
    );
    let spec = dir.0.join("wide.json");
    std::fs::write(&spec, text).expect("writes");
    let started = std::time::Instant::now();
    let output = apigen::generate(&apigen::Config::new(&spec)).expect("a wide schema generates");
    let types = &output.files["src/types.rs"];
    let parsed = syn::parse_file(types).expect("types.rs parses");
    let syn::Item::Struct(wide) = parsed
        .items
        .iter()
        .find(|i| matches!(i, syn::Item::Struct(_)))
        .expect("a struct")
    else {
        unreachable!()
    };
    assert_eq!(wide.fields.len(), 10_000);
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

/// 2,000 levels of nesting in JSON and YAML's flow style, 200 in YAML's block style: a clear, located error, and no stack overflow.
#[test]
fn two_thousand_levels_of_nesting() {
    let dir = TempDir::new("deep");
    let depth = 2_000;
    let open = r#"{"type": "object", "properties": {"child": "#;
    let json = format!(
        r#"{HEADER}{{"Deep": {}{{"type": "string"}}{}}}}}}}"#,
        open.repeat(depth),
        "}}".repeat(depth)
    );
    let json_spec = dir.0.join("deep.json");
    std::fs::write(&json_spec, &json).expect("writes");
    // Block style grows by the square of the depth, so it goes only a little past the parsers' limit.
    let block_depth = 200;
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo:\n  title: generated\n  version: \"1\"\npaths: {}\ncomponents:\n  schemas:\n    Deep:\n",
    );
    for level in 0..block_depth {
        let indent = " ".repeat(6 + 2 * level);
        yaml.push_str(&format!(
            "{indent}type: object\n{indent}properties:\n{indent} child:\n"
        ));
    }
    yaml.push_str(&format!(
        "{}type: string\n",
        " ".repeat(6 + 2 * block_depth)
    ));
    let yaml_spec = dir.0.join("deep.yaml");
    std::fs::write(&yaml_spec, &yaml).expect("writes");
    // The same in YAML's flow style, which nests without indentation.
    let flow_spec = dir.0.join("deep-flow.yaml");
    std::fs::write(&flow_spec, format!("openapi: 3.0.3\ninfo: {{title: generated, version: '1'}}\npaths: {{}}\ncomponents: {{schemas: {{Deep: {}{{type: string}}{}}}}}\n", "{type: object, properties: {child: ".repeat(depth), "}}".repeat(depth))).expect("writes");

    // Just inside the parsers' limit: each level of schema is two levels of JSON.
    let within = 60;
    let within_spec = dir.0.join("deep-within-limits.json");
    let within_json = format!(
        r#"{HEADER}{{"Deep": {}{{"type": "string"}}{}}}}}}}"#,
        open.repeat(within),
        "}}".repeat(within)
    );
    std::fs::write(&within_spec, within_json).expect("writes");

    let mut text = String::new();
    for spec in [&json_spec, &yaml_spec, &flow_spec, &within_spec] {
        // Run on a thread with a small stack, as tests do, to show no input exhausts it.
        let config = apigen::Config::new(spec);
        let result = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || apigen::generate(&config).map(|o| o.stats))
            .expect("spawns")
            .join()
            .expect("no panic");
        match result {
            Ok(stats) => text.push_str(&format!("ok: {} types\n", stats.types)),
            Err(e) => text.push_str(&format!("error: {e}\n")),
        }
    }
    insta::assert_snapshot!("catalogue_generated__deep_nesting", stable(&text, &dir));
}

/// A crate name that Cargo or Rust would reject is refused with a clear error, never a panic. The
/// seed description carries examples, whose test `use`s the library by name: before the name was
/// checked where it enters, that is where `my.client` panicked.
#[test]
fn bad_crate_names() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
    let cases = [
        ("dot", "my.client"),
        ("leading-digit", "2fa"),
        ("empty", ""),
    ];
    for (case, name) in cases {
        let config = apigen::Config::new("spec/intercom-seed/openapi.yaml").crate_name(name);
        let text = match std::panic::catch_unwind(|| apigen::generate(&config)) {
            Err(_) => "PANIC: the generator panicked on this crate name".to_string(),
            Ok(Ok(_)) => format!("ok: `{name}` was accepted"),
            Ok(Err(e)) => format!("error: {e}"),
        };
        insta::assert_snapshot!(format!("catalogue_crate_name__{case}"), text);
    }
}
