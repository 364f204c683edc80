"""Invented holdings of the Tang West Market Museum, modelled on its real collection (Shang to Qing).

`extra` carries two rendering hints for the sandbox, not published as data: `aat_spelling`
("http", "https" or "curie": how AAT URIs are written) and `type_term` (a finer object type).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hub.sandbox.store import SampleObject


def _holding(
    object_id: str,
    kind: str,
    titles: dict[str, str],
    *,
    period: str,
    years: tuple[int, int],
    material: str,
    dimensions: str,
    updated: str,
    description: str | None = None,
    creators: tuple[str, ...] = (),
    origin: str = "CN",
    grade: str | None = None,
    images: int = 1,
    deleted: bool = False,
    **hints: Any,
) -> SampleObject:
    return SampleObject(
        id=object_id,
        kind=kind,
        titles=titles,
        descriptions={"en": description} if description else {},
        creators=list(creators),
        period=period,
        year_from=years[0],
        year_to=years[1],
        material=material,
        dimensions=dimensions,
        grade=grade,
        origin_country=origin,
        images=[f"{object_id}-{side}.jpg" for side in ("front", "back")[:images]],
        extra=dict(hints),
        updated_at=datetime.fromisoformat(updated).replace(tzinfo=UTC),
        deleted=deleted,
    )


# fmt: off
TWMM_SAMPLE_OBJECTS: list[SampleObject] = [
    _holding(
        "TWMM-2009-0001", "COIN",
        {"zh": "开元通宝铜钱", "en": "Kaiyuan tongbao coin", "fr": "Pièce Kaiyuan tongbao"},
        period="Tang", years=(621, 907), material="bronze", dimensions="D 2.5 cm, 4.1 g",
        updated="2023-03-02T09:15:00", creators=("Tang imperial mint",), grade="3",
        description="Cast bronze cash coin with a square hole; the standard coin of the Tang from 621.",
    ),
    _holding(
        "TWMM-2009-0002", "CERAMIC",
        {"zh": "唐三彩马", "en": "Sancai glazed horse", "ru": "Лошадь с глазурью саньцай"},
        period="Tang", years=(700, 750), material="earthenware, sancai glaze", dimensions="H 54 cm, L 50 cm",
        updated="2023-03-02T10:40:00", grade="2", type_term="figurines", aat_spelling="https",
        description="Saddled horse with amber, green and cream lead glazes, from a tomb near Chang'an.",
    ),
    _holding(
        "TWMM-2010-0017", "METALWORK",
        {"zh": "唐錾刻莲瓣纹银碗", "en": "Repoussé silver bowl with lotus petals"},
        period="Tang", years=(701, 800), material="silver", dimensions="D 13.6 cm, H 5.2 cm",
        updated="2023-04-11T08:05:00", grade="1", aat_spelling="curie",
        description="Hammered bowl with two tiers of repoussé lotus petals, chased with fish-roe ground.",
    ),
    _holding(
        "TWMM-2010-0023", "COIN",
        {"zh": "萨珊卑路斯银币", "en": "Drachm of Peroz I", "ar": "درهم بيروز الأول"},
        period="Sasanian", years=(459, 484), material="silver", dimensions="D 2.8 cm, 4 g",
        updated="2023-04-11T08:30:00", origin="IR", creators=("Sasanian royal mint",),
        description="Winged crown on the obverse, fire altar with two attendants on the reverse.",
    ),
    _holding(
        "TWMM-2011-0105", "EPITAPH",
        {"zh": "唐西市商人康府君墓志", "en": "Epitaph of Kang, a merchant of the West Market"},
        period="Tang", years=(735, 735), material="limestone", dimensions="H 58 cm, W 57 cm, Th 10 cm",
        updated="2023-05-20T14:00:00", grade="2", aat_spelling="https",
        description="Square limestone epitaph dated Kaiyuan 23 (735) of a Sogdian-surnamed West Market trader.",
    ),
    _holding(
        "TWMM-2011-0131", "METALWORK",
        {"zh": "唐瑞兽葡萄纹铜镜", "en": "Bronze mirror with lions and grapes",
         "fr": "Miroir en bronze aux lions et aux raisins"},
        period="Tang", years=(650, 720), material="bronze", dimensions="D 16 cm",
        updated="2023-05-20T15:10:00", grade="3", type_term="mirrors",
        description="Cast mirror with a crouching-beast knob, lions and birds among grapevines.",
    ),
    _holding(
        "TWMM-2012-0008", "COIN",
        {"zh": "拜占庭查士丁尼一世金币", "en": "Solidus of Justinian I", "ru": "Солид Юстиниана I"},
        period="Byzantine", years=(527, 565), material="gold", dimensions="D 2.1 cm, 4.4 g",
        updated="2023-06-01T11:00:00", origin="TR", aat_spelling="curie",
        description="Gold solidus struck at Constantinople, pierced for wear as a pendant.",
    ),
    _holding(
        "TWMM-2012-0009", "COIN",
        {"zh": "贵霜迦腻色伽一世铜币", "en": "Copper coin of Kanishka I", "": "ÞAONANOÞAO KANHÞKI KOÞANO"},
        period="Kushan", years=(127, 150), material="copper", dimensions="D 2.6 cm, 16.8 g",
        updated="2023-06-01T11:20:00", origin="PK",
        description="Standing king sacrificing at an altar; the reverse shows the wind god Oado.",
    ),
    _holding(
        "TWMM-2012-0010", "COIN",
        {"zh": "安息米特拉达梯二世银币", "en": "Drachm of Mithridates II", "": "ΒΑΣΙΛΕΩΣ ΜΕΓΑΛΟΥ ΑΡΣΑΚΟΥ"},
        period="Parthian", years=(-121, -91), material="silver", dimensions="D 2 cm, 4 g",
        updated="2023-06-01T11:40:00", origin="IR", aat_spelling="https",
        description="Diademed bust on the obverse, the seated archer Arsaces on the reverse.",
    ),
    _holding(
        "TWMM-2013-0044", "METALWORK",
        {"zh": "商代青铜爵", "en": "Bronze jue wine vessel"},
        period="Shang", years=(-1600, -1046), material="bronze", dimensions="H 19.5 cm",
        updated="2023-07-15T09:00:00", grade="2", type_term="bronzes",
        description="Tripod pouring vessel with a long spout and two capped posts, taotie band on the body.",
    ),
    _holding(
        "TWMM-2013-0051", "JADE",
        {"zh": "西汉谷纹玉璧", "en": "Jade bi disc with grain pattern"},
        period="Western Han", years=(-206, 9), material="nephrite", dimensions="D 15.2 cm, Th 0.5 cm",
        updated="2023-07-15T09:30:00", grade="2", aat_spelling="curie",
        description="Pale green nephrite disc carved in relief with rows of raised grain spirals.",
    ),
    _holding(
        "TWMM-2014-0002", "TEXTILE",
        {"zh": "唐联珠对鸟纹锦残片", "en": "Silk fragment with confronted birds in pearl roundels",
         "fr": "Fragment de soie aux oiseaux affrontés"},
        period="Tang", years=(618, 750), material="silk", dimensions="H 24 cm, W 18 cm",
        updated="2023-08-03T16:45:00", grade="3",
        description="Weft-faced compound twill in a Sogdian style: paired birds inside pearl-bordered roundels.",
    ),
    _holding(
        "TWMM-2014-0019", "CERAMIC",
        {"zh": "唐三彩骆驼", "en": "Sancai camel", "ru": "Верблюд с глазурью саньцай"},
        period="Tang", years=(700, 750), material="earthenware, sancai glaze", dimensions="H 78 cm, L 61 cm",
        updated="2023-08-03T17:05:00", grade="2", type_term="figurines",
        description="Bactrian camel braying, its saddle hung with a flask and bundles of silk.",
    ),
    _holding(
        "TWMM-2014-0020", "CERAMIC",
        {"zh": "唐彩绘胡商俑", "en": "Painted figurine of a foreign merchant", "ar": "تمثال تاجر أجنبي ملوّن"},
        period="Tang", years=(650, 750), material="earthenware, pigments", dimensions="H 31 cm",
        updated="2023-09-12T10:10:00", type_term="figurines", aat_spelling="https",
        description="Bearded merchant in a pointed cap carrying a wine skin, traces of red and black paint.",
    ),
    _holding(
        "TWMM-2015-0007", "SCULPTURE",
        {"zh": "北魏鎏金铜立佛像", "en": "Gilt-bronze standing Buddha"},
        period="Northern Wei", years=(477, 499), material="bronze, gilding", dimensions="H 28 cm",
        updated="2023-09-12T11:00:00", grade="2",
        description="Buddha with the gesture of reassurance before a flame mandorla; votive inscription on the base.",
    ),
    _holding(
        "TWMM-2015-0012", "SCULPTURE",
        {"zh": "唐石雕菩萨头像", "en": "Limestone head of a bodhisattva", "fr": "Tête de bodhisattva"},
        period="Tang", years=(700, 756), material="limestone", dimensions="H 35 cm",
        updated="2023-10-05T13:20:00", aat_spelling="curie",
        description="Full-cheeked head with a high chignon and jewelled diadem.",
    ),
    _holding(
        "TWMM-2015-0031", "METALWORK",
        {"zh": "元景教铜十字牌", "en": "Bronze Church of the East cross"},
        period="Yuan", years=(1271, 1368), material="bronze", dimensions="H 5.6 cm, W 5.4 cm",
        updated="2023-10-05T13:50:00",
        description="Openwork cross of the Church of the East, worn as a seal or amulet in the Ordos.",
    ),
    _holding(
        "TWMM-2016-0003", "CERAMIC",
        {"zh": "越窑青瓷海棠式碗", "en": "Yue celadon lobed bowl"},
        period="Five Dynasties", years=(907, 960), material="stoneware, celadon glaze", dimensions="D 14.8 cm",
        updated="2023-11-21T09:00:00", type_term="ceramics", deleted=True,
        description="Quatrefoil bowl with an even olive-green glaze.",
    ),
    _holding(
        "TWMM-2016-0027", "CERAMIC",
        {"zh": "明正德青花阿拉伯文盘", "en": "Blue-and-white dish with Arabic inscription",
         "ar": "طبق أزرق وأبيض بنقش عربي"},
        period="Ming", years=(1506, 1521), material="porcelain", dimensions="D 22 cm",
        updated="2023-11-21T09:45:00", type_term="porcelain", aat_spelling="https",
        description="Zhengde-mark dish with Arabic phrases in roundels, made for Muslim officials at court.",
    ),
    _holding(
        "TWMM-2017-0004", "PAINTING",
        {"zh": "清丝路驼队图轴", "en": "Camel caravan on the Silk Road, hanging scroll"},
        period="Qing", years=(1736, 1795), material="ink and colour on silk", dimensions="H 132 cm, W 64 cm",
        updated="2024-01-09T15:30:00", creators=("Anonymous court painter",),
        description="A caravan crossing the passes west of Jiayuguan beneath snow-covered peaks.",
    ),
    _holding(
        "TWMM-2017-0015", "COIN",
        {"zh": "西汉五铢钱", "en": "Wuzhu coin"},
        period="Western Han", years=(-118, 9), material="bronze", dimensions="D 2.5 cm, 3.5 g",
        updated="2024-01-09T16:00:00", aat_spelling="curie",
        description="Round coin with a square hole inscribed wu zhu (five grains).",
    ),
    _holding(
        "TWMM-2018-0022", "METALWORK",
        {"zh": "唐金花钗", "en": "Gold hairpin with floral finials"},
        period="Tang", years=(750, 850), material="gold", dimensions="L 19 cm, 12.3 g",
        updated="2024-02-14T10:00:00", grade="3", deleted=True,
        description="Two-pronged hairpin with openwork flower-scroll finials.",
    ),
    _holding(
        "TWMM-2018-0030", "OTHER",
        {"zh": "萨珊玻璃碗", "en": "Sasanian cut-glass bowl", "ar": "وعاء زجاجي ساساني"},
        period="Sasanian", years=(401, 650), material="glass", dimensions="D 10.5 cm, H 7.6 cm",
        updated="2024-02-14T10:30:00", origin="IR", type_term="glassware",
        description="Thick-walled bowl with honeycomb facets, a Persian import traded through Chang'an.",
    ),
    _holding(
        "TWMM-2019-0006", "EPITAPH",
        {"zh": "唐四神纹墓志盖", "en": "Epitaph cover with the four directional animals"},
        period="Tang", years=(748, 748), material="limestone", dimensions="H 60 cm, W 60 cm",
        updated="2024-03-30T08:20:00",
        description="Cover carved with the Azure Dragon, White Tiger, Vermilion Bird and Black Warrior.",
    ),
    _holding(
        "TWMM-2019-0011", "CERAMIC",
        {"zh": "唐三彩镇墓兽", "en": "Sancai tomb guardian beast"},
        period="Tang", years=(700, 750), material="earthenware, sancai glaze", dimensions="H 66 cm",
        updated="2024-03-30T09:00:00", type_term="figurines", deleted=True,
        description="Horned guardian with a human face, placed at a tomb entrance.",
    ),
    _holding(
        "TWMM-2020-0001", "JADE",
        {"zh": "清白玉螭龙带钩", "en": "White jade belt hook with a chilong dragon"},
        period="Qing", years=(1736, 1820), material="nephrite", dimensions="L 11.2 cm",
        updated="2024-05-18T12:00:00", aat_spelling="https",
        description="Belt hook with a dragon-head terminal and a young chilong climbing the shaft.",
    ),
    _holding(
        "TWMM-2020-0013", "METALWORK",
        {"zh": "粟特银执壶", "en": "Sogdian silver ewer", "ru": "Согдийский серебряный кувшин"},
        period="Tang", years=(650, 750), material="silver, gilding", dimensions="H 24.5 cm",
        updated="2024-05-18T12:40:00", origin="UZ", grade="1",
        description="Pear-shaped ewer with a ring handle and a thumb-rest in the form of a bearded head.",
    ),
    _holding(
        "TWMM-2021-0009", "COIN",
        {"zh": "秦半两钱", "en": "Banliang coin of Qin"},
        period="Qin", years=(-221, -206), material="bronze", dimensions="D 3.2 cm, 8 g",
        updated="2024-07-02T09:10:00", images=0, deleted=True,
        description="Unified coinage of the First Emperor, inscribed ban liang (half an ounce).",
    ),
    _holding(
        "TWMM-2021-0016", "TEXTILE",
        {"zh": "辽缂丝团花残片", "en": "Kesi tapestry fragment with floral medallion"},
        period="Liao", years=(907, 1125), material="silk, gold thread", dimensions="H 30 cm, W 26 cm",
        updated="2024-07-02T09:40:00", images=2,
        description="Slit-tapestry silk woven with gold-wrapped thread in a peony medallion.",
    ),
    _holding(
        "TWMM-2022-0002", "SCULPTURE",
        {"zh": "隋白石观音立像", "en": "White marble standing Guanyin"},
        period="Sui", years=(581, 618), material="marble", dimensions="H 72 cm",
        updated="2024-09-10T14:15:00", grade="1", images=0,
        description="Slender bodhisattva holding a willow branch and a vase, from a Hebei workshop.",
    ),
]
# fmt: on
