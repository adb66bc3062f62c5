"""zhtext.py — Chinese investment / project-signing / industrial-park news text
built from word lists, for the fixture sites (sitegen.py). Everything is drawn
from a random.Random the caller seeds, so the same seed gives the same text.
Every string here is GBK-encodable (the GBK host needs it): no ©, ›, », •.
Python 3 standard library only."""

import random
import re

# (city, ICP province abbreviation, districts, parks, phone area code)
CITIES = [
    ("济南", "鲁", ["历下区", "市中区", "槐荫区", "天桥区", "历城区", "长清区", "章丘区", "济阳区",
                   "莱芜区", "钢城区", "平阴县", "商河县"],
     ["济南高新区", "济南新旧动能转换起步区", "明水经济技术开发区", "济南临空经济区"], "0531"),
    ("天津", "津", ["河东区", "河西区", "南开区", "红桥区", "东丽区", "西青区", "津南区", "北辰区",
                   "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区"],
     ["天津经济技术开发区", "天津港保税区", "中新天津生态城", "京津合作示范区", "西青经济技术开发区",
      "武清开发区"], "022"),
    ("苏州", "苏", ["姑苏区", "吴中区", "相城区", "吴江区", "虎丘区", "常熟市", "张家港市", "昆山市",
                   "太仓市"],
     ["苏州工业园区", "苏州高新区", "昆山经济技术开发区", "相城经济技术开发区"], "0512"),
    ("合肥", "皖", ["蜀山区", "包河区", "庐阳区", "瑶海区", "肥西县", "肥东县", "长丰县", "庐江县"],
     ["合肥高新区", "合肥经济技术开发区", "合肥新站高新区", "巢湖经济开发区"], "0551"),
    ("成都", "川", ["锦江区", "青羊区", "金牛区", "武侯区", "成华区", "龙泉驿区", "新都区", "温江区",
                   "双流区", "郫都区"],
     ["成都高新区", "四川天府新区", "成都经济技术开发区", "成都东部新区"], "028"),
    ("郑州", "豫", ["中原区", "二七区", "金水区", "惠济区", "管城回族区", "中牟县", "新郑市", "荥阳市"],
     ["郑州航空港经济综合实验区", "郑东新区", "郑州经济技术开发区"], "0371"),
    ("青岛", "鲁", ["市南区", "市北区", "黄岛区", "崂山区", "李沧区", "城阳区", "即墨区", "胶州市",
                   "平度市"],
     ["青岛西海岸新区", "青岛高新区", "胶州湾经济技术开发区"], "0532"),
    ("武汉", "鄂", ["江岸区", "江汉区", "洪山区", "东西湖区", "汉南区", "蔡甸区", "江夏区", "黄陂区",
                   "新洲区"],
     ["东湖高新区", "武汉经济技术开发区", "长江新区"], "027"),
    ("无锡", "苏", ["梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "江阴市", "宜兴市"],
     ["无锡高新区", "锡山经济技术开发区", "宜兴环保科技工业园"], "0510"),
    ("佛山", "粤", ["禅城区", "南海区", "顺德区", "三水区", "高明区"],
     ["佛山高新区", "顺德高新区", "三龙湾高端创新集聚区"], "0757"),
    ("宁波", "浙", ["海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区", "余姚市", "慈溪市"],
     ["宁波杭州湾新区", "宁波经济技术开发区", "宁波高新区"], "0574"),
    ("常州", "苏", ["天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市"],
     ["常州国家高新区", "武进国家高新区", "常州经济开发区"], "0519"),
]

REGIONS = ["长三角", "珠三角", "京津冀", "粤港澳大湾区", "成渝地区", "山东半岛", "中原地区", "长江中游"]

INDUSTRIES = [
    "新能源汽车", "集成电路", "生物医药", "高端装备制造", "新材料", "数字经济", "医养健康", "智能制造",
    "现代物流", "文化旅游", "光伏", "新型储能", "氢能", "工业互联网", "人工智能", "节能环保",
    "精细化工", "食品加工", "纺织服装", "航空航天", "轨道交通装备", "电子信息", "软件和信息服务",
    "大数据", "科创金融", "商务会展", "低空经济", "绿色建材", "智能家居", "医疗器械", "冷链物流",
    "跨境电商", "汽车零部件", "锂电池", "半导体材料", "机器人", "精密模具", "农产品深加工",
]

CHAINS = ["新能源汽车", "集成电路", "生物医药", "新型储能", "氢能", "智能装备", "新材料", "光伏",
          "电子信息", "高端医疗器械", "工业母机", "绿色食品", "汽车零部件", "空天信息"]

PRODUCTS = [
    "动力电池模组", "汽车电子控制系统", "高端轴承", "光伏组件", "储能变流器", "半导体封装测试",
    "生物制剂", "医用耗材", "碳纤维复合材料", "工业机器人减速器", "智能网联终端", "数控机床",
    "高性能铝合金型材", "氢燃料电池电堆", "新型显示面板", "服务器整机", "预制菜", "功能性薄膜",
    "风电齿轮箱", "精密注塑件", "液冷储能柜", "激光雷达", "特种电缆", "环保涂料", "医药中间体",
]

CO_BRAND = ["华鑫", "恒瑞", "中科", "天元", "博远", "瑞丰", "金泰", "宏达", "联创", "鼎盛", "正泰",
            "海纳", "德润", "汇川", "启明", "远景", "同创", "东方", "盛世", "长盈", "凯盛", "九州",
            "国泰", "新天", "华锐", "领航", "众诚", "昊天", "嘉禾", "弘毅", "万合", "中晟", "力拓",
            "晶澳", "天合", "星辰", "佳航", "睿智", "润华", "明阳"]
CO_TRADE = ["新能源", "智能装备", "生物医药", "半导体", "新材料", "精密制造", "数字科技", "环保科技",
            "电子科技", "汽车部件", "物流", "医疗科技", "储能科技", "光电", "信息技术", "食品",
            "化工", "机器人", "投资控股", "产业发展"]
CO_SUFFIX = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司", "集团股份有限公司"]

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕"
                "苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾"
                "侯邵孟龙万段")
