// 001 POL-SEC-008: the built-in defaults (src/policy/defaults.ts), named so a file can say so; and 8.1's tests
// enforced: 9.3 "Pre-Deployment: Testing completed and documented" before Start.
export const polSec008 = { testing: { required_before: 'start' } };
