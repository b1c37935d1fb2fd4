export default definePageConfig({ navigationBarTitleText: '家人分享的就诊凭条' })
