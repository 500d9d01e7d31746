import { test } from 'vitest';
import chalk from 'chalk';
import { renderMarkdown } from '../../src/render/markdown.js';
const md = `# select_related vs prefetch_related

Explain **when** to use \`select_related()\` vs *prefetch_related* in an ORM query; snake_case_name and author__name__icontains stay. __init__ is bold. See [the docs](https://docs.djangoproject.com/en/5.2/ref/models/querysets/#select-related) or <https://example.com>. This is a fairly long paragraph that should wrap at the configured width nicely without breaking \`inline code with spaces\` anywhere at all.

1. First item
2. Second item with a long text that needs wrapping because it is longer than the width we set here
   - nested bullet
   - another
3. Third:
   \`\`\`python
   Book.objects.select_related("author")
   \`\`\`

> A quote with **bold**
> continues

| Lookup | SQL |
|---|--:|
| \`exact\` | = |
| \`icontains\` | ILIKE |

---

\`\`\`python
def f(x):
    # comment
    return "a" + str(x)
\`\`\`

\`\`\`brainfuck
+++.
\`\`\`
~~gone~~ 2 * 3 * 4 and a_b_c.
Setext
------
`;
test('x', async () => {
  chalk.level = 1;
  console.log(await renderMarkdown(md, { color: true, width: 60 }));
  console.log('=========');
  console.log(await renderMarkdown(md, { color: false, width: 60 }));
});
