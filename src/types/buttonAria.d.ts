// Taro's H5 Button is a `taro-button-core` custom element with no role of its own, so screen readers
// would not announce it as a button: every Button says `ariaRole='button'` (compiled to `role` on H5,
// `aria-role` on weapp). Taro types `ariaRole` on View only; this adds it to Button.
import '@tarojs/components/types/Button'

declare module '@tarojs/components/types/Button' {
  interface ButtonProps {
    ariaRole?: string
  }
}
