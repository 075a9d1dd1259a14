//! A temporary download link of an addon backup: `GET .../backups/{id}/download-link`.

use serde::{Deserialize, Serialize};

use super::addon::{call, Addon, Data};
use super::model::Account;
use super::P;
use crate::answer::expect_json;
use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadLink {
    /// A temporary http(s) URL of the backup file.
    pub download_link: String,
}

pub(super) const DOWNLOAD_LINK: Route = Route::new(
    "download_link",
    Method::Get,
    &[Lit("v1"), Lit("projects"), Id, Lit("addons"), Id, Lit("backups"), Id, Lit("download-link")],
    Act::Download,
);

/// `GET {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}/download-link`
pub fn download_link_request(base: &str, account: &Account, addon: &Addon, backup_id: &str) -> Request {
    call(&DOWNLOAD_LINK, base, account, addon, &[backup_id], "")
}

/// `{data: {downloadLink}}`. Anything but an http(s) URL is refused: the SPA offers it as a
/// link, and a `javascript:` one would run in the page.
pub fn parse_download_link(response: &Response) -> Result<DownloadLink, Error> {
    let link = expect_json::<Data<DownloadLink>>(P, response)?.data;
    if crate::http::origin_of(&link.download_link).is_none() {
        return Err(Error::Parse {
            provider: P,
            field: "data.downloadLink".into(),
            message: "expected an http or https URL".into(),
        });
    }
    Ok(link)
}
