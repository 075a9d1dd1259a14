// The providers' official clients, unchanged, as a second opinion on the simulator and the proxy:
// @mittwald/api-client and @northflank/js-client list every backup (all pages) and perform every
// action Backboard offers, against the simulator directly and through the worker's proxy
// (`/proxy/<provider>` as their base URL). Every answer has the status the client declares for
// its operation, and a body of the declared type. Routes the clients know but Backboard does not
// offer stay refused by the proxy. The clients send the deployment's Origin, as the page in a
// browser does; without it the proxy refuses them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { MittwaldAPIV2Client, Descriptors, extractTotalCountHeader } from '@mittwald/api-client';
import { ApiClient, ApiClientInMemoryContextProvider } from '@northflank/js-client';
import { SIM, WORKER, WEB, resetSimulator, simLog } from './helpers.mjs';
import { mittwaldOperation, northflankResult, departures } from './declared.mjs';

const MW_PROJECT = '3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10';
const NF = { projectId: 'demo-project', addonId: 'postgres-main' };
const NF_DESTINATION = 'offsite-s3';
const TARGETS = [
  { via: 'the simulator', mittwald: `${SIM}/mittwald/`, northflank: `${SIM}/northflank`, proxied: false },
  { via: 'the proxy', mittwald: `${WORKER}/proxy/mittwald/`, northflank: `${WORKER}/proxy/northflank`, proxied: true },
];
// The seed document gives `expiredBy` as a decimal string where the official type says number;
// the simulator keeps some records in the seed's form, so both stay tested.
const SEED_VARIANTS = [/^\$\[\d+\]\.expiredBy: "\d+(\.\d+)?" is not number$/];
// The deployment's page, whose Origin a browser sends with every call to the proxy.
const PAGE = new URL(WEB).origin;

/// Adds the page's Origin to every request: Northflank's client takes an agent, not headers.
class PageAgent extends http.Agent {
  addRequest(req, options) {
    req.setHeader('Origin', PAGE);
    return super.addRequest(req, options);
  }
}

