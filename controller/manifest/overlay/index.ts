// Overlays: `ecs-gitops.yaml` of kind Overlay builds an environment from other folders. This facade
// renders (render.ts) and then loads the result like any revision (schema, rules, references), with
// problems at the file:line:col where the offending value was written.
import type { ManifestProblem } from '../../errors.js';
import { firstProblems, loadDocuments } from '../index.js';
import type { ManifestFile, ManifestResult } from '../model.js';
import type { YamlDocument } from '../yaml-documents.js';
import { parseYamlFile } from '../yaml-documents.js';
import { OVERLAY_FILE, type Sourced } from './model.js';
import { joinPath, resolveInRepository } from './paths.js';
import { type RenderOptions, renderOverlay } from './render.js';
import { isMapping } from './sourced.js';

export { OVERLAY_FILE, OVERLAY_KIND } from './model.js';
export { printRendered } from './print.js';
export { type RenderOptions, renderOverlay } from './render.js';

/** A rendered document in the loader's form: its nodes' origins replace offsets in one file. */
export function toYamlDocument(document: Sourced): YamlDocument {
  return {
    file: document.file,
    index: document.index,
    value: document.value,
    offset: 0,
    positions: { value: new Map(), key: new Map() },
    lines: [0],
    origins: document.origins,
  };
}

export interface OverlayLoad {
  readonly result: ManifestResult;
  /** The rendered documents (plain data), in resource order: what `ecs-gitops render` prints. */
  readonly documents: readonly unknown[];
  /** Files the rendering read: problems reading other files of the repository do not concern it. */
  readonly used: readonly string[];
}

export interface OverlayLoadOptions extends RenderOptions {
  readonly revision: string;
  /**
   * Problems reading the repository (oversized files, symlinks out of it …). Those in files or folders
   * the rendering used reject the revision, like invalid YAML; the rest of the repository is not its business.
   */
  readonly readProblems?: readonly ManifestProblem[];
}

const concerns = (used: readonly string[], file: string) =>
  used.some((path) => path === '' || file === path || file.startsWith(`${path}/`));

/** Renders the overlay in `options.dir` and validates the result as one revision. */
export function loadOverlay(files: readonly ManifestFile[], options: OverlayLoadOptions): OverlayLoad {
  const rendered = renderOverlay(files, options);
  const unreadable = (options.readProblems ?? []).filter((problem) =>
    concerns(rendered.used, problem.location.file),
  );
  if (!rendered.ok || unreadable.length > 0) {
    const problems = firstProblems([...unreadable, ...(rendered.ok ? [] : rendered.problems)]);
    return { result: { ok: false, ...problems, warnings: [] }, documents: [], used: rendered.used };
  }
  return {
    result: loadDocuments(rendered.documents.map(toYamlDocument), [], { revision: options.revision }),
    documents: rendered.documents.map((document) => document.value),
    used: rendered.used,
  };
}

/**
 * The repository paths an overlay file names (its resources and patch files), for the reader that
 * fetches them before rendering. Tolerant: whatever cannot be read here, render reports.
 */
export function overlayReferences(folder: string, content: Buffer | string): string[] {
  const parsed = parseYamlFile(joinPath(folder, OVERLAY_FILE), content);
  const spec = isMapping(parsed.documents[0]?.value) ? parsed.documents[0].value.spec : undefined;
  if (!isMapping(spec)) return [];
  const named: unknown[] = [
    ...(Array.isArray(spec.resources) ? spec.resources : []),
    ...(Array.isArray(spec.patches)
      ? spec.patches.map((patch) => (isMapping(patch) ? patch.path : undefined))
      : []),
  ];
  return named.flatMap((entry) => {
    if (typeof entry !== 'string') return [];
    const resolved = resolveInRepository(folder, entry);
    return 'path' in resolved ? [resolved.path] : [];
  });
}
