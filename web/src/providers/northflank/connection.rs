//! Northflank's part of the connection form: an addon (its backups, and the actions on them) or
//! a backup destination.

use backboard_core::providers::northflank::{Account as Northflank, Target};
use backboard_core::{Account, Provider};

use crate::providers::draft::{Draft, Kind};

pub const ADDON: Kind = Kind {
    value: "northflank-addon",
    label: "Northflank addon",
    ids: &["Project id", "Addon id"],
    provider: Provider::Northflank,
    options: false,
    account: |draft, token| {
        Account::Northflank(Northflank {
            token,
            target: Target::Addon { project_id: draft.id(0), addon_id: draft.id(1) },
        })
    },
};

pub const DESTINATION: Kind = Kind {
    value: "northflank-destination",
    label: "Northflank backup destination",
    ids: &["Backup destination id"],
    provider: Provider::Northflank,
    options: false,
    account: |draft, token| {
        Account::Northflank(Northflank { token, target: Target::Destination { backup_destination_id: draft.id(0) } })
    },
};

/// The form filled from a Northflank connection.
pub fn draft(account: &Northflank, draft: &mut Draft) {
    match &account.target {
        Target::Addon { project_id, addon_id } => {
            draft.kind = ADDON.value.into();
            draft.ids = [project_id.clone(), addon_id.clone()];
        }
        Target::Destination { backup_destination_id } => {
            draft.kind = DESTINATION.value.into();
            draft.ids[0] = backup_destination_id.clone();
        }
    }
}
