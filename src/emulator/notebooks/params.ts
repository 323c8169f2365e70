import { ApiFailure, type EmuRequest, type EmuJsonObject, invalidParam, objectBody } from '../framework';
import { text } from '../familyKit';
import { swrOrganization } from '../kit/swr';
import { type Lease, MAX_DURATION_MS, MIN_DURATION_MS, type NotebookRecord } from './records';

// What the notebooks family accepts in its requests: names, descriptions, leases, volumes, endpoints, tags and
// the image a running instance is saved as. Each check fails with the documented code and names the field.

export function notFound(id: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.6309', `Notebook instance ${id} does not exist.`);
}

function durationFailure(raw: unknown): ApiFailure {
  return new ApiFailure(
    400,
    'ModelArts.6346',
    `Invalid auto-stop duration ${text(raw)}: it must be from ${MIN_DURATION_MS} to ${MAX_DURATION_MS} ms (1 h to 72 h), or -1 for no auto-stop.`,
  );
}

/** Parses a lease duration in ms: -1 (no auto-stop) or within 1 h–72 h. */
export function parseDuration(raw: unknown): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw durationFailure(raw);
  if (value === -1) return -1;
  if (value < MIN_DURATION_MS || value > MAX_DURATION_MS) throw durationFailure(raw);
  return value;
}

export function parseLeaseType(raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') return 'TIMING';
  const upper = typeof raw === 'string' ? raw.toUpperCase() : '';
  if (upper !== 'TIMING' && upper !== 'IDLE') throw invalidParam(`Invalid type: ${text(raw)}; expected TIMING or IDLE.`);
  return upper;
}

/**
 * The lease of an instance created at `createdAt` and started (or renewed) at `now` for `requested` ms
 * (-1: no auto-stop): the SDK's lease request counts its duration from now, so it ends at `now + requested`.
 */
export function leaseFor(createdAt: number, now: number, requested: number, type: string): Lease {
  const enable = requested !== -1;
  return { create_at: createdAt, update_at: now, duration: enable ? now - createdAt + requested : -1, enable, type };
}

export function leaseJson(lease: Lease): EmuJsonObject {
  return { create_at: lease.create_at, duration: lease.duration, enable: lease.enable, type: lease.type, update_at: lease.update_at };
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const TAG_KEY_PATTERN = /^[^=*<>\\,|/]{1,36}$/;
const TAG_VALUE_PATTERN = /^[^=*<>\\,|/]{0,43}$/;

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw invalidParam('name is required.');
  if (!NAME_PATTERN.test(name)) throw invalidParam(`Invalid name: ${name}; use at most 128 letters, digits, "-" or "_".`);
  return name;
}

export function checkDescription(description: unknown): string {
  if (description === undefined || description === null) return '';
  if (typeof description !== 'string') throw invalidParam('description must be a string.');
  if (description.length > 512) throw invalidParam('description must be at most 512 characters.');
  if (/[&<>"'/]/.test(description)) throw invalidParam('description may not contain any of & < > " \' /.');
  return description;
}

export function parseVolume(raw: unknown): EmuJsonObject {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidParam('volume is required: {"category","ownership"}.');
  const v = raw as EmuJsonObject;
  const category = typeof v.category === 'string' ? v.category.toUpperCase() : '';
  if (!['EVS', 'OBS', 'OBSFS', 'EFS'].includes(category)) throw invalidParam('volume.category is required: EVS, OBS, OBSFS or EFS.');
  const ownership = typeof v.ownership === 'string' ? v.ownership.toUpperCase() : '';
  if (ownership !== 'MANAGED' && ownership !== 'DEDICATED') throw invalidParam('volume.ownership is required: MANAGED or DEDICATED.');
  if (ownership === 'DEDICATED' && category !== 'EFS') throw invalidParam('volume.ownership DEDICATED is only allowed for EFS.');
  const volume: EmuJsonObject = { category, ownership, mount_path: typeof v.mount_path === 'string' ? v.mount_path : '/home/ma-user/work/' };
  if (category === 'EVS' || category === 'EFS') {
    const capacity = v.capacity ?? (category === 'EVS' ? 5 : 50);
    if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > 4096) throw invalidParam('volume.capacity must be an integer from 1 to 4096 (GB).');
    volume.capacity = capacity;
  }
  if (typeof v.uri === 'string') volume.uri = v.uri;
  if (typeof v.id === 'string') volume.id = v.id;
  return volume;
}

export function parseEndpoints(raw: unknown): NotebookRecord['endpoints'] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidParam('endpoints must be an array.');
  return raw.map((e: unknown, i) => {
    const item = (typeof e === 'object' && e !== null ? e : {}) as EmuJsonObject;
    const service = typeof item.service === 'string' ? item.service.toUpperCase() : '';
    if (service !== 'SSH' && service !== 'NOTEBOOK') throw invalidParam(`endpoints[${i}].service must be NOTEBOOK or SSH.`);
    const keys = Array.isArray(item.key_pair_names) ? item.key_pair_names.filter((k): k is string => typeof k === 'string') : [];
    return { service, key_pair_names: keys };
  });
}

export function parseTags(request: EmuRequest, needValue: boolean): Array<{ key: string; value: string }> {
  const body = objectBody(request);
  if (!Array.isArray(body.tags) || body.tags.length === 0) throw invalidParam('tags is required: [{"key","value"}].');
  return body.tags.map((t: unknown, i) => {
    const tag = (typeof t === 'object' && t !== null ? t : {}) as EmuJsonObject;
    if (typeof tag.key !== 'string' || !TAG_KEY_PATTERN.test(tag.key)) {
      throw invalidParam(`tags[${i}].key must be 1 to 36 characters without = * < > \\ , | /.`);
    }
    const value = tag.value === undefined ? '' : tag.value;
    if (typeof value !== 'string' || !TAG_VALUE_PATTERN.test(value) || (needValue && tag.value === undefined)) {
      throw invalidParam(`tags[${i}].value must be 0 to 43 characters without = * < > \\ , | /.`);
    }
    return { key: tag.key, value };
  });
}

/** The image a notebook is saved as: name, SWR organization, tag (`latest` when absent), description. */
export interface EmuNotebookImageRequest {
  name: string;
  namespace: string;
  tag: string;
  description: string;
}

export function parseCreateImage(body: EmuJsonObject): EmuNotebookImageRequest {
  const name = body.name;
  if (typeof name !== 'string' || !/^[a-z0-9._-]{1,128}$/.test(name)) throw invalidParam('name is required: at most 128 lowercase letters, digits, "-", "_" or ".".');
  const namespace = swrOrganization(body.namespace, invalidParam);
  const tag = body.tag === undefined ? 'latest' : text(body.tag);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(tag)) throw invalidParam('tag must be at most 64 letters, digits, "-", "_" or ".".');
  const description = body.description === undefined ? '' : text(body.description);
  if (description.length > 512) throw invalidParam('description must be at most 512 characters.');
  return { name, namespace, tag, description };
}
