"""Every language a text can be written in: the 184 codes of ISO 639-1, each with its name
in itself (its autonym, as a language menu shows it) and in each interface language, and
the ones written right to left.

Texts may be written in any of these; the interface, and translations, stay in
``settings.LANGUAGES``. The table was made once from the Unicode CLDR (Babel 2.18, with
pycountry's ISO 639-1 list) and is kept here as a literal, so nothing is read at run time.
CLDR has no autonym for 24 small languages: those are the ones in common use. Autonyms take
CLDR's capitalisation for menus (the first letter up, "Español"), unless they carry a
capital of their own ("isiZulu") or their script keeps capitals for titles (Georgian).
Kurdish is named in both its scripts, as the one code stands for both.
"""

from __future__ import annotations

import unicodedata

# The languages of NAMES' columns after the autonym.
NAME_LANGUAGES = ("en", "fr", "ru", "ar")

# code: (autonym, English, French, Russian, Arabic)
NAMES: dict[str, tuple[str, str, str, str, str]] = {
    "aa": ("Qafar", "Afar", "afar", "афарский", "الأفارية"),
    "ab": ("Аԥсшәа", "Abkhazian", "abkhaze", "абхазский", "الأبخازية"),
    "ae": ("Avesta", "Avestan", "avestique", "авестийский", "الأفستية"),
    "af": ("Afrikaans", "Afrikaans", "afrikaans", "африкаанс", "الأفريقانية"),
    "ak": ("Akan", "Akan", "akan", "акан", "الأكانية"),
    "am": ("አማርኛ", "Amharic", "amharique", "амхарский", "الأمهرية"),
    "an": ("Aragonés", "Aragonese", "aragonais", "арагонский", "الأراغونية"),
    "ar": ("العربية", "Arabic", "arabe", "арабский", "العربية"),
    "as": ("অসমীয়া", "Assamese", "assamais", "ассамский", "الأسامية"),
    "av": ("Авар мацӀ", "Avaric", "avar", "аварский", "الأوارية"),
    "ay": ("Aymar aru", "Aymara", "aymara", "аймара", "الأيمارا"),
    "az": ("Azərbaycan", "Azerbaijani", "azerbaïdjanais", "азербайджанский", "الأذربيجانية"),
    "ba": ("Башҡорт теле", "Bashkir", "bachkir", "башкирский", "الباشكيرية"),
    "be": ("Беларуская", "Belarusian", "biélorusse", "белорусский", "البيلاروسية"),
    "bg": ("Български", "Bulgarian", "bulgare", "болгарский", "البلغارية"),
    "bi": ("Bislama", "Bislama", "bichelamar", "бислама", "البيسلامية"),
    "bm": ("Bamanakan", "Bambara", "bambara", "бамбара", "البامبارا"),
    "bn": ("বাংলা", "Bangla", "bengali", "бенгальский", "البنغالية"),
    "bo": ("བོད་སྐད་", "Tibetan", "tibétain", "тибетский", "التبتية"),
    "br": ("Brezhoneg", "Breton", "breton", "бретонский", "البريتونية"),
    "bs": ("Bosanski", "Bosnian", "bosniaque", "боснийский", "البوسنية"),
    "ca": ("Català", "Catalan", "catalan", "каталанский", "الكتالانية"),
    "ce": ("Нохчийн", "Chechen", "tchétchène", "чеченский", "الشيشانية"),
    "ch": ("Chamoru", "Chamorro", "chamorro", "чаморро", "التشامورو"),
    "co": ("Corsu", "Corsican", "corse", "корсиканский", "الكورسيكية"),
    "cr": ("ᓀᐦᐃᔭᐍᐏᐣ", "Cree", "cree", "кри", "الكرى"),
    "cs": ("Čeština", "Czech", "tchèque", "чешский", "التشيكية"),
    "cu": (
        "Церковнослове́нскїй",
        "Church Slavic",
        "slavon d’église",
        "церковнославянский",
        "سلافية كنسية",
    ),
    "cv": ("Чӑваш", "Chuvash", "tchouvache", "чувашский", "التشوفاشي"),
    "cy": ("Cymraeg", "Welsh", "gallois", "валлийский", "الويلزية"),
    "da": ("Dansk", "Danish", "danois", "датский", "الدانمركية"),
    "de": ("Deutsch", "German", "allemand", "немецкий", "الألمانية"),
    "dv": ("ދިވެހިބަސް", "Divehi", "maldivien", "мальдивский", "المالديفية"),
    "dz": ("རྫོང་ཁ", "Dzongkha", "dzongkha", "дзонг-кэ", "دزونكا"),
    "ee": ("Eʋegbe", "Ewe", "éwé", "эве", "الإيوي"),
    "el": ("Ελληνικά", "Greek", "grec", "греческий", "اليونانية"),
    "en": ("English", "English", "anglais", "английский", "الإنجليزية"),
    "eo": ("Esperanto", "Esperanto", "espéranto", "эсперанто", "الإسبرانتو"),
    "es": ("Español", "Spanish", "espagnol", "испанский", "الإسبانية"),
    "et": ("Eesti", "Estonian", "estonien", "эстонский", "الإستونية"),
    "eu": ("Euskara", "Basque", "basque", "баскский", "الباسكية"),
    "fa": ("فارسی", "Persian", "persan", "персидский", "الفارسية"),
    "ff": ("Pulaar", "Fula", "peul", "фулах", "الفولانية"),
    "fi": ("Suomi", "Finnish", "finnois", "финский", "الفنلندية"),
    "fj": ("Vosa Vakaviti", "Fijian", "fidjien", "фиджи", "الفيجية"),
    "fo": ("Føroyskt", "Faroese", "féroïen", "фарерский", "الفاروية"),
    "fr": ("Français", "French", "français", "французский", "الفرنسية"),
    "fy": ("Frysk", "Western Frisian", "frison occidental", "западнофризский", "الفريزيان"),
    "ga": ("Gaeilge", "Irish", "irlandais", "ирландский", "الأيرلندية"),
    "gd": ("Gàidhlig", "Scottish Gaelic", "gaélique écossais", "гэльский", "الغيلية الأسكتلندية"),
    "gl": ("Galego", "Galician", "galicien", "галисийский", "الجاليكية"),
    "gn": ("Avañe’ẽ", "Guarani", "guarani", "гуарани", "الغوارانية"),
    "gu": ("ગુજરાતી", "Gujarati", "goudjarati", "гуджарати", "الغوجاراتية"),
    "gv": ("Gaelg", "Manx", "mannois", "мэнский", "المنكية"),
    "ha": ("Hausa", "Hausa", "haoussa", "хауса", "الهوسا"),
    "he": ("עברית", "Hebrew", "hébreu", "иврит", "العبرية"),
    "hi": ("हिन्दी", "Hindi", "hindi", "хинди", "الهندية"),
    "ho": ("Hiri Motu", "Hiri Motu", "hiri motu", "хиримоту", "الهيري موتو"),
    "hr": ("Hrvatski", "Croatian", "croate", "хорватский", "الكرواتية"),
    "ht": (
        "Kreyòl Ayisyen",
        "Haitian Creole",
        "créole haïtien",
        "гаитянский",
        "الكريولية الهايتية",
    ),
    "hu": ("Magyar", "Hungarian", "hongrois", "венгерский", "الهنغارية"),
    "hy": ("Հայերեն", "Armenian", "arménien", "армянский", "الأرمنية"),
    "hz": ("Otjiherero", "Herero", "héréro", "гереро", "الهيريرو"),
    "ia": ("Interlingua", "Interlingua", "interlingua", "интерлингва", "اللّغة الوسيطة"),
    "id": ("Indonesia", "Indonesian", "indonésien", "индонезийский", "الإندونيسية"),
    "ie": ("Interlingue", "Interlingue", "interlingue", "интерлингве", "الإنترلينج"),
    "ig": ("Igbo", "Igbo", "igbo", "игбо", "الإيجبو"),
    "ii": ("ꆈꌠꉙ", "Sichuan Yi", "yi du Sichuan", "носу", "السيتشيون يي"),
    "ik": ("Iñupiaq", "Inupiaq", "inupiaq", "инупиак", "الإينبياك"),
    "io": ("Ido", "Ido", "ido", "идо", "الإيدو"),
    "is": ("Íslenska", "Icelandic", "islandais", "исландский", "الأيسلندية"),
    "it": ("Italiano", "Italian", "italien", "итальянский", "الإيطالية"),
    "iu": ("ᐃᓄᒃᑎᑐᑦ", "Inuktitut", "inuktitut", "инуктитут", "الإينكتيتت"),
    "ja": ("日本語", "Japanese", "japonais", "японский", "اليابانية"),
    "jv": ("Jawa", "Javanese", "javanais", "яванский", "الجاوية"),
    "ka": ("ქართული", "Georgian", "géorgien", "грузинский", "الجورجية"),
    "kg": ("Kikongo", "Kongo", "kikongo", "конго", "الكونغو"),
    "ki": ("Gikuyu", "Kikuyu", "kikuyu", "кикуйю", "الكيكيو"),
    "kj": ("Kuanyama", "Kuanyama", "kuanyama", "кунама", "كوانياما"),
    "kk": ("Қазақ тілі", "Kazakh", "kazakh", "казахский", "الكازاخستانية"),
    "kl": ("Kalaallisut", "Kalaallisut", "groenlandais", "гренландский", "الكالاليست"),
    "km": ("ខ្មែរ", "Khmer", "khmer", "кхмерский", "الخميرية"),
    "kn": ("ಕನ್ನಡ", "Kannada", "kannada", "каннада", "الكانادا"),
    "ko": ("한국어", "Korean", "coréen", "корейский", "الكورية"),
    "kr": ("Kanuri", "Kanuri", "kanouri", "канури", "الكانوري"),
    "ks": ("کٲشُر", "Kashmiri", "cachemiri", "кашмири", "الكشميرية"),
    "ku": ("Kurdî / کوردی", "Kurdish", "kurde", "курдский", "الكردية"),
    "kv": ("Коми кыв", "Komi", "komi", "коми", "الكومي"),
    "kw": ("Kernewek", "Cornish", "cornique", "корнский", "الكورنية"),
    "ky": ("Кыргызча", "Kyrgyz", "kirghize", "киргизский", "القيرغيزية"),
    "la": ("Latina", "Latin", "latin", "латинский", "اللاتينية"),
    "lb": ("Lëtzebuergesch", "Luxembourgish", "luxembourgeois", "люксембургский", "اللكسمبورغية"),
    "lg": ("Luganda", "Ganda", "ganda", "ганда", "الغاندا"),
    "li": ("Limburgs", "Limburgish", "limbourgeois", "лимбургский", "الليمبورغية"),
    "ln": ("Lingála", "Lingala", "lingala", "лингала", "اللينجالا"),
    "lo": ("ລາວ", "Lao", "lao", "лаосский", "اللاوية"),
    "lt": ("Lietuvių", "Lithuanian", "lituanien", "литовский", "الليتوانية"),
    "lu": ("Tshiluba", "Luba-Katanga", "luba-katanga (kiluba)", "луба-катанга", "اللوبا كاتانغا"),
    "lv": ("Latviešu", "Latvian", "letton", "латышский", "اللاتفية"),
    "mg": ("Malagasy", "Malagasy", "malgache", "малагасийский", "الملغاشي"),
    "mh": ("Kajin M̧ajeļ", "Marshallese", "marshallais", "маршалльский", "المارشالية"),
    "mi": ("Māori", "Māori", "maori", "маори", "الماورية"),
    "mk": ("Македонски", "Macedonian", "macédonien", "македонский", "المقدونية"),
    "ml": ("മലയാളം", "Malayalam", "malayalam", "малаялам", "المالايالامية"),
    "mn": ("Монгол", "Mongolian", "mongol", "монгольский", "المنغولية"),
    "mr": ("मराठी", "Marathi", "marathi", "маратхи", "الماراثية"),
    "ms": ("Melayu", "Malay", "malais", "малайский", "الماليزية"),
    "mt": ("Malti", "Maltese", "maltais", "мальтийский", "المالطية"),
    "my": ("မြန်မာ", "Burmese", "birman", "бирманский", "البورمية"),
    "na": ("Dorerin Naoero", "Nauru", "nauruan", "науру", "النورو"),
    "nb": (
        "Norsk bokmål",
        "Norwegian Bokmål",
        "norvégien bokmål",
        "норвежский букмол",
        "النرويجية بوكمال",
    ),
    "nd": (
        "isiNdebele",
        "North Ndebele",
        "ndébélé du Nord",
        "северный ндебеле",
        "النديبيل الشمالية",
    ),
    "ne": ("नेपाली", "Nepali", "népalais", "непальский", "النيبالية"),
    "ng": ("Owambo", "Ndonga", "ndonga", "ндонга", "الندونجا"),
    "nl": ("Nederlands", "Dutch", "néerlandais", "нидерландский", "الهولندية"),
    "nn": (
        "Norsk nynorsk",
        "Norwegian Nynorsk",
        "norvégien nynorsk",
        "нюнорск",
        "النرويجية نينورسك",
    ),
    "no": ("Norsk", "Norwegian", "norvégien", "норвежский", "النرويجية"),
    "nr": ("isiNdebele", "South Ndebele", "ndébélé du Sud", "южный ндебеле", "النديبيل الجنوبي"),
    "nv": ("Diné Bizaad", "Navajo", "navajo", "навахо", "النافاجو"),
    "ny": ("Nyanja", "Nyanja", "chewa", "ньянджа", "النيانجا"),
    "oc": ("Occitan", "Occitan", "occitan", "окситанский", "الأوكسيتانية"),
    "oj": ("ᐊᓂᔑᓈᐯᒧᐎᓐ", "Ojibwa", "ojibwa", "оджибва", "الأوجيبوا"),
    "om": ("Oromoo", "Oromo", "oromo", "оромо", "الأورومية"),
    "or": ("ଓଡ଼ିଆ", "Odia", "odia", "ория", "الأورية"),
    "os": ("Ирон", "Ossetic", "ossète", "осетинский", "الأوسيتيك"),
    "pa": ("ਪੰਜਾਬੀ", "Punjabi", "pendjabi", "панджаби", "البنجابية"),
    "pi": ("पालि", "Pali", "pali", "пали", "البالية"),
    "pl": ("Polski", "Polish", "polonais", "польский", "البولندية"),
    "ps": ("پښتو", "Pashto", "pachto", "пушту", "البشتو"),
    "pt": ("Português", "Portuguese", "portugais", "португальский", "البرتغالية"),
    "qu": ("Runasimi", "Quechua", "quechua", "кечуа", "كيشوا"),
    "rm": ("Rumantsch", "Romansh", "romanche", "романшский", "الرومانشية"),
    "rn": ("Ikirundi", "Rundi", "roundi", "рунди", "الرندي"),
    "ro": ("Română", "Romanian", "roumain", "румынский", "الرومانية"),
    "ru": ("Русский", "Russian", "russe", "русский", "الروسية"),
    "rw": ("Ikinyarwanda", "Kinyarwanda", "kinyarwanda", "киньяруанда", "الكينيارواندا"),
    "sa": ("संस्कृत भाषा", "Sanskrit", "sanskrit", "санскрит", "السنسكريتية"),
    "sc": ("Sardu", "Sardinian", "sarde", "сардинский", "السردينية"),
    "sd": ("سنڌي", "Sindhi", "sindhi", "синдхи", "السندية"),
    "se": ("Davvisámegiella", "Northern Sami", "same du Nord", "северносаамский", "سامي الشمالية"),
    "sg": ("Sängö", "Sango", "sango", "санго", "السانجو"),
    "sh": (
        "Srpskohrvatski",
        "Serbo-Croatian",
        "serbo-croate",
        "сербскохорватский",
        "صربية-كرواتية",
    ),
    "si": ("සිංහල", "Sinhala", "cingalais", "сингальский", "السنهالية"),
    "sk": ("Slovenčina", "Slovak", "slovaque", "словацкий", "السلوفاكية"),
    "sl": ("Slovenščina", "Slovenian", "slovène", "словенский", "السلوفانية"),
    "sm": ("Gagana faʻa Samoa", "Samoan", "samoan", "самоанский", "الساموائية"),
    "sn": ("chiShona", "Shona", "shona", "шона", "الشونا"),
    "so": ("Soomaali", "Somali", "somali", "сомали", "الصومالية"),
    "sq": ("Shqip", "Albanian", "albanais", "албанский", "الألبانية"),
    "sr": ("Српски", "Serbian", "serbe", "сербский", "الصربية"),
    "ss": ("siSwati", "Swati", "swati", "свази", "السواتي"),
    "st": ("Sesotho", "Southern Sotho", "sotho du Sud", "южный сото", "السوتو الجنوبية"),
    "su": ("Basa Sunda", "Sundanese", "soundanais", "сунданский", "السوندانية"),
    "sv": ("Svenska", "Swedish", "suédois", "шведский", "السويدية"),
    "sw": ("Kiswahili", "Swahili", "swahili", "суахили", "السواحلية"),
    "ta": ("தமிழ்", "Tamil", "tamoul", "тамильский", "التاميلية"),
    "te": ("తెలుగు", "Telugu", "télougou", "телугу", "التيلوغوية"),
    "tg": ("Тоҷикӣ", "Tajik", "tadjik", "таджикский", "الطاجيكية"),
    "th": ("ไทย", "Thai", "thaï", "тайский", "التايلاندية"),
    "ti": ("ትግርኛ", "Tigrinya", "tigrigna", "тигринья", "التغرينية"),
    "tk": ("Türkmen dili", "Turkmen", "turkmène", "туркменский", "التركمانية"),
    "tl": ("Tagalog", "Tagalog", "tagalog", "тагалог", "التاغالوغية"),
    "tn": ("Setswana", "Tswana", "tswana", "тсвана", "التسوانية"),
    "to": ("Lea fakatonga", "Tongan", "tongien", "тонганский", "التونغية"),
    "tr": ("Türkçe", "Turkish", "turc", "турецкий", "التركية"),
    "ts": ("Xitsonga", "Tsonga", "tsonga", "тсонга", "السونجا"),
    "tt": ("Татар", "Tatar", "tatar", "татарский", "التترية"),
    "tw": ("Twi", "Twi", "twi", "тви", "التوي"),
    "ty": ("Reo Tahiti", "Tahitian", "tahitien", "таитянский", "التاهيتية"),
    "ug": ("ئۇيغۇرچە", "Uyghur", "ouïghour", "уйгурский", "الأويغورية"),
    "uk": ("Українська", "Ukrainian", "ukrainien", "украинский", "الأوكرانية"),
    "ur": ("اردو", "Urdu", "ourdou", "урду", "الأوردية"),
    "uz": ("O‘zbek", "Uzbek", "ouzbek", "узбекский", "الأوزبكية"),
    "ve": ("Tshivenḓa", "Venda", "venda", "венда", "الفيندا"),
    "vi": ("Tiếng Việt", "Vietnamese", "vietnamien", "вьетнамский", "الفيتنامية"),
    "vo": ("Volapük", "Volapük", "volapük", "волапюк", "لغة الفولابوك"),
    "wa": ("Walon", "Walloon", "wallon", "валлонский", "الولونية"),
    "wo": ("Wolof", "Wolof", "wolof", "волоф", "الولوفية"),
    "xh": ("IsiXhosa", "Xhosa", "xhosa", "коса", "الخوسا"),
    "yi": ("ייִדיש", "Yiddish", "yiddish", "идиш", "اليديشية"),
    "yo": ("Èdè Yorùbá", "Yoruba", "yoruba", "йоруба", "اليوروبا"),
    "za": ("Vahcuengh", "Zhuang", "zhuang", "чжуань", "الزهيونج"),
    "zh": ("中文", "Chinese", "chinois", "китайский", "الصينية"),
    "zu": ("isiZulu", "Zulu", "zoulou", "зулу", "الزولو"),
}

