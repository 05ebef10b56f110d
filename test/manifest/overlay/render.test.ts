/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write ${VAR} references on purpose */
// Overlay rendering: each transform, stacking, and the errors that must name the file:line:col
// where the offending value was written.
import { describe, expect, it } from 'vitest';
import { BASE_CLUSTER, BASE_WEB, load, overlay, problemsOf, rendered } from './helpers.js';

const base = { 'base/web.yaml': BASE_WEB, 'base/cluster.yaml': BASE_CLUSTER };
const withVars = '  vars: {REGION: eu-west-1}\n';

type Container = { name: string; image: string; environment?: { name: string; value: string }[] };
const td = (out: Record<string, unknown>, name = 'TaskDefinition/web') =>
  (out[name] as { spec: Record<string, unknown> & { containerDefinitions: Container[] } }).spec;
const svc = (out: Record<string, unknown>, name = 'Service/web') =>
  (out[name] as { spec: Record<string, unknown> }).spec;

describe('overlay rendering', () => {
  it('merges containers and their environment by name, leaving the rest of the base as it is', () => {
    // given a patch that changes one variable of one container and adds another
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        `  resources: [../../base]
${withVars}  patches:
    - target: {kind: TaskDefinition, name: web}
      merge:
        spec:
          cpu: "1024"
          memory: "2048"
          containerDefinitions:
            - name: web
              environment:
                - {name: LOG_LEVEL, value: warn}
                - {name: FEATURE, value: "on"}
`,
      ),
    };
    // when rendered
    const spec = td(rendered(load(repository, 'envs/prod')));
    // then the container kept its image and ports, its env merged, the sidecar is untouched
    expect([spec.cpu, spec.memory]).toEqual(['1024', '2048']);
    expect(spec.containerDefinitions.map((c) => c.name)).toEqual(['web', 'sidecar']);
    expect(spec.containerDefinitions[0]).toEqual({
      name: 'web',
      image: 'public.ecr.aws/nginx/nginx:1.27',
      portMappings: [{ name: 'http', containerPort: 80 }],
      environment: [
        { name: 'LOG_LEVEL', value: 'warn' },
        { name: 'REGION', value: 'eu-west-1' },
        { name: 'FEATURE', value: 'on' },
      ],
    });
  });

  it('removes a field with null and a list item with $patch: delete', () => {
    const repository = {
      ...base,
      'envs/x/ecs-gitops.yaml': overlay(
        'x',
        `  resources: [../../base]
${withVars}  patches:
    - target: {kind: TaskDefinition}
      merge:
        spec:
          containerDefinitions:
            - {name: sidecar, $patch: delete}
    - target: {kind: Service}
      merge: {metadata: {labels: null}}
`,
      ),
    };
    const out = rendered(load(repository, 'envs/x'));
    expect((out['Service/web'] as { metadata: unknown }).metadata).toEqual({ name: 'web' });
    expect(td(out).containerDefinitions.map((c) => c.name)).toEqual(['web']);
  });

  it('applies JSON 6902 operations, and a label selector picks the documents', () => {
    const repository = {
      ...base,
      'envs/x/ecs-gitops.yaml': overlay(
        'x',
        `  resources: [../../base]
${withVars}  patches:
    - target: {labelSelector: "tier=front"}
      jsonPatch:
        - {op: add, path: /spec/networkConfiguration/awsvpcConfiguration/subnets/0, value: subnet-0new}
        - {op: replace, path: /spec/desiredCount, value: 4}
        - {op: test, path: /spec/launchType, value: FARGATE}
`,
      ),
    };
    const spec = svc(rendered(load(repository, 'envs/x')));
    expect(spec.desiredCount).toBe(4);
    expect(spec.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ['subnet-0new', 'subnet-0abc'], securityGroups: ['sg-0abc'] },
    });
  });

  it('sets image tags, digests and names by image name; one line promotes a release', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const repository = {
      ...base,
      'envs/x/ecs-gitops.yaml': overlay(
        'x',
        `  resources: [../../base]
${withVars}  images:
    - {name: public.ecr.aws/nginx/nginx, newName: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/nginx, newTag: "1.28"}
    - {name: public.ecr.aws/aws-observability/aws-for-fluent-bit, digest: "${digest}"}
`,
      ),
    };
    const images = td(rendered(load(repository, 'envs/x'))).containerDefinitions.map((c) => c.image);
    expect(images).toEqual([
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/nginx:1.28',
      `public.ecr.aws/aws-observability/aws-for-fluent-bit@${digest}`,
    ]);
  });

  it('prefixes and suffixes names and the references between the rendered manifests', () => {
    const repository = {
      ...base,
      'envs/x/ecs-gitops.yaml': overlay(
        'x',
        `  resources: [../../base]\n${withVars}  namePrefix: staging-\n  nameSuffix: -eu\n`,
      ),
    };
    const out = rendered(load(repository, 'envs/x'));
    expect(Object.keys(out).sort()).toEqual([
      'Cluster/staging-apps-eu',
      'Service/staging-web-eu',
      'TaskDefinition/staging-web-eu',
    ]);
    expect(svc(out, 'Service/staging-web-eu')).toMatchObject({
      cluster: 'staging-apps-eu',
      taskDefinition: 'staging-web-eu',
    });
  });

  it("sets common tags on taggable kinds and common labels on all, over the documents' own", () => {
    const repository = {
      ...base,
      'envs/x/ecs-gitops.yaml': overlay(
        'x',
        `  resources: [../../base]\n${withVars}  commonTags: {environment: prod}\n  commonLabels: {tier: edge, env: prod}\n`,
      ),
    };
    const out = rendered(load(repository, 'envs/x'));
    expect(td(out).tags).toEqual({ environment: 'prod' });
    expect((out['Service/web'] as { metadata: unknown }).metadata).toEqual({
      name: 'web',
      labels: { tier: 'edge', env: 'prod' },
    });
  });

  it('substitutes vars strictly: typed whole values, text inside strings, $${ as a literal, env with a default', () => {
    const repository = {
      'base/svc.yaml':
        BASE_WEB.split('---\n')[1]
          ?.replace('desiredCount: 1', 'desiredCount: ${REPLICAS}')
          .replace('subnet-0abc', '"${SUBNET}"')
          .replace('taskDefinition: web', 'taskDefinition: "web:3"') +
        '  tags: {owner: "team-${TEAM}", literal: "$${NOT_A_VAR}", cluster: "${CLUSTER_TAG}"}\n',
      'base/cluster.yaml': BASE_CLUSTER,
      'envs/x/ecs-gitops.yaml': overlay(
        'x',
        `  resources: [../../base]
  vars:
    REPLICAS: 3
    TEAM: web
    SUBNET: {env: TEST_SUBNET}
    CLUSTER_TAG: {env: TEST_UNSET, default: fallback}
`,
      ),
    };
    const spec = svc(rendered(load(repository, 'envs/x', { TEST_SUBNET: 'subnet-0env' })));
    expect(spec.desiredCount).toBe(3);
    expect(spec.tags).toEqual({ owner: 'team-web', literal: '${NOT_A_VAR}', cluster: 'fallback' });
    expect(spec.networkConfiguration).toMatchObject({ awsvpcConfiguration: { subnets: ['subnet-0env'] } });
  });

  it('stacks overlays: prod-eu builds on prod builds on base, the outer vars win', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        `  resources: [../../base]
  namePrefix: prod-
  vars: {REGION: us-east-1}
  patches:
    - target: {kind: Service, name: web}
      merge: {spec: {desiredCount: 3}}
`,
      ),
      'envs/prod-eu/ecs-gitops.yaml': overlay(
        'prod-eu',
        `  resources: [../prod]
  nameSuffix: -eu
  vars: {REGION: eu-west-1}
  patches:
    - target: {kind: Service, name: prod-web}
      merge: {spec: {desiredCount: 5}}
`,
      ),
    };
    const out = rendered(load(repository, 'envs/prod-eu'));
    expect(svc(out, 'Service/prod-web-eu')).toMatchObject({ desiredCount: 5, cluster: 'prod-apps-eu' });
    const env = td(out, 'TaskDefinition/prod-web-eu').containerDefinitions[0]?.environment;
    expect(env).toContainEqual({ name: 'REGION', value: 'eu-west-1' });
  });

  it('is deterministic: the same files render the same bytes', () => {
    const repository = {
      ...base,
      'envs/x/ecs-gitops.yaml': overlay('x', `  resources: [../../base]\n${withVars}`),
    };
    expect(JSON.stringify(load(repository, 'envs/x').documents)).toBe(
      JSON.stringify(load(repository, 'envs/x').documents),
    );
  });
});

