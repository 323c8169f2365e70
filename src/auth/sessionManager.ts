import * as vscode from 'vscode';
import { scaledServiceClock, systemClock, type Clock } from '../api/clock';
import { ModelArtsError } from '../api/errors';
import type { Redactor } from '../api/redact';
import { CancelledByUser, reportFailure, type CommandSpec } from '../commands/registry';
import type { ExtensionLogger } from '../common/logger';
import { messageText, safeL10n, type Words } from '../common/safeText';
import { showError, showInformation, showWarning, withNotificationProgress } from '../common/safeUi';
import type { ActiveSession, SessionService } from '../common/session';
import { readSettings } from '../common/settings';
import type { RunningEmulator } from '../emulator/main';
import { demoAutoStart, demoEmulatorOptions, emulatorBundlePath, loadEmulator } from './demo';
import { EndpointTrust, type ConfirmHost } from './endpointTrust';
import { pickProfile } from './profilePicker';
import { ProfileStore, type ProfileRecord } from './profiles';
import { collectProfileInput } from './signIn';
import { HostNotTrusted, SignInCore, type Connected, type ConnectOptions, type ProfileInput, type RestoreResult } from './signInCore';
import { ProfileStatusBar } from './statusBar';
import { DEMO_PROFILE_NAME } from './validation';

// Owns who the extension is signed in as: profiles, the demo emulator, the status-bar item and the context
// keys. Everything that changes the session goes through setSession, which fires onDidChange.

export type { ProfileInput } from './signInCore';

/** Sentences with values from storage, settings and the service, made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export interface SessionManagerDeps {
  context: vscode.ExtensionContext;
  log: ExtensionLogger;
  redactor: Redactor;
  /** Default process.env (HUAWEICLOUD_SDK_*, MODELARTS_EXPLORER_DEMO*). */
  env?: NodeJS.ProcessEnv;
}

export interface SessionManager extends SessionService, vscode.Disposable {
  readonly commands: CommandSpec[];
  /** Settles once the active profile was restored at activation (or found unusable); sends nothing. */
  readonly restored: Promise<void>;
  /** The running demo emulator, for tests (its request log, faults). */
  readonly demoEmulator: RunningEmulator | undefined;
  /** Stops the demo emulator, aborts verifications in flight and disposes the client (deactivate). */
  shutdown(): Promise<void>;
  /** Starts the emulator on loopback and signs in to it as the unsaved profile "Demo"; a second call returns the running one. */
  startDemo(): Promise<ActiveSession>;
  /** Closes the emulator and restores the previously active profile, if any. */
  stopDemo(): Promise<void>;
  /** The non-interactive sign-in: verify with one call, save, activate. Asks only about an unknown host. */
  signInWith(profile: ProfileInput): Promise<ActiveSession>;
  /** Activates a saved profile without a request (asks about an unknown host). */
  switchProfile(name: string): Promise<ActiveSession>;
  /** Signs out and wipes the active profile's credentials and record, without asking (the demo: stops it). */
  signOut(): Promise<void>;
  /** Names of the saved profiles. */
  profiles(): string[];
}


