import type { FreezeRefusal } from '../../services/freezes.js';

/** Why a freeze was not removed. */
export function freezeRefusalText(refusal: FreezeRefusal): string {
  switch (refusal.code) {
    case 'freeze_not_found':
      return `There is no freeze ${refusal.ref} in force. Type \`/change freeze list\` to see them.`;
  }
}
