// A step execution (`model_step  Completed`): a leaf read through its execution.

import type * as vscode from 'vscode';
import type { StepExecution } from '../../api/types';
import type { PollTarget } from '../../watch/poller';
import { nodeIds } from '../ids';
import { statusLook } from '../status';
import { stateWord } from '../../common/stateWords';
import { stepTooltip } from '../text';
import type { ExecutionNode } from './executionNode';
import { displayName, hasProblems, problemsAccessibilityLabel, resourceContext, rowIcon } from './look';
import { BaseNode, ROW_COMMANDS, type NodeView, type ResourceInfo, type ResourceNode, type TreeContext } from './node';

export class StepNode extends BaseNode implements ResourceNode {
  item: StepExecution = { uuid: '', step_name: '', events: [] };

  constructor(
    readonly execution: ExecutionNode,
    ctx: TreeContext,
    uuid: string | undefined,
    index: number,
  ) {
    super(
      uuid === undefined
        ? nodeIds.message(execution.id, `step${index}`)
        : nodeIds.step(ctx.session.profile, execution.workflow.workspaceId, execution.workflow.key, execution.key, uuid),
      execution,
      ctx,
    );
  }

  get transitional(): boolean {
    return statusLook('step', this.item.status).transitional;
  }

  get resource(): ResourceInfo {
    const step = this.item;
    const workflowId = this.execution.workflow.key;
    return {
      kind: 'step',
      id: step.uuid,
      name: step.step_name,
      console: { kind: 'workflows' },
      details: { kind: 'step', workflowId, executionId: this.execution.key, stepId: step.uuid },
    };
  }

  view(): NodeView {
    const step = this.item;
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const label = displayName(step.step_name, step.uuid, l10n);
    const description = stateWord('step', step.status, l10n);
    return {
      id: this.id,
      label,
      description,
      accessibilityLabel: problemsAccessibilityLabel(label, description, step, l10n),
      tooltip: stepTooltip(step, l10n),
      icon: rowIcon('step', step.status, step),
      contextValue: resourceContext('step', step.status, { refreshable: false, malformed: hasProblems(step) }),
      collapsible: 'none',
      command: { command: ROW_COMMANDS.showDetails, title: l10n.t('Show Details'), arguments: [this] },
    };
  }

  pollTarget(): PollTarget {
    return this.execution.pollTarget();
  }

  reload(): Promise<void> {
    return this.execution.reload();
  }
}
