export default definePageConfig({ navigationBarTitleText: '发放记录' })
