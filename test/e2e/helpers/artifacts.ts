import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from './tools';

// Screenshots and logs of one e2e test, under test-results/e2e/<name>/ (gitignored; CI keeps them as evidence).

export interface Artifacts {
  dir: string;
  /** Saves `NN-<step>.png` and returns its path. */
  screenshot(page: Page, step: string): Promise<string>;
}

export function artifacts(name: string): Artifacts {
  const dir = join(projectRoot(), 'test-results', 'e2e', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    dir,
    async screenshot(page, step) {
      const path = join(dir, `${String(++n).padStart(2, '0')}-${step}.png`);
      await page.screenshot({ path });
      return path;
    },
  };
}

/**
 * Copies a screenshot to media/screenshots/<name> (a README picture, not in the .vsix) when the run is asked to
 * refresh them (MODELARTS_E2E_PICTURES=1), so an ordinary test run leaves the tracked pictures alone.
 */
export function saveReadmePicture(shot: string, name: string): void {
  if (process.env.MODELARTS_E2E_PICTURES !== '1') return;
  const dir = join(projectRoot(), 'media', 'screenshots');
  mkdirSync(dir, { recursive: true });
  copyFileSync(shot, join(dir, name));
}
