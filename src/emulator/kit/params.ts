import { ApiFailure, type EmuRequest, invalidParam, queryValue } from '../framework';

// Request checks more than one family makes the same way.

/** A body's `workspace_id` ("0" when absent): "0" or 32 characters [a-z0-9], and existing when `exists` can tell. */
export function workspaceIdParam(raw: unknown, exists?: (id: string) => boolean): string {
  const workspaceId = raw ?? '0';
  if (typeof workspaceId !== 'string' || !/^(0|[a-z0-9]{32})$/.test(workspaceId)) throw invalidParam('workspace_id must be "0" or 32 characters [a-z0-9].');
  if (exists && !exists(workspaceId)) throw new ApiFailure(400, 'ModelArts.7005', `workspace:${workspaceId} not existed`);
  return workspaceId;
}

/** The `sort_by` query, one of `allowed`, `fallback` when absent. */
export function sortByParam<K extends string>(request: EmuRequest, allowed: readonly K[], fallback: K): K {
  const sortBy = queryValue(request, 'sort_by') || fallback;
  if (!(allowed as readonly string[]).includes(sortBy)) throw invalidParam(`Invalid sort_by: ${sortBy}; expected one of ${allowed.join(', ')}.`);
  return sortBy as K;
}

/** The `order` query (asc or desc, any case), `fallback` when absent. */
export function orderParam(request: EmuRequest, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const order = (queryValue(request, 'order') || fallback).toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw invalidParam(`Invalid order: ${order}; expected asc or desc.`);
  return order;
}

/** Sorts `items` in place by the field `key`, ascending or descending. */
export function sortByField<T, K extends keyof T>(items: T[], key: K, order: 'asc' | 'desc'): T[] {
  return items.sort((a, b) => {
    const c = a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
    return order === 'asc' ? c : -c;
  });
}