GIVEN = ["建国", "明", "强", "伟", "军", "海涛", "磊", "斌", "华", "平", "勇", "鹏飞", "刚", "杰",
         "洪波", "志刚", "文斌", "宏", "长奎", "常建", "立新", "晓东", "卫东", "红梅", "丽", "静",
         "国庆", "永刚", "振华", "春雷", "学军", "凤英", "德胜", "子涵", "雪峰", "俊", "宁", "玉洁",
         "庆丰", "继承"]

LEADER_TITLES = ["区委书记", "区长", "区委副书记、区长", "县委书记", "县长", "市委常委、区委书记",
                 "管委会主任", "党工委书记", "副区长", "区投资促进局局长", "市投资促进局局长",
                 "市委副书记、市长", "副市长", "党工委副书记、管委会主任"]

EDITORS = ["编辑部", "小智", "招商君", "园区君", "产业观察", "本站编辑", "李编辑", "admin"]
SOURCES = ["济南日报", "天津日报", "新黄河", "大众日报", "新华网", "人民网", "中国经济网",
           "区投资促进局", "区融媒体中心", "市商务局", "经济日报", "证券时报", "澎湃新闻",
           "长江日报", "苏州日报", "合肥晚报", "封面新闻", "大河报"]

ROADS = ["经十路", "工业北路", "科创大道", "高新路", "滨河大道", "开发区大道", "创新路", "兴业路",
         "长江路", "黄河大道", "临港路", "物流大道", "发展大道", "振兴路", "文昌路"]
DIRS = ["东", "南", "西", "北", "东南", "西北"]
LAND_USE = ["工业用地", "仓储用地", "商务金融用地", "研发用地", "新型产业用地（M0）", "物流仓储用地"]
SEASONS = ["春季", "一季度", "二季度", "三季度", "秋季", "冬季", "上半年", "四季度"]
CN_NUM = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

