// The OBS client of a session. Until the client (src/api/obs/client.ts) is part of the build, every request
// fails with one clear message, shown where the data would be.

import type { Logger } from '../../api/log';
import type { ObsClient } from '../../api/obs/types';
import type { Redactor } from '../../api/redact';
import type { ActiveSession } from '../../common/session';

export function connectObs(_session: ActiveSession, _log: Logger, _redactor: Redactor): ObsClient {
  const missing = (): Promise<never> => Promise.reject(new Error('The OBS client is not part of this build yet.'));
  return new Proxy({} as ObsClient, { get: (_target, name) => (name === 'dispose' ? () => undefined : missing) });
}
