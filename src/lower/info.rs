//! The parts of a description about the API as a whole: its title, servers and authentication.

use super::Lowerer;
use crate::ir::*;
use crate::names::{self, Scope};
use std::borrow::Cow;

impl Lowerer<'_> {
    pub(super) fn lower_info(&mut self) {
        let openapi = &self.loaded.openapi;
        self.api.title = openapi.info.title.clone();
        self.api.version = openapi.info.version.clone();
        self.api.description = openapi.info.description.clone();
        let contact = openapi.info.contact.as_ref();
        let text = |value: Option<&String>| {
            value
                .map(|text| text.trim().to_string())
                .filter(|text| !text.is_empty())
        };
        self.api.about = About {
            license: text(openapi.info.license.as_ref().map(|license| &license.name)),
            contact_name: text(contact.and_then(|contact| contact.name.as_ref())),
            contact_url: text(contact.and_then(|contact| contact.url.as_ref())),
            contact_email: text(contact.and_then(|contact| contact.email.as_ref())),
            docs_url: text(openapi.external_docs.as_ref().map(|docs| &docs.url)),
        };
        let mut scope = Scope::new();
        for server in &openapi.servers {
            let mut url = server.url.clone();
            if let Some(variables) = &server.variables {
                for (name, variable) in variables {
                    url = url.replace(&format!("{{{name}}}"), &variable.default);
                }
            }
            let url = url.trim_end_matches('/').to_string();
            let name = names::server_name(&url, server.description.as_deref());
            let name = scope.claim(&name);
            self.api.servers.push(Server {
                url,
                description: server.description.clone(),
                name,
            });
        }
        self.api.auth = self.lower_auth();
        self.api.tags = openapi
            .tags
            .iter()
            .map(|t| (t.name.clone(), t.description.clone()))
            .collect();
    }

    /// The first security requirement whose scheme the runtime can send decides the client's auth.
    fn lower_auth(&mut self) -> Auth {
        let openapi = &self.loaded.openapi;
        let Some(components) = &openapi.components else {
            return Auth::None;
        };
        let requirements: Vec<&String> = openapi
            .security
            .iter()
            .flatten()
            .flat_map(|req| req.keys())
            .chain(components.security_schemes.keys())
            .collect();
        for name in requirements {
            let Some(scheme) = components.security_schemes.get(name) else {
                continue;
            };
            let Some(scheme) = self.resolve_item(scheme).map(Cow::into_owned) else {
                continue;
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            return match scheme {
                S::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => Auth::Basic,
                S::HTTP { .. } | S::OAuth2 { .. } | S::OpenIDConnect { .. } => Auth::Bearer,
                S::APIKey {
                    location: APIKeyLocation::Header,
                    name,
                    ..
                } => Auth::Header(name),
                S::APIKey {
                    location: APIKeyLocation::Query,
                    name,
                    ..
                } => Auth::Query(name),
                S::APIKey {
                    location: APIKeyLocation::Cookie,
                    ..
                } => continue,
            };
        }
        Auth::None
    }
}
