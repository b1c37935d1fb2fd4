export default definePageConfig({ navigationBarTitleText: '科室' })
