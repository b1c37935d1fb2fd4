// Demo doctors of the women's, children's, eye/ENT/dental, skin and traditional Chinese medicine clinics.
import { clinic } from './demoDoctorsMedicalSurgical';
import type { DemoDoctor } from './demoHospital';

export const SPECIALTY_DOCTORS: DemoDoctor[] = [
  ...clinic('妇科', [
    {
      name: '黄淑芬', title: '主任医师', special: true, sessions: ['tue-am', 'thu-am'],
      specialty: '子宫肌瘤、卵巢囊肿微创手术、妇科肿瘤',
      intro: '从事妇产科临床工作三十余年，擅长宫腹腔镜微创手术和妇科肿瘤的诊治。看诊时尊重患者隐私，会把不同治疗方案的利弊讲明白。',
    },
    {
      name: '董晓雯', title: '副主任医师', sessions: ['mon-am', 'wed-pm', 'fri-am'],
      specialty: '月经不调、多囊卵巢综合征、更年期管理',
      intro: '擅长月经不调、多囊卵巢综合征和更年期症状的内分泌治疗。会结合激素检查结果，给出调理和随访的具体安排。',
    },
    {
      name: '叶婉清', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm', 'sat-am'],
      specialty: '宫颈癌筛查、阴道镜检查、妇科炎症',
      intro: '主要负责宫颈癌筛查结果异常患者的阴道镜检查和随访，也诊治各类妇科炎症。检查前 3 天请避免同房和阴道用药。',
    },
    {
      name: '苏欣然', title: '住院医师', sessions: ['tue-pm', 'thu-am', 'fri-pm', 'sun-am'],
      specialty: '妇科常见病、体检报告解读',
      intro: '在上级医师指导下诊治妇科常见病，并为体检发现异常的女性解读报告、安排复查。',
    },
  ]),
  ...clinic('产科', [
    {
      name: '贾玉梅', title: '主任医师', sessions: ['mon-am', 'thu-am'],
      specialty: '高危妊娠、妊娠期高血压、妊娠期糖尿病',
      intro: '从事产科工作近三十年，擅长高危妊娠的全程管理。对高龄孕妇和合并慢性病的孕妇，会制定有针对性的产检计划。',
    },
    {
      name: '夏雪莹', title: '副主任医师', sessions: ['tue-am', 'wed-am', 'fri-pm'],
      specialty: '产前检查、孕期营养与体重管理',
      intro: '擅长常规产前检查和孕期营养指导，帮助准妈妈科学控制体重。建档和产检的流程都会一次讲清楚。',
    },
    {
      name: '韦诗琪', title: '主治医师', sessions: ['mon-pm', 'wed-pm', 'thu-pm', 'sat-am'],
      specialty: '产后 42 天复查、母乳喂养指导',
      intro: '主要负责产后复查和母乳喂养咨询，也接待孕早期的初次产检。周六上午出诊，方便上班的准妈妈。',
    },
  ]),
  ...clinic('儿科普通门诊', [
    {
      name: '付春燕', title: '主任医师', sessions: ['tue-am', 'fri-am'],
      specialty: '儿童呼吸道感染、哮喘、过敏性疾病',
      intro: '从事儿科临床工作近三十年，擅长儿童反复呼吸道感染、哮喘和过敏性疾病的诊治。和孩子沟通有耐心，家长评价她讲得清楚、不乱开药。',
    },
    {
      name: '方志远', title: '副主任医师', sessions: ['mon-am', 'wed-am', 'thu-pm'],
      specialty: '儿童消化系统疾病、营养不良',
      intro: '擅长儿童腹泻、便秘、厌食和生长迟缓的诊治。会给家长提供具体的喂养和饮食调整建议。',
    },
    {
      name: '白晓琳', title: '主治医师', sessions: ['mon-pm', 'wed-pm', 'fri-pm', 'sat-am'],
      specialty: '儿童发热、咳嗽、皮疹等常见病',
      intro: '主要诊治儿童发热、咳嗽、出疹等常见病。会告诉家长在家护理的要点，以及出现哪些情况需要立即复诊。',
    },
    {
      name: '邹雨萱', title: '住院医师', sessions: ['tue-pm', 'thu-am', 'sat-pm', 'mon-ev', 'thu-ev'],
      specialty: '儿科常见病、夜间门诊',
      intro: '在上级医师指导下诊治儿童常见病，负责部分夜间门诊。孩子白天上学、家长下班后带来看病也很方便。',
    },
    {
      name: '熊一帆', title: '住院医师', sessions: ['wed-ev', 'fri-ev', 'sun-am', 'sun-pm'],
      specialty: '儿科常见病、周末门诊',
      intro: '主要承担儿科周末和夜间门诊，诊治感冒发热、腹泻等常见病。对需要进一步检查的孩子，会及时安排转诊上级医师。',
    },
  ]),
  ...clinic('儿童保健科', [
    {
      name: '秦淑华', title: '主任医师', sessions: ['wed-am', 'fri-am'],
      specialty: '儿童生长发育评估、矮小症',
      intro: '从事儿童保健工作二十余年，擅长儿童身高、体重和青春期发育的评估。对孩子长得慢、个子矮的情况，会先排查原因再给建议。',
    },
    {
      name: '邱丹丹', title: '副主任医师', sessions: ['mon-am', 'tue-pm', 'thu-am'],
      specialty: '婴幼儿喂养、儿童营养评估',
      intro: '擅长婴幼儿喂养指导、辅食添加和儿童营养问题的调理。新手父母可以把喂养中遇到的困惑一并带来咨询。',
    },
    {
      name: '江晓雅', title: '主治医师', sessions: ['tue-am', 'thu-pm', 'sat-am'],
      specialty: '儿童语言和行为发育、视力筛查',
      intro: '主要负责儿童语言、运动和行为发育的筛查评估，以及入园前的视力筛查。评估需要时间较长，请按预约时间准时到达。',
    },
  ]),
  ...clinic('眼科', [
    {
      name: '尹建华', title: '主任医师', special: true, sessions: ['mon-am', 'thu-am'],
      specialty: '白内障、青光眼手术',
      intro: '从事眼科临床工作三十余年，擅长白内障超声乳化手术和青光眼的手术治疗。术前会详细说明人工晶体的选择。',
    },
    {
      name: '薛明辉', title: '副主任医师', sessions: ['tue-am', 'wed-pm', 'fri-am'],
      specialty: '糖尿病视网膜病变、黄斑疾病',
      intro: '擅长糖尿病眼底病变和黄斑疾病的诊断及激光、玻璃体腔注药治疗。糖尿病患者建议每年查一次眼底。',
    },
    {
      name: '闫思琪', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm', 'sat-am'],
      specialty: '儿童近视防控、斜弱视、干眼症',
      intro: '主要诊治儿童近视、斜视、弱视和成人干眼症。儿童首次验光可能需要散瞳，请预留充足的时间。',
    },
  ]),
  ...clinic('耳鼻喉科', [
    {
      name: '段宏伟', title: '主任医师', sessions: ['tue-am', 'fri-am'],
      specialty: '慢性鼻窦炎、鼻内镜手术、咽喉肿瘤',
      intro: '从事耳鼻喉科工作近三十年，擅长慢性鼻窦炎、鼻息肉的鼻内镜微创手术，以及咽喉部肿瘤的早期诊断。',
    },
    {
      name: '雷振华', title: '副主任医师', sessions: ['mon-am', 'wed-am', 'thu-pm'],
      specialty: '中耳炎、耳鸣耳聋、眩晕',
      intro: '擅长中耳炎、突发性耳聋、耳鸣和耳源性眩晕的诊治。听力下降的患者就诊时会同时安排听力检查。',
    },
    {
      name: '侯晓丽', title: '主治医师', sessions: ['mon-pm', 'wed-pm', 'fri-pm'],
      specialty: '过敏性鼻炎、咽喉炎、声音嘶哑',
      intro: '主要诊治过敏性鼻炎、慢性咽喉炎和声音嘶哑。对教师等用嗓较多的职业人群，会给出护嗓建议。',
    },
    {
      name: '陶子豪', title: '住院医师', sessions: ['tue-pm', 'thu-am', 'tue-ev', 'sat-am'],
      specialty: '耳鼻喉常见病、耵聍取出、鼻出血处理',
      intro: '在上级医师指导下诊治耳鼻喉常见病，也处理耳屎堵塞、鼻出血等问题。周二晚上有夜间门诊。',
    },
  ]),
  ...clinic('口腔科', [
    {
      name: '黎嘉欣', title: '主任医师', sessions: ['mon-am', 'thu-am'],
      specialty: '牙齿矫正、复杂牙列畸形',
      intro: '从事口腔正畸工作二十余年，擅长青少年和成人的牙齿矫正，包括隐形矫正。首次就诊会拍片评估，再讨论矫正方案和疗程。',
    },
    {
      name: '顾永红', title: '副主任医师', sessions: ['tue-am', 'wed-pm', 'fri-am'],
      specialty: '阻生智齿拔除、口腔颌面外科小手术',
      intro: '擅长阻生智齿和复杂牙的微创拔除，以及口腔内小肿物的切除。拔牙当天请吃饱饭，女性患者请避开经期。',
    },
    {
      name: '毛立伟', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm', 'fri-ev'],
      specialty: '补牙、根管治疗、烤瓷牙修复',
      intro: '主要开展龋齿充填、根管治疗和牙冠修复。周五晚上出诊，方便工作日白天没空的患者。',
    },
    {
      name: '郝婷婷', title: '住院医师', sessions: ['tue-pm', 'thu-am', 'sat-am', 'sat-pm'],
      specialty: '洁牙、牙周基础治疗、儿童涂氟',
      intro: '在上级医师指导下开展洗牙、牙周基础治疗和儿童涂氟、窝沟封闭。周六全天出诊。',
    },
  ]),
  ...clinic('皮肤科', [
    {
      name: '龚秀英', title: '主任医师', sessions: ['wed-am', 'fri-am'],
      specialty: '银屑病、白癜风、自身免疫性皮肤病',
      intro: '从事皮肤科临床工作三十余年，擅长银屑病、白癜风和红斑狼疮等疑难皮肤病的诊治。注重长期随访，帮助患者减少复发。',
    },
    {
      name: '邵磊', title: '副主任医师', sessions: ['mon-am', 'tue-pm', 'thu-am'],
      specialty: '湿疹、荨麻疹、过敏性皮肤病',
      intro: '擅长湿疹、荨麻疹和各类过敏性皮肤病的诊治，可安排过敏原检测。会教患者日常护肤和避免诱发因素的方法。',
    },
    {
      name: '万晓婷', title: '主治医师', sessions: ['mon-pm', 'wed-pm', 'thu-pm', 'sat-am'],
      specialty: '痤疮、脂溢性皮炎、玫瑰痤疮',
      intro: '主要诊治青春痘、脂溢性皮炎和面部泛红等问题。就诊当天请不要化妆，方便医生观察皮损。',
    },
    {
      name: '严可欣', title: '住院医师', sessions: ['tue-am', 'fri-pm', 'wed-ev', 'sun-am'],
      specialty: '皮肤真菌感染、疣、皮肤科常见病',
      intro: '在上级医师指导下诊治脚气、灰指甲、寻常疣等皮肤常见病，可以现场做真菌镜检。',
    },
  ]),
  ...clinic('医学美容科', [
    {
      name: '武丽萍', title: '主任医师', special: true, sessions: ['tue-am', 'thu-pm'],
      specialty: '色斑、黄褐斑、激光美容',
      intro: '从事皮肤美容工作二十余年，擅长黄褐斑、雀斑等色素性疾病的综合治疗。治疗前会评估肤质，制定安全的治疗方案。',
    },
    {
      name: '戴晓萌', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-ev', 'sat-am'],
      specialty: '痘印痘坑、瘢痕修复、光子嫩肤',
      intro: '主要开展痘印、痘坑和瘢痕的激光修复以及光子嫩肤治疗。治疗后需要注意防晒，医生会交代具体的护理方法。',
    },
  ]),
  ...clinic('中医内科', [
    {
      name: '孔德明', title: '主任医师', sessions: ['mon-am', 'thu-am'],
      specialty: '脾胃病、失眠、慢性疲劳的中医调理',
      intro: '从事中医临床工作三十余年，擅长运用中药调理脾胃不和、失眠和慢性疲劳。就诊当天请不要刮舌苔，方便医生舌诊。',
    },
    {
      name: '向春梅', title: '副主任医师', sessions: ['tue-am', 'wed-pm', 'fri-am'],
      specialty: '月经不调、更年期综合征的中医治疗',
      intro: '擅长用中医方法调理月经不调、痛经和更年期不适，也为备孕女性提供体质调理。',
    },
    {
      name: '汤文轩', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm'],
      specialty: '慢性咳嗽、过敏性鼻炎的中西医结合治疗',
      intro: '主要诊治慢性咳嗽、过敏性鼻炎等反复发作的问题，常采用中药配合穴位贴敷的治疗方式。',
    },
    {
      name: '褚明', title: '住院医师', sessions: ['tue-pm', 'fri-pm', 'sat-am'],
      specialty: '中医体质辨识、膏方咨询',
      intro: '在上级医师指导下开展中医体质辨识和日常调养咨询。冬季可预约膏方门诊。',
    },
  ]),
  ...clinic('针灸推拿科', [
    {
      name: '易长青', title: '主任医师', sessions: ['tue-am', 'fri-am'],
      specialty: '面瘫、中风后遗症的针灸治疗',
      intro: '从事针灸临床工作近三十年，擅长针灸治疗周围性面瘫和中风后的肢体功能障碍。面瘫发病后越早治疗，恢复效果越好。',
    },
    {
      name: '殷志刚', title: '副主任医师', sessions: ['mon-am', 'wed-am', 'thu-pm'],
      specialty: '颈椎病、腰肌劳损、肩周炎的推拿治疗',
      intro: '擅长用推拿手法配合针灸治疗颈肩腰腿痛。会教长期伏案的患者一些简单有效的自我锻炼动作。',
    },
    {
      name: '柏慧玲', title: '主治医师', sessions: ['mon-pm', 'wed-pm', 'fri-pm', 'sat-am'],
      specialty: '失眠、头痛、痛经的针灸治疗',
      intro: '主要用针灸治疗失眠、紧张性头痛和痛经。一个疗程通常需要多次治疗，请提前规划好时间。',
    },
  ]),
];
