//! Randomised descriptions: a few hundred documents built from fixed seeds by a small xorshift
//! generator, each with paths, operations, parameters, bodies and schemas full of hard names,
//! references (good, dangling and cyclic), unions, `allOf`, `nullable` and `additionalProperties`.
//! Generation must not panic, and whatever it generates must parse as Rust.
//!
//! This is the fuzzers' little sibling (see `fuzz/`): deterministic, dependency-free and quick
//! enough to run with every `cargo test`. A failure names the seed; `RANDOM_SEED=<n>` reruns that
//! one document alone and prints it.

use serde_json::{json, Map, Value};
use std::sync::Mutex;

/// The message and place of the last panic, kept by the panic hook for the report. Global, since
/// the generator panics on a thread of its own.
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Names that have broken generators before.
const ODD_NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "match",
    "async",
    "r#type",
    "Result",
    "Option",
    "String",
    "Box",
    "Vec",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Serialize",
    "1st",
    "2fa",
    "200",
    "0",
    "=",
    "!=",
    "<=",
    ">=",
    "~",
    "!~",
    "^",
    "$",
    "*",
    "+",
    "-",
    "fooBar",
    "foo_bar",
    "FooBar",
    "foo-bar",
    "foo bar",
    "café",
    "日本",
    "😀",
    "",
    " ",
    "_",
    "a/b",
    "~0",
    "{id}",
    "\"",
    "\\",
    "'",
    "\r",
    "\t",
    "\n",
    "`",
    "*/",
    "client",
    "options",
    "body",
    "request",
    "response",
    "path",
    "send",
    "new",
    "builder",
    "http_client",
    "base_url",
    "execute",
    "clone",
    "into_future",
    "value",
    "Unknown",
    "UnknownValue",
    "Other",
    "Error",
    "Client",
    "ClientBuilder",
    "Response",
    "Server",
    "Request",
    "RequestOptions",
    "types",
    "runtime",
    "serde",
    "std",
    "default",
    "null",
    "true",
    "additional_properties",
    "id",
];

/// Plain words, so that not every name is odd.
const WORDS: &[&str] = &[
    "pet", "owner", "name", "tag", "list", "item", "company", "contact", "note", "status",
];

/// Marsaglia's xorshift64*: small, fast and good enough to pick shapes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Scramble the seed so that neighbouring seeds start far apart; never zero.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn name(&mut self) -> String {
        match self.below(10) {
            0..=4 => self.pick(ODD_NAMES).to_string(),
            5..=7 => self.pick(WORDS).to_string(),
            8 => format!("{}{}", self.pick(WORDS), self.pick(ODD_NAMES)),
            _ => {
                // A few random characters, ASCII or not.
                let len = self.below(6);
                (0..len)
                    .map(|_| match self.below(4) {
                        0 => char::from_u32(0x20 + self.below(0x5f) as u32).unwrap_or('x'),
                        1 => char::from_u32(0xA0 + self.below(0x2000) as u32).unwrap_or('é'),
                        _ => char::from(b'a' + self.below(26) as u8),
                    })
                    .collect()
            }
        }
    }
}

/// Builds one random document.
struct Builder {
    rng: Rng,
    schema_names: Vec<String>,
    parameter_names: Vec<String>,
}

impl Builder {
    fn schema_ref(&mut self) -> Value {
        let reference = if !self.schema_names.is_empty() && self.rng.chance(90) {
            let name = &self.schema_names[self.rng.below(self.schema_names.len())];
            format!(
                "#/components/schemas/{}",
                name.replace('~', "~0").replace('/', "~1")
            )
        } else {
            // Dangling, or pointing somewhere that is not a schema.
            self.rng
                .pick(&["#/components/schemas/Missing", "#/info", "#/paths", "#"])
                .to_string()
        };
        json!({ "$ref": reference })
    }

