export default definePageConfig({ navigationBarTitleText: '公告与医院信息' })
