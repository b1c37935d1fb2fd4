export default definePageConfig({ navigationBarTitleText: '加号' })
