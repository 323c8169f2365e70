import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server';
import { LINK } from '../unit/helpers/hostile';
import { artifacts, type Artifacts } from './helpers/artifacts';
import { startCountingServer, type CountingServer } from './helpers/countingServer';
import {
  SECRET_STORAGE_KEY,
  browserStorage,
  describeHits,
  listFiles,
  recordShownTexts,
  searchFiles,
  searchTexts,
  shownTexts,
  unsealSecretStorage,
  type Hit,
  type ShownKind,
} from './helpers/leaks';
import { enterSignIn, signIn, type SignInAnswers } from './helpers/signIn';
import { tools } from './helpers/tools';
import {
  activeEditorText,
  answerInput,
  expandRow,
  launchBrowser,
  launchBrowserWithProfile,
  notification,
  openContainer,
  openWorkbench,
  openWorkbenchIn,
  pick,
  quickPickRow,
  runCommand,
  runContextMenu,
  startWorkbench,
  statusBarItem,
  treeRow,
  until,
  waitForQuickInput,
  type Workbench,
  type WorkbenchOptions,
} from './helpers/workbench';

// The security checks of the quality bar on the installed .vsix in real VS Code (code-server), against the
// emulator started in this process: canary secrets searched for everywhere after a whole session (19), and
// endpoint settings from a hostile or untrusted workspace (20). Screenshots go to test-results/e2e/<test>/.

const TEST_TIMEOUT_MS = 240_000;
const CONTAINER = 'ModelArts';
/** Trace level for every log, the extension's LogOutputChannel included. */
const TRACE_ARGS = ['--log', 'trace'];
const EXTENSION_ID = 'modelarts-explorer.modelarts-explorer';

let browser: Browser | undefined;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

function endpointsOf(target: { endpoint: string; iamEndpoint: string } | { url: string }): Record<string, string> {
  return 'url' in target
    ? { 'modelarts.endpoint': target.url, 'modelarts.iamEndpoint': target.url }
    : { 'modelarts.endpoint': target.endpoint, 'modelarts.iamEndpoint': target.iamEndpoint };
}

/** Requests the extension sent to the emulator (its own admin calls aside). */
function apiRequests(emu: RunningEmulator): number {
  return emu.requests.filter((r) => r.service !== 'admin').length;
}

function logFiles(workbench: Workbench, name: string): string[] {
  return listFiles(join(workbench.run.userDataDir, 'logs')).filter((path) => path.endsWith(`/${name}`));
}

/** The extension's log (the `ModelArts` LogOutputChannel), as written so far. */
function extensionLog(workbench: Workbench): string {
  return logFiles(workbench, `${EXTENSION_ID}/ModelArts.log`)
    .map((path) => readFileSync(path, 'utf8'))
    .join('');
}

/** Lines of the extension's log that record a request (`GET /path [op] → status …`). */
function requestLines(workbench: Workbench): string[] {
  return extensionLog(workbench)
    .split('\n')
    .filter((line) => / → /.test(line));
}

/**
 * Signs in and waits until the tree has listed the workspaces for the new session (the rows of the previous
 * session are still shown until then).
 */
async function signInAndLoad(page: Page, emu: RunningEmulator, answers: SignInAnswers, profile?: string): Promise<void> {
  const mark = emu.requests.length;
  await signIn(page, answers, emu.region, profile);
  const treeList = (r: RunningEmulator['requests'][number]): boolean =>
    r.route === '/v1/{project_id}/workspaces' && r.status === 200 && r.query.some(([key, value]) => key === 'limit' && value !== '1');
  await until('the tree to list the workspaces', () => Promise.resolve(emu.requests.slice(mark).some(treeList)), 60_000);
  await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });
}

/** Hovers a tree row until its tooltip, naming `text`, is shown (and so recorded and searched). */
async function showTooltip(page: Page, row: Locator, text: string): Promise<void> {
  await row.hover();
  await until(`the tooltip of ${text}`, async () => (await shownTexts(page)).some((s) => s.kind === 'hover' && s.text.includes(text)), 30_000);
  await page.mouse.move(1, 400);
}

