import { type EmuRequest, type EmuResponse, type Router, intQuery, invalidParam, queryValue } from '../framework';
import { compareBy, pageShape, sortDir } from '../kit/paging';
import { type FlavorRecord, type ImageRecord, NOTEBOOK_TIMINGS, type NotebookRecord } from './records';
import { flavorJson, imageJson } from './views';

// The images notebooks run on and are saved as (/v1/{project_id}/images…), and the flavors they run on
// (/v1/{project_id}/notebooks/flavors, …/{id}/flavors). A saved image goes INIT → CREATING → ACTIVE on the clock.

export class NotebookImages {
  private readonly images = new Map<string, ImageRecord>();

  constructor(
    images: readonly ImageRecord[],
    private readonly flavors: readonly FlavorRecord[],
  ) {
    for (const img of images) this.images.set(img.id, img);
  }

  register(router: Router, findNotebook: (id: string) => NotebookRecord): void {
    router
      .add('GET', '/v1/{project_id}/notebooks/flavors', (r) => this.listFlavors(r))
      .add('GET', '/v1/{project_id}/notebooks/{id}/flavors', (r) => this.switchableFlavors(r, findNotebook(r.params.id)))
      .add('GET', '/v1/{project_id}/images', (r) => this.listImages(r))
      .add('GET', '/v1/{project_id}/images/group', (r) => this.imageGroups(r))
      .add('GET', '/v1/{project_id}/images/{image_id}', (r) => this.getImage(r));
  }

  get(id: string): ImageRecord | undefined {
    return this.images.get(id);
  }

  add(img: ImageRecord): void {
    this.images.set(img.id, img);
  }

  findFlavor(id: string): FlavorRecord | undefined {
    return this.flavors.find((f) => f.id === id);
  }

  /** Moves saved images along: INIT → CREATING → ACTIVE. */
  advance(now: number): void {
    for (const img of this.images.values()) {
      while (img.next && img.next.at <= now) {
        const { at, to } = img.next;
        img.next = undefined;
        img.status = to;
        img.update_at = at;
        if (to === 'CREATING') img.next = { at: img.create_at + NOTEBOOK_TIMINGS.snapshotMs, to: 'ACTIVE' };
      }
    }
  }

  private listImages(request: EmuRequest): EmuResponse {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 200, 1, 1000);
    const dir = sortDir(request);
    const type = (queryValue(request, 'type') || 'BUILD_IN').toUpperCase();
    if (type !== 'BUILD_IN' && type !== 'DEDICATED') throw invalidParam('type must be BUILD_IN or DEDICATED.');
    const filtered = this.filterImages(request).filter((img) => img.type === type);
    const sortKey = queryValue(request, 'sort_key') || 'create_at';
    const keyFns: Record<string, (img: ImageRecord) => string | number> = {
      create_at: (img) => img.create_at,
      update_at: (img) => img.update_at,
      name: (img) => img.name,
      tag: (img) => img.tag,
    };
    const keys = sortKey.split(',').map((k) => k.trim());
    for (const key of keys) if (!keyFns[key]) throw invalidParam(`Invalid sort_key: ${key}; use one of ${Object.keys(keyFns).join(', ')}.`);
    filtered.sort(compareBy([...keys.map((k) => keyFns[k]), (img: ImageRecord) => img.id], dir));
    const page = pageShape(filtered, offset, limit);
    page.data = (page.data as ImageRecord[]).map(imageJson);
    return { status: 200, body: page };
  }

  private filterImages(request: EmuRequest): ImageRecord[] {
    const name = queryValue(request, 'name');
    const fuzzy = queryValue(request, 'name_fuzzy_match')?.toLowerCase() !== 'false';
    const namespace = queryValue(request, 'namespace');
    const serviceType = queryValue(request, 'service_type');
    const workspaceId = queryValue(request, 'workspace_id');
    return [...this.images.values()].filter(
      (img) =>
        (!name || (fuzzy ? img.name.includes(name) : img.name === name)) &&
        (!namespace || img.namespace === namespace) &&
        (!serviceType || img.service_type === serviceType.toUpperCase()) &&
        (!workspaceId || img.type === 'BUILD_IN' || img.workspace_id === workspaceId),
    );
  }

  private getImage(request: EmuRequest): EmuResponse {
    const img = this.images.get(request.params.image_id);
    if (!img) throw invalidParam(`The image ${request.params.image_id} does not exist.`);
    return { status: 200, body: imageJson(img) };
  }

  private imageGroups(request: EmuRequest): EmuResponse {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 200, 1, 1000);
    const type = queryValue(request, 'type')?.toUpperCase();
    const groups = new Map<string, { name: string; namespace: string; create_at: number; update_at: number; version_count: number }>();
    for (const img of this.filterImages(request)) {
      if (type && img.type !== type) continue;
      const key = `${img.namespace}/${img.name}`;
      const group = groups.get(key);
      if (group) {
        group.version_count += 1;
        group.create_at = Math.min(group.create_at, img.create_at);
        group.update_at = Math.max(group.update_at, img.update_at);
      } else {
        groups.set(key, { name: img.name, namespace: img.namespace, create_at: img.create_at, update_at: img.update_at, version_count: 1 });
      }
    }
    const items = [...groups.values()].sort((a, b) => b.update_at - a.update_at || (a.name < b.name ? -1 : 1));
    return { status: 200, body: pageShape(items, offset, limit) };
  }

  private flavorPage(request: EmuRequest, items: FlavorRecord[]): EmuResponse {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 100, 1, 1000);
    const dir = queryValue(request, 'sort_dir') ? sortDir(request) : 1;
    const sortKey = queryValue(request, 'sort_key') || 'id';
    const keyFns: Record<string, (f: FlavorRecord) => string | number> = { id: (f) => f.id, name: (f) => f.name, vcpus: (f) => f.vcpus, memory: (f) => f.memory };
    if (!keyFns[sortKey]) throw invalidParam(`Invalid sort_key: ${sortKey}; use one of ${Object.keys(keyFns).join(', ')}.`);
    const sorted = [...items].sort(compareBy([keyFns[sortKey]], dir));
    // The documented flavor example counts pages from 1 (notebook lists count from 0).
    const page = pageShape(sorted.map(flavorJson), offset, limit, 1);
    page.flavors = page.data;
    return { status: 200, body: page };
  }

  private listFlavors(request: EmuRequest): EmuResponse {
    const category = queryValue(request, 'category')?.toUpperCase();
    const feature = queryValue(request, 'feature')?.toUpperCase();
    return this.flavorPage(
      request,
      this.flavors.filter((f) => (!category || f.category === category) && (!feature || f.feature === feature)),
    );
  }

  private switchableFlavors(request: EmuRequest, nb: NotebookRecord): EmuResponse {
    const current = this.findFlavor(nb.flavor);
    return this.flavorPage(
      request,
      this.flavors.filter((f) => f.id !== nb.flavor && f.arch === current?.arch && f.feature === nb.feature),
    );
  }
}
