//! Each provider's simulator driven through the core's clients, in-process.

use backboard_core::paging::{Options, Progress};
use backboard_core::providers::{mittwald, northflank, serveravatar};
use backboard_core::{Account, Connection};
use backboard_core::{Error, Status, Token};
use backboard_sim::{Config, Fault, FaultRule, InProcess, Sim, DEMO_MW_PROJECT};
use futures::executor::block_on;
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

fn sim(config: Config) -> InProcess {
    InProcess::new(Sim::new(config, NOW), NOW)
}

fn sa(token: &str, org: &str) -> Connection {
    Connection {
        id: "sa".into(),
        label: "SA".into(),
        account: Account::ServerAvatar(serveravatar::Account { token: Token::new(token), organization: org.into() }),
    }
}

fn nf_addon() -> Connection {
    Connection {
        id: "nf".into(),
        label: "NF".into(),
        account: Account::Northflank(northflank::Account {
            token: Token::new("nf-demo-token"),
            target: northflank::Target::Addon { project_id: "demo-project".into(), addon_id: "postgres-main".into() },
        }),
    }
}

fn nf_dest() -> Connection {
    Connection {
        id: "nfd".into(),
        label: "NFD".into(),
        account: Account::Northflank(northflank::Account {
            token: Token::new("nf-demo-token"),
            target: northflank::Target::Destination { backup_destination_id: "offsite-s3".into() },
        }),
    }
}

fn mw(query: mittwald::ListQuery) -> Connection {
    Connection {
        id: "mw".into(),
        label: "MW".into(),
        account: Account::Mittwald(mittwald::Account {
            token: Token::new("mw-demo-token"),
            project_id: DEMO_MW_PROJECT.into(),
            query,
        }),
    }
}

fn list(t: &InProcess, c: &Connection, base: &str) -> (Result<Vec<backboard_core::Backup>, Error>, Vec<Progress>) {
    let mut seen = Vec::new();
    let r = block_on(c.list_backups(t, base, &Options::default(), &mut |p| seen.push(p)));
    (r, seen)
}

#[test]
fn serveravatar_all_pages_in_order() {
    let t = sim(Config { serveravatar: 37, ..Config::default() });
    let (r, progress) = list(&t, &sa("sa-demo-token", "5"), "/serveravatar");
    let backups = r.unwrap();
    assert_eq!(backups.len(), 37);
    assert_eq!(progress.len(), 4);
    assert_eq!(progress.last().unwrap(), &Progress { pages_done: 4, pages_known: Some(4), items: 37 });
    let mut ids: Vec<&str> = backups.iter().map(|b| b.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 37);
    assert!(backups.iter().any(|b| b.name.contains("<script>")), "hostile names are part of the data");
}

#[test]
fn serveravatar_documented_errors() {
    let t = sim(Config::default());
    let (r, _) = list(&t, &sa("sa-demo-token", "7"), "/serveravatar");
    assert_eq!(r.unwrap_err().to_string(), "ServerAvatar answered 404: Organization not found!");
    let (r, _) = list(&t, &sa("wrong", "5"), "/serveravatar");
    assert!(matches!(r.unwrap_err(), Error::Http { status: 401, .. }));
    let (r, _) = list(&t, &sa("sa-demo-token", "99"), "/serveravatar");
    assert_eq!(r.unwrap_err().to_string(), "ServerAvatar answered 500: Something went really wrong!");
}

#[test]
fn serveravatar_zero_and_many() {
    let t = sim(Config { serveravatar: 0, ..Config::default() });
    let (r, p) = list(&t, &sa("sa-demo-token", "5"), "/serveravatar");
    assert!(r.unwrap().is_empty());
    assert_eq!(p, vec![Progress { pages_done: 1, pages_known: Some(1), items: 0 }]);
    let t = sim(Config { serveravatar: 10_000, ..Config::default() });
    let (r, _) = list(&t, &sa("sa-demo-token", "5"), "/serveravatar");
    assert_eq!(r.unwrap().len(), 10_000);
}

#[test]
fn northflank_both_endpoints_by_cursor() {
    let t = sim(Config { northflank_addon: 250, northflank_destination: 3, ..Config::default() });
    let (r, progress) = list(&t, &nf_addon(), "/northflank");
    assert_eq!(r.unwrap().len(), 250);
    assert_eq!(progress.len(), 3, "100 per page");
    assert_eq!(progress.last().unwrap().pages_known, Some(3));
    let (r, _) = list(&t, &nf_dest(), "/northflank");
    let backups = r.unwrap();
    assert_eq!(backups.len(), 3);
    assert!(backups.iter().all(|b| b.expires.is_some()));
}

