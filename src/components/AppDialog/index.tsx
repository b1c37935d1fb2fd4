// The app's own decision dialog and notice (toast). Taro's stock showModal/showToast draw 15 px grey text
// that elder mode cannot reach (contrast 2.28:1 on 确认取消); these take the page's theme tokens instead.
// One module-level state, shown by the DialogHost every PageShell renders (only the page on top is visible).
import { useSyncExternalStore } from 'react'
import { Button, Text, View } from '@tarojs/components'
import './index.scss'

export interface DialogRequest {
  title: string
  content: string
  confirmText: string
  cancelText: string
  /** `primary` for an agreement, `danger` (the default) for a decision that undoes something. */
  confirmTone?: 'primary' | 'danger'
  /**
   * weapp: the confirm button is WeChat's privacy agreement button (`open-type="agreePrivacyAuthorization"`) with
   * this id; its agree event answers the dialog, so WeChat can check the button was really tapped.
   */
  privacyAgreeButtonId?: string
  /** An id for the cancel button, for the privacy dialog's 不同意. */
  cancelButtonId?: string
}

interface OpenDialog extends DialogRequest {
  resolve: (confirmed: boolean) => void
}

interface OverlayState {
  dialog: OpenDialog | null
  notice: string | null
}

let state: OverlayState = { dialog: null, notice: null }
const listeners = new Set<() => void>()
let noticeTimer: ReturnType<typeof setTimeout> | undefined

function publish(next: OverlayState): void {
  state = next
  for (const listener of listeners) listener()
}

/** Asks a yes/no question; resolves true only when the person taps the confirm button. */
export function askToConfirm(request: DialogRequest): Promise<boolean> {
  // A second question replaces the first, which counts as "no".
  state.dialog?.resolve(false)
  return new Promise((resolve) => publish({ ...state, dialog: { ...request, resolve } }))
}

/** A short message at the bottom of the screen that goes by itself (long enough to read slowly). */
export function showNotice(text: string, durationMs = 3000): void {
  if (noticeTimer) clearTimeout(noticeTimer)
  publish({ ...state, notice: text })
  noticeTimer = setTimeout(() => publish({ ...state, notice: null }), durationMs)
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

function answer(confirmed: boolean): void {
  const { dialog } = state
  publish({ ...state, dialog: null })
  dialog?.resolve(confirmed)
}

export function DialogHost() {
  const { dialog, notice } = useSyncExternalStore(subscribe, () => state)
  return (
    <View>
      {dialog && (
        <View className='app-dialog-mask'>
          <View className='app-dialog' ariaRole='alertdialog' aria-modal='true' ariaLabel={dialog.title}>
            <Text className='app-dialog-title'>{dialog.title}</Text>
            <Text className='app-dialog-content'>{dialog.content}</Text>
            <View className='app-dialog-actions'>
              <Button ariaRole='button' className='btn btn-secondary' id={dialog.cancelButtonId} onClick={() => answer(false)}>
                {dialog.cancelText}
              </Button>
              {dialog.privacyAgreeButtonId ? (
                <Button
                  ariaRole='button'
                  className='btn btn-primary'
                  id={dialog.privacyAgreeButtonId}
                  openType='agreePrivacyAuthorization'
                  onAgreePrivacyAuthorization={() => answer(true)}
                >
                  {dialog.confirmText}
                </Button>
              ) : (
                <Button ariaRole='button' className={`btn ${dialog.confirmTone === 'primary' ? 'btn-primary' : 'btn-danger'}`} onClick={() => answer(true)}>
                  {dialog.confirmText}
                </Button>
              )}
            </View>
          </View>
        </View>
      )}
      {notice && (
        <View className='app-notice' ariaRole='status' aria-live='polite'>
          <Text>{notice}</Text>
        </View>
      )}
    </View>
  )
}
