// Folders: many files up, or every object under a prefix down, a few files at a time, with progress in bytes
// and files. The first failure stops the rest (and aborts their multipart uploads).

import { promises as fsp } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { forEachBounded } from './bounded';
import { listAll } from './listing';
import { uploadFile, type ObsUploadContext } from './multipart';
import { checkKey, downloadFile } from './objects';
import type { ObsMultipartOptions, ObsObjectSummary, ObsProgress, ObsTransferOptions, ObsUploadItem } from './types';

export const DEFAULT_FILE_PARALLELISM = 4;

/** Bytes and files done across a folder transfer; each file reports its own bytes so far. */
export class FolderProgress {
  private bytesDone = 0;
  private filesDone = 0;
  private readonly current = new Map<number, number>();

  constructor(
    private readonly totalBytes: number,
    private readonly totalFiles: number,
    private readonly onProgress: ((progress: ObsProgress) => void) | undefined,
  ) {}

  file(index: number, bytes: number): void {
    this.current.set(index, bytes);
    this.report();
  }

  fileDone(index: number, bytes: number): void {
    this.current.delete(index);
    this.bytesDone += bytes;
    this.filesDone++;
    this.report();
  }

  private report(): void {
    let bytes = this.bytesDone;
    for (const sent of this.current.values()) bytes += sent;
    this.onProgress?.({ bytes, totalBytes: this.totalBytes, files: this.filesDone, totalFiles: this.totalFiles });
  }
}

export async function uploadFiles(context: ObsUploadContext, bucket: string, items: readonly ObsUploadItem[], options: ObsMultipartOptions & { files?: number } = {}): Promise<void> {
  for (const item of items) checkKey(item.key);
  const sizes = await Promise.all(items.map(async (item) => (await fsp.stat(item.file)).size));
  const progress = new FolderProgress(
    sizes.reduce((a, b) => a + b, 0),
    items.length,
    options.onProgress,
  );
  await forEachBounded(items.length, options.files ?? DEFAULT_FILE_PARALLELISM, options.signal, async (index, signal) => {
    const item = items[index];
    await uploadFile(context, bucket, item.key, item.file, { ...options, signal, onProgress: (p) => progress.file(index, p.bytes) });
    progress.fileDone(index, sizes[index]);
  });
}

/** Where an object under `prefix` goes in `folder`; undefined for a key that would land outside it. */
export function localPathFor(folder: string, prefix: string, key: string): string | undefined {
  const relativeKey = key.slice(prefix.length);
  const segments = relativeKey.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment === '.' || segment === '..' || segment.includes('\\') || segment.includes('\0'))) return undefined;
  const root = resolve(folder);
  const target = join(root, ...segments);
  const inside = relative(root, target);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return undefined;
  return target;
}

export async function downloadPrefix(context: ObsUploadContext, bucket: string, prefix: string, folder: string, options: ObsTransferOptions & { files?: number } = {}): Promise<{ files: number; bytes: number }> {
  const objects: Array<ObsObjectSummary & { path: string }> = [];
  for await (const object of listAll(context.requester, context.redactor, bucket, prefix, options.signal)) {
    // A key ending in `/` is a folder placeholder: the folder appears when its files do (or is made here).
    if (object.key.endsWith('/')) {
      const path = localPathFor(folder, prefix, object.key);
      if (path) await fsp.mkdir(path, { recursive: true });
      continue;
    }
    const path = localPathFor(folder, prefix, object.key);
    if (!path) {
      context.log.warn(`obs.downloadPrefix: skipped ${JSON.stringify(object.key)}: it would be written outside ${folder}`);
      continue;
    }
    objects.push({ ...object, path });
  }
  await fsp.mkdir(folder, { recursive: true });
  const totalBytes = objects.reduce((sum, o) => sum + o.size, 0);
  const progress = new FolderProgress(totalBytes, objects.length, options.onProgress);
  let bytes = 0;
  await forEachBounded(objects.length, options.files ?? DEFAULT_FILE_PARALLELISM, options.signal, async (index, signal) => {
    const object = objects[index];
    const head = await downloadFile(context.requester, bucket, object.key, object.path, { signal, onProgress: (p) => progress.file(index, p.bytes) });
    bytes += head.size;
    progress.fileDone(index, head.size);
  });
  return { files: objects.length, bytes };
}
