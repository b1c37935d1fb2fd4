// Leaving a page the way the user came in: back when there is a page behind, else straight to `url`.
import Taro from '@tarojs/taro'

export async function goBackOr(url: string): Promise<void> {
  // A page opened from a shared link or a refreshed H5 tab has nothing behind it.
  if (Taro.getCurrentPages().length > 1) await Taro.navigateBack()
  else await Taro.redirectTo({ url })
}
