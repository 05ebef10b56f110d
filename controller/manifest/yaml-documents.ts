// YAML text → documents with a position for every node, using js-yaml's event stream so any later
// problem (schema, reference, semantics) can point at the exact line and column. Pure: text in, data out.
import {
  constructFromEvents,
  EVENT_ID,
  type Event,
  getScalarValue,
  parseEvents,
  SCALAR_STYLE,
  type ScalarEvent,
  YAMLException,
} from 'js-yaml';
import type { ManifestProblem } from '../errors.js';
import type { SourceLocation } from '../types.js';
import { type LineIndex, lineIndex, locate } from './positions.js';

/** Guards against hostile or accidental input (docs/architecture.md#one-pass-step-by-step: bad input must fail fast and clearly). */
export const LIMITS = {
  /** ECS itself caps a task definition at 64 KiB; a 1 MiB manifest file is already absurd. */
  maxFileBytes: 1024 * 1024,
  /** Aliases per document; real manifests use a handful. */
  maxAliases: 200,
  /** Nodes a document may have once aliases are expanded — stops "billion laughs" before construction. */
  maxExpandedNodes: 100_000,
  maxDepth: 64,
  /**
   * YAML documents in one file. Real files hold a handful; 100,000 tiny documents fit under the file
   * size limit and cost ~700 MB to parse, so the count is checked before anything is parsed.
   */
  maxDocumentsPerFile: 1000,
  /** Documents in one revision (all files): ten times the biggest fleets we know of. */
  maxDocumentsPerRevision: 10_000,
  /** Problems a rejected revision keeps (the count of all of them is kept too). */
  maxProblems: 100,
} as const;

/** JSON pointer (`/spec/containerDefinitions/0/image`) → source offsets. */
export interface NodePositions {
  /** Offset of the node's value (collection start or scalar text). -1 when the value is empty. */
  readonly value: ReadonlyMap<string, number>;
  /** Offset of the mapping key that holds the node. */
  readonly key: ReadonlyMap<string, number>;
}

/**
 * JSON pointer → where that node was written, in any file. Rendered documents (overlays) carry these:
 * a value may come from a base, a patch or a var, and problems must point at whichever wrote it.
 */
export interface NodeOrigins {
  readonly value: ReadonlyMap<string, SourceLocation>;
  readonly key: ReadonlyMap<string, SourceLocation>;
}

export interface YamlDocument {
  readonly file: string;
  /** 0-based index in the file, empty documents counted. */
  readonly index: number;
  readonly value: unknown;
  /** Offset of the document's first node. */
  readonly offset: number;
  readonly positions: NodePositions;
  /** Start of every line of the file (built on demand for parsed files: problems are rare). */
  readonly lines: LineIndex;
  /** Line and column of `offset`, when known without `lines` (every resource's source location). */
  readonly start?: { readonly line: number; readonly column: number };
  /** Set on rendered documents; takes precedence over `positions`, which then describe nothing. */
  readonly origins?: NodeOrigins;
}

