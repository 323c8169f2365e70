// Idle requests over 5 virtual minutes (ManualClock): the demo workspaces and all their lists are expanded
// and polled (positive control), then collapsed so nothing transitional is in view, then 5 minutes pass.

import { startExplorerRig } from '../test/unit/helpers/explorerRig';
import { emit, run } from './lib';

const FIVE_MINUTES = 5 * 60_000;

run(async () => {
  const rig = await startExplorerRig({ emulator: { seed: 'demo' }, pageSize: 20 });
  try {
    const workspaces = await rig.model.children(undefined);
    let listRows = 0;
    for (const ws of workspaces) {
      for (const group of await rig.model.children(ws)) listRows += (await rig.model.children(group)).length;
    }
    await rig.model.idle();
    const expanded = rig.mark();
    await rig.runFor(30_000, 5_000);
    const whileExpanded = rig.servedSince(expanded).length;
    for (const ws of workspaces) rig.model.setExpanded(ws, false);
    // Let whatever was in flight when collapsing finish before counting.
    await rig.runFor(10_000, 5_000);
    const idle = rig.mark();
    await rig.runFor(FIVE_MINUTES, 5_000);
    const sent = rig.servedSince(idle);
    emit({ workspaces: workspaces.length, listRows, requestsIn30sExpanded: whileExpanded, idleRequests: sent.length, idleSent: sent.slice(0, 10), timersPending: rig.clock.pending });
  } finally {
    await rig.close();
  }
});
