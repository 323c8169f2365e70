import { createDecipheriv } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

// Searching a whole run for secrets: every file of a folder (as raw bytes, read as UTF-8 and as UTF-16LE at
// both byte alignments, case-insensitively), the browser's storage as the page reads it, and the texts the
// workbench showed (notifications, dialogs, hovers, tree rows, status bar), collected while the test ran.

export interface Hit {
  needle: string;
  /** Where it was found: a file path and byte offset, or a named text, with a little context. */
  where: string;
}

export interface TextSource {
  where: string;
  text: string;
}

export interface FileSearch {
  files: number;
  bytes: number;
  hits: Hit[];
}

function context(text: string, at: number, length: number): string {
  return JSON.stringify(text.slice(Math.max(0, at - 40), at + length + 40));
}

/** Each needle found in `text` (case-insensitive), with its first position. */
function findAll(text: string, needles: readonly string[], where: (at: number, needle: string) => string): Hit[] {
  const lower = text.toLowerCase();
  const hits: Hit[] = [];
  for (const needle of needles) {
    const at = lower.indexOf(needle.toLowerCase());
    if (at >= 0) hits.push({ needle, where: where(at, needle) });
  }
  return hits;
}

/** Every regular file under `root` (symbolic links are not followed). */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(path);
      else if (stat?.isFile()) out.push(path);
    }
  };
  walk(root);
  return out;
}

/** The raw bytes of every file under `root`, as UTF-8 (Latin-1, so no byte is dropped) and as UTF-16LE. */
export function searchFiles(root: string, needles: readonly string[]): FileSearch {
  const result: FileSearch = { files: 0, bytes: 0, hits: [] };
  for (const path of listFiles(root)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue; // removed meanwhile (a lock file, a journal)
    }
    result.files++;
    result.bytes += bytes.length;
    const name = relative(root, path);
    const views: Array<[string, string]> = [
      ['utf-8', bytes.toString('latin1')],
      ['utf-16le', bytes.toString('utf16le')],
      ['utf-16le odd', bytes.subarray(1).toString('utf16le')],
    ];
    const found = new Set<string>();
    for (const [encoding, text] of views) {
      for (const hit of findAll(text, needles.filter((n) => !found.has(n)), (at, needle) => `${name} (${encoding}, at ${at}): ${context(text, at, needle.length)}`)) {
        found.add(hit.needle);
        result.hits.push(hit);
      }
    }
  }
  return result;
}

export function searchTexts(sources: readonly TextSource[], needles: readonly string[]): Hit[] {
  return sources.flatMap((source) => findAll(source.text, needles, (at, needle) => `${source.where}: ${context(source.text, at, needle.length)}`));
}

export function describeHits(hits: readonly Hit[]): string {
  return hits.map((hit) => `  ${hit.needle} in ${hit.where}`).join('\n');
}

// Page-side code is kept as plain JavaScript text: the tests compile without the DOM library.

const READ_STORAGE = `(async () => {
  const out = [];
  const asText = (value) => {
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array) return new TextDecoder().decode(value);
    if (value instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(value));
    try { return JSON.stringify(value); } catch { return String(value); }
  };
  const settle = (request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await settle(indexedDB.open(info.name));
    for (const store of Array.from(db.objectStoreNames)) {
      const objects = db.transaction(store, 'readonly').objectStore(store);
      const [keys, values] = await Promise.all([settle(objects.getAllKeys()), settle(objects.getAll())]);
      keys.forEach((key, i) => out.push({ where: 'IndexedDB ' + info.name + '/' + store + '/' + String(key), text: asText(values[i]) }));
    }
    db.close();
  }
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key !== null) out.push({ where: 'localStorage ' + key, text: localStorage.getItem(key) ?? '' });
  }
  return out;
})()`;

/**
 * Everything the page can read of the browser's storage: every IndexedDB database, object store and record
 * (VS Code for the Web keeps globalState, workspace state and its logs there), and localStorage.
 */
export async function browserStorage(page: Page): Promise<TextSource[]> {
  return page.evaluate<TextSource[]>(READ_STORAGE);
}

/** Where code-server's workbench keeps SecretStorage: one localStorage entry, sealed with AES-GCM. */
export const SECRET_STORAGE_KEY = 'secrets.provider';

/**
 * Opens code-server's SecretStorage entry: base64 of [client key half (32) | IV (12) | ciphertext | tag (16)],
 * whose AES-256-GCM key is the client half XOR the server half (`<user-data-dir>/serve-web-key-half`).
 * Returns the stored secrets by their (JSON) key.
 */
export function unsealSecretStorage(sealed: string, serverKeyHalf: Buffer): Record<string, string> {
  const bytes = Buffer.from(sealed, 'base64');
  const key = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) key[i] = bytes[i] ^ serverKeyHalf[i];
  const iv = bytes.subarray(32, 44);
  const body = bytes.subarray(44, bytes.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as Record<string, string>;
}

/** What the workbench showed, by kind; the quick input is left out (what the user types there is theirs to see). */
const SHOWN = {
  notification: '.notification-list-item',
  dialog: '.monaco-dialog-box',
  hover: '.monaco-hover, .custom-hover, .workbench-hover',
  tree: '#workbench\\.parts\\.sidebar .monaco-list-row',
  status: '#workbench\\.parts\\.statusbar .statusbar-item',
};

export type ShownKind = keyof typeof SHOWN;

/**
 * Records, from the first paint on, the text (and aria-label and title) of every notification, dialog, hover,
 * tree row and status-bar item the workbench renders, so a toast that came and went is searched too.
 */
export async function recordShownTexts(context: BrowserContext): Promise<void> {
  await context.addInitScript({
    content: `(() => {
      if (window.top !== window) return;
      const selectors = ${JSON.stringify(SHOWN)};
      const seen = new Set();
      window.__shownTexts = seen;
      let pending = false;
      const collect = () => {
        pending = false;
        for (const [kind, selector] of Object.entries(selectors)) {
          for (const el of document.querySelectorAll(selector)) {
            for (const text of [el.textContent, el.getAttribute('aria-label'), el.getAttribute('title')]) {
              if (text) seen.add(kind + '\\u0000' + text);
            }
          }
        }
      };
      new MutationObserver(() => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(collect);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    })();`,
  });
}

/** The texts recordShownTexts collected so far, by kind. */
export async function shownTexts(page: Page): Promise<Array<{ kind: ShownKind; text: string }>> {
  const raw = await page.evaluate<string[]>('[...(window.__shownTexts ?? [])]');
  return raw.map((entry) => {
    const [kind, text] = entry.split('\u0000');
    return { kind: kind as ShownKind, text: text ?? '' };
  });
}
