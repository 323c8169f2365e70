import { ApiFailure, type EmuJsonObject, invalidParam } from '../framework';
import { AUTH_TYPES, type EmuWorkspaceGrant, type QuotaRecord, USER_TYPES, type WorkspaceRecord } from './records';

// What the workspaces family accepts in its requests; each check fails with a 400 naming the field.

export function notFound(id: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.7005', `workspace:${id} not existed`);
}

export function str(body: EmuJsonObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParam(`${key} must be a string.`);
  return value;
}

export function checkName(name: string): void {
  // 4–64 characters; letters, digits, `-`, `_` and Chinese characters (the console's rule).
  if (!/^[A-Za-z0-9_\-\u4e00-\u9fa5]{4,64}$/.test(name)) {
    throw invalidParam(`Invalid name: ${name}; use 4 to 64 letters, digits, Chinese characters, "-" or "_".`);
  }
  if (name.toLowerCase() === 'default') throw invalidParam('The name "default" is reserved.');
}

export function checkDescription(description: string): void {
  if (description.length > 256) throw invalidParam('description must be at most 256 characters.');
}

export function parseAuthType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!AUTH_TYPES.includes(upper)) throw invalidParam(`Invalid auth_type: ${value}; expected one of ${AUTH_TYPES.join(', ')}.`);
  return upper;
}

export function parseGrants(value: unknown): EmuWorkspaceGrant[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParam('grants must be an array.');
  return value.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw invalidParam(`grants[${i}] must be an object.`);
    const g = item as EmuJsonObject;
    const userId = typeof g.user_id === 'string' && g.user_id ? g.user_id : undefined;
    const userName = typeof g.user_name === 'string' && g.user_name ? g.user_name : undefined;
    if (!userId && !userName) throw invalidParam(`grants[${i}] needs user_id or user_name.`);
    const userType = typeof g.user_type === 'string' ? g.user_type.toUpperCase() : 'IAM';
    if (!USER_TYPES.includes(userType)) throw invalidParam(`grants[${i}].user_type must be one of ${USER_TYPES.join(', ')}.`);
    const grant: EmuWorkspaceGrant = { user_type: userType };
    // user_id wins over user_name when both are given.
    if (userId) grant.user_id = userId;
    else grant.user_name = userName;
    return grant;
  });
}

/** The changes of a quota update, every item checked before any is applied, so a bad item changes nothing. */
export function parseQuotaChanges(ws: WorkspaceRecord, body: EmuJsonObject): Array<[QuotaRecord, number]> {
  const items = body.quotas;
  if (!Array.isArray(items) || items.length === 0) throw invalidParam('quotas is required: [{"resource","quota"}].');
  return items.map((item: unknown, i): [QuotaRecord, number] => {
    const q = (typeof item === 'object' && item !== null ? item : {}) as EmuJsonObject;
    if (typeof q.resource !== 'string' || !q.resource) throw invalidParam(`quotas[${i}].resource is required.`);
    const record = ws.quotas.find((r) => r.resource === q.resource);
    if (!record) throw invalidParam(`Quota resource ${q.resource} does not exist.`);
    const value = q.quota;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParam(`quotas[${i}].quota must be an integer.`);
    if (value === -1) {
      if (record.min_quota > -1) throw invalidParam(`Quota ${record.resource} cannot be unlimited (-1): min_quota is ${record.min_quota}.`);
    } else if (value < Math.max(record.min_quota, 0) || value > record.max_quota) {
      throw invalidParam(
        `Quota ${record.resource} must be from ${Math.max(record.min_quota, 0)} to max_quota ${record.max_quota}${record.min_quota === -1 ? ', or -1' : ''}; got ${value}.`,
      );
    }
    return [record, value];
  });
}
