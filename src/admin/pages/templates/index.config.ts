export default definePageConfig({ navigationBarTitleText: '出诊模板' })