#[test]
fn mittwald_offsets_and_filters() {
    let t = sim(Config { mittwald: 2500, ..Config::default() });
    let (r, progress) = list(&t, &mw(Default::default()), "/mittwald");
    let all = r.unwrap();
    assert_eq!(all.len(), 2500);
    assert_eq!(progress.last().unwrap().pages_known, Some(3), "1000 a page, the spec's default limit");
    let q = mittwald::ListQuery { with_exports_only: Some(true), ..Default::default() };
    let (r, _) = list(&t, &mw(q), "/mittwald");
    let exports = r.unwrap();
    assert!(!exports.is_empty() && exports.len() < 2500);
    let q = mittwald::ListQuery { sort_order: Some(mittwald::SortOrder::NewestFirst), ..Default::default() };
    let (r, _) = list(&t, &mw(q), "/mittwald");
    let newest = r.unwrap();
    assert_eq!(newest.first().unwrap().id, all.last().unwrap().id, "oldest first is the default");
}

#[test]
fn transient_faults_are_retried_for_gets() {
    let t = sim(Config::default());
    t.sim.borrow_mut().add_fault(FaultRule {
        path_prefix: "/serveravatar/".into(),
        fault: Fault::RateLimit { retry_after_secs: 2 },
        times: Some(1),
    });
    t.sim.borrow_mut().add_fault(FaultRule {
        path_prefix: "/serveravatar/".into(),
        fault: Fault::Status { status: 503 },
        times: Some(1),
    });
    let (r, _) = list(&t, &sa("sa-demo-token", "5"), "/serveravatar");
    assert_eq!(r.unwrap().len(), 37);
    assert!(t.slept_ms.get() >= 2000, "Retry-After honored: slept {}", t.slept_ms.get());
}

#[test]
fn malformed_answers_are_parse_errors() {
    let t = sim(Config::default());
    t.sim.borrow_mut().add_fault(FaultRule {
        path_prefix: "/mittwald/".into(),
        fault: Fault::Truncated,
        times: Some(1),
    });
    let (r, _) = list(&t, &mw(Default::default()), "/mittwald");
    assert!(matches!(r.unwrap_err(), Error::Parse { .. }));
}

#[test]
fn create_then_list() {
    let t = sim(Config::default());
    let form = serveravatar::CreateForm {
        server: "15".into(),
        name: "before deploy".into(),
        provider: "wasabi".into(),
        cloud_storage_provider_id: "10".into(),
        automatic_backup: false,
        backup_type: "application".into(),
        application_id: "4246".into(),
        database_id: "4223".into(),
        application_extension: ".tar.gz".into(),
        database_extension: ".sql.gz".into(),
        ..Default::default()
    };
    let req = form.validate(NOW).unwrap();
    let account = serveravatar::Account { token: Token::new("sa-demo-token"), organization: "5".into() };
    let response = block_on(backboard_core::Transport::send(&t, req.to_request("/serveravatar", &account))).unwrap();
    let outcome = serveravatar::parse_create(&response, false).unwrap();
    assert_eq!(
        outcome,
        Ok(serveravatar::CreateOutcome::BackupStarted("Backup Process has been started successfully!".into()))
    );
    let (r, _) = list(&t, &sa("sa-demo-token", "5"), "/serveravatar");
    let backups = r.unwrap();
    assert_eq!(backups.len(), 38);
    assert_eq!(backups[0].name, "before deploy");
    assert_eq!(backups[0].status, Status::Running);
}

