import type { ObsStore } from './store';

// The demo's OBS: buckets in the demo region (and one in another) holding the seeded training jobs' code, data,
// outputs and logs, and every object the manual's examples and the seeded jobs and workflows name (such as
// `/test/moxingtest-code/` and `obs://test/economic_test/py_minist/`), so their requests work as written.

/** The region of the bucket seeded outside the demo region. */
export const OTHER_SEED_REGION = 'cn-east-3';

/** The seeded training jobs whose code is `/demo-bucket/<name>/code/train.py` (training/seed.ts). */
export const SEEDED_CODE_JOBS = [
  'pytorch-mnist-long-run', 'gpt2-lora-stopped', 'unet-segmentation', 'yolov5-detect-queued', 'cpu-feature-extract',
  'vision-cls-efficientnet', 'vision-det-fasterrcnn', 'vision-seg-deeplab-fail', 'vision-augment', 'nlp-llama-sft',
  'nlp-tokenizer-build', 'nlp-distill-stopping', 'nlp-ner-pending',
];

/** The seeded workflows whose storage is `obs://demo-bucket/workflows/<name>/` (workflows/seed.ts). */
const SEEDED_WORKFLOWS = ['train-and-deploy', 'nlp-finetune-pipeline', 'batch-inference-daily', 'data-labeling-flow'];

/** A small training script: what the demo's jobs run and what a new job's log starts with. */
export function trainScript(name: string): string {
  return [
    `# ${name}: a small PyTorch training script (ModelArts Explorer demo)`,
    'import argparse',
    'import torch',
    '',
    'def main():',
    '    parser = argparse.ArgumentParser()',
    "    parser.add_argument('--data_url', default='/home/ma-user/modelarts/inputs/data_url_0')",
    "    parser.add_argument('--train_url', default='/home/ma-user/modelarts/outputs/train_url_0')",
    "    parser.add_argument('--epochs', type=int, default=10)",
    '    args = parser.parse_args()',
    "    print(f'training for {args.epochs} epochs on {args.data_url}')",
    '',
    "if __name__ == '__main__':",
    '    main()',
    '',
  ].join('\n');
}

const CSV = 'label,pixel0,pixel1,pixel2,pixel3\n5,0,0,12,255\n0,0,3,200,14\n4,1,0,0,96\n';
const TEXT = 'text/plain';
const PY = 'text/x-python';

function logLines(name: string): string {
  return [
    `[ModelArts Service Log]INFO: initializing the training environment for ${name}`,
    '[ModelArts Service Log]INFO: code download completed',
    'epoch 1/10 loss=2.301 acc=0.112',
    'epoch 10/10 loss=0.087 acc=0.975',
    '[ModelArts Service Log]INFO: training completed, exit code 0',
    '',
  ].join('\n');
}

/** Seeds the demo buckets, each object written at `now`. */
export function seedObs(store: ObsStore, region: string, now: number): void {
  const put = (bucket: string, key: string, body: string | Buffer, type = 'application/octet-stream'): void => store.seedObject(bucket, key, body, now, type);
  for (const name of ['demo-bucket', 'test', 'cn-north-4-rse', 'test-crq', 'cn-north-4-training-test']) store.createBucket(name, region, now);
  store.createBucket('demo-archive-east', OTHER_SEED_REGION, now);

  put('demo-bucket', 'README.txt', 'Demo bucket of ModelArts Explorer: training code, data, outputs and logs.\n', TEXT);
  put('demo-bucket', 'algorithms/resnet50/train.py', trainScript('resnet50'), PY);
  put('demo-bucket', 'algorithms/bert/run_classifier.py', trainScript('bert run_classifier'), PY);
  for (const job of SEEDED_CODE_JOBS) {
    put('demo-bucket', `${job}/code/train.py`, trainScript(job), PY);
    put('demo-bucket', `${job}/code/requirements.txt`, 'torch>=1.8\nnumpy\n', TEXT);
    put('demo-bucket', `${job}/data/train.csv`, CSV, 'text/csv');
    put('demo-bucket', `${job}/output/`, '');
    put('demo-bucket', `${job}/logs/worker-0.log`, logLines(job), TEXT);
  }
  put('demo-bucket', 'pytorch-mnist-long-run/output/model.pth', Buffer.alloc(2048, 7));
  put('demo-bucket', 'pytorch-mnist-long-run/output/metrics.json', '{"accuracy": 0.975, "loss": 0.087}\n', 'application/json');
  for (const workflow of SEEDED_WORKFLOWS) put('demo-bucket', `workflows/${workflow}/`, '');
  put('demo-bucket', 'train-and-deploy/output/', '');

  // The manual's examples, as written.
  put('test', 'moxingtest-code/test_obs_gpu.py', trainScript('test_obs_gpu'), PY);
  put('test', 'economic_test/py_minist/minist_common.py', trainScript('minist_common'), PY);
  put('test', 'data/py_minist/train.csv', CSV, 'text/csv');
  put('test', 'train_output/', '');
  put('cn-north-4-rse', 'test/moxingtest-code/test_obs_gpu.py', trainScript('test_obs_gpu'), PY);
  put('cn-north-4-rse', 'test/moxingtest/data.csv', CSV, 'text/csv');
  put('cn-north-4-rse', 'test/moxingtest-dir/', '');
  put('test-crq', 'train_output/', '');
  put('cn-north-4-training-test', 'limou/ddp-demo-log/worker-0.log', logLines('ddp-demo'), TEXT);

  put('demo-archive-east', 'datasets/mnist/train.csv', CSV, 'text/csv');
  put('demo-archive-east', 'logs/2025/archived-run.log', logLines('archived-run'), TEXT);
}
