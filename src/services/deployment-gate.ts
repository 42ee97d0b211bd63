import { recordAudit } from '../db/audit-log.js';
import { loadChangeRecord } from '../db/change-record.js';
import { deploymentWithKey, insertDeployment } from '../db/pipeline.js';
import { formatChangeRef } from '../domain/change-ref.js';
import { type ChangeIssue, type ChangeRequestForm, validateChangeRequest } from '../domain/change-request.js';
import { rolesForStep } from '../domain/implementation.js';
import type { ChangeState } from '../domain/lifecycle.js';
import { changeInScope, type GateReason, gateReasons, inScope } from '../domain/pipeline.js';
import type { ScheduleProblem } from '../domain/schedule.js';
import { evidenceMissingFor } from './change-evidence.js';
import { type ChangeRefusal, changeNotFound, type Refusal, type UseCaseContext } from './context.js';
import { freezesFromNow, type StepRefusal, takeStepIn } from './implementation.js';
import { type ApiRequest, auditApiRefusal, type PipelineCaller, pipelineActor } from './pipeline-tokens.js';
import { submitChange } from './submit-change.js';

/** 403: the token is limited to systems that do not include this one (or none of the change's). */
export type ScopeRefusal = Refusal<'out_of_scope', { scope: string[] }>;

/** A pipeline's question at the gate: may it deploy the change to the system now? */
export interface GateQuestion {
  caller: PipelineCaller;
  request: ApiRequest;
  changeId: number;
  system: string;
  environment: string | null;
}

export type GateOutcome =
  | { ok: true; ref: string; state: ChangeState; reasons: GateReason[] }
  | ChangeRefusal
  | ScopeRefusal;

/**
 * The gate (issue 18): the reasons the change may not be deployed to the system now, none when it may, checked by
 * the rules of the owner's Start button. Every answer is audited on the change (a refusal too), without moving it.
 */
export function checkGate(ctx: UseCaseContext, question: GateQuestion): GateOutcome {
  const { caller, request, changeId, system, environment } = question;
  return ctx.db.transaction(
    (tx): GateOutcome => {
      const record = loadChangeRecord(tx, changeId);
      if (!record) {
        auditApiRefusal(tx, ctx, { caller, request, code: changeNotFound.code });
        return changeNotFound;
      }
      if (!inScope(caller.systems, system)) {
        auditApiRefusal(tx, ctx, { caller, request, code: 'out_of_scope', changeId });
        return { ok: false, code: 'out_of_scope', scope: caller.systems };
      }
      const reasons = gateReasons({ ref: record.ref, ...record.change }, system, ctx.policy, {
        freezes: freezesFromNow(tx, ctx),
        now: ctx.now,
        missingEvidence: evidenceMissingFor(record, ctx.policy, 'start').map((item) => item.label),
      });
      recordAudit(
        tx,
        {
          changeId,
          actorId: pipelineActor(caller),
          type: 'pipeline.gate_checked',
          data: {
            tokenId: caller.tokenId,
            system,
            environment,
            allowed: reasons.length === 0,
            reasons: reasons.map((reason) => reason.code),
          },
        },
        ctx.now,
        { refreshHomes: false },
      );
      return { ok: true, ref: record.ref, state: record.change.state, reasons };
    },
    { behavior: 'immediate' },
  );
}

