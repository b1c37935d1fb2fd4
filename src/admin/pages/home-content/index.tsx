// 公告与医院信息: the 公告 patients see on the home page (showing, upcoming, ended; post, change, take
// down) and the hospital's address, phone and map point.
import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { askToConfirm, showNotice } from '../../../components/AppDialog'
import { PageShell } from '../../../components/PageShell'
import type { ApiError } from '../../../services/api'
import { useUser } from '../../../store/UserContext'
import { disabledButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { FormMessage } from '../../components/FormMessage'
import { toApiError, useOverview } from '../../hooks/useOverview'
import { fetchNotices, unpublishNotice, type AdminNoticeItem, type NoticeState } from '../../services/homeContentApi'
import { defaultNoticeDates } from '../../utils/dateRange'
import { ContactForm } from './ContactForm'
import { NoticeForm } from './NoticeForm'
import '../../components/admin.scss'
import './index.scss'

const GROUPS: { title: string; states: NoticeState[]; empty: string }[] = [
  { title: '正在首页显示', states: ['showing'], empty: '现在首页没有公告。' },
  { title: '还没到开始日期', states: ['upcoming'], empty: '没有等着显示的公告。' },
  { title: '已结束或已撤下', states: ['ended', 'unpublished'], empty: '还没有结束的公告。' },
]

function savedSentence(notice: AdminNoticeItem): string {
  if (notice.state === 'upcoming') return `已保存“${notice.title}”，${notice.dates}显示在患者首页。`
  if (notice.state === 'ended') return `已保存“${notice.title}”，不过结束日期已过，患者首页不会显示。`
  return `已发布“${notice.title}”，患者现在打开首页就能看到。`
}

interface NoticeRowProps {
  notice: AdminNoticeItem
  busy: boolean
  onEdit: () => void
  onTakeDown: () => void
}

function NoticeRow({ notice, busy, onEdit, onTakeDown }: NoticeRowProps) {
  const live = notice.state === 'showing' || notice.state === 'upcoming'
  return (
    <View className='home-content-notice' id={`notice-${notice.id}`}>
      <View className='home-content-notice-head'>
        <Text className='home-content-notice-title'>{notice.title}</Text>
        <Text className={`admin-tag home-content-state-${notice.state}`}>{notice.stateLabel}</Text>
      </View>
      <Text className='caption'>{notice.dates}</Text>
      <Text className='home-content-notice-body'>{notice.body}</Text>
      <View className='admin-actions'>
        <Button ariaRole='button' className='btn btn-secondary' onClick={onEdit}>
          {live ? '修改' : '修改后再发布'}
        </Button>
        {live && (
          <Button ariaRole='button' className='btn btn-danger' {...disabledButton(busy)} onClick={onTakeDown}>
            撤下
          </Button>
        )}
      </View>
    </View>
  )
}

export default function AdminHomeContentPage() {
  const { status } = useUser()
  const { overview, error: overviewError, reload: reloadOverview } = useOverview()
  const [notices, setNotices] = useState<AdminNoticeItem[] | undefined>()
  const [listError, setListError] = useState<ApiError | undefined>()
  // 'new' while posting one, a notice while changing it.
  const [editing, setEditing] = useState<AdminNoticeItem | 'new' | null>(null)
  const [message, setMessage] = useState<{ tone: 'error' | 'done'; text: string; requestId?: string } | undefined>()
  const [takingDown, setTakingDown] = useState<string | undefined>()

  const loadNotices = useCallback(
    () =>
      fetchNotices().then(
        (loaded) => {
          setNotices(loaded.notices)
          setListError(undefined)
        },
        (e: unknown) => setListError(toApiError(e)),
      ),
    [],
  )
  useEffect(() => {
    if (status === 'ready') void loadNotices()
  }, [status, loadNotices])

  const onSaved = (notice: AdminNoticeItem) => {
    setEditing(null)
    setMessage({ tone: 'done', text: savedSentence(notice) })
    void loadNotices()
  }

  const takeDown = async (notice: AdminNoticeItem) => {
    const confirmed = await askToConfirm({
      title: '撤下这条公告？',
      content: `撤下后，患者首页马上不再显示“${notice.title}”。以后需要时，可以点“修改后再发布”重新放上去。`,
      confirmText: '撤下',
      cancelText: '先不撤',
    })
    if (!confirmed) return
    setTakingDown(notice.id)
    setMessage(undefined)
    try {
      await unpublishNotice(notice.id)
      showNotice('已撤下，患者首页不再显示这条公告。')
      await loadNotices()
    } catch (e) {
      const failure = toApiError(e)
      setMessage({ tone: 'error', text: `没能撤下：${failure.message}`, requestId: failure.requestId })
    } finally {
      setTakingDown(undefined)
    }
  }

  const error = overviewError ?? listError
  const retry = () => {
    void reloadOverview()
    void loadNotices()
  }
  const defaultDates = () => defaultNoticeDates(new Date(), overview?.hospital.timeZone ?? 'Asia/Shanghai')

  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={retry} />}
      {!error && !notices && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {!error && notices && (
        <View className='card' id='admin-notices'>
          <Text className='title'>首页公告</Text>
          <Text className='caption'>公告在开始日期到结束日期之间显示在患者首页，同时最多显示 5 条，最新开始的在前。</Text>
          {message && <FormMessage id='notices-message' tone={message.tone} message={message.text} requestId={message.requestId} />}
          {editing ? (
            <NoticeForm
              key={editing === 'new' ? 'new' : editing.id}
              notice={editing === 'new' ? undefined : editing}
              defaultDates={defaultDates()}
              onSaved={onSaved}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <Button
              ariaRole='button'
              className='btn btn-primary'
              id='notice-new'
              onClick={() => {
                setMessage(undefined)
                setEditing('new')
              }}
            >
              发布新公告
            </Button>
          )}
          {GROUPS.map((group) => {
            const inGroup = notices.filter((notice) => group.states.includes(notice.state))
            return (
              <View key={group.title} className='home-content-group'>
                <Text className='admin-section-title'>
                  {group.title}（{inGroup.length}）
                </Text>
                {inGroup.length === 0 && <Text className='caption'>{group.empty}</Text>}
                {inGroup.map((notice) => (
                  <NoticeRow
                    key={notice.id}
                    notice={notice}
                    busy={takingDown === notice.id}
                    onEdit={() => {
                      setMessage(undefined)
                      setEditing(notice)
                    }}
                    onTakeDown={() => void takeDown(notice)}
                  />
                ))}
              </View>
            )
          })}
        </View>
      )}
      {overview && overview.hospital.campuses.length > 0 && <ContactForm campuses={overview.hospital.campuses} onSaved={() => void reloadOverview()} />}
    </PageShell>
  )
}

