// Sharing a slip with the family member who takes the patient: `shareSlip` signs a link for one active
// appointment, valid through its visit window; `sharedSlip` opens the read-only slip from that link. The
// link shows what a paper slip would (masked name, where, when, number, a visit code for the window),
// never the ID or phone number, and allows no change.
import { ObjectId } from 'mongodb';
import { appointmentsOf, type AppointmentDoc } from '../shared/booking/appointments';
import { expireIfDue } from '../shared/booking/holds';
import { signSlipShare, verifySlipShare } from '../shared/booking/slipShare';
import { catalogCache } from '../shared/catalog/catalogCache';
import { rulesForDepartment } from '../shared/catalog/rules';
import type { IdentityContext, UserContext } from '../shared/context';
import { maskName } from '../shared/domain/mask';
import { comesIn } from '../shared/domain/slipWording';
import { AppError } from '../shared/errors';
import { patientsOf, type PatientDoc } from '../shared/patients/patientRepository';
import { signWindowVisitCode } from '../shared/patients/visitCode';
import { toAppointmentView } from './views';

/** The page a share opens; the token goes in `?t=`. */
export const SHARED_SLIP_PATH = '/pages/booking/shared/index';

export interface SharedSlip {
  status: AppointmentDoc['status'];
  statusLabel: string;
  comesIn: boolean;
  message: string;
  patientName: string;
  doctor: { id: string; name: string; title: string };
  department: string;
  when: string;
  start: string;
  end: string;
  location: string;
  number: number | null;
  arriveBy: string | null;
  /** 就诊须知 for whoever takes the patient, while the patient is expected ('' otherwise). */
  preparation: string;
  refund: { label: string; sentence: string } | null;
  /** Only while the patient is still expected: valid until the link ends. */
  visitCode: { code: string; expiresAt: string } | null;
  linkExpiresAt: string;
}

async function rulesOf(context: IdentityContext, appointment: AppointmentDoc) {
  const department = (await catalogCache.departments(context.db)).find((entry) => entry._id.equals(appointment.departmentId));
  if (!department) throw new AppError('NOT_FOUND');
  return rulesForDepartment(context, department);
}

/** Signs a share link for an appointment the caller manages and that still goes ahead. */
export async function shareSlip(context: UserContext, appointment: AppointmentDoc) {
  if (!comesIn(appointment.status)) throw new AppError('SLIP_NOT_SHAREABLE');
  const signed = signSlipShare(context.visitCodeKey, appointment._id.toHexString(), appointment.end);
  if (signed.expiresAt <= context.now) throw new AppError('SLIP_NOT_SHAREABLE');
  return { token: signed.token, expiresAt: signed.expiresAt.toISOString(), path: `${SHARED_SLIP_PATH}?t=${encodeURIComponent(signed.token)}` };
}

export async function openSharedSlip(context: IdentityContext, token: string): Promise<SharedSlip> {
  const check = verifySlipShare(context.visitCodeKey, token, context.now);
  if (!check.ok) throw new AppError(check.reason === 'expired' ? 'SLIP_LINK_EXPIRED' : 'SLIP_LINK_INVALID');
  const found = await appointmentsOf(context.db).findOne({ _id: ObjectId.createFromHexString(check.appointmentId) });
  const patient = found ? await patientsOf(context.db).findOne({ _id: found.patientId }) : null;
  if (!found || !patient) throw new AppError('SLIP_LINK_INVALID');
  const appointment = await expireIfDue(context, found);
  const view = await toAppointmentView(context.db, appointment, patient as Pick<PatientDoc, '_id' | 'name'>, await rulesOf(context, appointment), context.now);
  const going = view.comesIn;
  return {
    status: view.status,
    statusLabel: view.statusLabel,
    comesIn: going,
    message: view.message,
    patientName: maskName(patient.name),
    doctor: view.doctor,
    department: view.department.name,
    when: view.when,
    start: view.start,
    end: view.end,
    location: view.location,
    number: going ? view.number : null,
    arriveBy: going ? view.arriveBy : null,
    preparation: going ? view.preparation : '',
    refund: view.payment?.refund ? { label: view.payment.refund.label, sentence: view.payment.refund.sentence } : null,
    visitCode: going
      ? (({ code, expiresAt }) => ({ code, expiresAt: expiresAt.toISOString() }))(signWindowVisitCode(context.visitCodeKey, patient._id.toHexString(), check.expiresAt))
      : null,
    linkExpiresAt: check.expiresAt.toISOString(),
  };
}
