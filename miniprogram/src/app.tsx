import type { PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import '@nutui/nutui-react-taro/dist/styles/themes/default.css'
import './app.css'

function App({ children }: PropsWithChildren<any>) {
  useLaunch(() => {})
  return children
}

export default App
