// The page around every dashboard view: head with the served assets, a header naming the deployment, the
// live region the client script refreshes in place, and a footer.

import { TOOL_VERSION } from '../version.js';
import { formatUtc } from './format.js';
import { html, raw, type Html } from './html.js';
import { assetHref } from './assets.js';

export interface PageSettings {
  /** The deployment the dashboard watches, shown in the header. */
  deployment?: string;
  /** Seconds between in-place refreshes; 0 turns them off. */
  refreshSeconds: number;
}

export interface PageContent {
  title: string;
  /** Replaced in place on each refresh. */
  live: Html;
  /** Loads uPlot: the page has plots. */
  plots?: boolean;
  now: number;
}

export function page(settings: PageSettings, content: PageContent): Html {
  const updated = new Date(content.now).toISOString();
  return html`${raw('<!doctype html>')}
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${content.title} · tc-canary</title>
<link rel="icon" href="${assetHref('icon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${assetHref('dashboard.css')}">
${content.plots && html`<link rel="stylesheet" href="${assetHref('uPlot.min.css')}">
<script src="${assetHref('uPlot.iife.min.js')}" defer></script>`}
<script src="${assetHref('dashboard.js')}" defer></script>
</head>
<body data-refresh="${settings.refreshSeconds}">
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/">tc-canary</a>
${settings.deployment && html`<span class="deployment" title="The deployment under watch">${settings.deployment}</span>`}
<p class="updated" role="status">Updated <time id="updated" datetime="${updated}">${formatUtc(updated, true)}</time></p>
</header>
<main id="main" tabindex="-1">
<div id="live">
${content.live}
</div>
</main>
<footer class="foot">tc-canary ${TOOL_VERSION} · times in UTC${settings.refreshSeconds > 0 && ` · refreshes every ${settings.refreshSeconds} s`}</footer>
</body>
</html>
`;
}
