import { type EmuJsonObject } from '../framework';
import { hash32, isObject, objectAt, stringAt } from '../familyKit';
import { badJson, badParam } from './params';
import type { JobDoc } from './records';
import { swrOrganization } from '../kit/swr';

// Save-image jobs of a training task: the request as documented (name and namespace required, tag defaulting
// to `latest`, a numeric tag taken as text), and a docker-build-like log that grows line by line while the
// status goes INIT -> CREATING -> ACTIVE | CREATE_FAILED on the clock.

/** Emulated timing of a save-image job, in ms. */
export const SAVE_IMAGE_TIMINGS = {
  /** The job stays INIT this long, then writes one build line every `lineMs`. */
  initMs: 2_000,
  lineMs: 1_500,
} as const;

const IMAGE_NAME_RE = /^[a-z0-9._-]{1,512}$/;
const IMAGE_TAG_RE = /^[A-Za-z0-9._-]{1,64}$/;
const SWR_HOST = 'swr.cn-north-4.myhuaweicloud.com';
/** A failing build fails after this many lines. */
const FAIL_AFTER_LINES = 6;

export interface EmuSaveImageRequest {
  name: string;
  namespace: string;
  tag: string;
  description: string;
}

export interface EmuSaveImageJob extends EmuSaveImageRequest {
  createTime: number;
  lines: string[];
  /** When set, the build fails with this reason after `FAIL_AFTER_LINES` lines. */
  failReason?: string;
}

/** Validates a save-image body; 400 names the field. */
export function parseSaveImageRequest(body: unknown): EmuSaveImageRequest {
  if (!isObject(body)) throw badJson();
  const name = body.name;
  if (typeof name !== 'string' || !IMAGE_NAME_RE.test(name)) {
    throw badParam('Invalid name: required, at most 512 characters: lowercase letters, digits, hyphens (-), underscores (_) and periods (.).');
  }
  const namespace = swrOrganization(body.namespace, badParam);
  // The seed manual sends `"tag": 0.1`; a number is taken as its decimal text.
  const rawTag = body.tag === undefined || body.tag === null || body.tag === '' ? 'latest' : body.tag;
  const tag = typeof rawTag === 'number' && Number.isFinite(rawTag) ? String(rawTag) : rawTag;
  if (typeof tag !== 'string' || !IMAGE_TAG_RE.test(tag)) {
    throw badParam('Invalid tag: at most 64 characters: letters, digits, hyphens (-), underscores (_) and periods (.).');
  }
  const description = body.description ?? '';
  if (typeof description !== 'string' || description.length > 512) {
    throw badParam('Invalid description: at most 512 characters.');
  }
  return { name, namespace, tag, description };
}

/** The build log of one save: deterministic, ending with the SWR path of the image. */
export function saveImageLines(doc: JobDoc, task: string, namespace: string, name: string, tag: string): string[] {
  const h = (n: number): string => (hash32(`${doc.metadata.id}/${task}/${name}/${tag}/${n}`) >>> 0).toString(16).padStart(8, '0');
  const image = `${SWR_HOST}/${namespace}/${name}:${tag}`;
  const engine = objectAt(doc.algorithm, 'engine');
  const base = (engine && (stringAt(engine, 'image_url') ?? stringAt(engine, 'engine_id'))) || 'atelier/base';
  return [
    `Saving the image of task ${task} of training job ${doc.metadata.name}`,
    `Step 1/5 : FROM ${SWR_HOST}/${base.includes('/') ? base : `atelier/${base}`}`,
    ` ---> ${h(1)}${h(2).slice(0, 4)}`,
    'Step 2/5 : COPY --chown=ma-user:ma-group user-job-dir /home/ma-user/modelarts/user-job-dir',
    ` ---> ${h(3)}${h(4).slice(0, 4)}`,
    'Step 3/5 : RUN pip freeze > /home/ma-user/requirements.txt',
    ` ---> Running in ${h(5)}${h(6).slice(0, 4)}`,
    `Step 4/5 : LABEL com.huaweicloud.modelarts.training-job=${doc.metadata.id}`,
    'Step 5/5 : USER ma-user',
    `Successfully built ${h(7)}${h(8).slice(0, 4)}`,
    `Successfully tagged ${image}`,
    `The push refers to repository [${SWR_HOST}/${namespace}/${name}]`,
    `${tag}: digest: sha256:${h(9)}${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}${h(16)} size: 2842`,
    `Image saved to SWR: ${image}`,
  ];
}

/** The save-image job as the API shows it at `now`. */
export function saveImageView(save: EmuSaveImageJob, now: number): EmuJsonObject {
  const elapsed = now - save.createTime;
  let status: string;
  let shown: string[];
  if (elapsed < SAVE_IMAGE_TIMINGS.initMs) {
    status = 'INIT';
    shown = [];
  } else {
    const lines = Math.floor((elapsed - SAVE_IMAGE_TIMINGS.initMs) / SAVE_IMAGE_TIMINGS.lineMs) + 1;
    if (save.failReason !== undefined && lines > FAIL_AFTER_LINES) {
      status = 'CREATE_FAILED';
      shown = [...save.lines.slice(0, FAIL_AFTER_LINES), `ERROR: ${save.failReason}`];
    } else if (lines >= save.lines.length) {
      status = 'ACTIVE';
      shown = save.lines;
    } else {
      status = 'CREATING';
      shown = save.lines.slice(0, lines);
    }
  }
  return {
    name: save.name,
    namespace: save.namespace,
    tag: save.tag,
    description: save.description,
    status,
    message: shown.join('\n'),
    create_time: save.createTime,
  };
}
