// The URL of a request as sent and signed, and as logged (values that might be secret hidden).

import type { QueryValue } from './http';
import { formatQueryString, type QueryPairs } from './signer';

/** Query keys whose values are never secret and are logged as they are; every other value is logged as `***`. */
const LOG_SAFE_QUERY_KEYS = new Set([
  'limit',
  'offset',
  'status',
  'type',
  'duration',
  'sort_by',
  'sort_key',
  'sort_dir',
  'order',
  'workspace_id',
  'workspaceId',
  'phase',
  'nocatalog',
  'page',
  'per_page',
  'feature',
]);

/** Query values as pairs in order: arrays repeat the key, booleans are `true`/`false`, undefined and null are left out. */
export function buildQueryPairs(query: Readonly<Record<string, QueryValue>> | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!query) return pairs;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number)[]) pairs.push([key, String(item)]);
    } else {
      pairs.push([key, String(value)]);
    }
  }
  return pairs;
}

/** The URL as sent: base + path, and the query in exactly the encoding the signature covers. */
export function buildRequestUrl(base: string, path: string, query: QueryPairs): string {
  const root = base.replace(/\/+$/, '');
  const rest = path.startsWith('/') ? path : `/${path}`;
  const search = formatQueryString(query);
  return search ? `${root}${rest}?${search}` : `${root}${rest}`;
}

/** Path and query for logs: values of keys that might carry a secret become `***`. */
export function describeForLog(path: string, query: QueryPairs): string {
  if (query.length === 0) return path;
  const shown = query.map(([key, value]) => [key, LOG_SAFE_QUERY_KEYS.has(key) ? value : '***'] as const);
  return `${path}?${shown.map(([k, v]) => `${k}=${v}`).join('&')}`;
}
