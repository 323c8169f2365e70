import { parseSshUri } from '../ssh/uri';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from './server';

// `npm run emulator`: starts the ModelArts + IAM + OBS emulator on loopback and prints how to reach it.
// The same bundle (dist/emulator.js) is also loaded as a library by demo mode, hence the exports.

export { DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID, DEFAULT_REGION, startEmulator } from './server';
export type { EmulatorCredentials, EmulatorOptions, FaultRule, RecordedRequest, RunningEmulator } from './server';
export type { EmulatedSshEndpoint } from './notebooks';

const USAGE = `Usage: node dist/emulator.js [--port N] [--iam-port N] [--obs-port N] [--seed demo|empty] [--jobs N] [--running-jobs N] [--running-notebooks N] [--time-scale X] [--ssh-endpoint ADDR] [--json]

  --port N          ModelArts port (default 0: any free port)
  --iam-port N      IAM port (default 0: any free port)
  --obs-port N      OBS port (default 0: any free port)
  --seed demo|empty demo data (default) or only the default workspace
  --jobs N          extra training jobs in workspace "0" (scale seed)
  --running-jobs N  training jobs in workspace "0" that stay Running (30 emulated days)
  --running-notebooks N  notebooks in workspace "0" that stay Running (no auto-stop)
  --time-scale X    emulated seconds per real second (default 1)
  --ssh-endpoint ADDR  [user@]host:port of an sshd that running notebooks' SSH endpoints name
                    (default ma-user@127.0.0.1:22)
  --json            print one JSON line with the endpoints, credentials and admin token, and nothing else`;

export interface CliOptions {
  emulator: EmulatorOptions;
  json: boolean;
  help: boolean;
}

export class UsageError extends Error {}

function integer(flag: string, raw: string | undefined, min: number, max: number): number {
  const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${flag} needs an integer from ${min} to ${max}, got ${raw ?? 'nothing'}`);
  return value;
}

/** Parses the command line; throws UsageError with a readable message. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const emulator: EmulatorOptions = {};
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        emulator.port = integer(flag, value(), 0, 65535);
        break;
      case '--iam-port':
        emulator.iamPort = integer(flag, value(), 0, 65535);
        break;
      case '--obs-port':
        emulator.obsPort = integer(flag, value(), 0, 65535);
        break;
      case '--seed': {
        const seed = value();
        if (seed !== 'demo' && seed !== 'empty') throw new UsageError(`--seed must be demo or empty, got ${seed ?? 'nothing'}`);
        emulator.seed = seed;
        break;
      }
      case '--jobs':
        emulator.jobs = integer(flag, value(), 0, 1_000_000);
        break;
      case '--running-jobs':
        emulator.runningJobs = integer(flag, value(), 0, 1_000);
        break;
      case '--running-notebooks':
        emulator.runningNotebooks = integer(flag, value(), 0, 1_000);
        break;
      case '--time-scale': {
        const raw = value();
        const scale = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
        if (!Number.isFinite(scale) || scale <= 0) throw new UsageError(`--time-scale needs a positive number, got ${raw ?? 'nothing'}`);
        emulator.timeScale = scale;
        break;
      }
      case '--ssh-endpoint': {
        const raw = value() ?? '';
        try {
          const { host, port, user } = parseSshUri(raw);
          emulator.sshEndpoint = user === undefined ? { host, port } : { host, port, user };
        } catch (error) {
          throw new UsageError(`--ssh-endpoint needs [user@]host:port: ${error instanceof Error ? error.message : String(error)}`);
        }
        break;
      }
      case '--json':
        if (inline !== undefined) throw new UsageError('--json takes no value');
        json = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown argument: ${arg}`);
    }
  }
  return { emulator, json, help };
}

export function readyLine(emu: RunningEmulator): string {
  const { endpoint, iamEndpoint, obsEndpoint, region, projectId, credentials, adminToken } = emu;
  return JSON.stringify({ endpoint, iamEndpoint, obsEndpoint, region, projectId, ...credentials, adminToken });
}

function summary(emu: RunningEmulator): string {
  const c = emu.credentials;
  return [
    'ModelArts emulator ready',
    `  ModelArts endpoint  ${emu.endpoint}`,
    `  IAM endpoint        ${emu.iamEndpoint}`,
    `  OBS endpoint        ${emu.obsEndpoint} (path-style; or obs.${emu.region}.myhuaweicloud.com resolved to it)`,
    `  region / project    ${emu.region} / ${emu.projectId}`,
    `  AK / SK             ${c.ak} / ${c.sk}`,
    `  user / password     ${c.username} / ${c.password} (account ${c.domain})`,
    `  admin route         ${emu.endpoint}/__admin/health`,
    `  admin token         X-Admin-Token: ${emu.adminToken ?? ''}`,
    'Press Ctrl+C to stop.',
  ].join('\n');
}

async function main(): Promise<void> {
  let cli: CliOptions;
  try {
    cli = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`emulator: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const emu = await startEmulator({
    ...cli.emulator,
    onError: (error) => process.stderr.write(`emulator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
  });
  process.stdout.write(`${cli.json ? readyLine(emu) : summary(emu)}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`emulator: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Runs only as the bundle's entry point, so tests and demo mode can load the module without starting a CLI.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
