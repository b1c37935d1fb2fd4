// booking.eligibility: before the tap, which of the caller's cards can book a slot and why not, with the
// very code and sentence the hold then refuses with; never anyone else's cards; coded errors for bad input.
import { ObjectId } from 'mongodb';
import { linkId, linksOf } from '../../../cloudfunctions/shared/patients/patientRepository';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { RATE_RULES } from '../../../cloudfunctions/shared/rateLimit';
import { booking, hold, newRequestId, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';
import { main as userMain } from '../../../cloudfunctions/user';

jest.setTimeout(60_000);

interface CardAnswer {
  patientId: string;
  canBook: boolean;
  code: string | null;
  sentence: string | null;
}

const eligibility = async (openid: string, slotId: string) => dataOf<{ cards: CardAnswer[] }>(await booking(openid, { action: 'eligibility', slotId })).cards;

describe('booking.eligibility', () => {
  let runtime: TestRuntime;
  let mother: QuickPatient;
  let son: QuickPatient;
  let grandpa: QuickPatient;
  let gynaecology: { departmentId: string; doctorId: string };

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
    gynaecology = await createClinic({ name: '妇科', places: 3, feeFen: 0 });
    await runtime.db.collection('departments').updateOne({ _id: new ObjectId(gynaecology.departmentId) }, { $set: { eligibility: { sex: 'female' } } });
    catalogCache.invalidate();
    // One account (the mother's) with her own card and her son's; grandpa's card is his own account's.
    mother = await quickPatient(runtime, 'mother', { name: '李红', sex: 'female', birthDate: '1985-03-02' });
    son = await quickPatient(runtime, 'mother', { name: '李小明', sex: 'male', birthDate: '2015-06-01' });
    grandpa = await quickPatient(runtime, 'grandpa', { name: '李建国', sex: 'male', birthDate: '1950-01-01' });
  });
  afterEach(() => runtime.dispose());

  it('answers for each of the caller\'s cards, with the code and sentence the hold then refuses with', async () => {
    const [slot] = await slotIdsOn(gynaecology.doctorId, 2);
    const cards = await eligibility('mother', slot);
    expect(cards.map((card) => card.patientId).sort()).toEqual([mother.patientId, son.patientId].sort());
    expect(cards.find((card) => card.patientId === mother.patientId)).toEqual({ patientId: mother.patientId, canBook: true, code: null, sentence: null });
    const forSon = cards.find((card) => card.patientId === son.patientId)!;
    expect(forSon).toMatchObject({ canBook: false, code: 'SEX_RESTRICTED' });
    expect(forSon.sentence).toBe('妇科仅接诊女性患者，男性就诊人请选择泌尿外科等其他科室。');

    const refused = await booking('mother', { action: 'hold', slotId: slot, patientId: son.patientId, requestId: newRequestId() });
    expect(refused).toMatchObject({ ok: false, code: forSon.code, message: forSon.sentence });
  });

  it('counts the patient\'s quota: after one booking with this doctor that day, the next slot is refused in advance', async () => {
    const [first, second] = await slotIdsOn(gynaecology.doctorId, 2);
    expect((await hold(mother, first)).outcome).toBe('booked');
    const forMother = (await eligibility('mother', second)).find((card) => card.patientId === mother.patientId)!;
    expect(forMother.code).toBe('SAME_DOCTOR_SAME_DAY');
    expect(forMother.sentence).toContain('已经预约了这位医生');
    const refused = await booking('mother', { action: 'hold', slotId: second, patientId: mother.patientId, requestId: newRequestId() });
    expect(refused).toMatchObject({ ok: false, code: 'SAME_DOCTOR_SAME_DAY', message: forMother.sentence });
  });

  it('tells a restricted patient until when, before the tap', async () => {
    const [slot] = await slotIdsOn(gynaecology.doctorId, 2);
    const base = { patientId: new ObjectId(mother.patientId), status: 'no_show', departmentId: new ObjectId(), doctorId: new ObjectId(), slotId: new ObjectId() };
    await runtime.db.collection('appointments').insertMany([5, 4, 3].map((ago) => ({ ...base, _id: new ObjectId(), date: dayFromToday(-ago), requestId: newRequestId() })));
    const forMother = (await eligibility('mother', slot)).find((card) => card.patientId === mother.patientId)!;
    expect(forMother).toMatchObject({ canBook: false, code: 'PATIENT_RESTRICTED' });
    expect(forMother.sentence).toMatch(/网上预约暂停到 \d+月\d+日/);
  });

  it('never shows or judges another account\'s card, even one the caller names', async () => {
    const [slot] = await slotIdsOn(gynaecology.doctorId, 2);
    const forGrandpa = await eligibility('grandpa', slot);
    expect(forGrandpa.map((card) => card.patientId)).toEqual([grandpa.patientId]);
    expect(JSON.stringify(await eligibility('mother', slot))).not.toContain(grandpa.patientId);
    // Extra fields are not a way in: the answer is still the caller's own cards only.
    const result = await booking('mother', { action: 'eligibility', slotId: slot, patientId: grandpa.patientId });
    expect(JSON.stringify(result)).not.toContain(grandpa.patientId);
    // Once the mother invites grandpa to manage her son's card, he sees it too, judged like hers.
    const grandpaUser = (await linksOf(runtime.db).findOne({ patientId: new ObjectId(grandpa.patientId) }))!.userId;
    const sonId = new ObjectId(son.patientId);
    await linksOf(runtime.db).insertOne({ _id: linkId(grandpaUser, sonId), userId: grandpaUser, patientId: sonId, role: 'manager', relation: 'child', via: 'invite', createdAt: new Date() } as never);
    const managed = await eligibility('grandpa', slot);
    expect(managed.map((card) => card.patientId).sort()).toEqual([grandpa.patientId, son.patientId].sort());
    expect(managed.find((card) => card.patientId === son.patientId)?.code).toBe('SEX_RESTRICTED');
  });

  it.each([
    ['a malformed id', 'not-an-id', 'NOT_FOUND'],
    ['an unknown slot', new ObjectId().toHexString(), 'NOT_FOUND'],
    ['no slot', undefined, 'INVALID_PARAMS'],
    ['an object', { $gt: '' }, 'INVALID_PARAMS'],
  ])('refuses %s with a coded error', async (_name, slotId, code) => {
    const result = await booking('mother', { action: 'eligibility', slotId });
    expect(result).toMatchObject({ ok: false, code });
  });

  it('needs a logged-in user, and is rate limited per account', async () => {
    const [slot] = await slotIdsOn(gynaecology.doctorId, 2);
    expect(await booking('stranger', { action: 'eligibility', slotId: slot })).toMatchObject({ ok: false });
    for (let i = 0; i < RATE_RULES.eligibilityPerUser.limit; i++) await eligibility('mother', slot);
    expect(await booking('mother', { action: 'eligibility', slotId: slot })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    // Another account is not affected.
    expect(await eligibility('grandpa', slot)).toHaveLength(1);
  });
});
