import { obsSignatureOf, obsSignaturesEqual, obsStringToSign, parseObsAuthorization } from '../../api/obs/signer';
import type { EmuClock } from '../framework';
import { SIGNATURE_SKEW_MS, type IamState } from '../gateway/iam';
import { ObsFailure, accessDenied } from './errors';

// The OBS signature check (the OBS form and the AWS V2 form OBS also accepts), in the order the service's
// errors suggest: the Authorization header, the AK, the date and its skew on the gateway's (real) clock, a
// temporary AK's security token, then the signature over the resource rebuilt from the raw request.

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

/** Who signed the request (the AK), or why it is refused. */
export function verifyObsRequest(iam: IamState, input: ObsAuthInput, gatewayClock: EmuClock): { ak: string } {
  const now = gatewayClock.now();
  const authorization = first(input.headers, 'authorization');
  if (authorization === undefined) throw accessDenied('Anonymous access is not allowed: sign the request (Authorization: OBS ak:signature).');
  const parsed = parseObsAuthorization(authorization);
  if (!parsed) throw accessDenied('Unsupported Authorization header: the emulator accepts the OBS signature and the AWS V2 form (OBS ak:signature, AWS ak:signature).');
  const secret = iam.secretFor(parsed.ak, now);
  if (secret.kind === 'unknown') {
    throw new ObsFailure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', [['AWSAccessKeyId', parsed.ak]]);
  }
  if (secret.kind === 'expired') {
    throw new ObsFailure(403, 'InvalidAccessKeyId', `The temporary access key expired at ${new Date(secret.expiresAt).toISOString()}; get new temporary credentials.`, [['AWSAccessKeyId', parsed.ak]]);
  }
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
