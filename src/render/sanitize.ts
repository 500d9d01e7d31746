/**
 * Question packs are untrusted: their text must never be able to drive the terminal (clear the
 * screen, move the cursor, set the window title, plant hyperlinks). Everything that reaches the
 * terminal from a pack goes through `sanitize` first; only the program's own styling is added
 * after it.
 */

// One alternation, tried left to right at each position:
//  1. String sequences — OSC (ESC ] / 0x9D), DCS (ESC P / 0x90), SOS (ESC X / 0x98),
//     PM (ESC ^ / 0x9E), APC (ESC _ / 0x9F) — up to BEL, ST (ESC \ or 0x9C). The payload (a
//     window title, a hyperlink URL) is dropped with it. An unterminated one stops at the next
//     ESC (which starts its own match) or the end of the line: a terminal would swallow
//     everything after it, but throwing away the rest of the document would hide the attack.
//  2. CSI (ESC [ / 0x9B): parameters, intermediates, final byte; the final byte is optional so
//     that a truncated sequence goes too.
//  3. Any other ESC sequence (ESC c, ESC 7, ESC ( B, ESC # 8, ...), or a lone ESC.
//  4. Every remaining C0 control but \t and \n (so \r, which can overwrite a line), DEL, and the
//     C1 range U+0080–U+009F (8-bit controls some terminals honour even when UTF-8 encoded).
const CONTROL =
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?|\x1b[\x20-\x2f]*[\x30-\x7e]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

const SGR = /^\x1b\[[0-9;]*m$/;

/**
 * The last guard before the terminal, for everything the program prints: like `sanitize`, but
 * keeps colour (SGR) sequences, the only ones the program writes itself. A name from a pack (a
 * folder called `t2\x1b[2J`, a file name carrying an OSC 52 clipboard write) loses its controls
 * here even where a message forgot to sanitize it.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (m) => (SGR.test(m) ? m : ''));
}

/** `text` without any terminal control sequence or control character (keeps `\n` and `\t`). */
export function sanitize(text: string): string {
  return text.replace(CONTROL, '');
}

/** True when `text` holds nothing `sanitize` would remove. */
export function isClean(text: string): boolean {
  CONTROL.lastIndex = 0;
  const found = CONTROL.test(text);
  CONTROL.lastIndex = 0;
  return !found;
}

/**
 * JSON for stdout that is safe to land in a terminal and still lossless: JSON.stringify escapes
 * C0 controls but not DEL or the C1 range, so those become \u escapes too (they can only occur
 * inside strings, where an escape means the same character).
 */
export function terminalSafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    /[\x7f-\x9f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
