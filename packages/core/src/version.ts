import pkg from "../package.json" with { type: "json" };

/** The version of @bcpseg/core, written into every model contract's `producer.version`: its package.json's. */
export const CORE_VERSION: string = pkg.version;
