import pkg from "../package.json" with { type: "json" };
/** Version of @bcpseg/edge-api (kept in step with package.json by the release flow). */
export const EDGE_API_VERSION: string = pkg.version;
