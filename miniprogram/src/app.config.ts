export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/login/index',
    'pages/identity/index',
    'pages/policy/index',
    'pages/selfcheck/index',
    'pages/checklist/index',
    'pages/apply/index',
    'pages/cases/index',
    'pages/case/detail',
    'pages/consent/index',
    'pages/messages/index',
    'pages/notices/index',
    'pages/me/index',
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '掌上救助',
    navigationBarTextStyle: 'black',
  },
})
