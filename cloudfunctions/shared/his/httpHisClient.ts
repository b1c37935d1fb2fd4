// The production HIS adapter: signed JSON over HTTP, with timeouts, bounded retries for lookups, and parsed answers.
/*
 * Protocol (the local stand-in, hisStandIn.ts, speaks exactly this):
 *
 *   Every request is POST with a JSON body and four headers:
 *     x-his-app-id     HIS_APP_ID
 *     x-his-timestamp  Unix time in seconds; the HIS refuses anything more than 5 minutes off
 *     x-his-nonce      random, fresh for every attempt (retries are signed again)
 *     x-his-signature  hex HMAC-SHA256(HIS_SECRET, METHOD \n path \n timestamp \n nonce \n body),
 *                      path as sent (including any prefix in HIS_BASE_URL), body byte for byte
 *
 *   POST /patients/search  {idType, idNumber}
 *     200 {found: true, patient: {hisPatientId, name}} | {found: false}
 *   POST /patients         {idType, idNumber, name, sex?, birthDate?, phone}
 *     201 {patient}
 *     409 {code: 'PATIENT_EXISTS', patient}   -> success: the HIS already knew this person
 *     422 {code, message}                     -> HisError 'refused': NAME_MISMATCH (a known document, another name),
 *                                                DETAILS_MISMATCH (sex or birth date not what the document or the record
 *                                                says), INVALID_ID_NUMBER, UNKNOWN_PATIENT (the HIS files new patients
 *                                                only at its counter)
 *   POST /registrations         {bookingId, hisPatientId, doctorId, departmentId, date, start, end, number, feeFen}
 *     200/201 {registration: {hisRegistrationId, bookingId}}   (the same bookingId again answers the same registration)
 *     422 {code, message}                     -> HisError 'refused' (e.g. SLOT_UNAVAILABLE, PATIENT_BLOCKED)
 *   POST /registrations/cancel  {bookingId}
 *     200 {cancelled: true}                   (also for a bookingId never confirmed or already cancelled)
 *     422 {code, message}                     -> HisError 'refused' (e.g. ALREADY_CHECKED_IN)
 *   POST /registrations/move   {bookingId, doctorId, departmentId, date, start, end, number}   (替诊)
 *     200 {registration: {hisRegistrationId, bookingId}}   (moving it again to the same place answers the same)
 *     422 {code, message}                     -> HisError 'refused': UNKNOWN_REGISTRATION (never confirmed),
 *                                                REGISTRATION_CANCELLED
 *   Any endpoint:
 *     401 bad or stale signature              -> HisError 'unavailable', reason 'unauthorized' (logged as an error:
 *                                                it means our HIS_APP_ID/HIS_SECRET or clock is wrong, and the
 *                                                patient can only wait, so callers need no third kind)
 *     5xx, timeout, network error, a body that does not match -> HisError 'unavailable'
 *
 *   findPatient and the three idempotent registration calls are retried (network errors and 5xx; not timeouts,
 *   which would multiply the patient's wait and the load on a HIS that is already slow). Bodies are never logged: they hold ID and phone numbers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ConfigError, emptyToUndefined } from '../config';
import { parseJson } from '../http/httpHelpers';
import type { Logger } from '../log';
import { HisError, type HisClient, type HisPatient, type HisRegistration } from './his';
import {
  signHisRequest,
  zHisCancelResponse,
  zHisErrorResponse,
  zHisExistsResponse,
  zHisRegistrationResponse,
  zHisPatientResponse,
  zHisSearchResponse,
} from './hisProtocol';

/** One HIS call's timeout, and the pauses before retrying an idempotent one (config/cloudbaserc.json's timeouts are checked against them). */
export const HIS_DEFAULT_TIMEOUT_MS = 5000;
export const HIS_RETRY_DELAYS_MS = [200, 600];

const hisConfigSchema = z.object({
  HIS_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://his.example.org/api' }),
  HIS_APP_ID: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  HIS_SECRET: z.string().min(16, 'must be at least 16 characters'),
  HIS_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a whole number of milliseconds between 100 and 60000' })
    .int('must be a whole number of milliseconds between 100 and 60000')
    .min(100, 'must be a whole number of milliseconds between 100 and 60000')
    .max(60000, 'must be a whole number of milliseconds between 100 and 60000')
    .default(HIS_DEFAULT_TIMEOUT_MS),
});

export interface HisConfig {
  /** Without a trailing slash. */
  baseUrl: string;
  appId: string;
  secret: string;
  timeoutMs: number;
}

export function parseHisConfig(env: Record<string, string | undefined> = process.env): HisConfig {
  const parsed = hisConfigSchema.safeParse(emptyToUndefined(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0] ?? '');
    const value = env[key];
    const missing = value === undefined || value === '';
    // The secret is never repeated back, not even in an error.
    const got = missing || key === 'HIS_SECRET' ? '' : ` (got "${value}")`;
    throw new ConfigError(`Invalid configuration: ${key} ${missing ? 'is required' : issue.message}${got}`);
  }
  const value = parsed.data;
  return {
    baseUrl: value.HIS_BASE_URL.replace(/\/+$/, ''),
    appId: value.HIS_APP_ID,
    secret: value.HIS_SECRET,
    timeoutMs: value.HIS_TIMEOUT_MS,
  };
}

export interface HttpHisClientOptions {
  log?: Logger;
  fetch?: typeof fetch;
  /** The wait before each retry of a lookup; its length is the number of retries. */
  retryDelaysMs?: number[];
}

interface HisAnswer {
  status: number;
  json: unknown;
}

