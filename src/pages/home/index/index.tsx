// 首页: a greeting and the department search that the catalogue issue will bring to life.
import { Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { greetingFor } from '../../../utils/greeting'
import './index.scss'

export default function HomePage() {
  const greeting = greetingFor(new Date().getHours())
  return (
    <PageShell auth='optional'>
      <View className='home-hero'>
        <Text className='home-greeting' id='home-greeting'>
          {greeting}，欢迎来到医约
        </Text>
        <Text className='caption'>在手机上预约挂号，少排队，少跑腿。</Text>
      </View>
      <View className='home-search' ariaRole='search' ariaLabel='搜索科室或医生，即将上线'>
        <Text className='home-search-placeholder'>搜索科室或医生</Text>
      </View>
      <Text className='caption home-soon' id='home-soon'>
        科室与医生即将上线，我们正在抓紧准备，请您耐心等一等。
      </Text>
    </PageShell>
  )
}