export const DEPLOYMENT_STATUSES = ['started', 'succeeded', 'failed'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** What a pipeline reports about a deployment of the change. */
export interface DeploymentReport {
  status: DeploymentStatus;
  commit: string | null;
  tag: string | null;
  pipelineUrl: string | null;
  system: string | null;
  environment: string | null;
  /** What went wrong, for `failed` (10.4): the owner's Failed form asks the same. */
  failureReason: string;
}

export type DeploymentOutcome =
  | {
      ok: true;
      ref: string;
      status: DeploymentStatus;
      state: ChangeState;
      /** False when the change was in that state already (the step was taken before). */
      moved: boolean;
      /** True when this idempotency key had been recorded already: nothing more was. */
      replayed: boolean;
    }
  | StepRefusal
  | ScopeRefusal
  /** The idempotency key was used for another change or status. */
  | Refusal<'key_reused', { ref: string; status: DeploymentStatus }>;

/** The owner's button a reported status stands for, and the state the change is in once it was pressed. */
const STEP_OF = { started: 'start', succeeded: 'complete', failed: 'fail' } as const;
const STATE_AFTER = { started: 'implementing', succeeded: 'completed', failed: 'failed' } as const;

/**
 * Records a deployment on the change and moves it as the owner's Start, Complete or Failed button would (checked
 * by the same rules, on the owner's behalf), in one transaction with its audit events and the Slack updates it
 * queues. A repeated idempotency key is answered from what it recorded; a refusal is audited.
 */
export function reportDeployment(
  ctx: UseCaseContext,
  input: {
    caller: PipelineCaller;
    request: ApiRequest;
    changeId: number;
    idempotencyKey: string;
    report: DeploymentReport;
  },
): DeploymentOutcome {
  const { caller, request, changeId, idempotencyKey, report } = input;
  const actorId = pipelineActor(caller);
  return ctx.db.transaction(
    (tx): DeploymentOutcome => {
      const refuse = <const R extends { code: string }>(refusal: R, onChange = true): R => {
        auditApiRefusal(tx, ctx, { caller, request, code: refusal.code, ...(onChange ? { changeId } : {}) });
        return refusal;
      };
      const record = loadChangeRecord(tx, changeId);
      if (!record) return refuse(changeNotFound, false);
      const before = deploymentWithKey(tx, caller.tokenId, idempotencyKey);
      if (before && (before.changeId !== changeId || before.status !== report.status))
        return refuse({ ok: false, code: 'key_reused', ref: record.ref, status: before.status });
      if (before) {
        recordAudit(
          tx,
          { changeId, actorId, type: 'pipeline.deployment_replayed', data: { deploymentId: before.id } },
          ctx.now,
          { refreshHomes: false },
        );
        const { ref, change } = record;
        return { ok: true, ref, status: report.status, state: change.state, moved: false, replayed: true };
      }
      const scoped =
        changeInScope(caller.systems, record.change.affectedSystems) &&
        (report.system === null || inScope(caller.systems, report.system));
      if (!scoped) return refuse({ ok: false, code: 'out_of_scope', scope: caller.systems });
      const via = { tokenName: caller.name, commit: report.commit, tag: report.tag, pipelineUrl: report.pipelineUrl };
      const step = STEP_OF[report.status];
      // The pipeline deploys for the owner, who was checked against the implementer roles when named owner; the
      // token an admin issued stands for those roles.
      const heldRoles = rolesForStep(step, ctx.policy);
      const stepInput =
        step === 'fail'
          ? { step, reason: report.failureReason, changeId, via, heldRoles }
          : { step, changeId, via, heldRoles };
      const taken = takeStepIn(tx, { ...ctx, actorId }, stepInput);
      if (!taken.ok) return refuse(taken);
      const row = insertDeployment(tx, {
        changeId,
        tokenId: caller.tokenId,
        idempotencyKey,
        status: report.status,
        system: report.system,
        environment: report.environment,
        commitSha: report.commit,
        tag: report.tag,
        pipelineUrl: report.pipelineUrl,
        recordedAt: ctx.now,
      });
      recordAudit(
        tx,
        {
          changeId,
          actorId,
          type: 'pipeline.deployment_reported',
          data: { deploymentId: row.id, tokenId: caller.tokenId, ...via, status: report.status, moved: taken.taken },
        },
        ctx.now,
      );
      const state = STATE_AFTER[report.status];
      return { ok: true, ref: record.ref, status: report.status, state, moved: taken.taken, replayed: false };
    },
    { behavior: 'immediate' },
  );
}

/** A standard change as a pipeline asks for it: the form Slack's modal fills in, read from the request. */
export type StandardChangeForm = ChangeRequestForm & { standardChangeId: string };

export type StandardChangeOutcome =
  | { ok: true; ref: string; state: ChangeState; created: boolean }
  | ScopeRefusal
  | Refusal<'invalid', { issues: ChangeIssue[] }>
  | Refusal<'schedule_refused', { problems: ScheduleProblem[]; risk: string; exceptionRequested: boolean }>;

/**
 * A pipeline documents a standard change from the catalog (3.1) for the owner it names, who is its requester as if
 * they had submitted Slack's form: validated and recorded by the same rules, so a pre-authorized entry is approved
 * at once and announced. The texts it leaves out are the catalog entry's description. One transaction with its
 * audit events; the same idempotency key records it once.
 */
export function createStandardChange(
  ctx: UseCaseContext,
  input: { caller: PipelineCaller; request: ApiRequest; idempotencyKey: string; form: StandardChangeForm },
): StandardChangeOutcome {
  const { caller, request, idempotencyKey, form } = input;
  const entry = ctx.policy.standard_changes.find((candidate) => candidate.id === form.standardChangeId);
  const catalogText = entry ? entry.description || entry.title : undefined;
  const withDefaults: ChangeRequestForm = {
    ...form,
    changeType: `standard:${form.standardChangeId}`,
    description: form.description ?? catalogText,
    businessJustification: form.businessJustification ?? catalogText,
    impactAnalysis: form.impactAnalysis ?? catalogText,
    testPlan: form.testPlan ?? catalogText,
    rollbackPlan: form.rollbackPlan ?? catalogText,
    implementationPlan: form.implementationPlan ?? catalogText,
  };
  return ctx.db.transaction(
    (tx): StandardChangeOutcome => {
      const refuse = <const R extends { code: string }>(refusal: R): R => {
        auditApiRefusal(tx, ctx, { caller, request, code: refusal.code });
        return refusal;
      };
      const validation = validateChangeRequest(withDefaults, ctx.policy, ctx.now);
      if (!validation.ok) return refuse({ ok: false, code: 'invalid', issues: validation.issues });
      const { request: change } = validation;
      if (!change.affectedSystems.every((system) => inScope(caller.systems, system)))
        return refuse({ ok: false, code: 'out_of_scope', scope: caller.systems });
      // The owner requests it, as if they had submitted the form; the pipeline is recorded beside (below).
      const submitted = submitChange(
        { ...ctx, actorId: change.ownerId },
        { request: change, submissionKey: `pipeline:${caller.tokenId}:${idempotencyKey}` },
      );
      if (!submitted.ok) return refuse(submitted);
      const { changeId, created } = submitted;
      recordAudit(
        tx,
        {
          changeId,
          actorId: pipelineActor(caller),
          type: created ? 'pipeline.change_created' : 'pipeline.change_replayed',
          data: { tokenId: caller.tokenId, standardChangeId: form.standardChangeId, onBehalfOf: change.ownerId },
        },
        ctx.now,
        { refreshHomes: false },
      );
      const state = loadChangeRecord(tx, changeId)?.change.state ?? 'submitted';
      return { ok: true, ref: formatChangeRef(changeId), state, created };
    },
    { behavior: 'immediate' },
  );
}
