export default definePageConfig({ navigationBarTitleText: '疑似抢号脚本' })
