import { parseChangeValue } from '../../ids.js';

type Refusal = { ok: false; reason: string };

/** Runs a use-case on the change a modal refers to (its private_metadata); a form naming no change records nothing. */
export function forChangeOf<T extends { ok: true } | Refusal>(
  privateMetadata: string,
  run: (changeId: number) => T,
): T | Refusal {
  const changeId = parseChangeValue(privateMetadata);
  return changeId === undefined
    ? { ok: false, reason: 'This form does not refer to a change; nothing was recorded.' }
    : run(changeId);
}
