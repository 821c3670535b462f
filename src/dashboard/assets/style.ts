// The dashboard's stylesheet. Colours are chosen for contrast (text at least 4.5:1, strip cells and plot
// lines at least 3:1 against their background) in both light and dark schemes; every status also has
// a glyph and a word, so none depends on colour alone.

export const STYLESHEET = String.raw`
:root {
  --bg: #f6f8fa; --surface: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --grid: #e8ecf0;
  --header-bg: #1f2328; --header-fg: #f6f8fa; --link: #0757b8; --focus: #bf5b00;
  --passed: #1a7f37; --flaky: #9a6700; --failed: #cf222e; --error: #8250df; --skipped: #6e7781;
  --aborted: #424a53; --maintenance: #0969da; --none: #c4ccd4; --empty: #eef1f4;
  --down-bg: #fff1f0; --up-bg: #effaf1; --unknown-bg: #f1f3f5; --warn: #9a6700; --failed-text: #cf222e; --on-link: #ffffff;
  --plot-value: #0969da; --plot-limit: #cf222e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --surface: #161b22; --fg: #e6edf3; --muted: #9198a1; --border: #30363d; --grid: #262c34;
    --header-bg: #010409; --header-fg: #e6edf3; --link: #58a6ff; --focus: #f0883e;
    --passed: #238636; --flaky: #9e6a03; --failed: #da3633; --error: #8957e5; --skipped: #6e7681;
    --aborted: #545d68; --maintenance: #1f6feb; --none: #484f58; --empty: #21262d;
    --down-bg: #2d1417; --up-bg: #12261a; --unknown-bg: #1c2128; --warn: #d29922; --failed-text: #ff7b72; --on-link: #0d1117;
    --plot-value: #58a6ff; --plot-limit: #f85149;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
a { color: var(--link); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: 0.5rem; top: -3rem; background: var(--surface); padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { top: 0.5rem; }

.top {
  display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 1rem;
  background: var(--header-bg); color: var(--header-fg); padding: 0.6rem max(1rem, calc((100% - 1400px) / 2));
}
.brand { color: inherit; font-weight: 700; font-size: 1.1rem; text-decoration: none; letter-spacing: 0.01em; }
.brand::before { content: "◆ "; color: #f2cc60; }
.deployment { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85rem; opacity: 0.85; overflow-wrap: anywhere; }
.updated { margin: 0 0 0 auto; font-size: 0.85rem; opacity: 0.85; }
.updated.stale { opacity: 1; color: #ffb1a8; font-weight: 600; }
main { max-width: 1400px; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
.foot { max-width: 1400px; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: 0.85rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.75rem 0 0.6rem; }
.panel { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 1rem; }
.muted { color: var(--muted); }
.crumbs { margin: 0 0 0.5rem; font-size: 0.9rem; }

/* Outcome badges: white text on the outcome colour. */
.badge {
  display: inline-flex; align-items: center; gap: 0.3em; white-space: nowrap;
  padding: 0.1em 0.55em; border-radius: 999px; color: #fff; font-weight: 600; font-size: 0.85rem;
  background: var(--none); 
}
.badge.o-none { color: var(--fg); }
.o-passed { --o: var(--passed); } .o-flaky { --o: var(--flaky); } .o-failed { --o: var(--failed); }
.o-error { --o: var(--error); } .o-skipped { --o: var(--skipped); } .o-aborted { --o: var(--aborted); }
.o-maintenance { --o: var(--maintenance); } .o-none { --o: var(--none); }
.badge[class*="o-"] { background: var(--o); }

/* The verdict: what is broken, at a glance. */
.verdict { border-left: 6px solid var(--o); background: var(--surface); border-radius: 8px; padding: 0.9rem 1.1rem; margin-bottom: 1rem; border-top: 1px solid var(--border); border-right: 1px solid var(--border); border-bottom: 1px solid var(--border); }
.verdict.v-down { --o: var(--failed); background: var(--down-bg); }
.verdict.v-up { --o: var(--passed); background: var(--up-bg); }
.verdict.v-unknown { --o: var(--none); background: var(--unknown-bg); }
.verdict h1 { display: flex; align-items: center; gap: 0.5rem; }
.verdict .glyph { color: var(--o); font-size: 1.4em; line-height: 1; }
.verdict ul { margin: 0.4rem 0 0; padding-left: 1.2rem; }
.counts { display: flex; flex-wrap: wrap; gap: 0.4rem; list-style: none; padding: 0 !important; margin: 0.6rem 0 0 !important; }

.filters { display: flex; flex-wrap: wrap; align-items: end; gap: 0.5rem 1rem; margin: 0 0 0.75rem; }
.filters label { display: flex; flex-direction: column; font-size: 0.8rem; font-weight: 600; color: var(--muted); gap: 0.15rem; }
select, button {
  font: inherit; font-size: 0.95rem; color: var(--fg); background: var(--surface);
  border: 1px solid var(--border); border-radius: 6px; padding: 0.35rem 0.6rem; min-height: 2.25rem;
}
button { cursor: pointer; font-weight: 600; }
.shown { margin-left: auto; color: var(--muted); font-size: 0.85rem; }

/* The overview table. */
.table-wrap { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.55rem 0.7rem; border-bottom: 1px solid var(--border); }
thead th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); background: var(--bg); white-space: nowrap; }
tbody tr:last-child > * { border-bottom: none; }
tbody tr:hover { background: color-mix(in srgb, var(--bg) 60%, transparent); }
.checks tbody th { font-weight: 600; min-width: 14rem; }
.checks .desc { display: block; font-weight: 400; color: var(--muted); font-size: 0.85rem; }
.checks .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.checks .since { white-space: nowrap; }
tr.down > th { box-shadow: inset 4px 0 0 var(--failed); }
tr.down, tr.down:hover { background: var(--down-bg); }
.reason { display: block; margin-top: 0.3rem; color: var(--failed-text); font-size: 0.85rem; max-width: 30rem; overflow-wrap: anywhere; }
.note { display: block; margin-top: 0.3rem; color: var(--muted); font-size: 0.85rem; }
.fails { font-weight: 700; color: var(--failed-text); }
.uptime { font-variant-numeric: tabular-nums; }
.u-warn { color: var(--warn); font-weight: 600; } .u-bad { color: var(--failed-text); font-weight: 700; } .u-none { color: var(--muted); }
.metric { display: inline-flex; flex-wrap: wrap; gap: 0 0.35em; font-variant-numeric: tabular-nums; }
.metric-name { color: var(--muted); font-size: 0.85rem; }
.metric-value { font-weight: 600; }
.metric-limit { color: var(--muted); }
.metric.over .metric-value, .metric.over .metric-limit { color: var(--failed-text); font-weight: 700; }
.pool-link { font-size: 0.8rem; margin-left: 0.4rem; font-weight: 400; }
.empty-row td { text-align: center; color: var(--muted); padding: 2rem; }

/* Result strips: one cell per result, oldest left. */
/* Whole-pixel cells: fractional widths blur into stripes that look like results. */
.strip { display: flex; gap: 1px; height: 1.4rem; width: max-content; }
.strip .c { width: 2px; flex: none; }
.strip.wide { gap: 2px; height: 2rem; max-width: 100%; overflow: hidden; justify-content: flex-end; }
.strip.wide .c { width: 3px; }
.strip .c { background: var(--empty); border-radius: 1px; }
.strip .c[class*="o-"] { background: var(--o); }
.strip .c.o-aborted, .strip .c.o-maintenance { background: repeating-linear-gradient(135deg, var(--o) 0 2px, color-mix(in srgb, var(--o) 45%, var(--surface)) 2px 4px); }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; list-style: none; padding: 0; margin: 0.5rem 0 0; font-size: 0.8rem; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 0.3rem; }
.legend .c { width: 0.8rem; height: 0.8rem; display: inline-block; border-radius: 2px; background: var(--o); }

/* A check's page. */
.head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.9rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0; }
.facts dt { color: var(--muted); font-weight: 600; font-size: 0.85rem; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 1rem; }
.windows { display: inline-flex; border: 1px solid var(--border); border-radius: 6px; overflow: hidden; }
.windows a { padding: 0.3rem 0.8rem; text-decoration: none; color: var(--fg); background: var(--surface); border-left: 1px solid var(--border); }
.windows a:first-child { border-left: none; }
.windows a[aria-current="page"] { background: var(--link); color: var(--on-link); font-weight: 600; }
.section-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem; margin: 1.75rem 0 0.6rem; }
.section-head h2 { margin: 0; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr)); gap: 1rem; }
.plots.pair { grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); }
figure.plot { margin: 0; background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 0.75rem; min-width: 0; }
figure.plot h3 { margin: 0 0 0.2rem; font-size: 1rem; }
figure.plot figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.4rem; font-variant-numeric: tabular-nums; }
.plot-canvas { width: 100%; min-height: 240px; }
.plot-empty { padding: 3rem 1rem; text-align: center; color: var(--muted); }
.uplot { font-family: inherit; }
.uplot .u-legend { font-size: 0.8rem; color: var(--fg); }
.failures { display: grid; gap: 0.75rem; }
.failure { background: var(--surface); border: 1px solid var(--border); border-left: 4px solid var(--o); border-radius: 8px; padding: 0.75rem 1rem; }
.failure h3 { font-size: 0.95rem; margin: 0 0 0.3rem; display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.failure .error { margin: 0.3rem 0; overflow-wrap: anywhere; }
.attempts { margin: 0.3rem 0 0; padding-left: 1.2rem; font-size: 0.88rem; color: var(--muted); }
.resources td, .resources th { font-size: 0.9rem; }
.resources code { overflow-wrap: anywhere; }

@media (max-width: 760px) {
  body { font-size: 16px; }
  main { padding: 0.6rem; }
  .updated { margin-left: 0; width: 100%; }
  .checks thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .checks, .checks tbody, .checks tr, .checks th, .checks td { display: block; }
  .checks tr { display: grid; grid-template-columns: repeat(3, 1fr); border-bottom: 1px solid var(--border); padding: 0.5rem 0.2rem; }
  .checks tbody th, .checks td { border: none; padding: 0.3rem 0.5rem; min-width: 0; }
  .checks tbody th, .checks td.wide { grid-column: 1 / -1; }
  .checks td.status { grid-column: 1 / -1; }
  .checks tr.down { box-shadow: inset 4px 0 0 var(--failed); }
  .checks tr.down > th { box-shadow: none; }
  .checks td[data-label]::before { content: attr(data-label); display: block; font-size: 0.72rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
  .checks .num { text-align: left; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 0.4rem; }
}
@media (prefers-reduced-motion: no-preference) { #live { transition: opacity 0.15s; } #live.loading { opacity: 0.6; } }
`;
