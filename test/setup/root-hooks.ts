import { mongoTestUri } from './mongo-server';

// Root hooks shared by every suite: the MongoDB-wire server is found or
// started once, before any suite, so no test's timeout pays for the start.
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(620_000); // a first build downloads the server's jars from Maven Central
    await mongoTestUri();
  },
};
