import type { FamilyOptions } from '../framework';
import { WorkspacesFamilyImpl } from './family';
import type { WorkspacesFamily } from './records';

// Workspaces and their quotas (/v1/{project_id}/workspaces…): the family's public face. family.ts holds the
// routes, params.ts what requests may say, seed.ts the seeded workspaces and quotas, states.ts the states.

export { type EmuWorkspaceGrant, type QuotaRecord, WORKSPACE_DELETE_MS, type WorkspacesFamily } from './records';
export { WORKSPACE_STATES } from './states';

export function createWorkspacesFamily(opts: FamilyOptions): WorkspacesFamily {
  return new WorkspacesFamilyImpl(opts);
}
