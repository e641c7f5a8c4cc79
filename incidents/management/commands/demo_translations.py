"""French and Russian versions of the demo cases' texts, added by load_demo as translations.

The demo cases are written in English; these are their translations, so the demo reads
fully in French and Russian.
"""

# Per case slug, per language. Paragraph breaks ("\n\n") sit where the English has them.
INCIDENTS = {
    "coalition-against-torture-meeting-disrupted-bishkek-2019": {
        "fr": {
            "title": (
                "Réunion de la Coalition contre la torture à Bichkek perturbée par le "
                "Mouvement de la jeunesse patriotique du Kirghizstan"
            ),
            "summary": (
                "Le 23 mai 2019, neuf personnes ont fait irruption dans une réunion de travail "
                "de la Coalition contre la torture à Bichkek, au Kirghizstan, et ont exigé "
                "qu'elle prenne fin. Elles l'ont accusée d'être financée par des pays "
                "occidentaux pour déstabiliser la paix au Kirghizstan."
            ),
            "narrative": (
                "Du 21 au 23 mai 2019, des avocats travaillant avec la Coalition contre la "
                "torture (en russe, « Коалиция против пыток ») se sont réunis dans une salle "
                "de conférence à Bichkek. Avec des experts internationaux, ils ont examiné la "
                "manière dont les juridictions nationales et étrangères traitent actuellement "
                "les affaires de torture.\n\n"
                "Le dernier jour, le 23 mai, neuf personnes munies de caméras et de "
                "dictaphones sont entrées dans la salle et ont exigé avec agressivité que la "
                "réunion prenne fin. Elles se sont ensuite présentées comme membres du "
                "Mouvement de la jeunesse patriotique du Kirghizstan et ont affirmé que les "
                "gouvernements occidentaux, ainsi que les organisations qu'ils financent, "
                "cherchaient à saper la paix dans le pays. Après que les organisateurs leur "
                "ont expliqué le véritable objet de la réunion, le groupe a déclaré avoir été "
                "mal informé.\n\n"
                "Les participants ont filmé l'intrusion et porté plainte auprès du département "
                "de police des affaires intérieures du district d'Alamedin pour "
                "« hooliganisme » et pour entrave à l'activité professionnelle d'un avocat.\n\n"
                "Selon des défenseurs des droits humains locaux, ce n'était pas la première "
                "fois que le groupe entravait le travail d'avocats : il avait déjà interrompu "
                "une formation destinée à des avocats, tenue dans la même salle de conférence. "
                "Le mouvement s'en prend aux défenseurs des droits humains et à leurs "
                "organisations depuis 2011.\n\n"
                "Cette perturbation semble uniquement dirigée contre le travail pacifique et "
                "légitime de lutte contre la torture mené par la coalition, et destinée à "
                "intimider les organisations qui s'élèvent contre la torture et les mauvais "
                "traitements."
            ),
            "region": "",
            "place": "Bichkek",
            "updates": {
                "2019-05-23": (
                    "Réunion perturbée ; plainte déposée auprès de la police",
                    "Les participants ont filmé l'intrusion et porté plainte auprès du "
                    "département de police des affaires intérieures du district d'Alamedin.",
                ),
                "2019-05-24": (
                    "Front Line Defenders publie le cas",
                    "Front Line Defenders a publié une déclaration sur cette perturbation, se "
                    "disant préoccupée que la coalition ait été prise pour cible en raison de "
                    "son travail pacifique contre la torture.",
                ),
            },
            "figures": {
                "people disrupted the meeting": "personnes ont perturbé la réunion",
            },
        },
        "ru": {
            "title": (
                "Встреча Коалиции против пыток в Бишкеке прервана Патриотическим молодёжным "
                "движением Кыргызстана"
            ),
            "summary": (
                "23 мая 2019 года девять человек ворвались на рабочую встречу Коалиции против "
                "пыток в Бишкеке (Кыргызстан) и потребовали её прекратить. Они утверждали, что "
                "встреча оплачена западными странами с целью дестабилизировать мир в "
                "Кыргызстане."
            ),
            "narrative": (
                "С 21 по 23 мая 2019 года юристы, сотрудничающие с Коалицией против пыток, "
                "собрались в конференц-зале в Бишкеке. Вместе с международными экспертами "
                "они обсуждали, как национальные и зарубежные суды в настоящее время "
                "рассматривают дела о пытках.\n\n"
                "В последний день, 23 мая, девять человек с камерами и диктофонами вошли в "
                "зал и в агрессивной форме потребовали прекратить встречу. Позже они "
                "представились членами Патриотического молодёжного движения Кыргызстана и "
                "заявили, что западные правительства и финансируемые ими организации "
                "пытаются подорвать мир в стране. После того как организаторы объяснили, "
                "чему на самом деле посвящена встреча, члены группы сказали, что их ввели в "
                "заблуждение.\n\n"
                "Участники засняли вторжение на видео и подали заявление в отдел внутренних "
                "дел Аламединского района по факту «хулиганства» и воспрепятствования "
                "профессиональной деятельности адвоката.\n\n"
                "По словам местных правозащитников, группа уже не в первый раз мешала работе "
                "юристов: ранее она сорвала тренинг для юристов, проходивший в том же "
                "конференц-зале. Движение преследует правозащитников и их организации с "
                "2011 года.\n\n"
                "Эти действия, по всей видимости, были направлены исключительно против мирной "
                "и законной деятельности коалиции по борьбе с пытками и на запугивание "
                "организаций, которые выступают против пыток и жестокого обращения."
            ),
            "region": "",
            "place": "Бишкек",
            "updates": {
                "2019-05-23": (
                    "Встреча прервана; подано заявление в милицию",
                    "Участники засняли вторжение на видео и обратились с заявлением в отдел "
                    "внутренних дел Аламединского района.",
                ),
                "2019-05-24": (
                    "Front Line Defenders публикует сообщение о деле",
                    "Front Line Defenders выступила с заявлением в связи с этим инцидентом, "
                    "выразив обеспокоенность тем, что коалиция стала мишенью из-за "
                    "своей мирной работы против пыток.",
                ),
            },
            "figures": {
                "people disrupted the meeting": "человек прервали встречу",
            },
        },
    },
    "kazakhstan-january-2022-unrest-mass-arrests": {
        "fr": {
            "title": (
                "Arrestations massives, morts et coupure d'Internet lors des troubles de "
                "janvier 2022 au Kazakhstan"
            ),
            "summary": (
                "Des manifestations contre le prix du carburant ont commencé le 2 janvier 2022 "
                "à Janaozen, ville pétrolière de l'extrême sud-ouest du Kazakhstan, et se sont "
                "étendues en quelques jours à Almaty et à d'autres villes. Les autorités ont "
                "décrété l'état d'urgence, coupé Internet et arrêté plus de 2 000 personnes ; "
                "des morts ont été signalés parmi les manifestants et les forces de sécurité."
            ),
            "narrative": (
                "La colère suscitée par la hausse des prix du carburant a d'abord éclaté le "
                "2 janvier 2022 à Janaozen, dans l'extrême sud-ouest du Kazakhstan. Dans les "
                "jours qui ont suivi, des manifestations antigouvernementales se sont étendues "
                "à Almaty, la plus grande ville du pays, et à d'autres localités. Par "
                "endroits, elles ont tourné à la violence : des bâtiments officiels ont été "
                "incendiés et des manifestants se sont heurtés à la police.\n\n"
                "L'état d'urgence a été décrété. Le ministère de l'Intérieur a annoncé que "
                "plus de 2 000 personnes avaient été arrêtées. Les autorités ont fait état de "
                "12 membres des forces de sécurité tués, tandis qu'une porte-parole de la "
                "police nationale a déclaré que « des dizaines d'assaillants » avaient été "
                "« liquidés » à Almaty, en désignant ainsi les manifestants "
                "antigouvernementaux. Aucun décompte indépendant des morts parmi les "
                "manifestants n'était alors disponible.\n\n"
                "Le gouvernement a coupé l'accès à Internet. La Haute-Commissaire des Nations "
                "unies aux droits de l'homme, Michelle Bachelet, a critiqué cette coupure, "
                "estimant qu'elle ne saurait être une réponse à une crise, et a averti qu'elle "
                "risquait d'attiser la violence. Elle a rappelé que chacun a le droit de "
                "manifester pacifiquement et de s'exprimer, a exhorté les manifestants à ne "
                "pas recourir à la violence et s'est dite préoccupée par les arrestations.\n\n"
                "À la demande du président Kassym-Jomart Tokaïev, l'Organisation du traité de "
                "sécurité collective (OTSC), dirigée par Moscou, a envoyé 2 500 militaires "
                "qu'elle a qualifiés de soldats de la paix. La Haute-Commissaire a déclaré que "
                "tout recours à la force, y compris par des forces étrangères, devait "
                "respecter les normes internationales applicables au maintien de l'ordre.\n\n"
                "Au Kazakhstan, ces événements sont souvent appelés « Январские события » (en "
                "russe, « les événements de janvier ») ou « Қаңтар оқиғалары » (en kazakh)."
            ),
            "region": "",
            "place": "Janaozen, Almaty et d'autres villes",
            "updates": {
                "2022-01-02": (
                    "Début des manifestations contre le prix du carburant à Janaozen",
                    "Des manifestations contre la hausse des prix du carburant débutent dans "
                    "la ville pétrolière de Janaozen et s'étendent rapidement à Almaty et à "
                    "d'autres villes.",
                ),
                "2022-01-06": (
                    "Des morts signalés ; envoi de troupes de l'OTSC ; la Haute-Commissaire "
                    "de l'ONU prend position",
                    "Les autorités annoncent que 12 membres des forces de sécurité ont été tués "
                    "et la police évoque des dizaines d'assaillants « liquidés » à Almaty. La "
                    "Haute-Commissaire des Nations unies aux droits de l'homme critique la "
                    "coupure d'Internet et les arrestations.",
                ),
                "2022-01-07": (
                    "Plus de 2 000 personnes arrêtées",
                    "Le ministère de l'Intérieur fait état de plus de 2 000 arrestations dans "
                    "le cadre de l'état d'urgence.",
                ),
            },
            "figures": {
                "members of the security forces": "membres des forces de sécurité",
            },
        },
        "ru": {
            "title": (
                "Массовые аресты, гибель людей и отключение интернета во время январских "
                "волнений 2022 года в Казахстане"
            ),
            "summary": (
                "Протесты из-за цен на топливо начались 2 января 2022 года в Жанаозене, "
                "нефтяном городе на крайнем юго-западе Казахстана, и за несколько дней "
                "распространились на Алматы и другие города. Власти ввели чрезвычайное "
                "положение, отключили интернет и арестовали более 2000 человек; сообщалось "
                "о погибших среди протестующих и сотрудников силовых структур."
            ),
            "narrative": (
                "Возмущение ростом цен на топливо впервые вспыхнуло 2 января 2022 года в "
                "Жанаозене, на крайнем юго-западе Казахстана. В последующие дни "
                "антиправительственные демонстрации распространились на Алматы, крупнейший "
                "город страны, и на другие города. Местами они приняли насильственный "
                "характер: здания органов власти были подожжены, протестующие вступали в "
                "столкновения с полицией.\n\n"
                "Было введено чрезвычайное положение. Министерство внутренних дел сообщило, "
                "что арестованы более 2000 человек. Власти сообщили о гибели 12 сотрудников "
                "силовых структур, а пресс-секретарь национальной полиции заявила, что в "
                "Алматы «ликвидированы» «десятки нападавших», имея в виду участников "
                "антиправительственных протестов. Независимых данных о числе погибших среди "
                "протестующих на тот момент не было.\n\n"
                "Правительство отключило доступ к интернету. Верховный комиссар ООН по правам "
                "человека Мишель Бачелет раскритиковала отключение, заявив, что оно не может "
                "быть ответом на кризис, и предупредила, что оно грозит разжечь насилие. Она "
                "напомнила, что люди имеют право мирно протестовать и выражать своё мнение, "
                "призвала протестующих не прибегать к насилию и выразила обеспокоенность "
                "арестами.\n\n"
                "По просьбе президента Касым-Жомарта Токаева возглавляемая Москвой "
                "Организация Договора о коллективной безопасности (ОДКБ) направила "
                "2500 военнослужащих, которых назвала миротворцами. Верховный комиссар "
                "заявила, что любое применение силы, в том числе иностранными силами, должно "
                "соответствовать международным стандартам поддержания правопорядка.\n\n"
                "В Казахстане эти события часто называют «Январскими событиями» "
                "(по-казахски — «Қаңтар оқиғалары»)."
            ),
            "region": "",
            "place": "Жанаозен, Алматы и другие города",
            "updates": {
                "2022-01-02": (
                    "В Жанаозене начинаются протесты из-за цен на топливо",
                    "В нефтяном городе Жанаозене начинаются демонстрации против повышения цен "
                    "на топливо, которые вскоре распространяются на Алматы и другие города.",
                ),
                "2022-01-06": (
                    "Сообщения о погибших; направлены войска ОДКБ; Верховный комиссар ООН "
                    "выступает с заявлением",
                    "Власти сообщают о гибели 12 сотрудников силовых структур, а полиция "
                    "говорит о десятках нападавших, «ликвидированных» в Алматы. Верховный "
                    "комиссар ООН по правам человека критикует отключение интернета и аресты.",
                ),
                "2022-01-07": (
                    "Арестованы более 2000 человек",
                    "Министерство внутренних дел сообщает о более чем 2000 арестах в условиях "
                    "чрезвычайного положения.",
                ),
            },
            "figures": {
                "members of the security forces": "сотрудников силовых структур",
            },
        },
    },
}

