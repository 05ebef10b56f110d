// Renders an overlay folder: its resources (plain folders, files, or other overlays: they stack), then
// its patches, images, names and common labels/tags, and at the top `${VAR}` substitution. Pure and
// deterministic: the files of one revision in, documents out, each node still knowing the
// file:line:col where it was written. Every problem is collected, none thrown.
import type { ManifestProblem } from '../../errors.js';
import type { SourceLocation } from '../../types.js';
import { locationOf, problemAt } from '../document-problems.js';
import type { ManifestFile } from '../model.js';
import { validateOverlaySchema } from '../schema-validate.js';
import { didYouMean } from '../suggest.js';
import { parseYamlFile, type YamlDocument } from '../yaml-documents.js';
import { applyImages, type ImageEntry } from './images.js';
import { applyOperation } from './json-patch.js';
import {
  type JsonPatchOperation,
  OVERLAY_FILE,
  OVERLAY_KIND,
  type OverlaySpec,
  type PatchSpec,
  type PatchTarget,
  type RenderResult,
  type Sourced,
} from './model.js';
import { applyCommon, identityOf, rename } from './names.js';
import { isManifestFile, joinPath, resolveInRepository } from './paths.js';
import { parseSelector, type Selector, selects } from './selector.js';
import { isMapping, originAt, originsOf, pointerOf, sourcedOf } from './sourced.js';
import { type MergePatch, strategicMerge } from './strategic-merge.js';
import { substituteVars, type VarDefinition } from './vars.js';

export interface RenderOptions {
  /** Repository-relative folder holding the ecs-gitops.yaml (`envs/prod`). */
  readonly dir: string;
  /** Where `{env: NAME}` vars are read: the controller's environment, passed in. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Overlays stack; deeper than this is a mistake, not a design. */
export const MAX_DEPTH = 16;

interface Level {
  readonly documents: Sourced[];
  readonly vars: Map<string, VarDefinition>;
}

type PatchBody =
  | {
      readonly type: 'merge';
      readonly patch: MergePatch;
      readonly identity?: { kind?: string; name?: string };
    }
  | {
      readonly type: 'json';
      readonly operations: readonly JsonPatchOperation[];
      readonly document: YamlDocument;
      readonly root: string;
    };

class Renderer {
  readonly problems: ManifestProblem[] = [];
  readonly used = new Set<string>();
  private readonly files: ReadonlyMap<string, Buffer | string>;
  private readonly paths: readonly string[];

