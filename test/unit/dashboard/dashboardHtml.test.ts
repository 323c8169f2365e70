import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, dashboardHtml, newNonce } from '../../../src/dashboard/dashboardHtml';

// The dashboard page: a Content Security Policy that allows the webview's own resources and the nonce'd bundle
// only, and attributes that a hostile value cannot break out of.

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const page = { cspSource: CSP_SOURCE, scriptUri: `${CSP_SOURCE}/dist/dashboardView.js`, styleUri: `${CSP_SOURCE}/media/dashboard.css`, language: 'zh-cn' };

const policyOf = (html: string): string => {
  const found = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(found, 'a CSP meta tag');
  return found[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&');
};
const directives = (policy: string): Map<string, string[]> => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe('dashboardHtml: the Content Security Policy', () => {
  it('no unsafe-inline or unsafe-eval; no web origin but the cspSource; scripts by nonce only', () => {
    const nonce = newNonce();
    const html = dashboardHtml(page, nonce);
    const policy = policyOf(html);
    assert.equal(policy, contentSecurityPolicy(CSP_SOURCE, nonce));
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
    const origins = policy.match(/https?:[^\s;]*/g) ?? [];
    assert.ok(origins.length > 0, 'the cspSource is there (positive control)');
    assert.ok(origins.every((o) => o === CSP_SOURCE), origins.join(' '));
    const d = directives(policy);
    assert.deepEqual(d.get('default-src'), ["'none'"]);
    assert.deepEqual(d.get('script-src'), [`'nonce-${nonce}'`]);
    assert.equal(d.has('connect-src'), false, 'no connections: default-src none covers them');
    assert.equal(d.has('frame-src'), false);
  });

  it('the script tag carries the same nonce; there is no inline script or style', () => {
    const nonce = newNonce();
    const html = dashboardHtml(page, nonce);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}"`));
    assert.equal(scripts[0][2].trim(), '', 'no inline code');
    assert.doesNotMatch(html, /<style|style=/);
    assert.match(html, /<html lang="zh-cn">/);
  });

  it('a nonce is 128 random bits and differs per call', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    assert.equal(nonces.size, 100);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
    const a = dashboardHtml(page);
    const b = dashboardHtml(page);
    const nonceOf = (html: string): string | undefined => /script-src 'nonce-([^']+)'/.exec(policyOf(html))?.[1];
    assert.ok(nonceOf(a) && nonceOf(b) && nonceOf(a) !== nonceOf(b), 'a fresh nonce per page by default');
  });

  it('a value with " < > & cannot leave its attribute', () => {
    const hostile = { cspSource: 'https://x" onload="alert(1)', scriptUri: 'https://x/"><script>alert(2)</script>', styleUri: 'a&b<c>', language: 'en" dir="rtl' };
    const html = dashboardHtml(hostile, 'bm9uY2U=');
    assert.doesNotMatch(html, /onload="/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no second script element');
    assert.doesNotMatch(html, /dir="rtl"/);
    assert.match(html, /href="a&amp;b&lt;c&gt;"/);
    // Every attribute value is one run without a bare quote: the tags still parse as the page's own.
    const tags = html.match(/<[a-z]+(?:\s+[a-z-]+="[^"]*")*\s*>/g) ?? [];
    assert.ok(tags.some((t) => t.startsWith('<meta http-equiv')) && tags.some((t) => t.startsWith('<script')) && tags.some((t) => t.startsWith('<link')), tags.join('\n'));
  });
});