/// mittwald's client on `base`, sending `origin` (none: null) as a page would.
function mittwaldClient(base, origin = PAGE) {
  const client = MittwaldAPIV2Client.newWithToken('mw-demo-token');
  client.axios.defaults.baseURL = base;
  if (origin) client.axios.defaults.headers.common.Origin = origin;
  return client;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/// The client's method for a descriptor: `backupGetProjectBackup` -> `client.backup.getProjectBackup`.
const operation = (client, name) => client.backup[name[6].toLowerCase() + name.slice(7)];

let config;
before(async () => {
  await resetSimulator();
  config = (await (await fetch(SIM + '/_demo/config')).json()).config;
});

/// Asserts `value` is of the declared `type` (seed variants aside).
function conforms(what, value, type) {
  const problems = departures(value, type).filter((p) => !SEED_VARIANTS.some((v) => v.test(p)));
  assert.deepEqual(problems, [], `${what}: ${problems.join('; ')}`);
}

/// Runs `call` and returns its result with the simulator requests it caused.
async function traced(call) {
  const before = (await simLog()).length;
  const result = await call();
  return { result, reached: (await simLog()).slice(before) };
}

// ---------------------------------------------------------------------------------------------
// mittwald

/// Calls one operation of the mittwald client and checks the status and body it declares.
async function mittwald(client, name, request, { proxied }) {
  const op = mittwaldOperation(Descriptors[name]);
  const { result: res, reached } = await traced(() => operation(client, name)(request));
  assert.equal(res.status, op.success, `${name}: status ${res.status} ${JSON.stringify(res.data)?.slice(0, 200)}`);
  if (op.body) conforms(name, res.data, op.body);
  else assert.ok(res.data === '' || res.data === undefined, `${name}: a ${op.success} carries no body`);
  // Through the proxy: exactly the one request, forwarded to the simulator unchanged.
  if (proxied) assert.deepEqual(reached.map((e) => `${e.method} ${e.status}`), [`${Descriptors[name].method} ${op.success}`], name);
  return res.data;
}

for (const target of TARGETS) {
  test(`mittwald's client lists every backup and performs every action, via ${target.via}`, async () => {
    await resetSimulator({ operation_ms: 300 });
    const client = mittwaldClient(target.mittwald);
    const call = (name, request) => mittwald(client, name, request, target);

    // All pages, by the client's own paging parameters and total-count header.
    const list = mittwaldOperation(Descriptors.backupListProjectBackups);
    const backups = [];
    let total = Infinity;
    while (backups.length < total) {
      const res = await client.backup.listProjectBackups({ projectId: MW_PROJECT, queryParameters: { limit: 5, skip: backups.length } });
      assert.equal(res.status, list.success);
      conforms('listProjectBackups', res.data, list.body);
      total = extractTotalCountHeader(res);
      assert.ok(res.data.length > 0 && res.data.length <= 5, `page of ${res.data.length}`);
      backups.push(...res.data);
    }
    assert.equal(backups.length, config.mittwald);
    assert.equal(new Set(backups.map((b) => b.id)).size, backups.length, 'no backup twice');

    // Create, read, update the description, delete.
    const expirationTime = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const created = await call('backupCreateProjectBackup', { projectId: MW_PROJECT, data: { expirationTime, description: 'official client' } });
    const id = created.id;
    assert.equal((await call('backupGetProjectBackup', { projectBackupId: id })).description, 'official client');
    await call('backupUpdateProjectBackup', { projectBackupId: id, data: { description: 'renamed by the official client' } });
    assert.equal((await call('backupGetProjectBackup', { projectBackupId: id })).description, 'renamed by the official client');

    // Export a completed backup, wait for the file, delete the export.
    const done = backups.find((b) => b.status === 'Completed' && !['Pending', 'Exporting'].includes(b.export?.phase));
    await call('backupCreateProjectBackupExport', { projectBackupId: done.id, data: { format: 'zip', password: 'secret-1' } });
    let exported;
    for (let i = 0; i < 40 && exported?.export?.phase !== 'Completed'; i++) {
      await sleep(100);
      exported = await call('backupGetProjectBackup', { projectBackupId: done.id });
    }
    assert.equal(exported.export.phase, 'Completed');
    assert.ok(exported.export.downloadURL);
    await call('backupDeleteProjectBackupExport', { projectBackupId: done.id });

    // Restore: the pickers' database dumps and directories, then databases and paths.
    const dumps = await call('backupGetProjectBackupDatabaseDumps', { projectBackupId: done.id });
    const tree = await call('backupGetProjectBackupDirectories', { projectBackupId: done.id, queryParameters: { directory: '/html' } });
    assert.ok(dumps.databases.length > 0 && tree.items.length > 0);
    await call('backupRequestProjectBackupRestore', {
      projectBackupId: done.id,
      data: {
        databaseRestores: [{ databaseBackupDump: dumps.databases[0], targetDatabaseId: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f' }],
        pathRestore: { sourcePaths: [tree.items[0].absolutePath], clearTargetPath: false },
      },
    });
    assert.equal((await call('backupGetProjectBackup', { projectBackupId: done.id })).restore.phase, 'running');
    await call('backupDeleteProjectBackup', { projectBackupId: id });

    // Schedules: list, create, get, update, delete.
    const schedules = await call('backupListProjectBackupSchedules', { projectId: MW_PROJECT });
    const schedule = await call('backupCreateProjectBackupSchedule', { projectId: MW_PROJECT, data: { schedule: '15 3 * * *', ttl: '14d', description: 'official client' } });
    assert.equal(schedule.schedule, '15 3 * * *');
    assert.equal((await call('backupGetProjectBackupSchedule', { projectBackupScheduleId: schedule.id })).ttl, '14d');
    await call('backupUpdateProjectBackupSchedule', { projectBackupScheduleId: schedule.id, data: { ttl: '30d' } });
    assert.equal((await call('backupGetProjectBackupSchedule', { projectBackupScheduleId: schedule.id })).ttl, '30d');
    await call('backupDeleteProjectBackupSchedule', { projectBackupScheduleId: schedule.id });
    assert.equal((await call('backupListProjectBackupSchedules', { projectId: MW_PROJECT })).length, schedules.length);

    // Documented errors come with a status the operation declares.
    for (const [name, request, status] of [
      ['backupGetProjectBackup', { projectBackupId: '00000000-0000-4000-8000-000000000000' }, 404],
      ['backupCreateProjectBackup', { projectId: MW_PROJECT, data: { expirationTime: 'tomorrow' } }, 400],
      ['backupUpdateProjectBackupSchedule', { projectBackupScheduleId: schedules.find((s) => s.isSystemBackup).id, data: { schedule: '0 * * * *' } }, 412],
    ]) {
      const res = await operation(client, name)(request);
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.data)}`);
      assert.ok(mittwaldOperation(Descriptors[name]).statuses.includes(status), `${name} declares ${status}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Northflank

/// Northflank's client on `host`, with the page's Origin unless `fromPage` is false.
function northflankClient(host, fromPage = true) {
  const context = new ApiClientInMemoryContextProvider();
  context.addContext({ name: 'backboard', token: 'nf-demo-token', host });
  return new ApiClient(context, { throwErrorOnHttpErrorCode: false, agent: fromPage ? new PageAgent() : undefined });
}

/// The client treats every status but 200 as an error (its `executeCall`): 200 is the status it
/// declares for each call. Checks that, and the body against the call's declared result type.
async function northflank(label, call, resultType, { proxied }, expectedRequests = 1) {
  const { result: res, reached } = await traced(call);
  assert.equal(res.error, undefined, `${label}: ${JSON.stringify(res.error)}`);
  assert.equal(res.rawResponse.status, 200, label);
  if (resultType) conforms(label, res.data, northflankResult(resultType));
  if (proxied) {
    assert.equal(reached.length, expectedRequests, `${label}: ${JSON.stringify(reached)}`);
    assert.ok(reached.every((e) => e.status === 200 && e.path.startsWith('/northflank/v1/')), label);
  }
  return res.data;
}

for (const target of TARGETS) {
  test(`Northflank's client lists every backup and performs every action, via ${target.via}`, async () => {
    await resetSimulator({ operation_ms: 300 });
    const nf = northflankClient(target.northflank);
    const call = (label, fn, type, pages) => northflank(label, fn, type, target, pages);
    const wait = async (backupId, settled) => {
      let b;
      for (let i = 0; i < 40; i++) {
        b = await call('get', () => nf.get.addon.backup({ parameters: { ...NF, backupId } }), 'GetAddonBackupResult');
        if (settled(b)) return b;
        await sleep(100);
      }
      assert.fail(`backup ${backupId} stayed ${JSON.stringify(b)}`);
    };

    // All pages, with the client's own `.all()` (cursor by cursor).
    const pages = (n, per) => Math.ceil(n / per);
    const addon = await call('addon backups', () => nf.get.addon.backups.all({ parameters: NF, options: { per_page: 10 } }),
      'GetAddonBackupsResult', pages(config.northflank_addon, 10));
    assert.equal(addon.backups.length, config.northflank_addon);
    assert.equal(new Set(addon.backups.map((b) => b.id)).size, config.northflank_addon);
    // A page of exactly one item would be merged wrongly by `.all()` for this array-typed
    // answer (it reads a one-key page as `{key: items}`): pages of 5 never end on one item here.
    assert.notEqual(config.northflank_destination % 5, 1);
    const destination = await call('destination backups',
      () => nf.list.backupDestinationsBackups.all({ parameters: { backupDestinationId: NF_DESTINATION }, options: { per_page: 5 } }),
      'ListBackupdestinationsbackupsResult', pages(config.northflank_destination, 5));
    assert.equal(destination.length, config.northflank_destination);

    // Create a snapshot with an additional destination, and a dump into a custom destination.
    const snapshot = await call('create snapshot', () => nf.backup.addon({ parameters: NF, data: {
      name: 'official client', backupType: 'snapshot',
      additionalDestinations: [{ destinationId: NF_DESTINATION, type: 'custom', retentionTime: 7 }],
    } }), 'BackupAddonResult');
    const dump = await call('create dump', () => nf.backup.addon({ parameters: NF, data: {
      name: 'official dump', backupType: 'dump', compressionType: 'zstd', customDestinationId: NF_DESTINATION,
    } }), 'BackupAddonResult');
    assert.equal(snapshot.name, 'official client');

    // Abort one while it runs; let the other complete.
    await call('abort', () => nf.abort.addon.backup({ parameters: { ...NF, backupId: dump.id } }), 'AbortAddonBackupResult');
    assert.equal((await wait(dump.id, (b) => b.status !== 'aborting')).status, 'aborted');
    await wait(snapshot.id, (b) => b.status === 'completed');

    // Restore it, and a global backup of another addon from the destination.
    const restore = await call('restore', () => nf.restore.addon.backup({ parameters: { ...NF, backupId: snapshot.id } }), 'RestoreAddonBackupResult');
    assert.ok(restore.restoreId);
    assert.ok((await wait(snapshot.id, (b) => b.lastRestore?.status === 'completed')).lastRestore.completedAt);
    const global = destination.find((b) => b.status === 'completed' && b.project?.id && b.addon?.id);
    await call('restore global', () => nf.restore.addon.backup({ parameters: { ...NF, backupId: global.id },
      options: { sourceProjectId: global.project.id, sourceAddonId: global.addon.id } }), 'RestoreAddonBackupResult');

    // A download link, then delete the backup.
    const link = await call('download link', () => nf.get.addon.backup.download({ parameters: { ...NF, backupId: snapshot.id } }), 'GetAddonBackupDownloadResult');
    assert.match(link.downloadLink, /^https?:\/\//);
    await call('delete', () => nf.delete.backup({ parameters: { ...NF, backupId: snapshot.id } }), 'DeleteBackupResult');
    const gone = await nf.get.addon.backup({ parameters: { ...NF, backupId: snapshot.id } });
    assert.equal(gone.error?.status, 404);
    assert.ok(gone.error.message, 'the error carries the provider message');

    // A backup schedule, as the client's create call sends it.
    const schedule = await call('create schedule', () => nf.create.addon.backupSchedule({ parameters: NF, data: {
      scheduling: { interval: 'daily', minute: [0, 30], hour: [3] }, backupType: 'snapshot', retentionTime: 7,
    } }), 'CreateAddonBackupscheduleResult');
    assert.ok(schedule.id);
  });
}

test('routes the official clients know but Backboard does not offer stay refused by the proxy', async () => {
  await resetSimulator();
  const nf = northflankClient(`${WORKER}/proxy/northflank`);
  const backupId = (await (await fetch(`${SIM}/northflank/v1/projects/demo-project/addons/postgres-main/backups?per_page=1`,
    { headers: { Authorization: 'Bearer nf-demo-token' } })).json()).data.backups[0].id;
  const refused = [
    ['list backup schedules', () => nf.get.addon.backupSchedules({ parameters: NF }), 405],
    ['delete a backup schedule', () => nf.delete.addon.backupSchedule({ parameters: { ...NF, scheduleId: 'schedule-1' } }), 403],
    ['list restores', () => nf.get.addon.backup.restores({ parameters: { ...NF, backupId } }), 403],
    ['retain a backup', () => nf.retain.addon.backup({ parameters: { ...NF, backupId } }), 403],
    ['abort a restore', () => nf.abort.addon.restore({ parameters: { ...NF, backupId }, data: { restoreId: 'r1' } }), 403],
    ['the addon itself', () => nf.get.addon({ parameters: NF }), 403],
    ['import a backup', () => nf.import.addon.backup({ parameters: NF, data: { importUrl: 'https://example.com/b.gz' } }), 403],
  ];
  for (const [label, call, status] of refused) {
    const { result: res, reached } = await traced(call);
    assert.equal(res.rawResponse.status, status, label);
    assert.deepEqual(reached, [], `${label} reached the simulator`);
  }
  const mw = mittwaldClient(`${WORKER}/proxy/mittwald/`);
  // Every backup operation of mittwald's client is one Backboard offers; the project is not.
  for (const [label, call] of [['mittwald project', () => mw.project.getProject({ projectId: MW_PROJECT })]]) {
    const { result: res, reached } = await traced(call);
    assert.equal(res.status, 403, label);
    assert.equal(res.data.proxyError.code, 'path_not_allowed', label);
    assert.deepEqual(reached, [], `${label} reached the simulator`);
  }
});

test('the official clients as scripts (no Origin) or from a foreign page are refused by the proxy', async () => {
  await resetSimulator();
  const refusedBy = (what, status, body) => {
    assert.equal(status, 403, what);
    assert.equal(body?.proxyError?.code, 'origin_not_allowed', `${what}: ${JSON.stringify(body)}`);
  };
  for (const origin of [null, 'http://evil.example']) {
    const mw = mittwaldClient(`${WORKER}/proxy/mittwald/`, origin);
    const { result: res, reached } = await traced(() => mw.backup.listProjectBackups({ projectId: MW_PROJECT }));
    refusedBy(`mittwald from ${origin}`, res.status, res.data);
    assert.deepEqual(reached, [], `mittwald from ${origin} reached the simulator`);
  }
  // The client reads the body itself and keeps only Northflank's own error fields: the status tells.
  const nf = northflankClient(`${WORKER}/proxy/northflank`, false);
  const { result: res, reached } = await traced(() => nf.get.addon.backups({ parameters: NF }));
  assert.equal(res.rawResponse.status, 403, 'Northflank without an Origin');
  assert.equal(res.error?.status, 403);
  assert.deepEqual(reached, [], 'Northflank without an Origin reached the simulator');
});