interface SecurityRun {
  emu: RunningEmulator;
  /** A loopback server that only counts requests (where a hostile setting points). */
  counting: CountingServer;
  workbench: Workbench;
  page: Page;
  art: Artifacts;
  /** Closes the browser and stops code-server, so that all they write is on disk (cleanup happens anyway). */
  stop: () => Promise<void>;
}

interface SecurityRunOptions {
  emulator?: EmulatorOptions;
  userSettings?: Record<string, unknown>;
  workspaceTrust?: boolean;
  /** A hostile folder: its .vscode/settings.json points both endpoints at the counting server, and sets these. */
  hostileFolder?: Record<string, unknown>;
  /** For a leak search: the browser profile in the run folder (searched with it), and every text shown recorded. */
  searchable?: boolean;
  /** Runs on the run folder before code-server starts (another extension to install, say). */
  prepare?: WorkbenchOptions['prepare'];
}

/**
 * The emulator, a counting server and code-server with the .vsix, its logs at trace level and its Machine
 * settings pointing at the emulator; a screenshot and the notifications on failure; everything stopped after.
 */
async function withSecurityRun(name: string, options: SecurityRunOptions, body: (run: SecurityRun) => Promise<void>): Promise<void> {
  const art = artifacts(name);
  const started = Date.now();
  const emu = await startEmulator(options.emulator);
  const counting = await startCountingServer();
  let workbench: Workbench | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const closeBrowser = async (): Promise<void> => {
    await (context ?? page)?.close().catch(() => undefined);
    context = undefined;
    page = undefined;
  };
  try {
    workbench = await startWorkbench({
      name,
      installVsix: true,
      args: TRACE_ARGS,
      machineSettings: endpointsOf(emu),
      userSettings: options.userSettings,
      workspaceTrust: options.workspaceTrust,
      ...(options.prepare ? { prepare: options.prepare } : {}),
      ...(options.hostileFolder ? { workspaceSettings: { ...endpointsOf(counting), ...options.hostileFolder } } : {}),
    });
    if (options.searchable) {
      context = await launchBrowserWithProfile(join(workbench.run.dir, 'chromium-profile'));
      await recordShownTexts(context);
      page = await openWorkbenchIn(context, workbench.url());
    } else {
      page = await openWorkbench(browser!, workbench.url());
    }
    const server = workbench.server;
    const stop = async (): Promise<void> => {
      await closeBrowser();
      await server.stop();
    };
    await body({ emu, counting, workbench, page, art, stop });
  } catch (error) {
    if (page) {
      await art.screenshot(page, 'failure').catch(() => undefined);
      const toasts = await page.locator('.notifications-toasts .notification-list-item-message').allTextContents().catch(() => []);
      if (toasts.length > 0 && error instanceof Error) error.message += `\nnotifications shown: ${JSON.stringify(toasts)}`;
    }
    throw error;
  } finally {
    await closeBrowser();
    if (workbench) writeFileSync(join(art.dir, 'code-server.log'), workbench.server.logText());
    await workbench?.dispose();
    await counting.close();
    await emu.close();
    process.stdout.write(`# ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s, screenshots in ${art.dir}\n`);
  }
}

// ---- 19: canary secrets

/**
 * Show Details of an item in a group of the expanded workspace "default": the document's whole text, checked to
 * name the item and to hold its secret field, redacted; the row's tooltip is shown too.
 */
async function detailsOf(page: Page, art: Artifacts, item: { group: string; name: string; id: string; secretField: string }): Promise<string> {
  await expandRow(treeRow(page, item.group, 2));
  await runContextMenu(treeRow(page, item.name, 3), 'Show Details');
  await page.locator('.tabs-container .tab', { hasText: `${item.name}.json` }).waitFor();
  const text = await activeEditorText(page);
  assert.ok(text.includes(`"${item.name}"`), `the details of ${item.name}: ${text}`);
  assert.ok(text.includes(`"${item.secretField}": "***"`), `the ${item.secretField} field is there, redacted`);
  await showTooltip(page, treeRow(page, item.name, 3), item.name);
  await art.screenshot(page, `${item.group.toLowerCase()}-details`);
  return text;
}

