// What `ecs-gitops render` prints: the rendered documents as YAML (one `---` per document) or JSON.
import { dump } from 'js-yaml';

export function printRendered(documents: readonly unknown[], format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(documents, null, 2)}\n`;
  return documents.map((document) => `---\n${dump(document, { lineWidth: -1, noRefs: true })}`).join('');
}
