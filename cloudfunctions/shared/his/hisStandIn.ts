// A local stand-in for the hospital's HIS, speaking the real protocol, for `npm start` and tests; it can be told to misbehave.
import http from 'node:http';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import { listen, parseJson, readBody } from '../http/httpHelpers';
import { localControlRefusal } from '../http/localControl';
import { loadHisState, patientKey, publicPatient, registerPatient, saveHisState, type StoredRegistration } from './hisPatientIndex';
import {
  HIS_HEADERS,
  HIS_MAX_CLOCK_SKEW_MS,
  hisSignature,
  signaturesMatch,
  zHisCancelRequest,
  zHisMoveRequest,
  zHisRegisterRequest,
  zHisRegistrationRequest,
  zHisSearchRequest,
} from './hisProtocol';

export type HisStandInMode = 'normal' | 'refuse' | 'fail' | 'slow' | 'refuse_unknown';

export interface HisStandIn {
  /** e.g. http://127.0.0.1:43121, to use as HIS_BASE_URL. */
  url: string;
  /**
   * refuse: 422 to every patient request; fail: 503; slow: answer normally after delayMs (default 10 s);
   * refuse_unknown: answer normally but register nobody new (422 UNKNOWN_PATIENT), as a hospital whose
   * patients must first be filed at the counter.
   */
  setMode(mode: HisStandInMode, options?: { delayMs?: number }): void;
  patientsCount(): number;
  /** Our booking's registration in the HIS: confirmed, cancelled, or null when never confirmed. */
  registrationStatus(bookingId: string): 'confirmed' | 'cancelled' | null;
  /** The whole registration as the HIS holds it (doctor, date, number), or null. */
  registration(bookingId: string): StoredRegistration | null;
  /** Answers 503 to every request about this booking until called again with `failing` false: one item's outage. */
  failBooking(bookingId: string, failing?: boolean): void;
  /** Patient requests received, signed or not (the control endpoint is not counted). */
  requestCount(): number;
  close(): Promise<void>;
}

export interface HisStandInOptions {
  port?: number;
  host?: string;
  secret: string;
  appId: string;
  /** Keeps registered patients (and their HIS ids) across restarts. */
  stateFile?: string;
  /** Business time of records the HIS keeps (when a patient was filed); the host's clock locally. */
  clock?: Clock;
}

const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_SLOW_MS = 10_000;

const zControl = z.object({
  mode: z.enum(['normal', 'refuse', 'fail', 'slow', 'refuse_unknown']),
  delayMs: z.number().int().min(0).max(600_000).optional(),
});