# CLDR's right-to-left languages, and Avestan, whose script is.
RIGHT_TO_LEFT = frozenset({"ae", "ar", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})
# Kurdish is written in Latin letters (Kurmanji) and in Arabic ones (Sorani, which has no
# code of its own in ISO 639-1): its direction is the text's own.
EITHER_DIRECTION = frozenset({"ku"})


def autonym(code: str) -> str:
    """The language's name in itself ("es" -> "Español"), or the code."""
    row = NAMES.get(code)
    return row[0] if row else code


def name_in(code: str, language: str) -> str | None:
    """The name of ``code`` in ``language`` (one of NAME_LANGUAGES), or None."""
    row = NAMES.get(code)
    if row is None or language not in NAME_LANGUAGES:
        return None
    return row[1 + NAME_LANGUAGES.index(language)]


def direction(code: str) -> str:
    """ "rtl", "ltr", or "auto" where the language is written both ways."""
    code = code.split("-")[0]
    if code in RIGHT_TO_LEFT:
        return "rtl"
    return "auto" if code in EITHER_DIRECTION else "ltr"


def _alphabetical(name: str) -> str:
    # "Čeština" beside "Cymraeg", not after "Zulu": letters without their accents, no case.
    bare = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in bare if not unicodedata.combining(ch)).casefold()


def menu_order(first: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Every code: ``first`` (the interface languages) in its order, then the others by
    autonym, alphabetically (Latin letters, then Greek, Cyrillic, ... as Unicode orders
    scripts)."""
    rest = sorted(
        (code for code in NAMES if code not in first), key=lambda c: _alphabetical(autonym(c))
    )
    return [*first, *rest]
