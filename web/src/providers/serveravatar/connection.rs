//! ServerAvatar's part of the connection form: an organization.

use backboard_core::providers::serveravatar::Account as Organization;
use backboard_core::{Account, Provider};

use crate::providers::draft::{Draft, Kind};

pub const KIND: Kind = Kind {
    value: "serveravatar",
    label: "ServerAvatar organization",
    ids: &["Organization id"],
    provider: Provider::ServerAvatar,
    options: false,
    account: |draft, token| Account::ServerAvatar(Organization { token, organization: draft.id(0) }),
};

/// The form filled from an organization's connection.
pub fn draft(account: &Organization, draft: &mut Draft) {
    draft.kind = KIND.value.into();
    draft.ids[0] = account.organization.clone();
}
