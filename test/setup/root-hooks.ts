// Root hooks shared by every suite. Suites that need a MongoDB-wire server
// read it from test/setup/mongo-server.ts (added with the MongoDB store).
export const mochaHooks = {};
