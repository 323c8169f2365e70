import type { FamilyOptions } from '../framework';
import { NotebooksFamilyImpl } from './family';
import type { NotebooksExtra, NotebooksFamily } from './records';

// Notebooks v1 with their images and flavors (/v1/{project_id}/notebooks…, /v1/{project_id}/images…): the
// family's public face. family.ts holds the routes and transitions, images.ts the images and flavors,
// params.ts what requests may say, views.ts the answers' shapes, seed.ts the seeded objects, states.ts the states.

export { parseDuration } from './params';
export {
  DEMO_NOTEBOOK_IDS,
  type EmulatedSshEndpoint,
  MAX_DURATION_MS,
  MIN_DURATION_MS,
  NOTEBOOK_TIMINGS,
  type NotebooksExtra,
  type NotebooksFamily,
  SEED_IMAGE_ID,
  SEED_NOTEBOOK_ID,
} from './records';
export { type EmuNotebookStatus, NOTEBOOK_IMAGE_STATES, NOTEBOOK_STATES, EMU_NOTEBOOK_STATUSES } from './states';

export function createNotebooksFamily(opts: FamilyOptions, extra: NotebooksExtra = {}): NotebooksFamily {
  return new NotebooksFamilyImpl(opts, extra);
}
