import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Logger, webApi } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { ChangeRecord, RequirementRecord } from '../db/change-record.js';
import type { CabinetDb } from '../db/client.js';
import type { SlackDelivery } from '../db/outbox.js';
import type { SlackMessageRow } from '../db/slack-messages.js';
import { requirementsOf } from '../domain/approvers.js';
import type { ChangeEvent } from '../domain/events.js';
import { APPROVAL_PHASES, type ApprovalPhase, decisionStage } from '../domain/lifecycle.js';
import { type MessagePurpose, requestPurpose } from '../domain/message-purpose.js';
import { escalationTargets } from '../domain/sla.js';
import { type DeliveryAttempt, DeliveryFailure } from '../jobs/outbox-worker.js';
import { type Policy, reportsChannelOf } from '../policy/schema.js';
import { runningDelegates } from '../services/delegates.js';
import { digestDecisions } from '../services/digest.js';
import {
  type ChangeToDeliver,
  changesOfMessage,
  changeToDeliver,
  recordPostedMessage,
} from '../services/posted-messages.js';
import { monthlyReport } from '../services/report.js';
import { postAuditHead } from './audit-witness.js';
import { approvalBatchMessage } from './blocks/approval-batch.js';
import { section } from './blocks/blocks.js';
import {
  approvalRequestMessage,
  changeNotice,
  emergencyConsoleMessage,
  implementationConsoleMessage,
  logDecisionText,
  logMessage,
} from './blocks/change-message.js';
import { digestMessage } from './blocks/digest.js';
import { verbalConfirmationMessage } from './blocks/emergency.js';
import { monthlyReportMessage } from './blocks/report.js';
import { createCabDelivery, isCabMessage } from './cab-sender.js';
import { publishHome } from './home.js';
import { MethodRateLimiter } from './rate-limits.js';
import { reportChartPng } from './report-chart.js';
import { cachedRoleDirectory, roleMembers, slackRoleDirectory } from './role-members.js';
import { CHART_TITLE, chartFileName, chartLegend } from './words/report.js';
import { askedAgainText, escalationText, reminderText, requesterEscalationText } from './words/sla.js';

export interface SlackDeliveryDependencies {
  client: webApi.WebClient;
  db: CabinetDb;
  policy: Policy;
  clock: Clock;
}

/**
 * Makes one queued message's Slack calls (or one message for a batch of approval requests), rendering it from the
 * change as it is now; throws to have it retried.
 */
export type SlackDeliverer = (
  messages: readonly [SlackDelivery, ...SlackDelivery[]],
  attempt: DeliveryAttempt,
) => Promise<void>;

type ApprovalRequest = Extract<SlackDelivery, { kind: 'approval_request' }>;

/**
 * The Web API client the outbox sends with: every call waits for its method's rate-limit budget, and a
 * 429 pauses that method only (the client's own handling would pause every call, and retry inside it).
 */
export function createDeliveryClient(options: {
  token: string;
  apiUrl: string | undefined;
  logger: Logger;
}): webApi.WebClient {
  const limiter = new MethodRateLimiter();
  const methodOf = (url: string | undefined) => (url ?? '').replace(/^.*\//, '');
  const client = new webApi.WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    logger: options.logger,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    requestInterceptor: async (config) => {
      await limiter.acquire(methodOf(config.url));
      return config;
    },
  });
  client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number, request: { url?: string }) =>
    limiter.pause(methodOf(request.url), retryAfterSeconds * 1000),
  );
  return client;
}

interface WebApiErrorShape {
  code?: string;
  message?: string;
  retryAfter?: number;
  data?: { error?: string };
}

