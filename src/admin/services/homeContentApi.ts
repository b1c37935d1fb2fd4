// What staff put on the patients' home page: 公告 and the hospital's address, phone and map point
// (`admin.notices`, `saveNotice`, `unpublishNotice`, `saveHospitalContact`; shapes follow docs/API.md).
import { callFunction } from '../../services/api'

export type NoticeState = 'showing' | 'upcoming' | 'ended' | 'unpublished'

export interface AdminNoticeItem {
  id: string
  title: string
  body: string
  from: string
  until: string
  /** 1月25日至2月5日 */
  dates: string
  state: NoticeState
  stateLabel: string
  updatedAt: string
}

export interface NoticeInput {
  id?: string
  title: string
  body: string
  from: string
  until: string
}

export interface HospitalContactInput {
  campusId: string
  address: string
  phone: string
  latitude: number | undefined
  longitude: number | undefined
}

export const fetchNotices = () => callFunction<{ notices: AdminNoticeItem[] }>('admin', 'notices')
export const saveNotice = (input: NoticeInput) => callFunction<{ notice: AdminNoticeItem }>('admin', 'saveNotice', input)
export const unpublishNotice = (id: string) => callFunction<{ notice: AdminNoticeItem }>('admin', 'unpublishNotice', { id })
export const saveHospitalContact = (input: HospitalContactInput) => callFunction<{ campus: unknown }>('admin', 'saveHospitalContact', input)