    fn schema(&mut self, depth: usize) -> Value {
        let leaf = depth >= 4;
        let kind = if leaf {
            self.rng.below(6)
        } else {
            self.rng.below(17)
        };
        let mut schema = match kind {
            0 => {
                let mut s = json!({"type": "string"});
                if self.rng.chance(30) {
                    s["format"] = json!(self.rng.pick(&[
                        "date-time",
                        "date",
                        "binary",
                        "byte",
                        "uuid",
                        "weird"
                    ]));
                }
                s
            }
            1 => {
                let mut s = json!({"type": "integer"});
                if self.rng.chance(40) {
                    s["format"] = json!(self.rng.pick(&["int32", "int64", "date-time", "int8"]));
                }
                s
            }
            2 => json!({"type": self.rng.pick(&["number", "boolean"])}),
            3 => {
                let count = self.rng.below(6);
                let values: Vec<Value> =
                    (0..count).map(|_| Value::String(self.rng.name())).collect();
                json!({"type": "string", "enum": values})
            }
            4 => self.schema_ref(),
            5 => json!({}),
            6..=8 => {
                let mut properties = Map::new();
                let mut required = Vec::new();
                for _ in 0..self.rng.below(6) {
                    let name = self.rng.name();
                    if self.rng.chance(40) {
                        required.push(Value::String(name.clone()));
                    }
                    properties.insert(name, self.schema(depth + 1));
                }
                if self.rng.chance(10) {
                    required.push(Value::String(self.rng.name()));
                }
                let mut s = json!({"type": "object", "properties": properties});
                if !required.is_empty() {
                    s["required"] = Value::Array(required);
                }
                match self.rng.below(6) {
                    0 => s["additionalProperties"] = json!(true),
                    1 => s["additionalProperties"] = json!(false),
                    2 => s["additionalProperties"] = self.schema(depth + 1),
                    _ => {}
                }
                s
            }
            9 => {
                if self.rng.chance(80) {
                    json!({"type": "array", "items": self.schema(depth + 1)})
                } else {
                    json!({"type": "array"})
                }
            }
            10 => json!({"type": "object", "additionalProperties": self.schema(depth + 1)}),
            11..=12 => {
                let key = self.rng.pick(&["oneOf", "anyOf"]);
                let count = self.rng.below(4);
                let alternatives: Vec<Value> = (0..count).map(|_| self.schema(depth + 1)).collect();
                let mut s = json!({ key: alternatives });
                if self.rng.chance(30) {
                    let mut mapping = Map::new();
                    for _ in 0..self.rng.below(3) {
                        let target = self.schema_ref()["$ref"].clone();
                        mapping.insert(self.rng.name(), target);
                    }
                    s["discriminator"] =
                        json!({"propertyName": self.rng.name(), "mapping": mapping});
                }
                s
            }
            13..=14 => {
                let count = self.rng.below(4);
                let parts: Vec<Value> = (0..count).map(|_| self.schema(depth + 1)).collect();
                let mut s = json!({ "allOf": parts });
                if self.rng.chance(30) {
                    s["properties"] = json!({ self.rng.name(): self.schema(depth + 1) });
                }
                s
            }
            15 => json!({"type": self.rng.name()}),
            _ => {
                let values = [json!(1), json!("a"), Value::Null, json!(true), json!(2.5)];
                let count = self.rng.below(4);
                json!({"enum": (0..count).map(|_| values[self.rng.below(values.len())].clone()).collect::<Vec<_>>()})
            }
        };
        if let Some(map) = schema.as_object_mut() {
            if self.rng.chance(15) {
                if map.contains_key("$ref") {
                    schema = json!({"nullable": true, "allOf": [schema]});
                } else {
                    map.insert("nullable".into(), json!(true));
                }
            }
        }
        if self.rng.chance(10) {
            if let Some(map) = schema.as_object_mut() {
                map.insert(
                    "description".into(),
                    Value::String(format!("{}\n\n* {}", self.rng.name(), self.rng.name())),
                );
            }
        }
        schema
    }