export interface ParsedFile {
  readonly documents: readonly YamlDocument[];
  readonly problems: readonly ManifestProblem[];
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Decodes bytes as UTF-8 text, refusing binary content with a plain-words reason. */
export function decodeText(content: Buffer | string): { text: string } | { error: string } {
  if (typeof content === 'string') {
    if (content.includes('\u0000')) return { error: 'not a text file (contains NUL bytes); expected YAML' };
    // The same string when there is no BOM: the source's text is then the one the documents hold.
    return { text: content.charCodeAt(0) === 0xfeff ? content.slice(1) : content };
  }
  if (content.includes(0)) return { error: 'not a text file (contains NUL bytes); expected YAML' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
    return { text };
  } catch {
    return { error: 'not a text file (invalid UTF-8); expected YAML' };
  }
}

function byteLength(content: Buffer | string): number {
  return typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
}

interface Frame {
  readonly kind: 'map' | 'seq';
  readonly pointer: string;
  index: number;
  /** For mappings: the key whose value comes next, or undefined when a key comes next. */
  pendingKey: string | undefined;
  readonly keys: Map<string, number>;
  size: number;
  readonly anchor: string | undefined;
}

const NO_POSITIONS: NodePositions = { value: new Map(), key: new Map() };

interface WalkResult {
  readonly positions: NodePositions;
  readonly problems: readonly { offset: number; pointer: string; message: string }[];
  readonly expandedNodes: number;
  readonly hasDuplicates: boolean;
  readonly offset: number;
}

function slice(text: string, start: number, end: number): string | undefined {
  return start >= 0 && end > start ? text.slice(start, end) : undefined;
}

function childPointer(frame: Frame): string {
  if (frame.kind === 'seq') return `${frame.pointer}/${frame.index}`;
  return `${frame.pointer}/${escapePointer(frame.pendingKey ?? '')}`;
}

/** Where a scalar node begins: its anchor, tag or opening quote, else its text. -1 when empty. */
function scalarStart(event: ScalarEvent): number {
  const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
  const candidates = [
    event.anchorStart >= 0 ? event.anchorStart - 1 : -1,
    event.tagStart,
    event.valueStart >= 0 ? event.valueStart - (quoted ? 1 : 0) : -1,
  ].filter((offset) => offset >= 0);
  return candidates.length > 0 ? Math.min(...candidates) : -1;
}

/**
 * Walks one document's events: records where every node is, finds duplicate keys (all of them, not
 * just the first) and counts the nodes the document would have with aliases expanded, without expanding.
 */
function walkDocument(text: string, events: readonly Event[], record = true): WalkResult {
  // Not recording leaves the maps empty: a JSON pointer string per node is most of a parsed
  // estate's memory, and positions are wanted only when a problem is reported (see `positions`).
  const value = new Map<string, number>();
  const key = new Map<string, number>();
  const problems: { offset: number; pointer: string; message: string }[] = [];
  const anchorSizes = new Map<string, number>();
  const stack: Frame[] = [];
  let rootSize = 0;
  let firstOffset = -1;
  let hasDuplicates = false;

  // Called for every completed node (scalar, alias, or popped collection) with its expanded size.
  const place = (size: number, nodeOffset: number, anchor: string | undefined): void => {
    if (anchor) anchorSizes.set(anchor, size);
    const parent = stack[stack.length - 1];
    if (!parent) {
      rootSize += size;
      return;
    }
    parent.size += size;
    if (parent.kind === 'seq') parent.index += 1;
    else parent.pendingKey = undefined;
    void nodeOffset;
  };

  // Decides where a node opening now sits; returns its pointer, or undefined when it is a mapping key.
  const open = (nodeOffset: number, isScalarKeyText: string | undefined): string | undefined => {
    if (firstOffset < 0 && nodeOffset >= 0) firstOffset = nodeOffset;
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (record) value.set('', nodeOffset);
      return '';
    }
    if (parent.kind === 'map' && parent.pendingKey === undefined) {
      // This node is a key.
      const keyText = isScalarKeyText ?? '[complex key]';
      const previous = parent.keys.get(keyText);
      if (previous !== undefined) {
        hasDuplicates = true;
        const pointer = `${parent.pointer}/${escapePointer(keyText)}`;
        problems.push({ offset: nodeOffset, pointer, message: `duplicate key "${keyText}"` });
      } else {
        parent.keys.set(keyText, nodeOffset);
        if (record) key.set(`${parent.pointer}/${escapePointer(keyText)}`, nodeOffset);
      }
      return undefined;
    }
    const pointer = childPointer(parent);
    if (record && !value.has(pointer)) value.set(pointer, nodeOffset);
    return pointer;
  };

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const pointer = open(event.start, undefined);
        const parent = stack[stack.length - 1];
        if (pointer === undefined && parent) {
          problems.push({
            offset: event.start,
            pointer: parent.pointer,
            message: 'mapping keys must be plain scalars',
          });
        }
        stack.push({
          kind: event.type === EVENT_ID.MAPPING ? 'map' : 'seq',
          pointer: pointer ?? `${parent?.pointer ?? ''}/[complex key]`,
          index: 0,
          pendingKey: undefined,
          keys: new Map(),
          size: 1,
          anchor: slice(text, event.anchorStart, event.anchorEnd),
        });
        break;
      }
      case EVENT_ID.SCALAR: {
        const offset = scalarStart(event);
        const parent = stack[stack.length - 1];
        const isKey = parent?.kind === 'map' && parent.pendingKey === undefined;
        const scalarText = isKey ? getScalarValue(text, event) : undefined;
        open(offset, scalarText);
        const anchor = slice(text, event.anchorStart, event.anchorEnd);
        if (isKey && parent) {
          if (anchor) anchorSizes.set(anchor, 1);
          parent.pendingKey = scalarText ?? '';
          parent.size += 1;
        } else {
          place(1, offset, anchor);
        }
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = slice(text, event.anchorStart, event.anchorEnd) ?? '';
        const size = anchorSizes.get(name) ?? 1;
        const parent = stack[stack.length - 1];
        const isKey = parent?.kind === 'map' && parent.pendingKey === undefined;
        open(event.anchorStart - 1, isKey ? `*${name}` : undefined);
        if (isKey && parent) {
          parent.pendingKey = `*${name}`;
          parent.size += size;
        } else {
          place(size, event.anchorStart - 1, undefined);
        }
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (!frame) break;
        const parent = stack[stack.length - 1];
        if (
          parent?.kind === 'map' &&
          parent.pendingKey === undefined &&
          frame.pointer.endsWith('[complex key]')
        ) {
          // A collection used as a key: its value follows.
          parent.pendingKey = '[complex key]';
          parent.size += frame.size;
        } else {
          place(frame.size, -1, frame.anchor);
        }
        break;
      }
      default:
        break;
    }
    // Checked as we go so a bomb stops at the first level that crosses the limit.
    const running = rootSize + stack.reduce((sum, frame) => sum + frame.size, 0);
    if (running > LIMITS.maxExpandedNodes) {
      return {
        positions: { value, key },
        problems: [],
        expandedNodes: running,
        hasDuplicates,
        offset: firstOffset,
      };
    }
  }
  return { positions: { value, key }, problems, expandedNodes: rootSize, hasDuplicates, offset: firstOffset };
}