VERBS1 = ["冲", "动", "跑", "干", "拼", "抢", "比", "实", "快", "稳"]
HEAD_PHRASES = [
    "开局就是决战，起步就是冲刺", "党政“一把手”带队外出招商", "集中签约跑出项目招引“加速度”",
    "集中开工，掀起项目建设热潮", "优化营商环境，服务保障再升级", "延链补链强链，产业集群加速成势",
    "精准招商，引来“金凤凰”", "要素保障到位，项目落地按下“快进键”", "以商招商，产业生态持续完善",
    "园区提质，承载能力全面增强", "链主带动，上下游企业加速集聚", "专班推进，重点项目跑出加速度",
    "政策赋能，企业发展吃下“定心丸”", "项目为王，抓项目就是抓发展", "走出去引进来，合作共赢谋发展",
    "招大引强，重大项目接连落地", "数字赋能，产业转型升级提速", "土地保障，重点地块集中推介",
    "厂房先行，“拎包入住”降低成本", "一线调研，现场解决企业难题",
]
QUOTE_A = ["项目投资、项目建设是推动经济社会发展的重要载体", "招商引资是发展的生命线",
           "营商环境就是生产力", "产业是立区之本，项目是强区之基", "抓项目就是抓发展，谋项目就是谋未来",
           "企业的需求就是我们的工作方向", "园区是产业发展的主阵地", "每一个项目都是发展的希望"]
QUOTE_B = ["我们要以开局就是决战、起步就是冲刺的干劲，奋力开创高质量发展新局面",
           "全区上下要牢固树立“项目为王”理念，全力以赴抓招商、上项目、促投资",
           "我们将拿出最优的政策、最好的服务，让企业安心发展、放心投资",
           "要坚持“一个项目、一名领导、一个专班”，确保签约项目早落地、早投产",
           "发展没有旁观者，每个人都是主人翁",
           "要把服务企业的“店小二”精神贯穿项目建设全过程",
           "要紧盯产业链关键环节，招引一批补链延链强链的好项目"]

