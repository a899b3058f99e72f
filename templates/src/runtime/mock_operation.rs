//! What the mock knows of one operation ([`Operation`]), written by the generated code as a
//! `static`, and the check of a received request against it.
//!
//! The descriptor holds only facts a `const` can hold: names, locations, whether a parameter is
//! required, the kind of value it takes, the request media types with a function that decodes
//! the body into the request type, and the security requirements.

use percent_encoding::percent_decode_str;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::response::is_sensitive_header;

/// One operation of the API, as the generated code describes it to the mock.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The `operationId`, named in every failure.
    pub id: &'static str,
    /// The HTTP method, upper case (`"GET"`).
    pub method: &'static str,
    /// The path template, such as `/contacts/{id}`.
    pub path: &'static str,
    /// The parameters, every location.
    pub params: &'static [Param],
    /// The request media types the operation accepts; empty when it takes no body.
    pub bodies: &'static [BodySpec],
    /// Whether a body must be sent.
    pub body_required: bool,
    /// The security requirements: any one alternative, all of whose credentials are present,
    /// satisfies them; an empty alternative makes credentials optional, and no alternative at
    /// all means the operation needs none.
    pub security: &'static [&'static [Credential]],
    /// How the operation pages, when it does.
    pub pagination: Option<Pagination>,
}

/// Where a parameter is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// A query parameter.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// The kind of value a parameter takes, as far as the mock checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Any text.
    Any,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of the listed texts (a closed string enum).
    OneOf(&'static [&'static str]),
}

/// One parameter of an operation.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it is sent.
    pub location: Location,
    /// Whether the operation requires it.
    pub required: bool,
    /// The kind of each value.
    pub kind: Kind,
    /// An array: the values may repeat (`tag=a&tag=b`) or be joined by commas, each one checked.
    pub list: bool,
}

impl Param {
    /// A parameter taking any text.
    pub const fn new(name: &'static str, location: Location, required: bool) -> Self {
        Param {
            name,
            location,
            required,
            kind: Kind::Any,
            list: false,
        }
    }

    /// The same parameter, its values of `kind`.
    pub const fn kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// The same parameter, an array of values.
    pub const fn list(mut self) -> Self {
        self.list = true;
        self
    }
}

/// One request media type an operation accepts, with the check that the body decodes into the
/// request type ([`decodes_json`] for JSON bodies).
#[derive(Clone, Copy, Debug)]
pub struct BodySpec {
    /// The media type, such as `application/json` (`*` wildcards accepted: `image/*`).
    pub media_type: &'static str,
    /// Decodes the body, or says why it does not.
    pub check: Option<BodyCheck>,
}

/// Decodes a request body into the request type, or says why it does not.
pub type BodyCheck = fn(&[u8]) -> Result<(), String>;

/// The check of a JSON body: it decodes into `T`, or the error names the field that does not.
pub fn decodes_json<T: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map(drop)
        .map_err(|error| match error.path().to_string().as_str() {
            "." => error.inner().to_string(),
            path => format!("at `{path}`: {}", error.inner()),
        })
}

