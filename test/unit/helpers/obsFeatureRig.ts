import { commandsSeen, shown } from './vscodeStandIn';
import { recorded } from './obsStandIn';
import type * as vscode from 'vscode';
import { MemoryLogger } from '../../../src/api/log';
import { createRedactor } from '../../../src/api/redact';
import type { TrainingJob } from '../../../src/api/types';
import type { ActionDeps } from '../../../src/commands/actionDeps';
import { createObsFeature, type ObsFeature, type ObsNode } from '../../../src/commands/obs/obsFeature';
import type { ActiveSession } from '../../../src/common/session';
import { renderTreeItem } from '../../../src/explorer/treeProvider';
import { type FakeObs } from './fakeObsClient';
import type { ObsClient } from '../../../src/api/obs/types';

// The OBS feature as the extension loads it, in plain Node, on the stand-in of obsStandIn.ts.

export { recorded } from './obsStandIn';

export interface FeatureRig {
  obs: FakeObs;
  feature: ObsFeature;
  session: ActiveSession;
  log: MemoryLogger;
  /** What the view was asked to reveal: node ids. */
  revealed: string[];
  changes: Array<ObsNode | undefined>;
  view: vscode.TreeView<ObsNode>;
  /** The row of `parent` (undefined: a bucket) labelled `label`. */
  row: (parent: ObsNode | undefined, label: string) => Promise<ObsNode>;
}

export function startFeatureRig(obs: FakeObs, options: { jobs?: TrainingJob[]; demo?: boolean; client?: ObsClient } = {}): FeatureRig {
  shown.clear();
  commandsSeen.clear();
  recorded.clear();
  const log = new MemoryLogger();
  const revealed: string[] = [];
  const changes: Array<ObsNode | undefined> = [];
  const trainingJobs = {
    get: (id: string) => {
      const job = options.jobs?.find((j) => j.metadata.id === id);
      return job ? Promise.resolve(job) : Promise.reject(new Error(`no job ${id}`));
    },
  };
  const session = { profile: 'work', region: 'cn-north-4', demo: options.demo ?? false, client: { trainingJobs }, serviceClock: undefined } as unknown as ActiveSession;
  const deps = { sessions: { current: session, onDidChange: () => ({ dispose: () => undefined }) }, log, redactor: createRedactor() } as unknown as ActionDeps;
  const view = {
    selection: [] as ObsNode[],
    description: undefined as string | undefined,
    message: undefined as string | undefined,
    reveal: (node: ObsNode) => {
      revealed.push(node.id);
      return Promise.resolve();
    },
  } as unknown as vscode.TreeView<ObsNode>;
  const feature = createObsFeature({ deps, view, changed: (node) => changes.push(node), render: renderTreeItem }, { clientFor: () => options.client ?? obs });
  const row = async (parent: ObsNode | undefined, label: string): Promise<ObsNode> => {
    const rows = parent ? await parent.getChildren!() : await feature.getChildren(undefined);
    const found = rows.find((n) => n.view().label === label);
    if (!found) throw new Error(`no row ${label} among ${rows.map((n) => n.view().label).join(', ')}`);
    return found;
  };
  return { obs, feature, session, log, revealed, changes, view, row };
}
