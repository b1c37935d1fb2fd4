export default definePageConfig({ navigationBarTitleText: '医约' })
