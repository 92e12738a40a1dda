export default definePageConfig({ navigationBarTitleText: '掌上救助' })
