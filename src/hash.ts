/**
 * cyrb53: a fast 53-bit string hash (not cryptographic; node:crypto alone takes about 6 ms to
 * load). Used to name cache files and to recognise the built-in bank's files by their content.
 * Returned as 14 hex digits.
 */
export function cyrb53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** cyrb53 as a number (exact in a float64): one column of the bank index per file. */
export function cyrb53Value(text: string): number {
  return Number.parseInt(cyrb53(text), 16);
}
