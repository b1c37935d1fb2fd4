// What a browser journey step sets up for itself through the local host's API, so it passes alone:
// 张秀英's own card, and a day she has nothing booked on in a doctor's department.
import type { Locator, Page } from 'playwright-core';
import { shownOn } from './browser';
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

/** Departments 张秀英 (an older woman) would not book in: children's, women's, obstetrics, men's. */
export const UNSUITABLE_FOR_HER = /儿|妇|产|男/;

/** A doctor as `catalog.doctors` lists one. */
export interface DoctorSummary {
  id: string;
  name: string;
  title: string;
  feeFen: number;
  departmentId: string;
  nextAvailable: { date: string } | null;
}
export type PricedDoctor = DoctorSummary & { departmentName: string };

/** The seeded doctors with an open session, in departments she would book in, in catalog order. */
export async function bookableDoctorsOnHost(baseUrl: string): Promise<PricedDoctor[]> {
  const call = <T>(body: Record<string, unknown>) => callHost<T>(baseUrl, 'demo-patient', 'catalog', body);
  const { departments } = await call<{ departments: { id: string; name: string }[] }>({ action: 'departments' });
  const bookable: PricedDoctor[] = [];
  for (const department of departments.filter((entry) => !UNSUITABLE_FOR_HER.test(entry.name))) {
    const { doctors } = await call<{ doctors: DoctorSummary[] }>({ action: 'doctors', departmentId: department.id });
    for (const doctor of doctors.filter((entry) => entry.nextAvailable)) {
      // A doctor may be listed under a parent department; the fee and the slip name the doctor's own.
      const departmentName = departments.find((entry) => entry.id === doctor.departmentId)?.name ?? '';
      if (!UNSUITABLE_FOR_HER.test(departmentName)) bookable.push({ ...doctor, departmentName });
    }
  }
  return bookable;
}

/** The bookable doctors with a fee. */
export async function pricedDoctorsOnHost(baseUrl: string): Promise<PricedDoctor[]> {
  return (await bookableDoctorsOnHost(baseUrl)).filter((doctor) => doctor.feeFen > 0);
}

/** A 妇科 doctor with an open session (the department sees women only). */
export async function gynaecologyDoctorOnHost(baseUrl: string): Promise<DoctorSummary | undefined> {
  const call = <T>(body: Record<string, unknown>) => callHost<T>(baseUrl, 'demo-patient', 'catalog', body);
  const { departments } = await call<{ departments: { id: string; name: string }[] }>({ action: 'departments' });
  const gynaecology = departments.find((department) => department.name === '妇科');
  if (!gynaecology) return undefined;
  const { doctors } = await call<{ doctors: DoctorSummary[] }>({ action: 'doctors', departmentId: gynaecology.id });
  return doctors.find((doctor) => doctor.nextAvailable);
}

/** How many places a slot has left, as the doctor page's schedule says. */
export async function slotRemainingOnHost(baseUrl: string, doctorId: string, slotId: string): Promise<number> {
  const { days } = await callHost<{ days: { periods: { slots: { id: string; remaining: number }[] }[] }[] }>(baseUrl, 'demo-patient', 'catalog', { action: 'schedules', doctorId });
  const slot = days.flatMap((day) => day.periods.flatMap((period) => period.slots)).find((entry) => entry.id === slotId);
  if (!slot) throw new Error(`slot ${slotId} not in the schedule`);
  return slot.remaining;
}

/** A full page load of the doctor page, as a returning patient opening it from a link or the list. */
export async function openDoctorPage(page: Page, baseUrl: string, doctorId: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${baseUrl}/#/pages/catalog/doctor/index?id=${doctorId}`);
  await shownOn(page, '#schedule-grid .grid-cell-open').waitFor();
}

/** Whether a cancellation now refunds at once (paid today, cancelled between 01:00 and 23:00 Beijing). */
export function refundsAtOnceNow(): boolean {
  const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(new Date());
  return clock >= '01:00' && clock < '23:00';
}
