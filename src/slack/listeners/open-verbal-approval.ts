import type { types } from '@slack/bolt';
import { changeRecordOf } from '../../services/change-queries.js';
import { changeNotFound } from '../../services/context.js';
import { verbalRecordingRefusal } from '../../services/verbal-approvals.js';
import { verbalApprovalModal } from '../blocks/emergency.js';
import type { ListenerDependencies } from '../dependencies.js';
import { verbalRecordingRefusalText } from '../words/verbal.js';

/**
 * The verbal-approval modal for a change, from the command or the button alike; or why not, in
 * words for the user, when they may not record one now. A quick database read: safe before an ack.
 */
export function verbalApprovalForm(
  deps: ListenerDependencies,
  changeId: number,
  userId: string,
): { modal: types.ModalView } | { refusal: string } {
  const record = changeRecordOf(deps.database, changeId);
  const refusal = verbalRecordingRefusal(record, userId);
  if (refusal !== undefined || !record)
    return { refusal: verbalRecordingRefusalText(refusal ?? changeNotFound, deps.policy) };
  return { modal: verbalApprovalModal(record, deps.policy) };
}
