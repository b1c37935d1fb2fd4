// Demo doctors of the internal medicine (内科) and surgery (外科) clinics, most senior first in each clinic.
import type { DemoDoctor } from './demoHospital';

export const clinic = (department: string, doctors: Omit<DemoDoctor, 'department'>[]): DemoDoctor[] =>
  doctors.map((doctor) => ({ department, ...doctor }));

export const MEDICAL_SURGICAL_DOCTORS: DemoDoctor[] = [
  ...clinic('心血管内科', [
    {
      name: '周立群', title: '主任医师', special: true, sessions: ['tue-am', 'fri-am'],
      specialty: '冠心病介入治疗、难治性高血压、心力衰竭',
      intro: '从事心血管内科临床工作近三十年，擅长冠心病的介入诊疗和难治性高血压的综合管理。看诊细致，习惯把检查结果和用药原因一条条讲清楚。',
    },
    {
      name: '韩志明', title: '副主任医师', sessions: ['mon-am', 'wed-pm', 'thu-am'],
      specialty: '心律失常、房颤射频消融、起搏器随访',
      intro: '长期专注心律失常的诊断和介入治疗，对心悸、早搏、房颤的规范治疗经验丰富。负责本院起搏器植入患者的术后随访。',
    },
    {
      name: '孙晓燕', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'fri-pm', 'sat-am'],
      specialty: '高血压、血脂异常、冠心病二级预防',
      intro: '擅长高血压和血脂异常的长期管理，帮助患者调整生活方式、规范服药。对于需要长期复诊开药的慢病患者，会给出清楚的复查计划。',
    },
  ]),
  ...clinic('消化内科', [
    {
      name: '陈怀远', title: '主任医师', sessions: ['mon-am', 'thu-am'],
      specialty: '消化道早癌内镜诊治、炎症性肠病',
      intro: '消化内镜专业出身，擅长消化道早期癌的内镜下诊断与切除。对溃疡性结肠炎、克罗恩病的长期治疗有丰富经验。',
    },
    {
      name: '林雅琴', title: '副主任医师', sessions: ['tue-am', 'wed-pm', 'fri-am'],
      specialty: '慢性胃炎、幽门螺杆菌感染、功能性消化不良',
      intro: '擅长胃炎、反酸烧心和幽门螺杆菌的规范根除治疗。对腹胀、消化不良等反复发作的问题，注重找到诱因并给出饮食建议。',
    },
    {
      name: '吴昊天', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm'],
      specialty: '脂肪肝、慢性乙型肝炎、胆胰疾病',
      intro: '主要从事肝病和胆胰疾病的诊治，熟悉脂肪肝和慢性乙肝的随访管理。体检发现转氨酶升高的患者可以找他咨询。',
    },
    {
      name: '赵子涵', title: '住院医师', sessions: ['tue-pm', 'thu-am', 'fri-pm', 'sat-am'],
      specialty: '消化内科常见病、胃肠镜检查前评估',
      intro: '在上级医师指导下诊治胃痛、腹泻、便秘等常见问题。可以为需要做胃肠镜的患者开具检查并讲解肠道准备的注意事项。',
    },
  ]),
  ...clinic('呼吸内科', [
    {
      name: '郑文涛', title: '主任医师', sessions: ['wed-am', 'fri-am'],
      specialty: '慢阻肺、支气管哮喘、肺结节诊治',
      intro: '从事呼吸内科临床和教学工作二十余年，擅长慢阻肺和哮喘的长期规范治疗。对体检发现的肺结节，会结合影像给出随访或进一步检查的建议。',
    },
    {
      name: '彭丽华', title: '副主任医师', sessions: ['mon-am', 'tue-pm', 'thu-am'],
      specialty: '慢性咳嗽、肺部感染、间质性肺病',
      intro: '擅长慢性咳嗽的病因排查和各类肺部感染的治疗。对咳嗽超过两个月、反复发作的患者，会安排有针对性的检查。',
    },
    {
      name: '许嘉怡', title: '主治医师', sessions: ['mon-pm', 'wed-pm', 'fri-pm'],
      specialty: '哮喘吸入治疗指导、睡眠呼吸暂停',
      intro: '熟悉各类吸入装置的使用，会在门诊手把手教患者正确用药。也诊治打鼾、睡眠呼吸暂停等睡眠相关呼吸问题。',
    },
    {
      name: '钱宇航', title: '住院医师', sessions: ['tue-am', 'thu-pm', 'sat-am', 'sun-am'],
      specialty: '感冒、急慢性支气管炎等呼吸道常见病',
      intro: '主要诊治咳嗽、咳痰、发热等呼吸道常见病。周末也出诊，方便工作日不便请假的患者。',
    },
  ]),
  ...clinic('神经内科', [
    {
      name: '罗明轩', title: '主任医师', sessions: ['tue-am', 'thu-am'],
      specialty: '脑血管病、帕金森病、运动障碍疾病',
      intro: '从事神经内科工作近三十年，擅长脑梗死的规范治疗与二级预防，以及帕金森病的药物调整。对手抖、走路不稳的老年患者看诊耐心。',
    },
    {
      name: '唐慧敏', title: '副主任医师', sessions: ['mon-am', 'wed-am', 'fri-pm'],
      specialty: '头痛、头晕、睡眠障碍',
      intro: '擅长偏头痛、紧张型头痛和各类头晕的鉴别诊断。对长期失眠的患者，会结合睡眠习惯给出药物和非药物的治疗方案。',
    },
    {
      name: '邓子健', title: '主治医师', sessions: ['mon-pm', 'wed-pm', 'thu-pm'],
      specialty: '癫痫、周围神经病、记忆力减退',
      intro: '主要诊治癫痫、手脚麻木和记忆力下降等问题。家属陪同就诊时，可以带上患者平时的发作视频或用药记录。',
    },
  ]),
  ...clinic('内分泌科', [
    {
      name: '杨秀兰', title: '主任医师', sessions: ['mon-am', 'thu-am'],
      specialty: '糖尿病及其并发症、胰岛素治疗',
      intro: '从事内分泌专业二十余年，擅长各类糖尿病的个体化治疗和并发症的早期筛查。重视患者教育，常为初次使用胰岛素的患者讲解注射方法。',
    },
    {
      name: '曹文博', title: '副主任医师', sessions: ['tue-am', 'wed-pm', 'fri-am'],
      specialty: '甲状腺疾病、甲状腺结节',
      intro: '擅长甲亢、甲减、桥本甲状腺炎的诊治，以及甲状腺结节的评估和随访。孕期甲状腺功能异常的患者也可以找他就诊。',
    },
    {
      name: '袁梦洁', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm'],
      specialty: '骨质疏松、肥胖与代谢综合征',
      intro: '主要诊治骨质疏松和肥胖相关的代谢问题。会根据检查结果给出饮食、运动和用药的具体建议。',
    },
  ]),
  ...clinic('肾内科', [
    {
      name: '梁建平', title: '主任医师', sessions: ['wed-am', 'fri-am'],
      specialty: '慢性肾脏病、肾病综合征、IgA 肾病',
      intro: '长期从事肾脏病的临床工作，擅长各类肾小球疾病的诊断和免疫治疗。对慢性肾脏病患者，注重延缓病情进展和透析前的准备。',
    },
    {
      name: '冯思远', title: '副主任医师', sessions: ['mon-am', 'tue-pm', 'thu-am'],
      specialty: '糖尿病肾病、高血压肾损害',
      intro: '擅长糖尿病和高血压引起的肾脏损害的治疗。体检发现尿蛋白、肌酐升高的患者，可以带上化验单来找他评估。',
    },
    {
      name: '蒋佳琪', title: '主治医师', sessions: ['tue-am', 'wed-pm', 'fri-pm'],
      specialty: '尿路感染、血尿蛋白尿初诊',
      intro: '主要诊治反复尿路感染以及血尿、蛋白尿的初步排查。会解释每项化验的意义，并安排必要的复查。',
    },
  ]),
  ...clinic('肿瘤内科', [
    {
      name: '魏海峰', title: '主任医师', special: true, sessions: ['tue-am', 'thu-am'],
      specialty: '肺癌、消化道肿瘤的综合治疗',
      intro: '从事肿瘤内科工作二十多年，擅长肺癌和胃肠道肿瘤的化疗、靶向及免疫治疗。会根据基因检测结果为患者制定个体化的方案。',
    },
    {
      name: '田雨桐', title: '副主任医师', sessions: ['mon-am', 'wed-am', 'fri-pm'],
      specialty: '乳腺癌、妇科肿瘤内科治疗',
      intro: '擅长乳腺癌和妇科肿瘤的药物治疗及不良反应处理。重视治疗期间的营养和心理支持。',
    },
    {
      name: '宋一鸣', title: '主治医师', sessions: ['mon-pm', 'wed-pm', 'thu-pm'],
      specialty: '肿瘤随访、癌痛管理',
      intro: '主要负责肿瘤患者治疗后的复查随访和癌痛的规范治疗。复查时请带上既往的病理报告和影像片子。',
    },
  ]),

  ...clinic('普通外科', [
    {
      name: '何振东', title: '主任医师', sessions: ['mon-am', 'thu-am'],
      specialty: '胆囊结石、胆道疾病、腹腔镜微创手术',
      intro: '从事普通外科临床工作近三十年，擅长胆囊结石、胆管结石的腹腔镜微创手术。术前会和患者及家属充分沟通手术方式和风险。',
    },
    {
      name: '高志强', title: '副主任医师', sessions: ['tue-am', 'wed-pm', 'fri-am'],
      specialty: '甲状腺结节、疝气、胃肠道肿瘤手术',
      intro: '擅长甲状腺手术、腹股沟疝修补和胃肠道肿瘤的根治手术。对是否需要手术拿不准的患者，会给出客观的建议。',
    },
    {
      name: '谢俊杰', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm', 'fri-ev'],
      specialty: '体表肿物、阑尾炎、伤口处理',
      intro: '主要诊治皮下脂肪瘤、皮脂腺囊肿等体表肿物和急慢性阑尾炎。也处理术后伤口换药和拆线等问题。',
    },
    {
      name: '潘浩然', title: '住院医师', sessions: ['tue-pm', 'thu-am', 'sat-am', 'sun-am', 'wed-ev'],
      specialty: '外科常见病初诊、术后复查',
      intro: '在上级医师指导下诊治外科常见病，并负责术后患者的复查和换药。夜间和周末也出诊。',
    },
  ]),
  ...clinic('骨科', [
    {
      name: '沈卫东', title: '主任医师', special: true, sessions: ['wed-am', 'fri-am'],
      specialty: '髋膝关节置换、关节周围骨折',
      intro: '从事骨科临床工作三十余年，擅长髋关节、膝关节的置换手术和关节周围复杂骨折的治疗。重视术后康复指导，帮助老年患者尽早下地行走。',
    },
    {
      name: '丁国强', title: '副主任医师', sessions: ['mon-am', 'tue-pm', 'thu-am'],
      specialty: '腰椎间盘突出、颈椎病、脊柱微创',
      intro: '擅长腰椎间盘突出症和颈椎病的保守治疗与微创手术。会先评估能否不开刀解决问题，再讨论是否需要手术。',
    },
    {
      name: '任晓峰', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'fri-pm', 'sat-am'],
      specialty: '运动损伤、半月板和韧带损伤',
      intro: '主要诊治运动导致的膝关节、踝关节损伤，开展关节镜下半月板和韧带修复。也为运动爱好者提供康复训练建议。',
    },
  ]),
  ...clinic('泌尿外科', [
    {
      name: '马永刚', title: '主任医师', sessions: ['tue-am', 'thu-am'],
      specialty: '泌尿系肿瘤、腹腔镜肾脏手术',
      intro: '长期从事泌尿外科工作，擅长肾脏、膀胱和前列腺肿瘤的微创手术治疗。对复杂病例会组织多学科讨论后再定方案。',
    },
    {
      name: '姚家豪', title: '副主任医师', sessions: ['mon-am', 'wed-pm', 'fri-am'],
      specialty: '泌尿系结石、输尿管镜碎石',
      intro: '擅长肾结石、输尿管结石的体外碎石和输尿管镜、经皮肾镜碎石手术。也会为反复长结石的患者分析原因、给出饮食建议。',
    },
    {
      name: '卢晨阳', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm'],
      specialty: '前列腺增生、泌尿系感染',
      intro: '主要诊治前列腺增生引起的尿频尿急、夜尿增多，以及泌尿系感染。就诊前建议适当饮水，方便留取尿液标本。',
    },
  ]),
  ...clinic('神经外科', [
    {
      name: '崔明哲', title: '主任医师', sessions: ['mon-am', 'thu-am'],
      specialty: '脑肿瘤、颅底外科',
      intro: '从事神经外科工作二十余年，擅长脑膜瘤、垂体瘤等颅内肿瘤的显微手术。术后长期随访患者的恢复情况。',
    },
    {
      name: '汪立新', title: '副主任医师', sessions: ['tue-am', 'wed-pm', 'fri-am'],
      specialty: '脑出血、颅脑外伤、脑积水',
      intro: '擅长高血压脑出血和颅脑外伤的手术治疗及术后管理。对脑外伤后头痛、头晕的患者，会安排必要的影像复查。',
    },
    {
      name: '范思成', title: '主治医师', sessions: ['mon-pm', 'wed-am', 'thu-pm'],
      specialty: '脊髓疾病、三叉神经痛',
      intro: '主要诊治椎管内病变和三叉神经痛、面肌痉挛等功能性疾病。请携带近期的头颅或脊柱磁共振片子就诊。',
    },
  ]),
  ...clinic('乳腺外科', [
    {
      name: '金丽娟', title: '主任医师', sessions: ['tue-am', 'fri-am'],
      specialty: '乳腺癌手术及综合治疗、保乳手术',
      intro: '专注乳腺疾病诊治二十余年，擅长乳腺癌的规范手术和保乳、乳房重建手术。对每位患者都会结合病理结果制定后续治疗方案。',
    },
    {
      name: '石佳慧', title: '副主任医师', sessions: ['mon-am', 'wed-am', 'thu-pm'],
      specialty: '乳腺结节、乳腺微创旋切',
      intro: '擅长乳腺结节的超声评估和微创旋切手术。对体检发现乳腺结节而焦虑的患者，会耐心解释分级和随访方法。',
    },
    {
      name: '廖静怡', title: '主治医师', sessions: ['tue-pm', 'thu-am', 'sat-am'],
      specialty: '乳腺增生、哺乳期乳腺炎',
      intro: '主要诊治乳腺增生、乳房疼痛和哺乳期乳腺炎。哺乳期妈妈就诊时可以询问能否继续哺乳等问题。',
    },
  ]),
];
