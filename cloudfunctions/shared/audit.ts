// The audit trail: who did what, for which patient card, in which request (P3, A5). Never holds ID or phone numbers.
import type { Db, ObjectId } from 'mongodb';

export interface AuditDoc {
  at: Date;
  actorUserId: ObjectId;
  action: string;
  patientId?: ObjectId;
  /** The other account an action concerned (an invited or revoked family member). */
  targetUserId?: ObjectId;
  requestId: string;
  details?: Record<string, string | number | boolean>;
}

export async function ensureAuditIndexes(db: Db): Promise<void> {
  await db.collection<AuditDoc>('audit').createIndex({ patientId: 1 });
  await db.collection<AuditDoc>('audit').createIndex({ actorUserId: 1 });
  // Staff filter the trail by action and date, newest first (admin.audit).
  await db.collection<AuditDoc>('audit').createIndex({ action: 1, at: -1 });
  await db.collection<AuditDoc>('audit').createIndex({ at: -1 });
}

export async function recordAudit(db: Db, entry: AuditDoc): Promise<void> {
  await db.collection<AuditDoc>('audit').insertOne({ ...entry });
}