#[test]
fn mittwald_schedules_become_health_expectations() {
    use backboard_core::health::expected_interval;
    use backboard_core::providers::ScheduleSpec;
    let t = sim(Config::default());
    let specs = block_on(mw(mittwald::ListQuery::default()).schedules(&t, "/mittwald")).unwrap();
    assert!(specs.len() >= 2, "the system schedule and a user one: {specs:?}");
    assert!(specs.iter().all(|s| matches!(s, ScheduleSpec::Cron { .. })));
    let (expected, unreadable) = expected_interval(&specs);
    assert!(unreadable.is_empty(), "{unreadable:?}");
    assert!(expected.unwrap().every_secs <= 86_400, "at least daily");
    // Sources whose schedules travel elsewhere (or nowhere) give none, without a request.
    let before = t.sim.borrow().log().len();
    assert_eq!(block_on(sa("sa-demo-token", "5").schedules(&t, "/serveravatar")).unwrap(), vec![]);
    assert_eq!(block_on(nf_dest().schedules(&t, "/northflank")).unwrap(), vec![]);
    assert_eq!(t.sim.borrow().log().len(), before);
    // A refused token is the provider's error, not an empty list.
    let mut bad = mw(mittwald::ListQuery::default());
    if let Account::Mittwald(a) = &mut bad.account {
        a.token = Token::new("wrong");
    }
    assert!(matches!(block_on(bad.schedules(&t, "/mittwald")), Err(Error::Http { status: 403, .. })));
}

#[test]
fn a_reset_keeps_unnamed_knobs_unless_asked_for_the_defaults() {
    use backboard_core::http::{Method, Request};
    let mut sim = Sim::new(Config::default(), NOW);
    let mut post = |url: &str, body: &str| {
        let status = sim.handle(&Request::new(Method::Post, url).json_body(body.into()), NOW).0.status;
        assert_eq!(status, 200, "{url} {body}");
        let c = sim.config();
        (c.serveravatar, c.mittwald)
    };
    assert_eq!(post("/_demo/reset", r#"{"serveravatar": 0}"#), (0, 18));
    assert_eq!(post("/_demo/reset", ""), (0, 18), "unnamed knobs keep their values");
    assert_eq!(post("/_demo/reset?defaults", r#"{"mittwald": 3}"#), (37, 3), "a clean slate plus the named knobs");
    assert_eq!(post("/_demo/reset?defaults", ""), (37, 18));
}

/// The SPA's provider parts list with the provider known at compile time; the result is the
/// registry's, and a connection of another provider is refused before any request.
#[test]
fn listing_as_the_provider_equals_listing_through_the_registry() {
    let t = sim(Config {
        serveravatar: 12,
        northflank_addon: 9,
        northflank_destination: 7,
        mittwald: 5,
        ..Config::default()
    });
    let as_its_own = |c: &Connection, base: &str| match c.provider() {
        backboard_core::Provider::ServerAvatar => {
            block_on(c.list_backups_as::<serveravatar::Api, _>(&t, base, &Options::default(), &mut |_| {}))
        }
        backboard_core::Provider::Northflank => {
            block_on(c.list_backups_as::<northflank::Api, _>(&t, base, &Options::default(), &mut |_| {}))
        }
        backboard_core::Provider::Mittwald => {
            block_on(c.list_backups_as::<mittwald::Api, _>(&t, base, &Options::default(), &mut |_| {}))
        }
    };
    for (c, base) in [
        (sa("sa-demo-token", "5"), "/serveravatar"),
        (nf_addon(), "/northflank"),
        (nf_dest(), "/northflank"),
        (mw(mittwald::ListQuery::default()), "/mittwald"),
    ] {
        let through_registry = list(&t, &c, base).0.unwrap();
        assert!(!through_registry.is_empty(), "{}", c.label);
        assert_eq!(as_its_own(&c, base).unwrap(), through_registry, "{}", c.label);
        let schedules = block_on(c.schedules(&t, base)).unwrap();
        let own_schedules = match c.provider() {
            backboard_core::Provider::ServerAvatar => block_on(c.schedules_as::<serveravatar::Api, _>(&t, base)),
            backboard_core::Provider::Northflank => block_on(c.schedules_as::<northflank::Api, _>(&t, base)),
            backboard_core::Provider::Mittwald => block_on(c.schedules_as::<mittwald::Api, _>(&t, base)),
        };
        assert_eq!(own_schedules.unwrap(), schedules, "{}", c.label);
    }
    let asked = t.sim.borrow().log().len();
    let wrong =
        block_on(nf_addon().list_backups_as::<mittwald::Api, _>(&t, "/mittwald", &Options::default(), &mut |_| {}));
    match wrong {
        Err(Error::Config(m)) => assert_eq!(m, "NF: not a mittwald connection"),
        other => panic!("{other:?}"),
    }
    assert_eq!(t.sim.borrow().log().len(), asked, "refused before any request");
}
