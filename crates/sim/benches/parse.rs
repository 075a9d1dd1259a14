//! Parse throughput of the core's typed parsers on 10,000 backups per endpoint, against a
//! schemaless `serde_json::Value` parse of the same bytes. Bodies are real simulator answers
//! (the provider's envelope, headers and all) whose item list is filled to 10,000 records.
//! Run by `cargo xtask bench`, which reads criterion's estimates from target/criterion/.

use backboard_core::http::{Request, Response};
use backboard_core::paging::Endpoint;
use backboard_core::providers::{mittwald, northflank, serveravatar};
use backboard_core::{Account, Connection};
use backboard_sim::data::Rng;
use backboard_sim::providers::{mittwald as mw_data, northflank as nf_data, serveravatar as sa_data};
use backboard_sim::{Config, Sim};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::Value;
use std::hint::black_box;
use time::macros::datetime;

const N: usize = 10_000;

/// Parses one page with the core's endpoint and returns how many records it read.
type Parser = Box<dyn Fn(&Response) -> usize>;

/// Replaces the item list that `items_at` points to in `response`'s JSON body.
fn filled(mut response: Response, items_at: &[&str], items: Vec<Value>) -> Response {
    let mut body: Value = serde_json::from_slice(&response.body).expect("simulator answers JSON");
    let mut slot = &mut body;
    for key in items_at {
        slot = &mut slot[*key];
    }
    *slot = Value::Array(items);
    response.body = serde_json::to_vec(&body).expect("serializable");
    response
}

fn bench(c: &mut Criterion) {
    let now = datetime!(2026-11-23 12:00 UTC);
    let mut sim = Sim::new(Config::default(), now);
    let mut rng = Rng::new(7);
    let connections: Vec<Connection> =
        serde_json::from_value(backboard_sim::demo_connections()).expect("demo connections parse");
    let first = |sim: &mut Sim, request: Request| {
        let (response, _) = sim.handle(&request, now);
        assert_eq!(response.status, 200, "{}", request.url);
        response
    };

    let mut group = c.benchmark_group("parse");
    group.sample_size(10).warm_up_time(std::time::Duration::from_secs(1));
    group.measurement_time(std::time::Duration::from_secs(3));
    for connection in &connections {
        let (name, response, parse): (&str, Response, Parser) = match &connection.account {
            Account::ServerAvatar(a) => {
                let ep = serveravatar::ListEndpoint { base: "/serveravatar".into(), account: a.clone() };
                let page = first(&mut sim, ep.request(&ep.first_page()));
                let items = (0..N).map(|i| sa_data::data::backup(i as u64 + 1, 5, i, &mut rng, now)).collect();
                let parse = move |r: &Response| ep.parse(&ep.first_page(), r).expect("parses").items.len();
                ("serveravatar", filled(page, &["data"], items), Box::new(parse))
            }
            Account::Northflank(a) => {
                let ep = northflank::ListEndpoint { base: "/northflank".into(), account: a.clone(), per_page: 100 };
                let page = first(&mut sim, ep.request(&ep.first_page()));
                let (name, at, items): (_, &[&str], Vec<Value>) = match a.target {
                    northflank::Target::Addon { .. } => (
                        "northflank_addon",
                        &["data", "backups"],
                        (0..N).map(|i| nf_data::data::addon_backup(i, &mut rng, now)).collect(),
                    ),
                    northflank::Target::Destination { .. } => (
                        "northflank_destination",
                        &["data"],
                        (0..N).map(|i| nf_data::data::destination_backup(i, &mut rng, now)).collect(),
                    ),
                };
                let parse = move |r: &Response| ep.parse(&ep.first_page(), r).expect("parses").items.len();
                (name, filled(page, at, items), Box::new(parse))
            }
            Account::Mittwald(a) => {
                let ep = mittwald::ListEndpoint { base: "/mittwald".into(), account: a.clone(), limit: 100 };
                let page = first(&mut sim, ep.request(&ep.first_page()));
                let items = (0..N).map(|i| mw_data::data::backup(i, &a.project_id, &mut rng, now)).collect();
                let parse = move |r: &Response| ep.parse(&ep.first_page(), r).expect("parses").items.len();
                ("mittwald", filled(page, &[], items), Box::new(parse))
            }
        };
        assert_eq!(parse(&response), N, "{name}: every record parses");
        group.throughput(Throughput::Bytes(response.body.len() as u64));
        group.bench_with_input(BenchmarkId::new("core", name), &response, |b, r| b.iter(|| parse(black_box(r))));
        group.bench_with_input(BenchmarkId::new("serde_json_value", name), &response, |b, r| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(&r.body)).expect("JSON"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
