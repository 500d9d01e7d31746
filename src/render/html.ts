/**
 * Markdown → one-line HTML for Anki fields: everything escaped, line breaks as `<br>`, code
 * blocks as `<pre><code>`, and never a raw tab or newline (Anki's text import splits fields on
 * tabs and notes on newlines).
 */
import { parseInline, parseMarkdown, type Block, type Inline } from './mdparse.js';
import { sanitize } from './sanitize.js';

/** HTML-escapes text and turns its newlines into `<br>` and tabs into `&#9;`. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\r?\n/g, '<br>')
    .replace(/\t/g, '&#9;');
}

function safeUrl(url: string): string | undefined {
  // A pack could smuggle script into a card through a link; only plain web and mail links.
  return /^(https?:|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}

function inlineHtml(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
          return escapeHtml(node.text);
        case 'code':
          return `<code>${escapeHtml(node.text)}</code>`;
        case 'strong':
          return `<b>${inlineHtml(node.children)}</b>`;
        case 'em':
          return `<i>${inlineHtml(node.children)}</i>`;
        case 'strike':
          return `<s>${inlineHtml(node.children)}</s>`;
        case 'link': {
          const href = safeUrl(node.url);
          const label = inlineHtml(node.children);
          return href ? `<a href="${escapeHtml(href)}">${label}</a>` : `${label} (${escapeHtml(node.url)})`;
        }
        case 'image':
          return escapeHtml(`[image: ${node.alt}]`);
        case 'break':
          return '<br>';
      }
    })
    .join('');
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<div><b>${inlineHtml(parseInline(block.text))}</b></div>`;
    case 'paragraph':
      return `<div>${inlineHtml(parseInline(block.text))}</div>`;
    case 'code': {
      const lang = block.lang ? ` class="language-${escapeHtml(block.lang)}"` : '';
      return `<pre><code${lang}>${escapeHtml(block.code)}</code></pre>`;
    }
    case 'rule':
      return '<hr>';
    case 'quote':
      return `<blockquote>${blocksHtml(block.blocks)}</blockquote>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
      return `<${tag}${start}>${block.items.map((item) => `<li>${blocksHtml(item)}</li>`).join('')}</${tag}>`;
    }
    case 'table': {
      const cell = (tag: string, text: string, i: number): string => {
        const align = block.align[i];
        const style = align && align !== 'left' ? ` style="text-align:${align}"` : '';
        return `<${tag}${style}>${inlineHtml(parseInline(text))}</${tag}>`;
      };
      const head = `<tr>${block.head.map((h, i) => cell('th', h, i)).join('')}</tr>`;
      const rows = block.rows.map((row) => `<tr>${block.head.map((_, i) => cell('td', row[i] ?? '', i)).join('')}</tr>`);
      return `<table>${head}${rows.join('')}</table>`;
    }
  }
}

function blocksHtml(blocks: Block[]): string {
  return blocks.map(blockHtml).join('');
}

/**
 * Markdown → HTML on one line. Soft line breaks inside a paragraph stay line breaks: question
 * text is short and its authors break lines on purpose.
 */
export function markdownToHtml(markdown: string): string {
  return blocksHtml(parseMarkdown(sanitize(markdown)));
}
