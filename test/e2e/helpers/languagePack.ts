import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, tools, type RunFolder } from './tools';

// The workbench speaks Chinese only with a language pack installed, and the marketplace's pack cannot be
// downloaded here: this builds a minimal one (a few of the workbench's own strings; the rest stays English),
// installs it next to the extension and selects zh-cn, the way code-server 4.139.1 resolves a locale.
// The pack carries no translation for our extension: one that did would make VS Code ignore our own
// package.nls.zh-cn.json.

const PACK = { publisher: 'modelarts-explorer-test', name: 'zh-cn-pack', version: '1.0.0' };
export const PACK_ID = `${PACK.publisher}.${PACK.name}`;

/** Workbench strings the pack translates (module id → key → text); each must exist in code-server's nls.keys.json. */
export const WORKBENCH_STRINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'vs/workbench/contrib/files/browser/explorerViewlet': { explore: '资源管理器' },
  'vs/workbench/browser/parts/notifications/notificationsCenter': { notifications: '通知' },
  'vs/workbench/contrib/welcomeGettingStarted/browser/gettingStarted': { welcome: '欢迎', walkthroughs: '演练' },
  'vs/workbench/contrib/welcomeGettingStarted/browser/gettingStarted.contribution': { welcome: '欢迎', 'welcome.showAllWalkthroughs': '打开演练...' },
  'vs/workbench/contrib/welcomeGettingStarted/browser/gettingStartedInput': { walkthroughPageTitle: '演练: {0}' },
};

/** Module ids and keys of the pinned code-server's workbench, as `module#key`. */
function workbenchKeys(csPrefix: string): Set<string> {
  const file = join(csPrefix, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'nls.keys.json');
  const entries = JSON.parse(readFileSync(file, 'utf8')) as Array<[string, string[]]>;
  return new Set(entries.flatMap(([module, keys]) => keys.map((key) => `${module}#${key}`)));
}

/**
 * Builds the pack as a .vsix in the run folder, installs it, and writes `languagepacks.json` (the server reads
 * the locale's translations only from there; `--install-extension` does not write it) and `argv.json`.
 */
export async function installZhCnLanguagePack(run: RunFolder): Promise<void> {
  const lib = await tools();
  const known = workbenchKeys(lib.paths.csPrefix);
  for (const [module, strings] of Object.entries(WORKBENCH_STRINGS)) {
    for (const key of Object.keys(strings)) {
      if (!known.has(`${module}#${key}`)) throw new Error(`code-server has no workbench string ${module}#${key}: pick another for the test pack`);
    }
  }
  const dir = join(run.dir, 'zh-cn-pack');
  mkdirSync(join(dir, 'translations'), { recursive: true });
  const manifest = {
    ...PACK,
    displayName: 'zh-cn pack for the end-to-end tests',
    description: 'A few workbench strings in Simplified Chinese.',
    engines: { vscode: '^1.90.0' },
    contributes: {
      localizations: [
        { languageId: 'zh-cn', languageName: 'Chinese Simplified', localizedLanguageName: '中文(简体)', translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] },
      ],
    },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'README.md'), '# zh-cn pack for the end-to-end tests\n');
  writeFileSync(join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: WORKBENCH_STRINGS }, null, 2));
  const vsix = join(run.dir, 'zh-cn-pack.vsix');
  const vsce = join(projectRoot(), 'node_modules', '@vscode', 'vsce', 'vsce');
  const built = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  if (built.status !== 0) throw new Error(`packaging the language pack failed: ${built.stdout}${built.stderr}`);
  lib.installExtension(lib.paths, run, vsix);
  const installed = join(run.extensionsDir, `${PACK_ID}-${PACK.version}`);
  const languagePacks = {
    'zh-cn': {
      hash: 'e2e',
      extensions: [{ extensionIdentifier: { id: PACK_ID }, version: PACK.version }],
      translations: { vscode: join(installed, 'translations', 'main.i18n.json') },
      label: '中文(简体)',
    },
  };
  writeFileSync(join(run.userDataDir, 'languagepacks.json'), JSON.stringify(languagePacks, null, 2));
  mkdirSync(join(run.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(run.userDataDir, 'User', 'argv.json'), JSON.stringify({ locale: 'zh-cn' }, null, 2));
}
