import type { AckFn, RespondArguments, RespondFn, SlashCommand, types, webApi } from '@slack/bolt';
import type { ListenerDependencies } from '../../dependencies.js';

export interface SubcommandContext {
  command: SlashCommand;
  /** The text after the subcommand's name, trimmed. */
  args: string;
  ack: AckFn<string | RespondArguments>;
  respond: RespondFn;
  client: webApi.WebClient;
  deps: ListenerDependencies;
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