# Sentence templates. {field} is filled by TextGen._field (fields computed on demand).
S_SIGNING = [
    "{md}，{district}举行{year}年{season}重点项目集中签约仪式，现场签约{nproj}个项目，总投资{amt}亿元，涵盖{ind}、{ind2}、{ind3}等领域。",
    "本次集中签约的项目共计{nproj}个，总投资{amt}亿元，项目引领性和成长性强，符合{district}产业发展方向，将有力推动当地绿色低碳高质量发展。",
    "签约仪式上，{company}、{company2}等{nsmall}家企业代表依次上台，与{district}签订投资合作协议。",
    "其中，{company}拟投资{amts}亿元建设{product}项目，达产后预计年产值{amts2}亿元，年纳税{tax}亿元。",
    "此次签约项目中，亿元以上项目{nsmall}个，十亿元以上项目{ntiny}个，产业类项目占比超过{pctbig}%。",
    "{md}，{park}举行“{phrase4}”招商引资推介暨重点项目签约仪式，{nproj}个项目现场签约落户，总金额达{amt}亿元。",
    "{district}也明确了全年“力争新签约项目{nmid}个以上、签约额{nbig}亿元以上”的招商引资目标。",
    "活动现场，{district}分别与{company}、{company2}签署战略合作协议，双方将在{ind}、{ind2}等领域开展深度合作。",
    "据介绍，本次签约项目涉及{ind}、{ind2}、{ind3}等重点产业链，其中外资项目{ntiny}个，合同外资{amts}亿美元。",
]
S_TRIP = [
    "{md}至{md2}，{leader}率领党政代表团赴{region}进行考察招商，先后走访{company}、{company2}等{nsmall}家企业。",
    "历时{ntiny}天，从{city2}到{city3}，{leader_short}一行紧紧围绕{ind}、{ind2}等主导产业链条开展考察，并与{ntiny}家企业签署合作协议。",
    "在{city2}期间，考察团与{company}负责人深入座谈，就{product}项目落地{district}的用地、用能、人才等事项进行了深入对接。",
    "同样“走出去”招商的还有{district2}和{district3}的党政代表团。",
    "{leader}带队奔赴{city2}、{city3}开展招商工作，精准对接一批优质项目，实地推进项目的同时，与相关企业签订战略合作协议。",
    "记者梳理发现，各区县这次“走出去”的时间有限更重效率，紧凑的行程、密集的拜访、精准的对接，招商方向更加明确。",
    "考察期间，{district}还在{city2}举办了专场招商推介会，吸引{nmid}余家企业和商协会代表参会。",
]
S_START = [
    "{md}上午，{district}{year}年{season}重点项目集中开工仪式在{park}举行。此次开工共计{nproj}个项目，总投资{amt}亿元，涉及{ind}、{ind2}、{ind3}等多个领域。",
    "该区{year}年共安排重点项目{nbig}项，计划总投资{amtbig}亿元，年度计划投资{amt}亿元。",
    "开工现场，挖掘机、运输车来回穿梭，施工人员各司其职，处处呈现出一派繁忙景象。",
    "该项目由{company}投资建设，总投资{amts}亿元，规划用地约{mu}亩，主要建设{product}生产线及配套设施。",
    "项目建成投产后，预计可实现年销售收入{amts2}亿元，新增就业岗位{njobs}个。",
    "为保障项目顺利推进，{district}实行“一个项目、一名领导、一个专班”推进机制，从签约到开工仅用时{ndays}天。",
    "目前，{company}二期厂房主体结构已封顶，预计{month}月份设备进场调试。",
]
S_PARK = [
    "据了解，{park}规划面积{km2}平方公里，重点发展{ind}、{ind2}两大主导产业，已累计引进项目{nbig}个。",
    "近年来，{park}坚持“链长制”工作机制，围绕{chain}产业链绘制招商图谱，实施精准招商。",
    "园区现有规模以上工业企业{nbig}家，其中国家级专精特新“小巨人”企业{nsmall}家，高新技术企业{nmid}家。",
    "{park}内{nsmall}栋高标准厂房已经建成，单层面积{m2}平方米，层高{height}米，承重{load}吨/平方米，可满足多数制造企业“拎包入住”需求。",
    "园区配套{kva}KVA变电站、污水处理厂及人才公寓，水、电、气、暖等基础设施全部到位。",
    "{year}年前{month}个月，{park}完成规上工业总产值{amtbig}亿元，同比增长{pct}%。",
    "下一步，{park}将持续完善园区功能配套，推动{ind}产业集群向千亿级迈进。",
]
S_LAND = [
    "本次推出的地块位于{district}{road}以{dir}，土地面积约{m2}平方米，容积率不大于{far}，土地用途为{landuse}。",
    "会上，公布了{city}今年首批拟招商的{nmid}宗地块情况，推出地块总计土地面积共约{ha}公顷，可实现规划建筑面积约{wanm2}万平方米。",
    "此次推介会将{district}、{district2}等片区{nmid}宗、总面积约{ha}公顷的热门地块向企业作了集中推介。",
    "据悉，该地块挂牌起始价{wan}万元，竞买保证金{wan2}万元，出让年限为{landyears}年。",
    "企业可通过{city}土地招商服务平台查询地块详细信息，并在线提交意向申请。",
    "为提高土地利用效率，{district}推行“标准地”出让，企业拿地即可开工。",
]
S_POLICY = [
    "会上，{district}为{company}、{company2}等{nsmall}家企业颁发{year}年度招商引资政策兑现奖励，“真金白银”兑现招商惠企承诺。",
    "{city}近日出台《关于支持{ind}产业高质量发展的若干措施》，从用地保障、资金扶持、人才引进等方面提出{nsmall}条具体措施。",
    "对新引进的重大产业项目，按照实际投资额给予最高{wan}万元的奖励。",
    "{district}设立总规模{amts}亿元的产业引导基金，重点支持{ind}和{ind2}领域的初创企业。",
    "围绕企业关心的审批、融资、用工等问题，{district}推出“拿地即开工”“一窗受理”等{nsmall}项改革举措。",
]
S_STATS = [
    "今年以来，{city}坚持把招商引资作为“一号工程”，围绕{chain}产业链开展精准招商，累计签约项目{nbig}个，协议总投资{amtbig}亿元，同比增长{pct}%。",
    "{year}年一季度，{district}实际使用外资{amts}亿美元，同比增长{pct}%，增速居全市前列。",
    "数据显示，{year}年前{month}个月，{city}新签约亿元以上项目{nbig}个，其中{amtround}亿元以上项目{nmid}个。",
    "全年力争新签约项目{nmid}个以上、签约额{nbig}亿元以上、实际使用外资增长{pctsmall}%以上。",
]
S_CLOSE = [
    "下一步，{district}将持续优化营商环境，强化要素保障，推动签约项目早落地、早开工、早投产、早见效。",
    "随着一批重点项目加快落地，{district}产业发展后劲持续增强，为全市经济高质量发展注入强劲动能。",
    "这个{seasonword}的{city}，处处涌动着进取发展的活力与干劲，各区县凝心聚力开启干事创业新征程。",
    "{district}相关负责人表示，将以此次签约为契机，建立项目跟踪服务机制，确保项目签约一个、落地一个、投产一个。",
    "招商引资按下“快进键”，项目建设跑出“加速度”，{city}高质量发展的底气更足、成色更亮。",
    "接下来，{park}将继续瞄准{ind}等重点方向，开展产业链精准招商，力争全年引进亿元以上项目{nmid}个。",
]
S_QUOTE = [
    "“{quote_a}。”{leader}在会上强调，{quote_b}。",
    "“{quote_b}。”在{md}召开的全区工作落实会上，{leader}发出了冲锋的号角。",
    "{leader}表示：“{quote_a}，{quote_b}。”",
    "“选择{district}，看中的是这里完善的产业配套和高效的政务服务。”{company}负责人{person}说。",
    "“从洽谈到签约只用了{ndays}天，{district}的办事效率让我们很有信心。”{company}相关负责人介绍。",
]
S_GENERIC = [
    "项目如何来？招商引资推进会、重点项目集中开工、集中签约、党政“一把手”率队外出招商，全市上下拼经济的干劲和氛围已然拉满。",
    "{district}坚持“项目为王”，建立重点项目台账，对每个项目明确责任领导、责任单位和时间节点。",
    "在服务保障方面，{district}组建{nsmall}个招商专班，实行“周调度、月通报、季观摩”工作机制。",
    "围绕企业关心的用地、用工、融资等问题，相关部门主动上门服务，现场协调解决问题{nmid}个。",
    "{city}持续深化“放管服”改革，企业开办时间压缩至{ntiny}个工作日以内，工程建设项目审批实现“一网通办”。",
    "走出去招商，引进来共赢。除了“走出去”招商，不少区县还把辖区内的优质项目集中起来签约。",
    "业内人士分析认为，{ind}正处于快速发展期，{city}具备较好的产业基础和区位优势。",
    "目前，{district}已形成以{ind}为引领、{ind2}和{ind3}协同发展的产业格局。",
    "与此同时，{district}还积极对接{region}的产业转移需求，承接了一批科技含量高、带动能力强的项目。",
    "为加快项目落地，{district}梳理出可供土地{nmid}宗、闲置厂房{nsmall}处，建立“地等项目”的储备机制。",
    "随着疫情防控政策优化调整，项目建设一线不断“升温”，招商引资按下“快进键”。",
    "{company}是一家专注于{product}研发和生产的高新技术企业，产品远销欧美、东南亚等{nmid}多个国家和地区。",
    "据悉，项目总用地约{mu}亩，分两期建设，一期计划于明年年底建成投产。",
    "会议指出，要坚持招商引资“一把手”工程，进一步完善招商引资考核激励机制。",
]
CAPTIONS = ["图为签约现场。", "图为项目开工现场。", "图为园区鸟瞰图。", "图为招商推介会现场。",
            "图为标准厂房外景。", "图为企业生产车间。", "签约仪式现场（摄影：{person}）"]

