export default definePageConfig({ navigationBarTitleText: '停诊' })
