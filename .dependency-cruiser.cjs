// The layering rules of the developers' guide, checked by `npm run lint` (depcruise src).
// CommonJS because package.json says "type": "module" and dependency-cruiser loads its config with require.

/** Every kind of npm package dependency, for rules about third-party code. */
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure rules: no database, Slack, services, jobs or clock (time is passed in).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: ['^src/db/', '^src/slack/', '^src/services/', '^src/jobs/', '^src/clock\\.ts$'] },
    },
    {
      name: 'domain-npm-allow-list',
      comment:
        'domain/ may use only these npm packages (validation, time zones, and the cron matcher that cron-slots asks ' +
        'so a slot is exactly what the scheduler fires); nothing else from npm or node.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: [...NPM, 'core'],
        pathNot: '^node_modules/(zod|luxon|@types/luxon|node-cron)/',
      },
    },
    {
      name: 'db-schema-only-in-db',
      comment: 'Only the db layer knows the tables: others use its repositories, which return plain objects.',
      severity: 'error',
      from: { pathNot: '^src/db/' },
      to: { path: '^src/db/schema\\.ts$' },
    },
    {
      name: 'drizzle-only-in-db',
      comment: 'Only the db layer speaks drizzle-orm.',
      severity: 'error',
      from: { pathNot: '^src/db/' },
      to: { path: '^node_modules/drizzle-orm/' },
    },
    {
      name: 'slack-writes-through-services',
      comment:
        'slack/ never touches the database itself; it calls services. ' +
        'It may name db types and pass the handle (db/client.ts) along.',
      severity: 'error',
      from: { path: '^src/slack/' },
      to: { path: '^src/db/', pathNot: '^src/db/client\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'policy-is-config-only',
      comment: 'policy/ is the schema, defaults and presets: it knows nothing of Slack, services, the db or jobs.',
      severity: 'error',
      from: { path: '^src/policy/' },
      to: { path: ['^src/slack/', '^src/services/', '^src/db/', '^src/jobs/'] },
    },
    {
      name: 'no-circular',
      comment: 'Circular imports make the layers meaningless and the load order fragile.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports and that imports nothing is dead code.',
      severity: 'error',
      from: { path: '^src/', orphan: true, pathNot: '\\.d\\.ts$' },
      to: {},
    },
    {
      name: 'not-to-dev-dep',
      comment: 'The shipped code may not rely on devDependencies (they are not installed in production).',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import dependency-cruiser cannot resolve would slip past every other rule.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'Every npm package used must be declared in package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