TOPICS = {
    "signing": (S_SIGNING, S_QUOTE, S_POLICY),
    "trip": (S_TRIP, S_QUOTE, S_SIGNING),
    "start": (S_START, S_PARK, S_QUOTE),
    "park": (S_PARK, S_START, S_STATS),
    "land": (S_LAND, S_POLICY, S_STATS),
    "policy": (S_POLICY, S_STATS, S_QUOTE),
    "stats": (S_STATS, S_SIGNING, S_PARK),
}

TITLES = {
    "signing": ["{district}{year}年{season}重点项目集中签约 总投资{amt}亿元",
                "{nproj}个项目集中签约！{district}招商引资跑出“加速度”",
                "{park}举行重点项目签约仪式 {nproj}个项目落户",
                "总投资{amts}亿元！{company}{product}项目签约落户{district}",
                "{city}{district}招商推介会举行 现场签约{nproj}个项目",
                "{district}“开门红”：{nproj}个项目集中签约 总金额{amt}亿元"],
    "trip": ["{district}党政代表团赴{region}开展招商考察",
             "{city}各区县抢跑“{phrase4}”：党政一把手率队外出招商",
             "{leader_short}率队赴{city2}招商 对接{nsmall}家重点企业",
             "走出去引进来！{district}赴{region}招商签约{ntiny}个项目"],
    "start": ["{district}{season}重点项目集中开工 总投资{amt}亿元",
              "{park}{nproj}个项目集中开工 掀起项目建设热潮",
              "{company}{product}项目在{district}开工建设",
              "{city}{year}年{season}重大项目集中开工 {nproj}个项目总投资{amt}亿元"],
    "park": ["{park}：{chain}产业集群加速成势",
             "{park}{nsmall}栋高标准厂房建成 助力项目“拎包入住”",
             "探访{park}：从一片荒地到{amtround}亿级产业集群",
             "{park}前{month}个月规上工业产值增长{pct}%"],
    "land": ["{city}{district}{nmid}宗地块集中推介 总面积约{ha}公顷",
             "{city}今年首批{nmid}宗地块亮相招商",
             "{district}{landuse}地块挂牌 起始价{wan}万元",
             "城事{city}又一区发布重点推介地块！"],
    "policy": ["{city}出台{nsmall}条措施支持{ind}产业发展",
               "{district}兑现招商引资政策奖励 {nsmall}家企业获奖",
               "{district}设立{amts}亿元产业引导基金",
               "真金白银！{city}重大产业项目最高奖励{wan}万元"],
    "stats": ["{city}招商引资成绩单出炉：签约项目{nbig}个 总投资{amtbig}亿元",
              "{district}{year}年一季度实际使用外资增长{pct}%",
              "{city}前{month}个月新签约亿元以上项目{nbig}个"],
}
PHRASE4 = ["春天里", "开门红", "项目突破年", "招商服务年", "拼经济", "加速度", "新征程", "奋进年"]
SEASONWORD = {1: "春天", 2: "春天", 3: "春天", 4: "春天", 5: "初夏", 6: "夏天", 7: "夏天", 8: "夏天",
              9: "金秋", 10: "金秋", 11: "初冬", 12: "冬天"}


