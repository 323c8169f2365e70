// The dashboard webview's page: a shell that loads the webview's own bundle and stylesheet, under a Content
// Security Policy that allows nothing else: no inline script (only the bundle, by its nonce), no inline
// style sheet, no remote origin, no frames, no connections. Everything shown arrives by message.

import { randomBytes } from 'node:crypto';

export interface DashboardPage {
  /** The webview's `cspSource`: where its local resources are served from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** The UI language, for the page's `lang`. */
  language: string;
}

/** A fresh nonce per page: 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function dashboardHtml(page: DashboardPage, nonce = newNonce()): string {
  return `<!DOCTYPE html>
<html lang="${attribute(page.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(page.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attribute(page.styleUri)}">
</head>
<body>
<main id="dashboard"></main>
<script nonce="${attribute(nonce)}" src="${attribute(page.scriptUri)}"></script>
</body>
</html>`;
}