/**
 * A 401 APIGW.0301 whose message echoes the canonical request with the temporary AK and security token (and
 * the AK once more, as `ak:` and `Access=`), shown through a command (a notification) and through the tree (an
 * error row and its tooltip).
 */
async function showSignatureErrors(page: Page, emu: RunningEmulator, temporary: { ak: string; securityToken: string }): Promise<void> {
  const echoed =
    `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:GET|/v1/${emu.projectId}/workspaces/|limit=20&offset=0|` +
    `content-type:application/json|host:${new URL(emu.endpoint).host}|x-project-id:${emu.projectId}|x-sdk-date:20260101T000000Z|` +
    `x-security-token:${temporary.securityToken}||content-type;host;x-project-id;x-sdk-date;x-security-token|` +
    `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, ak:${temporary.ak}, ` +
    `authorization:SDK-HMAC-SHA256 Access=${temporary.ak}, SignedHeaders=content-type;host, Signature=00ff`;
  const refuse = (path: string): string =>
    emu.faults.add({ service: 'modelarts', method: 'GET', path, status: 401, body: { error_code: 'APIGW.0301', error_msg: echoed, request_id: 'canary-echo' } });
  const refusedBefore = emu.requests.filter((r) => r.status === 401).length;
  const signatureError = /APIGW\.0301|authentication information/i;
  const shows = (kind: ShownKind): (() => Promise<boolean>) => async () => (await shownTexts(page)).some((s) => s.kind === kind && signatureError.test(s.text));
  // The details of one workspace, from the palette: the command's error is a notification.
  refuse('/workspaces/[^/]+$');
  await runCommand(page, 'ModelArts: Show Details');
  await pick(page, 'Show the details of', 'default');
  await until('the signature error in a notification', shows('notification'), 60_000);
  // The workspaces list: an error row, whose tooltip has the whole message.
  refuse('/workspaces$');
  await runCommand(page, 'ModelArts: Refresh');
  const errorRow = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row[aria-level="1"]', { hasText: 'Incorrect IAM authentication' }).first();
  await errorRow.waitFor({ timeout: 60_000 });
  await errorRow.hover();
  await until('the error row\'s tooltip', shows('hover'), 30_000);
  assert.ok(emu.requests.filter((r) => r.status === 401).length > refusedBefore, 'the echo was served');
  emu.faults.clear();
}