class Story:
    """The facts one article is about; every sentence of it draws on them."""

    def __init__(self, rng, date, city=None, topic=None, district=None):
        self.rng = rng
        self.date = date
        cities = CITIES if city is None else [c for c in CITIES if c[0] == city] or CITIES
        self.city, self.prov, districts, parks, self.area_code = rng.choice(cities)
        self.districts = rng.sample(districts, min(3, len(districts)))
        if district and district in districts:
            self.districts = [district] + [d for d in self.districts if d != district][:2]
        self.park = rng.choice(parks)
        self.topic = topic or rng.choice(list(TOPICS))
        self.industries = rng.sample(INDUSTRIES, 3)
        self.companies = [company(rng) for _ in range(3)]
        self.leader_name = person(rng)
        self.leader_title = rng.choice(LEADER_TITLES)
        self.nproj = rng.randint(6, 48)
        self.amt = "%.2f" % (self.nproj * rng.uniform(2.0, 12.0))
        others = [c[0] for c in CITIES if c[0] != self.city]
        self.cities = rng.sample(others, 2)


def company(rng):
    return rng.choice(CO_BRAND) + rng.choice(CO_TRADE) + rng.choice(CO_SUFFIX)


def person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


class TextGen:
    """Sentences, paragraphs, headings and titles for one Story."""

    FIELD = re.compile(r"\{(\w+)\}")

    STICKY = ("km2", "kva", "height", "load", "tax", "mu")

    def __init__(self, rng, story):
        self.rng = rng
        self.s = story
        self.used = set()     # sentence templates used in this article
        self.sticky = {}      # facts that must not change within one article
        self.fields = self._table()

    def _md(self, back_days=0):
        d = self.s.date.toordinal() - back_days
        import datetime
        d = datetime.date.fromordinal(d)
        return "%d月%d日" % (d.month, d.day)

    def _table(self):
        r, s = self.rng, self.s
        return {
            "city": lambda: s.city, "city2": lambda: s.cities[0], "city3": lambda: s.cities[1],
            "district": lambda: s.districts[0],
            "district2": lambda: s.districts[1 % len(s.districts)],
            "district3": lambda: s.districts[2 % len(s.districts)],
            "park": lambda: s.park, "region": lambda: r.choice(REGIONS),
            "year": lambda: str(s.date.year), "season": lambda: r.choice(SEASONS),
            "seasonword": lambda: SEASONWORD[s.date.month],
            "md": lambda: self._md(r.randint(1, 6)), "md2": lambda: self._md(r.randint(0, 1)),
            "month": lambda: str(max(2, s.date.month)),
            "nproj": lambda: str(s.nproj), "amt": lambda: s.amt,
            "amts": lambda: "%.1f" % r.uniform(1.2, 60), "amts2": lambda: "%.1f" % r.uniform(5, 120),
            "amtbig": lambda: "%.1f" % r.uniform(300, 2500), "amtround": lambda: str(r.choice([10, 50, 100, 500])),
            "tax": lambda: "%.1f" % r.uniform(0.3, 8),
            "ntiny": lambda: str(r.randint(2, 5)), "nsmall": lambda: str(r.randint(3, 15)),
            "nmid": lambda: str(r.randint(12, 80)), "nbig": lambda: str(r.randint(100, 600)),
            "njobs": lambda: str(r.randrange(200, 3000, 50)), "ndays": lambda: str(r.randint(15, 120)),
            "pct": lambda: "%.1f" % r.uniform(5, 45), "pctsmall": lambda: str(r.randint(5, 20)),
            "pctbig": lambda: str(r.randint(60, 90)),
            "ind": lambda: s.industries[0], "ind2": lambda: s.industries[1], "ind3": lambda: s.industries[2],
            "chain": lambda: r.choice(CHAINS), "product": lambda: r.choice(PRODUCTS),
            "company": lambda: s.companies[0], "company2": lambda: s.companies[1],
            "leader": lambda: "%s%s%s" % (s.districts[0], s.leader_title, s.leader_name),
            "leader_short": lambda: "%s%s" % (s.leader_title.split("、")[-1], s.leader_name),
            "person": lambda: person(r),
            "mu": lambda: str(r.randint(30, 900)), "km2": lambda: "%.1f" % r.uniform(3, 120),
            "m2": lambda: str(r.randrange(2000, 90000, 100)), "ha": lambda: "%.1f" % r.uniform(30, 600),
            "wanm2": lambda: str(r.randint(20, 900)), "wan": lambda: str(r.randrange(500, 50000, 100)),
            "wan2": lambda: str(r.randrange(100, 9000, 100)), "landyears": lambda: r.choice(["20", "30", "50"]),
            "height": lambda: r.choice(["6.5", "7.2", "8", "9", "10.5", "12"]),
            "load": lambda: r.choice(["1.5", "2", "3", "5"]), "kva": lambda: str(r.choice([630, 800, 1250, 2000, 3150])),
            "far": lambda: r.choice(["1.0", "1.2", "1.5", "2.0", "2.5", "3.0"]),
            "road": lambda: r.choice(ROADS), "dir": lambda: r.choice(DIRS), "landuse": lambda: r.choice(LAND_USE),
            "quote_a": lambda: r.choice(QUOTE_A), "quote_b": lambda: r.choice(QUOTE_B),
            "phrase4": lambda: r.choice(PHRASE4),
        }

    def _field(self, name):
        f = self.fields.get(name)
        if f is None:
            raise KeyError("zhtext: unknown field {%s}" % name)
        return f()

    def _value(self, name):
        if name in self.STICKY:
            if name not in self.sticky:
                self.sticky[name] = self._field(name)
            return self.sticky[name]
        return self._field(name)

    def fill(self, tmpl):
        return self.FIELD.sub(lambda m: self._value(m.group(1)), tmpl)

    def sentence(self, pool):
        return self.fill(self.rng.choice(pool))

    def _pick(self, pool):
        """A template of pool not used yet in this article (any, once all are)."""
        fresh = [t for t in pool if t not in self.used]
        t = self.rng.choice(fresh or pool)
        self.used.add(t)
        return t

    def paragraph(self, nmin=2, nmax=4):
        """2-4 sentences, mostly on the story's topic; a sentence template is
        used once per article until every pool is exhausted."""
        main, second, third = TOPICS[self.s.topic]
        r = self.rng
        pools, weights = (main, second, third, S_GENERIC), (6, 3, 2, 3)
        out = []
        for _ in range(r.randint(nmin, nmax)):
            live = [(p, w) for p, w in zip(pools, weights) if any(t not in self.used for t in p)]
            if live:
                pool = r.choices([p for p, _ in live], weights=[w for _, w in live])[0]
            else:
                pool = r.choice(pools)
            out.append(self.fill(self._pick(pool)))
        return "".join(out)

    def lead(self):
        main = TOPICS[self.s.topic][0]
        self.used.add(main[0])
        return self.fill(main[0]) + self.paragraph(1, 2)

    def closing(self):
        return self.fill(self._pick(S_CLOSE)) + self.fill(self._pick(S_CLOSE))

    def headings(self, n):
        r = self.rng
        style = r.randrange(4)
        phrases = r.sample(HEAD_PHRASES, n)
        verbs = r.sample(VERBS1, n)
        out = []
        for i in range(n):
            if style == 0:
                out.append("“%s”起来！%s" % (verbs[i], phrases[i]))
            elif style == 1:
                out.append("%s、%s" % (CN_NUM[i], phrases[i]))
            elif style == 2:
                out.append("聚焦%s，%s" % (r.choice(INDUSTRIES), phrases[i].split("，")[-1]))
            else:
                out.append(phrases[i])
        return out

    def title(self):
        return self.fill(self.rng.choice(TITLES[self.s.topic]))

    def caption(self):
        return self.fill(self.rng.choice(CAPTIONS))

    def body(self, nsections=None, per_section=(1, 3)):
        """A list of (kind, text), kind 'p' paragraph, 'h' bold section heading,
        'img' picture (text = caption or '')."""
        r = self.rng
        n = r.randint(2, 4) if nsections is None else nsections
        out = [("p", self.lead())]
        for h in self.headings(n):
            out.append(("h", h))
            for _ in range(r.randint(*per_section)):
                out.append(("p", self.paragraph()))
            if r.random() < 0.25:
                out.append(("img", self.caption() if r.random() < 0.7 else ""))
        out.append(("p", self.closing()))
        return out


def article_text(rng, date, city=None, topic=None, nsections=None, per_section=(1, 3), district=None):
    """(title, body, story) for one article."""
    st = Story(rng, date, city, topic, district)
    tg = TextGen(rng, st)
    return tg.title(), tg.body(nsections, per_section), st


if __name__ == "__main__":
    import datetime
    rng = random.Random(1)
    t, b, _ = article_text(rng, datetime.date(2024, 2, 3), "济南")
    print(t)
    for k, x in b:
        print(k, x)
