// What every ModelArts resource type shares: open enums, parse problems, an action's answer.

/**
 * A documented enum value, or an undocumented one kept as received. The parser records the undocumented
 * value in `problems`, so the tree can mark that row while still showing what the API said.
 */
export type OpenEnum<T extends string> = T | (string & Record<never, never>);

export type JsonObject = Record<string, unknown>;

/** What a parser could not make sense of in one item, e.g. `missing id`, `unknown status 'WEIRD'`. */
export interface Parsed {
  problems?: string[];
}

/** An action's answer; `confirmedByReread` when the POST failed uncertainly and a re-read showed it took. */
export type ActionOutcome<T> = T & { confirmedByReread?: true };

export type SortOrder = 'asc' | 'desc';
