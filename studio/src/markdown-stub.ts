/**
 * Stands in for codemirror-json-schema's utils/markdown.js (markdown-it plus the Shiki highlighter,
 * several hundred KiB) in the build: schema descriptions here are plain sentences, so escaping the
 * text and showing `code` spans is all the hover and completion docs need.
 */
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderMarkdown(markdown: string, inline = true): string {
  const html = escape(markdown).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\n/g, '<br>');
  return inline ? html : `<p>${html}</p>`;
}
