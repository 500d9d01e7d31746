// cli-highlight is the heaviest module the CLI loads: `list`, `--help` and any text without a
// highlightable code block must never import it. Tests run in order and share one module cache.
import chalk from 'chalk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const imports = vi.hoisted(() => ({ count: 0 }));
vi.mock('cli-highlight', async (importOriginal) => {
  imports.count += 1;
  return await importOriginal();
});

const { renderMarkdown } = await import('../../src/render/markdown.js');
await import('../../src/render/format.js');
await import('../../src/render/stats.js');

const savedLevel = chalk.level;
beforeAll(() => {
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = savedLevel;
});

describe('lazy highlighter', () => {
  it('is not imported by loading the render modules', () => {
    expect(imports.count).toBe(0);
  });

  it('is not imported for text without code blocks', async () => {
    await renderMarkdown('# Title\n\nSome `inline code` only.', { color: true });
    expect(imports.count).toBe(0);
  });

  it('is not imported for code in an unknown language', async () => {
    await renderMarkdown('```text\nplain\n```', { color: true });
    expect(imports.count).toBe(0);
  });

  it('is not imported when colour is off', async () => {
    await renderMarkdown('```python\nx = 1\n```', { color: false });
    expect(imports.count).toBe(0);
  });

  it('is imported once a Python block is rendered in colour, and only once', async () => {
    await renderMarkdown('```python\nx = 1\n```', { color: true });
    await renderMarkdown('```sql\nSELECT 1;\n```', { color: true });
    expect(imports.count).toBe(1);
  });
});
