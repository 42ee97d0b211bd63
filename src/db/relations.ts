// Drizzle relations: what a relational query (`db.query.<table>.findFirst({ with })`) may load along with a row.
import { relations } from 'drizzle-orm';
import {
  approvalCandidates,
  approvalDecisions,
  approvalRequirements,
  authorizationDisputes,
  cabItems,
  changeEvidence,
  changes,
  changeVersions,
  obligations,
  postImplementationReviews,
  rollbacks,
  verbalApprovalConfirmations,
  verbalApprovals,
  verifications,
} from './schema.js';

export const changeRelations = relations(changes, ({ many, one }) => ({
  requirements: many(approvalRequirements),
  decisions: many(approvalDecisions),
  verbalApprovals: many(verbalApprovals),
  obligations: many(obligations),
  boardItems: many(cabItems),
  versions: many(changeVersions),
  disputes: many(authorizationDisputes),
  rollback: one(rollbacks),
  verification: one(verifications),
  review: one(postImplementationReviews),
  evidence: many(changeEvidence),
}));

export const requirementRelations = relations(approvalRequirements, ({ many, one }) => ({
  change: one(changes, { fields: [approvalRequirements.changeId], references: [changes.id] }),
  candidates: many(approvalCandidates),
}));

export const candidateRelations = relations(approvalCandidates, ({ one }) => ({
  requirement: one(approvalRequirements, {
    fields: [approvalCandidates.requirementId],
    references: [approvalRequirements.id],
  }),
}));

export const decisionRelations = relations(approvalDecisions, ({ one }) => ({
  change: one(changes, { fields: [approvalDecisions.changeId], references: [changes.id] }),
}));

export const verbalApprovalRelations = relations(verbalApprovals, ({ one }) => ({
  change: one(changes, { fields: [verbalApprovals.changeId], references: [changes.id] }),
  confirmation: one(verbalApprovalConfirmations),
}));

export const confirmationRelations = relations(verbalApprovalConfirmations, ({ one }) => ({
  verbalApproval: one(verbalApprovals, {
    fields: [verbalApprovalConfirmations.verbalApprovalId],
    references: [verbalApprovals.id],
  }),
}));

export const obligationRelations = relations(obligations, ({ one }) => ({
  change: one(changes, { fields: [obligations.changeId], references: [changes.id] }),
}));

export const cabItemRelations = relations(cabItems, ({ one }) => ({
  change: one(changes, { fields: [cabItems.changeId], references: [changes.id] }),
}));

export const rollbackRelations = relations(rollbacks, ({ one }) => ({
  change: one(changes, { fields: [rollbacks.changeId], references: [changes.id] }),
}));

export const verificationRelations = relations(verifications, ({ one }) => ({
  change: one(changes, { fields: [verifications.changeId], references: [changes.id] }),
}));

export const reviewRelations = relations(postImplementationReviews, ({ one }) => ({
  change: one(changes, { fields: [postImplementationReviews.changeId], references: [changes.id] }),
}));

export const changeVersionRelations = relations(changeVersions, ({ one }) => ({
  change: one(changes, { fields: [changeVersions.changeId], references: [changes.id] }),
}));

export const authorizationDisputeRelations = relations(authorizationDisputes, ({ one }) => ({
  change: one(changes, { fields: [authorizationDisputes.changeId], references: [changes.id] }),
}));

export const changeEvidenceRelations = relations(changeEvidence, ({ one }) => ({
  change: one(changes, { fields: [changeEvidence.changeId], references: [changes.id] }),
}));