function yamlProblem(file: string, error: unknown, lines: LineIndex): ManifestProblem {
  if (error instanceof YAMLException) {
    const mark = error.mark;
    const reason = error.reason || 'invalid YAML';
    return {
      location: mark ? { file, line: mark.line + 1, column: mark.column + 1 } : { file, line: 1, column: 1 },
      message: `invalid YAML: ${reason}`,
    };
  }
  void lines;
  const message = error instanceof Error ? error.message : String(error);
  return { location: { file, line: 1, column: 1 }, message: `invalid YAML: ${message}` };
}

/** Splits the event stream into per-document slices (DOCUMENT … POP). */
function splitDocuments(events: readonly Event[]): Event[][] {
  const documents: Event[][] = [];
  let depth = 0;
  let current: Event[] = [];
  for (const event of events) {
    current.push(event);
    if (event.type === EVENT_ID.POP) {
      depth -= 1;
      if (depth === 0) {
        documents.push(current);
        current = [];
      }
    } else if (event.type !== EVENT_ID.SCALAR && event.type !== EVENT_ID.ALIAS) {
      depth += 1;
    }
  }
  return documents;
}

function tooManyDocuments(): string {
  return `more than ${LIMITS.maxDocumentsPerFile} YAML documents in one file (the limit per manifest file); split it into several files`;
}