const noLog: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function createHttpHisClient(config: HisConfig, options: HttpHisClientOptions = {}): HisClient {
  const log = options.log ?? noLog;
  const fetchImpl = options.fetch ?? fetch;
  const retryDelaysMs = options.retryDelaysMs ?? HIS_RETRY_DELAYS_MS;

  async function attempt(path: string, body: string): Promise<HisAnswer> {
    const url = new URL(config.baseUrl + path);
    const headers = signHisRequest(config, { method: 'POST', path: url.pathname, body });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), config.timeoutMs);
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body,
        signal: controller.signal,
      });
      const text = await response.text(); // still under the timeout: a HIS that stalls mid-body is just as slow
      return { status: response.status, json: parseJson(text) };
    } catch (error) {
      if (controller.signal.aborted) {
        throw new HisError('unavailable', `HIS did not answer ${path} within ${config.timeoutMs} ms`, { reason: 'timeout', cause: error });
      }
      throw new HisError('unavailable', `HIS could not be reached for ${path}`, { reason: 'network', cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async function post(path: string, payload: unknown, retry: boolean): Promise<HisAnswer> {
    const body = JSON.stringify(payload);
    const delays = retry ? retryDelaysMs : [];
    for (let attemptNo = 1; ; attemptNo += 1) {
      const started = Date.now();
      const canRetry = attemptNo <= delays.length;
      try {
        const answer = await attempt(path, body);
        const fields = { path, status: answer.status, durationMs: Date.now() - started, attempt: attemptNo };
        if (answer.status < 500) {
          log.debug('his request', fields);
          return answer;
        }
        log.warn('his request failed', { ...fields, retrying: canRetry });
        if (!canRetry) return answer;
      } catch (error) {
        const reason = error instanceof HisError ? error.reason : 'network';
        log.warn('his request failed', { path, reason, durationMs: Date.now() - started, attempt: attemptNo, retrying: canRetry && reason === 'network' });
        if (!canRetry || reason !== 'network') throw error;
      }
      // Jitter keeps many functions that failed together from retrying together.
      await sleep(Math.round(delays[attemptNo - 1] * (0.5 + Math.random() / 2)));
    }
  }

  /** Turns an answer that is not the endpoint's success into the matching HisError. */
  function failure(path: string, answer: HisAnswer): HisError {
    const { status } = answer;
    if (status === 422) {
      const refusal = zHisErrorResponse.safeParse(answer.json);
      if (refusal.success) {
        return new HisError('refused', `HIS refused ${path} (${refusal.data.code})`, {
          status,
          hisCode: refusal.data.code,
          hisMessage: refusal.data.message,
        });
      }
      return badResponse(path, status);
    }
    if (status === 401) {
      log.error('HIS rejected our signature: check HIS_APP_ID, HIS_SECRET and this server\'s clock', { path, status });
      return new HisError('unavailable', `HIS rejected the signature for ${path}`, { reason: 'unauthorized', status });
    }
    if (status >= 500) return new HisError('unavailable', `HIS answered ${status} for ${path}`, { reason: 'server_error', status });
    log.error('HIS answered with a status the protocol does not have', { path, status });
    return new HisError('unavailable', `HIS answered an unexpected ${status} for ${path}`, { reason: 'unexpected_status', status });
  }

  function badResponse(path: string, status: number): HisError {
    log.error('HIS answered with a body the protocol does not have', { path, status });
    return new HisError('unavailable', `HIS sent an unreadable answer for ${path}`, { reason: 'bad_response', status });
  }

  return {
    async findPatient(query): Promise<HisPatient | null> {
      const path = '/patients/search';
      const answer = await post(path, { idType: query.idType, idNumber: query.idNumber }, true);
      if (answer.status !== 200) throw failure(path, answer);
      const parsed = zHisSearchResponse.safeParse(answer.json);
      if (!parsed.success) throw badResponse(path, answer.status);
      return parsed.data.found ? parsed.data.patient : null;
    },

    async registerPatient(input): Promise<HisPatient> {
      const path = '/patients';
      const { idType, idNumber, name, sex, birthDate, phone } = input;
      const answer = await post(path, { idType, idNumber, name, sex, birthDate, phone }, false);
      if (answer.status === 200 || answer.status === 201) {
        const parsed = zHisPatientResponse.safeParse(answer.json);
        if (!parsed.success) throw badResponse(path, answer.status);
        return parsed.data.patient;
      }
      if (answer.status === 409) {
        const parsed = zHisExistsResponse.safeParse(answer.json);
        if (!parsed.success) throw badResponse(path, answer.status);
        return parsed.data.patient;
      }
      throw failure(path, answer);
    },

    async confirmRegistration(input): Promise<HisRegistration> {
      const path = '/registrations';
      const answer = await post(path, input, true);
      if (answer.status !== 200 && answer.status !== 201) throw failure(path, answer);
      const parsed = zHisRegistrationResponse.safeParse(answer.json);
      if (!parsed.success || parsed.data.registration.bookingId !== input.bookingId) throw badResponse(path, answer.status);
      return parsed.data.registration;
    },

    async moveRegistration(input): Promise<HisRegistration> {
      const path = '/registrations/move';
      const { bookingId, doctorId, departmentId, date, start, end, number } = input;
      const answer = await post(path, { bookingId, doctorId, departmentId, date, start, end, number }, true);
      if (answer.status !== 200) throw failure(path, answer);
      const parsed = zHisRegistrationResponse.safeParse(answer.json);
      if (!parsed.success || parsed.data.registration.bookingId !== bookingId) throw badResponse(path, answer.status);
      return parsed.data.registration;
    },

    async cancelRegistration(bookingId): Promise<void> {
      const path = '/registrations/cancel';
      const answer = await post(path, { bookingId }, true);
      if (answer.status !== 200) throw failure(path, answer);
      if (!zHisCancelResponse.safeParse(answer.json).success) throw badResponse(path, answer.status);
    },
  };
}

