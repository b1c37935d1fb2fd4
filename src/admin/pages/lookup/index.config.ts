export default definePageConfig({ navigationBarTitleText: '患者查询' })
