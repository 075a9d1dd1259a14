//! ServerAvatar's records and settings: a listed backup, Laravel's paginator, the documented
//! value lists, and what a connection needs.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::de::{self, open_enum};
use crate::http::Request;
use crate::route::Route;
use crate::secret::Token;

open_enum!(
    /// Cloud storage providers of the create document.
    StorageProvider {
        Gdrive = "gdrive",
        AmazonS3 = "amazon_s3",
        Dropbox = "dropbox",
        ServerAvatar = "serveravatar",
        Wasabi = "wasabi",
        CustomS3 = "custom_s3",
    }
);

open_enum!(
    BackupType { Filesystem = "filesystem", Database = "database", Application = "application" }
);

open_enum!(
    Schedule {
        EveryHour = "Every Hour",
        Every3Hours = "Every 3 Hours",
        Every6Hours = "Every 6 Hours",
        Every12Hours = "Every 12 Hours",
        EveryDay = "Every Day",
        Every2Days = "Every 2 Days",
        EveryWeek = "Every Week",
        EveryMonth = "Every Month",
        TwiceAMonth = "Twice a Month",
        Every3Months = "Every 3 Months",
        Every6Months = "Every 6 Months",
        EveryYear = "Every Year",
    }
);

/// ServerAvatar's presets as their longest gap: calendar months count as 31 days, "Twice a
/// Month" as 16, so a run on the last day of a long month is never called late. Case and
/// surrounding spaces are forgiven; anything else is None.
pub fn preset_interval(preset: &str) -> Option<u64> {
    let p = preset.trim().to_ascii_lowercase();
    Some(match p.as_str() {
        "every hour" => HOUR,
        "every 3 hours" => 3 * HOUR,
        "every 6 hours" => 6 * HOUR,
        "every 12 hours" => 12 * HOUR,
        "every day" => DAY,
        "every 2 days" => 2 * DAY,
        "every week" => 7 * DAY,
        "every month" => 31 * DAY,
        "twice a month" => 16 * DAY,
        "every 3 months" => 92 * DAY,
        "every 6 months" => 184 * DAY,
        "every year" => 366 * DAY,
        _ => return None,
    })
}

const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

open_enum!(
    RetentionPeriod {
        OneMonth = "1 Month",
        TwoMonths = "2 Months",
        ThreeMonths = "3 Months",
        SixMonths = "6 Months",
        TwelveMonths = "12 Months",
        TwentyFourMonths = "24 Months",
    }
);

open_enum!(ApplicationExtension { Tar = ".tar", TarGz = ".tar.gz" });
open_enum!(DatabaseExtension { Sql = ".sql", SqlGz = ".sql.gz" });

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatabaseRef {
    pub id: u64,
    pub server_id: Option<u64>,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRef {
    pub id: u64,
    pub system_user_id: Option<u64>,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupConfigurationRef {
    pub id: u64,
    pub name: Option<String>,
}

/// One backup as listed by `GET /organizations/{organization}/backups`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub id: u64,
    pub backup_config_id: Option<u64>,
    pub organization_id: Option<u64>,
    pub server_id: Option<u64>,
    pub cloud_storage_provider_id: Option<u64>,
    pub application_id: Option<u64>,
    pub database_id: Option<u64>,
    pub backup_hash: Option<String>,
    pub application_extension: Option<String>,
    pub database_extension: Option<String>,
    pub price: Option<f64>,
    /// Megabytes.
    pub application_size: Option<f64>,
    /// Megabytes.
    pub database_size: Option<f64>,
    pub total_application_size: Option<f64>,
    pub total_database_size: Option<f64>,
    pub status: String,
    pub application_file_id: Option<serde_json::Value>,
    pub database_file_id: Option<serde_json::Value>,
    #[serde(default, with = "de::flag::option")]
    pub application_available_in_cloudstorage: Option<bool>,
    #[serde(default, with = "de::flag::option")]
    pub database_available_in_cloudstorage: Option<bool>,
    #[serde(default, with = "de::laravel_time::option")]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(default, with = "de::laravel_time::option")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, with = "de::laravel_time::option")]
    pub updated_at: Option<OffsetDateTime>,
    #[serde(default, with = "de::laravel_time::option")]
    pub deleted_at: Option<OffsetDateTime>,
    pub provider: Option<StorageProvider>,
    #[serde(rename = "totalSize")]
    pub total_size: Option<f64>,
    pub database: Option<DatabaseRef>,
    pub application: Option<ApplicationRef>,
    pub backup_configuration: Option<BackupConfigurationRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageLink {
    pub url: Option<String>,
    pub label: String,
    pub active: bool,
}

/// Laravel's length-aware paginator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub current_page: u32,
    pub data: Vec<T>,
    pub first_page_url: Option<String>,
    pub from: Option<u64>,
    pub last_page: u32,
    pub last_page_url: Option<String>,
    #[serde(default)]
    pub links: Vec<PageLink>,
    pub next_page_url: Option<String>,
    pub path: Option<String>,
    pub per_page: u32,
    pub prev_page_url: Option<String>,
    pub to: Option<u64>,
    pub total: u64,
}

/// What a ServerAvatar connection needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub token: Token,
    pub organization: String,
}

pub(super) fn authorized(req: Request, token: &Token) -> Request {
    // ServerAvatar takes the raw token, without "Bearer".
    req.header("Authorization", token.expose()).header("Accept", "application/json")
}

/// ServerAvatar's answer (status 500) when the token's member may not do this.
pub const PERMISSION_DENIED: &str = "You can not perform this action!";

/// A call to one of the organization's routes: the organization fills the first id, then `ids`;
/// `query` is `""` or `?page=N`.
pub(super) fn call(route: &Route, base: &str, account: &Account, ids: &[&str], query: &str) -> Request {
    let ids: Vec<&str> = std::iter::once(account.organization.as_str()).chain(ids.iter().copied()).collect();
    authorized(route.request_with_query(base, &ids, query), &account.token)
}

/// Backup ids are Laravel auto-increment keys: whole numbers from 1.
pub(super) fn backup_id(s: &str) -> Option<u64> {
    (!s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_whole_numbers() {
        assert_eq!(backup_id("14"), Some(14));
        for bad in ["", "0", "-1", "1.5", "1e3", " 1", "99999999999999999999", "٣"] {
            assert_eq!(backup_id(bad), None, "{bad}");
        }
    }
}
