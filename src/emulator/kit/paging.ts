import { type EmuRequest, type EmuJsonObject, invalidParam, queryValue } from '../framework';

// Paging and sorting shapes shared by the families whose lists take a record offset (notebooks, images,
// flavors). Families paging by page index use `pageByIndex` (framework.ts).

/** A page of `items` from the record `offset`: `{current, pages, size, total, data}`; `current` counts from `firstPage`. */
export function pageShape<T>(items: readonly T[], offset: number, limit: number, firstPage = 0): EmuJsonObject {
  return {
    current: Math.floor(offset / limit) + firstPage,
    pages: Math.ceil(items.length / limit),
    size: limit,
    total: items.length,
    data: items.slice(offset, offset + limit),
  };
}

/** The `sort_dir` query (ASC or DESC, DESC when absent) as a sign. */
export function sortDir(request: EmuRequest): 1 | -1 {
  const raw = (queryValue(request, 'sort_dir') || 'DESC').toUpperCase();
  if (raw !== 'ASC' && raw !== 'DESC') throw invalidParam(`Invalid sort_dir: ${raw}; expected ASC or DESC.`);
  return raw === 'ASC' ? 1 : -1;
}

/** Compares by each key in turn, in the direction `dir`. */
export function compareBy<T>(keys: ReadonlyArray<(item: T) => string | number>, dir: 1 | -1): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x < y) return -dir;
      if (x > y) return dir;
    }
    return 0;
  };
}

