// Keeps secrets out of logs, error messages and documents: registered values plus well-known shapes.
import { encodeRfc3986 } from './signer';

export const REDACTED = '***';
/** Shorter values would blank out ordinary words. */
export const MIN_SECRET_LENGTH = 4;

export interface Redactor {
  /** Registers a secret (AK, SK, security token, password, IAM token, notebook token, app secret). */
  add(secret: string | undefined): void;
  redact(text: string): string;
}

// Header-style secrets, also inside the `|`-joined canonical request an APIGW.0301 error echoes.
const HEADER_SECRET = /(x-(?:auth|security|subject)-token"?\s*[:=]\s*"?)[^|\s",;}]+/gi;
const ACCESS_KEY = /(\bAccess=)[^,\s"|]+/g;
const SIGNATURE = /(\bSignature=)[0-9a-fA-F]+/g;
const JSON_SECRET =
  /("(?:password|token|app_secret|appsecret|secret|secret_key|securitytoken|security_token|access_secret)"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi;
const QUERY_SECRET = /([?&](?:password|token|secret|app_secret|securitytoken|security_token)=)[^&\s"'#]+/gi;

export function createRedactor(initial: Iterable<string | undefined> = []): Redactor {
  const secrets = new Set<string>();
  // Longest first, so a secret containing another is replaced whole.
  let ordered: string[] = [];

  const add = (secret: string | undefined): void => {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return;
    const variants = [secret, encodeRfc3986(secret), JSON.stringify(secret).slice(1, -1)];
    let changed = false;
    for (const variant of variants) {
      if (variant.length >= MIN_SECRET_LENGTH && !secrets.has(variant)) {
        secrets.add(variant);
        changed = true;
      }
    }
    if (changed) ordered = [...secrets].sort((a, b) => b.length - a.length);
  };

  const redact = (text: string): string => {
    let out = text;
    for (const secret of ordered) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out
      .replace(HEADER_SECRET, `$1${REDACTED}`)
      .replace(ACCESS_KEY, `$1${REDACTED}`)
      .replace(SIGNATURE, `$1${REDACTED}`)
      .replace(JSON_SECRET, `$1${REDACTED}$3`)
      .replace(QUERY_SECRET, `$1${REDACTED}`);
  };

  for (const secret of initial) add(secret);
  return { add, redact };
}
