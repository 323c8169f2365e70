// The ModelArts client as the extension uses it: one connection and a typed API per resource.
import { AppsApi } from './apps';
import { systemClock } from './clock';
import { createConnection, type Connection, type ConnectionOptions } from './connection';
import { NotebooksApi } from './notebooks';
import { defaultObsEndpoint, type ObsAccess } from './obs/access';
import { obsCredentialSource } from './obs/credentials';
import { TrainingJobsApi } from './trainingJobs';
import { WorkflowsApi } from './workflows';
import { WorkspacesApi } from './workspaces';

export interface ModelArtsClient {
  readonly connection: Connection;
  readonly workspaces: WorkspacesApi;
  readonly trainingJobs: TrainingJobsApi;
  readonly notebooks: NotebooksApi;
  readonly workflows: WorkflowsApi;
  readonly apps: AppsApi;
  /** Where and how to reach OBS; the OBS client itself loads with the features that use it. */
  readonly obs: ObsAccess;
  dispose(): void;
}

export function createClient(options: ConnectionOptions): ModelArtsClient {
  const connection = createConnection(options);
  const projectId = (): Promise<string> => connection.projectId();
  return {
    connection,
    workspaces: new WorkspacesApi(connection.http, projectId),
    trainingJobs: new TrainingJobsApi(connection.http, projectId),
    notebooks: new NotebooksApi(connection.http, projectId),
    workflows: new WorkflowsApi(connection.http, projectId),
    apps: new AppsApi(connection.http, projectId),
    obs: {
      endpoint: options.obsEndpoint || defaultObsEndpoint(options.region),
      region: options.region,
      credentials: obsCredentialSource(options.credentials, { http: connection.http, clock: options.clock ?? systemClock, redactor: connection.redactor }),
    },
    dispose: () => connection.dispose(),
  };
}

/** ModelArts endpoint of a region, as the official SDKs map it (ap-southeast-1 is under `.cn`). */
export function defaultEndpoint(region: string): string {
  const tld = region === 'ap-southeast-1' ? 'myhuaweicloud.cn' : 'myhuaweicloud.com';
  return `https://modelarts.${region}.${tld}`;
}

export function defaultIamEndpoint(region: string): string {
  return `https://iam.${region}.myhuaweicloud.com`;
}
