// 医院信息 on the home page: each campus's address with 导航 (WeChat's map on weapp, an Amap link on H5)
// and 咨询电话 with tap-to-call. Both buttons show only once staff have filled the phone and map point in.
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { Campus, Hospital } from '../../services/catalog'
import { dialable, mapMarkerUrl } from '../../utils/mapLink'
import './index.scss'

const isH5 = process.env.TARO_ENV === 'h5'

function openMap(hospital: Hospital, campus: Campus & { latitude: number; longitude: number }) {
  const name = hospital.campuses.length > 1 ? `${hospital.name}（${campus.name}）` : hospital.name
  if (isH5) {
    window.open(mapMarkerUrl({ latitude: campus.latitude, longitude: campus.longitude, name }), '_blank', 'noopener')
    return
  }
  void Taro.openLocation({ latitude: campus.latitude, longitude: campus.longitude, name, address: campus.address, scale: 17 })
}

function CampusInfo({ hospital, campus }: { hospital: Hospital; campus: Campus }) {
  const { latitude, longitude, phone } = campus
  const located = typeof latitude === 'number' && typeof longitude === 'number'
  return (
    <View className='hospital-campus' data-campus-id={campus.id}>
      {hospital.campuses.length > 1 && <Text className='hospital-campus-name'>{campus.name}</Text>}
      <Text className='notice-text hospital-address'>地址：{campus.address}</Text>
      {phone && <Text className='notice-text hospital-phone'>咨询电话：{phone}</Text>}
      <View className='hospital-actions'>
        {located && (
          <Button
            ariaRole='button'
            className='btn btn-secondary hospital-map'
            data-map-url={mapMarkerUrl({ latitude, longitude, name: hospital.name })}
            onClick={() => openMap(hospital, { ...campus, latitude, longitude })}
          >
            导航到医院
          </Button>
        )}
        {phone && (
          <Button ariaRole='button' className='btn btn-secondary hospital-call' data-phone={dialable(phone)} onClick={() => void Taro.makePhoneCall({ phoneNumber: dialable(phone) })}>
            拨打电话
          </Button>
        )}
      </View>
    </View>
  )
}

export function HospitalInfo({ hospital }: { hospital: Hospital }) {
  return (
    <View className='home-section hospital-info' id='hospital-info'>
      <Text className='title'>{hospital.name}</Text>
      {hospital.campuses.map((campus) => (
        <CampusInfo key={campus.id} hospital={hospital} campus={campus} />
      ))}
    </View>
  )
}
