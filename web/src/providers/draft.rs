//! What the connection form holds ([`Draft`]) and what each kind of connection adds to it
//! ([`Kind`]).

use backboard_core::Account;
use backboard_core::{Provider, Token};

/// The connection form's fields as typed; kept as they are when something is wrong.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// Which [`Kind`] (its `value`).
    pub kind: String,
    pub label: String,
    /// Empty while editing: the connection keeps its token.
    pub token: String,
    /// The ids the kind asks for, as its `ids` name them.
    pub ids: [String; 2],
    /// The provider's own options by name (mittwald's list filters).
    options: Vec<(&'static str, String)>,
    /// The connection being edited, or the id a new one gets.
    pub connection_id: String,
    pub kept_token: Option<Token>,
}

static NOTHING: String = String::new();

impl Draft {
    pub fn new(kind: &str) -> Self {
        Draft { kind: kind.to_string(), ..Draft::default() }
    }

    /// The `i`th id, as typed without surrounding blanks.
    pub fn id(&self, i: usize) -> String {
        self.ids[i].trim().to_string()
    }

    pub fn option(&self, name: &str) -> &String {
        self.options.iter().find(|(n, _)| *n == name).map(|(_, v)| v).unwrap_or(&NOTHING)
    }

    pub fn set_option(&mut self, name: &'static str, value: String) {
        self.options.retain(|(n, _)| *n != name);
        self.options.push((name, value));
    }

    pub fn flag(&self, name: &str) -> bool {
        self.option(name) == "true"
    }

    pub fn set_flag(&mut self, name: &'static str, on: bool) {
        self.set_option(name, if on { "true".into() } else { String::new() });
    }
}

/// One kind of connection the form offers.
pub struct Kind {
    /// The form's value for it (`<select name="provider">`).
    pub value: &'static str,
    pub label: &'static str,
    /// The labels of the ids it asks for (one or two).
    pub ids: &'static [&'static str],
    pub provider: Provider,
    /// Whether the provider has options of its own below the ids; they come with its part
    /// (`Part::connection_options`), loaded when this kind is chosen.
    pub options: bool,
    pub account: fn(&Draft, Token) -> Account,
}