export async function startHisStandIn(options: HisStandInOptions): Promise<HisStandIn> {
  const clock = options.clock ?? systemClock;
  // Signature freshness and the nonce window are judged on real time, as the production HIS does.
  const now = Date.now;
  const state = loadHisState(options.stateFile);
  let mode: HisStandInMode = 'normal';
  let delayMs = DEFAULT_SLOW_MS;
  let requests = 0;
  const failingBookings = new Set<string>();
  const seenNonces = new Map<string, number>();
  const sleepers = new Set<() => void>();

  function setMode(next: HisStandInMode, modeOptions: { delayMs?: number } = {}): void {
    const parsed = zControl.parse({ mode: next, delayMs: modeOptions.delayMs });
    mode = parsed.mode;
    delayMs = parsed.delayMs ?? DEFAULT_SLOW_MS;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  /** Why a request's signature is not acceptable, or undefined when it is. */
  function signatureProblem(req: http.IncomingMessage, pathname: string, body: string): string | undefined {
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const timestamp = header(HIS_HEADERS.timestamp);
    const nonce = header(HIS_HEADERS.nonce);
    const signature = header(HIS_HEADERS.signature);
    if (header(HIS_HEADERS.appId) !== options.appId) return 'unknown app id';
    if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed timestamp';
    if (Math.abs(now() - Number(timestamp) * 1000) > HIS_MAX_CLOCK_SKEW_MS) return 'timestamp is more than 5 minutes off';
    if (!nonce || !/^[A-Za-z0-9_-]{8,64}$/.test(nonce)) return 'missing or malformed nonce';
    const expected = hisSignature(options.secret, { method: req.method ?? '', path: pathname, timestamp, nonce, body });
    if (!signature || !signaturesMatch(expected, signature)) return 'signature does not match';
    // Replays inside the 5-minute window would otherwise pass; remember nonces until they could not pass anyway.
    for (const [seen, expiresAt] of seenNonces) {
      if (expiresAt > now()) break;
      seenNonces.delete(seen);
    }
    if (seenNonces.has(nonce)) return 'nonce already used';
    seenNonces.set(nonce, now() + 2 * HIS_MAX_CLOCK_SKEW_MS);
    return undefined;
  }

  function patients(pathname: string, json: unknown): [number, unknown] {
    if (pathname === '/patients/search') {
      const query = zHisSearchRequest.safeParse(json);
      if (!query.success) return [400, { code: 'BAD_REQUEST', message: 'idType and idNumber are required' }];
      const found = state.patients[patientKey(query.data.idType, query.data.idNumber)];
      return [200, found ? { found: true, patient: publicPatient(found) } : { found: false }];
    }
    if (pathname === '/patients') {
      const input = zHisRegisterRequest.safeParse(json);
      if (!input.success) return [400, { code: 'BAD_REQUEST', message: `invalid ${input.error.issues[0].path.join('.')}` }];
      const answer = registerPatient(state, input.data, { registerUnknown: mode !== 'refuse_unknown', now: clock.now() });
      if (answer[0] === 201) saveHisState(options.stateFile, state);
      return answer;
    }
    if (pathname === '/registrations') {
      const input = zHisRegistrationRequest.safeParse(json);
      if (!input.success) return [400, { code: 'BAD_REQUEST', message: `invalid ${input.error.issues[0].path.join('.')}` }];
      if (!Object.values(state.patients).some((patient) => patient.hisPatientId === input.data.hisPatientId)) {
        return [422, { code: 'UNKNOWN_PATIENT', message: '医院系统中没有这位患者的档案' }];
      }
      const existing = state.registrations[input.data.bookingId];
      if (existing?.status === 'cancelled') return [422, { code: 'REGISTRATION_CANCELLED', message: '这个挂号已经退号' }];
      const { doctorId, departmentId, date, start, end, number } = input.data;
      const registration = existing ?? { hisRegistrationId: `REG${String(state.nextNumber).padStart(8, '0')}`, hisPatientId: input.data.hisPatientId, status: 'confirmed' as const, doctorId, departmentId, date, start, end, number };
      if (!existing) {
        state.nextNumber += 1;
        state.registrations[input.data.bookingId] = registration;
        saveHisState(options.stateFile, state);
      }
      return [existing ? 200 : 201, { registration: { hisRegistrationId: registration.hisRegistrationId, bookingId: input.data.bookingId } }];
    }
    if (pathname === '/registrations/move') {
      const input = zHisMoveRequest.safeParse(json);
      if (!input.success) return [400, { code: 'BAD_REQUEST', message: `invalid ${input.error.issues[0].path.join('.')}` }];
      const existing = state.registrations[input.data.bookingId];
      if (!existing) return [422, { code: 'UNKNOWN_REGISTRATION', message: '医院系统中没有这个挂号' }];
      if (existing.status === 'cancelled') return [422, { code: 'REGISTRATION_CANCELLED', message: '这个挂号已经退号' }];
      const { bookingId, ...place } = input.data;
      Object.assign(existing, place);
      saveHisState(options.stateFile, state);
      return [200, { registration: { hisRegistrationId: existing.hisRegistrationId, bookingId } }];
    }
    if (pathname === '/registrations/cancel') {
      const input = zHisCancelRequest.safeParse(json);
      if (!input.success) return [400, { code: 'BAD_REQUEST', message: 'bookingId is required' }];
      const existing = state.registrations[input.data.bookingId];
      if (existing && existing.status !== 'cancelled') {
        existing.status = 'cancelled';
        saveHisState(options.stateFile, state);
      }
      return [200, { cancelled: true }];
    }
    return [404, { code: 'NOT_FOUND', message: `no such endpoint ${pathname}` }];
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://stand-in');
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return send(res, 413, { code: 'PAYLOAD_TOO_LARGE', message: 'body over 64 KiB' });
    const json = parseJson(body);

    // Unsigned on purpose, so a developer with curl or a test can flip it; callers on this machine only.
    if (pathname === '/__control') {
      const refusal = localControlRefusal(req);
      if (refusal) return send(res, 403, { code: 'FORBIDDEN', message: refusal });
      if (req.method === 'GET') return send(res, 200, { mode, delayMs });
      const control = zControl.safeParse(json);
      if (req.method !== 'POST' || !control.success) {
        return send(res, 400, { code: 'BAD_REQUEST', message: 'POST {"mode":"normal|refuse|fail|slow|refuse_unknown","delayMs"?:number}' });
      }
      setMode(control.data.mode, { delayMs: control.data.delayMs });
      return send(res, 200, { mode, delayMs });
    }

    requests += 1;
    if (req.method !== 'POST') return send(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'use POST' });
    const problem = signatureProblem(req, pathname, body);
    if (problem) return send(res, 401, { code: 'BAD_SIGNATURE', message: problem });
    if (mode === 'slow') await sleep(delayMs);
    if (mode === 'fail') return send(res, 503, { code: 'UNAVAILABLE', message: 'HIS is down (stand-in fail mode)' });
    const bookingId = (json as { bookingId?: unknown } | undefined)?.bookingId;
    if (typeof bookingId === 'string' && failingBookings.has(bookingId)) return send(res, 503, { code: 'UNAVAILABLE', message: 'HIS is down for this booking (stand-in)' });
    if (mode === 'refuse') {
      return send(res, 422, { code: 'REFUSED', message: '医院系统拒绝了本次请求（本地模拟）' });
    }
    const [status, answer] = patients(pathname, json);
    send(res, status, answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
    });
  });
  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1', 'the HIS stand-in');

  return {
    url,
    setMode,
    patientsCount: () => Object.keys(state.patients).length,
    registrationStatus: (bookingId) => state.registrations[bookingId]?.status ?? null,
    registration: (bookingId) => (state.registrations[bookingId] ? { ...state.registrations[bookingId] } : null),
    failBooking: (bookingId, failing = true) => void (failing ? failingBookings.add(bookingId) : failingBookings.delete(bookingId)),
    requestCount: () => requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const wake of [...sleepers]) wake(); // slow-mode requests must not keep the process alive
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return; // the client gave up (e.g. its timeout) or the stand-in is closing
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

