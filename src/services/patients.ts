// The `patient` cloud function: patient cards (就诊人), family sharing and visit codes (P2, P3).
import type { IdDocumentType, IdType, Sex } from '@domain/idDocument'
import type { Relation } from '@domain/patientSchemas'
import { callFunction } from './api'

export type PatientRole = 'owner' | 'manager'

export interface PatientManager {
  userId: string
  /** "张秀英的子女 李*芳", or 您: never an id. */
  name: string
  role: PatientRole
  relation: Relation
  since: string
}

/** ID and phone numbers arrive masked; the app never sees them in full once bound. */
export interface PatientCard {
  id: string
  name: string
  idType: IdType
  idNumberMasked: string | null
  phoneMasked: string
  sex?: Sex
  birthDate?: string
  age?: number
  relation: Relation
  role: PatientRole
  isDefault: boolean
  /** Only from `getPatient`, and only for the owner. */
  managers?: PatientManager[]
  /** Only from `getPatient`: who joined or took over this card lately, newest first. */
  notices?: PatientNotice[]
  /** Owner only: who booked, cancelled, paid, joined or was removed, newest first. */
  activity?: { at: string; who: string; what: string }[]
}

export interface PatientNotice {
  id: string
  at: string
  message: string
}

/** A card's 爽约 record: empty lists and no restriction for a card that has none. */
export interface NoShowRecord {
  noShows: {
    appointmentId: string
    date: string
    /** "12月3日 上午 08:00-08:30" */
    when: string
    departmentName: string
    doctorName: string
    waived: boolean
    label: string
  }[]
  noShowsThisYear: number
  /** The sentence a refused booking gives, and the first day booking opens again. */
  restriction: { reopensOn: string; message: string } | null
}

/** The answer to a code request: the same whether or not a code was really sent (see docs/API.md). */
export interface SentProofCode {
  proofId: string
  /** The number the user typed, masked. */
  phoneMasked: string
  expiresAt: string
  resendAfterSeconds: number
}

export interface DocumentBindForm {
  name: string
  idType: IdDocumentType
  idNumber: string
  phone: string
  relation: Relation
}

/** A child without an ID number, added under the caller's own card (the guardian); the phone is proven the same way. */
export interface ChildBindForm {
  idType: 'guardian_child'
  childName: string
  childSex: Sex
  childBirthDate: string
  phone: string
  relation: Relation
}

export type BindPatientForm = DocumentBindForm | ChildBindForm

/** The name on the form, whichever way the person is added. */
export const formName = (form: BindPatientForm) => (form.idType === 'guardian_child' ? form.childName : form.name)

/** Whether this hospital lets a guardian add a child without an ID, and under which age (未满N周岁). */
export interface GuardianPath {
  allowed: boolean
  maxAgeYears: number
}

export interface VisitCode {
  code: string
  expiresAt: string
}

export interface InviteCode {
  code: string
  expiresAt: string
}

export interface VerifiedPatient {
  patient: {
    id: string
    nameMasked: string
    idNumberMasked: string | null
    sex?: Sex
    birthDate?: string
    hisPatientId: string
  }
  expiresAt: string
}

const call = <T>(action: string, params: object = {}) => callFunction<T>('patient', action, params)

export const listPatients = () => call<{ patients: PatientCard[]; limit: number; guardianPath: GuardianPath }>('list')

export const getPatient = async (patientId: string) => (await call<{ patient: PatientCard }>('get', { patientId })).patient

export const bindPatient = async (form: BindPatientForm) => (await call<{ patient: PatientCard }>('bind', form)).patient

export const unbindPatient = async (patientId: string) => (await call<{ patients: PatientCard[] }>('unbind', { patientId })).patients

export const setDefaultPatient = async (patientId: string) =>
  (await call<{ patients: PatientCard[] }>('setDefault', { patientId })).patients

export const invitePatientManager = (patientId: string) => call<InviteCode>('invite', { patientId })

export const acceptInvite = async (code: string, relation: Relation) =>
  (await call<{ patient: PatientCard }>('accept', { code, relation })).patient

export const revokePatientManager = async (patientId: string, userId: string) =>
  (await call<{ patient: PatientCard }>('revokeManager', { patientId, userId })).patient

export const fetchNoShowRecord = async (patientId: string) => (await call<{ record: NoShowRecord }>('noShowRecord', { patientId })).record

export const fetchVisitCode = (patientId: string) => call<VisitCode>('visitCode', { patientId })

export const verifyVisitCode = (code: string) => call<VerifiedPatient>('verifyVisitCode', { code })

/** Sends a one-time code to the typed phone if it is the person's phone on record. */
export const sendProofCode = (form: BindPatientForm) => call<SentProofCode>('sendProofCode', form)

export const verifyProofCode = async (proofId: string, code: string, asOwner: boolean) =>
  (await call<{ patient: PatientCard }>('verifyProofCode', { proofId, code, asOwner })).patient

/** The owner's new phone for a card: a code goes to the new phone; the card changes once it comes back. */
export const sendPhoneChangeCode = (patientId: string, phone: string) => call<SentProofCode>('sendPhoneChangeCode', { patientId, phone })

export const verifyPhoneChange = async (proofId: string, code: string) => (await call<{ patient: PatientCard }>('verifyPhoneChange', { proofId, code })).patient

/** weapp only: `phoneCode` is the getPhoneNumber button's code. */
export const proveWithWechatPhone = async (form: BindPatientForm, phoneCode: string, asOwner: boolean) =>
  (await call<{ patient: PatientCard }>('proveWithWechatPhone', { ...form, phoneCode, asOwner })).patient
