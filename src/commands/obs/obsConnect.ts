// The OBS client of a session: where OBS is and how to sign come from the session's ModelArts client; the
// client logs through the extension's log and teaches its redactor every credential it uses.

import type { Logger } from '../../api/log';
import { createObsClient } from '../../api/obs/client';
import type { ObsClient } from '../../api/obs/types';
import type { Redactor } from '../../api/redact';
import type { ActiveSession } from '../../common/session';

export function connectObs(session: ActiveSession, log: Logger, redactor: Redactor): ObsClient {
  return createObsClient({ ...session.client.obs, log, redactor });
}
