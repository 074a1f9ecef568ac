/** Inline style of the report: no web fonts, A4-friendly print rules. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6576; --line: #d9dee7; --ok: #1f7a3a; --bad: #b3261e; --accent: #3b6ea5; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #f5f7fa; font-size: 14px; line-height: 1.45; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
header h1 { margin: 0 0 4px; font-size: 24px; }
.meta { margin: 0; color: var(--muted); }
.meta dt { display: inline; font-weight: 600; color: var(--ink); }
.meta dd { display: inline; margin: 0 16px 0 4px; }
.chain { margin: 16px 0; padding: 12px 16px; border-radius: 6px; border-left: 6px solid var(--ok); background: #eef7f0; }
.chain.broken { border-left-color: var(--bad); background: #fdeceb; }
.chain h2 { margin: 0 0 4px; font-size: 16px; }
.chain.broken h2 { color: var(--bad); }
.chain code { font-size: 12px; word-break: break-all; }
.headline { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 16px 0 8px; padding: 0; list-style: none; }
.headline li { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.headline .value { display: block; font-size: 22px; font-weight: 600; color: var(--accent); }
.headline .label { color: var(--muted); font-size: 12px; }
section { margin-top: 28px; break-inside: avoid-page; }
section > h2 { font-size: 18px; margin: 0 0 2px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.finding { margin: 10px 0 6px; font-size: 15px; font-weight: 600; }
.pair { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; margin-bottom: 12px; break-inside: avoid; }
figure { margin: 0; flex: 0 0 auto; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 12.5px; min-width: 260px; flex: 1 1 260px; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.empty, .note { color: var(--muted); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { background: white; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .headline { grid-template-columns: repeat(4, 1fr); }
  section { break-inside: auto; }
  .pair, table, figure { break-inside: avoid; }
  thead { display: table-header-group; }
}
`;
