/**
 * Makes a person's text display literally in Teams. Adaptive Card TextBlocks
 * and chat messages render a Markdown subset (emphasis, links, lists,
 * headings) and `<at>` mentions, so a justification such as
 * `[click here](https://…)` or `**APPROVED**` would otherwise show as a link
 * or bold text. Backslash escapes are plain CommonMark: the renderer shows
 * the character and drops the backslash.
 */
const INLINE = /[\\`*_[\]<>~&|]/g;
/** Markers that only act at the start of a line: headings, quotes, lists, rules. */
const LINE_START = /^([ \t]*)(#|>|[-+=]|\d+[.)])/gm;

export function plainText(text: string): string {
  return text.replace(INLINE, '\\$&').replace(LINE_START, (_all, indent: string, marker: string) => `${indent}${escapeLast(marker)}`);
}

/** "12." becomes "12\." and "-" becomes "\-". */
function escapeLast(marker: string): string {
  return /^\d/.test(marker) ? `${marker.slice(0, -1)}\\${marker.slice(-1)}` : `\\${marker}`;
}
