// What `import` produces: files to write and warnings to show. Pure data.

export interface ImportOptions {
  /** This controller's instance name: resources it already owns need no adoption. */
  readonly instance: string;
  /** Adopt resources another tool owns (CloudFormation, Copilot, another ecs-gitops instance) anyway. */
  readonly adoptOwned?: boolean;
  /** The yaml-language-server schema reference for a file (path relative to the output folder). */
  readonly schemaRef?: (file: string) => string;
}

export interface ImportedFile {
  /** Relative to the output folder, `/`-separated: `<cluster>/cluster.yaml`, `<cluster>/<service>.yaml`. */
  readonly path: string;
  readonly content: string;
  /** `Kind/name` of every document in the file. */
  readonly resources: readonly string[];
}

export interface ImportWarning {
  readonly file: string;
  /** `Kind/name` the warning is about. */
  readonly resource: string;
  readonly message: string;
}

export interface ImportResult {
  readonly files: readonly ImportedFile[];
  readonly warnings: readonly ImportWarning[];
}

/** The published schema: used when the caller gives no path of its own. */
export const SCHEMA_URL = 'https://ecs-gitops.dev/schemas/ecs-gitops.schema.json';
