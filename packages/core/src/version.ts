/** The version of @bcpseg/core, written into every model contract's `producer.version` (= package.json). */
export const CORE_VERSION = "0.0.0";
