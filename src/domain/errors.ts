export type DomainErrorCode =
  | 'ILLEGAL_TRANSITION'
  | 'INVALID_RISK_ASSESSMENT'
  | 'UNKNOWN_RISK_LEVEL'
  | 'UNKNOWN_REVIEW_RULE';

/** A request the change policy does not allow. The message is for logs; people read words from the Slack layer. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
