// Every command id the extension registers, one constant each: the command table, the tree rows, menus' ids in
// package.json (a unit test compares them) and the code that runs a command by id all name them from here. No
// imports: the tree and the commands both read it.

export const COMMAND = {
  signIn: 'modelarts.signIn',
  signOut: 'modelarts.signOut',
  profileSwitch: 'modelarts.profile.switch',
  demoStart: 'modelarts.demo.start',
  demoStop: 'modelarts.demo.stop',
  explorerRefresh: 'modelarts.explorer.refresh',
  explorerFilterByName: 'modelarts.explorer.filterByName',
  explorerFilterByStatus: 'modelarts.explorer.filterByStatus',
  explorerLoadMore: 'modelarts.explorer.loadMore',
  resourceShowDetails: 'modelarts.resource.showDetails',
  resourceOpenInConsole: 'modelarts.resource.openInConsole',
  resourceCopyId: 'modelarts.resource.copyId',
  resourceCopyName: 'modelarts.resource.copyName',
  notebookStart: 'modelarts.notebook.start',
  notebookStop: 'modelarts.notebook.stop',
  notebookExtendLease: 'modelarts.notebook.extendLease',
  notebookOpenInBrowser: 'modelarts.notebook.openInBrowser',
  notebookConnectSsh: 'modelarts.notebook.connectSsh',
  notebookCopySshCommand: 'modelarts.notebook.copySshCommand',
  trainingJobNewSpec: 'modelarts.trainingJob.newSpec',
  trainingJobSubmit: 'modelarts.trainingJob.submit',
  trainingJobExportSpec: 'modelarts.trainingJob.exportSpec',
  trainingJobClone: 'modelarts.trainingJob.clone',
  trainingJobSaveImage: 'modelarts.trainingJob.saveImage',
  trainingJobFollowLogs: 'modelarts.trainingJob.followLogs',
  trainingJobStopFollowing: 'modelarts.trainingJob.stopFollowing',
  trainingJobShowEvents: 'modelarts.trainingJob.showEvents',
  trainingJobStop: 'modelarts.trainingJob.stop',
  trainingJobAddTag: 'modelarts.trainingJob.addTag',
  trainingJobRemoveTag: 'modelarts.trainingJob.removeTag',
  executionStreamEvents: 'modelarts.execution.streamEvents',
  executionStop: 'modelarts.execution.stop',
  executionRerun: 'modelarts.execution.rerun',
  stepStop: 'modelarts.step.stop',
  stepRetry: 'modelarts.step.retry',
  stepContinue: 'modelarts.step.continue',
  subscriptionCreate: 'modelarts.subscription.create',
  subscriptionShow: 'modelarts.subscription.show',
  subscriptionUpdate: 'modelarts.subscription.update',
  subscriptionDelete: 'modelarts.subscription.delete',
  workspaceUpdateQuota: 'modelarts.workspace.updateQuota',
  appCreate: 'modelarts.app.create',
  /** Internal (no palette entry): shows the ModelArts log from an error row. */
  explorerShowLog: 'modelarts.explorer.showLog',
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];

/** Registered but not contributed: run by the tree, never from the palette. */
export const INTERNAL_COMMANDS: readonly CommandId[] = [COMMAND.explorerShowLog];
