import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ErrorCode, type ReceiverDispatchErrorHandlerArgs } from '@slack/bolt';

/** Far above any Slack payload (a full modal's state is tens of kilobytes); a bigger body is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Answers 413 (with `body` as JSON, for the API) and discards what the client still sends. */
export function refuseTooLarge(request: IncomingMessage, response: ServerResponse, body?: unknown): void {
  if (body === undefined) response.writeHead(413, { Connection: 'close' }).end();
  else response.writeHead(413, { Connection: 'close', 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  // What the client still sends is discarded as it arrives, never kept.
  request.resume();
}

/** The body, read up to `limit` bytes as it streams in; undefined once it is larger (413 answered, with `refusal`). */
export function readBounded(
  request: IncomingMessage,
  response: ServerResponse,
  { limit, refusal }: { limit: number; refusal?: unknown },
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.off('end', onEnd);
      refuseTooLarge(request, response, refusal);
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on('data', onData);
    request.on('end', onEnd);
    request.once('error', reject);
  });
}

/**
 * Bolt reads a request's whole body before it checks the signature. This reads it first, bounded:
 * over `limit` bytes (declared in Content-Length or counted while it streams, for chunked bodies) the
 * request is answered 413. Bolt takes a body already read from `rawBody` and does not read it again.
 */
export function boundedBodies(
  listener: RequestListener,
  { path, limit = MAX_BODY_BYTES }: { path: string; limit?: number },
): RequestListener {
  return (request, response) => {
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      refuseTooLarge(request, response);
      return;
    }
    // Only the events endpoint reads bodies; everything else goes to Bolt's routing as it is.
    if (request.method !== 'POST' || pathOf(request) !== path) {
      listener(request, response);
      return;
    }
    readBounded(request, response, { limit }).then(
      (body) => {
        if (body) listener(Object.assign(request, { rawBody: body }), response);
      },
      () => {
        if (!response.headersSent) response.writeHead(400).end();
      },
    );
  };
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

/**
 * Bolt's answer to a request no route serves, logging the path only: the query string can hold a
 * secret (the calendar feed's token).
 */
export function pathOnlyDispatchErrorHandler({ error, logger, request, response }: ReceiverDispatchErrorHandlerArgs) {
  const path = pathOf(request);
  if ('code' in error && error.code === ErrorCode.HTTPReceiverDeferredRequestError) {
    logger.info(`Unhandled HTTP request (${request.method}) made to ${path}`);
    response.writeHead(404).end();
    return;
  }
  logger.error(`An unexpected error occurred during a request (${request.method}) made to ${path}`);
  response.writeHead(500).end();
}