test('[Q19] canary secrets at trace level, through signature errors, token expiry, details and Create App: 0 hits in files, storage and messages; planted markers found', { timeout: TEST_TIMEOUT_MS }, async () => {
  const nonce = randomBytes(4).toString('hex').toUpperCase();
  // Every canary begins with a distinctive, per-run string that is searched for: a leak of any part that
  // keeps its beginning (a truncated token in a log line) is found too.
  const canaries = {
    ak: `CANARYAK${nonce}`,
    sk: `CANARYSK${nonce}`,
    password: `CANARYPW${nonce}`,
    token: `CANARYTOKEN${nonce}`,
    temporaryAk: `CANARYTMPAK${nonce}`,
    temporarySk: `CANARYTMPSK${nonce}`,
    securityToken: `CANARYSTS${nonce}`,
    notebookToken: `CANARYNBTOKEN${nonce}`,
    appSecret: `CANARYAPPSECRET${nonce}`,
  };
  const { ak: akPrefix, sk: skPrefix, password: passwordPrefix, ...secretPrefixes } = canaries;
  // Planted on purpose where each kind of store is: the search must find them there.
  const markers = { setting: `PLANTEDSETTING${nonce}`, app: `PLANTEDAPP${nonce}`, profile: `PLANTEDPROFILE${nonce}` };
  const needles = [...Object.values(canaries), ...Object.values(markers)];
  const canaryNames = new Map(Object.entries(canaries).map(([key, value]) => [value, key]));

  const options: SecurityRunOptions = {
    emulator: { credentials: { ak: `${akPrefix}QWER`, sk: `${skPrefix}${'s'.repeat(24)}`, password: `${passwordPrefix}!pw` }, secretPrefixes },
    userSettings: { 'e2e.plantedMarker': markers.setting },
    searchable: true,
  };
  await withSecurityRun('security-canaries', options, async ({ emu, workbench, page, art, stop }) => {
    await openContainer(page, CONTAINER);
    await page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: 'Sign In' }).waitFor({ timeout: 60_000 });

    // 1. AK/SK, then a temporary AK/SK with its security token.
    const { credentials } = emu;
    await signInAndLoad(page, emu, { method: 'aksk', ak: credentials.ak, sk: credentials.sk });
    const temporary = emu.issueTemporaryCredentials(3600_000);
    const temporaryAnswers: SignInAnswers = { method: 'aksk', ak: temporary.ak, sk: temporary.sk, securityToken: temporary.securityToken };
    await signInAndLoad(page, emu, temporaryAnswers);
    await art.screenshot(page, 'signed-in-temporary');

    // 2. A signature error whose message echoes the canonical request, with the AK and the security token.
    await showSignatureErrors(page, emu, temporary);
    await art.screenshot(page, 'signature-error');
    await page.mouse.move(1, 400);

    // 3. The IAM password, and the token expiring mid-session (401 APIGW.0307, then a new token).
    // Its profile name is a marker: profiles are kept in globalState (IndexedDB in code-server's browser side).
    const passwordAnswers: SignInAnswers = { method: 'password', username: credentials.username, password: credentials.password, domain: credentials.domain };
    await signInAndLoad(page, emu, passwordAnswers, markers.profile);
    const tokenRequests = (): number => emu.requests.filter((r) => r.service === 'iam' && r.method === 'POST' && r.path === '/v3/auth/tokens').length;
    const tokensBefore = tokenRequests();
    emu.expireTokens();
    await runCommand(page, 'ModelArts: Refresh');
    await until('a 401 APIGW.0307 and a new token', () => Promise.resolve(tokenRequests() > tokensBefore), 60_000);
    assert.ok(emu.requests.some((r) => r.status === 401 && r.auth === 'token'), 'an expired token was refused');
    await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });

    // 4. The details of a notebook (its Jupyter token) and of an app (its secret).
    await expandRow(treeRow(page, 'default', 1));
    const notebookText = await detailsOf(page, art, { group: 'Notebooks', name: 'notebooks_test', id: 'f9937afa-4451-42db-a76b-72d624749f66', secretField: 'token' });
    const appText = await detailsOf(page, art, { group: 'Apps', name: 'demo_inference_app', id: '3f2e1d0c9b8a47f6a5e4d3c2b1a09f8e', secretField: 'app_secret' });

    // 5. Create App: its secret is shown once, on purpose, in a picker; its name is the planted log marker.
    await runContextMenu(treeRow(page, 'Apps', 2), 'Create App');
    await answerInput(page, 'App name', markers.app);
    await answerInput(page, 'Description', '');
    await waitForQuickInput(page, 'copy its AppKey and AppSecret now');
    const secretRow = quickPickRow(page, 'AppSecret');
    await until('the AppSecret row', async () => (await secretRow.textContent())?.includes(canaries.appSecret));
    await art.screenshot(page, 'app-created');
    await page.keyboard.press('Escape');
    await treeRow(page, markers.app, 3).waitFor({ timeout: 60_000 });

    // Every notification, also those already gone from the toasts.
    await runCommand(page, 'Notifications: Show Notifications');
    await page.locator('.notifications-center .notification-list-item').first().waitFor();
    await art.screenshot(page, 'notifications');
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const shown = await shownTexts(page);
    const storage = await browserStorage(page);
    const sealed = storage.find((s) => s.where === `localStorage ${SECRET_STORAGE_KEY}`)?.text;
    const serverKeyHalf = readFileSync(join(workbench.run.userDataDir, 'serve-web-key-half'));

    // Everything written is on disk once the browser and code-server (extension host, loggers) have ended.
    await stop();

    // The trace level reached the logs: VS Code's own trace lines, and the extension's debug lines (written
    // only below the info level).
    const hostLog = logFiles(workbench, 'remoteexthost.log').map((path) => readFileSync(path, 'utf8')).join('');
    assert.match(hostLog, /\[trace\]/, 'the extension host logs at trace level');
    assert.match(extensionLog(workbench), /\[debug\] GET \/v1\/\S+\/workspaces/, 'the extension logs its requests (debug lines) at trace level');

    // SecretStorage is where the credentials belong. In code-server it is one localStorage entry, sealed
    // with AES-GCM (key: a client half stored with it XOR a server half in the user-data-dir), so no canary
    // is readable in it. It is the one store left out of the search below, and, opened here, it must hold
    // the canaries: they were stored, and searching finds them where they are.
    assert.ok(sealed, 'code-server keeps SecretStorage in localStorage');
    const secrets = Object.values(unsealSecretStorage(sealed, serverKeyHalf)).join('\n');
    const stored = searchTexts([{ where: 'SecretStorage', text: secrets }], [akPrefix, skPrefix, passwordPrefix, canaries.temporaryAk, canaries.temporarySk, canaries.securityToken]);
    assert.equal(stored.length, 6, `SecretStorage holds the AK, SK, password, temporary AK/SK and security token; found: ${stored.map((h) => h.needle).join(', ')}`);

    // The whole run folder: code-server's user-data-dir (logs with the extension's and the output channels',
    // Machine and User settings, caches, workspace storage, any SQLite file), XDG folders, the workspace and the
    // browser profile. code-server keeps globalState and workspace state in the browser's IndexedDB, not in a
    // state.vscdb: they are searched both as raw files and as the page reads them.
    const files = searchFiles(workbench.run.dir, needles);
    const searchedStorage = storage.filter((s) => s.where !== `localStorage ${SECRET_STORAGE_KEY}`);
    const texts: Hit[] = [
      ...searchTexts(shown.map((s) => ({ where: `${s.kind} shown`, text: s.text })), needles),
      ...searchTexts([{ where: 'notebook details document', text: notebookText }, { where: 'app details document', text: appText }], needles),
      ...searchTexts(searchedStorage, needles),
    ];
    const all = [...files.hits, ...texts];
    // Chromium's tab-restore files (Sessions/) keep what was typed into the page's text boxes, such as the AK
    // typed into Sign In's input box: the test's browser writes them, not the extension, and only at times of its
    // own choosing. The SK, password and tokens are asked in password boxes, which it never keeps; those would
    // still count anywhere.
    const browserRestore = join('chromium-profile', 'Default', 'Sessions');
    const typedByTheTest = (hit: Hit): boolean => hit.needle === akPrefix && hit.where.startsWith(browserRestore);
    const leaks = all.filter((hit) => canaryNames.has(hit.needle) && !typedByTheTest(hit));
    const found = (marker: string): string[] => all.filter((hit) => hit.needle === marker).map((hit) => hit.where);
    const notifications = shown.filter((s) => s.kind === 'notification').length;
    const expected: Array<[marker: string, place: string, test: (where: string) => boolean]> = [
      [markers.setting, 'User/settings.json', (where) => where.startsWith(join('user-data', 'User', 'settings.json'))],
      [markers.app, 'the extension\'s output log', (where) => where.includes(`${EXTENSION_ID}/ModelArts.log`)],
      [markers.profile, 'the extension\'s globalState', (where) => where.startsWith(`IndexedDB vscode-web-state-db-global/ItemTable/${EXTENSION_ID}`)],
      [markers.profile, 'the browser profile\'s raw IndexedDB files', (where) => where.startsWith(join('chromium-profile', 'Default', 'IndexedDB'))],
      [markers.profile, 'a notification', (where) => where.startsWith('notification shown')],
    ];
    const placesFound = expected.filter(([marker, , test]) => found(marker).some(test)).map(([, place]) => place);
    console.log(
      `[figure Q19] ${canaryNames.size} canaries; ${files.files} files (${(files.bytes / 1e6).toFixed(1)} MB: code-server's user-data-dir and logs, the browser profile, ` +
        `the workspace), ${searchedStorage.length} browser-storage records, ${shown.length} texts shown (${notifications} notifications) and 2 details documents ` +
        `searched: ${leaks.length} hits; SecretStorage (sealed, left out) holds ${stored.length} of 6 credentials; planted markers found in ` +
        `${placesFound.length} of ${expected.length} places (${placesFound.join(', ')})`,
    );
    assert.equal(leaks.length, 0, `canaries found:\n${describeHits(leaks.map((h) => ({ ...h, needle: `${canaryNames.get(h.needle)} (${h.needle})` })))}`);
    for (const [marker, place, test] of expected) assert.ok(found(marker).some(test), `the planted ${marker} is found in ${place}: ${JSON.stringify(found(marker))}`);
    assert.ok(notifications > 0, 'notifications were seen and searched');
  });
});

