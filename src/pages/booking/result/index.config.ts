// Sharing on: the slip's 发给陪同就诊的家人 makes a share card for the family member who goes.
export default definePageConfig({ navigationBarTitleText: '预约结果', enableShareAppMessage: true })
