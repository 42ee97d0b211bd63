import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { postSigned, slashCommandBody } from '../support/slack-request.js';

// The bundled entry point, exactly what `npm start` runs; `npm test` builds it first.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const entry = join(repoRoot, 'dist', 'cabinet.js');

interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

class CabinetProcess {
  stdout = '';
  stderr = '';
  private readonly exited: Promise<Exited>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  exit(timeoutMs = 10_000): Promise<Exited> {
    return Promise.race([
      this.exited,
      new Promise<Exited>((_, reject) =>
        setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs),
      ),
    ]);
  }

  /** Waits for the log line that names the port and returns the port. */
  async listeningPort(timeoutMs = 10_000): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const match = /listening on port (\d+)/.exec(this.stdout);
      if (match?.[1]) return Number(match[1]);
      if (this.child.exitCode !== null) throw new Error(`exited early (${this.child.exitCode}): ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no listening line within ${timeoutMs} ms; stdout: ${this.stdout} stderr: ${this.stderr}`);
  }
}

let workDir = '';
const processes: CabinetProcess[] = [];
let slack: FakeSlack | undefined;

function run(env: Record<string, string>): CabinetProcess {
  // Only what we pass: the machine's own SLACK_* variables must not leak into the test.
  const child = spawn(process.execPath, [entry], { cwd: workDir, env: { PATH: process.env.PATH ?? '', ...env } });
  const cabinet = new CabinetProcess(child);
  processes.push(cabinet);
  return cabinet;
}

beforeAll(() => {
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: run \`npm run build\` (npm test does) before the tests`);
});

afterEach(async () => {
  for (const cabinet of processes.splice(0)) if (cabinet.child.exitCode === null) cabinet.child.kill('SIGKILL');
  await slack?.close();
  slack = undefined;
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function freshWorkDir(): string {
  workDir = mkdtempSync(join(tmpdir(), 'cabinet-main-'));
  return workDir;
}

describe('npm start (dist/cabinet.js)', () => {
  it('exits non-zero with one clear line naming SLACK_BOT_TOKEN when no token is set', async () => {
    freshWorkDir();
    const { code, stdout, stderr } = await run({}).exit();
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('SLACK_BOT_TOKEN');
    expect(lines[0]).toContain('manifest.yml');
  });

  it('names the variable, never its value, when a variable is invalid', async () => {
    freshWorkDir();
    const secretLookingValue = 'not-a-bot-token-7f3a9c';
    const { code, stderr } = await run({
      SLACK_BOT_TOKEN: secretLookingValue,
      SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef0123456789',
    }).exit();
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(stderr).not.toContain(secretLookingValue);
  });

  it('refuses a policy with a misspelled role, naming the file and the key', async () => {
    const dir = freshWorkDir();
    const policyPath = join(dir, 'policy.yml');
    writeFileSync(
      policyPath,
      `${MINIMAL_POLICY_YAML}approval_matrix: { low: [peer], medium: [peer, mangaer], ` +
        `high: [peer], critical: [peer] }\n`,
    );
    const { code, stderr } = await run({
      SLACK_BOT_TOKEN: 'xoxb-1-2-3',
      SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef0123456789',
      POLICY_PATH: policyPath,
      DATABASE_PATH: join(dir, 'db.sqlite'),
    }).exit();
    expect(code).toBe(1);
    expect(stderr).toContain(policyPath);
    expect(stderr).toContain('approval_matrix.medium[1]: role "mangaer" is not defined under roles');
  });

  it('boots, answers /healthz and a signed /change help, refuses a bad signature, stops on SIGTERM', async () => {
    const dir = freshWorkDir();
    slack = await FakeSlack.start();
    const botToken = `xoxb-${randomBytes(8).toString('hex')}`;
    const signingSecret = randomBytes(16).toString('hex');
    const databasePath = join(dir, 'data', 'cabinet.sqlite');
    const cabinet = run({
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_PATH: databasePath,
      POLICY_PATH: join(dir, 'absent-policy.yml'),
    });
    const port = await cabinet.listeningPort();
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(existsSync(databasePath)).toBe(true);

    const body = slashCommandBody('/change', { text: 'help', responseUrl: slack.responseUrl() });
    const help = await postSigned(`${base}/slack/events`, signingSecret, body);
    expect(help.status).toBe(200);
    expect((help.json as { text: string }).text).toContain('`/change help`');

    const forged = await postSigned(`${base}/slack/events`, 'ffffffffffffffffffffffffffffffff', body);
    expect(forged.status).toBe(401);

    cabinet.child.kill('SIGTERM');
    const { code, stdout, stderr } = await cabinet.exit();
    expect(code).toBe(0);
    expect(stdout).toContain('stopped');
    // The absent policy file is a warning, not a failure.
    expect(stderr).toContain('absent-policy.yml not found: using the built-in default policy');
    for (const secret of [botToken, signingSecret]) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
    // The bot token reached Slack (the fake), and only there.
    expect(slack.callsTo('auth.test')[0]?.token).toBe(botToken);
  });
});
