import type * as vscode from 'vscode';
import type { ModelArtsClient } from '../api/client';
import type { Clock } from '../api/clock';

// Who the explorer talks to: the active profile's signed-in client, or nobody.

export interface ActiveSession {
  /** Profile name, part of every tree id so two profiles never collide. */
  readonly profile: string;
  readonly region: string;
  readonly client: ModelArtsClient;
  /** True when this session talks to the built-in demo emulator. */
  readonly demo: boolean;
  /**
   * The service's time, against which its timestamps are read (countdowns, ages, the auto-stop warning): the
   * system clock for the cloud; the demo's emulator clock, which runs faster, for the demo.
   */
  readonly serviceClock: Clock;
}

export interface SessionService {
  readonly current: ActiveSession | undefined;
  readonly onDidChange: vscode.Event<ActiveSession | undefined>;
}
