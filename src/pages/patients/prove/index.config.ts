export default definePageConfig({ navigationBarTitleText: '验证就诊人' })
