// The demo hospital's departments: first-level groups, each followed by the clinics patients book.
import type { DemoDepartment } from './demoHospital';

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  { name: '内科', intro: '内科下设心血管、消化、呼吸、神经、内分泌、肾脏和肿瘤等专科门诊，请按主要不适选择对应专科。', locationId: 'opd-2f' },
  {
    name: '心血管内科',
    parent: '内科',
    intro: '诊治高血压、冠心病、心律失常、心力衰竭等心血管疾病。胸痛突然加重或持续不缓解，请直接到急诊就诊。',
    locationId: 'opd-2a',
    common: true,
  },
  {
    name: '消化内科',
    parent: '内科',
    intro: '诊治胃炎、消化性溃疡、肠炎、肝病及胰腺疾病，并开展胃肠镜检查。需要做胃镜的患者就诊当天请空腹。',
    preparation: '做胃镜前 8 小时请不要吃东西、喝水。\n请带上以前的胃镜报告、病理结果和正在吃的药。\n做无痛胃镜需要家属陪同，当天请不要自己开车。',
    locationId: 'opd-2b',
    common: true,
  },
  { name: '呼吸内科', parent: '内科', intro: '诊治慢性咳嗽、哮喘、慢阻肺、肺部感染和肺结节，可预约肺功能检查。', locationId: 'opd-2c' },
  { name: '神经内科', parent: '内科', intro: '诊治头痛、头晕、脑血管病、癫痫、帕金森病和记忆力减退等疾病。', locationId: 'opd-2d' },
  {
    name: '内分泌科',
    parent: '内科',
    intro: '诊治糖尿病、甲状腺疾病、骨质疏松和肥胖等内分泌代谢疾病。查血糖、血脂的患者请空腹就诊。',
    preparation: '需要查空腹血糖、血脂的，前一天晚上 10 点以后请不要再吃东西，可以少量喝白开水。请带上近期的化验单、血糖记录本和正在吃的药。',
    locationId: 'opd-3a',
  },
  { name: '肾内科', parent: '内科', intro: '诊治慢性肾炎、肾病综合征、尿检异常和慢性肾功能不全，并提供透析前的评估与随访。', locationId: 'opd-3b' },
  { name: '肿瘤内科', parent: '内科', intro: '为肺癌、胃肠道肿瘤、乳腺癌等实体肿瘤患者提供化疗、靶向和免疫治疗方案，请携带既往病理和影像资料。', locationId: 'opd-3c' },

  { name: '外科', intro: '外科下设普通外科、骨科、泌尿外科、神经外科和乳腺外科门诊，需要手术评估的患者请携带近期检查结果。', locationId: 'opd-4f' },
  { name: '普通外科', parent: '外科', intro: '诊治胆囊结石、疝气、甲状腺结节、阑尾炎和体表肿物，开展微创腹腔镜手术。', locationId: 'opd-4a' },
  { name: '骨科', parent: '外科', intro: '诊治骨折、颈肩腰腿痛、腰椎间盘突出、关节炎和运动损伤，提供关节置换和脊柱手术评估。', locationId: 'opd-4b' },
  { name: '泌尿外科', parent: '外科', intro: '诊治泌尿系结石、前列腺疾病、泌尿系感染和肾脏、膀胱肿瘤。', locationId: 'opd-4c' },
  { name: '神经外科', parent: '外科', intro: '诊治颅脑外伤、脑肿瘤、脑出血后遗症和脊髓疾病，提供手术前后的评估与复查。', locationId: 'opd-4d' },
  { name: '乳腺外科', parent: '外科', intro: '诊治乳腺增生、乳腺结节、乳腺炎和乳腺肿瘤，可安排乳腺超声和钼靶检查。', locationId: 'opd-4e' },

  {
    name: '妇产科',
    intro: '妇产科包括妇科和产科门诊，为女性提供常见妇科疾病诊治、孕前咨询、产前检查和产后复查。本科室只接待女性患者。',
    locationId: 'wc-2f',
    common: true,
  },
  { name: '妇科', parent: '妇产科', intro: '诊治月经不调、妇科炎症、子宫肌瘤、卵巢囊肿等疾病，提供宫颈癌筛查。', locationId: 'wc-2a' },
  { name: '产科', parent: '妇产科', intro: '提供孕期建档、产前检查、高危妊娠管理和产后 42 天复查。首次产检请携带身份证和孕检资料。', locationId: 'wc-2b' },

  {
    name: '儿科',
    intro: '儿科接待 14 周岁及以下的儿童，诊治儿童常见病、多发病，并提供儿童生长发育评估和预防保健服务。',
    preparation: '请带上孩子的医保卡和疫苗接种本。发热的孩子请先到分诊台量体温，再到诊室外候诊。',
    locationId: 'wc-1f',
    common: true,
  },
  { name: '儿科普通门诊', parent: '儿科', intro: '诊治儿童发热、咳嗽、腹泻、皮疹等常见病。孩子高热抽搐或精神很差时，请直接到儿科急诊。', locationId: 'wc-1a' },
  { name: '儿童保健科', parent: '儿科', intro: '提供儿童体格和智力发育评估、营养与喂养指导、视力和口腔保健咨询。', locationId: 'wc-1b' },

  { name: '五官科', intro: '五官科包括眼科、耳鼻喉科和口腔科门诊，请根据不适部位选择科室。', locationId: 'opd-5f' },
  {
    name: '眼科',
    parent: '五官科',
    intro: '诊治白内障、青光眼、眼底病、干眼症和儿童近视，提供验光和视力检查。需要散瞳检查的患者请勿自行驾车。',
    locationId: 'opd-5a',
    common: true,
  },
  {
    name: '耳鼻喉科',
    parent: '五官科',
    intro: '诊治中耳炎、耳鸣耳聋、鼻炎鼻窦炎、咽喉炎和声音嘶哑，提供听力检查和鼻咽喉镜检查。',
    locationId: 'opd-5b',
    common: true,
  },
  {
    name: '口腔科',
    parent: '五官科',
    intro: '提供补牙、根管治疗、拔牙、洗牙、镶牙和牙齿矫正咨询。拔牙前请吃饭，不要空腹。',
    locationId: 'opd-5c',
    common: true,
  },

  { name: '皮肤性病科', intro: '皮肤性病科包括皮肤科和医学美容科门诊，诊治各类皮肤病并提供激光美容治疗。', locationId: 'opd-6f' },
  {
    name: '皮肤科',
    parent: '皮肤性病科',
    intro: '诊治湿疹、荨麻疹、痤疮、银屑病、真菌感染和皮肤肿物。就诊当天请不要在患处涂抹药膏或化妆品。',
    locationId: 'opd-6a',
    common: true,
  },
  { name: '医学美容科', parent: '皮肤性病科', intro: '提供色斑、痘印、瘢痕的激光治疗和光子嫩肤，治疗前需先由医生面诊评估。', locationId: 'opd-6b' },

  { name: '中医科', intro: '中医科以辨证论治为主，提供中药调理、针灸和推拿治疗。', locationId: 'tcm-1f' },
  { name: '中医内科', parent: '中医科', intro: '用中药调理失眠、脾胃不适、月经不调、慢性疲劳等问题，也为慢性病患者提供中西医结合治疗。', locationId: 'tcm-1a' },
  { name: '针灸推拿科', parent: '中医科', intro: '以针灸、推拿、拔罐等方法治疗颈肩腰腿痛、面瘫和中风后遗症。请穿宽松衣物就诊。', locationId: 'tcm-1b' },
];
