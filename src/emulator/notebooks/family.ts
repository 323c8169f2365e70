import { ApiFailure, type EmuRequest, type EmuResponse, type FamilyOptions, type Router, intQuery, invalidParam, newUuid, objectBody, queryValue } from '../framework';
import { text } from '../familyKit';
import { compareBy, pageShape, sortDir } from '../kit/paging';
import { workspaceIdParam } from '../kit/params';
import { NotebookImages } from './images';
import { checkDescription, checkName, leaseFor, leaseJson, notFound, parseCreateImage, parseDuration, parseEndpoints, parseLeaseType, parseTags, parseVolume } from './params';
import {
  DEFAULT_DURATION_MS,
  type EmulatedSshEndpoint,
  type FlavorRecord,
  type ImageRecord,
  MAX_NOTEBOOKS,
  MAX_TAGS,
  NOTEBOOK_TIMINGS,
  type NotebookRecord,
  type NotebooksExtra,
  type NotebooksFamily,
} from './records';
import { seedFlavors, seedImages, seedNotebooks } from './seed';
import { EMU_NOTEBOOK_STATUSES } from './states';
import { imageJson, imageRef, notebookJson } from './views';

// Notebooks v1 (/v1/{project_id}/notebooks…): create, update, start, stop, delete, leases, tags and
// save-as-image, each moving the instance through its states on the emulator's clock.

type Transition = { at: number; to: string };

export class NotebooksFamilyImpl implements NotebooksFamily {
  private readonly notebooks = new Map<string, NotebookRecord>();
  private readonly images: NotebookImages;
  private readonly region: string;
  private readonly swr: string;
  private sshEndpoint: EmulatedSshEndpoint | undefined;

  constructor(
    private readonly opts: FamilyOptions,
    private readonly extra: NotebooksExtra = {},
  ) {
    this.region = extra.region ?? 'cn-north-4';
    this.swr = `swr.${this.region}.myhuaweicloud.com`;
    this.sshEndpoint = extra.sshEndpoint;
    const ctx = { opts, start: opts.clock.now(), swr: this.swr, urlFor: (id: string) => this.urlFor(id), tokenOf: (v: string) => this.tokenOf(v) };
    const images = seedImages(ctx);
    this.images = new NotebookImages(images, seedFlavors());
    const byId = new Map(images.map((img) => [img.id, img]));
    for (const nb of seedNotebooks(ctx, byId)) this.notebooks.set(nb.id, nb);
  }

  // ---- ResourceFamily ----

  register(router: Router): void {
    const nb = '/v1/{project_id}/notebooks';
    router
      .add('GET', nb, (r) => this.list(r, false))
      .add('POST', nb, (r) => this.create(r))
      .add('GET', `${nb}/all`, (r) => this.list(r, true))
      .add('GET', `${nb}/tags`, (r) => this.listTags(r))
      .add('GET', `${nb}/{id}`, (r) => ({ status: 200, body: this.view(this.find(r.params.id)) }))
      .add('PUT', `${nb}/{id}`, (r) => this.update(r))
      .add('DELETE', `${nb}/{id}`, (r) => this.remove(r))
      .add('POST', `${nb}/{id}/start`, (r) => this.start(r))
      .add('POST', `${nb}/{id}/stop`, (r) => this.stop(r))
      .add('GET', `${nb}/{id}/lease`, (r) => ({ status: 200, body: leaseJson(this.find(r.params.id).lease) }))
      .add('PATCH', `${nb}/{id}/lease`, (r) => this.renewLease(r))
      .add('POST', `${nb}/{id}/create-image`, (r) => this.createImage(r))
      .add('POST', `${nb}/{resource_id}/tags/create`, (r) => this.createTags(r))
      .add('DELETE', `${nb}/{resource_id}/tags/delete`, (r) => this.deleteTags(r));
    this.images.register(router, (id) => this.find(id));
  }

  advance(now: number): void {
    for (const nb of [...this.notebooks.values()]) {
      for (let step = 0; step < 10; step++) {
        const next = this.due(nb);
        if (!next || next.at > now) break;
        this.applyTransition(nb, next.at, next.to);
        if (!this.notebooks.has(nb.id)) break;
      }
    }
    this.images.advance(now);
  }

