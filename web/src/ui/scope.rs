//! Per-backup state, owned by the list. What a backup's details hold (forms as typed, actions and
//! their answers, polls) lives under a child owner of the list's, and is disposed, with every
//! signal in it, when the backup leaves the list or its details close. The details panel itself
//! is rebuilt whenever the backup's data changes; this state is not.

use std::any::Any;

use leptos::prelude::*;
use leptos::reactive::owner::Owner;

struct Scope {
    id: u64,
    key: String,
    owner: Owner,
    values: Vec<Box<dyn Any>>,
}

/// The list's per-backup scopes.
#[derive(Clone, Copy)]
pub struct Scopes {
    open: StoredValue<Vec<Scope>, LocalStorage>,
    parent: StoredValue<Option<Owner>>,
    next: StoredValue<u64>,
}

/// One backup's scope, as its details panel sees it (provided as context).
#[derive(Clone, Copy)]
pub struct BackupScope {
    scopes: Scopes,
    id: u64,
}

#[cfg(test)]
thread_local! {
    /// Scopes not yet disposed, counted down by their owners' cleanup (tests only).
    static LIVE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// A reactive node made in every scope (tests only): disposed exactly when the scope's are.
    static PROBES: std::cell::RefCell<Vec<StoredValue<()>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Scopes made and not yet cleaned up.
#[cfg(test)]
pub fn live() -> usize {
    LIVE.with(|l| l.get())
}

/// Of the scopes ever made, how many still hold their reactive nodes.
#[cfg(test)]
pub fn nodes_alive() -> usize {
    PROBES.with(|p| p.borrow().iter().filter(|n| !n.is_disposed()).count())
}

impl Scopes {
    /// Made by the list: the scopes are children of the current owner.
    pub fn new() -> Self {
        Self {
            open: StoredValue::new_local(Vec::new()),
            parent: StoredValue::new(Owner::current()),
            next: StoredValue::new(0),
        }
    }

    /// The scope of the backup with this key, made on first use.
    pub fn of(self, key: &str) -> BackupScope {
        if let Some(id) = self.open.with_value(|open| open.iter().find(|s| s.key == key).map(|s| s.id)) {
            return BackupScope { scopes: self, id };
        }
        let owner = self.parent.with_value(|p| p.as_ref().map(Owner::child)).unwrap_or_default();
        #[cfg(test)]
        {
            LIVE.with(|l| l.set(l.get() + 1));
            owner.with(|| Owner::on_cleanup(|| LIVE.with(|l| l.set(l.get() - 1))));
            PROBES.with(|p| p.borrow_mut().push(owner.with(|| StoredValue::new(()))));
        }
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.open.update_value(|open| open.push(Scope { id, key: key.to_string(), owner, values: Vec::new() }));
        BackupScope { scopes: self, id }
    }

    /// Disposes every scope but the one of `key` (the backup whose details are open and listed).
    pub fn keep_only(self, key: Option<&str>) {
        let gone: Vec<Scope> = self
            .open
            .try_update_value(|open| {
                let (kept, gone) = std::mem::take(open).into_iter().partition(|s| Some(s.key.as_str()) == key);
                *open = kept;
                gone
            })
            .unwrap_or_default();
        for scope in gone {
            scope.owner.cleanup();
        }
    }
}

impl BackupScope {
    /// The backup's value of type `T`: made by `init` under the backup's owner the first time,
    /// the same one afterwards (until the scope is disposed).
    pub fn get_or_init<T: Copy + 'static>(self, init: impl FnOnce() -> T) -> T {
        let found = self.scopes.open.try_with_value(|open| {
            let scope = open.iter().find(|s| s.id == self.id)?;
            Some(scope.values.iter().find_map(|v| v.downcast_ref::<T>().copied()).ok_or_else(|| scope.owner.clone()))
        });
        match found.flatten() {
            Some(Ok(value)) => value,
            Some(Err(owner)) => {
                let value = owner.with(init);
                self.scopes.open.update_value(|open| {
                    if let Some(scope) = open.iter_mut().find(|s| s.id == self.id) {
                        scope.values.push(Box::new(value));
                    }
                });
                value
            }
            // Disposed already (a panel on its way out): its own, short-lived value.
            None => init(),
        }
    }

    /// Whether the backup is still listed with its details open (a poll stops otherwise).
    pub fn alive(self) -> bool {
        self.scopes.open.try_with_value(|open| open.iter().any(|s| s.id == self.id)).unwrap_or(false)
    }
}
