import { createHash } from 'node:crypto';

// Helpers shared by the training and workflow families: a timer queue that runs transitions in
// emulated-time order, deterministic ids and numbers for seeded objects, and typed reads of JSON bodies.

export interface TimerHandle {
  readonly at: number;
  cancelled: boolean;
}

interface Timer extends TimerHandle {
  seq: number;
  run: (at: number) => void;
}

/**
 * Transitions due at emulated times. `runDue(now)` runs every timer at or before `now` in (time, insertion)
 * order; a timer may schedule further timers, and those run in the same call when they are due too. A heap
 * keeps the cost per request at O(due · log n) however many objects exist.
 */
export class TimerQueue {
  private readonly heap: Timer[] = [];
  private seq = 0;
  private last = Number.NEGATIVE_INFINITY;

  schedule(at: number, run: (at: number) => void): TimerHandle {
    const timer: Timer = { at, run, seq: this.seq++, cancelled: false };
    this.heap.push(timer);
    this.up(this.heap.length - 1);
    return timer;
  }

  /** Runs every timer due at or before `now`. Time never goes back: an earlier `now` runs nothing. */
  runDue(now: number): void {
    if (now < this.last) return;
    this.last = now;
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > now) return;
      this.pop();
      if (!top.cancelled) top.run(top.at);
    }
  }

  /** Timers waiting, cancelled ones included until they surface. */
  get size(): number {
    return this.heap.length;
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last && this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i], heap[parent])) return;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && this.less(heap[l], heap[m])) m = l;
      if (r < heap.length && this.less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
}

/** 32-bit FNV-1a: a cheap, stable hash for seeding per-object pseudo-random values. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small deterministic PRNG (mulberry32): numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value in [0, 1) determined by `key` and `n` alone, for per-line and per-minute figures. */
export function noise(key: number, n: number): number {
  let t = (key ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
  t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
}

/** A UUID-shaped id derived from `key`, so seeded objects keep their ids from one start to the next. */
export function stableUuid(key: string): string {
  const h = createHash('sha1').update(key).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Deep copy of plain JSON data, so seeded constants are never shared with mutable state. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `obj[key]`, or undefined when absent or not an object. */
export function objectAt(obj: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = obj[key];
  return isObject(value) ? value : undefined;
}

/** The string at `obj[key]`, or undefined when absent or not a string. */
export function stringAt(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

/** Compares two values for sorting, strings and numbers alike, without locale rules (fast on 10,000 rows). */
export function compareValues(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A request value as text for messages and lenient string fields (numbers become their digits). */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