// ---- 20: hostile and untrusted workspaces

/** Signs in with the emulator's AK/SK and waits for its workspaces; returns the region the picker called current. */
async function signInToEmulator(page: Page, emu: RunningEmulator): Promise<string | undefined> {
  await openContainer(page, CONTAINER);
  await page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: 'Sign In' }).waitFor({ timeout: 60_000 });
  const { currentRegion } = await signIn(page, { method: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk }, emu.region);
  await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });
  await expandRow(treeRow(page, 'default', 1));
  await expandRow(treeRow(page, 'Training Jobs', 2));
  await treeRow(page, 'trainjob--py14_mem06-108', 3).waitFor({ timeout: 60_000 });
  return currentRegion;
}

/** Rewrites `<user-data-dir>/Machine/settings.json`; VS Code reloads it and the extension follows. */
async function pointMachineSettingsAt(run: SecurityRun, target: { url: string } | { endpoint: string; iamEndpoint: string }): Promise<void> {
  const lib = await tools();
  lib.writeMachineSettings(run.workbench.run, endpointsOf(target));
}

/** The positive control: with the counting server as the machine-level endpoint, the tree's requests reach it. */
async function expectRequestsAtMachineLevel(run: SecurityRun): Promise<void> {
  await pointMachineSettingsAt(run, run.counting);
  await until('the counting server to receive requests as the machine-level endpoint', () => Promise.resolve(run.counting.requests.length > 0), 60_000);
}

