// What a browser journey step sets up for itself through the local host's API, so it passes alone:
// 张秀英's own card, and a day she has nothing booked on in a doctor's department.
import type { Locator, Page } from 'playwright-core';
import { bindOnHost, callHost } from './hostApi';
import { PEOPLE } from './patients';

/** 张秀英's (demo-patient's) own card, added through the API when she has none yet. */
export async function ownCardOnHost(baseUrl: string): Promise<string> {
  await callHost(baseUrl, 'demo-patient', 'user', { action: 'login' });
  const { patients } = await callHost<{ patients: { id: string; name: string }[] }>(baseUrl, 'demo-patient', 'patient', { action: 'list' });
  const mine = patients.find((patient) => patient.name === PEOPLE.grandmother.name);
  if (mine) return mine.id;
  const bound = await bindOnHost(baseUrl, 'demo-patient', { ...PEOPLE.grandmother, relation: 'self' });
  if (!bound.ok) throw new Error(`bind: ${bound.code}`);
  return bound.data!.patient.id;
}

/** "<departmentId> <date>" for each department and day she already has a booking or hold on (one per department and day). */
export async function busyDays(baseUrl: string): Promise<Set<string>> {
  const { appointments } = await callHost<{ appointments: { status: string; date: string; department: { id: string } }[] }>(baseUrl, 'demo-patient', 'booking', { action: 'list' });
  return new Set(appointments.filter((entry) => ['booked', 'pending_payment'].includes(entry.status)).map((entry) => `${entry.department.id} ${entry.date}`));
}

/** On the doctor page: the last open session (never today's, so it can be cancelled online) on a day she has nothing in that department. */
export async function openCellOnFreeDay(page: Page, baseUrl: string, doctor: { name: string; departmentId: string }): Promise<Locator> {
  const busy = await busyDays(baseUrl);
  const dates = await page.locator('#schedule-grid .grid-cell-open >> visible=true').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-date')!));
  const date = dates.reverse().find((entry) => !busy.has(`${doctor.departmentId} ${entry}`));
  if (!date) throw new Error(`no free day left with ${doctor.name}`);
  return page.locator(`#schedule-grid .grid-cell-open[data-date="${date}"] >> visible=true`).last();
}
