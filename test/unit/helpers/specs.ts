import { templateSpec } from '../../../src/commands/specs/spec';

/** The template with its image placeholders filled in, as a user would before submitting it. */
export function runnableSpec(name: string): Record<string, unknown> {
  const spec = templateSpec(name);
  (spec.algorithm as { engine: { image_url: string } }).engine.image_url = 'swr.cn-north-4.myhuaweicloud.com/demo-org/train:1.0';
  return spec;
}
