import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One request the app made to the fake: a Web API method, or `response_url` for a response URL post. */
export interface RecordedCall {
  method: string;
  /** The request path, e.g. /api/chat.postMessage or /response/<id>. */
  path: string;
  params: Record<string, unknown>;
  /** The bearer token the call carried, if any. */
  token: string | undefined;
  at: number;
}

export type Fault =
  | { error: string } // HTTP 200 with { ok: false, error }
  | { status: 500 }
  | { status: 429; retryAfterSeconds: number };

interface SlackUser {
  id: string;
  name: string;
  real_name: string;
  tz: string;
  is_bot?: boolean;
}

/** What the app answered to a Socket Mode envelope. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

const SOCKET_MODE_PATH = '/socket-mode';

export const FAKE_TEAM_ID = 'T0CABINET';
export const FAKE_BOT_USER_ID = 'U0CABINET';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A file given to files.getUploadURLExternal, its bytes once posted to its upload URL, and where it was shared. */
export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  content: Buffer | undefined;
  title: string | undefined;
  channelId: string | undefined;
  initialComment: string | undefined;
  completed: boolean;
}

const UPLOAD_PATH = '/upload/';

// The upload URL takes the bytes as a form (the Web API client posts a multipart form) or as the raw body.
async function uploadedBytes(body: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return body;
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  const [first] = [...form.values()];
  return Buffer.from(typeof first === 'string' ? first : '');
}

// The Web API client form-encodes arguments and JSON-encodes nested ones (blocks, view, …).
function decodeParams(body: string, contentType: string | undefined): Record<string, unknown> {
  if (body === '') return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    try {
      params[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      params[key] = value;
    }
  }
  return params;
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url']);

function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, entry) => sum + textLength(entry), 0);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return (
      (typeof record.text === 'string' ? record.text.length : textLength(record.text)) + textLength(record.elements)
    );
  }
  return 0;
}

/** The action IDs that occur more than once in one actions block of `blocks`: Slack refuses such a message. */
export function duplicateActionIds(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  return (blocks as Record<string, unknown>[])
    .filter((block) => block.type === 'actions' && Array.isArray(block.elements))
    .flatMap((block) => {
      const ids = (block.elements as Record<string, unknown>[]).map((element) => String(element.action_id));
      return ids.filter((id, index) => ids.indexOf(id) !== index);
    });
}

/**
 * Slack's answer to a message (or a published Home) that breaks Block Kit's limits, as Slack gives it: more than 50
 * blocks (100 in a Home), a section over 3,000 characters, a header over 150, a button label over 75, an action ID
 * twice in one actions block, or a message's blocks holding more than about 13,000 characters in all
 * (msg_blocks_too_long, slackapi/bolt-js#2509).
 */
function blockLimitError(method: string, params: Record<string, unknown>): Record<string, unknown> | undefined {
  // A published Home holds up to 100 blocks, with the same limits on each block as a message.
  const view = method === 'views.publish' ? (params.view as Record<string, unknown> | undefined) : undefined;
  const candidate = view ? view.blocks : MESSAGE_METHODS.has(method) ? params.blocks : undefined;
  if (!Array.isArray(candidate)) return undefined;
  const blocks = candidate as Record<string, unknown>[];
  const maxBlocks = view ? 100 : 50;
  const invalid = (why: string) => ({ ok: false, error: 'invalid_blocks', errors: [why] });
  if (blocks.length > maxBlocks) return invalid(`${blocks.length} blocks; no more than ${maxBlocks} items allowed`);
  for (const block of blocks) {
    const text = block.text as { text?: string } | undefined;
    if (block.type === 'section' && (text?.text?.length ?? 0) > 3000)
      return invalid('section text must be less than 3001 characters');
    if (block.type === 'header' && (text?.text?.length ?? 0) > 150)
      return invalid('header text must be less than 151 characters');
    for (const element of (block.elements ?? []) as Record<string, unknown>[]) {
      if (element.type === 'button' && ((element.text as { text?: string } | undefined)?.text?.length ?? 0) > 75)
        return invalid('button text must be less than 76 characters');
    }
  }
  const duplicates = duplicateActionIds(blocks);
  if (duplicates.length > 0) return invalid(`action_id ${duplicates.join(', ')} is not unique in its block`);
  if (!view && textLength(blocks) > 13_000) return { ok: false, error: 'msg_blocks_too_long' };
  return undefined;
}

