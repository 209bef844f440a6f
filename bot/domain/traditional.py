"""Traditional characters read as simplified: a focused table, no converter library (none is installed offline).

Some phones' input methods, and relatives in Hong Kong or Taiwan, type
traditional characters: ``報告 楊秀雲`` means ``报告 杨秀云``. The table holds the
characters of the command keywords, of the words a family writes about needs
(money, health), and the ones common in children's names (surnames and given
names), each mapped to its one simplified form. A character that is the same in
both scripts needs no entry; a character not listed is left as it is.
"""

from __future__ import annotations

from bot.domain.emergency_words import TRADITIONAL as _EMERGENCY

_PAIRS = (
    # Command keywords (bot.flows.commands.COMMANDS) and the words of an answer.
    "報报談谈結结辦办務务檔档聯联繫系記记錄录資资語语幫帮開开綁绑學学動动隱隐審审計计長长親亲電电話话會会議议"
    "統统導导後后臺台緊紧況况確确認认復复總总單单據据謝谢對对錯错個个"
    # Money and everyday needs.
    "錢钱夠够買买賣卖費费貸贷債债補补貧贫窮穷經经濟济難难借借欠欠額额銀银場场顧顾護护藥药療疗醫医腳脚腿腿"
    # Surnames.
    "楊杨劉刘張张陳陈黃黄趙赵鄭郑吳吴馬马孫孙許许鄧邓馮冯韓韩葉叶蕭萧蘇苏盧卢蔣蒋賈贾魏魏謝谢鍾钟鐘钟譚谭羅罗"
    "龍龙湯汤嚴严關关歐欧陸陆閻阎鄒邹喬乔賀贺龔龚萬万聶聂齊齐範范鄔邬區区紀纪單单倫伦顏颜塗涂饒饶譚谭廖廖"
    # Given names.
    "雲云蘭兰麗丽華华國国軍军東东鳳凤興兴偉伟紅红濤涛靜静嬌娇寶宝貴贵賢贤潔洁飛飞鵬鹏輝辉錦锦進进強强義义"
    "劍剑傑杰慶庆鳴鸣嶺岭濱滨帥帅瑩莹榮荣彥彦綺绮嬋婵鈺钰銘铭蓮莲愛爱雙双儀仪維维韻韵詩诗夢梦陽阳樂乐歡欢"
    "曉晓穎颖瑤瑶艷艳豔艳暉晖軒轩澤泽煒炜淵渊廣广運运順顺鋒锋財财發发勝胜達达聖圣賓宾業业煥焕衛卫禮礼齡龄"
    "凱凯寧宁樹树權权環环憶忆懷怀蕓芸藝艺鶯莺鷹鹰鴻鸿綠绿貞贞書书燦灿傳传聰聪穩稳豐丰麥麦戰战鐵铁鋼钢連连"
    "峯峰嶽岳騰腾駿骏馳驰驍骁靈灵婭娅嫻娴瓊琼璣玑鑽钻園园惠惠慧慧為为偉伟崗岗橋桥溝沟漢汉鎮镇鄉乡村村縣县"
    "紋纹純纯絲丝綿绵緣缘網网總总聲声獻献寬宽賽赛輕轻遠远選选鈞钧銳锐鐸铎闊阔霧雾韜韬頌颂頤颐餘余馨馨驊骅鵑鹃"
)

TABLE: dict[int, str] = {
    **{ord(t): s for t, s in zip(_PAIRS[::2], _PAIRS[1::2], strict=True) if t != s},
    **{k: chr(v) if isinstance(v, int) else str(v) for k, v in _EMERGENCY.items()},
}
"""Traditional code point → simplified character (the emergency words' table included)."""


def simplified(typed: str) -> str:
    """``typed`` with the traditional characters of :data:`TABLE` as simplified (``報告 楊秀雲`` → ``报告 杨秀云``)."""
    return typed.translate(TABLE)
