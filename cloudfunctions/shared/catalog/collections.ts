// Typed handles on the catalog collections, so every query names its document shape once.
import type { Db } from 'mongodb';
import type { DepartmentDoc, DoctorDoc, HospitalDoc, ScheduleDoc, ScheduleTemplateDoc, SlotDoc } from './model';

export const hospitalsOf = (db: Db) => db.collection<HospitalDoc>('hospitals');
export const departmentsOf = (db: Db) => db.collection<DepartmentDoc>('departments');
export const doctorsOf = (db: Db) => db.collection<DoctorDoc>('doctors');
export const templatesOf = (db: Db) => db.collection<ScheduleTemplateDoc>('scheduleTemplates');
export const schedulesOf = (db: Db) => db.collection<ScheduleDoc>('schedules');
export const slotsOf = (db: Db) => db.collection<SlotDoc>('slots');

export const HOSPITAL_ID = 'default';