test('[Q20] hostile workspace: endpoints in .vscode/settings.json get 0 requests, the same server at machine level gets them; an unknown machine-level host is asked about first, and declining sends nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withSecurityRun('security-hostile-workspace', { hostileFolder: {} }, async (run) => {
    const { emu, counting, workbench, page, art } = run;
    await signInToEmulator(page, emu);
    await art.screenshot(page, 'signed-in');
    const emulatorCount = apiRequests(emu);
    const countingCount = counting.requests.length;
    const workspaceSettings = readFileSync(join(workbench.folder, '.vscode', 'settings.json'), 'utf8');
    assert.ok(workspaceSettings.includes(counting.url), 'the folder does point the endpoints at the counting server');
    assert.equal(countingCount, 0, `requests sent where the workspace pointed: ${JSON.stringify(counting.requests)}`);
    assert.ok(emulatorCount > 0, 'the extension did send requests (to the machine-level endpoint)');

    // Positive control: the same server at machine level receives the requests.
    const linesBefore = requestLines(workbench).length;
    await expectRequestsAtMachineLevel(run);
    await until('the extension log to record those requests', () => Promise.resolve(requestLines(workbench).length > linesBefore), 30_000);
    await art.screenshot(page, 'machine-level-counting');
    const countingAtMachineLevel = counting.requests.length;

    // A machine-level host outside Huawei Cloud and loopback (reserved .test names never resolve).
    await pointMachineSettingsAt(run, { endpoint: 'https://modelarts.example.test', iamEndpoint: 'https://iam.example.test' });
    // The active profile cannot reconnect without asking, so it is signed out with a warning.
    await notification(page, /not confirmed yet/).waitFor({ timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = { emulator: apiRequests(emu), counting: counting.requests.length, lines: requestLines(workbench).length };
    const declined = await enterSignIn(page, { method: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk }, emu.region);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const question = (await dialog.textContent()) ?? '';
    assert.match(question, /Send ModelArts credentials to modelarts\.example\.test\?/);
    await art.screenshot(page, 'asked-about-host');
    await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await dialog.waitFor({ state: 'detached' });
    // Time for anything that would still go out.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const afterDecline = { emulator: apiRequests(emu), counting: counting.requests.length, lines: requestLines(workbench).length };
    const sentAfterDecline = afterDecline.counting - before.counting + afterDecline.emulator - before.emulator;
    console.log(
      `[figure Q20] hostile workspace: the server named by .vscode/settings.json got ${countingCount} requests while the Machine settings' emulator got ${emulatorCount}; ` +
        `the same server set at machine level got ${countingAtMachineLevel}; after declining modelarts.example.test: ${sentAfterDecline} requests, ` +
        `${afterDecline.lines - before.lines} request lines in the extension log`,
    );
    assert.deepEqual(afterDecline, before, 'declining sends nothing (emulator, counting server, request lines in the extension log)');
    assert.deepEqual(requestLines(workbench).filter((line) => line.includes('example.test')), [], 'the extension log shows no request to example.test');
    assert.equal(await notification(page, `Signed in to ModelArts as ${declined.profile} (`).count(), 0, 'not signed in');
    assert.ok(await statusBarItem(page, 'ModelArts: Sign In').isVisible(), 'signed out');
    await art.screenshot(page, 'declined');
  });
});

