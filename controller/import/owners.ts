// Another tool's ownership marks on a live resource. Two controllers must not fight over one
// service, so import adopts such a resource only when asked to (--adopt-owned).
import { OWNERSHIP_TAGS } from '../types.js';

export interface ForeignOwner {
  readonly tool: 'CloudFormation' | 'Copilot' | 'ecs-gitops';
  /** Who exactly: the stack, the Copilot application/environment, the other instance. */
  readonly name: string;
}

export type Ownership =
  | { readonly kind: 'unowned' }
  /** Already managed by this instance: nothing to adopt. */
  | { readonly kind: 'ours' }
  | { readonly kind: 'foreign'; readonly owner: ForeignOwner };

export function ownershipOf(tags: Readonly<Record<string, string>>, instance: string): Ownership {
  const stack = tags['aws:cloudformation:stack-name'];
  if (stack !== undefined)
    return { kind: 'foreign', owner: { tool: 'CloudFormation', name: `stack ${stack}` } };
  const app = tags['copilot-application'];
  const env = tags['copilot-environment'];
  if (app !== undefined || env !== undefined) {
    const name = [app && `application ${app}`, env && `environment ${env}`].filter(Boolean).join(', ');
    return { kind: 'foreign', owner: { tool: 'Copilot', name } };
  }
  const managedBy = tags[OWNERSHIP_TAGS.managedBy];
  if (managedBy === instance) return { kind: 'ours' };
  if (managedBy !== undefined) {
    return { kind: 'foreign', owner: { tool: 'ecs-gitops', name: `instance "${managedBy}"` } };
  }
  return { kind: 'unowned' };
}

export function describeOwner(owner: ForeignOwner): string {
  return `${owner.tool} (${owner.name})`;
}