/**
 * Offset of the `---` line that starts document number `limit + 1` (empty documents count: they
 * cost a parse too), or undefined when there are not that many. A line beginning with `---` followed by a space or its end is a document marker
 * wherever it appears (YAML forbids it inside content), so counting them needs no parse.
 */
function documentMarkerBeyond(text: string, limit: number): number | undefined {
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let count = 0;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    count += 1;
    if (count > limit) return match.index;
  }
  return undefined;
}

/** Parses one file into its non-empty documents, or the problems that stop it. Never throws. */
export function parseYamlFile(file: string, content: Buffer | string): ParsedFile {
  const at1 = { file, line: 1, column: 1 };
  const size = byteLength(content);
  if (size > LIMITS.maxFileBytes) {
    return {
      documents: [],
      problems: [
        {
          location: at1,
          message: `file is too large (${formatSize(size)}; the limit is ${formatSize(LIMITS.maxFileBytes)} per manifest file)`,
        },
      ],
    };
  }
  const decoded = decodeText(content);
  if ('error' in decoded) return { documents: [], problems: [{ location: at1, message: decoded.error }] };
  const text = decoded.text;
  const lines = lineIndex(text);
  const tooMany = documentMarkerBeyond(text, LIMITS.maxDocumentsPerFile);
  if (tooMany !== undefined) {
    return {
      documents: [],
      problems: [{ location: { file, ...locate(lines, tooMany) }, message: tooManyDocuments() }],
    };
  }
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: LIMITS.maxDepth });
  } catch (error) {
    return { documents: [], problems: [yamlProblem(file, error, lines)] };
  }
  const documents: YamlDocument[] = [];
  const problems: ManifestProblem[] = [];
  const split = splitDocuments(events);
  // Positions of every document of the file, computed again from the text the first time one is
  // asked for (a problem to place, an overlay to render): the parse above keeps none of them.
  let positions: NodePositions[] | undefined;
  const positionsOf = (index: number): NodePositions => {
    positions ??= splitDocuments(parseEvents(text, { filename: file, maxDepth: LIMITS.maxDepth })).map(
      (events) => walkDocument(text, events).positions,
    );
    return positions[index] ?? NO_POSITIONS;
  };
  // Documents separated by `...` alone have no `---` to count beforehand.
  if (split.length > LIMITS.maxDocumentsPerFile) {
    return { documents: [], problems: [{ location: at1, message: tooManyDocuments() }] };
  }
  split.forEach((docEvents, index) => {
    const walk = walkDocument(text, docEvents, false);
    const where = (offset: number) => ({ file, ...locate(lines, offset < 0 ? walk.offset : offset) });
    if (walk.expandedNodes > LIMITS.maxExpandedNodes) {
      problems.push({
        location: where(walk.offset),
        message: `YAML aliases expand to more than ${LIMITS.maxExpandedNodes} nodes (an alias bomb?); document rejected without expanding it`,
      });
      return;
    }
    for (const problem of walk.problems) {
      problems.push({
        location: where(problem.offset),
        path: pointerToPath(problem.pointer),
        message: problem.message,
      });
    }
    let value: unknown;
    try {
      // Duplicates are already reported above (all of them); json mode lets construction go on so the
      // rest of the document is still checked in the same pass.
      [value] = constructFromEvents(docEvents, {
        source: text,
        filename: file,
        maxAliases: LIMITS.maxAliases,
        json: walk.hasDuplicates,
      });
    } catch (error) {
      problems.push(yamlProblem(file, error, lines));
      return;
    }
    if (value === null || value === undefined) return; // empty and `---`-only documents are ignored
    const offset = Math.max(0, walk.offset);
    documents.push({
      file,
      index,
      value,
      offset,
      start: locate(lines, offset),
      get positions() {
        return positionsOf(index);
      },
      // Not kept: a number per line of every file would outlive the parse for the odd problem.
      get lines() {
        return lineIndex(text);
      },
    });
  });
  return { documents, problems };
}

/** `/spec/containerDefinitions/0/image` → `spec.containerDefinitions[0].image`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}
