// What a commit's tree holds, from `git ls-tree -r -z --full-tree`: the paths of its files and
// folders. The Git source reads the working tree and asks this whether each file it read is the
// commit's, so a stray file left in the cache is noticed without a `git clean` on every fetch.

const SYMLINK_MODE = '120000';

export class TreeListing {
  private readonly paths = new Set<string>(['']);
  private readonly symlinks = new Set<string>();

  constructor(readonly listing: string) {
    for (const record of listing.split('\0')) {
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const path = record.slice(tab + 1);
      if (record.startsWith(`${SYMLINK_MODE} `)) this.symlinks.add(path);
      this.paths.add(path);
      for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        const folder = path.slice(0, slash);
        if (this.paths.has(folder)) break;
        this.paths.add(folder);
      }
    }
  }

  /**
   * True when a repository-relative, `/`-separated path is in the tree, or is reached through a
   * symlink the tree has (the folder reader follows links that stay inside the folder).
   */
  has(path: string): boolean {
    const normal = path.replace(/(^|\/)\.$/, '');
    if (this.paths.has(normal)) return true;
    for (let slash = normal.indexOf('/'); slash > 0; slash = normal.indexOf('/', slash + 1)) {
      if (this.symlinks.has(normal.slice(0, slash))) return true;
    }
    return false;
  }
}
