import { ApiFailure, badJsonCode, type EmuRequest, type EmuResponse, type RouteMatch } from '../framework';
import type { GatewayContext, GatewayState } from './context';
import { IamFailure, authenticate, headerText } from './iam';
import { type Exchange, type Prepared, failureResponse, prepareJson } from './wire';

// Past the faults: the route found, the caller authenticated (signature or token, and the project it may
// use), the body parsed, the handler run. Every answer of the service itself comes from here.

function unknownRoute(service: 'modelarts' | 'iam', method: string, rawPath: string): ApiFailure {
  if (service === 'iam') return new IamFailure(404, `The resource could not be found: ${method} ${rawPath}`);
  return new ApiFailure(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment');
}

/** Why the caller may not act on this route (signature, token, project), or undefined. */
function authRefusal(ctx: GatewayContext, gw: GatewayState, ex: Exchange, service: 'modelarts' | 'iam', match: RouteMatch & { kind: 'match' }, rawBody: Buffer): ApiFailure | undefined {
  const { req, rawPath, rawQuery } = ex;
  const method = (req.method ?? 'GET').toUpperCase();
  const routeAuth = service === 'iam' ? gw.iamService().authFor(match.pattern) : 'signature-or-token';
  if (routeAuth === 'token') {
    ex.record.auth = headerText(req.headers, 'x-auth-token') ? 'token' : 'none';
    return undefined;
  }
  if (routeAuth !== 'signature-or-token') return undefined;
  const outcome = authenticate(ctx.iam, { method, rawPath, rawQuery, headers: req.headers, rawBody }, ctx.gatewayClock.now());
  ex.record.auth = outcome.kind;
  if (!outcome.ok) return outcome.failure;
  if (service !== 'modelarts') return undefined;
  const pathProject = match.params.project_id;
  const headerProject = headerText(req.headers, 'x-project-id');
  const matches =
    (pathProject === undefined || pathProject === ctx.projectId) &&
    (headerProject === undefined || headerProject === ctx.projectId) &&
    (outcome.kind !== 'token' || outcome.record.projectId === ctx.projectId);
  // Built only when needed: an Error captures a stack, too dear for every request.
  return matches ? undefined : new ApiFailure(404, 'ModelArts.2786', 'The project id in the URL does not match the project of the credentials.');
}

/** Authenticates and runs the route. */
export function runRoute(ctx: GatewayContext, gw: GatewayState, ex: Exchange, service: 'modelarts' | 'iam', rawBody: Buffer, tokenExpired: boolean): Prepared {
  const { req, rawPath, requestId } = ex;
  const method = (req.method ?? 'GET').toUpperCase();
  const router = service === 'iam' ? gw.iamService().router : ctx.router;
  const match: RouteMatch = router.match(method, rawPath);
  if (match.kind === 'none') return failureResponse(unknownRoute(service, method, rawPath), ex, service);
  ex.record.route = match.pattern;
  const refusal = authRefusal(ctx, gw, ex, service, match, rawBody);
  if (refusal) return failureResponse(refusal, ex, service);
  if (tokenExpired) return failureResponse(new ApiFailure(401, 'APIGW.0307', 'The token must be updated.'), ex, service);

  let body: unknown;
  if (rawBody.length > 0 && method !== 'GET' && method !== 'HEAD') {
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      const failure =
        service === 'iam'
          ? new IamFailure(400, 'Invalid request body: the body is not valid JSON')
          : new ApiFailure(400, badJsonCode(rawPath), 'The request body is not valid JSON.');
      return failureResponse(failure, ex, service);
    }
  }
  const request: EmuRequest = {
    method,
    path: rawPath,
    params: match.params,
    query: ex.record.query,
    headers: req.headers,
    body,
    rawBody,
    // IAM is the gateway's side: its tokens and temporary credentials live on the gateway's clock.
    now: service === 'iam' ? ctx.gatewayClock.now() : ctx.clock.now(),
  };
  try {
    const response: EmuResponse = match.handler(request);
    return prepareJson(response.status, response.body, requestId, service, response.headers);
  } catch (error) {
    if (error instanceof ApiFailure) return failureResponse(error, ex, service);
    ctx.onError?.(error);
    const message = error instanceof Error ? error.message : String(error);
    return prepareJson(500, { error_code: 'ModelArts.0001', error_msg: `Internal error: ${message}` }, requestId, service);
  }
}
