// 001 POL-SEC-008: the built-in defaults (src/policy/defaults.ts, 8.1's tests before Start included), named so a file
// can say so.
export const polSec008 = {};