test('[Q20] untrusted workspace: Restricted Mode, the extension works, the folder\'s endpoints get 0 requests and its region is ignored', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withSecurityRun(
    'security-untrusted-workspace',
    {
      workspaceTrust: true,
      userSettings: { 'security.workspace.trust.enabled': true },
      // Restricted settings the folder must not decide while untrusted.
      hostileFolder: { 'modelarts.region': 'cn-south-1', 'modelarts.projectId': '0123456789abcdef0123456789abcdef' },
    },
    async (run) => {
      const { emu, counting, page, art } = run;
      await statusBarItem(page, 'Restricted Mode').waitFor({ timeout: 60_000 });
      await art.screenshot(page, 'restricted-mode');
      const currentRegion = await signInToEmulator(page, emu);
      await art.screenshot(page, 'signed-in-restricted');
      assert.equal(currentRegion, emu.region, 'the sign-in offers the user\'s region, not the untrusted folder\'s');
      const emulatorCount = apiRequests(emu);
      const countingCount = counting.requests.length;
      assert.ok(await statusBarItem(page, 'Restricted Mode').isVisible(), 'still in Restricted Mode');
      assert.equal(countingCount, 0, `requests sent where the untrusted workspace pointed: ${JSON.stringify(counting.requests)}`);
      assert.ok(emulatorCount > 0, 'the extension did send requests (to the machine-level endpoint)');
      assert.ok(
        emu.requests.filter((r) => r.service === 'modelarts').every((r) => r.status < 400),
        'no request used the folder\'s project id',
      );

      // Positive control: the counting server at machine level does receive requests.
      await expectRequestsAtMachineLevel(run);
      console.log(
        `[figure Q20] untrusted workspace (Restricted Mode): the server named by .vscode/settings.json got ${countingCount} requests while the ` +
          `Machine settings' emulator got ${emulatorCount}; the same server set at machine level got ${counting.requests.length}`,
      );
      await art.screenshot(page, 'machine-level-counting');
    },
  );
});

// ---- 24: server text is never a link or a command

/** The error the service answers Show Details with: its message and its documented solution carry a command link. */
const SERVER_ERROR = `The key pair of this workspace expired. ${LINK}`;
const CONTROL_COMMAND = 'E2E: Show Server Text Unneutralised';

/**
 * A tiny extension with one command that shows SERVER_ERROR through vscode.window.showErrorMessage as it is:
 * what VS Code makes of server text that no one neutralised (the positive control). Packaged with vsce.
 */
