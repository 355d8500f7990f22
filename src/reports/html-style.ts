/** The report's stylesheet: system fonts only (nothing to fetch), readable on screen and on paper. */
export const REPORT_CSS = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --card: #ffffff;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --info: #0969da; --info-bg: #ddf4ff; --phase: #6639ba;
}
* { box-sizing: border-box; }
html { background: var(--soft); }
body {
  margin: 0; color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  -webkit-font-smoothing: antialiased;
}
main { max-width: 1120px; margin: 0 auto; padding: 24px 24px 48px; }
h1 { font-size: 26px; line-height: 1.25; margin: 6px 0 8px; font-weight: 650; }
h2 { font-size: 18px; margin: 0 0 12px; font-weight: 650; }
h3 { font-size: 15px; margin: 16px 0 8px; font-weight: 650; }
p { margin: 6px 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
.muted { color: var(--muted); }
section, header.verdict {
  background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin-top: 16px;
}
header.verdict { border-top: 6px solid var(--tone); margin-top: 0; }
.tone-pass { --tone: var(--pass); --tone-bg: var(--pass-bg); }
.tone-fail { --tone: var(--fail); --tone-bg: var(--fail-bg); }
.tone-warn { --tone: var(--warn); --tone-bg: var(--warn-bg); }
.badge {
  display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 13px; font-weight: 700; letter-spacing: .04em;
  color: var(--tone); background: var(--tone-bg); border: 1px solid var(--tone);
}
.reason { font-size: 16px; }
.meaning { color: var(--muted); }
.meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 14px 0 0; padding: 0; }
.meta div { display: flex; gap: 6px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.callout { margin-top: 14px; padding: 10px 14px; border-radius: 8px; background: var(--fail-bg); border: 1px solid var(--fail); }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; background: none; border: 0; padding: 0; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; border-left: 4px solid var(--tone, var(--line)); }
.kpi .label { color: var(--muted); font-size: 13px; }
.kpi .value { font-size: 26px; font-weight: 650; line-height: 1.3; font-variant-numeric: tabular-nums; }
.kpi .sub { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; background: var(--soft); }
td.num, th.num { text-align: right; }
tr.zero td { color: var(--muted); }
.status { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 650; white-space: nowrap; }
.status.pass { color: var(--pass); background: var(--pass-bg); }
.status.fail { color: var(--fail); background: var(--fail-bg); }
.status.inconclusive, .status.warn { color: var(--warn); background: var(--warn-bg); }
.status.info { color: var(--info); background: var(--info-bg); }
.chart-tools { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; flex-wrap: wrap; }
.chart-tools button {
  font: inherit; font-size: 13px; padding: 3px 10px; border-radius: 6px; border: 1px solid var(--line); background: var(--soft); cursor: pointer;
}
.chart-tools button:hover { border-color: var(--muted); }
.chart { margin-top: 8px; }
.uplot { font-family: inherit; }
.uplot .u-title { font-size: 14px; font-weight: 600; text-align: left; padding-left: 60px; }
.u-legend { font-size: 13px; text-align: left; margin: 4px 0 0 52px; width: auto; }
.u-legend th, .u-legend td { background: none; border: 0; padding: 2px 6px; color: var(--fg); }
.u-over { overflow: hidden; }
.fault-band {
  position: absolute; top: 0; bottom: 0; pointer-events: none;
  background: repeating-linear-gradient(135deg, rgba(207, 34, 46, .09) 0 8px, rgba(207, 34, 46, .05) 8px 16px);
  border-left: 1px solid rgba(207, 34, 46, .55); border-right: 1px solid rgba(207, 34, 46, .55);
}
.phase-marker { position: absolute; top: 0; bottom: 0; width: 0; border-left: 1.5px dashed var(--phase); pointer-events: none; }
.phase-marker.phase-fault-start { border-left-style: solid; border-left-color: var(--fail); }
.phase-marker.phase-recovered { border-left-style: solid; border-left-color: var(--pass); }
.chart-label {
  position: absolute; white-space: nowrap; font-size: 12px; line-height: 16px; padding: 0 6px; pointer-events: none;
  border-left: 2px solid var(--phase); color: var(--phase); background: rgba(255, 255, 255, .85);
}
.chart-label.flipped { border-left: 0; border-right: 2px solid var(--phase); }
.fault-label { color: var(--fail); border-color: var(--fail); font-weight: 600; }
.phase-label.phase-fault-start { color: var(--fail); border-color: var(--fail); }
.phase-label.phase-recovered { color: var(--pass); border-color: var(--pass); font-weight: 600; }
.rto-span { position: absolute; bottom: 10px; height: 0; border-top: 2px solid var(--phase); pointer-events: none; }
.rto-span::before, .rto-span::after { content: ""; position: absolute; top: -6px; height: 10px; border-left: 2px solid var(--phase); }
.rto-span::before { left: 0; }
.rto-span::after { right: 0; }
.rto-text {
  position: absolute; left: 4px; bottom: 3px; white-space: nowrap; font-size: 12px; font-weight: 650; color: var(--phase);
  background: rgba(255, 255, 255, .85); padding: 0 4px; border-radius: 3px;
}
.empty { padding: 18px; border: 1px dashed var(--line); border-radius: 8px; color: var(--muted); background: var(--soft); }
.legend-key { display: flex; gap: 18px; flex-wrap: wrap; font-size: 13px; color: var(--muted); margin-top: 8px; }
.legend-key span::before { content: ""; display: inline-block; width: 14px; height: 10px; margin-right: 6px; vertical-align: -1px; }
.legend-key .key-fault::before { background: rgba(207, 34, 46, .15); border: 1px solid rgba(207, 34, 46, .55); }
.legend-key .key-phase::before { width: 0; height: 12px; border-left: 2px dashed var(--phase); }
.legend-key .key-rto::before { height: 0; border-top: 2px solid var(--phase); }
ol.plan { padding-left: 0; list-style: none; margin: 0; counter-reset: step; }
ol.plan > li { position: relative; padding: 10px 0 10px 44px; border-bottom: 1px solid var(--line); counter-increment: step; }
ol.plan > li:last-child { border-bottom: 0; }
ol.plan > li::before {
  content: counter(step); position: absolute; left: 0; top: 9px; width: 28px; height: 28px; border-radius: 50%;
  background: var(--soft); border: 1px solid var(--line); text-align: center; line-height: 26px; font-size: 13px; color: var(--muted);
}
ol.plan > li.step-fault::before { background: var(--fail-bg); border-color: var(--fail); color: var(--fail); }
ol.plan ul { margin: 4px 0 0; padding-left: 18px; color: var(--muted); font-size: 14px; }
.fidelity { color: var(--warn); }
details summary { cursor: pointer; color: var(--info); }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow: auto; font-size: 12px; max-height: 320px; }
ul.problems { margin: 0; padding-left: 20px; }
ul.problems li { margin: 4px 0; }
dl.env { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dl.env dt { color: var(--muted); }
dl.env dd { margin: 0; overflow-wrap: anywhere; }
.two-col { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px 24px; }
footer { margin-top: 24px; color: var(--muted); font-size: 13px; text-align: center; }
@media print {
  html { background: #fff; }
  section, header.verdict, .kpi { break-inside: avoid; border-color: #bbb; }
  .chart-tools, details summary { display: none; }
}
`
