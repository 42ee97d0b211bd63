import { createHmac } from 'node:crypto';

/** Slack's request signature: v0 HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  contentType?: 'application/x-www-form-urlencoded' | 'application/json';
  /** Seconds since the epoch; Bolt refuses requests more than five minutes off real time. */
  timestamp?: number;
  /** Overrides the computed signature, to send a forged request. */
  signature?: string;
  /** Sets X-Slack-Retry-Num, as Slack does when it redelivers. */
  retryNum?: number;
}

export interface AppResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** POSTs a body to the app exactly as Slack would: signed, with Slack's content type. */
export async function postSigned(
  url: string,
  signingSecret: string,
  body: string,
  options: SignedPostOptions = {},
): Promise<AppResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': options.signature ?? slackSignature(signingSecret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers['X-Slack-Retry-Num'] = String(options.retryNum);
    headers['X-Slack-Retry-Reason'] = 'http_timeout';
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

export interface SlashCommandFields {
  text: string;
  userId?: string;
  channelId?: string;
  responseUrl: string;
  triggerId?: string;
}

/** The fields Slack sends for a slash command (form-encoded over HTTP, JSON over Socket Mode). */
export function slashCommandPayload(command: string, fields: SlashCommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0CABINET',
    team_domain: 'cabinet-test',
    channel_id: fields.channelId ?? 'C0GENERAL1',
    channel_name: 'general',
    user_id: fields.userId ?? 'U0REQ0001',
    user_name: 'requester',
    command,
    text: fields.text,
    api_app_id: 'A0CABINET',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? `trigger-${Math.random().toString(36).slice(2)}`,
  };
}

/** The form body Slack sends for a slash command over HTTP. */
export function slashCommandBody(command: string, fields: SlashCommandFields): string {
  return new URLSearchParams(slashCommandPayload(command, fields)).toString();
}

/** The JSON body Slack sends for an Events API event. */
export function eventCallbackBody(
  event: Record<string, unknown>,
  eventId = `Ev${Math.random().toString(36).slice(2, 12)}`,
): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0CABINET',
    api_app_id: 'A0CABINET',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0CABINET', user_id: 'U0CABINET', is_bot: true, is_enterprise_install: false }],
  });
}
