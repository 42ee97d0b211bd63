// `npm run bench`: the vitest benches; `npm run bench -- --changes 10000,100000`: the record bench (record.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const args = process.argv.slice(2);
const bin = (name: string) => join(import.meta.dirname, '../../node_modules/.bin', name);
const [program, programArgs] = args.some((arg) => arg.startsWith('--changes'))
  ? [bin('tsx'), [join(import.meta.dirname, 'record.ts'), ...args]]
  : [bin('vitest'), ['bench', '--run', ...args]];
process.exitCode = spawnSync(program, programArgs, { stdio: 'inherit' }).status ?? 1;
