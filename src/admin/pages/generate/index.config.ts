export default definePageConfig({ navigationBarTitleText: '生成排班' })
