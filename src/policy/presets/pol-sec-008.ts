// 001 POL-SEC-008: the built-in defaults (src/policy/defaults.ts), named so a file can say so.
export const polSec008 = {};