/** A Web API error as the outbox sees it: when to retry, and whether the call may have gone through. */
export function deliveryFailureOf(error: unknown): DeliveryFailure {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as WebApiErrorShape;
  const text = shape.data?.error ?? shape.message ?? String(error);
  switch (shape.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new DeliveryFailure(text, { retryAfterMs: (shape.retryAfter ?? 0) * 1000, uncertain: false });
    case webApi.ErrorCode.PlatformError:
      // Slack answered ok: false: nothing was done.
      return new DeliveryFailure(text, { uncertain: false });
    default:
      // No answer, or a 5xx: it may have been done.
      return new DeliveryFailure(text, { uncertain: true });
  }
}

const DELIVERY_METADATA = 'cabinet_delivery';

/** Whether the person is still needed in the phase: nobody is asked about a change already decided. */
function stillToDecide(record: ChangeRecord, request: { phase: ApprovalPhase; userId: string }): boolean {
  if (decisionStage(record.change.state)?.phase !== request.phase) return false;
  return requirementsOf(record, request.phase).some(
    (requirement) => requirement.satisfiedAt === null && requirement.candidates.includes(request.userId),
  );
}

/** The requirements of the phase the change waits in that were due at `dueAt` and are still open. */
function lateAt(record: ChangeRecord, dueAt: Date): RequirementRecord[] {
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return [];
  return requirementsOf(record, phase).filter(
    (requirement) => requirement.satisfiedAt === null && requirement.dueAt?.getTime() === dueAt.getTime(),
  );
}

