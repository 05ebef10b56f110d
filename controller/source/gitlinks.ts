// Submodules in a commit: a gitlink (mode 160000) is a pointer to a commit of another repository. A
// clone does not check it out, so its folder is empty — read as files, the manifests that moved into
// it would look deleted. The tree says what the working tree cannot.

/** One gitlink found under the manifest folder: its path relative to that folder, and the commit. */
export interface Gitlink {
  readonly path: string;
  readonly commit: string;
}

const GITLINK_MODE = '160000';

/**
 * Gitlinks in `git ls-tree -r -z --full-tree` output, with paths made relative to `dir` (a
 * repository-relative, `/`-separated folder; '' for the root). Entries outside `dir` and hidden
 * ones (a component starting with '.', skipped by the folder reader too) are left out.
 */
export function gitlinksUnder(lsTree: string, dir: string): Gitlink[] {
  const prefix = dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
  const out: Gitlink[] = [];
  for (const record of lsTree.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, , commit = ''] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (mode !== GITLINK_MODE || !path.startsWith(prefix)) continue;
    const rel = path.slice(prefix.length);
    if (rel === '' || rel.split('/').some((part) => part.startsWith('.'))) continue;
    out.push({ path: rel, commit });
  }
  return out;
}