  constructor(
    files: readonly ManifestFile[],
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {
    this.files = new Map(files.map((file) => [file.path, file.content]));
    this.paths = [...this.files.keys()].sort();
  }

  private parse(path: string): YamlDocument[] {
    this.used.add(path);
    const parsed = parseYamlFile(path, this.files.get(path) ?? '');
    this.problems.push(...parsed.problems);
    return [...parsed.documents];
  }

  private under(folder: string): string[] {
    this.used.add(folder);
    const prefix = folder ? `${folder}/` : '';
    return this.paths.filter((path) => path.startsWith(prefix) && isManifestFile(path));
  }

  isOverlay(folder: string): boolean {
    return this.files.has(joinPath(folder, OVERLAY_FILE));
  }

  render(folder: string, chain: readonly string[]): Level | undefined {
    const file = joinPath(folder, OVERLAY_FILE);
    const documents = this.parse(file);
    if (documents.length !== 1) {
      if (documents.length > 1 || !this.problems.some((p) => p.location.file === file))
        this.problems.push({
          location: documents[1] ? locationOf(documents[1], '') : { file, line: 1, column: 1 },
          message: `${OVERLAY_FILE} must hold exactly one Overlay document (found ${documents.length})`,
        });
      return undefined;
    }
    const overlay = documents[0] as YamlDocument;
    const value = overlay.value;
    const name = isMapping(value) && isMapping(value.metadata) ? String(value.metadata.name ?? '?') : '?';
    const resource = `${OVERLAY_KIND}/${name}`;
    const report = (pointer: string, message: string, at: 'key' | 'value' = 'value'): void => {
      this.problems.push(problemAt(overlay, pointer, message, { resource, at }));
    };
    if (isMapping(value) && value.kind !== OVERLAY_KIND) {
      report('/kind', `${OVERLAY_FILE} must be of kind ${OVERLAY_KIND}, got ${JSON.stringify(value.kind)}`);
      return undefined;
    }
    const issues = validateOverlaySchema(value);
    for (const issue of issues) report(issue.pointer, issue.message, issue.at);
    if (issues.length > 0) return undefined;
    const spec = (value as { spec: OverlaySpec }).spec;
    const before = this.problems.length;
    const level: Level = { documents: [], vars: new Map() };

    for (const [index, entry] of spec.resources.entries()) {
      const problem = this.collect(folder, entry, chain, level);
      if (problem) report(`/spec/resources/${index}`, problem);
    }
    if (this.problems.length > before) return undefined;

    (spec.patches ?? []).forEach((patch, index) => {
      this.patch(folder, patch, `/spec/patches/${index}`, overlay, level.documents, resource);
    });

    const images: ImageEntry[] = [];
    for (const [index, image] of (spec.images ?? []).entries()) {
      const pointer = `/spec/images/${index}`;
      if (image.newTag !== undefined && image.digest !== undefined) {
        report(`${pointer}/digest`, 'give newTag or digest, not both (a digest pins the exact image)');
        continue;
      }
      const field = image.digest !== undefined ? 'digest' : image.newTag !== undefined ? 'newTag' : 'newName';
      images.push({ spec: image, at: locationOf(overlay, `${pointer}/${field}`) });
    }
    const unmatched = applyImages(level.documents, images);
    for (const index of unmatched) {
      const image = images[index];
      if (image)
        report(
          `/spec/images/${(spec.images ?? []).indexOf(image.spec)}/name`,
          `no container image named "${image.spec.name}" in this overlay's resources (match the image as written, without tag or digest)`,
        );
    }

    rename(level.documents, spec.namePrefix ?? '', spec.nameSuffix ?? '');
    const entries = (field: 'commonLabels' | 'commonTags') => ({
      values: spec[field] ?? {},
      at: (key: string): SourceLocation => locationOf(overlay, `/spec/${field}${pointerOf(key)}`),
    });
    applyCommon(level.documents, entries('commonLabels'), entries('commonTags'));

    for (const [key, definition] of Object.entries(spec.vars ?? {})) {
      const at = locationOf(overlay, `/spec/vars${pointerOf(key)}`);
      if (typeof definition === 'object') {
        const fromEnv = this.env[definition.env];
        level.vars.set(key, { value: fromEnv ?? definition.default, at, env: definition.env });
      } else {
        level.vars.set(key, { value: definition, at });
      }
    }
    return this.problems.length > before ? undefined : level;
  }

  /** Adds one resources entry's documents to the level; returns what is wrong with it, if anything. */
  private collect(folder: string, entry: string, chain: readonly string[], level: Level): string | undefined {
    const resolved = resolveInRepository(folder, entry);
    if ('error' in resolved) return resolved.error;
    const path = resolved.path;
    if (this.isOverlay(path)) {
      if (path === folder || chain.includes(path))
        return `overlay cycle: ${[...chain, folder, path].map((p) => p || '.').join(' → ')}`;
      if (chain.length + 1 >= MAX_DEPTH)
        return `overlays stack deeper than ${MAX_DEPTH} levels here; flatten them`;
      const inner = this.render(path, [...chain, folder]);
      if (inner) {
        level.documents.push(...inner.documents);
        for (const [key, definition] of inner.vars) level.vars.set(key, definition);
      }
      return undefined;
    }
    if (path.endsWith(`/${OVERLAY_FILE}`) || path === OVERLAY_FILE)
      return `name the overlay's folder, not its ${OVERLAY_FILE}`;
    const files = this.files.has(path) ? [path] : this.under(path);
    if (files.length === 0)
      return `"${entry}" (${path || '.'}) does not exist in this revision, or holds no manifests`;
    for (const manifest of files)
      for (const document of this.parse(manifest)) level.documents.push(sourcedOf(document));
    return undefined;
  }

  private patch(
    folder: string,
    patch: PatchSpec,
    pointer: string,
    overlay: YamlDocument,
    documents: readonly Sourced[],
    resource: string,
  ): void {
    const report = (at: string, message: string): void => {
      this.problems.push(problemAt(overlay, at, message, { resource }));
    };
    const given = (['merge', 'jsonPatch', 'path'] as const).filter((field) => patch[field] !== undefined);
    if (given.length !== 1) {
      report(
        pointer,
        `a patch needs exactly one of merge, jsonPatch or path${given.length ? ` (got ${given.join(', ')})` : ''}`,
      );
      return;
    }
    const body = this.patchBody(folder, patch, pointer, overlay, resource);
    if (!body) return;
    const target: PatchTarget | undefined =
      patch.target ?? (body.type === 'merge' && body.identity?.name ? body.identity : undefined);
    if (
      !target ||
      (target.kind === undefined && target.name === undefined && target.labelSelector === undefined)
    ) {
      report(
        pointer,
        'a patch needs a target (kind, name and/or labelSelector), or a merge patch naming kind and metadata.name',
      );
      return;
    }
    let selector: Selector | undefined;
    if (target.labelSelector !== undefined) {
      const parsed = parseSelector(target.labelSelector);
      if ('error' in parsed) {
        report(`${pointer}/target/labelSelector`, parsed.error);
        return;
      }
      selector = parsed;
    }
    const matches = documents.filter((document) => {
      const identity = identityOf(document);
      if (!identity) return false;
      if (target.kind !== undefined && identity.kind !== target.kind) return false;
      if (target.name !== undefined && identity.name !== target.name) return false;
      if (!selector) return true;
      const metadata = (document.value as { metadata: Record<string, unknown> }).metadata;
      return selects(selector, isMapping(metadata.labels) ? metadata.labels : {});
    });
    if (matches.length === 0) {
      const names = documents.flatMap((document) => {
        const identity = identityOf(document);
        return identity && (target.kind === undefined || identity.kind === target.kind)
          ? [identity.name]
          : [];
      });
      const wanted = [target.kind, target.name].filter(Boolean).join('/') || `labels ${target.labelSelector}`;
      const where = patch.target
        ? `${pointer}/target${target.name !== undefined ? '/name' : target.kind !== undefined ? '/kind' : ''}`
        : `${pointer}/path`;
      report(
        where,
        `patch target ${wanted} matches no document of this overlay's resources${target.name !== undefined ? didYouMean(target.name, names) : ''}`,
      );
      return;
    }
    for (const document of matches) {
      const label = identityOf(document);
      const on = label ? ` (patching ${label.kind}/${label.name})` : '';
      if (body.type === 'merge') {
        strategicMerge(document, body.patch, (at, message) =>
          this.problems.push({
            location: originAt(body.patch.origins, at) ?? locationOf(overlay, pointer),
            resource,
            message: `${message}${on}`,
          }),
        );
      } else {
        const origins = originsOf(body.document);
        body.operations.forEach((operation, index) => {
          const at = `${body.root}/${index}`;
          applyOperation(document, { operation, origins, pointer: at }, (field, message) =>
            this.problems.push({
              location: originAt(origins, `${at}/${field}`) ?? locationOf(body.document, at),
              resource,
              message: `${operation.op} ${operation.path}: ${message}${on}`,
            }),
          );
        });
      }
    }
  }

  private patchBody(
    folder: string,
    patch: PatchSpec,
    pointer: string,
    overlay: YamlDocument,
    resource: string,
  ): PatchBody | undefined {
    const report = (at: string, message: string): void => {
      this.problems.push(problemAt(overlay, at, message, { resource }));
    };
    if (patch.merge !== undefined) {
      return this.mergeBody(patch.merge, overlay, `${pointer}/merge`, resource);
    }
    if (patch.jsonPatch !== undefined) {
      return { type: 'json', operations: patch.jsonPatch, document: overlay, root: `${pointer}/jsonPatch` };
    }
    const resolved = resolveInRepository(folder, patch.path ?? '');
    if ('error' in resolved) {
      report(`${pointer}/path`, resolved.error);
      return undefined;
    }
    if (!this.files.has(resolved.path)) {
      report(`${pointer}/path`, `patch file ${resolved.path} does not exist in this revision`);
      return undefined;
    }
    const [document, extra] = this.parse(resolved.path);
    if (!document || extra) {
      report(`${pointer}/path`, `patch file ${resolved.path} must hold exactly one document`);
      return undefined;
    }
    if (Array.isArray(document.value)) {
      const operations: JsonPatchOperation[] = [];
      let valid = true;
      document.value.forEach((operation, index) => {
        const ok =
          isMapping(operation) &&
          ['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(String(operation.op)) &&
          typeof operation.path === 'string';
        // `ok` checked op (one of the six) and path (a string), all JSON Patch asks of the shape; the
        // patch library validates the values, so the cast in the else branch asserts what was checked.
        if (!ok) {
          valid = false;
          this.problems.push(
            problemAt(
              document,
              `/${index}`,
              'a JSON patch operation needs op (add, remove, replace, move, copy, test) and path',
              { resource },
            ),
          );
        } else operations.push(operation as unknown as JsonPatchOperation);
      });
      return valid ? { type: 'json', operations, document, root: '' } : undefined;
    }
    if (!isMapping(document.value)) {
      this.problems.push(
        problemAt(document, '', 'a patch file holds a merge patch (a mapping) or a JSON patch (a list)', {
          resource,
        }),
      );
      return undefined;
    }
    return this.mergeBody(document.value, document, '', resource);
  }

  /** Kind and metadata.name in a merge patch say which document it patches; they are not merged. */
  private mergeBody(
    value: Record<string, unknown>,
    document: YamlDocument,
    root: string,
    resource: string,
  ): PatchBody | undefined {
    const { kind, apiVersion, metadata, ...rest } = value;
    void apiVersion;
    const identity: { kind?: string; name?: string } = {};
    if (typeof kind === 'string') identity.kind = kind;
    const body: Record<string, unknown> = { ...rest };
    if (isMapping(metadata)) {
      const { name, ...otherMetadata } = metadata;
      if (typeof name === 'string') identity.name = name;
      if (Object.keys(otherMetadata).length > 0) body.metadata = otherMetadata;
    } else if (metadata !== undefined) {
      this.problems.push(problemAt(document, `${root}/metadata`, 'metadata must be a mapping', { resource }));
      return undefined;
    }
    return { type: 'merge', patch: { value: body, origins: originsOf(document), root }, identity };
  }
}

/** Renders the overlay in `options.dir` from the revision's files (repository-relative paths). */
export function renderOverlay(files: readonly ManifestFile[], options: RenderOptions): RenderResult {
  const renderer = new Renderer(files, options.env);
  const dir = options.dir.replace(/^\.\/?|\/$/g, '');
  if (!renderer.isOverlay(dir)) {
    return {
      ok: false,
      problems: [
        {
          location: { file: joinPath(dir, OVERLAY_FILE), line: 1, column: 1 },
          message: `no ${OVERLAY_FILE} in ${dir || '.'}`,
        },
      ],
      used: [],
    };
  }
  const level = renderer.render(dir, []);
  const used = [...renderer.used].sort();
  if (!level || renderer.problems.length > 0) return { ok: false, problems: renderer.problems, used };
  const problems = substituteVars(level.documents, level.vars).map((problem) => ({ ...problem }));
  if (problems.length > 0) return { ok: false, problems, used };
  return { ok: true, documents: level.documents, used };
}