/**
 * A fake Slack Web API: a real HTTP server on 127.0.0.1 that records every call and answers like
 * Slack. Point the app at `apiUrl` (SLACK_API_URL). Faults can be queued per method.
 */
/** A call held by holdWhen. */
export interface Hold {
  arrived: Promise<void>;
  release(): void;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly users = new Map<string, SlackUser>();
  readonly userGroups = new Map<string, string[]>();
  /** Files by id, from files.getUploadURLExternal on. */
  readonly files = new Map<string, FakeFile>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly holds: {
    method: string;
    matches: (params: Record<string, unknown>) => boolean;
    released: Promise<void>;
    arrive: () => void;
  }[] = [];
  private readonly targetedFaults: {
    method: string;
    matches: (params: Record<string, unknown>) => boolean;
    fault: Fault;
  }[] = [];
  private readonly events = new EventEmitter();
  private server: Server | undefined;
  private socketServer: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private nextEnvelope = 1;
  private baseUrl = '';
  private nextTs = 1_700_000_000;
  private nextViewId = 1;
  private nextFileId = 1;
  /** Messages posted, newest last, per channel: what conversations.history answers. */
  private readonly history = new Map<string, Record<string, unknown>[]>();
  /** How long every answer takes, as a real Slack call does (about 100 ms); 0 answers at once. */
  latencyMs = 0;

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await fake.listen();
    return fake;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** A response_url the app may post to; posts are recorded as method `response_url`. */
  responseUrl(id = 'cmd'): string {
    return `${this.baseUrl}/response/${id}`;
  }

  addUser(id: string, name = id.toLowerCase(), tz = 'America/New_York'): void {
    this.users.set(id, { id, name, real_name: name, tz });
  }