export function createSlackDeliverer(deps: SlackDeliveryDependencies): SlackDeliverer {
  const { client, db, policy, clock } = deps;
  // A person's DM channel never changes: opened once per process, not once per message.
  const dmChannels = new Map<string, string>();

  const openDm = async (userId: string): Promise<string> => {
    const known = dmChannels.get(userId);
    if (known) return known;
    const opened = await client.conversations.open({ users: userId });
    if (!opened.channel?.id) throw new Error('conversations.open returned no channel');
    dmChannels.set(userId, opened.channel.id);
    return opened.channel.id;
  };

  /**
   * Posts once: each post carries its key (a batch's, every key in it) in its metadata, and when an earlier attempt
   * may have reached Slack the conversation is searched for it first.
   */
  const postOnce = async (
    key: string,
    attempt: DeliveryAttempt,
    message: webApi.ChatPostMessageArguments,
    batchKeys: readonly string[] = [],
  ): Promise<{ channel: string; ts: string | undefined }> => {
    const channel = message.channel;
    if (attempt.uncertain) {
      const history = await client.conversations.history({ channel, limit: 20, include_all_metadata: true });
      const found = history.messages?.find((posted) => {
        if (posted.metadata?.event_type !== DELIVERY_METADATA) return false;
        const payload = (posted.metadata.event_payload ?? {}) as { key?: unknown; batch?: unknown };
        return payload.key === key || (typeof payload.batch === 'string' && payload.batch.split(' ').includes(key));
      });
      if (found) return { channel, ts: found.ts };
    }
    const posted = await client.chat.postMessage({
      ...message,
      metadata: {
        event_type: DELIVERY_METADATA,
        event_payload: batchKeys.length > 1 ? { key, batch: batchKeys.join(' ') } : { key },
      },
    });
    return { channel: posted.channel ?? channel, ts: posted.ts };
  };

  const membersOf = (role: string) => roleMembers(client, policy, role);

  /** Renders a posted message again from the change as it is now. */
  const render = (record: ChangeRecord, purpose: MessagePurpose, recipientId: string | null) => {
    const now = clock.now();
    const phase = APPROVAL_PHASES.find((candidate) => requestPurpose(candidate) === purpose);
    if (phase) return approvalRequestMessage(record, policy, { recipientId: recipientId ?? '', phase }, now);
    if (purpose === 'emergency_console') return emergencyConsoleMessage(record, policy, recipientId ?? '', now);
    if (purpose === 'implementation_console') return implementationConsoleMessage(record, policy, now);
    if (purpose === 'verbal_confirmation') return verbalConfirmationMessage(record, policy, recipientId ?? '');
    return logMessage(record, policy, now);
  };

  /** Renders a posted message again: a batch of requests shows every change in it as it is now. */
  const renderPosted = async (record: ChangeRecord, posted: SlackMessageRow) => {
    const phase = APPROVAL_PHASES.find((candidate) => requestPurpose(candidate) === posted.purpose);
    const records = phase ? await changesOfMessage(db, posted, record) : [];
    if (!phase || records.length < 2) return render(record, posted.purpose, posted.recipientId);
    return approvalBatchMessage(records, policy, { recipientId: posted.recipientId ?? '', phase });
  };

  /**
   * Posts a DM that is kept up to date: it is recorded so every refresh renders it again. `lead` is said first
   * (a reminder that had no request to reply under); a refresh leaves it out.
   */
  const postTrackedDm = async (
    { record, version }: Pick<ChangeToDeliver, 'record' | 'version'>,
    attempt: DeliveryAttempt,
    target: { purpose: MessagePurpose; userId: string; lead?: string },
  ) => {
    const { purpose, userId, lead } = target;
    const channel = await openDm(userId);
    const message = render(record, purpose, userId);
    const body = lead ? { text: lead, blocks: [section(lead), ...message.blocks] } : message;
    // With every key of its batch: a request of the batch retried alone finds it.
    const posted = await postOnce(attempt.key, attempt, { channel, ...body }, attempt.keys);
    if (posted.ts)
      recordPostedMessage(
        db,
        { changeId: record.change.id, purpose, channelId: posted.channel, ts: posted.ts, recipientId: userId },
        { at: clock.now(), renderedAt: version },
      );
  };

  const notify = async (
    record: ChangeRecord,
    attempt: DeliveryAttempt,
    notice: { userId: string; event: ChangeEvent },
  ) => {
    const channel = await openDm(notice.userId);
    const message = changeNotice(record, policy, notice.event, clock.now());
    await postOnce(`${attempt.key}:${notice.userId}`, attempt, { channel, ...message });
  };

  /**
   * The monthly report, then its chart beside it. A failed upload is retried as if the post were uncertain, so the
   * retry finds the report already posted and only uploads the chart.
   */
  const postReport = async (month: string, attempt: DeliveryAttempt) => {
    const channel = reportsChannelOf(policy);
    if (!channel) return;
    const report = monthlyReport(db, policy, month);
    const posted = await postOnce(attempt.key, attempt, { channel, ...monthlyReportMessage(report, policy) });
    try {
      await client.files.uploadV2({
        channel_id: posted.channel,
        initial_comment: chartLegend(report.history.map((shown) => shown.month)),
        file_uploads: [
          { file: await reportChartPng(report.history), filename: chartFileName(month), title: CHART_TITLE },
        ],
      });
    } catch (error) {
      throw new DeliveryFailure(deliveryFailureOf(error).message, { uncertain: true });
    }
  };

  /** A reminder in the thread of the person's request; with the request itself when it never went out. */
  const remind = async (
    change: Pick<ChangeToDeliver, 'record' | 'version'> & { request: SlackMessageRow | undefined },
    attempt: DeliveryAttempt,
    reminder: { userId: string; phase: ApprovalPhase; nudgedBy?: string },
  ) => {
    const { record, request } = change;
    const text = reminderText(record, reminder, clock.now());
    if (request) {
      await postOnce(attempt.key, attempt, { channel: request.channelId, thread_ts: request.ts, text });
      return;
    }
    await postTrackedDm(change, attempt, {
      purpose: requestPurpose(reminder.phase),
      userId: reminder.userId,
      lead: text,
    });
  };

  /** Tells the requester, and those the late requirements escalate to (each once), that they are past the SLA. */
  const escalate = async (
    record: ChangeRecord,
    attempt: DeliveryAttempt,
    late: { requirements: RequirementRecord[]; dueAt: Date },
  ) => {
    const told = escalationTargets(late.requirements, policy);
    const members = await Promise.all(told.roles.map(membersOf));
    const { requesterId } = record.change;
    const targets = [...told.userIds, ...members.flat()];
    // Someone away has handed their approvals to a delegate: the delegate hears of it too.
    const delegates = [...runningDelegates(db, { policy, now: clock.now() }, targets).values()].map(
      (d) => d.delegateId,
    );
    const people = new Set([...targets, ...delegates].filter((id) => id !== requesterId));
    const tell = async (userId: string, text: string) =>
      postOnce(`${attempt.key}:${userId}`, attempt, { channel: await openDm(userId), text });
    await tell(requesterId, requesterEscalationText(record, late, told));
    for (const userId of people) await tell(userId, escalationText(record, late, policy, clock.now()));
  };

  const cab = createCabDelivery({ client, db, policy, clock, openDm });
  // A burst of Home publishes for one change asks Slack for the CAB's members once.
  const roles = cachedRoleDirectory(slackRoleDirectory(client, policy), clock);

  /** A morning digest, with the decisions still waiting when it is sent; none left, nothing is posted. */
  const postDigest = async (digest: Extract<SlackDelivery, { kind: 'approval_digest' }>, attempt: DeliveryAttempt) => {
    const decisions = digestDecisions({ db, policy, now: clock.now() }, digest);
    if (decisions.length === 0) return;
    const channel = await openDm(digest.userId);
    await postOnce(attempt.key, attempt, { channel, ...digestMessage(decisions, policy) });
  };

  const deliver = async (message: SlackDelivery, attempt: DeliveryAttempt): Promise<void> => {
    if (isCabMessage(message)) {
      await cab.deliver(message);
      return;
    }
    if (message.kind === 'audit_head') {
      await postAuditHead(client, policy, { head: message, uncertain: attempt.uncertain });
      return;
    }
    if (message.kind === 'monthly_report') {
      await postReport(message.month, attempt);
      return;
    }
    if (message.kind === 'publish_home') {
      await publishHome(client, { db, policy, clock, roles }, message.userId);
      return;
    }
    if (message.kind === 'approval_digest') {
      await postDigest(message, attempt);
      return;
    }
    const change = changeToDeliver(db, message.changeId);
    if (!change) return;
    const { record, messages } = change;
    const alreadyPosted = (purpose: MessagePurpose, userId: string) =>
      messages.some((m) => m.purpose === purpose && m.recipientId === userId);
    switch (message.kind) {
      case 'approval_request': {
        const phase = message.phase ?? 'approval';
        const purpose = requestPurpose(phase);
        if (!stillToDecide(record, { phase, userId: message.userId })) return;
        const request = messages.find((m) => m.purpose === purpose && m.recipientId === message.userId);
        if (!request) await postTrackedDm(change, attempt, { purpose, userId: message.userId });
        else if (message.again) {
          const text = askedAgainText(record, { userId: message.userId, phase }, clock.now());
          await postOnce(attempt.key, attempt, { channel: request.channelId, thread_ts: request.ts, text });
        }
        return;
      }
      case 'emergency_console':
      case 'implementation_console': {
        if (alreadyPosted(message.kind, message.userId)) return;
        await postTrackedDm(change, attempt, { purpose: message.kind, userId: message.userId });
        return;
      }
      case 'verbal_confirmation': {
        // One DM per verbal approval: a retry after a successful post finds the DM posted since it was recorded.
        const verbal = record.verbalApprovals.find((candidate) => candidate.id === message.verbalApprovalId);
        if (
          !verbal ||
          messages.some(
            (m) =>
              m.purpose === 'verbal_confirmation' &&
              m.recipientId === message.userId &&
              m.createdAt >= verbal.recordedAt,
          )
        )
          return;
        await postTrackedDm(change, attempt, { purpose: 'verbal_confirmation', userId: message.userId });
        return;
      }
      case 'refresh_messages': {
        for (const posted of messages) {
          await client.chat.update({
            channel: posted.channelId,
            ts: posted.ts,
            ...(await renderPosted(record, posted)),
          });
        }
        await cab.refreshChangeItems(record.boardItems);
        return;
      }
      case 'notify_user': {
        await notify(record, attempt, message);
        return;
      }
      case 'approval_reminder': {
        if (!stillToDecide(record, message)) return;
        const purpose = requestPurpose(message.phase);
        const request = messages.find((m) => m.purpose === purpose && m.recipientId === message.userId);
        await remind({ ...change, request }, attempt, message);
        return;
      }
      case 'sla_escalation': {
        const dueAt = new Date(message.dueAt);
        const requirements = lateAt(record, dueAt);
        if (requirements.length > 0) await escalate(record, attempt, { requirements, dueAt });
        return;
      }
      case 'notify_roles': {
        // Each person once, however many of the roles they hold; those told another way are left out.
        const members = await Promise.all(message.roles.map(membersOf));
        const people = new Set(members.flat().filter((id) => !message.exclude.includes(id)));
        for (const userId of people) await notify(record, attempt, { userId, event: message.event });
        return;
      }
      case 'notify_log': {
        const channel = policy.channels.log;
        if (!channel) return;
        const original = messages.find((m) => m.purpose === 'log');
        if (message.event === 'submitted') {
          if (original) return;
          const posted = await postOnce(attempt.key, attempt, { channel, ...logMessage(record, policy, clock.now()) });
          if (posted.ts)
            recordPostedMessage(
              db,
              { changeId: record.change.id, purpose: 'log', channelId: posted.channel, ts: posted.ts },
              { at: clock.now(), renderedAt: change.version },
            );
          return;
        }
        const text = logDecisionText(record, policy, message.event, clock.now());
        await postOnce(
          attempt.key,
          attempt,
          original ? { channel, text, thread_ts: original.ts, reply_broadcast: true } : { channel, text },
        );
        return;
      }
    }
  };

  /**
   * Approval requests to one person that queued together, as one DM; recorded for each change, so each refresh
   * renders the whole message again. Those already posted or no longer waiting for the person are left out.
   */
  const postApprovalBatch = async (requests: readonly ApprovalRequest[], attempt: DeliveryAttempt) => {
    const [first] = requests;
    if (!first) return;
    const phase = first.phase ?? 'approval';
    const purpose = requestPurpose(phase);
    const changes: ChangeToDeliver[] = [];
    for (const request of requests) {
      // A turn of the event loop between reads: up to 15 changes, each a few milliseconds (an ack may be waiting).
      if (request !== first) await nextTurn();
      const change = changeToDeliver(db, request.changeId);
      const posted = change?.messages.some((m) => m.purpose === purpose && m.recipientId === request.userId);
      if (change && !posted && stillToDecide(change.record, { phase, userId: request.userId })) changes.push(change);
    }
    const [only] = changes;
    if (changes.length === 1 && only) {
      await postTrackedDm(only, attempt, { purpose, userId: first.userId });
      return;
    }
    if (changes.length === 0) return;
    const channel = await openDm(first.userId);
    const records = changes.map((change) => change.record);
    const message = approvalBatchMessage(records, policy, { recipientId: first.userId, phase });
    const posted = await postOnce(attempt.key, attempt, { channel, ...message }, attempt.keys);
    const { ts } = posted;
    if (!ts) return;
    db.transaction((tx) => {
      for (const { record, version } of changes) {
        const where = { channelId: posted.channel, ts, recipientId: first.userId };
        recordPostedMessage(
          tx,
          { changeId: record.change.id, purpose, ...where },
          { at: clock.now(), renderedAt: version },
        );
      }
    });
  };

  return async (messages, attempt) => {
    try {
      const requests = messages.filter((message): message is ApprovalRequest => message.kind === 'approval_request');
      if (messages.length > 1 && requests.length === messages.length) await postApprovalBatch(requests, attempt);
      else for (const message of messages) await deliver(message, attempt);
    } catch (error) {
      throw deliveryFailureOf(error);
    }
  };
}
