// The workflow family (workflows v2): its public face. family.ts holds the routes, store.ts the workflows and
// executions, run.ts the execution state machine, params.ts what requests may say, seed.ts the seeded
// workflows, states.ts the states.

export { createWorkflowsFamily } from './family';
export { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from './params';
export type { EmuExecutionStatus, EmuStepStatus, ExecutionDoc, StepDoc, SubscriptionDoc, WorkflowDoc, WorkflowsFamily } from './records';
export { WORKFLOW_TIMINGS } from './run';
export { WORKFLOW_EXECUTION_STATES, WORKFLOW_STEP_STATES } from './states';
