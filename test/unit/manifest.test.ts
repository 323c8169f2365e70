import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { jsonStrings } from './helpers/manifest';

// package.json, its nls files and the command table in the sources must agree.

const root = join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifest JSON is read field by field
const readJson = (file: string): any => JSON.parse(readFileSync(join(root, file), 'utf8'));
const pkg = readJson('package.json');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * `id: 'modelarts.x.y'` and `id: COMMAND.xY` entries of the command tables (the UI side of src/; the client and
 * emulator have none), the constants read from src/commands/ids.ts.
 */
function registeredCommandIds(): string[] {
  const ids: string[] = [];
  const constants = new Map([...readFileSync(join(root, 'src/commands/ids.ts'), 'utf8').matchAll(/^ {2}([A-Za-z]+): '(modelarts\.[A-Za-z.]+)',$/gm)].map((m) => [m[1], m[2]]));
  const uiFiles = sources(join(root, 'src')).filter((file) => !/[\\/]src[\\/](api|emulator)[\\/]/.test(file));
  for (const file of uiFiles) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bid:\s*(?:'(modelarts\.[A-Za-z.]+)'|COMMAND\.([A-Za-z]+))/g)) {
      const id = m[1] ?? constants.get(m[2]);
      assert.ok(id, `${file}: COMMAND.${m[2]} is a constant`);
      ids.push(id);
    }
  }
  return ids;
}

function nlsKeys(value: unknown): Set<string> {
  return new Set(jsonStrings(value).flatMap((text) => /^%(.+)%$/.exec(text)?.[1] ?? []));
}

describe('manifest', () => {
  it('runs on the user\'s side first (extensionKind ui, then workspace): after Connect via SSH the notebook window keeps the sign-in, and no credential or SSH file moves to the notebook', () => {
    assert.deepEqual(pkg.extensionKind, ['ui', 'workspace']);
    // Where only a remote extension host exists (code-server, a browser), it still runs there: no `browser` entry
    // would let it run in a web worker instead.
    assert.equal(pkg.browser, undefined);
    assert.match(pkg.main, /^\.\/dist\/extension\.js$/);
  });

  it('contributes exactly the commands the sources register, each once', () => {
    const contributed = (pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
    const registered = registeredCommandIds().sort();
    assert.deepEqual(registered, [...new Set(registered)], 'no command registered twice');
    assert.deepEqual(registered, contributed);
  });

  it('gives every command the ModelArts category, a title from package.nls.json and an icon', () => {
    for (const command of pkg.contributes.commands) {
      assert.equal(command.category, 'ModelArts', command.command);
      assert.match(command.title, /^%command\..+%$/, command.command);
      assert.match(command.icon, /^\$\([a-z-]+\)$/, command.command);
    }
  });

  it('shows no two commands under one title in the palette, in English or Chinese (the palette would run whichever comes first)', () => {
    const hidden = new Set<string>((pkg.contributes.menus.commandPalette as Array<{ command: string; when?: string }>).filter((m) => m.when === 'false').map((m) => m.command));
    for (const nls of ['package.nls.json', 'package.nls.zh-cn.json']) {
      const texts = readJson(nls) as Record<string, string>;
      const seen = new Map<string, string>();
      for (const command of pkg.contributes.commands as Array<{ command: string; title: string }>) {
        if (hidden.has(command.command)) continue;
        const title = texts[command.title.slice(1, -1)] ?? command.title;
        const other = seen.get(title);
        assert.equal(other, undefined, `${nls}: "${title}" is the title of ${other} and ${command.command}`);
        seen.set(title, command.command);
      }
      assert.ok(seen.size > 10, 'the titles were read');
    }
  });

  it('has every %key% in package.nls.json and package.nls.zh-cn.json, and no stray keys', () => {
    const used = nlsKeys(pkg);
    assert.ok(used.size > 10);
    for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
      const nls = readJson(file);
      for (const key of used) assert.ok(typeof nls[key] === 'string' && nls[key].length > 0, `${file} has ${key}`);
      for (const key of Object.keys(nls)) assert.ok(used.has(key), `${file}: ${key} is used`);
    }
  });

  it('menus only name contributed commands, and every when clause keeps || inside parentheses', () => {
    const ids = new Set((pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command));
    for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, Array<{ command: string; when?: string }>>)) {
      for (const entry of entries) {
        assert.ok(ids.has(entry.command), `${menu}: ${entry.command}`);
        if (entry.when?.includes('||')) assert.ok(!/&&[^()]*\|\||\|\|[^()]*&&/.test(entry.when), `${menu}: parenthesise || in "${entry.when}"`);
      }
    }
  });

  it('declares the settings of the design with their types, defaults and scopes', () => {
    const props = pkg.contributes.configuration.properties;
    const expect: Record<string, [string, unknown, string]> = {
      'modelarts.region': ['string', 'cn-north-4', 'window'],
      'modelarts.projectId': ['string', '', 'window'],
      'modelarts.endpoint': ['string', '', 'machine'],
      'modelarts.iamEndpoint': ['string', '', 'machine'],
      'modelarts.obsEndpoint': ['string', '', 'machine'],
      'modelarts.ssh.hostsFile': ['string', '', 'machine'],
      'modelarts.pageSize': ['number', 20, 'window'],
      'modelarts.refresh.intervalSeconds': ['number', 5, 'window'],
      'modelarts.logs.maxLines': ['number', 10000, 'window'],
      'modelarts.dashboard.metricPatterns': ['array', [], 'window'],
    };
    assert.deepEqual(Object.keys(props).sort(), Object.keys(expect).sort());
    for (const [key, [type, value, scope]] of Object.entries(expect)) {
      assert.equal(props[key].type, type, key);
      assert.deepEqual(props[key].default, value, key);
      assert.equal(props[key].scope, scope, key);
    }
    assert.deepEqual(props['modelarts.pageSize'].enum, [10, 20, 50]);
    assert.equal(props['modelarts.refresh.intervalSeconds'].minimum, 2);
    assert.deepEqual(props['modelarts.dashboard.metricPatterns'].items, { type: 'string' });
  });

  it('[Q20] runs in Restricted Mode, where a workspace cannot set the region, project, endpoints or metric patterns', () => {
    // Without this declaration VS Code disables the extension in an untrusted folder altogether.
    const untrusted = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted.description, /^%.+%$/);
    const restricted: string[] = untrusted.restrictedConfigurations;
    // The metric patterns too: a folder's regular expression would run on every log line read.
    assert.deepEqual([...restricted].sort(), ['modelarts.dashboard.metricPatterns', 'modelarts.endpoint', 'modelarts.iamEndpoint', 'modelarts.obsEndpoint', 'modelarts.projectId', 'modelarts.region']);
    for (const key of restricted) assert.ok(pkg.contributes.configuration.properties[key], `${key} is a contributed setting`);
  });

  it('pins @types/vscode to the engine version', () => {
    assert.equal(pkg.devDependencies['@types/vscode'], pkg.engines.vscode.replace('^', ''));
  });
});
