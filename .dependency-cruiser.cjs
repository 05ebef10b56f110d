// The dependency rule of docs/architecture.md#the-dependency-rule as import-graph rules, checked by
// `npm test` (test/architecture.test.ts) and by `npm run lint:deps` (the depcruise CLI).
const PURE_CORE = '^controller/(manifest|diff|plan|health|import)/';
const SDK = '(^|/)node_modules/(@aws-sdk|@smithy)/';
const IO = '^(node:)?(fs|fs/promises|http|https|net|child_process|dgram|tls)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A module graph with a cycle has no order to read or test it in: split the shared part out.',
      severity: 'error',
      from: { path: '^(controller|emulator)/' },
      to: { circular: true },
    },
    {
      name: 'types-is-a-leaf',
      comment: 'controller/types.ts is the vocabulary every module shares: it imports nothing.',
      severity: 'error',
      from: { path: '^controller/types\\.ts$' },
      to: {},
    },
    {
      name: 'aws-model-is-a-leaf',
      comment:
        'controller/aws-model/ holds AWS-shaped helpers (tags, ARNs, ids) every layer shares: it imports only types.ts.',
      severity: 'error',
      from: { path: '^controller/aws-model/' },
      to: { pathNot: '^controller/(aws-model/|types\\.ts$)' },
    },
    {
      name: 'pure-core-imports-no-sdk',
      comment:
        'manifest, diff, plan, health and import are pure: the SDK only as types (import type), never at run time.',
      severity: 'error',
      from: { path: PURE_CORE },
      to: { path: SDK, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-core-does-no-io',
      comment: 'manifest, diff, plan, health and import do no I/O: no file system, network or processes.',
      severity: 'error',
      from: { path: PURE_CORE },
      to: { path: IO },
    },
    {
      name: 'pure-core-stays-pure',
      comment:
        'The pure core may use the other pure modules, aws-model, live/model.ts (plain data) and the leaf files (types, errors, printable), nothing with I/O.',
      severity: 'error',
      from: { path: PURE_CORE },
      to: {
        path: '^controller/',
        pathNot: [
          PURE_CORE,
          '^controller/aws-model/',
          '^controller/live/model\\.ts$',
          '^controller/(types|errors|printable)\\.ts$',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'only-readers-and-writers-use-the-sdk',
      comment:
        'Only aws/ (the clients), live/ (reads), apply/ (writes), lease/anchor.ts (the lease anchor: it touches no fleet resource and must work before any pass) and alerts/eventbridge.ts (an alert sink: it puts events on a bus, no fleet state) send AWS calls.',
      severity: 'error',
      from: {
        path: '^controller/',
        pathNot: [
          '^controller/(aws|live|apply)/',
          '^controller/lease/anchor\\.ts$',
          '^controller/alerts/eventbridge\\.ts$',
          PURE_CORE,
        ],
      },
      // Credential providers (assume-role for a target) send no call on the fleet.
      to: {
        path: SDK,
        pathNot: '(^|/)node_modules/@aws-sdk/credential-providers/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'reconcile-composes-through-ports',
      comment:
        'reconcile/ drives the loop through reconcile/ports.ts: it never reads, writes or fetches itself. live/model.ts is plain data (the pure core reads it too).',
      severity: 'error',
      from: { path: '^controller/reconcile/' },
      to: {
        path: '^controller/(live|apply|aws|source|lease|server)/',
        pathNot: '^controller/live/model\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'change-sets-are-applied-through-the-pipeline',
      comment:
        'pipeline/ is the one wiring of read live → diff → plan → apply (CLI diff/apply and the reconciler): applying a ChangeSet anywhere else would write without the same preflight and ownership record.',
      severity: 'error',
      from: { path: '^controller/', pathNot: '^controller/(apply|pipeline)/' },
      to: { path: '^controller/apply/(executor|index)\\.ts$' },
    },
    {
      name: 'controller-never-imports-the-emulator',
      comment: 'The controller talks to the emulator only over the AWS wire protocol (a separate process).',
      severity: 'error',
      from: { path: '^controller/' },
      to: { path: '^emulator/' },
    },
    {
      name: 'emulator-never-imports-the-controller',
      comment: 'The emulator follows ECS, not the controller.',
      severity: 'error',
      from: { path: '^emulator/' },
      to: { path: '^controller/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    exclude: { path: '^controller/server/dashboard/' },
  },
};
