"""Realistic synthetic people and firms for Keqiao: Chinese names, valid ID numbers from Zhejiang and from the
provinces migrant workers come from, phones, bank cards, skewed union sizes. Pure functions of a
``random.Random``: the same seed gives the same data."""

import datetime as dt
import math
import random
from decimal import Decimal

from union_portal.identity import make_id_number

# The most common surnames, roughly by frequency (weights in ‰ of the population, rounded).
SURNAMES = (
    ("王", 72),
    ("李", 72),
    ("张", 68),
    ("刘", 54),
    ("陈", 46),
    ("杨", 31),
    ("黄", 23),
    ("赵", 20),
    ("吴", 20),
    ("周", 19),
    ("徐", 14),
    ("孙", 12),
    ("马", 12),
    ("朱", 11),
    ("胡", 10),
    ("郭", 10),
    ("何", 9),
    ("高", 9),
    ("林", 9),
    ("罗", 8),
    ("郑", 8),
    ("梁", 7),
    ("谢", 6),
    ("宋", 6),
    ("唐", 6),
    ("许", 5),
    ("韩", 5),
    ("冯", 5),
    ("邓", 5),
    ("曹", 5),
    ("彭", 4),
    ("曾", 4),
    ("肖", 4),
    ("田", 4),
    ("董", 4),
    ("袁", 4),
    ("潘", 4),
    ("于", 3),
    ("蒋", 3),
    ("蔡", 3),
    ("余", 3),
    ("杜", 3),
    ("叶", 3),
    ("程", 3),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 2),
    ("卢", 2),
    ("姜", 2),
    ("崔", 2),
    ("钟", 2),
    ("谭", 2),
    ("陆", 2),
    ("汪", 2),
    ("范", 2),
    ("金", 2),
    ("石", 2),
    ("廖", 2),
    ("贾", 2),
    ("夏", 2),
    ("韦", 2),
    ("方", 2),
    ("邹", 2),
    ("熊", 2),
    ("孟", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("段", 1),
    ("雷", 1),
    ("侯", 1),
    ("龙", 1),
    ("史", 1),
    ("陶", 1),
    ("黎", 1),
    ("贺", 1),
    ("顾", 1),
    ("毛", 1),
    ("郝", 1),
    ("龚", 1),
    ("邵", 1),
    ("万", 1),
    ("钱", 1),
    ("严", 1),
    ("覃", 1),
    ("武", 1),
    ("戴", 1),
    ("莫", 1),
    ("孔", 1),
    ("欧阳", 1),
    ("诸葛", 1),
    ("司马", 1),
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文斌海峰亮晨东成康永庆德晓春"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧红梅琳莉兰萍颖洁佳倩琴云凤英秀美月丹蓉欣怡悦萱露晶璐嘉婉雯青"
GIVEN_ANY = "小晓子嘉佳思雨文海建新志永春金玉红明丽"

# Region codes (GB/T 2260 counties) with weights. Locals: Shaoxing and nearby Zhejiang. Migrants: the
# provinces that send most workers to Keqiao's textile mills (Anhui, Henan, Guizhou, Sichuan, Jiangxi ...).
REGIONS_LOCAL = (
    ("330603", 40),  # 柯桥区
    ("330621", 15),  # 绍兴县 (Keqiao's code before 2013: older ID cards keep it)
    ("330602", 10),  # 越城区
    ("330604", 6),  # 上虞区
    ("330681", 8),  # 诸暨市
    ("330683", 4),  # 嵊州市
    ("330624", 3),  # 新昌县
    ("330109", 3),  # 杭州萧山区
    ("330206", 2),  # 宁波北仑区
    ("330302", 2),  # 温州鹿城区
    ("330781", 2),  # 兰溪市
    ("331021", 2),  # 玉环市
    ("330825", 2),  # 龙游县
    ("331127", 1),  # 景宁县
)
REGIONS_MIGRANT = (
    ("341221", 10),  # 安徽临泉
    ("340321", 6),  # 安徽怀远
    ("341623", 5),  # 安徽利辛
    ("342425", 4),  # 安徽舒城
    ("411381", 6),  # 河南邓州
    ("412722", 5),  # 河南西华
    ("411525", 4),  # 河南固始
    ("522422", 7),  # 贵州大方
    ("520221", 5),  # 贵州水城
    ("522627", 3),  # 贵州天柱
    ("511321", 6),  # 四川南部
    ("510922", 4),  # 四川射洪
    ("513721", 3),  # 四川通江
    ("362422", 4),  # 江西吉水
    ("360124", 3),  # 江西进贤
    ("421127", 3),  # 湖北黄梅
    ("430524", 3),  # 湖南隆回
    ("532128", 3),  # 云南镇雄
    ("500228", 3),  # 重庆梁平
    ("621121", 2),  # 甘肃通渭
    ("330825", 3),  # 浙江龙游 (rural Zhejiang)
    ("331127", 2),  # 浙江景宁
)

JOBS_FRONTLINE = (
    ("挡车工", 20),
    ("印染工", 12),
    ("操作工", 14),
    ("机修工", 6),
    ("质检员", 5),
    ("整经工", 4),
    ("验布工", 5),
    ("缝纫工", 6),
    ("定型工", 3),
    ("电工", 3),
    ("仓管员", 3),
    ("叉车司机", 2),
    ("装卸工", 3),
    ("钢筋工", 2),
    ("木工", 1),
    ("保洁员", 2),
)
JOBS_OFFICE = (
    ("文员", 5),
    ("会计", 3),
    ("出纳", 1),
    ("技术员", 4),
    ("工程师", 2),
    ("设计师", 2),
    ("销售", 4),
    ("采购", 1),
    ("人事专员", 1),
    ("车间主任", 2),
    ("班组长", 3),
)
HEAD_JOBS = ("总经理", "董事长", "厂长")
TECHNICAL_JOBS = frozenset({"技术员", "工程师", "设计师", "机修工", "电工"})
BANKS = (
    ("中国农业银行", "6228"),
    ("中国工商银行", "6222"),
    ("中国建设银行", "6217"),
    ("中国银行", "6216"),
    ("浙江绍兴瑞丰农村商业银行", "6224"),
    ("绍兴银行", "6223"),
)

# Industries of Keqiao's firms (textiles above all), with weights.
INDUSTRIES = (
    ("纺织", 22),
    ("印染", 14),
    ("化纤", 6),
    ("服装", 8),
    ("家纺", 6),
    ("机械", 7),
    ("新材料", 4),
    ("建筑", 6),
    ("商贸", 8),
    ("物流", 5),
    ("食品", 3),
    ("黄酒", 1),
    ("电子", 3),
    ("医药", 2),
    ("旅游", 2),
    ("能源", 1),
    ("信息技术", 2),
)
BRAND_CHARS = "恒永华宇富通达新兴盛鑫源隆丰泰远宏天海金利荣昌祥瑞联创佳航明德正汇嘉润"
FIRM_PLACES = ("绍兴", "浙江", "绍兴柯桥", "柯桥")
WORKSHOPS = ("织造一车间", "织造二车间", "印染车间", "定型车间", "后整理车间", "仓储物流部", "机修班", "质检部",
             "缝制车间", "销售部", "行政部", "设备部")  # fmt: skip


def weighted(rng: random.Random, table):
    """One value from ((value, weight), ...)."""
    values = [value for value, _w in table]
    weights = [w for _v, w in table]
    return rng.choices(values, weights)[0]


class Chooser:
    """Fast repeated weighted choice from a fixed table (cumulative weights computed once)."""

    def __init__(self, table):
        import itertools

        self.values = [value for value, _w in table]
        self.cum = list(itertools.accumulate(w for _v, w in table))

    def __call__(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum)[0]


SURNAME = Chooser(SURNAMES)
REGION_LOCAL = Chooser(REGIONS_LOCAL)
REGION_MIGRANT = Chooser(REGIONS_MIGRANT)
JOB_FRONTLINE = Chooser(JOBS_FRONTLINE)
JOB_OFFICE = Chooser(JOBS_OFFICE)
INDUSTRY = Chooser(INDUSTRIES)


def chinese_name(rng: random.Random, sex: str) -> str:
    given = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
    surname = SURNAME(rng)
    if rng.random() < 0.35:  # a one-character given name: 王伟, 李娜
        return surname + rng.choice(given)
    first = rng.choice(GIVEN_ANY) if rng.random() < 0.3 else rng.choice(given)
    return surname + first + rng.choice(given)


def birth_date(rng: random.Random, *, today: dt.date, retired: bool = False) -> dt.date:
    """A working-age birth date: ages 18-60, most between 25 and 50; retired members are 60-75."""
    if retired:
        age = rng.uniform(60, 75)
    else:
        age = rng.gauss(38, 10)
        while not 18 <= age < 60:  # redraw, never clip: clipping would pile thousands on one birth date
            age = rng.gauss(38, 10)
    return today - dt.timedelta(days=int(age * 365.25))


class IdNumbers:
    """Valid, distinct resident ID numbers (GB 11643). The sequence digits are drawn at random and redrawn on
    the rare collision; an odd 17th digit is a man."""

    def __init__(self, rng: random.Random, *, slots: range = range(0, 500)):
        self.rng = rng
        self.seen: set[str] = set()
        self.slots = slots  # sequence digits // 2 drawn from (disjoint slots: generators that never collide)

    def make(self, *, region: str, birth: dt.date, sex: str) -> str:
        for _ in range(200):
            seq = self.rng.randrange(self.slots.start, self.slots.stop) * 2 + (1 if sex == "M" else 0)
            number = make_id_number(region, birth, seq)
            if number not in self.seen:
                self.seen.add(number)
                return number
            if _ > 20:  # the day is crowded for this county: try the next day
                birth += dt.timedelta(days=1)
        raise RuntimeError(f"no free ID number near {region} {birth}")


def mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17", "19", "13", "15", "18")) + f"{rng.randrange(10**9):09d}"


def bank_card(rng: random.Random) -> tuple[str, str]:
    name, prefix = rng.choice(BANKS)
    return name, prefix + f"{rng.randrange(10**15):015d}"


def monthly_wage(rng: random.Random, *, office: bool) -> Decimal:
    base = rng.lognormvariate(math.log(7800 if office else 6200), 0.3)
    return Decimal(int(max(2490, base)))  # not below Zhejiang's 2024 minimum wage (class 1 area)


def firm_name(rng: random.Random, industry: str) -> str:
    brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
    return f"{rng.choice(FIRM_PLACES)}{brand}{industry}有限公司"


def union_sizes(rng: random.Random, *, unions: int, members: int, biggest: int = 9000) -> list[int]:
    """Member counts of ``unions`` grassroots unions that add up to ``members``: lognormal (a few unions of
    thousands, many of tens), at least 3 members each, none above ``biggest`` (unless there is no room)."""
    if unions <= 0:
        return []
    if members < 3 * unions or members > biggest * unions:  # tiny or huge runs: spread evenly
        return [members // unions + (1 if i < members % unions else 0) for i in range(unions)]
    raw = [rng.lognormvariate(math.log(90), 1.5) for _ in range(unions)]

    def total(scale: float) -> float:
        return sum(min(biggest, 3 + scale * w) for w in raw)

    low, high = 0.0, float(members)
    while total(high) < members:
        high *= 2
    for _ in range(60):  # bisect the scale at which the clipped sizes add up to ``members``
        mid = (low + high) / 2
        low, high = (mid, high) if total(mid) < members else (low, mid)
    sizes = [min(biggest, int(3 + high * w)) for w in raw]
    shortfall = members - sum(sizes)
    for idx in sorted(range(unions), key=lambda i: -raw[i]):  # hand out the rounding remainder
        if shortfall <= 0:
            break
        if sizes[idx] < biggest:
            sizes[idx] += 1
            shortfall -= 1
    while shortfall < 0:  # the bisection overshot by rounding: take back from the largest
        idx = max(range(unions), key=lambda i: sizes[i])
        sizes[idx] -= 1
        shortfall += 1
    return sizes
