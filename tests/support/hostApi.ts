// Calling the local host's functions from a test the way the H5 app does: POST /api/<function> as a dev identity.

export interface Envelope<T> {
  ok: boolean;
  data?: T;
  code?: string;
  message?: string;
}

export async function postToHost<T>(baseUrl: string, openid: string, fn: string, body: Record<string, unknown>): Promise<Envelope<T>> {
  const response = await fetch(`${baseUrl}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dev-openid': openid },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Envelope<T>;
}

/** The call's `data`, or an error naming the function, action and code. */
export async function callHost<T>(baseUrl: string, openid: string, fn: string, body: Record<string, unknown>): Promise<T> {
  const envelope = await postToHost<T>(baseUrl, openid, fn, body);
  if (!envelope.ok) throw new Error(`${fn}.${String(body.action)}: ${envelope.code} ${envelope.message}`);
  return envelope.data as T;
}

/**
 * Binds a card on a running host the way the app does: `bind`, then `sendProofCode`, the code as shown on the
 * host's /dev/sms (newest first), `verifyProofCode`. Answers the first refusal, or the final answer.
 */
export async function bindOnHost<T = { patient: { id: string } }>(baseUrl: string, openid: string, form: Record<string, unknown>): Promise<Envelope<T>> {
  const asked = await postToHost<T>(baseUrl, openid, 'patient', { action: 'bind', ...form });
  if (asked.ok || asked.code !== 'PATIENT_NEEDS_PROOF') return asked;
  const sent = await postToHost<{ proofId: string }>(baseUrl, openid, 'patient', { action: 'sendProofCode', ...form });
  if (!sent.ok) return sent as Envelope<never>;
  const outbox = (await (await fetch(`${baseUrl}/dev/sms`)).json()) as { data: { code: string }[] };
  return postToHost<T>(baseUrl, openid, 'patient', { action: 'verifyProofCode', proofId: sent.data!.proofId, code: outbox.data[0]?.code ?? '000000' });
}

/**
 * Moves the host's business clock (POST /dev/clock) to `at`, or by `{ advanceMs }`; answers the host's time now.
 * For journeys that need a release instant, a cancel cutoff or an expired hold without waiting for it.
 */
export async function setClock(baseUrl: string, at: Date | string | { advanceMs: number }): Promise<Date> {
  const body = typeof at === 'object' && !(at instanceof Date) ? at : { at: new Date(at).toISOString() };
  const response = await fetch(`${baseUrl}/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const envelope = (await response.json()) as Envelope<{ now: string }>;
  if (!envelope.ok) throw new Error(`/dev/clock: ${response.status} ${envelope.code} ${envelope.message}`);
  return new Date(envelope.data!.now);
}

/**
 * The code the host's /dev/sms shows for `phone` (masked there, as on the page), once the outbox holds more
 * than `after` messages: checks every 50 ms until one arrives, and fails after `timeoutMs`.
 */
export async function smsCodeFor(baseUrl: string, phone: string, { after = 0, timeoutMs = 20_000 }: { after?: number; timeoutMs?: number } = {}): Promise<string> {
  const masked = phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outbox = (await (await fetch(`${baseUrl}/dev/sms`)).json()) as { data: { phone: string; code: string }[] };
    const code = outbox.data.length > after ? outbox.data.find((message) => message.phone === masked)?.code : undefined;
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code for ${masked} on /dev/sms within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many messages the host's /dev/sms holds now. */
export async function smsCount(baseUrl: string): Promise<number> {
  return ((await (await fetch(`${baseUrl}/dev/sms`)).json()) as { data: unknown[] }).data.length;
}

/** Moves the host's business clock forward (POST /dev/clock), e.g. past the minute between two codes to one phone. */
export async function advanceHostClock(baseUrl: string, ms: number): Promise<void> {
  await setClock(baseUrl, { advanceMs: ms });
}

/** Starts a function's timer triggers on the host now (POST /dev/timers), instead of waiting for their second; how many started. */
export async function runHostTimers(baseUrl: string, functionName: string): Promise<number> {
  const response = await fetch(`${baseUrl}/dev/timers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ function: functionName }) });
  if (response.status !== 200) throw new Error(`POST /dev/timers answered ${response.status}`);
  return ((await response.json()) as { data: { started: number } }).data.started;
}

/**
 * Runs a function's timer trigger now and returns once that run (or one already under way) has ended: a
 * trigger never overlaps itself, so a later start is accepted only then (that start is another tick).
 */
export async function finishHostTimers(baseUrl: string, functionName: string, timeoutMs = 30_000): Promise<void> {
  await runHostTimers(baseUrl, functionName);
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if ((await runHostTimers(baseUrl, functionName)) > 0) return;
  }
  throw new Error(`${functionName}'s timer trigger did not end within ${timeoutMs} ms`);
}
