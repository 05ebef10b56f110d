import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start servers and git processes; two workers match the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    // The SDK warns once per process that its 2027 releases need Node 22 (see the README's
    // requirements); in hundreds of test processes that warning buries the failures.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
