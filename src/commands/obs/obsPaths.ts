// OBS locations as the user and ModelArts write them (`obs://bucket/key`, `/bucket/key`), the folders a
// training job reads and writes, and the keys an upload puts files under. No vscode: unit-tested in plain Node.

import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type * as vscode from 'vscode';
import type { TrainingJob } from '../../api/types';

export interface ObsLocation {
  bucket: string;
  /** '' for the bucket itself; a folder ends with `/`. */
  key: string;
}

/** `obs://bucket/key`: what Copy OBS Path copies and what ModelArts specs take. */
export function obsUrl(bucket: string, key: string): string {
  return `obs://${bucket}/${key}`;
}

/**
 * `obs://bucket/path/`, `s3://bucket/path/` or ModelArts' `/bucket/path/`; undefined for anything else (an
 * https URL, a relative path). `folder`: the key is a folder, so it ends with `/`.
 */
export function parseObsLocation(text: string, folder = false): ObsLocation | undefined {
  const m = /^(?:(?:obs|s3):\/\/|\/)([^/\s]+)(?:\/(.*))?$/.exec(text.trim());
  if (!m?.[1]) return undefined;
  let key = m[2] ?? '';
  if (folder && key !== '' && !key.endsWith('/')) key += '/';
  return { bucket: m[1], key };
}

/** What an OBS folder of a training job is for. */
export type JobFolderRole = 'code' | 'output' | 'log';

export interface JobFolder extends ObsLocation {
  role: JobFolderRole;
  /** The output's name in the spec (outputs only). */
  name?: string;
}

function obsUrlOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const url = (value as { obs_url?: unknown }).obs_url;
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/**
 * The OBS folders a job's spec names: its outputs (`algorithm.outputs[].remote.obs.obs_url`), its log export
 * folder (`spec.log_export_path.obs_url`) and its code folder (`algorithm.code_dir`), each once, in that order.
 */
export function jobObsFolders(job: Pick<TrainingJob, 'algorithm' | 'spec'>): JobFolder[] {
  const found: JobFolder[] = [];
  const add = (text: string | undefined, role: JobFolderRole, name?: string): void => {
    const location = text === undefined ? undefined : parseObsLocation(text, true);
    if (!location || found.some((f) => f.bucket === location.bucket && f.key === location.key)) return;
    found.push({ ...location, role, ...(name === undefined ? {} : { name }) });
  };
  for (const output of job.algorithm?.outputs ?? []) {
    const remote = output['remote'];
    const obs = typeof remote === 'object' && remote !== null ? (remote as { obs?: unknown }).obs : undefined;
    const name = output['name'];
    add(obsUrlOf(obs), 'output', typeof name === 'string' ? name : undefined);
  }
  add(obsUrlOf(job.spec?.log_export_path), 'log');
  add(job.algorithm?.code_dir, 'code');
  return found;
}

/** The parent folder of a key (`a/b/c.txt` → `a/b/`, `a/b/` → `a/`, `a` → ''). */
export function parentFolder(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? '' : trimmed.slice(0, i + 1);
}

/** The last part of a key, without a folder's `/`. */
export function keyName(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Why a new folder's name cannot be used, or undefined. */
export function folderNameProblem(name: string, l10n: typeof vscode.l10n): string | undefined {
  if (name.trim() === '') return l10n.t('Enter a name.');
  if (name.includes('/') || name.includes('\\')) return l10n.t('A folder name cannot contain / or \\.');
  if (name === '.' || name === '..') return l10n.t('A folder name cannot be . or ..');
  if (/\p{Cc}/u.test(name)) return l10n.t('A folder name cannot contain control characters.');
  return undefined;
}

export interface UploadItem {
  file: string;
  key: string;
  size: number;
}

/** Every file under `folder` (symbolic links are not followed), with its size. */
async function walk(folder: string): Promise<Array<{ file: string; size: number }>> {
  const out: Array<{ file: string; size: number }> = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) out.push({ file: path, size: (await stat(path)).size });
    }
  };
  await visit(folder);
  return out;
}

/**
 * The objects an upload of `paths` (files and folders on this computer) into the folder `prefix` makes: a
 * file goes to `prefix + its name`, a folder's files to `prefix + folder name + / + their path in it`, with
 * `/` between the parts whatever the system's separator.
 */
export async function planUpload(paths: readonly string[], prefix: string): Promise<UploadItem[]> {
  const items: UploadItem[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) {
      const name = basename(path);
      for (const entry of await walk(path)) items.push({ file: entry.file, size: entry.size, key: `${prefix}${name}/${relative(path, entry.file).split(sep).join('/')}` });
    } else if (info.isFile()) {
      items.push({ file: path, size: info.size, key: `${prefix}${basename(path)}` });
    }
  }
  return items;
}
