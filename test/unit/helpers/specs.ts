import { parse } from 'yaml';
import { templateSpec } from '../../../src/commands/specs/spec';

/** The template with its image placeholders filled in, as a user would before submitting it. */
export function runnableSpec(name: string): Record<string, unknown> {
  const spec = templateSpec(name);
  (spec.algorithm as { engine: { image_url: string } }).engine.image_url = 'swr.cn-north-4.myhuaweicloud.com/demo-org/train:1.0';
  return spec;
}

/** A run configuration (.modelarts/run.modelarts-job.yaml) as a user writes it. */
export const RUN_CONFIGURATION = `kind: job
metadata:
  name: my-project
  workspace_id: "0"
algorithm:
  engine: { engine_name: PyTorch, engine_version: pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64 }
  boot_file: train.py
  parameters:
    - { name: epochs, value: "10" }
  outputs:
    - name: model
      remote: { obs: { obs_url: obs://my-bucket/modelarts-runs/my-project/output/ } }
spec:
  resource: { flavor_id: modelarts.vm.cpu.2u, node_count: 1 }
code:
  folder: .
  obs: obs://my-bucket/modelarts-runs/my-project/code/
  exclude: ["data/", "*.ckpt"]
`;

/** The run configuration above as a value. */
export function runConfigurationSpec(): Record<string, unknown> {
  return parse(RUN_CONFIGURATION) as Record<string, unknown>;
}