  /** Queues a fault for the next call(s) of `method`. */
  failNext(method: string, fault: Fault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** Queues a fault for the next call of `method` whose parameters match (e.g. one user's DM). */
  failWhen(method: string, matches: (params: Record<string, unknown>) => boolean, fault: Fault): void {
    this.targetedFaults.push({ method, matches, fault });
  }

  /**
   * Holds the answer to the next call of `method` whose parameters match until `release` is called (a slow Slack
   * at one moment, to show what moves meanwhile). Resolves `arrived` once the call is in.
   */
  holdWhen(method: string, matches: (params: Record<string, unknown>) => boolean): Hold {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    this.holds.push({ method, matches, released, arrive });
    return { arrived, release };
  }

  /** The files shared in a channel (files.completeUploadExternal), oldest first. */
  filesIn(channelId: string): FakeFile[] {
    return [...this.files.values()].filter((file) => file.completed && file.channelId === channelId);
  }

  /** The messages Slack holds in a channel (posted and accepted), oldest first. */
  messagesIn(channelId: string): Record<string, unknown>[] {
    return [...(this.history.get(channelId) ?? [])];
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves with the first call to `method` (past or future) that matches, or rejects after `timeoutMs`. */
  waitForCall(
    method: string,
    matches: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 3000,
  ): Promise<RecordedCall> {
    const existing = this.calls.find((call) => call.method === method && matches(call));
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall) => {
        if (call.method !== method || !matches(call)) return;
        clearTimeout(timer);
        this.events.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.events.off('call', onCall);
        reject(
          new Error(
            `no ${method} call within ${timeoutMs} ms; calls so far: ` +
              `${this.calls.map((c) => c.method).join(', ') || 'none'}`,
          ),
        );
      }, timeoutMs);
      this.events.on('call', onCall);
    });
  }

  /**
   * Delivers an envelope over the Socket Mode connection, as Slack does, and resolves with the app's
   * ack (which carries the response payload for commands and view submissions).
   */
  async deliverOverSocket(
    type: 'slash_commands' | 'events_api' | 'interactive',
    payload: Record<string, unknown>,
    timeoutMs = 3000,
  ): Promise<SocketAck> {
    const socket = this.socket ?? (await this.waitForSocket(timeoutMs));
    const envelopeId = `envelope-${this.nextEnvelope++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off('message', onMessage);
        reject(new Error(`no ack for ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as SocketAck;
        if (message.envelope_id !== envelopeId) return;
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(message);
      };
      socket.on('message', onMessage);
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
    });
  }

  private waitForSocket(timeoutMs: number): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`)), timeoutMs);
      this.events.once('socket', (socket: WebSocket) => {
        clearTimeout(timer);
        resolve(socket);
      });
    });
  }

  async close(): Promise<void> {
    for (const client of this.socketServer?.clients ?? []) client.terminate();
    this.socketServer?.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    // Socket Mode: the URL handed out by apps.connections.open, greeted with "hello" like Slack's.
    this.socketServer = new WebSocketServer({ server: this.server, path: SOCKET_MODE_PATH });
    this.socketServer.on('connection', (socket) => {
      this.socket = socket;
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          connection_info: { app_id: 'A0CABINET' },
          debug_info: { host: 'fake' },
        }),
      );
      this.events.emit('socket', socket);
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const raw = await readBody(request);
    if (url.pathname.startsWith(UPLOAD_PATH)) {
      await this.receiveUpload(url.pathname.slice(UPLOAD_PATH.length), raw, request, response);
      return;
    }
    const body = raw.toString('utf8');
    const isResponseUrl = url.pathname.startsWith('/response/');
    const method = isResponseUrl ? 'response_url' : url.pathname.replace(/^\/api\//, '');
    const params = decodeParams(body, request.headers['content-type']);
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith('Bearer ')
      ? authorization.slice('Bearer '.length)
      : (params.token as string | undefined);
    const call: RecordedCall = { method, path: url.pathname, params, token, at: Date.now() };
    this.calls.push(call);
    this.events.emit('call', call);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const held = this.holds.findIndex((entry) => entry.method === method && entry.matches(params));
    const hold = held >= 0 ? this.holds.splice(held, 1)[0] : undefined;
    if (hold) {
      hold.arrive();
      await hold.released;
    }

    const targeted = this.targetedFaults.findIndex((entry) => entry.method === method && entry.matches(params));
    const fault = targeted >= 0 ? this.targetedFaults.splice(targeted, 1)[0]?.fault : this.faults.get(method)?.shift();
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (fault.status === 429) headers['Retry-After'] = String(fault.retryAfterSeconds);
      response
        .writeHead(fault.status, headers)
        .end(JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    const answer = fault
      ? { ok: false, error: fault.error }
      : (blockLimitError(method, params) ?? this.answer(method, params));
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
  }

  /** Slack's upload URL: takes the bytes of a file it handed out, answers 200 "OK - <bytes>". */
  private async receiveUpload(
    fileId: string,
    body: Buffer,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const file = this.files.get(fileId);
    const call: RecordedCall = {
      method: 'file_upload',
      path: request.url ?? '',
      params: { file_id: fileId },
      token: undefined,
      at: Date.now(),
    };
    this.calls.push(call);
    this.events.emit('call', call);
    if (!file || file.completed) {
      response.writeHead(404).end('Not Found');
      return;
    }
    file.content = await uploadedBytes(body, request.headers['content-type']);
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${file.content.length}`);
  }

  /** files.getUploadURLExternal: a file id and the URL (on this server) to post its bytes to. */
  private uploadUrl(params: Record<string, unknown>): Record<string, unknown> {
    const length = Number(params.length);
    if (typeof params.filename !== 'string' || params.filename === '' || !Number.isInteger(length) || length < 1)
      return { ok: false, error: 'invalid_arguments' };
    const id = `F${String(this.nextFileId++).padStart(8, '0')}`;
    this.files.set(id, {
      id,
      filename: params.filename,
      length,
      content: undefined,
      title: undefined,
      channelId: undefined,
      initialComment: undefined,
      completed: false,
    });
    return { ok: true, upload_url: `${this.baseUrl}${UPLOAD_PATH}${id}`, file_id: id };
  }

  /** files.completeUploadExternal: shares uploaded files in a channel, with one message as Slack does. */
  private completeUpload(params: Record<string, unknown>): Record<string, unknown> {
    const entries = Array.isArray(params.files) ? (params.files as { id?: unknown; title?: unknown }[]) : [];
    if (entries.length === 0) return { ok: false, error: 'invalid_arguments' };
    const files = entries.map((entry) => this.files.get(String(entry.id)));
    if (files.some((file) => !file?.content || file.completed)) return { ok: false, error: 'file_not_found' };
    const channelId = typeof params.channel_id === 'string' ? params.channel_id : undefined;
    const initialComment = typeof params.initial_comment === 'string' ? params.initial_comment : undefined;
    entries.forEach((entry, index) => {
      const file = files[index];
      if (!file) return;
      Object.assign(file, {
        title: typeof entry.title === 'string' ? entry.title : file.filename,
        channelId,
        initialComment,
        completed: true,
      });
    });
    return {
      ok: true,
      files: files.map((file) => ({ id: file?.id, name: file?.filename, title: file?.title, size: file?.length })),
    };
  }

  private answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const ts = () => {
      this.nextTs += 1;
      return `${this.nextTs}.000100`;
    };
    switch (method) {
      case 'response_url':
        return { ok: true };
      case 'apps.connections.open':
        return { ok: true, url: `${this.baseUrl.replace('http', 'ws')}${SOCKET_MODE_PATH}` };
      case 'auth.test':
        return {
          ok: true,
          url: 'https://cabinet-test.slack.com/',
          team: 'Cabinet Test',
          user: 'cabinet',
          team_id: FAKE_TEAM_ID,
          user_id: FAKE_BOT_USER_ID,
          bot_id: 'B0CABINET',
        };
      case 'chat.postMessage': {
        const message = { ...params, ts: ts(), user: FAKE_BOT_USER_ID, type: 'message' };
        const channel = String(params.channel);
        this.history.set(channel, [...(this.history.get(channel) ?? []), message]);
        return { ok: true, channel: params.channel, ts: message.ts, message };
      }
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts() };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: params.channel,
          permalink:
            `https://cabinet-test.slack.com/archives/${String(params.channel)}` +
            `/p${String(params.message_ts).replace('.', '')}`,
        };
      case 'conversations.open': {
        const user = String(params.users ?? '').split(',')[0] ?? '';
        return { ok: true, channel: { id: `D${user.slice(1)}` } };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        const view = (params.view ?? {}) as Record<string, unknown>;
        const id =
          typeof params.view_id === 'string' ? params.view_id : `V${String(this.nextViewId++).padStart(8, '0')}`;
        return { ok: true, view: { ...view, id, hash: `${id}-hash`, team_id: FAKE_TEAM_ID } };
      }
      case 'conversations.history': {
        // Newest first, metadata only when asked for, as Slack answers.
        const limit = Number(params.limit ?? 100);
        const messages = [...(this.history.get(String(params.channel)) ?? [])].reverse().slice(0, limit);
        const withMetadata = String(params.include_all_metadata) === 'true';
        return {
          ok: true,
          messages: messages.map(({ metadata, ...message }) => (withMetadata ? { ...message, metadata } : message)),
          has_more: false,
        };
      }
      case 'users.info': {
        const user = this.users.get(String(params.user));
        return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
      }
      case 'files.getUploadURLExternal':
        return this.uploadUrl(params);
      case 'files.completeUploadExternal':
        return this.completeUpload(params);
      case 'usergroups.users.list': {
        const users = this.userGroups.get(String(params.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