function packageControlExtension(dir: string): string {
  const root = join(dir, 'q24-control');
  mkdirSync(root, { recursive: true });
  const manifest = {
    name: 'q24-control',
    displayName: 'Q24 control',
    description: 'Shows server text unneutralised (e2e positive control).',
    publisher: 'e2e',
    version: '0.0.1',
    engines: { vscode: '^1.90.0' },
    main: './extension.js',
    activationEvents: [],
    contributes: { commands: [{ command: 'e2eControl.showServerText', title: CONTROL_COMMAND }] },
  };
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(
    join(root, 'extension.js'),
    `const vscode = require('vscode');\nexports.activate = (context) => context.subscriptions.push(vscode.commands.registerCommand('e2eControl.showServerText', () => vscode.window.showErrorMessage(${JSON.stringify(`Control: ${SERVER_ERROR}`)})));\n`,
  );
  const vsix = join(dir, 'q24-control.vsix');
  const vsce = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
    cwd: root,
    encoding: 'utf8',
    input: '',
    timeout: 120_000,
  });
  assert.equal(vsce.status, 0, `vsce package: ${vsce.stdout}${vsce.stderr}`);
  return vsix;
}

/** The links in the toast whose message contains `text`: each one's target and text, read from the DOM. */
async function toastLinks(page: Page, text: string): Promise<Array<{ href: string; text: string }>> {
  return notification(page, text)
    .locator('a')
    .evaluateAll((anchors) => anchors.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '' })));
}

/** Every link with a command: target in any toast shown now. */
async function commandLinksInToasts(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? '').filter((href) => href.startsWith('command:')));
}

test('[Q24] a server error carrying a command link: the notification shows its text with no link; the same text shown raw is a command link', { timeout: TEST_TIMEOUT_MS }, async () => {
  const art = artifacts('security-server-text-control');
  const control = packageControlExtension(art.dir);
  const options: SecurityRunOptions = {
    prepare: async (run) => {
      const lib = await tools();
      lib.installExtension(lib.paths, run, control);
    },
  };
  await withSecurityRun('security-server-text', options, async ({ emu, page, art: runArt }) => {
    await openContainer(page, CONTAINER);
    await page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: 'Sign In' }).waitFor({ timeout: 60_000 });
    await signInAndLoad(page, emu, { method: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk });

    // The service refuses Show Details with the link in its error_msg and error_solution.
    emu.faults.add({ service: 'modelarts', method: 'GET', path: '/workspaces/[^/]+$', status: 400, body: { error_code: 'ModelArts.4104', error_msg: SERVER_ERROR, error_solution: LINK, request_id: 'q24' } });
    await runCommand(page, 'ModelArts: Show Details');
    await pick(page, 'Show the details of', 'default');
    const ours = notification(page, 'Show Details failed');
    await ours.waitFor({ timeout: 60_000 });
    const text = (await ours.textContent()) ?? '';
    const links = await toastLinks(page, 'Show Details failed');
    const ourCommandLinks = links.filter((l) => l.href.startsWith('command:')).length;
    await runArt.screenshot(page, 'server-error');
    assert.equal(ourCommandLinks, 0, `no link with a command: target: ${JSON.stringify(links)}`);
    assert.equal(links.length, 0, `no link at all: ${JSON.stringify(links)}`);
    assert.deepEqual(await commandLinksInToasts(page), [], 'no toast shows a command link');
    assert.ok(text.includes('Renew key pair') && text.includes('workbench.action.terminal.sendSequence'), `the toast still says what the server said: ${text}`);

    // Positive control: the same text through a raw showErrorMessage is rendered as a command link.
    await runCommand(page, CONTROL_COMMAND);
    await notification(page, 'Control:').waitFor({ timeout: 60_000 });
    const raw = await toastLinks(page, 'Control:');
    await runArt.screenshot(page, 'raw-control');
    const commandLinks = raw.filter((l) => l.href.startsWith('command:workbench.action.terminal.sendSequence'));
    console.log(
      `[figure Q24] code-server: the server's error_msg and error_solution carrying a command link, shown by Show Details' failure toast: ${links.length} links ` +
        `(${ourCommandLinks} with a command: target), its text kept; the same text through a raw showErrorMessage: ` +
        `${raw.length} link(s), ${commandLinks.length} with the command: target`,
    );
    assert.equal(commandLinks.length, 1, `VS Code renders the raw text as a command link: ${JSON.stringify(raw)}`);
    assert.equal(commandLinks[0]?.text, 'Renew key pair');
  });
});
