// The HIS wire protocol shared by the HTTP client and the local stand-in: signatures and message shapes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const HIS_HEADERS = {
  appId: 'x-his-app-id',
  timestamp: 'x-his-timestamp',
  nonce: 'x-his-nonce',
  signature: 'x-his-signature',
} as const;

/** How far a request's timestamp may be from the HIS's clock, either way. */
export const HIS_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface HisSignatureInput {
  method: string;
  /** The request's path as sent, including any prefix from HIS_BASE_URL. */
  path: string;
  /** Unix time in whole seconds, as a decimal string. */
  timestamp: string;
  nonce: string;
  body: string;
}

/**
 * hex(HMAC-SHA256(secret, METHOD \n path \n timestamp \n nonce \n body)).
 * The newlines keep the fields apart, so moving characters between path and body cannot forge a match.
 */
export function hisSignature(secret: string, input: HisSignatureInput): string {
  const canonical = [input.method.toUpperCase(), input.path, input.timestamp, input.nonce, input.body].join('\n');
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}

/** The four signing headers for one request; a fresh nonce and timestamp per attempt. */
export function signHisRequest(
  credentials: { appId: string; secret: string },
  request: { method: string; path: string; body: string; now?: Date; nonce?: string },
): Record<string, string> {
  // Real time: the HIS judges the timestamp's freshness on its own clock, whatever the business clock says.
  const timestamp = String(Math.floor((request.now ?? new Date()).getTime() / 1000));
  const nonce = request.nonce ?? randomBytes(16).toString('hex');
  const signature = hisSignature(credentials.secret, { method: request.method, path: request.path, timestamp, nonce, body: request.body });
  return {
    [HIS_HEADERS.appId]: credentials.appId,
    [HIS_HEADERS.timestamp]: timestamp,
    [HIS_HEADERS.nonce]: nonce,
    [HIS_HEADERS.signature]: signature,
  };
}

/** Constant-time comparison of two hex signatures. */
export function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export const zHisPatient = z.object({ hisPatientId: z.string().min(1).max(64), name: z.string().min(1).max(100) });

export const zHisSearchRequest = z.object({ idType: z.string().min(1).max(32), idNumber: z.string().min(1).max(64) });

export const zHisRegisterRequest = zHisSearchRequest.extend({
  name: z.string().min(1).max(100),
  sex: z.enum(['male', 'female']).optional(),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  phone: z.string().min(1).max(32),
});

export const zHisSearchResponse = z.discriminatedUnion('found', [
  z.object({ found: z.literal(true), patient: zHisPatient }),
  z.object({ found: z.literal(false) }),
]);

export const zHisPatientResponse = z.object({ patient: zHisPatient });

export const zHisExistsResponse = z.object({ code: z.literal('PATIENT_EXISTS'), patient: zHisPatient });

export const zHisErrorResponse = z.object({ code: z.string().min(1).max(64), message: z.string().max(500) });

export const zHisRegistrationRequest = z.object({
  bookingId: z.string().min(1).max(64),
  hisPatientId: z.string().min(1).max(64),
  doctorId: z.string().min(1).max(64),
  departmentId: z.string().min(1).max(64),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  start: z.string().min(1).max(40),
  end: z.string().min(1).max(40),
  number: z.number().int().min(1),
  feeFen: z.number().int().min(0),
});

export const zHisRegistrationResponse = z.object({
  registration: z.object({ hisRegistrationId: z.string().min(1).max(64), bookingId: z.string().min(1).max(64) }),
});

export const zHisMoveRequest = zHisRegistrationRequest.pick({ bookingId: true, doctorId: true, departmentId: true, date: true, start: true, end: true, number: true });

export const zHisCancelRequest = z.object({ bookingId: z.string().min(1).max(64) });

export const zHisCancelResponse = z.object({ cancelled: z.literal(true) });