    fn parameter(&mut self) -> Value {
        if !self.parameter_names.is_empty() && self.rng.chance(15) {
            let name = &self.parameter_names[self.rng.below(self.parameter_names.len())];
            return json!({"$ref": format!("#/components/parameters/{}", name.replace('~', "~0").replace('/', "~1"))});
        }
        let location = self
            .rng
            .pick(&["path", "query", "query", "header", "cookie"]);
        let mut p = json!({"name": self.rng.name(), "in": location, "schema": self.schema(2)});
        if location == "path" || self.rng.chance(30) {
            p["required"] = json!(true);
        }
        if self.rng.chance(20) {
            p["explode"] = json!(self.rng.chance(50));
        }
        p
    }

    fn content(&mut self) -> Value {
        let mut content = Map::new();
        for _ in 0..1 + self.rng.below(2) {
            let media = self.rng.pick(&[
                "application/json",
                "application/json",
                "application/problem+json",
                "text/plain",
                "application/octet-stream",
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "*/*",
                "image/png",
            ]);
            let value = if self.rng.chance(85) {
                json!({"schema": self.schema(1)})
            } else {
                json!({})
            };
            content.insert(media.to_string(), value);
        }
        Value::Object(content)
    }

    fn operation(&mut self, path_params: &[String]) -> Value {
        let mut op = Map::new();
        if self.rng.chance(85) {
            op.insert("operationId".into(), Value::String(self.rng.name()));
        }
        let mut parameters: Vec<Value> = path_params
            .iter()
            .filter(|_| self.rng.chance(85))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        for _ in 0..self.rng.below(4) {
            parameters.push(self.parameter());
        }
        if !parameters.is_empty() {
            op.insert("parameters".into(), Value::Array(parameters));
        }
        if self.rng.chance(40) {
            op.insert(
                "requestBody".into(),
                json!({"required": self.rng.chance(50), "content": self.content()}),
            );
        }
        let mut responses = Map::new();
        for _ in 0..self.rng.below(4) {
            let status = match self.rng.below(6) {
                0 => "default".to_string(),
                1 => format!("{}XX", 1 + self.rng.below(5)),
                2 => self.rng.name(),
                _ => [200, 201, 204, 400, 404, 500][self.rng.below(6)].to_string(),
            };
            let mut response = json!({"description": "a response"});
            if self.rng.chance(70) {
                response["content"] = self.content();
            }
            responses.insert(status, response);
        }
        op.insert("responses".into(), Value::Object(responses));
        if self.rng.chance(10) {
            op.insert("deprecated".into(), json!(true));
        }
        Value::Object(op)
    }

    fn document(&mut self) -> Value {
        self.schema_names = (0..self.rng.below(8)).map(|_| self.rng.name()).collect();
        self.parameter_names = (0..self.rng.below(3)).map(|_| self.rng.name()).collect();
        let mut schemas = Map::new();
        for name in self.schema_names.clone() {
            let schema = self.schema(0);
            schemas.insert(name, schema);
        }
        let mut parameters = Map::new();
        for name in self.parameter_names.clone() {
            let parameter = self.parameter();
            parameters.insert(name, parameter);
        }
        let mut paths = Map::new();
        for _ in 0..self.rng.below(5) {
            let mut path = String::new();
            let mut params = Vec::new();
            for _ in 0..self.rng.below(4) {
                if self.rng.chance(35) {
                    let name = self.rng.name();
                    path.push_str(&format!("/{{{name}}}"));
                    params.push(name);
                } else {
                    path.push('/');
                    path.push_str(&self.rng.name());
                }
            }
            if path.is_empty() {
                path.push('/');
            }
            let mut item = Map::new();
            for _ in 0..1 + self.rng.below(3) {
                let method = self.rng.pick(&[
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ]);
                let op = self.operation(&params);
                item.insert(method.to_string(), op);
            }
            if self.rng.chance(15) {
                item.insert("parameters".into(), json!([self.parameter()]));
            }
            paths.insert(path, Value::Object(item));
        }
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": self.rng.name(), "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas, "parameters": parameters},
        });
        if self.rng.chance(50) {
            let servers: Vec<Value> = (0..1 + self.rng.below(3))
                .map(|_| {
                    let url = self.rng.pick(&["https://api.example.com", "https://{region}.example.com/v1/", "/relative", "", "http://localhost:{port}"]);
                    json!({"url": url, "description": self.rng.name(), "variables": {"region": {"default": "eu"}, "port": {"default": "80"}}})
                })
                .collect();
            doc["servers"] = Value::Array(servers);
        }
        let scheme = match self.rng.below(5) {
            0 => Some(json!({"type": "http", "scheme": "bearer"})),
            1 => Some(json!({"type": "http", "scheme": "basic"})),
            2 => Some(
                json!({"type": "apiKey", "in": self.rng.pick(&["header", "query", "cookie"]), "name": self.rng.name()}),
            ),
            _ => None,
        };
        if let Some(scheme) = scheme {
            doc["components"]["securitySchemes"] = json!({"auth": scheme});
            doc["security"] = json!([{"auth": []}]);
        }
        doc
    }
}

