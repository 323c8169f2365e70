// The training-job family (training jobs v2): its public face. family.ts holds the routes, lifecycle.ts the jobs
// on the clock, params.ts what requests may say, create.ts the job a create body makes, logs.ts the task logs,
// saveImage.ts the save-image jobs, catalog.ts and seed.ts the data, states.ts the phases.

export { createTrainingFamily } from './family';
export { MAX_TAGS_PER_JOB, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from './params';
export {
  EVENTS_DEFAULT_LIMIT,
  type EmuRunningRecord,
  type EventLevel,
  type Fate,
  JOB_NUM_QUOTA,
  type JobDoc,
  type JobEvent,
  type JobPlan,
  type JobStatusDoc,
  type Phase,
  type Tag,
  TRAINING_TIMINGS,
  type TrainingFamily,
} from './records';
export { SAVE_IMAGE_STATES, TRAINING_PHASE_STATES } from './states';