  // ---- test helpers ----

  failNextStart(id: string, reason?: string): boolean {
    const nb = this.notebooks.get(id);
    if (!nb) return false;
    nb.failNext = reason ?? 'Failed to start the instance: insufficient resources in the pool. Retry later or choose another flavor.';
    return true;
  }

  statusOf(id: string): string | undefined {
    return this.notebooks.get(id)?.status;
  }

  setSshEndpoint(endpoint: EmulatedSshEndpoint | undefined): void {
    this.sshEndpoint = endpoint;
  }

  // ---- handlers ----

  private list(request: EmuRequest, all: boolean): EmuResponse {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 10, 1, 1000);
    const dir = sortDir(request);
    const sortKeys = (queryValue(request, 'sort_key') || 'create_at').split(',').map((k) => k.trim()).filter(Boolean);
    const allowed: Record<string, (nb: NotebookRecord) => string | number> = {
      create_at: (nb) => nb.create_at,
      update_at: (nb) => nb.update_at,
      name: (nb) => nb.name,
      status: (nb) => nb.status,
      flavor: (nb) => nb.flavor,
      id: (nb) => nb.id,
    };
    for (const key of sortKeys) {
      if (!allowed[key]) throw new ApiFailure(400, 'ModelArts.6303', `Invalid sort field: ${key}; use one of ${Object.keys(allowed).join(', ')}.`);
    }
    const status = queryValue(request, 'status');
    if (status && !(EMU_NOTEBOOK_STATUSES as readonly string[]).includes(status)) throw invalidParam(`Invalid status: ${status}.`);
    const name = queryValue(request, 'name')?.toLowerCase();
    if (name !== undefined && name.length > 128) throw invalidParam('name must be at most 128 characters.');
    const workspaceId = queryValue(request, 'workspace_id') || queryValue(request, 'workspaceId');
    const feature = (queryValue(request, 'feature') || 'NOTEBOOK').toUpperCase();
    const flavorFilter = queryValue(request, 'flavor');
    const imageFilter = queryValue(request, 'image_id');
    const idFilter = queryValue(request, 'id');
    const items = [...this.notebooks.values()]
      .filter(
        (nb) =>
          (all || nb.owner.id === this.opts.userId) &&
          nb.feature === feature &&
          (!status || nb.status === status) &&
          (!name || nb.name.toLowerCase().includes(name)) &&
          (!workspaceId || nb.workspace_id === workspaceId) &&
          (!flavorFilter || nb.flavor === flavorFilter) &&
          (!imageFilter || nb.image.id === imageFilter) &&
          (!idFilter || nb.id === idFilter),
      )
      .sort(compareBy(sortKeys.map((k) => allowed[k]), dir));
    const page = pageShape(items, offset, limit);
    page.data = (page.data as NotebookRecord[]).map((nb) => this.view(nb));
    return { status: 200, body: page };
  }

  private create(request: EmuRequest): EmuResponse {
    const body = objectBody(request);
    const name = checkName(body.name);
    const description = checkDescription(body.description);
    if (typeof body.image_id !== 'string' || body.image_id === '') throw invalidParam('image_id is required.');
    const img = this.images.get(body.image_id);
    if (!img) throw invalidParam(`The image ${body.image_id} does not exist.`);
    const volume = parseVolume(body.volume);
    const flavorId = body.flavor === undefined ? 'modelarts.vm.cpu.2u' : body.flavor;
    if (typeof flavorId !== 'string' || !this.images.findFlavor(flavorId)) throw invalidParam(`The flavor ${text(flavorId)} does not exist.`);
    const feature = body.feature === undefined ? 'NOTEBOOK' : text(body.feature).toUpperCase();
    if (feature !== 'NOTEBOOK' && feature !== 'DEFAULT') throw invalidParam('feature must be NOTEBOOK or DEFAULT.');
    const workspaceId = workspaceIdParam(body.workspace_id, this.extra.workspaceExists);
    const leaseBody = (typeof body.lease === 'object' && body.lease !== null ? body.lease : {}) as Record<string, unknown>;
    const rawDuration = body.duration ?? leaseBody.duration;
    const duration = rawDuration === undefined ? DEFAULT_DURATION_MS : parseDuration(rawDuration);
    const type = parseLeaseType(leaseBody.type);
    const endpoints = parseEndpoints(body.endpoints);
    const own = [...this.notebooks.values()].filter((nb) => nb.owner.id === this.opts.userId).length;
    if (own >= MAX_NOTEBOOKS) throw new ApiFailure(400, 'ModelArts.6302', `The number of notebook instances has reached the limit (${MAX_NOTEBOOKS}).`);
    const id = newUuid();
    const nb: NotebookRecord = {
      id,
      name,
      description,
      status: 'CREATING',
      feature,
      flavor: flavorId,
      workspace_id: workspaceId,
      url: this.urlFor(id),
      token: this.tokenOf(newUuid()),
      image: imageRef(img),
      lease: leaseFor(request.now, request.now, duration, type),
      volume,
      endpoints,
      tags: [],
      owner: { id: this.opts.userId, name: this.opts.userName },
      create_at: request.now,
      update_at: request.now,
      origin: 'create',
      next: { at: request.now + NOTEBOOK_TIMINGS.createMs, to: 'STARTING' },
    };
    this.notebooks.set(id, nb);
    return { status: 200, body: this.view(nb) };
  }

  private update(request: EmuRequest): EmuResponse {
    const nb = this.find(request.params.id);
    const body = objectBody(request);
    const name = body.name === undefined ? undefined : checkName(body.name);
    const description = body.description === undefined ? undefined : checkDescription(body.description);
    const flavorId = body.flavor;
    const imageId = body.image_id;
    const needsStopped = (flavorId !== undefined && flavorId !== nb.flavor) || (imageId !== undefined && imageId !== nb.image.id);
    if (needsStopped && nb.status !== 'STOPPED') {
      throw new ApiFailure(400, 'ModelArts.6357', `The instance is ${nb.status}; stop it before changing its flavor or image.`);
    }
    let newFlavor: FlavorRecord | undefined;
    if (flavorId !== undefined) {
      newFlavor = typeof flavorId === 'string' ? this.images.findFlavor(flavorId) : undefined;
      if (!newFlavor) throw invalidParam(`The flavor ${text(flavorId)} does not exist.`);
      if (newFlavor.arch !== this.images.findFlavor(nb.flavor)?.arch) throw invalidParam(`The flavor ${newFlavor.id} cannot replace ${nb.flavor}: a different architecture.`);
    }
    let newImage: ImageRecord | undefined;
    if (imageId !== undefined) {
      newImage = typeof imageId === 'string' ? this.images.get(imageId) : undefined;
      if (!newImage) throw invalidParam(`The image ${text(imageId)} does not exist.`);
    }
    if (body.storage_new_size !== undefined) {
      const size = body.storage_new_size;
      const current = typeof nb.volume.capacity === 'number' ? nb.volume.capacity : 0;
      if (nb.volume.category !== 'EVS') throw invalidParam('storage_new_size applies to EVS volumes only.');
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= current || size > 4096) {
        throw invalidParam(`storage_new_size must be an integer greater than ${current} and at most 4096 (GB).`);
      }
      nb.volume.capacity = size;
    }
    if (name !== undefined) nb.name = name;
    if (description !== undefined) nb.description = description;
    if (newFlavor) nb.flavor = newFlavor.id;
    if (newImage) nb.image = imageRef(newImage);
    if (body.endpoints !== undefined) nb.endpoints = parseEndpoints(body.endpoints);
    nb.update_at = request.now;
    return { status: 200, body: this.view(nb) };
  }

  private remove(request: EmuRequest): EmuResponse {
    const nb = this.find(request.params.id);
    if (nb.status === 'DELETING') throw new ApiFailure(400, 'ModelArts.6357', 'The instance is already DELETING.');
    // Running instances may be deleted directly, as Terraform does.
    nb.status = 'DELETING';
    nb.update_at = request.now;
    nb.next = { at: request.now + NOTEBOOK_TIMINGS.deleteMs, to: 'GONE' };
    return { status: 200, body: this.view(nb) };
  }

  private start(request: EmuRequest): EmuResponse {
    const nb = this.find(request.params.id);
    if (nb.status === 'RUNNING') throw new ApiFailure(400, 'ModelArts.6305', `The instance ${nb.id} is already running.`);
    if (nb.status === 'STARTING') throw new ApiFailure(400, 'ModelArts.6306', `The instance ${nb.id} is starting.`);
    if (nb.status !== 'STOPPED' && nb.status !== 'START_FAILED') {
      throw new ApiFailure(400, 'ModelArts.6357', `The instance is ${nb.status}; only a STOPPED or START_FAILED instance can be started.`);
    }
    const rawDuration = queryValue(request, 'duration');
    const duration = rawDuration === undefined || rawDuration === '' ? DEFAULT_DURATION_MS : parseDuration(rawDuration);
    const type = parseLeaseType(queryValue(request, 'type'));
    nb.status = 'STARTING';
    delete nb.fail_reason;
    nb.origin = 'start';
    // The creation time stays; the lease now runs `duration` from this start.
    nb.lease = leaseFor(nb.lease.create_at, request.now, duration, type);
    nb.update_at = request.now;
    nb.next = { at: request.now + NOTEBOOK_TIMINGS.startMs, to: 'RUNNING' };
    return { status: 200, body: this.view(nb) };
  }

  private stop(request: EmuRequest): EmuResponse {
    const nb = this.find(request.params.id);
    if (nb.status === 'STOPPED' || nb.status === 'START_FAILED') throw new ApiFailure(400, 'ModelArts.6307', `The instance ${nb.id} is already stopped.`);
    if (nb.status === 'STOPPING') throw new ApiFailure(400, 'ModelArts.6308', `The instance ${nb.id} is stopping.`);
    if (nb.status !== 'RUNNING' && nb.status !== 'STARTING') {
      throw new ApiFailure(400, 'ModelArts.6357', `The instance is ${nb.status}; only a RUNNING or STARTING instance can be stopped.`);
    }
    this.applyTransition(nb, request.now, 'STOPPING');
    return { status: 200, body: this.view(nb) };
  }

  private renewLease(request: EmuRequest): EmuResponse {
    const nb = this.find(request.params.id);
    if (nb.status !== 'RUNNING') throw new ApiFailure(400, 'ModelArts.6327', `The instance is ${nb.status}; only a RUNNING instance's lease can be renewed.`);
    const body = request.body === undefined ? {} : objectBody(request);
    const queryDuration = queryValue(request, 'duration');
    const fromQuery = queryDuration !== undefined && queryDuration !== '';
    const rawDuration = fromQuery ? queryDuration : body.duration;
    if (rawDuration === undefined) throw invalidParam('duration is required (query or body), in ms.');
    const duration = parseDuration(rawDuration);
    // The query duration wins over the body and forces TIMING.
    const type = fromQuery ? 'TIMING' : body.type === undefined ? nb.lease.type : parseLeaseType(body.type);
    // The SDK's lease request counts the duration from now: the auto-stop moves to now + duration, whatever
    // was left (a renewal may bring it closer). parseDuration has already held it to 1–72 h.
    nb.lease = leaseFor(nb.lease.create_at, request.now, duration, type);
    nb.update_at = request.now;
    return { status: 200, body: leaseJson(nb.lease) };
  }

  private createImage(request: EmuRequest): EmuResponse {
    const nb = this.find(request.params.id);
    const body = objectBody(request);
    const { name, namespace, tag, description } = parseCreateImage(body);
    if (nb.status !== 'RUNNING') throw new ApiFailure(400, 'ModelArts.6327', `The instance is ${nb.status}; only a RUNNING instance can be saved as an image.`);
    const flavor = this.images.findFlavor(nb.flavor);
    const img: ImageRecord = {
      id: newUuid(),
      name,
      namespace,
      tag,
      swr_path: `${this.swr}/${namespace}/${name}:${tag}`,
      arch: flavor?.arch ?? 'x86_64',
      type: 'DEDICATED',
      origin: 'IMAGE_SAVE',
      dev_services: ['NOTEBOOK', 'SSH'],
      resource_categories: [flavor?.category ?? 'CPU'],
      service_type: 'DEV',
      status: 'INIT',
      status_message: '',
      size: 0,
      create_at: request.now,
      update_at: request.now,
      visibility: 'PRIVATE',
      workspace_id: typeof body.workspace_id === 'string' ? body.workspace_id : nb.workspace_id,
      description,
      next: { at: request.now + 1000, to: 'CREATING' },
    };
    this.images.add(img);
    nb.status = 'SNAPSHOTTING';
    nb.update_at = request.now;
    nb.next = { at: request.now + NOTEBOOK_TIMINGS.snapshotMs, to: 'RUNNING' };
    return { status: 200, body: imageJson(img) };
  }

  private createTags(request: EmuRequest): EmuResponse {
    const nb = this.find(request.params.resource_id);
    const tags = parseTags(request, true);
    const merged = new Map(nb.tags.map((t) => [t.key, t.value]));
    for (const t of tags) merged.set(t.key, t.value);
    if (merged.size > MAX_TAGS) throw invalidParam(`A notebook can have at most ${MAX_TAGS} tags.`);
    nb.tags = [...merged].map(([key, value]) => ({ key, value }));
    return { status: 204 };
  }

  private deleteTags(request: EmuRequest): EmuResponse {
    const nb = this.find(request.params.resource_id);
    const keys = new Set(parseTags(request, false).map((t) => t.key));
    nb.tags = nb.tags.filter((t) => !keys.has(t.key));
    return { status: 204 };
  }

  private listTags(request: EmuRequest): EmuResponse {
    const workspaceId = queryValue(request, 'workspace_id');
    const byKey = new Map<string, Set<string>>();
    for (const nb of this.notebooks.values()) {
      if (nb.owner.id !== this.opts.userId || (workspaceId && nb.workspace_id !== workspaceId)) continue;
      for (const t of nb.tags) {
        if (!byKey.has(t.key)) byKey.set(t.key, new Set());
        byKey.get(t.key)!.add(t.value);
      }
    }
    const tags = [...byKey].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, values]) => ({ key, values: [...values].sort() }));
    return { status: 200, body: { tags } };
  }

  // ---- time ----

  private due(nb: NotebookRecord): Transition | undefined {
    if (nb.next) return nb.next;
    if (nb.status === 'RUNNING' && nb.lease.enable && nb.lease.duration > 0) return { at: nb.lease.create_at + nb.lease.duration, to: 'STOPPING' };
    return undefined;
  }

  private applyTransition(nb: NotebookRecord, at: number, to: string): void {
    nb.next = undefined;
    nb.update_at = at;
    switch (to) {
      case 'STARTING':
        nb.status = 'STARTING';
        nb.next = { at: at + NOTEBOOK_TIMINGS.startMs, to: 'RUNNING' };
        break;
      case 'RUNNING':
        if (nb.failNext !== undefined) {
          nb.status = nb.origin === 'create' ? 'CREATE_FAILED' : 'START_FAILED';
          nb.fail_reason = nb.failNext;
          nb.failNext = undefined;
        } else {
          nb.status = 'RUNNING';
          delete nb.fail_reason;
        }
        break;
      case 'STOPPING':
        nb.status = 'STOPPING';
        nb.next = { at: at + NOTEBOOK_TIMINGS.stopMs, to: 'STOPPED' };
        break;
      case 'STOPPED':
        nb.status = 'STOPPED';
        break;
      case 'GONE':
        this.notebooks.delete(nb.id);
        break;
      default:
        nb.status = to;
    }
  }

  // ---- helpers ----

  private find(id: string): NotebookRecord {
    const nb = this.notebooks.get(id);
    if (!nb) throw notFound(id);
    return nb;
  }

  private view(nb: NotebookRecord): Record<string, unknown> {
    return notebookJson(nb, this.sshEndpoint);
  }

  private urlFor(id: string): string {
    return `https://authoring-modelarts-${this.region}.huaweicloud.com/${id}/lab`;
  }

  private tokenOf(value: string): string {
    return `${this.extra.tokenPrefix ?? ''}${value}`;
  }
}
