import { OBS_QUERY_AUTH_KEYS, obsQueryStringToSign, obsSignatureOf, obsSignaturesEqual, obsStringToSign, parseObsAuthorization, type ObsSignatureScheme } from '../../api/obs/signer';
import type { EmuClock } from '../framework';
import { SIGNATURE_SKEW_MS, type IamState } from '../gateway/iam';
import { ObsFailure, accessDenied } from './errors';

// The OBS signature check (the OBS form and the AWS V2 form OBS also accepts), in the order the service's
// errors suggest: the Authorization header, the AK, the date and its skew on the gateway's (real) clock, a
// temporary AK's security token, then the signature over the resource rebuilt from the raw request. A request
// without an Authorization header may carry V2 query-string authentication instead (a presigned link:
// `AccessKeyId`, `Expires`, `Signature`), checked in the same order with the expiry in place of the skew.

export interface ObsAuthInput {
  method: string;
  /** Every header, repeated ones as arrays (IncomingMessage.headersDistinct). */
  headers: Record<string, string[] | undefined>;
  rawQuery: string;
  /** The canonical resources the signature may cover (see ObsAddress.resources). */
  resources: readonly string[];
}

/** RFC 1123 with GMT, as the service prints its time. */
function httpTime(ms: number): string {
  return new Date(ms).toUTCString();
}

function first(headers: ObsAuthInput['headers'], name: string): string | undefined {
  return headers[name]?.[0];
}

/** The raw query's values by decoded name (the first of repeated ones), decoded. */
function queryParams(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      if (!out.has(name)) out.set(name, eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1)));
    } catch {
      // A malformed escape is not a parameter the check reads.
    }
  }
  return out;
}

type SecretAnswer = Extract<ReturnType<IamState['secretFor']>, { kind: 'ok' }>;

function knownSecret(iam: IamState, ak: string, now: number): SecretAnswer {
  const secret = iam.secretFor(ak, now);
  if (secret.kind === 'unknown') {
    throw new ObsFailure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', [['AWSAccessKeyId', ak]]);
  }
  if (secret.kind === 'expired') {
    throw new ObsFailure(403, 'InvalidAccessKeyId', `The temporary access key expired at ${new Date(secret.expiresAt).toISOString()}; get new temporary credentials.`, [['AWSAccessKeyId', ak]]);
  }
  return secret;
}

/** A presigned link: the AK, `Expires` (seconds) not passed on the gateway's clock, the token, the signature. */
function verifyQueryAuth(iam: IamState, input: ObsAuthInput, params: Map<string, string>, scheme: ObsSignatureScheme, now: number): { ak: string } {
  const ak = params.get(OBS_QUERY_AUTH_KEYS[scheme]) ?? '';
  const provided = params.get('Signature') ?? '';
  const expiresText = params.get('Expires') ?? '';
  const secret = knownSecret(iam, ak, now);
  if (!/^\d{1,12}$/.test(expiresText)) throw accessDenied('Query-string authentication needs Expires as whole seconds since 1970.');
  const expires = Number(expiresText);
  if (now > expires * 1000) {
    throw new ObsFailure(403, 'AccessDenied', 'Request has expired', [
      ['Expires', new Date(expires * 1000).toISOString()],
      ['ServerTime', new Date(now).toISOString()],
    ]);
  }
  const tokenName = scheme === 'OBS' ? 'x-obs-security-token' : 'x-amz-security-token';
  const sentToken = params.get(tokenName) ?? first(input.headers, tokenName);
  if (secret.securityToken !== undefined && sentToken !== secret.securityToken) throw accessDenied(`A temporary access key needs its own security token in ${tokenName}.`);
  if (secret.securityToken === undefined && sentToken !== undefined) throw accessDenied('The security token does not belong to this access key.');
  const stringsToSign = input.resources.map((resource) =>
    obsQueryStringToSign({ method: input.method, resource, query: input.rawQuery, headers: input.headers, scheme, expires }),
  );
  if (stringsToSign.some((text) => obsSignaturesEqual(obsSignatureOf(secret.sk, text), provided))) return { ak };
  throw new ObsFailure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', [
    ['AWSAccessKeyId', ak],
    ['StringToSign', stringsToSign[0] ?? ''],
    ['SignatureProvided', provided],
  ]);
}

/** Who signed the request (the AK), or why it is refused. */
export function verifyObsRequest(iam: IamState, input: ObsAuthInput, gatewayClock: EmuClock): { ak: string } {
  const now = gatewayClock.now();
  const authorization = first(input.headers, 'authorization');
  if (authorization === undefined) {
    const params = queryParams(input.rawQuery);
    const scheme: ObsSignatureScheme | undefined = params.has(OBS_QUERY_AUTH_KEYS.OBS) ? 'OBS' : params.has(OBS_QUERY_AUTH_KEYS.AWS) ? 'AWS' : undefined;
    if (scheme !== undefined && params.has('Signature')) return verifyQueryAuth(iam, input, params, scheme, now);
    throw accessDenied('Anonymous access is not allowed: sign the request (Authorization: OBS ak:signature, or a presigned link with AccessKeyId, Expires and Signature).');
  }
  const parsed = parseObsAuthorization(authorization);
  if (!parsed) throw accessDenied('Unsupported Authorization header: the emulator accepts the OBS signature and the AWS V2 form (OBS ak:signature, AWS ak:signature).');
  const secret = knownSecret(iam, parsed.ak, now);
  const prefix = parsed.scheme === 'OBS' ? 'x-obs-' : 'x-amz-';
  const dateText = first(input.headers, `${prefix}date`) ?? first(input.headers, 'date');
  const signedAt = dateText === undefined ? Number.NaN : Date.parse(dateText);
  if (!Number.isFinite(signedAt)) throw accessDenied(`AWS authentication requires a valid Date or ${prefix}date header`);
  if (Math.abs(now - signedAt) > SIGNATURE_SKEW_MS) {
    throw new ObsFailure(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server\'s time is too large.', [
      ['RequestTime', dateText ?? ''],
      ['ServerTime', httpTime(now)],
      ['MaxAllowedSkewMilliseconds', SIGNATURE_SKEW_MS],
    ]);
  }
  const sentToken = first(input.headers, `${prefix}security-token`);
  if (secret.securityToken !== undefined && sentToken !== secret.securityToken) {
    throw accessDenied(`A temporary access key needs its own security token in ${prefix}security-token.`);
  }
  if (secret.securityToken === undefined && sentToken !== undefined) {
    throw accessDenied('The security token does not belong to this access key.');
  }
  const stringsToSign = input.resources.map((resource) =>
    obsStringToSign({ method: input.method, resource, query: input.rawQuery, headers: input.headers, scheme: parsed.scheme }),
  );
  if (stringsToSign.some((text) => obsSignaturesEqual(obsSignatureOf(secret.sk, text), parsed.signature))) return { ak: parsed.ak };
  throw new ObsFailure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', [
    ['AWSAccessKeyId', parsed.ak],
    ['StringToSign', stringsToSign[0] ?? ''],
    ['SignatureProvided', parsed.signature],
  ]);
}
