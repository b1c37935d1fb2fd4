// Taro H5 renders <Button disabled={false}> with a disabled="false" attribute, which its stylesheet
// greys out as if disabled; so these flags are passed only while they are on.

/** While a request runs: a spinner, and no second tap. */
export function busyButton(busy: boolean): { loading?: true; disabled?: true } {
  return busy ? { loading: true, disabled: true } : {}
}

export function disabledButton(disabled: boolean): { disabled?: true } {
  return disabled ? { disabled: true } : {}
}
