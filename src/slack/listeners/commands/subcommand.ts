import type { AckFn, RespondArguments, RespondFn, SlashCommand, types, webApi } from '@slack/bolt';
import type { UseCaseContext } from '../../../services/context.js';
import type { ListenerDependencies } from '../../dependencies.js';

export interface SubcommandContext {
  command: SlashCommand;
  /** The text after the subcommand's name, trimmed, as the person typed it. */
  args: string;
  /** The same text as Slack sent it: `&`, `<` and `>` escaped, a mention picked from Slack's list as `<@U…|name>`. */
  rawArgs: string;
  ack: AckFn<string | RespondArguments>;
  respond: RespondFn;
  client: webApi.WebClient;
  deps: ListenerDependencies;
  /** The request's use-case context: pass it to services. */
  ctx: UseCaseContext;
}

export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  run(context: SubcommandContext): Promise<void>;
}

/** An ephemeral reply in the ack itself: instant, and only the person who typed sees it. */
export function ephemeral(text: string, blocks?: types.KnownBlock[]): RespondArguments {
  return { response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) };
}

/**
 * Acks, then opens a modal on the command's trigger. If Slack will not open it (the trigger expires
 * in 3 s), the user is told what to type to try again.
 */
export async function openModalAfterAck(
  context: SubcommandContext,
  view: types.ModalView,
  retry: string,
): Promise<void> {
  const { ack, command, client, respond, deps } = context;
  await ack();
  try {
    await client.views.open({ trigger_id: command.trigger_id, view });
  } catch (error) {
    deps.logger.warn(`views.open for ${retry} failed: ${error instanceof Error ? error.message : String(error)}`);
    await respond({
      response_type: 'ephemeral',
      text: `Slack would not open the form just now. Type \`${retry}\` to try again.`,
    });
  }
}

/**
 * Waits for the ack's response to leave before synchronous work (SQLite reads block the event loop,
 * which would otherwise hold the ack back until they finish).
 */
export function ackSent(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Slack accepts five messages through one response URL. */
const RESPONSE_URL_MESSAGES = 5;

/**
 * Sends a long answer as ephemeral messages through the response URL; past what it accepts, the
 * last message says how many were left out and where to read them (`overflow`).
 */
export async function respondInPages(
  respond: RespondFn,
  messages: readonly { text: string; blocks: types.KnownBlock[] }[],
  overflow: (leftOut: number) => string,
): Promise<void> {
  const fits = messages.length <= RESPONSE_URL_MESSAGES;
  const shown = fits ? messages : messages.slice(0, RESPONSE_URL_MESSAGES - 1);
  for (const message of shown) await respond(ephemeral(message.text, message.blocks));
  if (!fits) await respond(ephemeral(overflow(messages.length - shown.length)));
}
