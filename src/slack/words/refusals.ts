import type { ChangeRefusal } from '../../services/context.js';

// Refusals shared by every area, one sentence per code. Services return codes with the facts the words
// need; each area's sentences live beside this file (words/<area>.ts), never in services or the domain.

/** `attempt`: whether the user tried to record something (then they are told nothing was). */
export function changeRefusalText(refusal: ChangeRefusal, attempt: 'read' | 'write'): string {
  switch (refusal.code) {
    case 'change_not_found':
      return attempt === 'write' ? 'That change does not exist; nothing was recorded.' : 'That change does not exist.';
  }
}