describe('overlay errors name the file:line:col where the offending value was written', () => {
  it('a patch target that matches nothing points at the target in the overlay', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        `  resources: [../../base]
  patches:
    - target: {kind: Service, name: wbe}
      merge: {spec: {desiredCount: 3}}
`,
      ),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:7:37: Overlay/prod: spec.patches[0].target.name: patch target Service/wbe matches no document of this overlay\'s resources (did you mean "web"?)',
    ]);
  });

  it('an invalid value set by a patch is reported at the patch, not at the base', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        `  resources: [../../base]
${withVars}  patches:
    - target: {kind: Service, name: web}
      merge:
        spec:
          desiredCount: -2
`,
      ),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:11:25: Service/web: spec.desiredCount: must be integer >= 0, got -2',
    ]);
  });

  it("a JSON patch value is reported at the operation's value, and list items after it keep their base positions", () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        `  resources: [../../base]
${withVars}  patches:
    - target: {kind: TaskDefinition, name: web}
      jsonPatch:
        - op: add
          path: /spec/containerDefinitions/0
          value: {name: "bad name!", image: x}
`,
      ),
      'base/web.yaml': BASE_WEB.replace('essential: false', 'essential: maybe'),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'base/web.yaml:18:18: TaskDefinition/web: spec.containerDefinitions[2].essential: must be boolean, got string "maybe"',
      'envs/prod/ecs-gitops.yaml:12:25: TaskDefinition/web: spec.containerDefinitions[0].name: "bad name!" may only contain letters, digits, "-" and "_" (at most 255 characters)',
    ]);
  });

  it('a JSON patch path that does not exist points at the operation', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        `  resources: [../../base]
${withVars}  patches:
    - target: {kind: Service, name: web}
      jsonPatch:
        - {op: replace, path: /spec/nope/deeper, value: 1}
`,
      ),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:10:31: Overlay/prod: replace /spec/nope/deeper: the path does not exist in the document (patching Service/web)',
    ]);
  });

  it('an undefined var points at the base value that uses it', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay('prod', '  resources: [../../base]\n'),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'base/web.yaml:15:33: undefined variable ${REGION} (no vars declared); declare it under spec.vars of an overlay, or write "$${REGION}" for a literal',
    ]);
  });

  it('a var whose value is invalid where it lands points at the var', () => {
    const repository = {
      'base/svc.yaml':
        BASE_WEB.split('---\n')[1]?.replace('desiredCount: 1', 'desiredCount: ${REPLICAS}') ?? '',
      'base/cluster.yaml': BASE_CLUSTER,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        '  resources: [../../base]\n  vars:\n    REPLICAS: lots\n',
      ),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:7:15: Service/web: spec.desiredCount: must be integer >= 0, got string "lots"',
    ]);
  });

  it('an environment var that is not set points at its declaration', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        '  resources: [../../base]\n  vars:\n    REGION: {env: TEST_NOT_SET}\n',
      ),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:7:13: variable REGION reads the environment variable TEST_NOT_SET, which is not set (give it a default)',
    ]);
  });

  it('a resources path outside the repository is refused where it is written', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        '  resources:\n    - ../../base\n    - ../../../etc\n    - /etc/passwd\n',
      ),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:7:7: Overlay/prod: spec.resources[1]: "../../../etc" resolves outside the repository (to ../etc); refused',
      'envs/prod/ecs-gitops.yaml:8:7: Overlay/prod: spec.resources[2]: "/etc/passwd" is absolute; resources are relative to the overlay\'s folder',
    ]);
  });

  it('a missing base names the entry', () => {
    const repository = { 'envs/prod/ecs-gitops.yaml': overlay('prod', '  resources: [../../base]\n') };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:5:15: Overlay/prod: spec.resources[0]: "../../base" (base) does not exist in this revision, or holds no manifests',
    ]);
  });

  it('a cycle names the entry that closes it and the whole loop', () => {
    const repository = {
      'envs/a/ecs-gitops.yaml': overlay('a', '  resources: [../b]\n'),
      'envs/b/ecs-gitops.yaml': overlay('b', '  resources: [../a]\n'),
    };
    expect(problemsOf(load(repository, 'envs/a').result)).toEqual([
      'envs/b/ecs-gitops.yaml:5:15: Overlay/b: spec.resources[0]: overlay cycle: envs/a → envs/b → envs/a',
    ]);
  });

  it('an unknown field of the overlay is a schema error at its key', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay('prod', '  resources: [../../base]\n  namePrefx: prod-\n'),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:6:3: Overlay/prod: spec.namePrefx: unknown field "namePrefx" (did you mean "namePrefix"?)',
    ]);
  });

  it('an image entry that matches no container is an error (a typo would silently not promote)', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        `  resources: [../../base]\n${withVars}  images:\n    - {name: nginx, newTag: "1.28"}\n`,
      ),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:8:14: Overlay/prod: spec.images[0].name: no container image named "nginx" in this overlay\'s resources (match the image as written, without tag or digest)',
    ]);
  });

  it('a merge patch item without its list key says which key', () => {
    const repository = {
      ...base,
      'envs/prod/ecs-gitops.yaml': overlay(
        'prod',
        `  resources: [../../base]
${withVars}  patches:
    - target: {kind: TaskDefinition, name: web}
      merge:
        spec:
          containerDefinitions:
            - image: x
`,
      ),
    };
    expect(problemsOf(load(repository, 'envs/prod').result)).toEqual([
      'envs/prod/ecs-gitops.yaml:12:15: Overlay/prod: an item of spec.containerDefinitions needs name, which identifies the item to merge with (patching TaskDefinition/web)',
    ]);
  });
});