/// A credential an operation's security requirement names (OAuth 2 and OpenID Connect schemes
/// are [`Credential::Bearer`]; an API key is named by where it goes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer …`.
    Bearer,
    /// `Authorization: Basic …`.
    Basic,
    /// An API key in the named header.
    Header(&'static str),
    /// An API key in the named query parameter.
    Query(&'static str),
    /// An API key in the named cookie.
    Cookie(&'static str),
}

impl Credential {
    fn describe(&self) -> String {
        match self {
            Credential::Bearer => "a bearer token in `Authorization`".into(),
            Credential::Basic => "basic credentials in `Authorization`".into(),
            Credential::Header(name) => format!("the header `{name}`"),
            Credential::Query(name) => format!("the query parameter `{name}`"),
            Credential::Cookie(name) => format!("the cookie `{name}`"),
        }
    }

    fn present(&self, request: &Received<'_>) -> bool {
        let authorization = |scheme: &str| {
            request.headers.get_all("authorization").iter().any(|v| {
                v.to_str().is_ok_and(|v| {
                    v.split_once(' ').is_some_and(|(name, credentials)| {
                        name.eq_ignore_ascii_case(scheme) && !credentials.trim().is_empty()
                    })
                })
            })
        };
        match self {
            Credential::Bearer => authorization("Bearer"),
            Credential::Basic => authorization("Basic"),
            Credential::Header(name) => request.headers.contains_key(*name),
            Credential::Query(name) => request.query.iter().any(|(n, _)| n == name),
            Credential::Cookie(name) => !request.cookies(name).is_empty(),
        }
    }
}

/// How a paginated operation takes the page it wants and says where the next one is; the mock
/// serves a list of items through it (see `Expectation::pages`).
#[derive(Clone, Copy, Debug)]
pub struct Pagination {
    /// How the request chooses its page.
    pub request: PageRequest,
    /// The JSON pointer of the items array in the response body (`""`: the body is the array).
    pub items: &'static str,
    /// Where the response says how to fetch the next page.
    pub next: PageNext,
}

/// How a request chooses its page.
#[derive(Clone, Copy, Debug)]
pub enum PageRequest {
    /// `offset` items are skipped, `limit` (when sent) items are returned.
    Offset {
        /// The offset parameter's name.
        offset: &'static str,
        /// The page size parameter's name.
        limit: &'static str,
    },
    /// Page number `page`, counted from `first`, of `per_page` items.
    Page {
        /// The page number parameter's name.
        page: &'static str,
        /// The page size parameter's name.
        per_page: &'static str,
        /// The number of the first page (usually 1).
        first: u64,
    },
    /// An opaque cursor the previous response gave (none for the first page).
    Cursor {
        /// The cursor parameter's name.
        cursor: &'static str,
        /// The page size parameter's name, when there is one.
        limit: Option<&'static str>,
    },
}

/// Where a response says how to fetch the next page.
#[derive(Clone, Copy, Debug)]
pub enum PageNext {
    /// Nowhere: the client stops at a short or empty page.
    Stop,
    /// The next cursor, at this JSON pointer of the body (absent on the last page).
    Cursor(&'static str),
    /// The next page's full URL, at this JSON pointer of the body (absent on the last page).
    Url(&'static str),
    /// A `Link: <…>; rel="next"` header (absent on the last page).
    LinkHeader,
}

/// A request the mock received, as the checks read it.
pub(crate) struct Received<'a> {
    pub method: &'a str,
    /// The path, still percent-encoded.
    pub path: &'a str,
    /// The query pairs, decoded.
    pub query: Vec<(String, String)>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl Received<'_> {
    /// The values of every cookie named `name`.
    pub fn cookies(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
            .collect()
    }

    /// The values of `name` at `location`; path values come from `path_values`.
    pub fn values(
        &self,
        name: &str,
        location: Location,
        path_values: &[(&'static str, String)],
    ) -> Vec<String> {
        match location {
            Location::Path => path_values
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .collect(),
            Location::Query => self
                .query
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .collect(),
            Location::Header => self
                .headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect(),
            Location::Cookie => self.cookies(name),
        }
    }

    /// The media type of the body, without parameters, lower case.
    pub fn media_type(&self) -> Option<String> {
        let value = self.headers.get("content-type")?.to_str().ok()?;
        Some(super::response::media_essence(value))
    }
}

fn media_matches(pattern: &str, actual: &str) -> bool {
    let pattern = super::response::media_essence(pattern);
    let (want_type, want_sub) = pattern.split_once('/').unwrap_or((&pattern, "*"));
    let (got_type, got_sub) = actual.split_once('/').unwrap_or((actual, ""));
    (want_type == "*" || want_type == got_type) && (want_sub == "*" || want_sub == got_sub)
}

impl Operation {
    /// The path parameters of `path` (percent-encoded) when it fits the template, decoded.
    pub fn match_path(&self, path: &str) -> Option<Vec<(&'static str, String)>> {
        let template: Vec<&'static str> = self.path.trim_matches('/').split('/').collect();
        let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
        if template.len() != actual.len() {
            return None;
        }
        let mut values = Vec::new();
        for (want, got) in template.into_iter().zip(actual) {
            match (want.find('{'), want.find('}')) {
                (Some(open), Some(close)) if open < close => {
                    let (prefix, suffix) = (&want[..open], &want[close + 1..]);
                    let inner = got.strip_prefix(prefix)?.strip_suffix(suffix)?;
                    let value = percent_decode_str(inner).decode_utf8_lossy().into_owned();
                    values.push((&want[open + 1..close], value));
                }
                _ if want == got => {}
                _ => return None,
            }
        }
        Some(values)
    }

    /// True when the method and path are this operation's.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.match_path(path).is_some()
    }

    /// The names of credentials this operation carries in headers, query parameters or
    /// cookies, which failure messages redact.
    pub fn credential_names(&self) -> impl Iterator<Item = (Location, &'static str)> + '_ {
        self.security
            .iter()
            .flat_map(|a| a.iter())
            .filter_map(|c| match c {
                Credential::Header(name) => Some((Location::Header, *name)),
                Credential::Query(name) => Some((Location::Query, *name)),
                Credential::Cookie(name) => Some((Location::Cookie, *name)),
                Credential::Bearer | Credential::Basic => None,
            })
    }

    /// What is wrong with `request` by this operation's description; empty when nothing is.
    pub(crate) fn check(&self, request: &Received<'_>) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(path_values) = self.match_path(request.path) else {
            return vec![format!("the path does not fit `{}`", self.path)];
        };
        for param in self.params {
            check_param(
                param,
                &request.values(param.name, param.location, &path_values),
            )
            .into_iter()
            .for_each(|p| problems.push(p));
        }
        problems.extend(self.check_body(request));
        if !self.security.is_empty()
            && !self
                .security
                .iter()
                .any(|alternative| alternative.iter().all(|c| c.present(request)))
        {
            let wanted: Vec<String> = self
                .security
                .iter()
                .map(|a| {
                    let all: Vec<String> = a.iter().map(Credential::describe).collect();
                    all.join(" and ")
                })
                .collect();
            problems.push(format!(
                "the credentials the operation requires are missing (wants {})",
                wanted.join(", or ")
            ));
        }
        problems
    }

    fn check_body(&self, request: &Received<'_>) -> Option<String> {
        if request.body.is_empty() {
            return self
                .body_required
                .then(|| "the request body is required but none was sent".to_string());
        }
        if self.bodies.is_empty() {
            return Some(format!(
                "a body of {} bytes was sent but the operation takes none",
                request.body.len()
            ));
        }
        let Some(media_type) = request.media_type() else {
            return Some("the body was sent without a `Content-Type`".to_string());
        };
        let accepted: Vec<&str> = self.bodies.iter().map(|b| b.media_type).collect();
        let Some(spec) = self
            .bodies
            .iter()
            .find(|b| media_matches(b.media_type, &media_type))
        else {
            return Some(format!(
                "the body's media type `{media_type}` is not one the operation accepts ({})",
                accepted.join(", ")
            ));
        };
        let check = spec.check?;
        check(request.body)
            .err()
            .map(|why| format!("the body does not decode into the request type: {why}"))
    }
}

/// What is wrong with the values sent for `param`.
fn check_param(param: &Param, values: &[String]) -> Vec<String> {
    let what = match param.location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
        Location::Cookie => "cookie",
    };
    if values.is_empty() {
        return match param.required {
            true => vec![format!("the required {what} `{}` is missing", param.name)],
            false => Vec::new(),
        };
    }
    if !param.list && values.len() > 1 && param.location == Location::Query {
        return vec![format!(
            "the {what} `{}` takes one value but {} were sent",
            param.name,
            values.len()
        )];
    }
    let pieces: Vec<&str> = match param.list {
        true => values.iter().flat_map(|v| v.split(',')).collect(),
        false => values.iter().map(String::as_str).collect(),
    };
    let mut problems = Vec::new();
    for piece in pieces {
        if let Some(why) = check_kind(param.kind, piece) {
            // A credential-like value is never shown; the kind says enough.
            let shown = match is_sensitive_header(param.name) {
                true => "[redacted]".to_string(),
                false => format!("{piece:?}"),
            };
            problems.push(format!("the {what} `{}` is {shown}: {why}", param.name));
        }
    }
    if param.location == Location::Path && values.iter().any(String::is_empty) {
        problems.push(format!("the {what} `{}` is empty", param.name));
    }
    problems
}

/// Why `value` is not of `kind`, if it is not.
fn check_kind(kind: Kind, value: &str) -> Option<String> {
    let fits = match kind {
        Kind::Any => true,
        Kind::Integer => value.parse::<i128>().is_ok(),
        Kind::Number => value.parse::<f64>().is_ok_and(f64::is_finite),
        Kind::Boolean => value == "true" || value == "false",
        Kind::OneOf(allowed) => allowed.contains(&value),
    };
    match (fits, kind) {
        (true, _) => None,
        (false, Kind::OneOf(allowed)) => Some(format!("not one of {}", allowed.join(", "))),
        (false, Kind::Integer) => Some("not an integer".into()),
        (false, Kind::Number) => Some("not a number".into()),
        (false, _) => Some("not `true` or `false`".into()),
    }
}
