/**
 * The HTML the SPA fallback sends. For the public screens people open first from a link (a landing
 * page, an emailed sign-in link or invitation), it also names the screen's code up front
 * (`<link rel="modulepreload">`), so a phone fetches it together with the entry instead of one round
 * trip later, when the router asks for it. The chunk names come from Vite's manifest
 * (dist/web/.vite/manifest.json); without one, every page gets plain index.html.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Path prefix → the screen's source under src/web, as in the `lazy` lines of src/web/App.tsx. */
export const firstScreens: ReadonlyArray<readonly [prefix: string, source: string]> = [
  ['/join', 'landing/LandingPage.tsx'],
  ['/sign-in', 'auth/SignInPage.tsx'],
  ['/auth/link', 'auth/SignInLinkPage.tsx'],
  ['/invite', 'people/InviteWelcomePage.tsx'],
  ['/unsubscribe', 'email/UnsubscribePage.tsx'],
  ['/notifications/unsubscribe', 'profile/NotificationUnsubscribePage.tsx'],
];

interface ManifestChunk {
  readonly file: string;
  readonly imports?: readonly string[];
  readonly css?: readonly string[];
}
type Manifest = Readonly<Record<string, ManifestChunk>>;

/** Reads dist/web once; returns the HTML for a page's URL. */
export function webPages(webRoot: string): (url: string) => string {
  const indexHtml = fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  const manifest = readManifest(webRoot);
  const pages = firstScreens.map(([prefix, source]) => [prefix, withPreloads(indexHtml, manifest, source)] as const);
  return (url) => {
    const pathname = url.split(/[?#]/, 1)[0];
    const page = pages.find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`));
    return page ? page[1] : indexHtml;
  };
}

function readManifest(webRoot: string): Manifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(webRoot, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** index.html plus a preload for the screen's chunk and every chunk it imports that the page does not already load. */
export function withPreloads(indexHtml: string, manifest: Manifest | null, source: string): string {
  if (!manifest?.[source] || !indexHtml.includes('</head>')) return indexHtml;
  const chunks = new Set<string>();
  const visit = (key: string) => {
    if (chunks.has(key) || !manifest[key]) return;
    chunks.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(source);
  const named = (file: string) => indexHtml.includes(`"/${file}"`);
  const links: string[] = [];
  for (const key of chunks) {
    const { file, css = [] } = manifest[key];
    if (!named(file)) links.push(`<link rel="modulepreload" crossorigin href="/${file}">`);
    for (const sheet of css) if (!named(sheet)) links.push(`<link rel="stylesheet" crossorigin href="/${sheet}">`);
  }
  if (!links.length) return indexHtml;
  return indexHtml.replace('</head>', `  ${[...new Set(links)].join('\n    ')}\n  </head>`);
}
