// The subscription commands of a workflow row (and the palette, which asks for the workflow): create from
// typed topic URNs and picked events, show as a read-only details document, update with the current values
// filled in, delete after a modal confirmation. One module each; the checks and choices live in subscriptions.ts.

import type { CommandSpec } from '../registry';
import { createSubscriptionCommand } from './createSubscription';
import { deleteSubscriptionCommand } from './deleteSubscription';
import { showSubscriptionCommand } from './showSubscription';
import type { SubscriptionCommandDeps } from './subscriptionTargets';
import { updateSubscriptionCommand } from './updateSubscription';

export function createSubscriptionCommands(deps: SubscriptionCommandDeps): CommandSpec[] {
  return [createSubscriptionCommand(deps), showSubscriptionCommand(deps), updateSubscriptionCommand(deps), deleteSubscriptionCommand(deps)];
}
