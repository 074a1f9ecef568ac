// The architecture as rules (npm run depcruise). Data flows one way:
// teams -> app -> domain, with app also using store, m365 and audit; see README "How it works".
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two files cannot be understood (or changed) apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain holds the rules: it imports nothing outside itself (no packages, no other layer).',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'domain-does-no-io',
      severity: 'error',
      comment: 'The domain does no I/O: no file, network, process or database module.',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|child_process|cluster|worker_threads|os|readline|stream|zlib)$',
      },
    },
    {
      name: 'app-does-no-file-io',
      severity: 'error',
      comment: 'Use cases get files through adapters (src/config) injected in AppContext.',
      from: { path: '^src/app/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|child_process)$' },
    },
    {
      name: 'teams-goes-through-app',
      severity: 'error',
      comment:
        'The Teams layer turns activities into use-case calls and renders answers; it never reaches the store or Microsoft 365 itself.',
      from: { path: '^src/teams/' },
      to: { path: '^src/(store|m365)/' },
    },
    {
      name: 'teams-no-role-resolver-or-writes',
      severity: 'error',
      comment: 'Role checks and request changes are use cases: teams does not resolve roles, run transitions or write requests.',
      from: { path: '^src/teams/' },
      to: { path: '^src/(app/roles/|app/persistence/|domain/transition\\.ts$|domain/grant-rules\\.ts$)' },
    },
    {
      name: 'm365-knows-no-callers',
      severity: 'error',
      comment: 'The Microsoft 365 connectors know nothing of cards or use cases.',
      from: { path: '^src/m365/' },
      to: { path: '^src/(teams|app)/' },
    },
    {
      name: 'src-not-from-test',
      severity: 'error',
      comment: 'Product code never imports tests, the bench or their helpers.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves to a file or an installed package.',
      from: {},
      // vega-lite's types are reached by path (its package exports map hides them from "moduleResolution": "node").
      to: { couldNotResolve: true, pathNot: '^vega-lite/build/index$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: a layer that names another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
