// Dev login (H5 build only): pick a demo identity offered by the local host, then log in as it.
import { useCallback, useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { fetchDevIdentities, isApiError, NETWORK_ERROR_MESSAGE, type DevIdentity } from '../../../services/api'
import { setDevOpenid } from '../../../services/devIdentity'
import { useUser } from '../../../store/UserContext'
import { HOME_PAGE } from '../../../routes'
import './index.scss'

const ROLE_LABELS: Record<string, string> = { patient: '患者', family: '家属', admin: '医院管理员' }

export default function DevLoginPage() {
  const { login } = useUser()
  const [identities, setIdentities] = useState<DevIdentity[] | undefined>()
  const [error, setError] = useState<string | undefined>()

  const load = useCallback(
    () =>
      fetchDevIdentities().then(setIdentities, (e: unknown) =>
        setError(isApiError(e) ? e.message : NETWORK_ERROR_MESSAGE),
      ),
    [],
  )
  useEffect(() => {
    void load()
  }, [load])
  const retry = () => {
    setError(undefined)
    void load()
  }

  const choose = async (openid: string) => {
    setDevOpenid(openid)
    await login()
    await Taro.switchTab({ url: HOME_PAGE })
  }

  return (
    <PageShell auth='none'>
      <Text className='title dev-login-heading'>请选一个体验身份</Text>
      <Text className='caption'>这是本地体验用的登录方式，正式的小程序会直接用微信登录。</Text>
      {error && (
        <View className='card'>
          <Text>{error}</Text>
          <Button ariaRole='button' className='btn btn-primary' onClick={retry}>
            再试一次
          </Button>
        </View>
      )}
      {!identities && !error && <Text className='dev-login-loading'>正在加载，请稍等…</Text>}
      {identities?.map((identity) => (
        <View
          key={identity.openid}
          className='card dev-login-card'
          ariaRole='button'
          onClick={() => void choose(identity.openid)}
        >
          <Text className='title'>{identity.name}</Text>
          {ROLE_LABELS[identity.role] && <Text className='dev-login-role'>{ROLE_LABELS[identity.role]}</Text>}
          <Text className='caption'>{identity.description}</Text>
        </View>
      ))}
    </PageShell>
  )
}