# Keyed by the organization's English name, as in load_demo.py; the "about" text.
ORGANIZATIONS = {
    "Coalition Against Torture": {
        "fr": (
            "La Coalition contre la torture rassemble 17 organisations non gouvernementales "
            "et des militants indépendants de la société civile qui s'emploient à prévenir "
            "et à combattre la torture et les mauvais traitements au Kirghizstan.\n\n"
            "Ses membres surveillent les lieux de détention, apportent une aide juridique aux "
            "personnes qui ont subi des actes de torture ou des mauvais traitements et les "
            "aident à se rétablir."
        ),
        "ru": (
            "Коалиция против пыток объединяет 17 неправительственных организаций и "
            "независимых гражданских активистов, которые работают над предотвращением пыток "
            "и жестокого обращения в Кыргызстане и борются с ними.\n\n"
            "Её участники осуществляют мониторинг мест лишения свободы, оказывают "
            "юридическую помощь людям, подвергшимся пыткам или жестокому обращению, и "
            "помогают им восстановиться."
        ),
    },
}

# Keyed by the perpetrator group's English name, as in load_demo.py; the "description".
PERPETRATOR_GROUPS = {
    "Kyrgyzstan Patriotic Youth Movement": {
        "fr": (
            "Groupe nationaliste qui s'en prend aux défenseurs et aux organisations de "
            "défense des droits humains depuis 2011. Il se présente comme un organe de "
            "surveillance de ce qu'il qualifie d'initiatives illégales des ambassades "
            "étrangères, des organisations internationales et de leurs partenaires locaux."
        ),
        "ru": (
            "Националистическая группа, которая с 2011 года преследует правозащитников и "
            "правозащитные организации. Она позиционирует себя как наблюдателя, следящего "
            "за тем, что она называет незаконными инициативами иностранных посольств, "
            "международных организаций и их местных партнёров."
        ),
    },
}

# Names, keyed by the English name as in load_demo.py.
ORGANIZATION_NAMES = {
    "Coalition Against Torture": {
        "fr": "Coalition contre la torture",
        "ru": "Коалиция против пыток",
    },
}

PERPETRATOR_GROUP_NAMES = {
    "Kyrgyzstan Patriotic Youth Movement": {
        "fr": "Mouvement de la jeunesse patriotique du Kirghizstan",
        "ru": "Патриотическое молодёжное движение Кыргызстана",
    },
    "Kazakhstan police": {
        "fr": "Police du Kazakhstan",
        "ru": "Полиция Казахстана",
    },
    "Ministry of Internal Affairs of Kazakhstan": {
        "fr": "Ministère de l'Intérieur du Kazakhstan",
        "ru": "Министерство внутренних дел Казахстана",
    },
}
