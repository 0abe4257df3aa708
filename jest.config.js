// Two projects: `unit` (pure logic, no engine) and `integration` (the real local
// engine, started by test/src/support/global-setup.ts and stopped afterwards).
const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // Tests import workspace packages from source, so no build is needed to run them.
  // `@mitra/core/dist/base` (the agent's client-free entry) maps to its source too, so classes stay one copy.
  moduleNameMapper: { '^@mitra/([^/]+)$': '<rootDir>/$1/src', '^@mitra/([^/]+)/dist/(.+)$': '<rootDir>/$1/src/$2' },
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
};

module.exports = {
  // Per-project testTimeout is ignored by jest; integration tests need the room.
  testTimeout: 60_000,
  // A child process a test leaves behind (seen: esbuild's service) must not hang CI after the last result:
  // every suite stops what it starts (esbuild's stop() in kibana-zip), and this is the backstop.
  forceExit: true,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{core,ingest-pipelines,cli,beats,kibana-plugin}/src/**/*.test.ts',
        // The Kibana plugin keeps Kibana's layout (common/, server/, public/), not src/.
        '<rootDir>/kibana-plugin/{common,server,saved_objects}/**/*.test.ts',
      ],
    },
    {
      // The app's React screens in a DOM (jsdom); JSX needs the plugin's own tsconfig.
      ...shared,
      displayName: 'ui',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/kibana-plugin/public/**/*.test.{ts,tsx}'],
      // EUI requires uuid, which ships ES modules only: compile it to CommonJS like our own code.
      transformIgnorePatterns: ['/node_modules/(?!uuid/)'],
      // Tests build the question catalog from core's source, which reads YAML: use yaml's CommonJS build, not its ES-module browser one.
      moduleNameMapper: { ...shared.moduleNameMapper, '^yaml$': '<rootDir>/node_modules/yaml/dist/index.js' },
      setupFiles: ['<rootDir>/kibana-plugin/public/app/__tests__/node-globals.ts'],
      transform: { '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/kibana-plugin/tsconfig.test.json' }] },
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/src/**/*.test.ts'],
      globalSetup: '<rootDir>/test/src/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/src/support/global-teardown.ts',
    },
  ],
};
