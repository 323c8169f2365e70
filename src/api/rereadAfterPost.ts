// State-changing POSTs are never retried blindly: when one fails in a way that leaves its effect unknown
// (5xx, a dropped connection, a timeout, an unreadable answer), the resource is read once and the state
// decides. Either the action visibly took, and the fresh object is returned, or the original error stands.

import { isModelArtsError } from './errors';
import type { ActionOutcome } from './types';

/**
 * Whether a failed request may still have taken effect on the server. 4xx answers are definite refusals;
 * 501/505 mean the method or protocol was never handled; an abort is the caller's own decision.
 */
export function mayHaveTakenEffect(error: unknown): boolean {
  if (!isModelArtsError(error)) return false;
  switch (error.kind) {
    case 'network':
    case 'timeout':
    case 'invalid-response':
      return true;
    case 'http':
      return error.status >= 500 && error.status !== 501 && error.status !== 505;
    default:
      return false;
  }
}

export interface RereadPlan<T> {
  /** Sends the action once. */
  post: () => Promise<T>;
  /** Reads the resource once. */
  reread: () => Promise<T>;
  /** Whether the fresh state shows the action took. */
  took: (fresh: T) => boolean;
}

/** Exactly one POST; after an uncertain failure exactly one read; the original error when in doubt. */
export async function postWithReread<T extends object>(plan: RereadPlan<T>): Promise<ActionOutcome<T>> {
  try {
    return await plan.post();
  } catch (error) {
    if (!mayHaveTakenEffect(error)) throw error;
    let fresh: T;
    try {
      fresh = await plan.reread();
    } catch {
      throw error;
    }
    if (!plan.took(fresh)) throw error;
    return Object.assign(fresh, { confirmedByReread: true as const });
  }
}
