import { describe, expect, it } from 'vitest';
import { isClean, sanitize, terminalSafeJson } from '../../src/render/sanitize.js';

const ESC = '\x1b';
// Anything a terminal could act on, apart from \t and \n.
const CONTROL_CHAR = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('sanitize', () => {
  it('keeps ordinary text, Unicode, tabs and newlines as they are', () => {
    const text = 'select_related → JOIN\n\tprefetch_related: 2 queries ✓ 日本語 🎯';
    expect(sanitize(text)).toBe(text);
  });

  it.each([
    ['clear screen and home', `before${ESC}[2J${ESC}[Hafter`, 'beforeafter'],
    ['clear scrollback', `a${ESC}[3Jb`, 'ab'],
    ['cursor position', `a${ESC}[10;5Hb`, 'ab'],
    ['cursor up and erase line', `a${ESC}[1A${ESC}[2Kb`, 'ab'],
    ['hide cursor (private mode)', `a${ESC}[?25lb`, 'ab'],
    ['alternate screen', `a${ESC}[?1049hb`, 'ab'],
    ['SGR colour', `${ESC}[31;1mred${ESC}[0m`, 'red'],
    ['CSI with an intermediate byte', `a${ESC}[2 qb`, 'ab'],
    ['8-bit CSI', `a\x9b2Jb\x9b10;10H`, 'ab'],
  ])('removes CSI: %s', (_name, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it.each([
    ['OSC 0 window title, BEL-terminated', `a${ESC}]0;pwned by a pack\x07b`, 'ab'],
    ['OSC 2 window title, ST-terminated', `a${ESC}]2;title${ESC}\\b`, 'ab'],
    ['OSC 8 hyperlink keeps only its text', `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, 'click'],
    ['OSC 52 clipboard write', `x${ESC}]52;c;cm0gLXJmIH4=\x07y`, 'xy'],
    ['8-bit OSC with 8-bit ST', `a\x9d0;title\x9cb`, 'ab'],
    ['DCS (sixel)', `a${ESC}Pq#0;2;0;0;0#0~~${ESC}\\b`, 'ab'],
    ['SOS', `a${ESC}Xhidden${ESC}\\b`, 'ab'],
    ['PM', `a${ESC}^private${ESC}\\b`, 'ab'],
    ['APC', `a${ESC}_G a=T;payload${ESC}\\b`, 'ab'],
    ['8-bit DCS', `a\x90payload\x9cb`, 'ab'],
  ])('removes string sequences with their payload: %s', (_name, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it('drops an unterminated OSC up to the end of its line, keeping the next lines', () => {
    expect(sanitize(`title${ESC}]0;evil title\nnext line`)).toBe('title\nnext line');
    expect(sanitize(`a${ESC}]0;never ends`)).toBe('a');
  });

  it('ends an unterminated string sequence at the next ESC, which is removed in turn', () => {
    expect(sanitize(`a${ESC}]0;t${ESC}[2Jb`)).toBe('ab');
  });

  it('removes unterminated and truncated CSI', () => {
    expect(sanitize(`abc${ESC}[`)).toBe('abc');
    expect(sanitize(`abc${ESC}[12;`)).toBe('abc');
    expect(sanitize(`abc\x9b`)).toBe('abc');
  });

  it.each([
    ['full reset', `a${ESC}cb`],
    ['save cursor', `a${ESC}7b`],
    ['restore cursor', `a${ESC}8b`],
    ['charset designation', `a${ESC}(0b`],
    ['screen alignment test', `a${ESC}#8b`],
    ['index / reverse index', `a${ESC}D${ESC}Mb`],
    ['keypad mode', `a${ESC}=${ESC}>b`],
    ['lone ESC at the end', `ab${ESC}`],
  ])('removes single ESC sequences: %s', (_name, input) => {
    expect(sanitize(input)).toBe('ab');
  });

  it('removes carriage returns, which could overwrite what was printed', () => {
    expect(sanitize('rm -rf safe\rEVIL')).toBe('rm -rf safeEVIL');
    expect(sanitize('line one\r\nline two\r\n')).toBe('line one\nline two\n');
  });

  it('removes every C0 control except tab and newline, DEL, and every C1 control', () => {
    let all = '';
    for (let code = 0; code <= 0x9f; code++) all += String.fromCharCode(code);
    const cleaned = sanitize(all);
    expect(cleaned).not.toMatch(CONTROL_CHAR);
    expect(cleaned).toContain('\t');
    expect(cleaned).toContain('\n');
    expect(cleaned).toContain('ABC');
  });

  it('leaves no control character in random garbage (fuzz)', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = [ESC, '[', ']', '\x07', '\\', '\x9b', '\x9c', '\x9d', '\r', ';', '0', 'm', 'H', 'P', '_', 'a', ' ', '\n', '\x00', '\x7f'];
    for (let run = 0; run < 500; run++) {
      let text = '';
      for (let i = 0; i < 40; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const cleaned = sanitize(text);
      expect(cleaned).not.toMatch(CONTROL_CHAR);
      expect(sanitize(cleaned)).toBe(cleaned);
    }
  });

  it('isClean tells whether sanitize would change anything', () => {
    expect(isClean('plain text\n\twith tab')).toBe(true);
    expect(isClean(`x${ESC}[2J`)).toBe(false);
    expect(isClean('x\x9b')).toBe(false);
    // The regex is global: repeated calls must not carry state over.
    expect(isClean(`x${ESC}[2J`)).toBe(false);
  });
});

describe('terminalSafeJson', () => {
  it('escapes ESC, DEL and C1 characters but keeps the data', () => {
    const value = { title: `a${ESC}]0;t\x07\x9b2J\x7fz`, n: 1 };
    const json = terminalSafeJson(value);
    expect(json).not.toMatch(CONTROL_CHAR);
    expect(JSON.parse(json)).toEqual(value);
  });
});