export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  return new ProfileSessionManager(deps);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class ProfileSessionManager implements SessionManager {
  readonly commands: CommandSpec[];
  readonly restored: Promise<void>;
  readonly onDidChange: vscode.Event<ActiveSession | undefined>;

  private session: ActiveSession | undefined;
  private emulator: RunningEmulator | undefined;
  private demoStarting: Promise<ActiveSession> | undefined;
  /** Bumped on every session change, so a slow restore never overwrites a newer choice. */
  private generation = 0;
  private closed = false;
  private readonly controllers = new Set<AbortController>();
  private readonly emitter = new vscode.EventEmitter<ActiveSession | undefined>();
  private readonly statusBar = new ProfileStatusBar();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly env: NodeJS.ProcessEnv;
  private readonly store: ProfileStore;
  private readonly core: SignInCore;

  constructor(private readonly deps: SessionManagerDeps) {
    this.env = deps.env ?? process.env;
    this.onDidChange = this.emitter.event;
    const { context, log, redactor } = deps;
    this.store = new ProfileStore(context.globalState, context.secrets, vscode.l10n, this.env);
    const trust = new EndpointTrust(context.globalState, vscode.l10n);
    this.core = new SignInCore({ store: this.store, trust, settings: () => readSettings(), log, redactor, l10n: vscode.l10n, env: this.env });
    this.commands = [
      { id: 'modelarts.signIn', title: vscode.l10n.t('Sign In'), run: () => this.signInCommand() },
      { id: 'modelarts.signOut', title: vscode.l10n.t('Sign Out'), run: () => this.signOutCommand() },
      { id: 'modelarts.profile.switch', title: vscode.l10n.t('Switch Profile'), run: () => this.switchCommand() },
      { id: 'modelarts.demo.start', title: vscode.l10n.t('Try the Demo'), run: (arg) => this.startDemoCommand(arg) },
      { id: 'modelarts.demo.stop', title: vscode.l10n.t('Stop the Demo'), run: () => this.stopDemo() },
    ];
    this.updateUi();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['endpoint', 'iamEndpoint', 'obsEndpoint'].some((key) => event.affectsConfiguration(`modelarts.${key}`))) void this.onEndpointSettingsChanged();
      }),
    );
    this.restored = this.restoreActive('activation');
    if (demoAutoStart(this.env)) void this.restored.then(() => this.autoStartDemo());
  }

  get current(): ActiveSession | undefined {
    return this.session;
  }

  get demoEmulator(): RunningEmulator | undefined {
    return this.session?.demo ? this.emulator : undefined;
  }

  profiles(): string[] {
    return this.store.names();
  }

  // ---- session state

  private async setSession(next: ActiveSession | undefined): Promise<void> {
    const previous = this.session;
    this.generation++;
    this.session = next;
    if (previous && previous !== next) previous.client.dispose();
    const emulator = next?.demo ? undefined : this.takeEmulator();
    this.updateUi();
    this.emitter.fire(next);
    if (emulator) await this.closeEmulator(emulator);
  }

  private updateUi(): void {
    if (this.closed) return;
    const session = this.session;
    void vscode.commands.executeCommand('setContext', 'modelarts.signedIn', session !== undefined);
    void vscode.commands.executeCommand('setContext', 'modelarts.demoRunning', session?.demo === true);
    this.statusBar.update(
      session === undefined
        ? { kind: 'signedOut', hasProfiles: this.store.names().length > 0 }
        : session.demo
          ? { kind: 'demo' }
          : { kind: 'signedIn', profile: session.profile, region: session.region },
    );
  }

  private async activate(connected: Pick<Connected, 'record' | 'client'>, demo: boolean, serviceClock: Clock = systemClock): Promise<ActiveSession> {
    if (this.closed) {
      connected.client.dispose();
      throw new CancelledByUser();
    }
    const session: ActiveSession = { profile: connected.record.name, region: connected.record.region, client: connected.client, demo, serviceClock };
    await this.setSession(session);
    return session;
  }

  /** Runs with an AbortController that shutdown() aborts; `outer` (a progress cancel) aborts it too. */
  private async withAbort<T>(run: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    const forward = (): void => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', forward, { once: true });
    this.controllers.add(controller);
    try {
      return await run(controller.signal);
    } finally {
      this.controllers.delete(controller);
      outer?.removeEventListener('abort', forward);
    }
  }

  private async connect(input: ProfileInput, options: ConnectOptions): Promise<Connected> {
    try {
      return await this.core.connect(input, options);
    } catch (error) {
      if (error instanceof HostNotTrusted) throw new CancelledByUser();
      throw error;
    }
  }

  private readonly confirmHost: ConfirmHost = async (display) => {
    const trust = l10n.t('Trust');
    const choice = await showWarning(
      l10n.t('Send ModelArts credentials to {0}?', display),
      {
        modal: true,
        detail: l10n.t('{0} is neither a Huawei Cloud host (myhuaweicloud.com, myhuaweicloud.cn) nor this computer. Your credentials sign the requests sent there. Trust it only if you know who runs it.', display),
      },
      trust,
    );
    return choice === trust;
  };

  // ---- sign in, switch, sign out

  async signInWith(profile: ProfileInput): Promise<ActiveSession> {
    return this.signIn(profile);
  }

  private async signIn(profile: ProfileInput, outer?: AbortSignal): Promise<ActiveSession> {
    const connected = await this.withAbort((signal) => this.connect(profile, { persist: true, signal, confirmHost: this.confirmHost }), outer);
    return this.activate(connected, false);
  }

  private async signInCommand(): Promise<void> {
    const input = await collectProfileInput({ existing: this.store.names(), region: readSettings().region, env: this.env });
    // Asked before the progress notification, so the modal question is not hidden behind it.
    if (!(await this.core.trustEndpoints(input, this.confirmHost))) throw new CancelledByUser();
    const session = await withNotificationProgress(
      { title: l10n.t('Verifying credentials…'), cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          return await this.signIn(input, controller.signal);
        } finally {
          cancel.dispose();
        }
      },
    );
    void showInformation(l10n.t('Signed in to ModelArts as {0} ({1}).', session.profile, session.region));
  }

  async switchProfile(name: string): Promise<ActiveSession> {
    if (this.session && !this.session.demo && this.session.profile === name) return this.session;
    const result = await this.core.restore(name, this.confirmHost);
    if (!result.ok) {
      if (result.reason === 'untrusted-host') throw new CancelledByUser();
      // An auth error, so the failure toast offers "Sign In".
      throw new ModelArtsError({ kind: result.reason === 'no-credentials' ? 'auth' : 'invalid-input', message: result.message });
    }
    await this.store.setActive(name);
    this.deps.log.info(`Switched to the profile ${name} (${result.record.region}).`);
    return this.activate(result, false);
  }

  private async switchCommand(): Promise<void> {
    const records = this.store.list();
    if (records.length === 0 && !this.session?.demo) {
      await vscode.commands.executeCommand('modelarts.signIn');
      return;
    }
    const choice = await pickProfile({
      records,
      active: this.session?.demo ? DEMO_PROFILE_NAME : (this.session?.profile ?? this.store.activeName()),
      demoRunning: this.session?.demo === true,
    });
    switch (choice?.kind) {
      case undefined:
        throw new CancelledByUser();
      case 'profile':
        await this.switchProfile(choice.name);
        return;
      case 'new':
        await vscode.commands.executeCommand('modelarts.signIn');
        return;
      case 'stopDemo':
        await this.stopDemo();
        return;
      case 'remove':
        await this.removeCommand(choice.name);
        return;
    }
  }

  private async confirmWipe(question: Words, button: Words): Promise<void> {
    const choice = await showWarning(question, { modal: true, detail: l10n.t('Its credentials are deleted from the system keychain of this computer; signing in again needs them.') }, button);
    if (choice !== button) throw new CancelledByUser();
  }

  private async removeCommand(name: string): Promise<void> {
    await this.confirmWipe(l10n.t('Remove the ModelArts profile {0}?', name), l10n.t('Remove'));
    if (this.session && !this.session.demo && this.session.profile === name) await this.setSession(undefined);
    await this.store.remove(name);
    this.updateUi();
  }

  async signOut(): Promise<void> {
    if (this.session?.demo) {
      await this.stopDemoAndRestore(false);
      return;
    }
    const name = this.session?.profile ?? this.store.activeName();
    await this.setSession(undefined);
    if (name) {
      await this.store.remove(name);
      this.deps.log.info(`Signed out; the profile ${name} and its credentials were removed.`);
    }
    this.updateUi();
  }

  private async signOutCommand(): Promise<void> {
    if (this.session?.demo) {
      await this.signOut();
      return;
    }
    const name = this.session?.profile ?? this.store.activeName();
    if (!name) {
      void showInformation(l10n.t('You are not signed in to ModelArts.'));
      return;
    }
    await this.confirmWipe(l10n.t('Sign out of the ModelArts profile {0}?', name), l10n.t('Sign Out'));
    await this.signOut();
  }

  // ---- restoring

  /** The active profile's session rebuilt from storage (no request), or undefined with the reason logged. */
  private async loadActive(reason: 'activation' | 'settings' | 'demo-stopped'): Promise<ActiveSession | undefined> {
    const name = this.store.activeName();
    if (!name) return undefined;
    let result: RestoreResult;
    try {
      result = await this.core.restore(name);
    } catch (error) {
      // The keychain failed: nothing to fall back to; say so.
      this.deps.log.error(`Could not restore the profile ${name}: ${describe(error)}`);
      if (!this.closed) void showError(messageText(describe(error)));
      return undefined;
    }
    if (!result.ok) {
      this.deps.log.warn(result.message);
      if (reason !== 'activation' && !this.closed) void showWarning(messageText(result.message));
      return undefined;
    }
    this.deps.log.info(`Profile ${name} (${result.record.region}) restored.`);
    return { profile: result.record.name, region: result.record.region, client: result.client, demo: false, serviceClock: systemClock };
  }

  /** Replaces the session with the restored active profile in one change (no signed-out flash in between). */
  private async restoreActive(reason: 'activation' | 'settings' | 'demo-stopped'): Promise<void> {
    const generation = this.generation;
    const next = await this.loadActive(reason);
    if (this.closed || generation !== this.generation) {
      next?.client.dispose();
      return;
    }
    if (next === undefined && this.session === undefined) {
      this.updateUi();
      return;
    }
    await this.setSession(next);
  }

  private async onEndpointSettingsChanged(): Promise<void> {
    const session = this.session;
    if (!session || session.demo) return;
    const record: ProfileRecord | undefined = this.store.get(session.profile);
    // A profile with its own endpoints does not follow the settings.
    if (record?.endpoint && record.iamEndpoint) return;
    this.deps.log.info('The endpoint settings changed: the active profile reconnects with them.');
    await this.restoreActive('settings');
  }

  // ---- demo

  startDemo(): Promise<ActiveSession> {
    if (this.session?.demo) return Promise.resolve(this.session);
    this.demoStarting ??= this.launchDemo().finally(() => {
      this.demoStarting = undefined;
    });
    return this.demoStarting;
  }

  private async launchDemo(): Promise<ActiveSession> {
    const { log, context } = this.deps;
    const emulatorModule = loadEmulator(emulatorBundlePath(context.extensionPath), vscode.l10n);
    const { options, problems } = demoEmulatorOptions(this.env);
    for (const problem of problems) log.warn(problem);
    const emulator = await emulatorModule.startEmulator({ ...options, onError: (error) => log.error(`Demo emulator: ${describe(error)}`) });
    log.info(`Demo emulator started at ${emulator.endpoint} (IAM ${emulator.iamEndpoint}, OBS ${emulator.obsEndpoint}); ${options.jobs ?? 0} extra training jobs.`);
    try {
      // The same path as a cloud sign-in (one verifying call included), only nothing is saved.
      const input: ProfileInput = {
        name: DEMO_PROFILE_NAME,
        region: emulator.region,
        credentials: { kind: 'aksk', ak: emulator.credentials.ak, sk: emulator.credentials.sk },
        endpoint: emulator.endpoint,
        iamEndpoint: emulator.iamEndpoint,
        obsEndpoint: emulator.obsEndpoint,
      };
      const connected = await this.withAbort((signal) => this.connect(input, { persist: false, signal }));
      const stale = this.takeEmulator();
      if (stale) await this.closeEmulator(stale);
      this.emulator = emulator;
      // The emulator's resources run `timeScale` times faster than real time: read their times on its clock.
      return await this.activate(connected, true, scaledServiceClock(emulator.clock, options.timeScale ?? 1));
    } catch (error) {
      if (this.emulator === emulator) this.emulator = undefined;
      await this.closeEmulator(emulator);
      throw error;
    }
  }

  /** `{ restart: true }` (the demo's error rows and toasts): a fresh emulator replaces the running one. */
  private async startDemoCommand(arg?: unknown): Promise<void> {
    const restart = typeof arg === 'object' && arg !== null && (arg as { restart?: unknown }).restart === true;
    if (restart && this.session?.demo) {
      this.deps.log.info('Restarting the demo with a fresh emulator.');
      await this.stopDemoAndRestore(false);
    }
    if (!this.session?.demo) {
      await withNotificationProgress({ title: l10n.t('Starting the ModelArts demo…') }, () => this.startDemo());
      void showInformation(l10n.t('The ModelArts demo is running: sample data from a built-in emulator on this computer, no Huawei Cloud account involved.'));
    }
    await this.focusExplorer();
  }

  private async autoStartDemo(): Promise<void> {
    try {
      await this.startDemo();
      await this.focusExplorer();
    } catch (error) {
      void reportFailure(this.deps.log, vscode.l10n.t('Try the Demo'), error);
    }
  }

  private async focusExplorer(): Promise<void> {
    try {
      await vscode.commands.executeCommand('modelarts.explorer.focus');
    } catch (error) {
      this.deps.log.debug(`Could not focus the explorer: ${describe(error)}`);
    }
  }

  async stopDemo(): Promise<void> {
    await this.stopDemoAndRestore(true);
  }

  private async stopDemoAndRestore(restorePrevious: boolean): Promise<void> {
    await this.demoStarting?.catch(() => undefined);
    if (!this.session?.demo) return;
    this.deps.log.info('Demo stopped.');
    if (restorePrevious) await this.restoreActive('demo-stopped');
    // Nothing to restore (or not wanted): signed out. Either way the emulator closes with its session.
    if (this.session?.demo) await this.setSession(undefined);
  }

  private takeEmulator(): RunningEmulator | undefined {
    const emulator = this.emulator;
    this.emulator = undefined;
    return emulator;
  }

  private async closeEmulator(emulator: RunningEmulator): Promise<void> {
    try {
      await emulator.close();
    } catch (error) {
      this.deps.log.warn(`The demo emulator did not close cleanly: ${describe(error)}`);
    }
  }

  // ---- lifetime

  async shutdown(): Promise<void> {
    this.closed = true;
    for (const controller of this.controllers) controller.abort();
    await this.demoStarting?.catch(() => undefined);
    const session = this.session;
    this.session = undefined;
    session?.client.dispose();
    const emulator = this.takeEmulator();
    if (emulator) await this.closeEmulator(emulator);
  }

  dispose(): void {
    void this.shutdown();
    this.statusBar.dispose();
    this.emitter.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
