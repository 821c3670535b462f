// What a dashboard page says when it cannot show what was asked: an unknown check or pool, or a history that
// cannot be read right now.

import { html, type Html } from './html.js';

export function notFoundContent(what: string): Html {
  return html`<p class="crumbs"><a href="/">Overview</a></p>
<h1>Not found</h1>
<p>${what}</p>`;
}

export function unavailableContent(message: string): Html {
  return html`<section class="verdict v-unknown" aria-labelledby="unavailable">
<h1 id="unavailable">The history cannot be read right now</h1>
<p>${message}</p>
<p class="muted">This page tries again on its next refresh.</p>
</section>`;
}