fn document(seed: u64) -> Value {
    let mut builder = Builder {
        rng: Rng::new(seed),
        schema_names: Vec::new(),
        parameter_names: Vec::new(),
    };
    builder.document()
}

/// What happened to one document.
enum Outcome {
    Generated,
    Rejected,
}

fn check(seed: u64) -> Result<Outcome, String> {
    let doc = document(seed);
    let text = serde_json::to_string(&doc).expect("JSON serialises");
    let config = apigen::Config::from_text(format!("random-{seed}.json"), text.as_str());
    let result = std::panic::catch_unwind(|| apigen::generate(&config)).map_err(|_| {
        let panic = LAST_PANIC.lock().map(|p| p.clone()).unwrap_or_default();
        format!("seed {seed}: the generator panicked ({panic}) on\n{text}")
    })?;
    let output = match result {
        Ok(output) => output,
        Err(apigen::Error::Internal { file, message }) => {
            return Err(format!(
                "seed {seed}: generated {file} does not parse: {message}\n{text}"
            ));
        }
        Err(_) => return Ok(Outcome::Rejected),
    };
    for name in ["src/types.rs", "src/operations.rs", "src/lib.rs"] {
        let file = output
            .files
            .get(name)
            .ok_or_else(|| format!("seed {seed}: no {name}"))?;
        syn::parse_file(file)
            .map_err(|e| format!("seed {seed}: {name} does not parse: {e}\n{text}"))?;
    }
    Ok(Outcome::Generated)
}

#[test]
fn random_descriptions_never_panic_and_generate_rust() {
    let seeds: Vec<u64> = match std::env::var("RANDOM_SEED") {
        Ok(seed) => {
            let seed = seed.parse().expect("RANDOM_SEED is a number");
            println!(
                "{}",
                serde_json::to_string_pretty(&document(seed)).unwrap_or_default()
            );
            vec![seed]
        }
        Err(_) => (1..=300).collect(),
    };
    // Panics are caught and reported with their seed; keep the default hook from printing each.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = info.to_string();
        }
    }));
    // The seeds are shared out between a few threads; each description is given in memory.
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let results: Vec<Result<Outcome, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let seeds: Vec<u64> = seeds.iter().copied().skip(t).step_by(threads).collect();
                scope.spawn(move || seeds.into_iter().map(check).collect::<Vec<_>>())
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker never panics"))
            .collect()
    });
    std::panic::set_hook(hook);
    let mut failures = Vec::new();
    let (mut generated, mut rejected) = (0, 0);
    for result in results {
        match result {
            Ok(Outcome::Generated) => generated += 1,
            Ok(Outcome::Rejected) => rejected += 1,
            Err(failure) => failures.push(failure),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} documents failed:\n{}",
        failures.len(),
        seeds.len(),
        failures.join("\n\n")
    );
    // The generator must not reject everything: most documents are valid and must generate.
    if seeds.len() > 1 {
        assert!(
            generated > seeds.len() / 3,
            "only {generated} of {} generated ({rejected} rejected)",
            seeds.len()
        );
    }
}
