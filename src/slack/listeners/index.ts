import type { App } from '@slack/bolt';
import type { ListenerDependencies } from '../dependencies.js';
import { registerAddEvidence } from './actions/add-evidence.js';
import { registerApprove } from './actions/approve.js';
import { registerDetails } from './actions/details.js';
import { registerDocument } from './actions/document.js';
import { registerEscalate } from './actions/escalate.js';
import { registerRecordVerbal } from './actions/record-verbal.js';
import { registerReject } from './actions/reject.js';
import { registerVerbalAnswer } from './actions/verbal-answer.js';
import { registerChangeCommand } from './commands/change.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import { registerChangeRequestSubmitted } from './views/change-request-submitted.js';
import { registerDocumentationSubmitted } from './views/documentation-submitted.js';
import { registerEmergencySubmitted } from './views/emergency-submitted.js';
import { registerEvidenceSubmitted } from './views/evidence-submitted.js';
import { registerRejectReasonSubmitted } from './views/reject-reason-submitted.js';
import { registerVerbalApprovalSubmitted } from './views/verbal-approval-submitted.js';

export function registerListeners(app: App, deps: ListenerDependencies): void {
  registerChangeCommand(app, deps);
  registerApprove(app, deps);
  registerReject(app, deps);
  registerDetails(app, deps);
  registerChangeRequestSubmitted(app, deps);
  registerRejectReasonSubmitted(app, deps);
  registerRecordVerbal(app, deps);
  registerVerbalAnswer(app, deps, 'confirmed');
  registerVerbalAnswer(app, deps, 'disputed');
  registerEscalate(app, deps);
  registerDocument(app, deps);
  registerAddEvidence(app, deps);
  registerEmergencySubmitted(app, deps);
  registerVerbalApprovalSubmitted(app, deps);
  registerDocumentationSubmitted(app, deps);
  registerEvidenceSubmitted(app, deps);
  registerAppHomeOpened(app, deps);
}
